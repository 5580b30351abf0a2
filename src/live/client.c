/*
 * client: parallel requests to the API server on libcurl multi (client.h).
 */
#include "client.h"
#include "b64.h"
#include "../json/json.h"
#include "../util/xalloc.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../util/banned.h"

#define TRANSPORT_RETRIES 3
#define CONNECT_TIMEOUT_MS 10000L

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *server(const struct kc_client *cl)
{
	return cl->cfg->cluster.server;
}

int kc_client_init(struct kc_client *cl, const struct kc_config *cfg, struct auth *auth,
		   double timeout_s, FILE *log, struct warnings *w, struct err *err)
{
	static bool global_done;
	const char *host = *cfg->cluster.tls_server_name ? cfg->cluster.tls_server_name : cfg->host;

	memset(cl, 0, sizeof(*cl));
	if (!global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT))
			return err_set(err, ERR_INTERNAL, "libcurl initialisation failed");
		global_done = true;
	}
	cl->cfg = cfg;
	cl->auth = auth;
	cl->log = log;
	cl->warn = w;
	cl->multi = curl_multi_init();
	if (!cl->multi)
		return err_set(err, ERR_INTERNAL, "libcurl initialisation failed");
	curl_multi_setopt(cl->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	curl_multi_setopt(cl->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
	cl->base = xasprintf("%s://%s:%d%s", cfg->scheme, host, cfg->port, cfg->prefix);
	if (*cfg->cluster.tls_server_name) {
		char *ct = xasprintf("%s:%d:%s:%d", host, cfg->port, cfg->host, cfg->port);
		cl->connect_to = curl_slist_append(NULL, ct);
		free(ct);
	}
	cl->user_agent = xasprintf("ingress-doctor/%s (linux/amd64)",
#ifdef ID_VERSION
				   ID_VERSION
#else
				   "dev"
#endif
		);
	if (timeout_s > 0)
		cl->deadline = now_s() + timeout_s;
	return 0;
}

void kc_req_free(struct kc_req *r)
{
	if (!r)
		return;
	if (r->h)
		curl_easy_cleanup(r->h);
	curl_slist_free_all(r->hdrs);
	buf_release(&r->body);
	free(r->path);
	free(r->send);
	if (r->free_ctx)
		r->free_ctx(r->ctx);
	free(r);
}

void kc_client_release(struct kc_client *cl)
{
	for (size_t i = 0; i < cl->nactive; i++) {
		curl_multi_remove_handle(cl->multi, cl->active[i]->h);
		kc_req_free(cl->active[i]);
	}
	free(cl->active);
	while (cl->waiting) {
		struct kc_req *r = cl->waiting;
		cl->waiting = r->next;
		kc_req_free(r);
	}
	if (cl->multi)
		curl_multi_cleanup(cl->multi);
	curl_slist_free_all(cl->connect_to);
	free(cl->base);
	free(cl->user_agent);
	for (size_t i = 0; i < cl->nwarnings_seen; i++)
		free(cl->warnings_seen[i]);
	free(cl->warnings_seen);
	memset(cl, 0, sizeof(*cl));
}

struct kc_req *kc_req_new(const char *path, kc_done_fn done, void *ctx)
{
	struct kc_req *r = xcalloc(1, sizeof(*r));

	r->path = xstrdup(path);
	r->done = done;
	r->ctx = ctx;
	buf_init(&r->body, KC_MAX_BODY);
	return r;
}

void kc_client_submit(struct kc_client *cl, struct kc_req *r)
{
	r->next = cl->waiting;
	cl->waiting = r;
}

/* ---------------------------------------------------------------- */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct kc_req *r = ud;
	return buf_addn(&r->body, p, size * n) < 0 ? 0 : size * n;
}

