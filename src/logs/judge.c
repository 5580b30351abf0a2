/*
 * judge: log statistics -> findings (judge.h). The decision rules, the
 * keep-alive heuristic included, are described in docs/checks.md
 * section 6 and in the comments below.
 */
#include "judge.h"

#include <stdio.h>
#include <string.h>

#include "../util/banned.h"

struct idspec {
	const char *id;
	enum severity sev;
	enum hop hop;
	const char *what;          /* "<count> <what>" in the message */
	const char *fix;
};

static const struct idspec specs[] = {
	{ "upstream-connect-refused", SEV_ERROR, HOP_PODS,
	  "connection(s) failed at connect (refused, reset or unreachable)",
	  "make the app listen on its target port on 0.0.0.0, not 127.0.0.1; check targetPort, "
	  "restarts and readiness; add a preStop sleep when it happens during rollouts" },
	{ "upstream-connect-timeout", SEV_ERROR, HOP_PODS,
	  "connect(s) timed out (SYNs unanswered)",
	  "let the controller reach the pods: check NetworkPolicies, security groups and "
	  "firewalls between nodes, and the nodes hosting the pods" },
	{ "upstream-read-timeout", SEV_WARNING, HOP_PODS,
	  "response(s) timed out (the app answered slower than proxy-read-timeout)",
	  "speed up the slow endpoint, or raise nginx.ingress.kubernetes.io/proxy-read-timeout "
	  "for its paths" },
	{ "upstream-premature-close", SEV_WARNING, HOP_PODS,
	  "connection(s) closed or reset by the upstream before the response header",
	  "look for restarts and OOM kills of the backend; make the app's keep-alive idle "
	  "timeout longer than the controller's upstream-keepalive-timeout (60 s)" },
	{ "upstream-header-too-big", SEV_ERROR, HOP_INGRESS,
	  "response(s) with headers too big for proxy-buffer-size",
	  "raise nginx.ingress.kubernetes.io/proxy-buffer-size to \"16k\" or more (or the "
	  "ConfigMap key proxy-buffer-size)" },
	{ "upstream-ssl-error", SEV_ERROR, HOP_SERVICE,
	  "TLS handshake(s) to the upstream failed",
	  "align nginx.ingress.kubernetes.io/backend-protocol with what the port speaks "
	  "(HTTPS only for TLS ports); check the proxy-ssl-* settings" },
	{ "no-live-upstreams", SEV_ERROR, HOP_ENDPOINTS,
	  "request(s) found no live upstream (every peer marked failed)",
	  "fix the backend pods (every peer failed) and check that the Service has ready "
	  "endpoints" },
	{ "service-no-ready-endpoints", SEV_ERROR, HOP_ENDPOINTS,
	  "request(s) answered 503 without contacting any upstream (no endpoints)",
	  "make the Service's pods ready or fix its selector; the 503s stop once it has ready "
	  "endpoints" },
	{ "ingress-backend-protocol-mismatch", SEV_ERROR, HOP_SERVICE,
	  "response(s) in another protocol than the one nginx speaks (gRPC to an HTTP/1 "
	  "server, HTTP to a TLS or non-HTTP port)",
	  "set nginx.ingress.kubernetes.io/backend-protocol to what the backend speaks: GRPC only "
	  "for a cleartext HTTP/2 gRPC server, GRPCS for TLS, HTTP or HTTPS otherwise" },
};

#define NSPECS (sizeof(specs) / sizeof(specs[0]))

/*
 * May class c count for spec id here? Access classes only when the object
 * has no error-log class (have_err false): the error log names the cause.
 */
static bool counts_for(int c, const char *id, bool have_err)
{
	const struct log_class_info *ci = log_class_info(c);

	if (!ci->id || strcmp(ci->id, id))
		return false;
	if (log_class_is_access(c) && have_err && c != LC_A_NO_ENDPOINTS)
		return false;
	return true;
}

