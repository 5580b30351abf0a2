/*
 * probe: active checks of the last hops of an Ingress path (issue 5 part
 * 2, `ingress-doctor probe`): does each backend pod, and the Service,
 * answer on the port the controller uses?
 *
 * Two ways to reach them, both live only and both filling the same
 * results:
 *   - through the API server's proxy subresources (probe_apiserver(),
 *     proxy.c): GET /api/v1/namespaces/NS/pods/[https:]NAME:PORT/proxy/PATH
 *     and .../services/[https:]NAME:PORT/proxy/PATH; read-only;
 *   - from a short-lived debug pod in the controller's namespace
 *     (probe_debugpod(), debugpod.c): the runbook's curl pod; it writes
 *     to the cluster (create, then delete, also on Ctrl-C, timeout or
 *     error) and so runs only when asked and confirmed.
 *
 * Targets come from the model of the cluster (probe_plan(), plan.c):
 * one per (Ingress path, backend pod, resolved target port) plus one for
 * the Service's ClusterIP:port. Results become the findings
 * connect-refused, connect-timeout and connect-http-error (judge.c).
 */
#ifndef ID_PROBE_H
#define ID_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../util/err.h"

struct kc_client;
struct model;

/* One thing to try. Strings point into the model (or the plan's arena). */
struct probe_target {
	const char *ingress_ns, *ingress_name;  /* the Ingress whose path leads here */
	const char *host, *path;                /* the rule's host ("" any) and path */
	const char *ns;                         /* namespace of the Service and pods */
	const char *service;                    /* backend Service name */
	int service_port;                       /* the Service port number */
	const char *service_port_name;          /* its name, "" none */
	const char *pod;                        /* pod name; NULL: the Service (ClusterIP) */
	const char *node;                       /* pod's node, "" unknown */
	const char *ip;                         /* pod IP, or the ClusterIP; "" none known */
	int port;                               /* target port on the pod (resolved), or the
						 * Service port for the Service target */
	bool https;                             /* backend-protocol HTTPS/GRPCS: speak TLS */
	const char *http_path;                  /* path to GET: the readiness probe's httpGet
						 * path on that port, else "/" */
	bool ready;                             /* pod Ready (Service target: has ready endpoints) */
	/* added by PR1: every Ingress ("ns/name") whose paths lead here (deduplicated targets) */
	const char **ingresses;
	size_t ningresses;
};

enum probe_outcome {
	PO_NOT_RUN = 0,     /* not tried (no IP, deadline reached, interrupted) */
	PO_OK,              /* connected and an HTTP answer below 500 */
	PO_REFUSED,         /* connection refused: nothing listens on that IP:port */
	PO_TIMEOUT,         /* connecting timed out: policy, firewall, CNI, dead node; or,
			     * with connect_unknown, nothing came back in time and whether
			     * the connection was made is unknown */
	PO_UNREACHABLE,     /* no route to host / host unreachable */
	PO_RESET,           /* connected, then reset or closed without an answer */
	PO_HTTP_ERROR,      /* an HTTP answer of 500 or more from the pod itself */
	PO_NOT_HTTP,        /* an answer that is not HTTP (a TLS server asked in plain,
			     * plain HTTP asked in TLS, another protocol) */
	PO_PROBE_FAILED,    /* the probe could not be made (403 on the proxy subresource,
			     * debug pod not scheduled, ...): detail says why */
	PO_NO_ANSWER,       /* connected, but no HTTP answer within the time allowed: the
			     * app hangs (thread pool exhausted, slow start) or waits for
			     * another protocol */
};

struct probe_result {
	enum probe_outcome outcome;
	int http_status;          /* when an HTTP answer came, else 0 */
	double ms;                /* time to the outcome, -1 unknown */
	char detail[256];         /* the evidence in the words of the proxy or the tool
				   * ("dial tcp 10.1.2.3:8080: connect: connection refused",
				   * "HTTP 503", "TLS handshake: wrong version number") */
	double limit_s;           /* PO_NO_ANSWER, PO_TIMEOUT: the time allowed that ran
				   * out, 0 unknown */
	bool connect_unknown;     /* PO_TIMEOUT: our own limit ran out with nothing heard,
				   * so a connect that hangs and a pod that accepted and
				   * stays silent look alike (through the API server, whose
				   * dial timeout is longer; from a pod without nc) */
};

/* ---- the plan (plan.c) ---- */

struct probe_plan {
	struct probe_target *t;   /* malloc'ed array */
	size_t n;
	void *mem;                /* the plan's own storage (arena), internal */
};

/*
 * Targets for the Ingresses in scope of m: ns NULL means every namespace;
 * names (NAME in ns, or NS/NAME) narrows to those Ingresses (none: all).
 * Returns 0, or -1 with err (ERR_USAGE: a named Ingress does not exist).
 */
int probe_plan(const struct model *m, const char *ns, const char *const *names, size_t nnames,
	       struct probe_plan *plan, struct err *err);
void probe_plan_release(struct probe_plan *plan);

/* ---- through the API server (proxy.c) ---- */

struct probe_opts {
	double timeout_s;         /* per target, e.g. 5 */
	double dial_timeout_s;    /* the API server's dial timeout to assume; 0:
				   * PROBE_APISERVER_DIAL_TIMEOUT_S */
	unsigned concurrency;     /* at most this many in flight, e.g. 16 */
	volatile const int *stop; /* Ctrl-C flag, NULL none */
};

