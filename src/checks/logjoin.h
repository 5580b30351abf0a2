/*
 * logjoin: controller logs joined with the cluster (diagnose --logs,
 * checks.md section 6).
 *
 * The log analyser (src/logs/) names backends by ingress-nginx upstream
 * names ("<namespace>-<service>-<port>") and peers by address. Here each
 * upstream name is tied to its Service and port, each address to its pod,
 * and the log findings are re-pointed onto those objects and linked to
 * the Ingress paths that route there, so the chain view shows them. The
 * join adds the findings that need both sides: pods-ready-not-serving,
 * upstream-unknown-endpoint, log evidence on rollout-no-prestop, and the
 * controller configuration findings (controller-config-retries,
 * controller-config-connect-timeout), which need log evidence and so
 * never fire without logs.
 */
#ifndef ID_LOGJOIN_H
#define ID_LOGJOIN_H

#include <stdbool.h>

#include "check.h"

/* An upstream name resolved against the model's Services. */
struct upstream_ref {
	const struct service *svc;          /* NULL: no Service matches */
	const struct service_port *sport;   /* NULL: the port part names no port of svc */
	const char *port;                   /* the port part, pointing into the name */
};

/*
 * Resolve "<namespace>-<service>-<port>" (names and namespaces may hold
 * '-'; the port is a number or a port name, as the Ingress backend wrote
 * it). Every split is tried against the model's Services, the longest
 * namespace+service first. A split an Ingress backend of the model routes
 * to (same namespace, Service and port text) wins, then one whose port
 * part names a port of the Service, then any existing Service; among
 * equals the longest namespace+service, then the shortest namespace.
 * Returns true when a Service matched.
 */
bool logjoin_upstream(const struct model *m, const char *name, struct upstream_ref *out);

/* What an upstream address is in the cluster. */
enum addr_state {
	AS_CURRENT = 0,     /* a pod has the IP and is not terminating */
	AS_TERMINATING,     /* a pod has the IP and has a deletionTimestamp */
	AS_SERVICE_IP,      /* a Service's ClusterIP (service-upstream) */
	AS_GONE,            /* Pods are in the input and none has the IP */
	AS_UNKNOWN,         /* Pods are not in the input: never known */
};

const char *addr_state_name(enum addr_state s);   /* "current", "terminating", ... */

struct addr_ref {
	enum addr_state state;
	const struct pod *pod;   /* AS_CURRENT / AS_TERMINATING */
	bool endpoint;           /* the IP is an endpoint of svc (any condition) */
	bool ready;              /* ... a ready one */
};

/*
 * The IP ("10.244.0.21", "fd00::1", no port) as seen from Service svc
 * (may be NULL: endpoint/ready are then false).
 */
void logjoin_addr(const struct model *m, const struct service *svc, const char *ip,
		  struct addr_ref *out);

/*
 * "10.244.0.21:8080" -> "10.244.0.21", "[fd00::1]:80" -> "fd00::1" into
 * out; false when the address is no IP (unix socket, upstream group name).
 */
bool logjoin_addr_ip(const char *addr, char *out, size_t outlen);

/*
 * The join, once per diagnosis after every Ingress was walked (c->d holds
 * the chains; c->logs the finished statistics, NULL: nothing to do).
 * scoped: a namespace or names narrowed the diagnosis, so log findings
 * about backends no diagnosed path routes to are left out.
 */
void check_logs(struct check_ctx *c, bool scoped);

#endif
