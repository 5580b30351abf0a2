/*
 * h4_eps: the endpoints of one Service port from EndpointSlices or
 * Endpoints (see h4_eps.h).
 */
#include "h4_eps.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void h4_eps_release(struct h4_eps *e)
{
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static void add(struct h4_eps *e, const struct objref *t, const char *ip, bool ready,
		bool terminating)
{
	bool pod = t && !strcmp(t->kind, "Pod") && *t->name;
	const char *key = pod ? t->name : ip;

	if (!key || !*key)
		return;
	for (size_t i = 0; i < e->n; i++) {
		if (!strcmp(e->v[i].key, key)) {
			e->v[i].ready |= ready;
			e->v[i].terminating &= terminating;
			return;
		}
	}
	XGROW(e->v, e->cap, e->n + 1);
	e->v[e->n++] = (struct h4_ep){
		.key = key,
		.ip = ip ? ip : "",
		.pod = pod ? t->name : "",
		.pod_uid = pod && t->uid ? t->uid : "",
		.ready = ready,
		.terminating = terminating,
	};
}

static bool has_port(const struct eps_port *v, uint32_t n, const char *name)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strcmp(v[i].name ? v[i].name : "", name))
			return true;
	return false;
}

void h4_eps_from_slices(struct h4_eps *e, const struct model *m, const struct service *s,
			const struct service_port *sp)
{
	const struct endpointslice **sl;
	size_t n = model_slices_for(m, s->meta.ns, s->meta.name, &sl);

	e->nobjects = n;
	for (size_t i = 0; i < n; i++) {
		const struct endpointslice *x = sl[i];
		if (!has_port(x->ports, x->nports, sp->name))
			continue;
		e->nport_objects++;
		for (uint32_t k = 0; k < x->nendpoints; k++) {
			const struct eps_endpoint *p = &x->endpoints[k];
			add(e, &p->target, p->naddresses ? p->addresses[0] : "", eps_ready(p),
			    eps_terminating(p));
		}
	}
}

void h4_eps_from_endpoints(struct h4_eps *e, const struct model *m, const struct service *s,
			   const struct service_port *sp)
{
	const struct endpoints *ep = model_endpoints(m, s->meta.ns, s->meta.name);

	if (!ep)
		return;
	e->nobjects = 1;
	for (uint32_t i = 0; i < ep->nsubsets; i++) {
		const struct ep_subset *ss = &ep->subsets[i];
		if (!has_port(ss->ports, ss->nports, sp->name))
			continue;
		e->nport_objects = 1;
		for (uint32_t k = 0; k < ss->nready; k++)
			add(e, &ss->ready[k].target, ss->ready[k].ip, true, false);
		for (uint32_t k = 0; k < ss->nnot_ready; k++)
			add(e, &ss->not_ready[k].target, ss->not_ready[k].ip, false, false);
	}
}

const struct h4_ep *h4_eps_find(const struct h4_eps *e, const char *key)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->v[i].key, key))
			return &e->v[i];
	return NULL;
}

size_t h4_eps_ready(const struct h4_eps *e)
{
	size_t r = 0;
	for (size_t i = 0; i < e->n; i++)
		r += e->v[i].ready;
	return r;
}

bool h4_pod_done(const struct pod *p)
{
	return p->phase && (!strcmp(p->phase, "Failed") || !strcmp(p->phase, "Succeeded"));
}
