/*
 * index: the hash indexes model_finish() builds, and the lookups.
 *
 * One open-addressing table type keyed by up to three strings serves
 * every index: objects by (namespace, name[, kind]), pods by IP, and
 * groups (EndpointSlices of a Service, pods of a namespace, events of an
 * object, logs of a pod) whose item arrays keep the sorted order of the
 * model's arrays. Building is O(n); lookups are O(1) expected.
 */
#include <stdlib.h>
#include <string.h>

#include "model_int.h"
#include "../util/xalloc.h"

#include "../util/banned.h"

static uint64_t mix(uint64_t h, const char *s)
{
	if (s)
		for (; *s; s++) {
			h ^= (unsigned char)*s;
			h *= 1099511628211ULL;
		}
	h ^= 0xff;   /* separator: ("ab","c") != ("a","bc") */
	h *= 1099511628211ULL;
	return h;
}

uint64_t str_hash3(const char *a, const char *b, const char *c)
{
	return mix(mix(mix(1469598103934665603ULL, a), b), c);
}

void htab_init(struct htab *t, size_t n)
{
	size_t cap = 16;
	while (cap < n * 2)
		cap *= 2;
	t->slots = xcalloc(cap, sizeof(*t->slots));
	t->cap = cap;
	t->n = 0;
}

void htab_release(struct htab *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->n = 0;
}