static void add_warning(struct kc_client *cl, const char *v, size_t n)
{
	for (size_t i = 0; i < cl->nwarnings_seen; i++)
		if (strlen(cl->warnings_seen[i]) == n && !memcmp(cl->warnings_seen[i], v, n))
			return;
	XGROW(cl->warnings_seen, cl->capwarnings_seen, cl->nwarnings_seen + 1);
	cl->warnings_seen[cl->nwarnings_seen++] = xstrndup(v, n);
	if (cl->log)
		fprintf(cl->log, "ingress-doctor: server warning: %.*s\n", (int)n, v);
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct kc_req *r = ud;
	struct kc_client *cl = r->cl;
	size_t len = size * n, vl;
	const char *v;

	if (len >= 5 && !strncmp(p, "HTTP/", 5)) {   /* a new response: forget the last */
		r->content_type[0] = '\0';
		r->retry_after = -1;
		return len;
	}
	v = memchr(p, ':', len);
	if (!v)
		return len;
	vl = len - (size_t)(v + 1 - p);
	for (v++; vl && (*v == ' ' || *v == '\t'); v++, vl--)
		;
	while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
		vl--;
	if (!strncasecmp(p, "content-type:", 13)) {
		snprintf(r->content_type, sizeof(r->content_type), "%.*s", (int)vl, v);
	} else if (!strncasecmp(p, "retry-after:", 12)) {
		char tmp[32], *end;
		long s;
		snprintf(tmp, sizeof(tmp), "%.*s", (int)vl, v);
		s = strtol(tmp, &end, 10);
		if (end != tmp && !*end && s >= 0)
			r->retry_after = s;
	} else if (!strncasecmp(p, "date:", 5) && cl) {
		char tmp[64];
		time_t t;
		snprintf(tmp, sizeof(tmp), "%.*s", (int)vl, v);
		t = curl_getdate(tmp, NULL);
		if (t > 0 && (long long)t > cl->stats.server_time)
			cl->stats.server_time = (long long)t;
	} else if (!strncasecmp(p, "warning:", 8) && cl) {
		add_warning(cl, v, vl);
	}
	return len;
}

static void add_hdr(struct kc_req *r, const char *name, const char *v)
{
	char *h = xasprintf("%s: %s", name, v);
	r->hdrs = curl_slist_append(r->hdrs, h);
	free(h);
}

/* a credential header: no copy of it is left in our memory */
static void add_hdr2(struct kc_req *r, const char *prefix, const char *secret)
{
	char *h = xasprintf("%s%s", prefix, secret);
	r->hdrs = curl_slist_append(r->hdrs, h);
	explicit_bzero(h, strlen(h));
	free(h);
}

