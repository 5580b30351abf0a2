/*
 * source: the interface every source (files, live API, logs) feeds.
 *
 * A source turns the world into Kubernetes objects, one at a time, and
 * hands each to a sink. It never interprets an object beyond finding its
 * kind: that is the model decoder's job (model/model.h). The same sink
 * is fed by the file reader (source/files.h) and, later, the live client.
 */
#ifndef ID_SOURCE_H
#define ID_SOURCE_H

#include "../json/json.h"
#include "../util/err.h"
#include "../util/warn.h"

/* One object handed to the sink. Pointers are valid only during the call. */
struct src_obj {
	const struct json *obj;     /* the object itself */
	const char *kind;           /* "Pod", "Ingress", ... (from the object or its typed list) */
	const char *api_version;    /* "v1", "networking.k8s.io/v1", ... ("" if unknown) */
	const char *file;           /* where it came from, for messages ("-" = stdin) */
	unsigned line;              /* 1-based line of the object's start, 0 if unknown */
	size_t index;               /* position of the item in its list, or 0 */
};

struct source_sink {
	void *ctx;
	/* Called for every object. Returning -1 (with err set) stops the read. */
	int (*object)(void *ctx, const struct src_obj *o, struct err *err);
	/*
	 * Called when the input proves that a kind was collected, even when no
	 * object of it exists: a typed list ("IngressList" with no items) or a
	 * cluster-info dump file. A kubectl "List" proves nothing about kinds
	 * it holds no items of (absent is not empty).
	 */
	void (*kind_seen)(void *ctx, const char *kind);
	/*
	 * Called for a container log found beside the objects (cluster-info
	 * dump "<ns>/<pod>/logs.txt"); container may be NULL when the file
	 * holds several containers' logs. May be NULL: logs are then ignored.
	 */
	int (*log)(void *ctx, const char *ns, const char *pod, const char *path,
		   struct err *err);
	struct warnings *warn;      /* where non-fatal problems go */
};

#endif