static void pct(char *out, size_t n, uint64_t part, uint64_t whole)
{
	double v = whole ? 100.0 * (double)part / (double)whole : 0;

	if (!whole)
		snprintf(out, n, "-");
	else if (v >= 10 || v == 0)
		snprintf(out, n, "%.0f%%", v);
	else if (v >= 0.1)
		snprintf(out, n, "%.1f%%", v);
	else
		snprintf(out, n, "%.2g%%", v);
}

/* "10.244.0.21:8080" -> "10.244.0.21"; "[fd00::1]:80" -> "fd00::1"; NULL for unix: */
static const char *addr_ip(struct diag *d, const char *a)
{
	const char *c;

	if (!strncmp(a, "unix:", 5))
		return NULL;
	if (a[0] == '[') {
		c = strchr(a, ']');
		return c ? diag_printf(d, "%.*s", (int)(c - a - 1), a + 1) : NULL;
	}
	c = strrchr(a, ':');
	return c ? diag_printf(d, "%.*s", (int)(c - a), a) : a;
}

static void sample_evidence(struct diag *d, struct finding *f, const struct ls_sample *sm)
{
	if (sm->text)
		finding_evidence(d, f, "%s:%llu: %s", strcmp(sm->file, "-") ? sm->file : "stdin",
				 (unsigned long long)sm->line, sm->text);
}

/* Evidence and commands for the addresses of upstream name (at most 5). */
static void address_evidence(const struct log_stats *s, struct diag *d, struct finding *f,
			     const char *name, const char *id, bool have_err)
{
	size_t shown = 0;

	for (size_t i = 0; i < s->naddr && shown < 5; i++) {
		const struct ls_addr *a = s->addr_sorted[i];
		uint64_t n = 0;
		const char *ip;
		if (!a->upstream || strcmp(a->upstream, name))
			continue;
		for (int c = 1; c < LC__COUNT; c++)
			if (counts_for(c, id, have_err))
				n += a->cls[c];
		if (!n && !a->failed)
			continue;
		finding_evidence(d, f, "address %s: %llu error-log line(s) of this kind, %llu of "
				 "%llu attempts failed without a response", a->addr,
				 (unsigned long long)n, (unsigned long long)a->failed,
				 (unsigned long long)a->attempts);
		ip = addr_ip(d, a->addr);
		if (ip && shown < 3)
			finding_command(d, f, "kubectl get pods -A -o wide --field-selector "
					"status.podIP=%s", ip);
		shown++;
	}
}

static void emit(const struct log_stats *s, struct diag *d, const struct idspec *sp,
		 const char *kind, const char *ns, const char *name, const uint64_t *cls,
		 const struct ls_sample *samples, const struct ls_upstream *u, bool have_err)
{
	struct finding *f;
	uint64_t total = 0;
	int nsamples = 0;

	for (int c = 1; c < LC__COUNT; c++)
		if (counts_for(c, sp->id, have_err))
			total += cls[c];
	if (!total)
		return;
	f = finding_get(d, sp->id, sp->sev, sp->hop, kind, ns, name, NULL);
	if (u && u->requests) {
		char p[32];
		pct(p, sizeof(p), ls_5xx(u), u->requests);
		finding_message(d, f, "%s %s: %llu %s; %llu of %llu requests got a 5xx (%s)",
				kind, *name ? name : "-", (unsigned long long)total, sp->what,
				(unsigned long long)ls_5xx(u), (unsigned long long)u->requests, p);
	} else {
		finding_message(d, f, "%s %s%s%s: %llu %s", kind, ns, *ns ? "/" : "",
				*name ? name : "-", (unsigned long long)total, sp->what);
	}
	for (int c = 1; c < LC__COUNT; c++) {
		const struct log_class_info *ci = log_class_info(c);
		if (!cls[c] || !counts_for(c, sp->id, have_err))
			continue;
		finding_evidence(d, f, "%s x%llu (%s): %s", ci->name, (unsigned long long)cls[c],
				 log_class_is_access(c) ? "access log" : "error log", ci->what);
	}
	if (u)
		address_evidence(s, d, f, u->name, sp->id, have_err);
	for (int c = 1; c < LC__COUNT && nsamples < 2; c++)
		if (cls[c] && counts_for(c, sp->id, have_err) && samples[c].text) {
			sample_evidence(d, f, &samples[c]);
			nsamples++;
		}
	if (!strcmp(sp->id, "service-no-ready-endpoints"))
		finding_evidence(d, f, "note: rate limits (limit-req/limit-conn) and denied "
				 "locations also answer 503 without contacting an upstream");
	finding_fix(d, f, "%s", sp->fix);
	if (!strcmp(kind, "Address")) {
		const char *ip = addr_ip(d, name);
		if (ip)
			finding_command(d, f, "kubectl get pods -A -o wide --field-selector "
					"status.podIP=%s", ip);
	}
}

