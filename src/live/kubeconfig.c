/*
 * kubeconfig: resolving the merged kubeconfig like client-go's clientcmd
 * (kubeconfig.h; kubernetes-api.md sections 1-3): the server URL, the
 * in-cluster configuration, the context, cluster and user chosen, kubectl's
 * override flags over them, and kc_load() tying it together with the files
 * read by kubeconfig_load.c.
 */
#include "kubeconfig_int.h"
#include "b64.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include "../yaml/yaml.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/banned.h"

/* ---------------------------------------------------------------- */
/* server URL, in-cluster, selection                                 */

static int split_server(struct kc_config *c, struct err *err)
{
	const char *s = c->cluster.server, *p, *hostend, *end;
	bool tls = c->cluster.ca_data.p || c->user.cert_data.p || c->cluster.insecure;

	p = strstr(s, "://");
	if (p) {
		c->scheme = arena_strndup(&c->a, s, (size_t)(p - s));
		p += 3;
	} else {
		c->scheme = tls ? "https" : "http";
		p = s;
	}
	if (strcmp(c->scheme, "https") && strcmp(c->scheme, "http"))
		return err_set(err, ERR_INPUT, "%s: cluster %s: server '%s': scheme must be https "
			       "or http", c->cluster.origin, c->cluster.name, s);
	end = p + strcspn(p, "/?#");
	if (*p == '[') {
		hostend = memchr(p, ']', (size_t)(end - p));
		if (!hostend)
			goto bad;
		hostend++;
	} else {
		hostend = memchr(p, ':', (size_t)(end - p));
		if (!hostend)
			hostend = end;
	}
	if (hostend == p)
		goto bad;
	c->host = arena_strndup(&c->a, p, (size_t)(hostend - p));
	c->port = strcmp(c->scheme, "https") ? 80 : 443;
	if (hostend < end) {
		char *e2;
		long v;
		if (*hostend != ':')
			goto bad;
		errno = 0;
		v = strtol(hostend + 1, &e2, 10);
		if (e2 != end || v <= 0 || v > 65535 || errno)
			goto bad;
		c->port = (int)v;
	}
	{
		size_t n = strcspn(end, "?#");
		while (n && end[n - 1] == '/')
			n--;
		c->prefix = arena_strndup(&c->a, end, n);
	}
	return 0;
bad:
	return err_set(err, ERR_INPUT, "%s: cluster %s: server '%s' is not a valid URL",
		       c->cluster.origin, c->cluster.name, s);
}

static bool in_cluster_possible(const struct kc_env *env, struct arena *a)
{
	struct stat st;
	const char *tok;

	if (!env->svc_host || !*env->svc_host || !env->svc_port || !*env->svc_port)
		return false;
	tok = arena_printf(a, "%s/token", env->sa_dir);
	return stat(tok, &st) == 0 && S_ISREG(st.st_mode);
}


static int use_in_cluster(const struct kc_env *env, struct kc_config *c, struct warnings *w,
			  struct err *err)
{
	struct kc_blob b;
	struct err ignore = ERR_INIT;
	bool v6 = strchr(env->svc_host, ':') != NULL;

	c->in_cluster = true;
	c->cluster.name = "in-cluster";
	c->cluster.origin = "in-cluster configuration";
	c->cluster.server = arena_printf(&c->a, "https://%s%s%s:%s", v6 ? "[" : "",
					 env->svc_host, v6 ? "]" : "", env->svc_port);
	c->user.name = "in-cluster";
	c->user.origin = c->cluster.origin;
	c->user.token_file = arena_printf(&c->a, "%s/token", env->sa_dir);
	if (kc_read_file(&c->a, c->user.token_file, 1u << 20, "in-cluster token", &b, err) < 0)
		return -1;
	c->cluster.ca_file = arena_printf(&c->a, "%s/ca.crt", env->sa_dir);
	if (kc_read_file(&c->a, c->cluster.ca_file, KC_MAX_PEM, "in-cluster CA",
			 &c->cluster.ca_data, &ignore) < 0)
		warn_add(w, "%s; using the system certificate authorities", ignore.msg);
	if (!c->ns_from_flag) {
		if (env->pod_namespace && *env->pod_namespace) {
			c->ns = env->pod_namespace;
		} else if (kc_read_file(&c->a, arena_printf(&c->a, "%s/namespace", env->sa_dir),
					4096, "namespace", &b, &ignore) == 0 &&
			   *kcl_trimmed(&c->a, b.p, b.n)) {
			c->ns = kcl_trimmed(&c->a, b.p, b.n);
		}
	}
	return 0;
}

static const struct named *find(const struct named *arr, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(arr[i].name, name))
			return &arr[i];
	return NULL;
}

