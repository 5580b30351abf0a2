/*
 * kubeconfig: load, merge and resolve kubeconfig files like client-go's
 * clientcmd (kubeconfig.h; kubernetes-api.md sections 1-3).
 */
#include "kubeconfig.h"
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

#define KC_MAX_FILE (16u << 20)
#define KC_MAX_PEM (1u << 20)
#define EXEC_EXT "client.authentication.k8s.io/exec"
#define SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

void kc_env_default(struct kc_env *env)
{
	env->kubeconfig = getenv("KUBECONFIG");
	env->home = getenv("HOME");
	env->svc_host = getenv("KUBERNETES_SERVICE_HOST");
	env->svc_port = getenv("KUBERNETES_SERVICE_PORT");
	env->pod_namespace = getenv("POD_NAMESPACE");
	env->sa_dir = SA_DIR;
}

/* one named entry of the merged configuration */
struct named {
	const char *name;
	const struct json *val;     /* the "cluster"/"user"/"context" object */
	const char *file;           /* file of origin */
	const char *dir;            /* its directory, for relative paths */
};

struct merged {
	struct named *clusters, *users, *contexts;
	size_t nclusters, ncontexts, nusers, capc, capu, capx;
	const char *current;
};

int kc_read_file(struct arena *a, const char *path, size_t max, const char *what,
		 struct kc_blob *out, struct err *err)
{
	struct buf b;
	char tmp[8192];
	ssize_t n;
	int fd, rc = -1;

	buf_init(&b, max);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_set(err, ERR_INPUT, "%s: cannot read '%s': %s", what, path, strerror(errno));
		goto out;
	}
	while ((n = read(fd, tmp, sizeof(tmp))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_set(err, ERR_INPUT, "%s: cannot read '%s': %s", what, path,
				strerror(errno));
			goto out;
		}
		if (buf_addn(&b, tmp, (size_t)n) < 0) {
			err_set(err, ERR_INPUT, "%s: '%s' is larger than %zu bytes", what, path, max);
			goto out;
		}
	}
	out->p = arena_memdup(a, b.p ? b.p : "", b.len + 1);
	out->n = b.len;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	buf_release(&b);
	return rc;
}