/*
 * Failed attempts of u no slower than the fastest tenth of its answered
 * attempts (bucketed, ls_tbucket): "failed before the app could have
 * answered". *timed is set to the failed attempts with a time; 0 when
 * fewer than 20 answered attempts give no distribution.
 */
static uint64_t fast_failures(const struct ls_upstream *u, uint64_t *timed, long *p10_ms)
{
	uint64_t ok = 0, run = 0, fast = 0;
	unsigned b = 0;

	*timed = 0;
	*p10_ms = 0;
	for (unsigned k = 0; k < LS_TBUCKETS; k++) {
		ok += u->t_ok[k];
		*timed += u->t_fail[k];
	}
	if (ok < 20)
		return 0;
	for (b = 0; b < LS_TBUCKETS - 1; b++) {
		run += u->t_ok[b];
		if (run * 10 >= ok)
			break;
	}
	for (unsigned k = 0; k <= b; k++)
		fast += u->t_fail[k];
	*p10_ms = ls_tbucket_max(b);
	return fast;
}

/*
 * keepalive-timeout-mismatch: the app closed an idle keep-alive connection
 * just as nginx reused it. Needs the error log (access lines alone cannot
 * tell a refused connect from a closed connection):
 *   - the upstream's error-log failures are mostly premature closes, resets
 *     and broken pipes (at least half);
 *   - they are intermittent: 5xx on under 20% of at least 20 requests (an
 *     app that crashes on every request, or a TLS-to-plain mistake, fails
 *     them all);
 *   - and the logs show connection reuse, not a failing app, in a way that
 *     does not depend on the machine's speed (times are compared with the
 *     same upstream's own, never with a fixed number of ms):
 *     (a) at least 2 failed attempts were retried on the SAME address, which
 *         answered no slower than the failure took: the peer was alive, its
 *         connection was not. nginx grants an extra try when the failed
 *         connection came from the keep-alive cache (ngx_http_upstream_next:
 *         u->peer.cached && NGX_HTTP_UPSTREAM_FT_ERROR -> tries++), which is
 *         why even a single-server upstream retries there; or
 *     (b) at least 80% of the failed attempts failed no slower than the
 *         fastest tenth of the upstream's answered attempts: the close was
 *         already on the wire, no request was processed (an app crashing
 *         mid-request fails after its handling time).
 * $upstream_connect_time cannot help: nginx sets it when the request is
 * first sent, so a reused connection reads ~0, like a fresh one on a LAN.
 */
