/*
 * client: requests to the Kubernetes API server over libcurl's multi
 * interface (HTTP/2 multiplexed when the server offers it), with the
 * TLS and credentials of a kubeconfig (kubeconfig.h, auth.h).
 *
 * Requests are submitted, then kc_client_run() drives them all in
 * parallel until none is left; a request's done() may submit more (the
 * next page of a list). The client itself handles, per request:
 *   - 401: refresh the credentials once (exec plugin, token file) and
 *     retry once;
 *   - 429 and 5xx: retry (at most KC_MAX_RETRIES) after Retry-After
 *     seconds when given, else with exponential backoff;
 *   - a cut connection or truncated body: retry (GETs are idempotent);
 *   - the total deadline (--request-timeout) for the whole run.
 * Transport failures (refused, DNS, TLS, deadline) and a final 401 are
 * fatal: kc_client_run() returns -1 with ERR_CLUSTER and one line
 * "SERVER: REASON (hint: ...)". Other statuses reach done().
 *
 * Requests other than GET (method set, e.g. POST with a JSON body or
 * DELETE) are never retried after a transport failure or a 5xx: they may
 * have reached the server. A request with `probe` set is a measurement
 * (an API-server proxy request to a pod): it is never retried, its own
 * timeout_ms bounds it, and a transport failure or timeout reaches done()
 * with status 0 and transport_error set instead of ending the run.
 *
 * Interruption: when *cl->stop (kc_client_set_stop) becomes non-zero,
 * kc_client_run() abandons every request in flight or waiting and returns
 * -1 with ERR_INTERRUPTED. The client stays usable: clear the flag and
 * submit more (the clean-up DELETE of a debug pod after Ctrl-C).
 *
 * -v logs one line per request on the log stream: method, URL path,
 * status, bytes, milliseconds; never a header or a credential.
 */
#ifndef ID_CLIENT_H
#define ID_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "auth.h"
#include "kubeconfig.h"
#include "../util/buf.h"
#include "../util/err.h"

#define KC_MAX_RETRIES 10
#define KC_MAX_BODY (512u << 20)

struct kc_client;
struct kc_req;

typedef void (*kc_done_fn)(struct kc_client *cl, struct kc_req *r);

struct kc_req {
	/* set by the caller */
	char *path;                 /* API path with query, malloc'ed; freed with the request */
	const char *accept;         /* NULL: application/json */
	const char *method;         /* NULL: GET; "POST", "DELETE", ... */
	char *send;                 /* request body (malloc'ed, freed with the request), or NULL */
	size_t send_len;
	const char *send_type;      /* its Content-Type, NULL: application/json */
	bool probe;                 /* a measurement: no retry, failures reach done() */
	long timeout_ms;            /* this request's own limit, 0: only the run's deadline */
	kc_done_fn done;
	void *ctx;
	void (*free_ctx)(void *ctx); /* called by kc_req_free(), may be NULL */
	int tag;                    /* caller's use */
	/* results, valid in done() */
	long status;                /* HTTP status, 0 when transport_error is set */
	int transport_error;        /* probe requests: the libcurl failure (CURLcode), 0 none */
	double elapsed_ms;          /* of the last attempt */
	struct buf body;
	char content_type[128];
	/* internal */
	void *h;                    /* CURL easy handle */
	void *hdrs;                 /* curl_slist */
	long retry_after;           /* seconds, -1 none */
	unsigned attempts;
	unsigned gen;               /* credential generation used */
	bool auth_retried;
	double not_before;          /* monotonic seconds */
	double started;
	struct kc_req *next;        /* waiting list */
	struct kc_client *cl;
	char errbuf[256];           /* CURL_ERROR_SIZE */
};

struct kc_client_stats {
	unsigned requests;          /* HTTP requests sent (retries included) */
	unsigned retries;
	unsigned long long bytes;   /* response bytes received (after decompression) */
	long http_version;          /* of the last response: 2 = HTTP/2 */
	long long server_time;      /* latest Date: header, seconds since the epoch, 0 none */
};

struct kc_client {
	const struct kc_config *cfg;
	struct auth *auth;
	void *multi;                /* CURLM */
	void *connect_to;           /* curl_slist for tls-server-name */
	char *base;                 /* "https://host:port/prefix" */
	char *user_agent;
	double deadline;            /* monotonic seconds, 0: none */
	FILE *log;                  /* -v request log, NULL: none */
	struct kc_req *waiting;     /* retries not yet due */
	struct kc_req **active;     /* in flight */
	size_t nactive, capactive;
	unsigned running;
	struct err fatal;
	struct kc_client_stats stats;
	struct warnings *warn;
	volatile const int *stop;   /* non-zero: abandon the run (kc_client_set_stop) */
	char **warnings_seen;       /* Warning: headers already reported */
	size_t nwarnings_seen, capwarnings_seen;
};

/*
 * Prepare a client. timeout_s <= 0: no deadline. log: request log stream
 * or NULL. Warnings from the server (Warning: headers) go to w once each.
 */
int kc_client_init(struct kc_client *cl, const struct kc_config *cfg, struct auth *auth,
		   double timeout_s, FILE *log, struct warnings *w, struct err *err);
void kc_client_release(struct kc_client *cl);

/* A new request for path (copied); submit it with kc_client_submit(). */
struct kc_req *kc_req_new(const char *path, kc_done_fn done, void *ctx);
/* Queue r (new, or handed back from done() to repeat with a changed path). */
void kc_client_submit(struct kc_client *cl, struct kc_req *r);
/* Free a request that done() does not resubmit. */
void kc_req_free(struct kc_req *r);

/*
 * Run until no request is left. Returns 0, or -1 with err for a fatal
 * failure (ERR_CLUSTER) or an interruption (ERR_INTERRUPTED); then every
 * request still in flight or waiting has been abandoned (freed).
 */
int kc_client_run(struct kc_client *cl, struct err *err);

/*
 * Watch *flag (set by a signal handler, e.g. SIGINT) during kc_client_run;
 * NULL: never interrupted. Checked at least every 100 ms.
 */
void kc_client_set_stop(struct kc_client *cl, volatile const int *flag);

/* The libcurl text for a transport_error ("Connection refused", ...). */
const char *kc_transport_text(int transport_error);

/* True when transport_error is a timeout (connect or total). */
bool kc_transport_timeout(int transport_error);

/*
 * The message of a Status body ("pods is forbidden: ..."), or for a
 * non-JSON body the status code and its first bytes, into out.
 */
void kc_status_message(const struct kc_req *r, char *out, size_t cap);

/* Percent-encode s for a query value, appended to b. */
void kc_query_escape(struct buf *b, const char *s);

#endif
