/*
 * diagnose: the engine. Walks each Ingress in scope, builds one chain per
 * path (rule paths in order, then the default backend), and runs the
 * checks in runbook order: Ingress object and controller, Service port,
 * endpoints, probes, pods, nodes, network. The checks themselves live in one file
 * per runbook step (check.h). With controller logs, the log join (logjoin.h)
 * runs last, over the chains of every Ingress.
 */
#include "check.h"
#include "logjoin.h"
#include "network.h"
#include "../controller/controller.h"
#include "../netpol/netpol.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct finding *check_finding(struct check_ctx *c, const char *id, enum severity sev,
			      enum hop hop, const char *kind, const char *ns,
			      const char *name, const char *key)
{
	struct finding *f = finding_get(c->d, id, sev, hop, kind, ns, name, key);
	const char *ins = c->ing ? c->ing->meta.ns : NULL;
	const char *inn = c->ing ? c->ing->meta.name : NULL;

	if (c->chain) {
		finding_link(c->d, f, ins, inn, c->chain);
	} else if (c->ning_chains) {
		for (size_t i = 0; i < c->ning_chains; i++)
			finding_link(c->d, f, ins, inn, c->ing_chains[i]);
	} else {
		finding_link(c->d, f, ins, inn, NULL);
	}
	return f;
}

/* Results that depend on the model only, computed once per diagnosis. */
struct check_cache {
	struct ctl_pods {
		const struct controller_impl *ci;
		const char *cc;               /* IngressClass spec.controller */
		const struct pod **pods;      /* from ci->find_pods(), malloc'ed */
		size_t n;
	} *ctl;
	size_t nctl, capctl;
	struct np_index np;               /* NetworkPolicies compiled on demand */
	bool np_ready;
};

/* The diagnosis' NetworkPolicy index, made on first use. */
static struct np_index *cache_np(struct check_ctx *c)
{
	if (!c->cache->np_ready) {
		np_index_init(&c->cache->np, c->m);
		c->cache->np_ready = true;
	}
	return &c->cache->np;
}

size_t check_controller_pods(struct check_ctx *c, const struct controller_impl *ci,
			     const char *cc, const struct pod ***out)
{
	struct check_cache *k = c->cache;
	struct ctl_pods *e;

	/* a handful of IngressClasses: a linear search is enough */
	for (size_t i = 0; i < k->nctl; i++) {
		e = &k->ctl[i];
		if (e->ci == ci && !strcmp(e->cc, cc)) {
			*out = e->pods;
			return e->n;
		}
	}
	XGROW(k->ctl, k->capctl, k->nctl + 1);
	e = &k->ctl[k->nctl++];
	e->ci = ci;
	e->cc = cc;
	e->n = ci->find_pods(c->m, cc, &e->pods);
	*out = e->pods;
	return e->n;
}

static void cache_free(struct check_cache *k)
{
	for (size_t i = 0; i < k->nctl; i++)
		free(k->ctl[i].pods);
	free(k->ctl);
	if (k->np_ready)
		np_index_release(&k->np);
}

static bool in_scope(const struct ingress *ing, const struct scope *s)
{
	if (s->ns && strcmp(ing->meta.ns, s->ns))
		return false;
	if (!s->nnames)
		return true;
	for (size_t i = 0; i < s->nnames; i++) {
		const char *n = s->names[i], *slash = strchr(n, '/');
		if (slash) {
			if (!strncmp(ing->meta.ns, n, (size_t)(slash - n)) &&
			    ing->meta.ns[slash - n] == '\0' && !strcmp(ing->meta.name, slash + 1))
				return true;
		} else if (!strcmp(ing->meta.name, n)) {
			return true;
		}
	}
	return false;
}

static const char *port_text(struct diag *d, const struct backend *b)
{
	if (b->port.kind == IS_INT)
		return diag_printf(d, "%d", b->port.num);
	if (b->port.kind == IS_STR)
		return b->port.str;
	return "";
}

/* Pods of the Service's namespace that its selector matches. */
static void select_pods(struct check_ctx *c)
{
	const struct pod **all;
	size_t n, k = 0;

	c->pods = NULL;
	c->npods = 0;
	if (!c->svc || !c->svc->selector.n)
		return;
	n = model_pods_in(c->m, c->svc->meta.ns, &all);
	c->pods = xcalloc(n ? n : 1, sizeof(*c->pods));
	for (size_t i = 0; i < n; i++)
		if (service_selects(c->svc, all[i]))
			c->pods[k++] = all[i];
	c->npods = k;
}

