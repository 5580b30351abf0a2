/*
 * auth: the credentials of one run, kept fresh the way client-go does
 * (kubernetes-api.md 1.7, 2 and 3).
 *
 *   - token / oidc id-token / basic auth / client certificate: static;
 *   - tokenFile: re-read at most once a minute, and after a 401; the
 *     last successful read wins over token;
 *   - exec plugin (client.authentication.k8s.io v1 and v1beta1): run on
 *     first use with KUBERNETES_EXEC_INFO, its token or certificate
 *     cached in memory until expirationTimestamp; a 401 re-runs it once
 *     per credential generation. Skipped when the user also has a token,
 *     basic auth or a client certificate (as client-go does).
 *
 * Nothing is sent unless the server is https (kc_creds_allowed()). The
 * plugin's stderr goes to ours; its stdin is ours only when interactive.
 * Credentials never appear in messages.
 */
#ifndef ID_AUTH_H
#define ID_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "kubeconfig.h"

struct auth_creds {
	const char *bearer;          /* "" none */
	const char *basic;           /* "user:password", "" none */
	struct kc_blob cert, key;    /* client certificate and key (PEM), p NULL none */
	unsigned generation;         /* changes whenever the credentials change */
};

struct auth {
	const struct kc_config *c;
	struct arena a;              /* credentials of past generations live until release */
	unsigned gen;
	/* tokenFile */
	const char *file_token;
	time_t file_read_at;
	/* exec */
	bool exec_have;
	const char *exec_token;
	struct kc_blob exec_cert, exec_key;
	time_t exec_expiry;          /* 0: never expires */
	unsigned exec_runs;          /* times the plugin ran (tests, -v) */
	unsigned refreshed_gen;      /* generation a 401 already refreshed */
	int plugin_timeout;          /* seconds, default 60 */
};

void auth_init(struct auth *a, const struct kc_config *c);
void auth_release(struct auth *a);

/*
 * The credentials to use now (running the plugin or re-reading the token
 * file if due). Pointers stay valid until auth_release(). Returns 0, or
 * -1 (ERR_CLUSTER: the plugin failed, is missing, or returned garbage).
 */
int auth_get(struct auth *a, struct auth_creds *out, struct err *err);

/*
 * A request made with credentials of generation gen got 401. Refreshes
 * what can be refreshed (once per generation). Returns 1 when new
 * credentials are available (retry the request once), 0 when not, -1 on
 * a refresh error.
 */
int auth_unauthorized(struct auth *a, unsigned gen, struct err *err);

/* Which kind of credential is in use, for messages: "exec plugin aws", "token", ... */
const char *auth_describe(const struct auth *a, char *buf, size_t cap);

#endif
