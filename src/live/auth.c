/*
 * auth: static credentials, the token file and exec credential plugins
 * (auth.h).
 */
#include "auth.h"
#include "b64.h"
#include "../json/json.h"
#include "../json/json_write.h"
#include "../util/buf.h"
#include "../util/ktime.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../util/banned.h"

#define TOKEN_FILE_PERIOD 60
#define PLUGIN_MAX_OUT (1u << 20)

extern char **environ;

void auth_init(struct auth *a, const struct kc_config *c)
{
	memset(a, 0, sizeof(*a));
	a->c = c;
	arena_init(&a->a, 0);
	a->gen = 1;
	a->plugin_timeout = 60;
}

void auth_release(struct auth *a)
{
	arena_release(&a->a);
}

static bool has_static(const struct kc_user *u)
{
	return *u->token || *u->token_file || *u->username || *u->password || u->cert_data.p ||
	       *u->oidc_id_token;
}

static const char *trim(struct arena *ar, const char *s, size_t n)
{
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	while (n && strchr(" \t\r\n", *s)) {
		s++;
		n--;
	}
	return arena_strndup(ar, s, n);
}

/* Re-read the token file; the previous value stays on failure. Returns 1 when it changed. */
static int read_token_file(struct auth *a, struct err *err)
{
	struct kc_blob b;
	const char *t;
	int changed;

	a->file_read_at = time(NULL);
	if (kc_read_file(&a->a, a->c->user.token_file, 1u << 20, "tokenFile", &b, err) < 0)
		return a->file_token ? 0 : -1;
	t = trim(&a->a, b.p, b.n);
	if (!*t)
		return a->file_token ? 0 : err_set(err, ERR_CLUSTER, "tokenFile: '%s' is empty",
						   a->c->user.token_file);
	changed = !a->file_token || strcmp(a->file_token, t);
	a->file_token = t;
	if (changed)
		a->gen++;
	return changed;
}

/* ---------------------------------------------------------------- */
/* exec plugin                                                       */

static char *exec_info(const struct kc_config *c, bool interactive)
{
	const struct kc_exec *e = &c->user.exec;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct json_w w;

	if (!f)
		abort();
	json_w_init(&w, f, 0);
	json_w_obj(&w);
	json_w_key(&w, "kind");
	json_w_str(&w, "ExecCredential");
	json_w_key(&w, "apiVersion");
	json_w_str(&w, e->api_version);
	json_w_key(&w, "spec");
	json_w_obj(&w);
	if (e->provide_cluster_info) {
		json_w_key(&w, "cluster");
		json_w_obj(&w);
		json_w_key(&w, "server");
		json_w_str(&w, c->cluster.server);
		if (*c->cluster.tls_server_name) {
			json_w_key(&w, "tls-server-name");
			json_w_str(&w, c->cluster.tls_server_name);
		}
		if (c->cluster.insecure) {
			json_w_key(&w, "insecure-skip-tls-verify");
			json_w_bool(&w, true);
		}
		if (c->cluster.ca_data.p) {
			struct buf b;
			buf_init(&b, 0);
			b64_encode(&b, c->cluster.ca_data.p, c->cluster.ca_data.n);
			json_w_key(&w, "certificate-authority-data");
			json_w_str(&w, b.p);
			buf_release(&b);
		}
		if (*c->cluster.proxy_url) {
			json_w_key(&w, "proxy-url");
			json_w_str(&w, c->cluster.proxy_url);
		}
		if (c->cluster.disable_compression) {
			json_w_key(&w, "disable-compression");
			json_w_bool(&w, true);
		}
		if (c->cluster.exec_ext) {
			json_w_key(&w, "config");
			json_w_value(&w, c->cluster.exec_ext);
		}
		json_w_end(&w);
	}
	json_w_key(&w, "interactive");
	json_w_bool(&w, interactive);
	json_w_end(&w);
	json_w_end(&w);
	fflush(f);
	fclose(f);
	/* json_w_finish would add a newline; strip it if present */
	if (len && out[len - 1] == '\n')
		out[len - 1] = '\0';
	return out;
}

