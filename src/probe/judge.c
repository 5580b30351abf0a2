/*
 * judge: probe results -> findings (probe.h, checks.md section 5).
 *
 *   refused              connect-refused (error): nothing listens on IP:port; a
 *                        Ready pod that refuses is the FAQ's "Ready but not
 *                        serving" (bound to 127.0.0.1, or another port)
 *   timeout, unreachable connect-timeout (error); a timeout where nothing was
 *                        heard and the connect may have succeeded (through
 *                        the API server below its dial timeout, a pod
 *                        without nc) is worded as either
 *   5xx, reset, not HTTP connect-http-error (warning)
 *   no answer            connect-http-error (warning): connected, no HTTP
 *                        answer in time (the app hangs, or another protocol)
 *   probe failed / not run  a note (the 403 names the RBAC rule)
 *
 * With controller logs: a pod that answers the probe while the controller
 * logs refused or timed-out connects to it is upstream-connect-refused /
 * upstream-connect-timeout with the probe's conclusion: the cause lies
 * between the controller and the pod (NetworkPolicy, the controller's
 * node), not in the app.
 */
#include "probe.h"
#include "../findings/findings.h"
#include "../logs/classify.h"
#include "../logs/stats.h"
#include "../model/model.h"
#include "../util/buf.h"

#include <stdio.h>
#include <string.h>

#include "../util/banned.h"

const char *probe_outcome_name(enum probe_outcome o)
{
	switch (o) {
	case PO_NOT_RUN: return "not-run";
	case PO_OK: return "ok";
	case PO_REFUSED: return "refused";
	case PO_TIMEOUT: return "timeout";
	case PO_UNREACHABLE: return "unreachable";
	case PO_RESET: return "reset";
	case PO_HTTP_ERROR: return "http-error";
	case PO_NOT_HTTP: return "not-http";
	case PO_PROBE_FAILED: return "probe-failed";
	case PO_NO_ANSWER: return "no-answer";
	}
	return "unknown";
}

/* "10.1.2.3:8080", "[fd00::1]:8080" */
static void addr_text(char *out, size_t cap, const char *ip, int port)
{
	if (strchr(ip, ':'))
		snprintf(out, cap, "[%s]:%d", ip, port);
	else
		snprintf(out, cap, "%s:%d", ip, port);
}

/* The NetworkPolicies of the pod's namespace that select it for ingress: "a, b" or "". */
static const char *policies_for(const struct model *m, const struct pod *p, struct diag *d)
{
	struct buf b;
	const char *s;

	buf_init(&b, 0);
	for (size_t i = 0; i < m->nnetpols; i++) {
		const struct networkpolicy *np = &m->netpols[i];
		if (strcmp(np->meta.ns, p->meta.ns) || !np->ingress_type ||
		    !selector_matches(&np->pod_selector, &p->meta.labels))
			continue;
		buf_addf(&b, "%s%s", b.len ? ", " : "", np->meta.name);
	}
	s = diag_strdup(d, b.len ? b.p : "");
	buf_release(&b);
	return s;
}

/* "app 8080/TCP (http), sidecar 9090/TCP" into b. */
static void declared_ports(const struct pod *p, struct buf *b)
{
	for (uint32_t i = 0; i < p->ncontainers; i++) {
		const struct container *c = &p->containers[i];
		if (c->init && !c->sidecar)
			continue;
		for (uint32_t k = 0; k < c->nports; k++) {
			const struct container_port *cp = &c->ports[k];
			buf_addf(b, "%s%s %d/%s%s%s%s", b->len ? ", " : "", c->name, cp->port,
				 cp->protocol, *cp->name ? " (" : "", cp->name,
				 *cp->name ? ")" : "");
		}
	}
}

static const char *id_for(enum probe_outcome o, enum severity *sev)
{
	switch (o) {
	case PO_REFUSED:
		*sev = SEV_ERROR;
		return "connect-refused";
	case PO_TIMEOUT:
	case PO_UNREACHABLE:
		*sev = SEV_ERROR;
		return "connect-timeout";
	case PO_HTTP_ERROR:
	case PO_RESET:
	case PO_NOT_HTTP:
	case PO_NO_ANSWER:
		*sev = SEV_WARNING;
		return "connect-http-error";
	default:
		return NULL;
	}
}