static int start(struct kc_client *cl, struct kc_req *r, struct err *err)
{
	const struct kc_config *c = cl->cfg;
	struct auth_creds cr;
	CURL *h;
	char *url;
	double left;

	if (auth_get(cl->auth, &cr, err) < 0)
		return -1;
	r->gen = cr.generation;
	if (r->h)
		curl_easy_cleanup(r->h);
	curl_slist_free_all(r->hdrs);
	r->hdrs = NULL;
	buf_reset(&r->body);
	r->status = 0;
	r->content_type[0] = '\0';
	r->retry_after = -1;
	h = r->h = curl_easy_init();
	if (!h)
		return err_set(err, ERR_INTERNAL, "libcurl: cannot create a request");
	url = xasprintf("%s%s", cl->base, r->path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	free(url);
	r->cl = cl;
	r->errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_PRIVATE, r);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(h, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, cl->user_agent);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
	if (!c->cluster.disable_compression)
		curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip");
	if (cl->deadline || r->timeout_ms > 0) {
		long ms = r->timeout_ms;
		if (cl->deadline) {
			left = cl->deadline - now_s();
			if (!ms || left * 1000 < (double)ms)
				ms = left > 0.001 ? (long)(left * 1000) : 1L;
		}
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms);
	}
	if (r->method && strcmp(r->method, "GET"))
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r->method);
	if (r->send) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, r->send);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->send_len);
		add_hdr(r, "Content-Type", r->send_type ? r->send_type : "application/json");
	}
	if (cl->connect_to)
		curl_easy_setopt(h, CURLOPT_CONNECT_TO, cl->connect_to);
	if (*c->cluster.proxy_url)
		curl_easy_setopt(h, CURLOPT_PROXY, c->cluster.proxy_url);
	if (c->cluster.insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	} else if (c->cluster.ca_data.p) {
		struct curl_blob b = { (void *)c->cluster.ca_data.p, c->cluster.ca_data.n,
				       CURL_BLOB_COPY };
		curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &b);
	}
	if (cr.cert.p && cr.key.p) {
		struct curl_blob cb = { (void *)cr.cert.p, cr.cert.n, CURL_BLOB_COPY };
		struct curl_blob kb = { (void *)cr.key.p, cr.key.n, CURL_BLOB_COPY };
		curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &cb);
		curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
		curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &kb);
		curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
	}
	add_hdr(r, "Accept", r->accept ? r->accept : "application/json");
	if (*cr.bearer)
		add_hdr2(r, "Authorization: Bearer ", cr.bearer);
	if (*cr.basic) {
		struct buf b;
		buf_init(&b, 0);
		b64_encode(&b, cr.basic, strlen(cr.basic));
		add_hdr2(r, "Authorization: Basic ", b.p);
		explicit_bzero(b.p, b.len);
		buf_release(&b);
	}
	if (kc_creds_allowed(c) && *c->user.impersonate) {
		add_hdr(r, "Impersonate-User", c->user.impersonate);
		for (size_t i = 0; i < c->user.nimpersonate_groups; i++)
			add_hdr(r, "Impersonate-Group", c->user.impersonate_groups[i]);
		if (*c->user.impersonate_uid)
			add_hdr(r, "Impersonate-Uid", c->user.impersonate_uid);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, r->hdrs);
	r->attempts++;
	r->started = now_s();
	cl->stats.requests++;
	curl_multi_add_handle(cl->multi, h);
	cl->running++;
	XGROW(cl->active, cl->capactive, cl->nactive + 1);
	cl->active[cl->nactive++] = r;
	return 0;
}

static void fatal(struct kc_client *cl, const char *reason, const char *hint)
{
	if (cl->fatal.code)
		return;
	err_set(&cl->fatal, ERR_CLUSTER, "%s: %s (hint: %s)", server(cl), reason, hint);
}

static void transport_error(struct kc_client *cl, CURLcode rc, const char *detail)
{
	char reason[512];

	snprintf(reason, sizeof(reason), "%s", *detail ? detail : curl_easy_strerror(rc));
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		fatal(cl, reason, "check the server name in the kubeconfig and your DNS");
		break;
	case CURLE_COULDNT_CONNECT:
		fatal(cl, reason, "is the cluster running and reachable from here (VPN, "
		      "firewall, proxy)?");
		break;
	case CURLE_OPERATION_TIMEDOUT:
		fatal(cl, reason, "the server did not answer in time; raise --request-timeout or "
		      "check the network");
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		fatal(cl, reason, "TLS failed: check certificate-authority(-data) and "
		      "tls-server-name of the cluster, and the client certificate of the user");
		break;
	case CURLE_WRITE_ERROR:
		fatal(cl, "response larger than the limit", "narrow the scope with -n");
		break;
	default:
		fatal(cl, reason, "check the server URL and the network");
		break;
	}
}

static bool transport_retryable(CURLcode rc)
{
	return rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR ||
	       rc == CURLE_GOT_NOTHING || rc == CURLE_HTTP2 || rc == CURLE_HTTP2_STREAM;
}

/* A request that may be sent again after it may have reached the server. */
static bool retryable(const struct kc_req *r)
{
	return !r->probe && (!r->method || !strcmp(r->method, "GET"));
}

/*
 * Failures that are the API server's (or the way to it), not the pod's
 * behind a proxy request: they stay fatal even for probe requests.
 */
static bool is_server_failure(CURLcode rc)
{
	return rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
	       rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_SSL_CONNECT_ERROR ||
	       rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CERTPROBLEM ||
	       rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_UNSUPPORTED_PROTOCOL;
}

const char *kc_transport_text(int transport_error)
{
	return curl_easy_strerror((CURLcode)transport_error);
}