static bool keq(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static struct hent *probe(const struct htab *t, uint64_t h, const char *k1, const char *k2,
			  const char *k3)
{
	size_t mask = t->cap - 1;
	for (size_t j = h & mask;; j = (j + 1) & mask) {
		struct hent *e = &t->slots[j];
		if (!e->val)
			return e;
		if (e->h == h && keq(e->k1, k1) && keq(e->k2, k2) && keq(e->k3, k3))
			return e;
	}
}

static void htab_grow(struct htab *t)
{
	struct htab nt;
	htab_init(&nt, t->cap);   /* doubles */
	for (size_t i = 0; i < t->cap; i++) {
		struct hent *e = &t->slots[i];
		if (e->val)
			*probe(&nt, e->h, e->k1, e->k2, e->k3) = *e;
	}
	nt.n = t->n;
	free(t->slots);
	*t = nt;
}

struct hent *htab_put(struct htab *t, const char *k1, const char *k2, const char *k3)
{
	uint64_t h = str_hash3(k1, k2, k3);
	struct hent *e;

	if (!t->slots)
		htab_init(t, 8);
	if ((t->n + 1) * 2 > t->cap)
		htab_grow(t);
	e = probe(t, h, k1, k2, k3);
	if (!e->val) {
		e->h = h;
		e->k1 = k1;
		e->k2 = k2;
		e->k3 = k3;
		t->n++;   /* the caller sets val */
	}
	return e;
}

struct hent *htab_get(const struct htab *t, const char *k1, const char *k2, const char *k3)
{
	struct hent *e;
	if (!t->slots)
		return NULL;
	e = probe(t, str_hash3(k1, k2, k3), k1, k2, k3);
	return e->val ? e : NULL;
}

void index_release(struct model_index *x)
{
	for (int k = 0; k < K__COUNT; k++)
		htab_release(&x->by_name[k]);
	htab_release(&x->pod_ip);
	htab_release(&x->slices_by_svc);
	htab_release(&x->pods_by_ns);
	htab_release(&x->events_by_obj);
	htab_release(&x->logs_by_pod);
	free(x->istr);
	free(x->ihash);
	arena_release(&x->arena);
}

/* ---- building ---- */

static void by_name(struct htab *t, const struct meta *mt, const char *kind, void *obj)
{
	struct hent *e = htab_put(t, mt->ns, mt->name, kind);
	e->val = obj;   /* arrays are deduplicated: one object per key */
}

/* Pass 1 counts, pass 2 (items != NULL) fills. */
static struct group *group_count(struct model_index *x, struct htab *t, const char *k1,
				 const char *k2, const char *k3)
{
	struct hent *e = htab_put(t, k1, k2, k3);
	struct group *g = e->val;
	if (!g) {
		g = arena_zalloc(&x->arena, sizeof(*g));
		e->val = g;
	}
	g->n++;
	return g;
}

static struct group *group_slot(struct model_index *x, struct htab *t, const char *k1,
				const char *k2, const char *k3)
{
	struct group *g = htab_get(t, k1, k2, k3)->val;
	if (!g->items)
		g->items = arena_calloc(&x->arena, g->n, sizeof(void *));
	return g;
}

/* Prefer live pods over finished ones, and pod-network pods over hostNetwork ones. */
static int ip_rank(const struct pod *p)
{
	bool done = !strcmp(p->phase, "Succeeded") || !strcmp(p->phase, "Failed");
	return (done ? 0 : 2) + (p->host_network ? 0 : 1);
}

static void index_ip(struct htab *t, const char *ip, const struct pod *p)
{
	struct hent *e;
	if (!ip || !*ip)
		return;
	e = htab_put(t, ip, NULL, NULL);
	if (!e->val || ip_rank(e->val) < ip_rank(p))
		e->val = (void *)p;
}

void index_build(struct model *m)
{
	struct model_index *x = m->idx;

	htab_init(&x->by_name[K_INGRESS], m->ningresses);
	for (size_t i = 0; i < m->ningresses; i++)
		by_name(&x->by_name[K_INGRESS], &m->ingresses[i].meta, NULL, &m->ingresses[i]);
	htab_init(&x->by_name[K_INGRESSCLASS], m->nclasses);
	for (size_t i = 0; i < m->nclasses; i++)
		by_name(&x->by_name[K_INGRESSCLASS], &m->classes[i].meta, NULL, &m->classes[i]);
	htab_init(&x->by_name[K_SERVICE], m->nservices);
	for (size_t i = 0; i < m->nservices; i++)
		by_name(&x->by_name[K_SERVICE], &m->services[i].meta, NULL, &m->services[i]);
	htab_init(&x->by_name[K_ENDPOINTS], m->nendpoints);
	for (size_t i = 0; i < m->nendpoints; i++)
		by_name(&x->by_name[K_ENDPOINTS], &m->endpoints[i].meta, NULL, &m->endpoints[i]);
	htab_init(&x->by_name[K_POD], m->npods);
	htab_init(&x->pod_ip, m->npods * 2);
	for (size_t i = 0; i < m->npods; i++) {
		struct pod *p = &m->pods[i];
		by_name(&x->by_name[K_POD], &p->meta, NULL, p);
		index_ip(&x->pod_ip, p->pod_ip, p);
		for (uint32_t j = 0; j < p->npod_ips; j++)
			if (strcmp(p->pod_ips[j], p->pod_ip))
				index_ip(&x->pod_ip, p->pod_ips[j], p);
	}
	htab_init(&x->by_name[K_NODE], m->nnodes);
	for (size_t i = 0; i < m->nnodes; i++)
		by_name(&x->by_name[K_NODE], &m->nodes[i].meta, NULL, &m->nodes[i]);
	htab_init(&x->by_name[K_CONFIGMAP], m->nconfigmaps);
	for (size_t i = 0; i < m->nconfigmaps; i++)
		by_name(&x->by_name[K_CONFIGMAP], &m->configmaps[i].meta, NULL, &m->configmaps[i]);
	htab_init(&x->by_name[K_NAMESPACE], m->nnamespaces);
	for (size_t i = 0; i < m->nnamespaces; i++)
		by_name(&x->by_name[K_NAMESPACE], &m->namespaces[i].meta, NULL, &m->namespaces[i]);
	htab_init(&x->by_name[K_SECRET], m->nsecrets);
	for (size_t i = 0; i < m->nsecrets; i++)
		by_name(&x->by_name[K_SECRET], &m->secrets[i].meta, NULL, &m->secrets[i]);
	for (size_t i = 0; i < m->nworkloads; i++) {
		struct workload *w = &m->workloads[i];
		by_name(&x->by_name[w->kind], &w->meta, NULL, w);
	}

	/* groups: count, then fill (items keep the arrays' order) */
	htab_init(&x->slices_by_svc, m->nslices);
	for (size_t i = 0; i < m->nslices; i++) {
		const struct endpointslice *es = &m->slices[i];
		if (*es->service)
			group_count(x, &x->slices_by_svc, es->meta.ns, es->service, NULL);
	}
	for (size_t i = 0; i < m->nslices; i++) {
		const struct endpointslice *es = &m->slices[i];
		struct group *g;
		if (!*es->service)
			continue;
		g = group_slot(x, &x->slices_by_svc, es->meta.ns, es->service, NULL);
		((const struct endpointslice **)g->items)[g->fill++] = es;
	}

	htab_init(&x->pods_by_ns, 64);
	for (size_t i = 0; i < m->npods; i++)
		group_count(x, &x->pods_by_ns, m->pods[i].meta.ns, NULL, NULL);
	for (size_t i = 0; i < m->npods; i++) {
		struct group *g = group_slot(x, &x->pods_by_ns, m->pods[i].meta.ns, NULL, NULL);
		((const struct pod **)g->items)[g->fill++] = &m->pods[i];
	}

	htab_init(&x->events_by_obj, m->nevents);
	for (size_t i = 0; i < m->nevents; i++) {
		const struct objref *r = &m->events[i].involved;
		if (*r->name)
			group_count(x, &x->events_by_obj, r->kind, r->ns, r->name);
	}
	for (size_t i = 0; i < m->nevents; i++) {
		const struct objref *r = &m->events[i].involved;
		struct group *g;
		if (!*r->name)
			continue;
		g = group_slot(x, &x->events_by_obj, r->kind, r->ns, r->name);
		((const struct event **)g->items)[g->fill++] = &m->events[i];
	}

	htab_init(&x->logs_by_pod, m->nlogs);
	for (size_t i = 0; i < m->nlogs; i++)
		group_count(x, &x->logs_by_pod, m->logs[i].ns, m->logs[i].pod, NULL);
	for (size_t i = 0; i < m->nlogs; i++) {
		struct group *g = group_slot(x, &x->logs_by_pod, m->logs[i].ns, m->logs[i].pod,
					     NULL);
		((const struct pod_log **)g->items)[g->fill++] = &m->logs[i];
	}
}

/* ---- lookups ---- */

static void *find(const struct model *m, enum kind k, const char *ns, const char *name,
		  const char *k3)
{
	struct hent *e;
	if (!m->finished || !m->idx || !name)
		return NULL;
	e = htab_get(&m->idx->by_name[k], ns ? ns : "", name, k3);
	return e ? e->val : NULL;
}

const struct ingress *model_ingress(const struct model *m, const char *ns, const char *name)
{
	return find(m, K_INGRESS, ns, name, NULL);
}

const struct ingressclass *model_ingressclass(const struct model *m, const char *name)
{
	return find(m, K_INGRESSCLASS, "", name, NULL);
}

const struct service *model_service(const struct model *m, const char *ns, const char *name)
{
	return find(m, K_SERVICE, ns, name, NULL);
}

const struct endpoints *model_endpoints(const struct model *m, const char *ns, const char *name)
{
	return find(m, K_ENDPOINTS, ns, name, NULL);
}

const struct pod *model_pod(const struct model *m, const char *ns, const char *name)
{
	return find(m, K_POD, ns, name, NULL);
}

const struct pod *model_pod_by_ip(const struct model *m, const char *ip)
{
	struct hent *e;
	if (!m->finished || !ip || !*ip)
		return NULL;
	e = htab_get(&m->idx->pod_ip, ip, NULL, NULL);
	return e ? e->val : NULL;
}

const struct node *model_node(const struct model *m, const char *name)
{
	return find(m, K_NODE, "", name, NULL);
}

const struct configmap *model_configmap(const struct model *m, const char *ns, const char *name)
{
	return find(m, K_CONFIGMAP, ns, name, NULL);
}

const struct namespace_ *model_namespace(const struct model *m, const char *name)
{
	return find(m, K_NAMESPACE, "", name, NULL);
}

const struct secret_meta *model_secret(const struct model *m, const char *ns, const char *name)
{
	return find(m, K_SECRET, ns, name, NULL);
}

const struct workload *model_workload(const struct model *m, enum kind k, const char *ns,
				      const char *name)
{
	if (k != K_DEPLOYMENT && k != K_STATEFULSET && k != K_DAEMONSET && k != K_REPLICASET)
		return NULL;
	return find(m, k, ns, name, NULL);
}

static struct group *find_group(const struct model *m, const struct htab *t, const char *k1,
				const char *k2, const char *k3)
{
	struct hent *e;
	if (!m->finished || !m->idx)
		return NULL;
	e = htab_get(t, k1 ? k1 : "", k2 ? k2 : "", k3 ? k3 : "");
	return e ? e->val : NULL;
}

size_t model_slices_for(const struct model *m, const char *ns, const char *service,
			const struct endpointslice ***out)
{
	struct group *g = find_group(m, &m->idx->slices_by_svc, ns, service, NULL);
	*out = g ? g->items : NULL;
	return g ? g->fill : 0;
}

size_t model_pods_in(const struct model *m, const char *ns, const struct pod ***out)
{
	struct group *g = find_group(m, &m->idx->pods_by_ns, ns, NULL, NULL);
	*out = g ? g->items : NULL;
	return g ? g->fill : 0;
}

size_t model_logs_for(const struct model *m, const char *ns, const char *pod,
		      const struct pod_log ***out)
{
	struct group *g = find_group(m, &m->idx->logs_by_pod, ns, pod, NULL);
	*out = g ? g->items : NULL;
	return g ? g->fill : 0;
}

/*
 * Events of (kind, ns, name); when the caller knows the uid, events that
 * name another uid (an earlier object of the same name) are left out,
 * events without a uid are kept. The filtered list is cached per group.
 */
size_t model_events_for(const struct model *m, const char *kind, const char *ns,
			const char *name, const char *uid, const struct event ***out)
{
	struct group *g = find_group(m, &m->idx->events_by_obj, kind, ns, name);
	const struct event **all;
	uint32_t keep = 0;

	*out = NULL;
	if (!g || !name || !*name)
		return 0;
	all = g->items;
	if (!uid || !*uid) {
		*out = all;
		return g->fill;
	}
	for (uint32_t i = 0; i < g->fill; i++)
		if (!*all[i]->involved.uid || !strcmp(all[i]->involved.uid, uid))
			keep++;
	if (keep == g->fill) {
		*out = all;
		return keep;
	}
	if (!g->cache_uid || strcmp(g->cache_uid, uid)) {
		g->cache = arena_calloc(&m->idx->arena, keep ? keep : 1, sizeof(*g->cache));
		g->ncache = 0;
		for (uint32_t i = 0; i < g->fill; i++)
			if (!*all[i]->involved.uid || !strcmp(all[i]->involved.uid, uid))
				g->cache[g->ncache++] = all[i];
		g->cache_uid = arena_strdup(&m->idx->arena, uid);
	}
	*out = g->cache;
	return g->ncache;
}