static void link_all(struct diag *d, struct finding *f, const struct probe_target *t)
{
	for (size_t i = 0; i < t->ningresses; i++) {
		const char *s = t->ingresses[i], *slash = strchr(s, '/');
		char ns[256];
		size_t n;
		if (!slash)
			continue;
		n = (size_t)(slash - s) < sizeof(ns) - 1 ? (size_t)(slash - s) : sizeof(ns) - 1;
		memcpy(ns, s, n);
		ns[n] = '\0';
		finding_link(d, f, ns, slash + 1, NULL);
	}
}

static void pod_finding(const struct model *m, const struct probe_target *t,
			const struct probe_result *r, bool via_pod, struct diag *d)
{
	const struct pod *p = model_pod(m, t->ns, t->pod);
	enum severity sev = SEV_WARNING;
	const char *id = id_for(r->outcome, &sev);
	const char *how = via_pod ? "from the debug pod" : "through the API server";
	char addr[96], key[32];
	struct finding *f;

	if (!id)
		return;
	addr_text(addr, sizeof(addr), t->ip, t->port);
	snprintf(key, sizeof(key), "%d", t->port);
	f = finding_get(d, id, sev, HOP_PODS, "Pod", t->ns, t->pod, key);
	switch (r->outcome) {
	case PO_REFUSED:
		if (t->ready)
			finding_message(d, f, "Pod %s/%s is Ready but refuses connections on "
					"%s (target port of Service %s:%d): Ready but not serving",
					t->ns, t->pod, addr, t->service, t->service_port);
		else
			finding_message(d, f, "Pod %s/%s refuses connections on %s (target port "
					"of Service %s:%d): nothing listens there", t->ns, t->pod,
					addr, t->service, t->service_port);
		break;
	case PO_TIMEOUT:
	case PO_UNREACHABLE:
		if (r->outcome == PO_TIMEOUT && r->connect_unknown)
			finding_message(d, f, "Pod %s/%s at %s gave no sign %s within the "
					"probe's time: either connecting to it hangs or it accepted "
					"and does not answer (target port of Service %s:%d)", t->ns,
					t->pod, addr, how, t->service, t->service_port);
		else
			finding_message(d, f, "Connecting to Pod %s/%s at %s %s timed out or "
					"found no route (target port of Service %s:%d)", t->ns,
					t->pod, addr, how, t->service, t->service_port);
		break;
	case PO_NO_ANSWER:
		finding_message(d, f, "Pod %s/%s accepts connections on %s %s but sends no "
				"HTTP answer (target port of Service %s:%d)", t->ns, t->pod, addr,
				how, t->service, t->service_port);
		break;
	default:
		finding_message(d, f, "Pod %s/%s on %s %s: %s (target port of Service %s:%d)",
				t->ns, t->pod, addr, how,
				r->outcome == PO_HTTP_ERROR ? "answers with a server error"
				: r->outcome == PO_RESET
				? "closes or resets the connection without an answer"
				: "does not answer in HTTP as the controller speaks it",
				t->service, t->service_port);
		break;
	}
	if (r->ms >= 0)
		finding_evidence(d, f, "GET %s%s %s: %s (%.0f ms)", t->http_path,
				 t->https ? " over TLS" : "", how, r->detail, r->ms);
	else
		finding_evidence(d, f, "%s %s: %s", t->http_path, how, r->detail);
	if (r->outcome == PO_NO_ANSWER) {
		if (r->limit_s > 0)
			finding_evidence(d, f, "connected to %s, no HTTP answer within %.0f s", addr,
					 r->limit_s);
		else
			finding_evidence(d, f, "connected to %s, no HTTP answer in time", addr);
	}
	if (p) {
		struct buf b;
		buf_init(&b, 0);
		declared_ports(p, &b);
		finding_evidence(d, f, "pod %s: %s, node %s; containers declare %s", t->pod,
				 t->ready ? "Ready" : "not Ready", *t->node ? t->node : "(none)",
				 b.len ? b.p : "no ports");
		buf_release(&b);
	}
	switch (r->outcome) {
	case PO_REFUSED:
		finding_fix(d, f, "make the app listen on 0.0.0.0:%d (an app bound to "
			    "127.0.0.1 answers neither the controller nor this probe), or point "
			    "the Service's targetPort at the port it listens on", t->port);
		finding_command(d, f, "kubectl exec -n %s %s -- sh -c 'ss -ltn || netstat -ltn'",
				t->ns, t->pod);
		break;
	case PO_TIMEOUT:
	case PO_UNREACHABLE:
		if (r->outcome == PO_TIMEOUT && r->connect_unknown) {
			finding_fix(d, f, "tell the two apart: %s; if connecting hangs, check "
				    "NetworkPolicies selecting the pod, the CNI and the node %s; if "
				    "the app is silent, see whether it hangs (thread pool exhausted, "
				    "slow start)", via_pod ? "use an image with nc (busybox)"
				    : "rerun with --timeout past the API server's 30 s dial timeout, "
				    "or with --from-controller-namespace",
				    *t->node ? t->node : "hosting it");
			finding_command(d, f, "kubectl get networkpolicy -n %s", t->ns);
			finding_command(d, f, "kubectl logs -n %s %s --tail 100", t->ns, t->pod);
			break;
		}
		finding_fix(d, f, "check NetworkPolicies selecting the pod, the CNI and the "
			    "node %s: nothing answered on %s, not even a refusal",
			    *t->node ? t->node : "hosting it", addr);
		finding_command(d, f, "kubectl get networkpolicy -n %s", t->ns);
		if (*t->node)
			finding_command(d, f, "kubectl describe node %s", t->node);
		break;
	case PO_NO_ANSWER:
		finding_fix(d, f, "the app accepts connections but does not answer: see whether "
			    "it hangs (thread or worker pool exhausted, a deadlock, a slow start "
			    "still warming up) and whether port %d speaks what the Ingress's "
			    "backend-protocol says (GRPC, HTTPS, or plain HTTP when absent)",
			    t->port);
		finding_command(d, f, "kubectl logs -n %s %s --tail 100", t->ns, t->pod);
		finding_command(d, f, "kubectl top pod -n %s %s", t->ns, t->pod);
		break;
	case PO_NOT_HTTP:
		finding_fix(d, f, "make the Ingress's backend-protocol annotation match what "
			    "port %d speaks (HTTPS for a TLS port, absent for plain HTTP)",
			    t->port);
		break;
	default:
		finding_fix(d, f, "read the app's logs for the failing request on %s",
			    t->http_path);
		finding_command(d, f, "kubectl logs -n %s %s --tail 100", t->ns, t->pod);
		break;
	}
	finding_command(d, f, "kubectl get --raw /api/v1/namespaces/%s/pods/%s%s:%d/proxy%s",
			t->ns, t->https ? "https:" : "", t->pod, t->port, t->http_path);
	link_all(d, f, t);
}