/* kubectl's cluster overrides (kubeconfig.h, struct kc_flags), after the kubeconfig's. */
static int apply_cluster_flags(const struct kc_flags *f, struct kc_config *c, struct err *err)
{
	struct kc_cluster *cl = &c->cluster;

	if (f->server)
		cl->server = f->server;
	if (f->ca_file || f->insecure) {
		cl->insecure = f->insecure;
		cl->ca_file = f->ca_file ? f->ca_file : "";
		cl->ca_data.p = NULL;
		cl->ca_data.n = 0;
		if (f->ca_file && f->insecure)
			return err_set(err, ERR_USAGE, "--certificate-authority and "
				       "--insecure-skip-tls-verify cannot be used together");
		if (f->ca_file && kc_read_file(&c->a, f->ca_file, KC_MAX_PEM,
					       "--certificate-authority", &cl->ca_data, err) < 0)
			return -1;
	}
	if (f->tls_server_name || f->server)
		cl->tls_server_name = f->tls_server_name ? f->tls_server_name : "";
	if (f->proxy_url) {
		if (strncmp(f->proxy_url, "http://", 7) && strncmp(f->proxy_url, "https://", 8) &&
		    strncmp(f->proxy_url, "socks5://", 9))
			return err_set(err, ERR_USAGE, "--proxy-url: scheme must be http, https or "
				       "socks5");
		cl->proxy_url = f->proxy_url;
	}
	return 0;
}

/* kubectl's user overrides, then the checks client-go makes of the merged user. */
static int apply_user_flags(const struct kc_flags *f, struct kc_config *c, struct err *err)
{
	struct kc_user *u = &c->user;
	const char *who = *u->name ? u->name : "the command line's user";

	if (f->token)
		u->token = f->token;
	if (f->cert_file) {
		/* as client-go: the kubeconfig's client-certificate-data, if any, wins */
		u->cert_file = f->cert_file;
		if (!u->cert_data.p && kc_read_file(&c->a, f->cert_file, KC_MAX_PEM,
						    "--client-certificate", &u->cert_data, err) < 0)
			return -1;
	}
	if (f->key_file) {
		u->key_file = f->key_file;
		if (!u->key_data.p && kc_read_file(&c->a, f->key_file, KC_MAX_PEM, "--client-key",
						   &u->key_data, err) < 0)
			return -1;
	}
	if (f->username)
		u->username = f->username;
	if (f->password)
		u->password = f->password;
	if (f->impersonate)
		u->impersonate = f->impersonate;
	if (f->nimpersonate_groups) {
		u->impersonate_groups = f->impersonate_groups;
		u->nimpersonate_groups = f->nimpersonate_groups;
	}
	if (f->impersonate_uid)
		u->impersonate_uid = f->impersonate_uid;
	if (!(f->token || f->cert_file || f->key_file || f->username || f->password ||
	      f->impersonate || f->nimpersonate_groups || f->impersonate_uid))
		return 0;
	if (u->cert_data.p && !u->key_data.p)
		return err_set(err, ERR_USAGE, "client-key-data or client-key must be specified "
			       "for %s to use the clientCert authentication method", who);
	if (u->key_data.p && !u->cert_data.p)
		return err_set(err, ERR_USAGE, "client-certificate-data or client-certificate must "
			       "be specified for %s to use the clientCert authentication method",
			       who);
	if ((*u->token || *u->token_file) && (*u->username || *u->password))
		return err_set(err, ERR_USAGE, "more than one authentication method found for "
			       "%s; found [token basicAuth], only one is allowed", who);
	if ((u->impersonate_uid[0] || u->nimpersonate_groups) && !u->impersonate[0])
		return err_set(err, ERR_USAGE, "--as-group and --as-uid need --as (a user to "
			       "impersonate)");
	return 0;
}

static int select_all(const struct kc_env *env, const struct kc_flags *f, struct kc_config *c,
		      struct merged *m, struct warnings *w, struct err *err)
{
	const struct named *ctx = NULL, *cl = NULL, *us = NULL;
	const char *cname, *clname = "", *uname = "", *ctx_ns = "";
	struct fctx x = { c, "", "", "", err };