static void keepalive(struct diag *d, const struct ls_upstream *u)
{
	uint64_t early = u->cls[LC_PREMATURE_CLOSE] + u->cls[LC_RESET] + u->cls[LC_BROKEN_PIPE];
	uint64_t errs = 0, timed, fast;
	long p10;
	bool reuse, quick;
	struct finding *f;
	char p5[32], pf[32];

	for (int c = 1; c < LC__COUNT; c++)
		if (!log_class_is_access(c) && log_class_info(c)->status)
			errs += u->cls[c];
	if (!early || early * 2 < errs || u->requests < 20 || !u->failed)
		return;
	if (ls_5xx(u) * 5 >= u->requests)
		return;
	fast = fast_failures(u, &timed, &p10);
	reuse = u->same_retry >= 2;
	quick = timed && fast * 10 >= timed * 8;
	if (!reuse && !quick)
		return;
	pct(p5, sizeof(p5), ls_5xx(u), u->requests);
	pct(pf, sizeof(pf), fast, timed);
	f = finding_get(d, "keepalive-timeout-mismatch", SEV_WARNING, HOP_PODS, "Upstream", "",
			u->name, NULL);
	finding_message(d, f, "Upstream %s: %llu premature close(s)/reset(s) on reused "
			"connections of an otherwise healthy upstream (5xx on %s of requests): the "
			"app closes idle keep-alive connections before nginx does", u->name,
			(unsigned long long)early, p5);
	finding_evidence(d, f, "premature-close x%llu, reset x%llu, broken-pipe x%llu (error log)",
			 (unsigned long long)u->cls[LC_PREMATURE_CLOSE],
			 (unsigned long long)u->cls[LC_RESET],
			 (unsigned long long)u->cls[LC_BROKEN_PIPE]);
	if (u->same_retry)
		finding_evidence(d, f, "%llu failed attempt(s) were retried on the same address, "
				 "which answered at once: the pod was serving, the reused "
				 "connection was closed (nginx grants an extra try for a cached "
				 "keep-alive connection)", (unsigned long long)u->same_retry);
	if (timed && fast)
		finding_evidence(d, f, "%llu of %llu failed attempts (%s) failed no slower "
				 "than the fastest tenth of this upstream's answers (<= %ld ms): "
				 "the close was already on the wire, no request was processed",
				 (unsigned long long)fast, (unsigned long long)timed, pf, p10);
	finding_evidence(d, f, "%llu of %llu requests got a 5xx (%s): intermittent",
			 (unsigned long long)ls_5xx(u), (unsigned long long)u->requests, p5);
	if (u->cls[LC_A_RECOVERED])
		finding_evidence(d, f, "%llu request(s) failed once and succeeded on a retry",
				 (unsigned long long)u->cls[LC_A_RECOVERED]);
	if (u->nonidem)
		finding_evidence(d, f, "%llu POST/PATCH request(s) got 502 without a retry (nginx "
				 "does not retry non-idempotent requests once sent)",
				 (unsigned long long)u->nonidem);
	finding_fix(d, f, "raise the app's keep-alive idle timeout above the controller's "
		    "upstream-keepalive-timeout (60 s), e.g. Node.js server.keepAliveTimeout = "
		    "65000, gunicorn --keep-alive 65; or lower upstream-keepalive-timeout in the "
		    "controller ConfigMap");
	finding_command(d, f, "kubectl get configmap -n ingress-nginx ingress-nginx-controller "
			"-o yaml");
}

/* The klog Service "ns/name" whose upstream names start "ns-name-", if any. */
static const struct ls_service *service_of(const struct log_stats *s, const char *up)
{
	for (size_t i = 0; i < s->nsvc; i++) {
		const char *sv = s->svc_sorted[i]->service, *sl = strchr(sv, '/');
		size_t nl;
		if (!sl || !s->svc_sorted[i]->no_endpoints)
			continue;
		nl = (size_t)(sl - sv);
		if (!strncmp(up, sv, nl) && up[nl] == '-' &&
		    !strncmp(up + nl + 1, sl + 1, strlen(sl + 1)) && up[nl + 1 + strlen(sl + 1)] == '-')
			return s->svc_sorted[i];
	}
	return NULL;
}

static void services(const struct log_stats *s, struct diag *d)
{
	const struct idspec *sp = NULL;

	for (size_t i = 0; i < NSPECS; i++)
		if (!strcmp(specs[i].id, "service-no-ready-endpoints"))
			sp = &specs[i];
	for (size_t i = 0; i < s->nsvc; i++) {
		const struct ls_service *v = s->svc_sorted[i];
		const char *sl = strchr(v->service, '/');
		const char *ns = sl ? diag_printf(d, "%.*s", (int)(sl - v->service), v->service)
				    : "";
		const char *name = sl ? sl + 1 : v->service;
		struct finding *f;
		if (!v->no_endpoints)
			continue;
		f = finding_get(d, sp->id, sp->sev, sp->hop, "Service", ns, name, NULL);
		finding_message(d, f, "Service %s has no active endpoint according to the "
				"controller (%llu log line(s))", v->service,
				(unsigned long long)v->no_endpoints);
		sample_evidence(d, f, &v->sample);
		finding_fix(d, f, "%s", sp->fix);
		if (*ns) {
			finding_command(d, f, "kubectl get endpointslices -n %s -l "
					"kubernetes.io/service-name=%s", ns, name);
			finding_command(d, f, "kubectl describe service %s -n %s", name, ns);
		}
	}
}

