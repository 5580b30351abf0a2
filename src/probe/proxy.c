/*
 * proxy: probing through the API server's proxy subresources (probe.h),
 * and the classification of what comes back.
 *
 *   GET /api/v1/namespaces/NS/pods/[https:]NAME:PORT/proxy/PATH
 *   GET /api/v1/namespaces/NS/services/[https:]NAME:PORT/proxy/PATH
 *
 * The pod form dials PodIP:PORT with PORT used verbatim (a number: a name
 * would be looked up as a service name, not a container port; pod
 * strategy.go ResourceLocation). The service form takes a port name or a
 * number that it maps to the port's name, then dials a ready endpoint of
 * the Service, not the ClusterIP (service/storage/rest.go).
 *
 * What the API server says when it could not reach the pod: the proxy
 * transport (apimachinery util/proxy/transport.go) turns any round-trip
 * error into errors.NewServiceUnavailable("error trying to reach service:
 * " + err), a Status with code 503, reason ServiceUnavailable; err is Go's
 * net/http wording ("dial tcp 10.1.2.3:8080: connect: connection
 * refused"). Every other answer is the pod's own, relayed as is.
 *
 * Our own per-target limit running out first is ambiguous below the API
 * server's dial timeout (probe_proxy_expired()): the API server has not
 * said whether its dial hangs or the pod accepted and stays silent.
 */
#include "probe.h"
#include "../json/json.h"
#include "../live/client.h"
#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/banned.h"

#define PREFIX_REACH "error trying to reach service: "
/* Within this much of the run's deadline no probe starts (it could not finish). */
#define DEADLINE_MARGIN_S 0.3

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Bounded copy of a message, control bytes as '?'. */
static void put_detail(struct probe_result *res, const char *prefix, const char *s)
{
	char tmp[sizeof(res->detail)];
	size_t n = 0;

	for (; s && *s && n + 1 < sizeof(tmp); s++)
		tmp[n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
	tmp[n] = '\0';
	snprintf(res->detail, sizeof(res->detail), "%s%s", prefix, tmp);
}

enum probe_outcome probe_classify_text(const char *msg)
{
	static const struct {
		const char *needle;
		enum probe_outcome o;
	} tab[] = {
		{ "connection refused", PO_REFUSED },
		{ "i/o timeout", PO_TIMEOUT },
		{ "context deadline exceeded", PO_TIMEOUT },
		{ "Client.Timeout exceeded", PO_TIMEOUT },
		{ "no route to host", PO_UNREACHABLE },
		{ "network is unreachable", PO_UNREACHABLE },
		{ "host is unreachable", PO_UNREACHABLE },
		{ "connection reset by peer", PO_RESET },
		{ "broken pipe", PO_RESET },
		{ "server closed idle connection", PO_RESET },
		{ "server gave HTTP response to HTTPS client", PO_NOT_HTTP },
		{ "first record does not look like a TLS handshake", PO_NOT_HTTP },
		{ "malformed HTTP response", PO_NOT_HTTP },
		{ "malformed HTTP status code", PO_NOT_HTTP },
		{ "malformed MIME header", PO_NOT_HTTP },
		{ "tls: ", PO_NOT_HTTP },
		{ "remote error: tls", PO_NOT_HTTP },
	};
	size_t n;

	if (!msg)
		return PO_PROBE_FAILED;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strstr(msg, tab[i].needle))
			return tab[i].o;
	/* Go's net/http: a connection closed before any answer is plain "EOF" */
	n = strlen(msg);
	if ((n >= 3 && !strcmp(msg + n - 3, "EOF")) || strstr(msg, "EOF;"))
		return PO_RESET;
	return PO_PROBE_FAILED;
}

/*
 * The answers TLS servers give to a plain-HTTP request instead of a TLS
 * handshake: Go's net/http server and nginx answer 400 with these texts.
 */
static bool plain_to_tls(long status, const char *body, size_t len)
{
	static const char *const texts[] = {
		"Client sent an HTTP request to an HTTPS server",
		"The plain HTTP request was sent to HTTPS port",
	};

	if (status != 400 || !body)
		return false;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (memmem(body, len, texts[i], strlen(texts[i])))
			return true;
	return false;
}

void probe_classify_answer(long status, const char *body, size_t len, const char *resource,
			   struct probe_result *res)
{
	struct arena a;
	struct json root;
	struct json_error je;
	char *copy;
	const char *kind, *msg, *reason;
	int64_t code = 0;
	bool api_status = false;

