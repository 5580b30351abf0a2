/*
 * kubeconfig: find the cluster and the credentials exactly as kubectl
 * (client-go tools/clientcmd) does; kubernetes-api.md sections 1-3.
 *
 * Files: --kubeconfig FILE alone (must exist); else the $KUBECONFIG list
 * (':'-separated, duplicates and empty entries dropped, missing files
 * skipped); else ~/.kube/config. Several files merge first-wins per
 * cluster/user/context name (an entry is never field-merged), and the
 * first non-empty current-context wins. A duplicate name inside one file
 * is an error, as in client-go. Relative paths (certificate-authority,
 * client-certificate, client-key, tokenFile, an exec command containing
 * '/') resolve against the directory of the file that defined them.
 *
 * Selection: --context, else current-context (a named context that does
 * not exist is an error); --cluster/--user override the context's;
 * namespace: -n, else the context's, else "default". When no kubeconfig
 * gives a server and the process runs in a pod (KUBERNETES_SERVICE_HOST
 * and _PORT set, service-account token file present), the in-cluster
 * configuration is used.
 *
 * Nothing here prints or keeps credentials in messages: errors name the
 * file and the field ("~/.kube/config: users[red].client-key-data: not
 * valid base64"), never the value. Credentials are only used over https
 * (kc_creds_allowed()).
 */
#ifndef ID_KUBECONFIG_H
#define ID_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "../json/json.h"
#include "../util/arena.h"
#include "../util/err.h"
#include "../util/warn.h"

/* Everything the process environment contributes; kc_env_default() fills it. */
struct kc_env {
	const char *kubeconfig;     /* $KUBECONFIG, NULL if unset */
	const char *home;           /* $HOME */
	const char *svc_host;       /* $KUBERNETES_SERVICE_HOST */
	const char *svc_port;       /* $KUBERNETES_SERVICE_PORT */
	const char *pod_namespace;  /* $POD_NAMESPACE */
	const char *sa_dir;         /* "/var/run/secrets/kubernetes.io/serviceaccount" */
};

/*
 * Command-line choices; NULL = not given. Beyond the selection, kubectl's
 * overrides (client-go clientcmd/overrides.go, client_config.go): a
 * given field replaces the kubeconfig's. --certificate-authority or
 * --insecure-skip-tls-verify replace the CA and the insecure setting
 * together; --server or --tls-server-name replace tls-server-name (so
 * --server alone clears it); --as-group, --as-uid need --as. Paths are
 * relative to the working directory. With --server, no kubeconfig
 * cluster is needed.
 */
struct kc_flags {
	const char *kubeconfig;
	const char *context;
	const char *cluster;
	const char *user;
	const char *ns;
	/* cluster overrides */
	const char *server;
	const char *ca_file;
	bool insecure;
	const char *tls_server_name;
	const char *proxy_url;
	/* user overrides */
	const char *token;
	const char *cert_file, *key_file;
	const char *username, *password;
	const char *impersonate;
	const char **impersonate_groups;   /* malloc'ed by the caller */
	size_t nimpersonate_groups;
	const char *impersonate_uid;
};

enum kc_interactive { KC_INTERACTIVE_NEVER, KC_INTERACTIVE_IFAVAILABLE, KC_INTERACTIVE_ALWAYS };

struct kc_exec {
	bool set;
	const char *api_version;    /* client.authentication.k8s.io/v1 or v1beta1 */
	const char *command;        /* resolved when it contains '/' */
	const char **args;
	size_t nargs;
	const char **env;           /* "NAME=value" */
	size_t nenv;
	const char *install_hint;   /* "" when absent */
	bool provide_cluster_info;
	enum kc_interactive interactive;
	const struct json *cluster_config;  /* extension client.authentication.k8s.io/exec, or NULL */
};

/* A byte blob (decoded *-data field or file contents). */
struct kc_blob {
	const char *p;              /* NULL when absent; NUL-terminated */
	size_t n;
};

struct kc_cluster {
	const char *name;
	const char *origin;         /* file that defined it ("" in-cluster) */
	const char *server;         /* as written */
	const char *ca_file;        /* "" when absent (resolved) */
	struct kc_blob ca_data;     /* decoded certificate-authority-data */
	const char *tls_server_name;
	bool insecure;
	const char *proxy_url;
	bool disable_compression;
	const struct json *exec_ext;  /* extensions[client.authentication.k8s.io/exec].extension */
};

struct kc_user {
	const char *name;
	const char *origin;
	const char *cert_file, *key_file;      /* "" when absent (resolved) */
	struct kc_blob cert_data, key_data;    /* decoded */
	const char *token;                     /* "" when absent */
	const char *token_file;                /* "" when absent (resolved) */
	const char *username, *password;       /* "" when absent */
	const char *impersonate;               /* as, "" when absent */
	const char **impersonate_groups;
	size_t nimpersonate_groups;
	const char *impersonate_uid;
	const char *auth_provider;             /* auth-provider.name, "" when absent */
	const char *oidc_id_token;             /* auth-provider oidc id-token, "" */
	struct kc_exec exec;
};

/* The resolved configuration for one run. */
struct kc_config {
	struct arena a;
	const char *context;        /* chosen context name ("" none) */
	const char *ns;             /* namespace to use (never NULL) */
	bool ns_from_flag;
	bool in_cluster;
	struct kc_cluster cluster;
	struct kc_user user;
	/* the server URL split: scheme, host (brackets kept), port, path prefix */
	const char *scheme;         /* "https" or "http" */
	const char *host;
	int port;
	const char *prefix;         /* "" or "/k8s/clusters/c-x" (no trailing '/') */
	const char **files;         /* the files loaded, in order */
	size_t nfiles, capfiles;
};

/* Fill env from the process environment. */
void kc_env_default(struct kc_env *env);

/*
 * Load and resolve the configuration. Warnings (insecure TLS, CA file and
 * data both given, every KUBECONFIG entry missing) go to w. Errors:
 * ERR_INPUT (bad file or field, missing context) with the file and field
 * named. Returns 0 or -1; c must be released with kc_release() either way.
 */
int kc_load(const struct kc_env *env, const struct kc_flags *flags, struct kc_config *c,
	    struct warnings *w, struct err *err);
void kc_release(struct kc_config *c);

/* Credentials may be sent: the server URL is https. */
bool kc_creds_allowed(const struct kc_config *c);

/*
 * Read a whole small file (at most max bytes) into a, NUL-terminated.
 * Returns 0 or -1 with err naming the file (what names the field).
 */
int kc_read_file(struct arena *a, const char *path, size_t max, const char *what,
		 struct kc_blob *out, struct err *err);

#endif