bool kc_transport_timeout(int transport_error)
{
	return transport_error == CURLE_OPERATION_TIMEDOUT;
}

void kc_client_set_stop(struct kc_client *cl, volatile const int *flag)
{
	cl->stop = flag;
}

/* Abandon every request in flight or waiting (an interruption). */
static void cancel_all(struct kc_client *cl)
{
	for (size_t i = 0; i < cl->nactive; i++) {
		curl_multi_remove_handle(cl->multi, cl->active[i]->h);
		kc_req_free(cl->active[i]);
	}
	cl->nactive = 0;
	cl->running = 0;
	while (cl->waiting) {
		struct kc_req *r = cl->waiting;
		cl->waiting = r->next;
		kc_req_free(r);
	}
}

static void schedule(struct kc_client *cl, struct kc_req *r, double delay)
{
	cl->stats.retries++;
	r->not_before = now_s() + delay;
	kc_client_submit(cl, r);
}

static double backoff(unsigned attempts)
{
	double d = 0.1;
	for (unsigned i = 1; i < attempts && d < 4; i++)
		d *= 2;
	return d;
}

static void finished(struct kc_client *cl, struct kc_req *r, CURLcode rc, const char *errbuf)
{
	long ver = 0;

	curl_multi_remove_handle(cl->multi, r->h);
	cl->running--;
	for (size_t i = 0; i < cl->nactive; i++)
		if (cl->active[i] == r) {
			cl->active[i] = cl->active[--cl->nactive];
			break;
		}
	curl_easy_getinfo(r->h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(r->h, CURLINFO_HTTP_VERSION, &ver);
	cl->stats.http_version = ver == CURL_HTTP_VERSION_2_0 ? 2 : 1;
	cl->stats.bytes += r->body.len;
	r->elapsed_ms = (now_s() - r->started) * 1000;
	if (cl->log)
		fprintf(cl->log, "ingress-doctor: %s %s -> %ld%s%s (HTTP/%ld, %zu bytes, %.0f ms)\n",
			r->method ? r->method : "GET", r->path, r->status, rc ? ", " : "",
			rc ? curl_easy_strerror(rc) : "", cl->stats.http_version, r->body.len,
			r->elapsed_ms);
	if (rc != CURLE_OK && r->probe && !is_server_failure(rc)) {
		/* the measurement failed, not the API server: the caller judges */
		r->status = 0;
		r->transport_error = (int)rc;
		r->done(cl, r);
		return;
	}
	if (rc != CURLE_OK) {
		if (transport_retryable(rc) && retryable(r) && r->attempts <= TRANSPORT_RETRIES &&
		    (!cl->deadline || now_s() + backoff(r->attempts) < cl->deadline)) {
			schedule(cl, r, backoff(r->attempts));
			return;
		}
		transport_error(cl, rc, errbuf);
		kc_req_free(r);
		return;
	}
	if (r->status == 401) {
		struct err e = ERR_INIT;
		int again = r->auth_retried ? 0 : auth_unauthorized(cl->auth, r->gen, &e);
		char desc[256], reason[512];
		if (again < 0) {
			if (!cl->fatal.code)
				cl->fatal = e;
			kc_req_free(r);
			return;
		}
		if (again > 0) {
			r->auth_retried = true;
			r->attempts--;
			r->not_before = 0;
			kc_client_submit(cl, r);
			return;
		}
		snprintf(reason, sizeof(reason), "credentials refused (401 Unauthorized) using %s",
			 auth_describe(cl->auth, desc, sizeof(desc)));
		fatal(cl, reason, "log in again (renew the token or the exec plugin's login) or "
		      "pick another --context");
		kc_req_free(r);
		return;
	}
	if ((r->status == 429 || (r->status >= 500 && retryable(r))) && !r->probe &&
	    r->attempts <= KC_MAX_RETRIES) {
		double d = r->retry_after >= 0 ? (double)r->retry_after : backoff(r->attempts);
		if (!cl->deadline || now_s() + d < cl->deadline) {
			schedule(cl, r, d);
			return;
		}
	}
	r->done(cl, r);
}

int kc_client_run(struct kc_client *cl, struct err *err)
{
	int rc = 0;

	while (!cl->fatal.code && (cl->running || cl->waiting)) {
		struct kc_req **pp = &cl->waiting, *ready = NULL;
		if (cl->stop && *cl->stop) {
			cancel_all(cl);
			err_set(&cl->fatal, ERR_INTERRUPTED, "interrupted");
			break;
		}
		double t = now_s(), next = 0;
		CURLMsg *msg;
		int still, left, wait_ms;
		bool due = false;

		/* start what is due */
		while (*pp) {
			struct kc_req *r = *pp;
			if (r->not_before <= t) {
				*pp = r->next;
				r->next = ready;
				ready = r;
			} else {
				if (!next || r->not_before < next)
					next = r->not_before;
				pp = &r->next;
			}
		}
		while (ready) {
			struct kc_req *r = ready;
			ready = r->next;
			r->next = NULL;
			if (start(cl, r, &cl->fatal) < 0) {
				kc_req_free(r);
				while (ready) {
					r = ready;
					ready = r->next;
					kc_req_free(r);
				}
				goto out;
			}
		}
		curl_multi_perform(cl->multi, &still);
		while ((msg = curl_multi_info_read(cl->multi, &left))) {
			struct kc_req *r = NULL;
			CURLcode res = msg->data.result;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
			finished(cl, r, res, r->errbuf);
		}
		if (cl->fatal.code)
			break;
		if (cl->deadline && now_s() >= cl->deadline) {
			fatal(cl, "no complete answer within --request-timeout",
			      "raise --request-timeout or narrow the scope with -n");
			break;
		}
		/*
		 * done() may have submitted more (the next page, a retry after
		 * a 401): start what is due now rather than wait for activity
		 * on the other transfers, or sleep, before looking again.
		 */
		t = now_s();
		for (struct kc_req *w = cl->waiting; w; w = w->next) {
			if (w->not_before <= t)
				due = true;
			else if (!next || w->not_before < next)
				next = w->not_before;
		}
		if (due)
			continue;
		wait_ms = cl->stop ? 100 : 1000;
		if (next) {
			double d = (next - now_s()) * 1000;
			wait_ms = d < 0 ? 0 : d < wait_ms ? (int)d + 1 : wait_ms;
		}
		if (cl->running)
			curl_multi_poll(cl->multi, NULL, 0, wait_ms, NULL);
		else if (cl->waiting && wait_ms > 0) {
			struct timespec ts = { wait_ms / 1000, (wait_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
out:
	if (cl->fatal.code) {
		/*
		 * Nothing outlives a failed run: a request left in flight would
		 * call its done() later, in another run, on a caller's context
		 * that is gone (the clean-up DELETE of a debug pod reuses the client).
		 */
		cancel_all(cl);
		*err = cl->fatal;
		err_clear(&cl->fatal);
		rc = -1;
	}
	return rc;
}

void kc_status_message(const struct kc_req *r, char *out, size_t cap)
{
	struct arena a;
	struct json root;
	struct json_error je;
	char *copy;
	const char *msg;

	arena_init(&a, 0);
	copy = xstrndup(r->body.p ? r->body.p : "", r->body.len);
	if (json_parse(copy, r->body.len, &a, &root, &je) == 0 &&
	    (msg = json_str(json_get(&root, "message"))) && *msg) {
		snprintf(out, cap, "%s", msg);
	} else {
		size_t n = 0;
		char snip[81];
		for (size_t i = 0; i < r->body.len && n < 80; i++)
			snip[n++] = (r->body.p[i] >= 0x20 && r->body.p[i] < 0x7f) ? r->body.p[i] : ' ';
		snip[n] = '\0';
		snprintf(out, cap, "HTTP %ld%s%s", r->status, n ? ": " : "", snip);
	}
	free(copy);
	arena_release(&a);
}

void kc_query_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_addc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			buf_addn(b, e, 3);
		}
	}
}