	res->http_status = (int)status;
	arena_init(&a, 0);
	copy = xstrndup(body ? body : "", len);
	/* a Status object whose code is the answer's own: the API server speaking */
	if (len && len < 65536 && json_parse(copy, len, &a, &root, &je) == 0 &&
	    (kind = json_str(json_get(&root, "kind"))) && !strcmp(kind, "Status") &&
	    json_get_int(json_get(&root, "code"), &code) == 0 && code == status &&
	    (msg = json_str(json_get(&root, "message")))) {
		reason = json_str(json_get(&root, "reason"));
		if (!reason)
			reason = "";
		if (status == 503 && !strncmp(msg, PREFIX_REACH, strlen(PREFIX_REACH))) {
			api_status = true;
			res->http_status = 0;
			res->outcome = probe_classify_text(msg + strlen(PREFIX_REACH));
			put_detail(res, "", msg + strlen(PREFIX_REACH));
		} else if (status == 403 && !strcmp(reason, "Forbidden") &&
			   (strstr(msg, "pods/proxy") || strstr(msg, "services/proxy") ||
			    strstr(msg, "cannot get resource"))) {
			api_status = true;
			res->http_status = 0;
			res->outcome = PO_PROBE_FAILED;
			snprintf(res->detail, sizeof(res->detail),
				 "the API server refused the proxy request (403): grant get on %s",
				 resource);
		} else if ((status == 404 && !strcmp(reason, "NotFound")) ||
			   (status == 400 && !strcmp(msg, "address not allowed")) ||
			   (status == 503 && (strstr(msg, "no endpoints available for service") ||
					      strstr(msg, "no service port")))) {
			api_status = true;
			res->http_status = 0;
			res->outcome = PO_PROBE_FAILED;
			put_detail(res, "API server: ", msg);
		}
	}
	if (!api_status) {
		if (plain_to_tls(status, body, len)) {
			res->outcome = PO_NOT_HTTP;
			snprintf(res->detail, sizeof(res->detail), "HTTP %ld: a TLS server "
				 "answered the plain-HTTP request (it expects HTTPS)", status);
		} else {
			res->outcome = status >= 500 ? PO_HTTP_ERROR : PO_OK;
			snprintf(res->detail, sizeof(res->detail), "HTTP %ld", status);
		}
	}
	free(copy);
	arena_release(&a);
}

void probe_proxy_expired(double timeout_s, double dial_timeout_s, struct probe_result *res)
{
	double dial = dial_timeout_s > 0 ? dial_timeout_s : PROBE_APISERVER_DIAL_TIMEOUT_S;

	res->http_status = 0;
	res->limit_s = timeout_s;
	if (timeout_s >= dial + 1) {
		/* a failed dial is reported after dial s: none was, so the pod accepted */
		res->outcome = PO_NO_ANSWER;
		res->connect_unknown = false;
		snprintf(res->detail, sizeof(res->detail), "connected (the API server reports "
			 "a failed connect within %.0f s, and did not), no HTTP answer within "
			 "%.1f s", dial, timeout_s);
	} else {
		res->outcome = PO_TIMEOUT;
		res->connect_unknown = true;
		snprintf(res->detail, sizeof(res->detail), "nothing within %.1f s through the "
			 "API server, which reports a failed connect only after its %.0f s dial "
			 "timeout: a connect that hangs and a pod that accepted and stays "
			 "silent look alike (--timeout %.0f tells them apart)", timeout_s, dial,
			 dial + 1);
	}
}

/* Append s percent-encoded, keeping the characters a URL path may hold. */
static void path_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/?=&%:@+,;!$'()*", c)) {
			buf_addc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			buf_addn(b, e, 3);
		}
	}
}

/* The request path for target t (malloc'ed). */
static char *target_url(const struct probe_target *t)
{
	struct buf b;

	buf_init(&b, 0);
	buf_addf(&b, "/api/v1/namespaces/%s/%s/%s%s:", t->ns, t->pod ? "pods" : "services",
		 t->https ? "https:" : "", t->pod ? t->pod : t->service);
	if (t->pod || !*t->service_port_name)
		buf_addf(&b, "%d", t->pod ? t->port : t->service_port);
	else
		buf_add(&b, t->service_port_name);
	buf_add(&b, "/proxy");
	if (*t->http_path != '/')
		buf_addc(&b, '/');
	path_escape(&b, t->http_path);
	return buf_detach(&b);
}

