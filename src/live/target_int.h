/*
 * target_int: the state of the named-Ingress read (target.c, the rounds
 * of requests) shared with target_items.c (what each answered object
 * adds to that state). Internal to src/live/; not an API.
 */
#ifndef ID_TARGET_INT_H
#define ID_TARGET_INT_H

#include "live_int.h"

enum role {
	R_NONE,
	R_INGRESS,
	R_SERVICE,       /* tag: struct tsvc */
	R_BACKEND_POD,   /* tag: struct tsvc */
	R_CTL_POD,       /* found by a controller label */
	R_ANY_POD,       /* the whole cluster's pods (no labelled controller) */
	R_NS_POD,        /* every pod of a namespace */
	R_CLASS,
	R_SLICES,        /* tag: struct tsvc */
	R_ENDPOINTS,     /* tag: struct tsvc or NULL (a namespace's page) */
	R_NODE,          /* the nodes of a hostname label list */
	R_NETPOL,
};

/* Names that fit a label value (node names are DNS subdomains: the length decides). */
#define LABEL_VALUE_MAX 63
/* at most this many values in one "in (...)" selector */
#define SET_MAX 50

struct pair {
	char *ns, *name;
};

struct pairs {
	struct pair *v;
	size_t n, cap;
};

struct tsvc {
	char *ns, *name;
	bool found;
	bool have_ep;            /* its Endpoints object was read */
	bool want_ns_pods;       /* no selector: pods named by endpoints */
	char *selector;          /* "k=v,k2=v2", NULL none */
	size_t npods;
	size_t nslices;
};

/* A namespace of backend Services: one page of its Services and Endpoints. */
struct tns {
	char *ns;
	size_t n;                /* backend Services in it */
	bool more_svc, more_ep;  /* the page did not hold every object */
};

struct target {
	struct live *l;
	struct tsvc **svcs;
	size_t nsvcs, capsvcs;
	struct tns **tns;
	size_t ntns, captns;
	struct pairs secrets, nodes, nss, cms, svc_ns, pod_ns, slice_ns, nodes_seen;
	size_t nss_done, cms_done;   /* entries already asked for */
	bool any_netpol;
	size_t nctl;
	/* the Ingresses, classes and labelled controller pods: is a controller found? */
	struct model scratch;
	struct warnings scratch_warn;
};

/* Add (ns, name) unless present or name is empty; true when added. */
bool tg_pairs_add(struct pairs *p, const char *ns, const char *name);
void tg_pairs_release(struct pairs *p);

/*
 * Must every pod of the cluster be read to find the controller? Not when
 * each Ingress names (or defaults to) an IngressClass whose in-cluster
 * controller has a pod among those found by label; otherwise (an
 * unlabelled controller, a class-less Ingress) a missing pod must not
 * become "no controller". Finishes the scratch model.
 */
bool tg_need_all_pods(struct target *t);

/* The live read's hook (live_item_fn): every object of a targeted request. */
void tg_on_item(struct live *l, enum kind k, int role, void *tag, const struct json *o);

#endif