/*
 * kube-apiserver's proxy transport (cmd/kube-apiserver/app/server.go
 * CreateProxyTransport) sets no dialer of its own, so
 * apimachinery's utilnet.SetTransportDefaults gives it the one of Go's
 * http.DefaultTransport: net.Dialer{Timeout: 30 s}. It sets no
 * ResponseHeaderTimeout, and the proxy subresource is a long-running
 * request (no server-side request timeout). An egress selector
 * (konnectivity) replaces the dialer and its timeout.
 */
#define PROBE_APISERVER_DIAL_TIMEOUT_S 30.0

/*
 * What our own per-target limit of timeout_s running out through the API
 * server means, the API server having said nothing: when the limit is past
 * the API server's dial timeout (dial_timeout_s, 0: the default) by a
 * second, a failed dial would have been reported, so the pod accepted the
 * connection and did not answer (PO_NO_ANSWER); otherwise it is PO_TIMEOUT
 * with connect_unknown. Fills res (outcome, limit_s, connect_unknown,
 * detail; http_status 0).
 */
void probe_proxy_expired(double timeout_s, double dial_timeout_s, struct probe_result *res);

/*
 * Probe every target through the API server's proxy subresources, in
 * parallel (bounded), within cl's deadline. res has plan->n entries.
 * Returns 0 (each result says what happened), or -1 with err for a
 * failure of the API server itself or an interruption.
 */
int probe_apiserver(struct kc_client *cl, const struct probe_plan *plan,
		    const struct probe_opts *o, struct probe_result *res, struct err *err);

/* ---- from a debug pod (debugpod.c) ---- */

struct probe_debugpod_opts {
	const char *ns;           /* namespace to run in: the controller's */
	const char *image;        /* container image; NULL: the default (busybox) */
	double timeout_s;         /* whole run: schedule, run, read logs */
	double target_timeout_s;  /* per connection attempt inside the pod */
	volatile const int *stop; /* Ctrl-C flag: stop waiting, delete the pod, return */
	FILE *progress;           /* one line per step (created, running, deleted), or NULL */
	char pod_name[64];        /* out: the name the pod was created with */
	bool deleted;             /* out: the pod was deleted (or never created) */
};

/*
 * The time a debug pod run may take (probe_debugpod_opts.timeout_s) for
 * ntargets targets at target_timeout_s each: 60 s to schedule, pull and
 * read the log, plus, per batch of targets run at once inside the pod, a
 * TCP connect and up to two HTTP GETs of T + 1 s each (T the per-target
 * limit rounded up to whole seconds, as the script uses it).
 */
double probe_debugpod_budget(size_t ntargets, double target_timeout_s);

/*
 * Create the debug pod in o->ns, wait for it to finish, read its report
 * from its log into res (plan->n entries), and delete it, whatever
 * happened in between (error, timeout, *o->stop). m is used to say which
 * NetworkPolicies select the debug pod (written to o->progress). Returns
 * 0, or -1 with err (a 403 names the missing permission: create/delete
 * pods, get pods/log in o->ns; ERR_INTERRUPTED after Ctrl-C, the pod
 * being deleted all the same).
 */
int probe_debugpod(struct kc_client *cl, const struct model *m, const struct probe_plan *plan,
		   struct probe_debugpod_opts *o, struct probe_result *res, struct err *err);

/*
 * Added by PR1. Classify one answer of the API server to a proxy request
 * (status != 0: an HTTP answer reached us) into res (outcome, http_status,
 * detail; ms is left alone). The API server's own failures are Status
 * objects (kind Status, code equal to the HTTP status) with known
 * messages: 503 "error trying to reach service: <Go dial/read error>"
 * (k8s.io/apimachinery/pkg/util/proxy/transport.go), 403 Forbidden (RBAC:
 * get on resource, "pods/proxy" or "services/proxy"), 404 NotFound, 400
 * "address not allowed", 503 "no endpoints available for service". Any
 * other answer came from the pod: below 500 PO_OK, else PO_HTTP_ERROR,
 * except the answers TLS servers give to plain HTTP (PO_NOT_HTTP).
 */
void probe_classify_answer(long status, const char *body, size_t len, const char *resource,
			   struct probe_result *res);

/*
 * Added by PR1. Classify the text of a Go dial/read error as the API
 * server words it ("dial tcp 10.1.2.3:8080: connect: connection refused")
 * into an outcome: PO_REFUSED, PO_TIMEOUT, PO_UNREACHABLE, PO_RESET,
 * PO_NOT_HTTP, or PO_PROBE_FAILED when unknown.
 */
enum probe_outcome probe_classify_text(const char *msg);

/* ---- judging (judge.c) ---- */

/* "refused", "timeout", ... for output. */
const char *probe_outcome_name(enum probe_outcome o);

struct diag;
struct log_stats;

/*
 * Added by PR1. Turn results into findings in d: connect-refused and
 * connect-timeout (error), connect-http-error (warning, also for reset,
 * no answer and not-HTTP answers) on the Pod, or on the Service for its
 * target; evidence (the proxy's words, ms), fix, kubectl commands; linked
 * to the Ingresses of each target. logs (finished, or NULL): controller
 * log refusals for pods that answer point between the controller and the
 * pod. via_pod: the results came from the debug pod (wording).
 */
void probe_judge(const struct model *m, const struct probe_plan *plan,
		 const struct probe_result *res, const struct log_stats *logs, bool via_pod,
		 struct diag *d);

#endif