struct run {
	const struct probe_plan *plan;
	const struct probe_opts *o;
	struct probe_result *res;
	bool *done;
	size_t next;          /* next target to submit */
	size_t inflight;
};

static void submit_next(struct kc_client *cl, struct run *st);

static void probe_done(struct kc_client *cl, struct kc_req *r)
{
	struct run *st = r->ctx;
	size_t i = (size_t)r->tag;
	const struct probe_target *t = &st->plan->t[i];
	struct probe_result *res = &st->res[i];
	char resource[160];

	snprintf(resource, sizeof(resource), "%s in API group \"\" (core) in namespace %s",
		 t->pod ? "pods/proxy" : "services/proxy", t->ns);
	res->ms = r->elapsed_ms;
	if (r->transport_error) {
		res->http_status = 0;
		if (kc_transport_timeout(r->transport_error) &&
		    r->timeout_ms < (long)(st->o->timeout_s * 1000)) {
			/* cut short by the run's deadline: no verdict on the pod */
			res->outcome = PO_NOT_RUN;
			snprintf(res->detail, sizeof(res->detail), "not finished: the total "
				 "deadline (--request-timeout) was reached after %.1f s",
				 (double)r->timeout_ms / 1000);
		} else if (kc_transport_timeout(r->transport_error)) {
			probe_proxy_expired((double)r->timeout_ms / 1000, st->o->dial_timeout_s,
					    res);
		} else {
			res->outcome = PO_PROBE_FAILED;
			snprintf(res->detail, sizeof(res->detail), "the proxy request failed: %s",
				 kc_transport_text(r->transport_error));
		}
	} else {
		probe_classify_answer(r->status, r->body.p, r->body.len, resource, res);
	}
	st->done[i] = true;
	st->inflight--;
	kc_req_free(r);
	submit_next(cl, st);
}

static void submit_next(struct kc_client *cl, struct run *st)
{
	unsigned conc = st->o->concurrency ? st->o->concurrency : 16;

	while (st->inflight < conc && st->next < st->plan->n) {
		size_t i = st->next++;
		const struct probe_target *t = &st->plan->t[i];
		struct kc_req *r;
		char *url;

		double left = cl->deadline ? cl->deadline - mono_s() - DEADLINE_MARGIN_S : 0;
		long ms = (long)(st->o->timeout_s * 1000);

		if (t->pod && !*t->ip) {
			st->res[i].outcome = PO_NOT_RUN;
			snprintf(st->res[i].detail, sizeof(st->res[i].detail), "the pod has no IP");
			st->done[i] = true;
			continue;
		}
		/* the run's deadline (--request-timeout): what cannot finish is not started */
		if (cl->deadline && left < 0.05) {
			st->res[i].outcome = PO_NOT_RUN;
			snprintf(st->res[i].detail, sizeof(st->res[i].detail), "not run: the total "
				 "deadline (--request-timeout) was reached");
			st->done[i] = true;
			continue;
		}
		if (ms <= 0)
			ms = 5000;
		if (cl->deadline && left * 1000 < (double)ms)
			ms = (long)(left * 1000);
		url = target_url(t);
		r = kc_req_new(url, probe_done, st);
		free(url);
		r->accept = "*/*";
		r->probe = true;
		r->timeout_ms = ms;
		r->tag = (int)i;
		st->inflight++;
		kc_client_submit(cl, r);
	}
}

int probe_apiserver(struct kc_client *cl, const struct probe_plan *plan,
		    const struct probe_opts *o, struct probe_result *res, struct err *err)
{
	struct run st = { .plan = plan, .o = o, .res = res };
	volatile const int *old_stop = cl->stop;
	int rc;

	for (size_t i = 0; i < plan->n; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].ms = -1;
	}
	if (!plan->n)
		return 0;
	st.done = xcalloc(plan->n, sizeof(*st.done));
	if (o->stop)
		kc_client_set_stop(cl, o->stop);
	submit_next(cl, &st);
	rc = kc_client_run(cl, err);
	kc_client_set_stop(cl, old_stop);
	for (size_t i = 0; i < plan->n; i++) {
		if (st.done[i])
			continue;
		res[i].outcome = PO_NOT_RUN;
		snprintf(res[i].detail, sizeof(res[i].detail), "%s",
			 rc < 0 && err->code == ERR_INTERRUPTED ? "interrupted"
			 : "not run: the total deadline (--request-timeout) was reached");
	}
	free(st.done);
	return rc;
}
