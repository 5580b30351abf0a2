/*
 * findings: what a diagnosis concludes, independent of how it is shown.
 *
 * A finding carries a catalogue id (docs/checks.md), a severity, the
 * object at fault, the ingresses it breaks, evidence, a one-line fix and
 * the kubectl commands that confirm it. The same problem reached twice
 * (a crash-looping pod behind two Ingress paths) is one finding with two
 * ingresses: finding_get() returns the existing one for the same
 * (id, kind, namespace, name, key).
 *
 * A diagnosis also keeps, per Ingress path, the chain
 * Ingress -> Service port -> endpoints -> pods -> nodes with a verdict per
 * hop (struct chain). Renderers (report/) only read these structures.
 *
 * All memory belongs to the struct diag arena; diag_release() frees it.
 */
#ifndef ID_FINDINGS_H
#define ID_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"
#include "../util/ktime.h"

enum severity { SEV_INFO = 0, SEV_WARNING = 1, SEV_ERROR = 2 };

/* "error" / "warning" / "info" */
const char *severity_name(enum severity s);

/* The hops of an Ingress path, in traffic order. */
enum hop {
	HOP_INGRESS = 0,   /* the Ingress object, its class and controller */
	HOP_SERVICE,       /* the backend Service and port */
	HOP_ENDPOINTS,     /* EndpointSlices / Endpoints */
	HOP_PODS,          /* the pods behind them */
	HOP_NODES,         /* the nodes hosting the pods */
	HOP__COUNT,
};

const char *hop_name(enum hop h);  /* "ingress", "service", ... */

struct strlist {
	const char **v;
	size_t n, cap;
};

struct finding {
	const char *id;              /* catalogue id, e.g. "pod-crashloop" */
	enum severity sev;
	enum hop hop;                /* the hop it breaks */
	const char *kind, *ns, *name;  /* object at fault; ns "" when cluster-scoped */
	const char *key;             /* discriminator (a port, a container), "" usually */
	const char *message;         /* one line; NULL until set */
	const char *fix;             /* one line; NULL until set */
	struct strlist ingresses;    /* "ns/name", in order of discovery, unique */
	struct strlist evidence;     /* unique lines */
	struct strlist commands;     /* unique kubectl commands */
	size_t seq;                  /* creation order */
	uint64_t hash;               /* of (id, kind, ns, name, key), for the index */
};

/* A hop of one chain: verdict and a short summary for the chain view. */
/* Ordered: a greater value is worse (chain_hop keeps the worst). */
enum verdict { V_UNKNOWN = 0, V_SKIPPED, V_OK, V_WARN, V_FAIL };

const char *verdict_name(enum verdict v);  /* "ok" "warn" "fail" "unknown" "skipped" */

struct hop_state {
	enum verdict verdict;        /* worst of the findings on this hop, or set explicitly */
	const char *text;            /* "Service shop/api:80 -> targetPort http (8080)" */
};

/* One Ingress path (rule path or default backend) and its chain. */
struct chain {
	const char *ns, *ingress;
	const char *host;            /* "" = any host */
	const char *path;            /* "" for the default backend */
	bool default_backend;
	const char *service;         /* backend Service name, "" for a resource backend */
	const char *port;            /* "8080" or "http" */
	struct hop_state hops[HOP__COUNT];
	struct finding **findings;   /* findings that touch this path */
	size_t nfindings, capfindings;
};

/* Path status: "ok", "degraded" (warnings only) or "broken" (an error). */
const char *chain_status(const struct chain *c);
/* Worst severity among the path's findings, -1 when none. */
int chain_worst(const struct chain *c);

/* Facts about the run the renderers show (skipped checks, counts). */
struct diag_note {
	const char *text;            /* "EndpointSlice objects are absent from the input: ..." */
};

struct diag {
	struct arena arena;
	struct finding **findings;   /* in creation order */
	size_t nfindings, capfindings;
	struct finding **slots;      /* open-addressing index for finding_get() */
	size_t nslots;               /* a power of two, kept above 2 * nfindings */
	uint64_t *links;             /* hash set of (finding, ingress) links made */
	size_t nlinks, caplinks;     /* caplinks: a power of two above 2 * nlinks */
	struct chain **chains;       /* in ingress then path order */
	size_t nchains, capchains;
	struct strlist notes;        /* checks that could not run, and why */
	ktime now;                   /* the snapshot's time */
	size_t ningresses;           /* Ingresses diagnosed */
};

void diag_init(struct diag *d);
void diag_release(struct diag *d);

/* printf into the diag's arena. */
const char *diag_printf(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *diag_strdup(struct diag *d, const char *s);

/*
 * The finding for (id, kind, ns, name, key), created when new. sev and hop
 * are set on creation; a later call with a higher severity raises it.
 * key may be NULL. Strings are copied.
 */
struct finding *finding_get(struct diag *d, const char *id, enum severity sev,
			    enum hop hop, const char *kind, const char *ns,
			    const char *name, const char *key);
/* Set the message/fix once (later calls are ignored), printf style. */
void finding_message(struct diag *d, struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void finding_fix(struct diag *d, struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Append unique evidence / commands (duplicates ignored). */
void finding_evidence(struct diag *d, struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void finding_command(struct diag *d, struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Tie the finding to an Ingress ("ns/name") and to a chain (either may be
 * NULL). Linking to a chain also raises the verdict of the finding's hop:
 * error -> fail, warning -> warn (info leaves it).
 */
void finding_link(struct diag *d, struct finding *f, const char *ing_ns,
		  const char *ing_name, struct chain *c);

/* A new chain, appended to d->chains. */
struct chain *chain_new(struct diag *d, const char *ns, const char *ingress,
			const char *host, const char *path, bool default_backend,
			const char *service, const char *port);
/* Set a hop's summary text (printf) and, if v is worse, its verdict. */
void chain_hop(struct diag *d, struct chain *c, enum hop h, enum verdict v,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Add a note (a check that could not run and why), unique. */
void diag_note(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Sort findings for output: severity desc, then id, ns, name, key. */
void diag_sort(struct diag *d);
/* Count findings by severity. */
void diag_counts(const struct diag *d, size_t *errors, size_t *warnings, size_t *infos);

#endif