	cname = f->context ? f->context : m->current ? m->current : "";
	c->context = cname;
	if (*cname) {
		ctx = find(m->contexts, m->ncontexts, cname);
		if (!ctx)
			return err_set(err, ERR_INPUT, "context \"%s\" does not exist%s%s", cname,
				       c->nfiles ? " in " : " (no kubeconfig file found)",
				       c->nfiles ? c->files[0] : "");
		x.file = ctx->file;
		x.what = arena_printf(&c->a, "contexts[%s].context", cname);
		if (kcl_get_str(&x, ctx->val, "cluster", &clname) < 0 ||
		    kcl_get_str(&x, ctx->val, "user", &uname) < 0 ||
		    kcl_get_str(&x, ctx->val, "namespace", &ctx_ns) < 0)
			return -1;
	}
	if (f->cluster)
		clname = f->cluster;
	if (f->user)
		uname = f->user;
	c->ns_from_flag = f->ns != NULL;
	c->ns = f->ns ? f->ns : *ctx_ns ? ctx_ns : "default";
	if (*clname) {
		cl = find(m->clusters, m->nclusters, clname);
		if (!cl && !f->server)
			return err_set(err, ERR_INPUT, "cluster \"%s\"%s%s%s does not exist in the "
				       "kubeconfig", clname, ctx && !f->cluster ? " (context \"" : "",
				       ctx && !f->cluster ? cname : "",
				       ctx && !f->cluster ? "\")" : "");
	}
	if (*uname) {
		us = find(m->users, m->nusers, uname);
		if (!us)
			return err_set(err, ERR_INPUT, "user \"%s\" does not exist in the kubeconfig",
				       uname);
	}
	if (!cl && f->server) {
		/* --server without a kubeconfig cluster: the flags are the cluster */
		c->cluster.name = *clname ? clname : "command-line";
		c->cluster.origin = "the command line";
		if (apply_cluster_flags(f, c, err) < 0)
			return -1;
		goto user;
	}
	if (!cl) {
		if (!ctx && !f->context && !f->cluster && in_cluster_possible(env, &c->a)) {
			if (use_in_cluster(env, c, w, err) < 0)
				return -1;
			/* as client-go's in-cluster config: --token replaces the account's */
			if (f->token)
				c->user.token = f->token;
			return 0;
		}
		if (!c->nfiles)
			return err_set(err, ERR_INPUT, "no kubeconfig found (--kubeconfig, "
				       "KUBECONFIG or ~/.kube/config) and not running in a pod");
		return err_set(err, ERR_INPUT, "no cluster selected: %s%s%s", *cname ?
			       "context \"" : "no current-context in ", *cname ? cname :
			       c->files[0], *cname ? "\" names no cluster" : "; give --context");
	}
	c->cluster.name = cl->name;
	c->cluster.origin = cl->file;
	x.file = cl->file;
	x.dir = cl->dir;
	x.what = arena_printf(&c->a, "clusters[%s].cluster", cl->name);
	if (kcl_read_cluster(&x, cl->val, &c->cluster, w) < 0)
		return -1;
	if (apply_cluster_flags(f, c, err) < 0)
		return -1;
	if (!*c->cluster.server)
		return err_set(err, ERR_INPUT, "%s: %s.server: cluster %s has no server defined",
			       cl->file, x.what, cl->name);
user:
	if (us) {
		c->user.name = us->name;
		c->user.origin = us->file;
		x.file = us->file;
		x.dir = us->dir;
		x.what = arena_printf(&c->a, "users[%s].user", us->name);
		if (kcl_read_user(&x, us->val, &c->user) < 0 || kcl_check_auth_provider(&c->user, err) < 0)
			return -1;
	}
	if (!us)
		c->user.origin = "the command line";
	return apply_user_flags(f, c, err);
}

static void user_defaults(struct kc_user *u)
{
	const char **s[] = { &u->name, &u->origin, &u->cert_file, &u->key_file, &u->token,
			     &u->token_file, &u->username, &u->password, &u->impersonate,
			     &u->impersonate_uid, &u->auth_provider, &u->oidc_id_token };
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		*s[i] = "";
	u->exec.install_hint = "";
	u->exec.api_version = "";
	u->exec.command = "";
}

int kc_load(const struct kc_env *env, const struct kc_flags *flags, struct kc_config *c,
	    struct warnings *w, struct err *err)
{
	struct merged m;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	memset(&m, 0, sizeof(m));
	arena_init(&c->a, 0);
	c->context = "";
	c->ns = "default";
	c->prefix = "";
	c->cluster.server = c->cluster.ca_file = c->cluster.tls_server_name = "";
	c->cluster.proxy_url = c->cluster.name = c->cluster.origin = "";
	user_defaults(&c->user);
	if (kcl_load_files(env, flags, c, &m, w, err) < 0 || select_all(env, flags, c, &m, w, err) < 0)
		goto out;
	if (split_server(c, err) < 0)
		goto out;
	if (c->cluster.insecure)
		warn_add(w, "cluster %s: insecure-skip-tls-verify is set: the server's certificate "
			 "is not checked", c->cluster.name);
	if (!kc_creds_allowed(c) && (*c->user.token || *c->user.token_file || c->user.cert_data.p ||
				     *c->user.username || c->user.exec.set))
		warn_add(w, "cluster %s: server %s is not https: credentials of user %s are not "
			 "sent", c->cluster.name, c->cluster.server, c->user.name);
	rc = 0;
out:
	free(m.clusters);
	free(m.users);
	free(m.contexts);
	return rc;
}

void kc_release(struct kc_config *c)
{
	free(c->files);
	c->files = NULL;
	arena_release(&c->a);
}

bool kc_creds_allowed(const struct kc_config *c)
{
	return c->scheme && !strcmp(c->scheme, "https");
}
