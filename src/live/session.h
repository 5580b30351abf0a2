/*
 * session: one live read from the command line's point of view: load the
 * kubeconfig (--kubeconfig, --context, -n), set up credentials and the
 * HTTP client (--request-timeout, -v request log), read the cluster into
 * a sink (live.h), report request statistics with -v.
 */
#ifndef ID_SESSION_H
#define ID_SESSION_H

#include <stdbool.h>

#include "live.h"

struct live_opts {
	const char *kubeconfig;     /* NULL: KUBECONFIG / ~/.kube/config / in-cluster */
	const char *context;
	const char *ns;             /* -n */
	bool all_ns;                /* -A */
	const char *timeout;        /* --request-timeout text, NULL none */
	/* kubectl's overrides (--cluster, --user, --server, --token, --as, ...); NULL none.
	 * Its kubeconfig, context and ns are replaced by the fields above. */
	const struct kc_flags *kube;
	int verbose;
	/* Ingresses named on the command line (NAME or NS/NAME): fetch only what they need */
	const char *const *names;
	size_t nnames;
	/*
	 * Called after the read with the client still connected (to fetch
	 * controller logs, live_fetch_logs()); NULL: none. Returns 0 or -1.
	 */
	int (*after_read)(void *ctx, struct kc_client *cl, struct err *err);
	void *after_ctx;
};

/*
 * Parse a --request-timeout value like kubectl: "0" (none), "30" (seconds),
 * "30s", "1m30s", "2h", "500ms". Returns 0 and seconds in *out, or -1.
 */
int live_parse_timeout(const char *s, double *out);

/*
 * Read the cluster into sink. *ns_scope receives the namespace the read
 * was limited to (arena-free static storage of the session, valid until
 * live_session_end()), NULL for all namespaces. Returns 0 or -1.
 */
struct live_session;
int live_session_read(const struct live_opts *o, const struct source_sink *sink,
		      struct live_result *res, struct warnings *w, char **ns_scope,
		      struct err *err);

#endif
