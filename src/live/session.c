/*
 * session: kubeconfig + credentials + client + live read for the CLI
 * (session.h).
 */
#include "session.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

int live_parse_timeout(const char *s, double *out)
{
	double total = 0;
	const char *p = s;

	if (!s || !*s)
		return -1;
	if (strspn(s, "0123456789") == strlen(s)) {
		*out = strtod(s, NULL);   /* a bare integer: seconds */
		return 0;
	}
	while (*p) {
		char *end;
		double v = strtod(p, &end);
		if (end == p || v < 0 || *p == '-' || *p == '+')
			return -1;
		p = end;
		if (!strncmp(p, "ms", 2)) {
			total += v / 1000;
			p += 2;
		} else if (*p == 's') {
			total += v;
			p++;
		} else if (*p == 'm') {
			total += v * 60;
			p++;
		} else if (*p == 'h') {
			total += v * 3600;
			p++;
		} else {
			return -1;
		}
	}
	*out = total;
	return 0;
}

int live_session_read(const struct live_opts *o, const struct source_sink *sink,
		      struct live_result *res, struct warnings *w, char **ns_scope,
		      struct err *err)
{
	struct kc_env env;
	struct kc_flags f = { 0 };
	struct kc_config cfg;
	struct auth auth;
	struct kc_client cl;
	struct live_scope scope = { 0 };
	double timeout = 0;
	bool have_auth = false, have_client = false;
	int rc = -1;

	*ns_scope = NULL;
	memset(res, 0, sizeof(*res));
	if (o->timeout && live_parse_timeout(o->timeout, &timeout) < 0)
		return err_set(err, ERR_USAGE, "invalid --request-timeout '%s' (e.g. 30s, 1m, 0 "
			       "for none)", o->timeout);
	kc_env_default(&env);
	if (o->kube)
		f = *o->kube;
	f.kubeconfig = o->kubeconfig;
	f.context = o->context;
	f.ns = o->ns;
	if (kc_load(&env, &f, &cfg, w, err) < 0)
		goto out;
	auth_init(&auth, &cfg);
	have_auth = true;
	if (kc_client_init(&cl, &cfg, &auth, timeout, o->verbose ? stderr : NULL, w, err) < 0)
		goto out;
	have_client = true;
	if (!o->all_ns)
		*ns_scope = xstrdup(cfg.ns);
	scope.ns = *ns_scope;
	/* a targeted read needs every Ingress's namespace (NS/NAME, or -n / the context's) */
	scope.names = o->names;
	scope.nnames = o->nnames;
	for (size_t i = 0; i < o->nnames; i++)
		if (!scope.ns && !strchr(o->names[i], '/'))
			scope.nnames = 0;
	if (o->verbose)
		fprintf(stderr, "ingress-doctor: context \"%s\", cluster %s (%s), %s\n",
			cfg.context, cfg.cluster.name, cfg.cluster.server,
			scope.ns ? scope.ns : "all namespaces");
	if (o->verbose && scope.nnames)
		fprintf(stderr, "ingress-doctor: fetching only what %zu named Ingress(es) need\n",
			scope.nnames);
	if (live_read(&cl, &scope, sink, res, err) < 0)
		goto out;
	res->server_time = cl.stats.server_time;
	if (o->after_read && o->after_read(o->after_ctx, &cl, err) < 0)
		goto out;
	if (o->verbose)
		fprintf(stderr, "ingress-doctor: %u requests (%u retries), %llu bytes, HTTP/%ld\n",
			cl.stats.requests, cl.stats.retries, cl.stats.bytes,
			cl.stats.http_version);
	rc = 0;
out:
	if (have_client)
		kc_client_release(&cl);
	if (have_auth)
		auth_release(&auth);
	kc_release(&cfg);
	if (rc < 0) {
		free(*ns_scope);
		*ns_scope = NULL;
	}
	return rc;
}