static void service_finding(const struct probe_target *t, const struct probe_result *r,
			    bool via_pod, struct diag *d)
{
	enum severity sev = SEV_WARNING;
	const char *id = id_for(r->outcome, &sev);
	char key[32];
	struct finding *f;

	if (!id)
		return;
	snprintf(key, sizeof(key), "%d", t->service_port);
	f = finding_get(d, id, sev, HOP_SERVICE, "Service", t->ns, t->service, key);
	finding_message(d, f, "Service %s/%s port %d: %s (%s)", t->ns, t->service,
			t->service_port, probe_outcome_name(r->outcome), r->detail);
	if (via_pod)
		finding_evidence(d, f, "from the debug pod to ClusterIP %s:%d: %s (%.0f ms)",
				 *t->ip ? t->ip : "(none)", t->service_port, r->detail, r->ms);
	else
		finding_evidence(d, f, "through services/%s:%d/proxy (the API server dials one "
				 "ready endpoint, not the ClusterIP): %s (%.0f ms)", t->service,
				 t->service_port, r->detail, r->ms);
	finding_fix(d, f, "see the findings on the Service's pods; the Service forwards to them");
	finding_command(d, f, "kubectl get endpointslices -n %s -l kubernetes.io/service-name=%s "
			"-o wide", t->ns, t->service);
	link_all(d, f, t);
}

