/*
 * check: the interface between the diagnosis engine and the checks.
 *
 * Checks are pure functions over the model: no I/O, no clock (the
 * snapshot's time is d->now), no globals. The engine (diagnose.c) walks
 * every Ingress in scope and each of its paths (rules, then the default
 * backend), fills a struct check_ctx and calls the checks in runbook
 * order. One file per runbook step:
 *
 *   ingress.c    ingress-* ids (the Ingress object, its class and controller)
 *   service.c    the backend Service and port (ingress-service-*, -externalname,
 *                -backend-protocol-mismatch)
 *   endpoints.c  service-* and endpoint* ids
 *   probes.c     readiness/liveness/probe-* ids
 *   pods.c       pod-* and rollout-no-prestop
 *   nodes.c      node-*
 *   network.c    netpol-blocks-controller (network.h; policies in src/netpol/)
 *   controller_checks.c  controller-* ids
 *
 * A check that needs a kind the input does not hold (m->present[k] false)
 * or could not read (m->forbidden[k]) does not guess: it leaves the hop
 * V_UNKNOWN / V_SKIPPED and adds a diag_note saying what could not run.
 */
#ifndef ID_CHECK_H
#define ID_CHECK_H

#include "../findings/findings.h"
#include "../model/model.h"
#include "../util/err.h"

struct check_ctx {
	const struct model *m;
	struct diag *d;
	const struct ingress *ing;
	/* All chains of this Ingress (findings about the Ingress as a whole link to each). */
	struct chain **ing_chains;
	size_t ning_chains;
	/* The path being checked; NULL during the Ingress-level checks. */
	struct chain *chain;
	const struct backend *backend;
	/* Filled by check_service(): the backend Service and port, NULL when missing. */
	const struct service *svc;
	const struct service_port *sport;
	/*
	 * Filled by the engine after check_service(): the pods the Service's
	 * selector matches in its namespace (any phase), in name order.
	 */
	const struct pod **pods;
	size_t npods;
	/* Filled by check_ingress(): the Ingress's class (explicit or default), or NULL. */
	const struct ingressclass *cls;
	/* Per-diagnosis memo owned by diagnose(), shared by every Ingress (see below). */
	struct check_cache *cache;
	/* Controller log statistics (finished), NULL without logs (logjoin.h). */
	const struct log_stats *logs;
};

struct controller_impl;
struct log_stats;

/*
 * The pods of controller ci serving IngressClass spec.controller cc, as
 * ci->find_pods() returns them (namespace/name order). Computed the first
 * time a (ci, cc) pair is asked for and kept in c->cache for the rest of
 * the diagnosis (find_pods scans every pod: once per Ingress would cost
 * Ingresses x pods). The array belongs to the cache: do not free it.
 */
size_t check_controller_pods(struct check_ctx *c, const struct controller_impl *ci,
			     const char *cc, const struct pod ***out);

/*
 * Get-or-create a finding and link it to the current Ingress and path
 * (or, with no current path, to every path of the Ingress).
 */
struct finding *check_finding(struct check_ctx *c, const char *id, enum severity sev,
			      enum hop hop, const char *kind, const char *ns,
			      const char *name, const char *key);

/* Ingress-level: class, controller presence, TLS secrets, deprecated API. */
void check_ingress(struct check_ctx *c);
/* The controller serving the Ingress's class: health, version (once per Ingress). */
void check_controller(struct check_ctx *c);
/* Path-level, in order. check_service sets c->svc / c->sport. */
void check_service(struct check_ctx *c);
void check_endpoints(struct check_ctx *c);
void check_probes(struct check_ctx *c);
void check_pods(struct check_ctx *c);
void check_nodes(struct check_ctx *c);

/* What to diagnose. */
struct scope {
	const char *ns;           /* NULL = every namespace */
	const char **names;       /* Ingress names ("name" or "ns/name"); none = all */
	size_t nnames;
	/* Controller logs to join with the cluster (finished log_stats), or NULL. */
	const struct log_stats *logs;
};

/*
 * Diagnose every Ingress in scope. Fails (ERR_INPUT) only when a named
 * Ingress is not in the model; an empty model is a diagnosis with notes.
 */
int diagnose(const struct model *m, const struct scope *s, struct diag *d,
	     struct err *err);

#endif