void log_judge(const struct log_stats *s, struct diag *d)
{
	bool have_err = s->errors > 0;
	uint64_t rest[LC__COUNT] = { 0 };
	size_t inferred = 0;

	services(s, d);
	for (size_t i = 0; i < s->nup; i++) {
		const struct ls_upstream *u = s->up_sorted[i];
		const struct ls_service *v = service_of(s, u->name);
		bool u_err = false;
		for (int c = 1; c < LC__COUNT; c++)
			u_err |= u->cls[c] && !log_class_is_access(c) && log_class_info(c)->status;
		if (!u_err && have_err && (u->s502 || u->s504))
			inferred++;
		for (size_t k = 0; k < NSPECS; k++) {
			const struct idspec *sp = &specs[k];
			if (v && !strcmp(sp->id, "service-no-ready-endpoints")) {
				/* the controller named the Service: the 503s are evidence there */
				const char *sl = strchr(v->service, '/');
				struct finding *f = finding_get(d, sp->id, sp->sev, sp->hop, "Service",
								diag_printf(d, "%.*s",
									    (int)(sl - v->service),
									    v->service),
								sl + 1, NULL);
				if (u->cls[LC_A_NO_ENDPOINTS])
					finding_evidence(d, f, "upstream %s: %llu request(s) answered "
							 "503 without contacting an upstream", u->name,
							 (unsigned long long)u->cls[LC_A_NO_ENDPOINTS]);
				continue;
			}
			emit(s, d, sp, "Upstream", "", u->name, u->cls, u->sample, u, u_err);
		}
		keepalive(d, u);
		for (int c = 0; c < LC__COUNT; c++)
			rest[c] += u->cls[c];
	}
	/* error-log peers no access line tied to an upstream */
	for (size_t i = 0; i < s->naddr; i++) {
		const struct ls_addr *a = s->addr_sorted[i];
		if (a->upstream)
			continue;
		for (int c = 0; c < LC__COUNT; c++)
			rest[c] += a->cls[c];
		for (size_t k = 0; k < NSPECS; k++)
			emit(s, d, &specs[k], "Address", "", a->addr, a->cls, a->sample, NULL,
			     have_err);
	}
	/* error-log lines naming no peer at all */
	for (int c = 0; c < LC__COUNT; c++)
		rest[c] = !log_class_is_access(c) && s->cls[c] > rest[c] ? s->cls[c] - rest[c] : 0;
	for (size_t k = 0; k < NSPECS; k++)
		emit(s, d, &specs[k], "Upstream", "", "-", rest, s->cls_sample, NULL, have_err);

	if (inferred && s->requests)
		diag_note(d, "%zu upstream(s) have 502/504 without any matching error-log line: "
			  "their error classes are inferred from the access log", inferred);
	if (!have_err && (s->status[502] || s->status[504]))
		diag_note(d, "no nginx error-log line in the input: error classes are inferred "
			  "from the access log's upstream fields (exact causes need the error log, "
			  "which kubectl logs prints with the access log)");
	if (s->unknown)
		diag_note(d, "%llu line(s) were not recognised as controller log lines and were "
			  "skipped", (unsigned long long)s->unknown);
	if (s->too_long)
		diag_note(d, "%llu line(s) longer than the line limit were skipped",
			  (unsigned long long)s->too_long);
	if (s->reload_failed)
		diag_note(d, "the controller logged %llu failed reconfiguration(s)",
			  (unsigned long long)s->reload_failed);
}
