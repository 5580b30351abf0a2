/*
 * live_int: what live.c shares with target.c (the named-Ingress fetch):
 * the state of one live read and the request helpers. Not an API.
 */
#ifndef ID_LIVE_INT_H
#define ID_LIVE_INT_H

#include "live.h"

/* Where each kind is listed; gv may be changed by discovery. */
struct kind_api {
	const char *group;          /* "" core */
	const char *version;
	bool cluster;
};

struct live;

/* Called for every object a request with a hook returns (before the sink sees it). */
typedef void (*live_item_fn)(struct live *l, enum kind k, int role, void *tag,
			     const struct json *obj);

struct live {
	struct kc_client *cl;
	const struct live_scope *scope;
	const struct source_sink *sink;
	struct live_result *res;
	struct kind_api api[K__COUNT];
	bool skip[K__COUNT];        /* not served by this cluster */
	bool have_groups;
	char *groups;               /* "group/version;" served, from /apis */
	/* targeted read (target.c) */
	live_item_fn on_item;
	void *tctx;
	bool not_served[K__COUNT];  /* a GET answered 404 for the resource itself */
	bool warned_legacy[K__COUNT];
};

/* One request of the targeted read: a GET of one object or a selector list. */
struct live_req_opts {
	const char *ns;             /* NULL: cluster scope / all namespaces */
	const char *name;           /* GET this object; NULL: list */
	const char *label;          /* labelSelector, NULL none */
	const char *field;          /* fieldSelector, NULL none */
	bool partial;               /* proves nothing about the kind (full read semantics) */
	bool targeted;              /* a 403 marks the kind forbidden; presence set by the caller */
	int role;                   /* handed to on_item */
	void *tag;                  /* handed to on_item */
	/*
	 * limit > 0: one page of at most limit items, never continued; *more
	 * (when not NULL) is set when the server had more (the list does not
	 * prove what it lacks).
	 */
	unsigned limit;
	bool *more;
};

/* Queue a GET or a paged LIST of kind k. */
void live_submit(struct live *l, enum kind k, const struct live_req_opts *o);

/* The named-Ingress read (target.c): after discovery, fills l->sink. */
int live_read_targeted(struct live *l, struct err *err);

#endif