static void run_path(struct check_ctx *c, struct chain *ch, const struct backend *b)
{
	c->chain = ch;
	c->backend = b;
	c->svc = NULL;
	c->sport = NULL;
	c->pods = NULL;
	c->npods = 0;
	check_service(c);
	select_pods(c);
	check_endpoints(c);
	check_probes(c);
	check_pods(c);
	check_nodes(c);
	check_network_idx(c, cache_np(c));
	free(c->pods);
	c->pods = NULL;
	c->npods = 0;
}

static void diagnose_ingress(const struct model *m, struct diag *d, struct check_cache *cache,
			     const struct ingress *ing)
{
	struct check_ctx c = { .m = m, .d = d, .ing = ing, .cache = cache };
	struct chain **chains = NULL;
	const struct backend **backends = NULL;
	size_t n = 0, cap = 0, bcap = 0;

	/* one chain per backend, in spec order */
	for (uint32_t r = 0; r < ing->nrules; r++) {
		const struct ingress_rule *rule = &ing->rules[r];
		for (uint32_t p = 0; p < rule->npaths; p++) {
			const struct backend *b = &rule->paths[p].backend;
			XGROW(chains, cap, n + 1);
			XGROW(backends, bcap, n + 1);
			backends[n] = b;
			chains[n++] = chain_new(d, ing->meta.ns, ing->meta.name, rule->host,
						*rule->paths[p].path ? rule->paths[p].path : "/",
						false, b->service, port_text(d, b));
		}
	}
	if (ing->default_backend.set) {
		const struct backend *b = &ing->default_backend;
		XGROW(chains, cap, n + 1);
		XGROW(backends, bcap, n + 1);
		backends[n] = b;
		chains[n++] = chain_new(d, ing->meta.ns, ing->meta.name, "", "", true,
					b->service, port_text(d, b));
	}
	if (!n)
		diag_note(d, "Ingress %s/%s has no rules with paths and no defaultBackend: "
			  "nothing routes to a backend", ing->meta.ns, ing->meta.name);

	c.ing_chains = chains;
	c.ning_chains = n;
	c.chain = NULL;
	check_ingress(&c);
	check_controller(&c);
	for (size_t i = 0; i < n; i++)
		run_path(&c, chains[i], backends[i]);
	free(chains);
	free(backends);
}

static int cmp_ingress(const void *a, const void *b)
{
	const struct ingress *x = *(const struct ingress *const *)a;
	const struct ingress *y = *(const struct ingress *const *)b;
	int r = strcmp(x->meta.ns, y->meta.ns);
	return r ? r : strcmp(x->meta.name, y->meta.name);
}

int diagnose(const struct model *m, const struct scope *s, struct diag *d, struct err *err)
{
	const struct ingress **list;
	struct check_cache cache = { 0 };
	size_t n = 0;
	int rc = 0;

	d->now = m->now;
	list = xcalloc(m->ningresses ? m->ningresses : 1, sizeof(*list));
	for (size_t i = 0; i < m->ningresses; i++)
		if (in_scope(&m->ingresses[i], s))
			list[n++] = &m->ingresses[i];
	qsort(list, n, sizeof(*list), cmp_ingress);

	/* every name asked for must exist */
	for (size_t i = 0; i < s->nnames; i++) {
		struct scope one = { .ns = s->ns, .names = &s->names[i], .nnames = 1 };
		bool found = false;
		for (size_t k = 0; k < n && !found; k++)
			found = in_scope(list[k], &one);
		if (!found) {
			if (!m->present[K_INGRESS])
				rc = err_set(err, ERR_INPUT, "ingress '%s' not found: the input holds no "
					     "Ingress objects", s->names[i]);
			else
				rc = err_set(err, ERR_INPUT, "ingress '%s' not found%s%s",
					     s->names[i], s->ns ? " in namespace " : "",
					     s->ns ? s->ns : "");
			goto out;
		}
	}
	if (!m->present[K_INGRESS] && !m->forbidden[K_INGRESS])
		diag_note(d, "the input holds no Ingress objects (a cluster-info dump has none): "
			  "add `kubectl get ingress,ingressclass -A -o json` to the snapshot");
	else if (m->forbidden[K_INGRESS])
		diag_note(d, "Ingresses could not be read (forbidden): grant list on "
			  "ingresses.networking.k8s.io");

	for (size_t i = 0; i < n; i++)
		diagnose_ingress(m, d, &cache, list[i]);
	d->ningresses = n;
	if (s->logs) {
		struct check_ctx lc = { .m = m, .d = d, .cache = &cache, .logs = s->logs };
		check_logs(&lc, s->ns || s->nnames);
	}
out:
	cache_free(&cache);
	free(list);
	return rc;
}