/* dirname of an absolute version of path */
static const char *dir_of(struct arena *a, const char *path)
{
	char cwd[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (path[0] == '/')
		return slash == path ? "/" : arena_strndup(a, path, (size_t)(slash - path));
	if (!getcwd(cwd, sizeof(cwd)))
		return ".";
	if (!slash)
		return arena_strdup(a, cwd);
	return arena_printf(a, "%s/%.*s", cwd, (int)(slash - path), path);
}

static const char *resolve(struct arena *a, const char *dir, const char *p)
{
	if (!p || !*p || p[0] == '/')
		return p ? p : "";
	return arena_printf(a, "%s/%s", dir, p);
}

/* ---------------------------------------------------------------- */
/* reading one file                                                  */

static int add_named(struct arena *a, struct named **arr, size_t *n, size_t *cap,
		     const struct json *list, const char *section, const char *inner,
		     const char *file, struct err *err)
{
	size_t start = *n;

	if (!list || list->type == JSON_NULL)
		return 0;
	if (list->type != JSON_ARRAY)
		return err_set(err, ERR_INPUT, "%s: %s: expected a list, got %s", file, section,
			       json_type_name(list));
	for (size_t i = 0; i < list->n; i++) {
		const struct json *it = &list->u.items[i];
		const char *name = json_str(json_get(it, "name"));
		const struct json *v = json_get(it, inner);
		if (!json_is(it, JSON_OBJECT) || !name)
			return err_set(err, ERR_INPUT, "%s: %s[%zu]: expected an object with a "
				       "string name", file, section, i);
		if (v && v->type != JSON_OBJECT && v->type != JSON_NULL)
			return err_set(err, ERR_INPUT, "%s: %s[%s].%s: expected an object, got %s",
				       file, section, name, inner, json_type_name(v));
		for (size_t j = start; j < *n; j++)
			if (!strcmp((*arr)[j].name, name))
				return err_set(err, ERR_INPUT, "%s: duplicate name \"%s\" in %s",
					       file, name, section);
		XGROW(*arr, *cap, *n + 1);
		(*arr)[*n] = (struct named){ name, v, file, dir_of(a, file) };
		(*n)++;
	}
	return 0;
}

/* first-wins: drop entries of this file whose name an earlier file defined */
static void dedupe(struct named *arr, size_t start, size_t *n)
{
	size_t w = start;

	for (size_t i = start; i < *n; i++) {
		bool seen = false;
		for (size_t j = 0; j < start && !seen; j++)
			seen = !strcmp(arr[j].name, arr[i].name);
		if (!seen)
			arr[w++] = arr[i];
	}
	*n = w;
}

static int load_file(struct kc_config *c, struct merged *m, const char *path, struct err *err)
{
	struct kc_blob text;
	struct json root;
	size_t s1 = m->nclusters, s2 = m->nusers, s3 = m->ncontexts;
	const char *cur;

	if (kc_read_file(&c->a, path, KC_MAX_FILE, "kubeconfig", &text, err) < 0)
		return -1;
	if (yaml_parse(path, text.p, text.n, &c->a, &root, err) < 0)
		return -1;
	if (root.type == JSON_NULL)
		goto done;
	if (root.type != JSON_OBJECT)
		return err_set(err, ERR_INPUT, "%s: expected a kubeconfig mapping, got %s", path,
			       json_type_name(&root));
	if (add_named(&c->a, &m->clusters, &m->nclusters, &m->capc, json_get(&root, "clusters"),
		      "clusters", "cluster", path, err) < 0 ||
	    add_named(&c->a, &m->users, &m->nusers, &m->capu, json_get(&root, "users"), "users",
		      "user", path, err) < 0 ||
	    add_named(&c->a, &m->contexts, &m->ncontexts, &m->capx, json_get(&root, "contexts"),
		      "contexts", "context", path, err) < 0)
		return -1;
	dedupe(m->clusters, s1, &m->nclusters);
	dedupe(m->users, s2, &m->nusers);
	dedupe(m->contexts, s3, &m->ncontexts);
	cur = json_str(json_get(&root, "current-context"));
	if (json_get(&root, "current-context") && !cur &&
	    json_get(&root, "current-context")->type != JSON_NULL)
		return err_set(err, ERR_INPUT, "%s: current-context: expected a string", path);
	if ((!m->current || !*m->current) && cur && *cur)
		m->current = cur;
done:
	XGROW(c->files, c->capfiles, c->nfiles + 1);
	c->files[c->nfiles++] = arena_strdup(&c->a, path);
	return 0;
}

static bool file_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

static int load_files(const struct kc_env *env, const struct kc_flags *f, struct kc_config *c,
		      struct merged *m, struct warnings *w, struct err *err)
{
	if (f->kubeconfig) {
		if (!file_exists(f->kubeconfig))
			return err_set(err, ERR_INPUT, "--kubeconfig: '%s': %s", f->kubeconfig,
				       strerror(ENOENT));
		return load_file(c, m, f->kubeconfig, err);
	}
	if (env->kubeconfig && *env->kubeconfig) {
		char *list = arena_strdup(&c->a, env->kubeconfig), *save = NULL;
		const char **seen = NULL;
		size_t nseen = 0, capseen = 0, nmissing = 0;
		int rc = 0;
		for (char *p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
			bool dup = false;
			for (size_t i = 0; i < nseen && !dup; i++)
				dup = !strcmp(seen[i], p);
			if (dup)
				continue;
			XGROW(seen, capseen, nseen + 1);
			seen[nseen++] = p;
			if (!file_exists(p)) {
				nmissing++;
				continue;
			}
			if ((rc = load_file(c, m, p, err)) < 0)
				break;
		}
		if (!rc && nseen && nmissing == nseen)
			warn_add(w, "none of the files in KUBECONFIG exist");
		free(seen);
		return rc;
	}
	if (env->home && *env->home) {
		const char *p = arena_printf(&c->a, "%s/.kube/config", env->home);
		if (file_exists(p))
			return load_file(c, m, p, err);
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* fields                                                            */

struct fctx {
	struct kc_config *c;
	const char *file, *dir, *what;   /* what: "users[red].user" */
	struct err *err;
};

static int get_str(struct fctx *x, const struct json *o, const char *key, const char **out)
{
	const struct json *v = json_get(o, key);

	*out = "";
	if (!v || v->type == JSON_NULL)
		return 0;
	if (v->type != JSON_STRING)
		return err_set(x->err, ERR_INPUT, "%s: %s.%s: expected a string, got %s", x->file,
			       x->what, key, json_type_name(v));
	*out = v->u.s;
	return 0;
}

static int get_bool(struct fctx *x, const struct json *o, const char *key, bool *out)
{
	const struct json *v = json_get(o, key);

	*out = false;
	if (!v || v->type == JSON_NULL)
		return 0;
	if (!json_is_bool(v))
		return err_set(x->err, ERR_INPUT, "%s: %s.%s: expected true or false, got %s",
			       x->file, x->what, key, json_type_name(v));
	*out = v->type == JSON_TRUE;
	return 0;
}

static int get_strs(struct fctx *x, const struct json *o, const char *key, const char ***out,
		    size_t *n)
{
	const struct json *v = json_get(o, key);

	*out = NULL;
	*n = 0;
	if (!v || v->type == JSON_NULL)
		return 0;
	if (v->type != JSON_ARRAY)
		return err_set(x->err, ERR_INPUT, "%s: %s.%s: expected a list of strings", x->file,
			       x->what, key);
	*out = arena_calloc(&x->c->a, v->n + 1, sizeof(char *));
	for (size_t i = 0; i < v->n; i++) {
		if (v->u.items[i].type != JSON_STRING)
			return err_set(x->err, ERR_INPUT, "%s: %s.%s[%zu]: expected a string",
				       x->file, x->what, key, i);
		(*out)[i] = v->u.items[i].u.s;
	}
	*n = v->n;
	return 0;
}

/* a *-data field (base64) or the file named by the path field */
static int get_pem(struct fctx *x, const struct json *o, const char *datakey, const char *pathkey,
		   struct kc_blob *out, const char **path)
{
	const char *data, *p;
	struct buf b;

	out->p = NULL;
	out->n = 0;
	if (get_str(x, o, datakey, &data) < 0 || get_str(x, o, pathkey, &p) < 0)
		return -1;
	*path = resolve(&x->c->a, x->dir, p);
	if (*data) {
		buf_init(&b, KC_MAX_PEM);
		if (b64_decode(&b, data, strlen(data)) < 0) {
			buf_release(&b);
			return err_set(x->err, ERR_INPUT, "%s: %s.%s: not valid base64", x->file,
				       x->what, datakey);
		}
		out->p = arena_memdup(&x->c->a, b.p, b.len + 1);
		out->n = b.len;
		buf_release(&b);
		return 0;
	}
	if (**path) {
		char *what = arena_printf(&x->c->a, "%s: %s.%s", x->file, x->what, pathkey);
		return kc_read_file(&x->c->a, *path, KC_MAX_PEM, what, out, x->err);
	}
	return 0;
}

static const struct json *find_ext(const struct json *exts, const char *name)
{
	if (!json_is(exts, JSON_ARRAY))
		return NULL;
	for (size_t i = 0; i < exts->n; i++)
		if (json_str(json_get(&exts->u.items[i], "name")) &&
		    !strcmp(json_str(json_get(&exts->u.items[i], "name")), name))
			return json_get(&exts->u.items[i], "extension");
	return NULL;
}

static int read_cluster(struct fctx *x, const struct json *o, struct kc_cluster *cl,
			struct warnings *w)
{
	const char *both_file;

	if (get_str(x, o, "server", &cl->server) < 0 ||
	    get_str(x, o, "tls-server-name", &cl->tls_server_name) < 0 ||
	    get_bool(x, o, "insecure-skip-tls-verify", &cl->insecure) < 0 ||
	    get_str(x, o, "proxy-url", &cl->proxy_url) < 0 ||
	    get_bool(x, o, "disable-compression", &cl->disable_compression) < 0 ||
	    get_str(x, o, "certificate-authority", &both_file) < 0)
		return -1;
	if (json_str(json_get(o, "certificate-authority-data")) && *both_file &&
	    *json_str(json_get(o, "certificate-authority-data")))
		warn_add(w, "%s: %s: certificate-authority-data and certificate-authority are both "
			 "specified; certificate-authority-data is used", x->file, x->what);
	if (get_pem(x, o, "certificate-authority-data", "certificate-authority", &cl->ca_data,
		    &cl->ca_file) < 0)
		return -1;
	if (cl->insecure && cl->ca_data.p)
		return err_set(x->err, ERR_INPUT, "%s: %s: specifying a root certificates file "
			       "with the insecure flag is not allowed", x->file, x->what);
	if (cl->proxy_url[0] && strncmp(cl->proxy_url, "http://", 7) &&
	    strncmp(cl->proxy_url, "https://", 8) && strncmp(cl->proxy_url, "socks5://", 9))
		return err_set(x->err, ERR_INPUT, "%s: %s.proxy-url: scheme must be http, https "
			       "or socks5", x->file, x->what);
	cl->exec_ext = find_ext(json_get(o, "extensions"), EXEC_EXT);
	return 0;
}

static int read_exec(struct fctx *x, const struct json *o, const char *user, struct kc_exec *e)
{
	const char *mode;
	const struct json *env = json_get(o, "env");

	e->set = true;
	if (get_str(x, o, "apiVersion", &e->api_version) < 0 ||
	    get_str(x, o, "command", &e->command) < 0 ||
	    get_strs(x, o, "args", &e->args, &e->nargs) < 0 ||
	    get_str(x, o, "installHint", &e->install_hint) < 0 ||
	    get_bool(x, o, "provideClusterInfo", &e->provide_cluster_info) < 0 ||
	    get_str(x, o, "interactiveMode", &mode) < 0)
		return -1;
	if (!*e->api_version)
		return err_set(x->err, ERR_INPUT, "%s: %s.apiVersion: apiVersion must be specified "
			       "for %s to use exec authentication plugin", x->file, x->what, user);
	if (strcmp(e->api_version, "client.authentication.k8s.io/v1") &&
	    strcmp(e->api_version, "client.authentication.k8s.io/v1beta1"))
		return err_set(x->err, ERR_INPUT, "%s: %s.apiVersion: exec plugin: invalid "
			       "apiVersion \"%s\"", x->file, x->what, e->api_version);
	if (!*e->command)
		return err_set(x->err, ERR_INPUT, "%s: %s.command: command must be specified for "
			       "%s to use exec authentication plugin", x->file, x->what, user);
	if (strchr(e->command, '/'))
		e->command = resolve(&x->c->a, x->dir, e->command);
	if (!*mode) {
		if (!strcmp(e->api_version, "client.authentication.k8s.io/v1"))
			return err_set(x->err, ERR_INPUT, "%s: %s.interactiveMode: interactiveMode "
				       "must be specified for %s to use exec authentication plugin",
				       x->file, x->what, user);
		e->interactive = KC_INTERACTIVE_IFAVAILABLE;
	} else if (!strcmp(mode, "Never")) {
		e->interactive = KC_INTERACTIVE_NEVER;
	} else if (!strcmp(mode, "IfAvailable")) {
		e->interactive = KC_INTERACTIVE_IFAVAILABLE;
	} else if (!strcmp(mode, "Always")) {
		e->interactive = KC_INTERACTIVE_ALWAYS;
	} else {
		return err_set(x->err, ERR_INPUT, "%s: %s.interactiveMode: invalid value \"%s\" "
			       "(Never, IfAvailable or Always)", x->file, x->what, mode);
	}
	if (env && env->type != JSON_NULL) {
		if (env->type != JSON_ARRAY)
			return err_set(x->err, ERR_INPUT, "%s: %s.env: expected a list", x->file,
				       x->what);
		e->env = arena_calloc(&x->c->a, env->n + 1, sizeof(char *));
		for (size_t i = 0; i < env->n; i++) {
			const char *n = json_str(json_get(&env->u.items[i], "name"));
			const char *v = json_str(json_get(&env->u.items[i], "value"));
			if (!n || !*n || strchr(n, '='))
				return err_set(x->err, ERR_INPUT, "%s: %s.env[%zu].name: expected a "
					       "variable name", x->file, x->what, i);
			e->env[e->nenv++] = arena_printf(&x->c->a, "%s=%s", n, v ? v : "");
		}
	}
	return 0;
}

static const char *trimmed(struct arena *a, const char *s, size_t n)
{
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	while (n && strchr(" \t\r\n", *s)) {
		s++;
		n--;
	}
	return arena_strndup(a, s, n);
}

static int read_user(struct fctx *x, const struct json *o, struct kc_user *u)
{
	const struct json *ap = json_get(o, "auth-provider"), *ex = json_get(o, "exec");
	const char *what = x->what;
	bool has_token;

	if (get_str(x, o, "token", &u->token) < 0 ||
	    get_str(x, o, "tokenFile", &u->token_file) < 0 ||
	    get_str(x, o, "username", &u->username) < 0 ||
	    get_str(x, o, "password", &u->password) < 0 ||
	    get_str(x, o, "as", &u->impersonate) < 0 ||
	    get_str(x, o, "as-uid", &u->impersonate_uid) < 0 ||
	    get_strs(x, o, "as-groups", &u->impersonate_groups, &u->nimpersonate_groups) < 0 ||
	    get_pem(x, o, "client-certificate-data", "client-certificate", &u->cert_data,
		    &u->cert_file) < 0 ||
	    get_pem(x, o, "client-key-data", "client-key", &u->key_data, &u->key_file) < 0)
		return -1;
	u->token_file = resolve(&x->c->a, x->dir, u->token_file);
	if (u->cert_data.p && !u->key_data.p)
		return err_set(x->err, ERR_INPUT, "%s: %s: client-key-data or client-key must be "
			       "specified for %s to use the clientCert authentication method",
			       x->file, what, u->name);
	if (u->key_data.p && !u->cert_data.p)
		return err_set(x->err, ERR_INPUT, "%s: %s: client-certificate-data or "
			       "client-certificate must be specified for %s to use the clientCert "
			       "authentication method", x->file, what, u->name);
	has_token = *u->token || *u->token_file;
	if (has_token && (*u->username || *u->password))
		return err_set(x->err, ERR_INPUT, "%s: %s: more than one authentication method "
			       "found for %s; found [token basicAuth], only one is allowed",
			       x->file, what, u->name);
	if ((u->impersonate_uid[0] || u->nimpersonate_groups) && !u->impersonate[0])
		return err_set(x->err, ERR_INPUT, "%s: %s: as-uid or as-groups given without as",
			       x->file, what);
	if (json_is(ap, JSON_OBJECT) && json_is(ex, JSON_OBJECT))
		return err_set(x->err, ERR_INPUT, "%s: %s: authProvider cannot be provided in "
			       "combination with an exec plugin", x->file, what);
	if (json_is(ap, JSON_OBJECT)) {
		struct fctx y = *x;
		y.what = arena_printf(&x->c->a, "%s.auth-provider", what);
		if (get_str(&y, ap, "name", &u->auth_provider) < 0 ||
		    get_str(&y, json_get(ap, "config"), "id-token", &u->oidc_id_token) < 0)
			return -1;
	}
	if (json_is(ex, JSON_OBJECT)) {
		struct fctx y = *x;
		y.what = arena_printf(&x->c->a, "%s.exec", what);
		if (read_exec(&y, ex, u->name, &u->exec) < 0)
			return -1;
	}
	if (*u->token_file && !*u->token) {
		struct kc_blob t;
		char *w = arena_printf(&x->c->a, "%s: %s.tokenFile", x->file, what);
		if (kc_read_file(&x->c->a, u->token_file, 1u << 20, w, &t, x->err) < 0)
			return -1;
		if (!*trimmed(&x->c->a, t.p, t.n))
			return err_set(x->err, ERR_INPUT, "%s: '%s' is empty", w, u->token_file);
	}
	return 0;
}

/* Auth providers removed from client-go, and oidc without a token. */
static int check_auth_provider(const struct kc_user *u, struct err *err)
{
	const char *p = u->auth_provider;

	if (!*p)
		return 0;
	if (!strcmp(p, "gcp"))
		return err_set(err, ERR_INPUT, "%s: user %s: the gcp auth plugin has been removed; "
			       "use the \"gke-gcloud-auth-plugin\" exec plugin "
			       "(gcloud components install gke-gcloud-auth-plugin, then "
			       "gcloud container clusters get-credentials)", u->origin, u->name);
	if (!strcmp(p, "azure"))
		return err_set(err, ERR_INPUT, "%s: user %s: the azure auth plugin has been "
			       "removed; use the \"kubelogin\" exec plugin (kubelogin "
			       "convert-kubeconfig)", u->origin, u->name);
	if (strcmp(p, "oidc"))
		return err_set(err, ERR_INPUT, "%s: user %s: auth-provider \"%s\" is not supported; "
			       "use an exec plugin", u->origin, u->name, p);
	if (!*u->oidc_id_token)
		return err_set(err, ERR_INPUT, "%s: user %s: the oidc auth-provider has no "
			       "id-token; log in with kubectl once, then retry", u->origin,
			       u->name);
	return 0;
}

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
			   *trimmed(&c->a, b.p, b.n)) {
			c->ns = trimmed(&c->a, b.p, b.n);
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
		if (get_str(&x, ctx->val, "cluster", &clname) < 0 ||
		    get_str(&x, ctx->val, "user", &uname) < 0 ||
		    get_str(&x, ctx->val, "namespace", &ctx_ns) < 0)
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
	if (read_cluster(&x, cl->val, &c->cluster, w) < 0)
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
		if (read_user(&x, us->val, &c->user) < 0 || check_auth_provider(&c->user, err) < 0)
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
	if (load_files(env, flags, c, &m, w, err) < 0 || select_all(env, flags, c, &m, w, err) < 0)
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