/* The controller logged failed connects to a pod that answers the probe. */
static void logs_disagree(const struct model *m, const struct probe_target *t,
			  const struct probe_result *r, const struct log_stats *logs,
			  bool via_pod, struct diag *d)
{
	const struct pod *p = model_pod(m, t->ns, t->pod);
	char addr[96], key[32];
	const struct ls_addr *a;
	uint64_t refused, timeout;
	const char *pols;
	struct finding *f;
	bool is_refused;

	if (!p || !logs)
		return;
	addr_text(addr, sizeof(addr), t->ip, t->port);
	a = log_stats_addr(logs, addr, strlen(addr));
	if (!a)
		return;
	refused = a->cls[LC_CONNECT_REFUSED] + a->cls[LC_CONNECT_RESET];
	timeout = a->cls[LC_CONNECT_TIMEOUT] + a->cls[LC_CONNECT_UNREACHABLE];
	if (!refused && !timeout)
		return;
	is_refused = refused >= timeout;
	snprintf(key, sizeof(key), "%d", t->port);
	f = finding_get(d, is_refused ? "upstream-connect-refused" : "upstream-connect-timeout",
			SEV_ERROR, HOP_PODS, "Pod", t->ns, t->pod, key);
	pols = policies_for(m, p, d);
	finding_message(d, f, "The controller's connections to Pod %s/%s at %s %s (%llu time(s)), "
			"yet the pod answers %s: the cause lies between the controller and the pod",
			t->ns, t->pod, addr, is_refused ? "were refused" : "timed out",
			(unsigned long long)(is_refused ? refused : timeout),
			via_pod ? "from the debug pod" : "through the API server");
	finding_evidence(d, f, "probe %s: %s (%.0f ms)", t->http_path, r->detail, r->ms);
	finding_evidence(d, f, "controller log, address %s: connect refused x%llu, reset x%llu, "
			 "timed out x%llu", addr, (unsigned long long)a->cls[LC_CONNECT_REFUSED],
			 (unsigned long long)a->cls[LC_CONNECT_RESET],
			 (unsigned long long)a->cls[LC_CONNECT_TIMEOUT]);
	if (*pols)
		finding_evidence(d, f, "NetworkPolicies selecting the pod: %s", pols);
	else
		finding_evidence(d, f, "no NetworkPolicy of namespace %s selects the pod", t->ns);
	finding_fix(d, f, "%s%s%s", *pols ? "admit the controller's pods in NetworkPolicy " : "",
		    pols, *pols ? "; else check" : "check the path from the controller's node "
		    "(node firewall, CNI) and whether the app accepts only some source addresses");
	finding_command(d, f, "kubectl get networkpolicy -n %s", t->ns);
	link_all(d, f, t);
}

void probe_judge(const struct model *m, const struct probe_plan *plan,
		 const struct probe_result *res, const struct log_stats *logs, bool via_pod,
		 struct diag *d)
{
	size_t failed = 0, not_run = 0;

	for (size_t i = 0; i < plan->n; i++) {
		const struct probe_target *t = &plan->t[i];
		const struct probe_result *r = &res[i];
		switch (r->outcome) {
		case PO_NOT_RUN:
			not_run++;
			continue;
		case PO_PROBE_FAILED:
			failed++;
			diag_note(d, "%s %s/%s: %s", t->pod ? "pod" : "Service", t->ns,
				  t->pod ? t->pod : t->service, r->detail);
			continue;
		case PO_OK:
			if (t->pod)
				logs_disagree(m, t, r, logs, via_pod, d);
			continue;
		default:
			break;
		}
		if (t->pod)
			pod_finding(m, t, r, via_pod, d);
		else
			service_finding(t, r, via_pod, d);
		if (r->outcome == PO_HTTP_ERROR && t->pod)
			logs_disagree(m, t, r, logs, via_pod, d);
	}
	if (not_run)
		diag_note(d, "%zu target(s) not probed (no IP, deadline or interruption)", not_run);
	if (failed)
		diag_note(d, "%zu probe(s) could not be made: their targets are neither healthy "
			  "nor broken as far as this run knows", failed);
}
