/*
 * kubeconfig_load: reading kubeconfig files like client-go's clientcmd
 * (kubeconfig.h; kubernetes-api.md sections 1-3): the files of the merge
 * (--kubeconfig, KUBECONFIG, ~/.kube/config), first-wins merging of their
 * clusters, users and contexts, and the fields of a cluster and a user
 * (paths relative to their file, *-data base64, exec plugins). Choosing
 * among them is kubeconfig.c's job.
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

#define KC_MAX_FILE (16u << 20)
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

int kcl_load_files(const struct kc_env *env, const struct kc_flags *f, struct kc_config *c,
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

int kcl_get_str(struct fctx *x, const struct json *o, const char *key, const char **out)
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
	if (kcl_get_str(x, o, datakey, &data) < 0 || kcl_get_str(x, o, pathkey, &p) < 0)
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

int kcl_read_cluster(struct fctx *x, const struct json *o, struct kc_cluster *cl,
		     struct warnings *w)
{
	const char *both_file;

	if (kcl_get_str(x, o, "server", &cl->server) < 0 ||
	    kcl_get_str(x, o, "tls-server-name", &cl->tls_server_name) < 0 ||
	    get_bool(x, o, "insecure-skip-tls-verify", &cl->insecure) < 0 ||
	    kcl_get_str(x, o, "proxy-url", &cl->proxy_url) < 0 ||
	    get_bool(x, o, "disable-compression", &cl->disable_compression) < 0 ||
	    kcl_get_str(x, o, "certificate-authority", &both_file) < 0)
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
	if (kcl_get_str(x, o, "apiVersion", &e->api_version) < 0 ||
	    kcl_get_str(x, o, "command", &e->command) < 0 ||
	    get_strs(x, o, "args", &e->args, &e->nargs) < 0 ||
	    kcl_get_str(x, o, "installHint", &e->install_hint) < 0 ||
	    get_bool(x, o, "provideClusterInfo", &e->provide_cluster_info) < 0 ||
	    kcl_get_str(x, o, "interactiveMode", &mode) < 0)
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

const char *kcl_trimmed(struct arena *a, const char *s, size_t n)
{
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	while (n && strchr(" \t\r\n", *s)) {
		s++;
		n--;
	}
	return arena_strndup(a, s, n);
}

int kcl_read_user(struct fctx *x, const struct json *o, struct kc_user *u)
{
	const struct json *ap = json_get(o, "auth-provider"), *ex = json_get(o, "exec");
	const char *what = x->what;
	bool has_token;

	if (kcl_get_str(x, o, "token", &u->token) < 0 ||
	    kcl_get_str(x, o, "tokenFile", &u->token_file) < 0 ||
	    kcl_get_str(x, o, "username", &u->username) < 0 ||
	    kcl_get_str(x, o, "password", &u->password) < 0 ||
	    kcl_get_str(x, o, "as", &u->impersonate) < 0 ||
	    kcl_get_str(x, o, "as-uid", &u->impersonate_uid) < 0 ||
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
		if (kcl_get_str(&y, ap, "name", &u->auth_provider) < 0 ||
		    kcl_get_str(&y, json_get(ap, "config"), "id-token", &u->oidc_id_token) < 0)
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
		if (!*kcl_trimmed(&x->c->a, t.p, t.n))
			return err_set(x->err, ERR_INPUT, "%s: '%s' is empty", w, u->token_file);
	}
	return 0;
}

/* Auth providers removed from client-go, and oidc without a token. */
int kcl_check_auth_provider(const struct kc_user *u, struct err *err)
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