static void child(const struct kc_config *c, int in_fd, int out_fd, int errpipe,
		  const char *info)
{
	const struct kc_exec *e = &c->user.exec;
	size_t n = 0;
	char **env, **argv;
	int code;

	while (environ[n])
		n++;
	env = xcalloc(n + e->nenv + 2, sizeof(char *));
	n = 0;
	for (char **p = environ; *p; p++)
		if (strncmp(*p, "KUBERNETES_EXEC_INFO=", 21))
			env[n++] = *p;
	for (size_t i = 0; i < e->nenv; i++)
		env[n++] = (char *)e->env[i];
	env[n++] = xasprintf("KUBERNETES_EXEC_INFO=%s", info);
	argv = xcalloc(e->nargs + 2, sizeof(char *));
	argv[0] = (char *)e->command;
	for (size_t i = 0; i < e->nargs; i++)
		argv[i + 1] = (char *)e->args[i];
	if (in_fd >= 0)
		dup2(in_fd, 0);
	dup2(out_fd, 1);
	environ = env;
	execvp(e->command, argv);
	code = errno;
	if (write(errpipe, &code, sizeof(code)) < 0)
		_exit(127);
	_exit(127);
}

/* Strip terminal escapes from an install hint (client-go does the same). */
static const char *clean_hint(struct arena *ar, const char *h)
{
	char *o = arena_strdup(ar, h), *w = o;

	for (const char *p = h; *p; p++)
		if ((unsigned char)*p >= 0x20 || *p == '\n')
			*w++ = *p;
	*w = '\0';
	return o;
}

static int run_plugin(struct auth *a, struct buf *out, struct err *err)
{
	const struct kc_config *c = a->c;
	const struct kc_exec *e = &c->user.exec;
	bool tty = isatty(0), interactive;
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, in_fd = -1, status, code = 0, rc = -1;
	char *info = NULL;
	pid_t pid;
	time_t deadline;

	if (e->interactive == KC_INTERACTIVE_ALWAYS && !tty)
		return err_set(err, ERR_CLUSTER, "exec plugin %s: interactiveMode is Always but "
			       "standard input is not a terminal", e->command);
	interactive = e->interactive != KC_INTERACTIVE_NEVER && tty;
	info = exec_info(c, interactive);
	if (!interactive)
		in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		err_set(err, ERR_INTERNAL, "exec plugin: pipe: %s", strerror(errno));
		goto out;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err_set(err, ERR_INTERNAL, "exec plugin: fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child(c, in_fd, outp[1], errp[1], info);
	close(outp[1]);
	close(errp[1]);
	outp[1] = errp[1] = -1;
	a->exec_runs++;
	deadline = time(NULL) + a->plugin_timeout;
	for (;;) {
		struct pollfd pf = { outp[0], POLLIN, 0 };
		char tmp[4096];
		ssize_t n;
		int left = (int)(deadline - time(NULL));
		if (left <= 0 || poll(&pf, 1, left * 1000) == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			err_set(err, ERR_CLUSTER, "exec plugin %s: no answer within %d s", e->command,
				a->plugin_timeout);
			goto out;
		}
		n = read(outp[0], tmp, sizeof(tmp));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (buf_addn(out, tmp, (size_t)n) < 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			err_set(err, ERR_CLUSTER, "exec plugin %s: output larger than %u bytes",
				e->command, PLUGIN_MAX_OUT);
			goto out;
		}
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (read(errp[0], &code, sizeof(code)) == (ssize_t)sizeof(code)) {
		if (code == ENOENT)
			err_set(err, ERR_CLUSTER, "exec plugin: executable %s not found%s%s",
				e->command, *e->install_hint ? "\n" : "",
				clean_hint(&a->a, e->install_hint));
		else
			err_set(err, ERR_CLUSTER, "exec plugin %s: cannot run: %s", e->command,
				strerror(code));
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		err_set(err, ERR_CLUSTER, "exec plugin %s failed (exit status %d)", e->command,
			WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		goto out;
	}
	rc = 0;
out:
	free(info);
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	if (in_fd >= 0)
		close(in_fd);
	return rc;
}

static int parse_plugin(struct auth *a, char *text, size_t len, struct err *err)
{
	const struct kc_exec *e = &a->c->user.exec;
	struct json root;
	struct json_error je;
	const struct json *st;
	const char *api, *tok, *cert, *key, *exp;

	if (json_parse(text, len, &a->a, &root, &je) < 0)
		return err_set(err, ERR_CLUSTER, "exec plugin %s: output is not JSON (line %u: %s)",
			       e->command, je.line, je.msg);
	api = json_str(json_get(&root, "apiVersion"));
	if (!api || strcmp(api, e->api_version))
		return err_set(err, ERR_CLUSTER, "exec plugin %s is configured to use API version "
			       "%s, plugin returned version %s", e->command, e->api_version,
			       api ? api : "(none)");
	st = json_get(&root, "status");
	if (!json_is(st, JSON_OBJECT))
		return err_set(err, ERR_CLUSTER, "exec plugin %s didn't return a status field",
			       e->command);
	tok = json_str(json_get(st, "token"));
	cert = json_str(json_get(st, "clientCertificateData"));
	key = json_str(json_get(st, "clientKeyData"));
	exp = json_str(json_get(st, "expirationTimestamp"));
	if (tok && !*tok)
		tok = NULL;
	if (cert && !*cert)
		cert = NULL;
	if (key && !*key)
		key = NULL;
	if (!tok && !cert && !key)
		return err_set(err, ERR_CLUSTER, "exec plugin %s didn't return a token or cert/key "
			       "pair", e->command);
	if (!cert != !key)
		return err_set(err, ERR_CLUSTER, "exec plugin %s returned only certificate or key, "
			       "not both", e->command);
	a->exec_expiry = 0;
	if (exp && *exp) {
		ktime t;
		if (ktime_parse(exp, strlen(exp), &t) < 0)
			return err_set(err, ERR_CLUSTER, "exec plugin %s: status.expirationTimestamp "
				       "is not an RFC 3339 time", e->command);
		a->exec_expiry = (time_t)t;
	}
	a->exec_token = tok ? tok : "";
	a->exec_cert.p = cert;
	a->exec_cert.n = cert ? strlen(cert) : 0;
	a->exec_key.p = key;
	a->exec_key.n = key ? strlen(key) : 0;
	a->exec_have = true;
	a->gen++;
	return 0;
}

static int refresh_exec(struct auth *a, struct err *err)
{
	struct buf out;
	int rc;

	buf_init(&out, PLUGIN_MAX_OUT);
	rc = run_plugin(a, &out, err);
	if (!rc) {
		char *text = arena_memdup(&a->a, out.p ? out.p : "", out.len + 1);
		rc = parse_plugin(a, text, out.len, err);
	}
	buf_release(&out);
	return rc;
}

static bool exec_used(const struct auth *a)
{
	return a->c->user.exec.set && !has_static(&a->c->user) && kc_creds_allowed(a->c);
}

int auth_get(struct auth *a, struct auth_creds *out, struct err *err)
{
	const struct kc_user *u = &a->c->user;

	memset(out, 0, sizeof(*out));
	out->bearer = out->basic = "";
	if (!kc_creds_allowed(a->c))
		goto done;
	if (*u->token_file && (!a->file_token || time(NULL) - a->file_read_at >= TOKEN_FILE_PERIOD))
		if (read_token_file(a, err) < 0)
			return -1;
	if (a->file_token)
		out->bearer = a->file_token;
	else if (*u->token)
		out->bearer = u->token;
	else if (*u->oidc_id_token)
		out->bearer = u->oidc_id_token;
	if (*u->username || *u->password)
		out->basic = arena_printf(&a->a, "%s:%s", u->username, u->password);
	out->cert = u->cert_data;
	out->key = u->key_data;
	if (exec_used(a)) {
		if (!a->exec_have || (a->exec_expiry && time(NULL) >= a->exec_expiry))
			if (refresh_exec(a, err) < 0)
				return -1;
		out->bearer = a->exec_token;
		out->cert = a->exec_cert;
		out->key = a->exec_key;
	}
done:
	out->generation = a->gen;
	return 0;
}

int auth_unauthorized(struct auth *a, unsigned gen, struct err *err)
{
	if (!kc_creds_allowed(a->c) || gen != a->gen || a->refreshed_gen == gen)
		return gen != a->gen;   /* credentials already changed since: retry */
	a->refreshed_gen = gen;
	if (exec_used(a)) {
		if (refresh_exec(a, err) < 0)
			return -1;
		return 1;
	}
	if (*a->c->user.token_file) {
		struct err ignore = ERR_INIT;
		return read_token_file(a, &ignore) > 0;
	}
	return 0;
}

const char *auth_describe(const struct auth *a, char *b, size_t cap)
{
	const struct kc_user *u = &a->c->user;

	if (!kc_creds_allowed(a->c))
		snprintf(b, cap, "no credentials (http)");
	else if (exec_used(a))
		snprintf(b, cap, "exec plugin %s", u->exec.command);
	else if (*u->token_file)
		snprintf(b, cap, "token file %s", u->token_file);
	else if (*u->token)
		snprintf(b, cap, "token of user %s", u->name);
	else if (*u->oidc_id_token)
		snprintf(b, cap, "oidc id-token of user %s", u->name);
	else if (*u->username)
		snprintf(b, cap, "basic auth of user %s", u->name);
	else if (u->cert_data.p)
		snprintf(b, cap, "client certificate of user %s", u->name);
	else
		snprintf(b, cap, "no credentials");
	return b;
}
