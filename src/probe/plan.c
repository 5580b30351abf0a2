/*
 * plan: what `probe` tries (probe.h). For each Ingress path in scope the
 * backend Service and port resolve as the checks resolve them (model/ports):
 * the Service's pods (selector, or the EndpointSlices' pod references of a
 * selector-less Service), the targetPort per pod (named ports included),
 * the pod IP, the readiness probe's httpGet path on that port, and the
 * ingress-nginx backend-protocol (HTTPS/GRPCS: TLS). One target per
 * (namespace, pod, port, TLS, path): a pod reached from two paths is
 * probed once and names both Ingresses; then one per Service port.
 * Targets are indexed by that key (and the first pod target of each Service
 * port, for its readiness path), so planning stays linear in the targets.
 */
#include "probe.h"
#include "../model/model.h"
#include "../util/arena.h"
#include "../util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/banned.h"

#define BACKEND_PROTOCOL "nginx.ingress.kubernetes.io/backend-protocol"

/*
 * An open-addressing index of plan targets (linear probing): each slot holds a
 * target's position in plan->t plus one (0: empty) and its key's hash. It stores
 * positions, not pointers, as plan->t moves when it grows.
 */
struct tindex {
	size_t *slot;
	uint64_t *hash;
	size_t cap, n;      /* cap: a power of two, at least twice n */
};

struct planner {
	const struct model *m;
	struct arena *a;
	struct probe_plan *plan;
	size_t cap;
	struct tindex targets;   /* (ns, pod or Service, port, TLS, http_path) -> target */
	struct tindex svc_pod;   /* (ns, Service, Service port) -> its first pod target */
};

#define FNV_PRIME 0x100000001b3ULL

static uint64_t hash_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * FNV_PRIME;
	return (h ^ 0xff) * FNV_PRIME;  /* the end: "ab"+"c" differs from "a"+"bc" */
}

static uint64_t hash_int(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		h = (h ^ (v & 0xff)) * FNV_PRIME;
	return h;
}

static void tindex_grow(struct tindex *x)
{
	size_t ncap = x->cap ? x->cap * 2 : 64;
	size_t *slot = xcalloc(ncap, sizeof(*slot));
	uint64_t *hash = xcalloc(ncap, sizeof(*hash));

	for (size_t i = 0; i < x->cap; i++) {
		size_t j;
		if (!x->slot[i])
			continue;
		for (j = x->hash[i] & (ncap - 1); slot[j]; j = (j + 1) & (ncap - 1))
			;
		slot[j] = x->slot[i];
		hash[j] = x->hash[i];
	}
	free(x->slot);
	free(x->hash);
	x->slot = slot;
	x->hash = hash;
	x->cap = ncap;
}

/* The slot of the target matching key (eq), else the empty slot where it would go. */
static size_t tindex_find(struct tindex *x, const struct probe_target *v, uint64_t h,
			  bool (*eq)(const struct probe_target *t, const struct probe_target *key),
			  const struct probe_target *key)
{
	size_t j;

	if (!x->cap)
		tindex_grow(x);
	for (j = h & (x->cap - 1); x->slot[j]; j = (j + 1) & (x->cap - 1))
		if (x->hash[j] == h && eq(&v[x->slot[j] - 1], key))
			break;
	return j;
}

/* Put target idx in the empty slot j that tindex_find() returned for hash h. */
static void tindex_put(struct tindex *x, size_t j, uint64_t h, size_t idx)
{
	x->slot[j] = idx + 1;
	x->hash[j] = h;
	if (++x->n * 2 > x->cap)
		tindex_grow(x);
}

static void tindex_release(struct tindex *x)
{
	free(x->slot);
	free(x->hash);
	memset(x, 0, sizeof(*x));
}

static bool ingress_in_scope(const struct ingress *ing, const char *ns, const char *const *names,
			     size_t nnames)
{
	if (ns && !nnames && strcmp(ing->meta.ns, ns))
		return false;
	if (!nnames)
		return true;
	for (size_t i = 0; i < nnames; i++) {
		const char *nm = names[i], *slash = strchr(nm, '/');
		if (slash) {
			size_t nl = (size_t)(slash - nm);
			if (strlen(ing->meta.ns) == nl && !strncmp(ing->meta.ns, nm, nl) &&
			    !strcmp(ing->meta.name, slash + 1))
				return true;
		} else if ((!ns || !strcmp(ing->meta.ns, ns)) && !strcmp(ing->meta.name, nm)) {
			return true;
		}
	}
	return false;
}

/* Add "ns/name" to t's Ingresses, once. */
static void add_ingress(struct planner *p, struct probe_target *t, const struct ingress *ing)
{
	const char **v;

	for (size_t i = 0; i < t->ningresses; i++) {
		size_t nl = strlen(ing->meta.ns);
		if (!strncmp(t->ingresses[i], ing->meta.ns, nl) && t->ingresses[i][nl] == '/' &&
		    !strcmp(t->ingresses[i] + nl + 1, ing->meta.name))
			return;
	}
	v = arena_calloc(p->a, t->ningresses + 1, sizeof(*v));
	if (t->ningresses)
		memcpy(v, t->ingresses, t->ningresses * sizeof(*v));
	v[t->ningresses++] = arena_printf(p->a, "%s/%s", ing->meta.ns, ing->meta.name);
	t->ingresses = v;
}

/* Same target: the dedup key (ns, pod or Service, port, TLS, http_path). */
static bool target_eq(const struct probe_target *t, const struct probe_target *k)
{
	return !strcmp(t->ns, k->ns) && t->https == k->https && t->port == k->port &&
	       !strcmp(t->http_path, k->http_path) && !t->pod == !k->pod &&
	       (t->pod ? !strcmp(t->pod, k->pod) : !strcmp(t->service, k->service));
}

static uint64_t target_hash(const struct probe_target *k)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = hash_str(h, k->ns);
	h = hash_int(h, k->pod != NULL);
	h = hash_str(h, k->pod ? k->pod : k->service);
	h = hash_int(h, (uint64_t)(uint32_t)k->port);
	h = hash_int(h, k->https);
	return hash_str(h, k->http_path);
}

/* A pod target of the same Service port (k->pod unused). */
static bool svc_pod_eq(const struct probe_target *t, const struct probe_target *k)
{
	return t->pod && t->service_port == k->service_port && !strcmp(t->ns, k->ns) &&
	       !strcmp(t->service, k->service);
}

static uint64_t svc_pod_hash(const struct probe_target *k)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = hash_str(h, k->ns);
	h = hash_str(h, k->service);
	return hash_int(h, (uint64_t)(uint32_t)k->service_port);
}

static void add_target(struct planner *p, const struct probe_target *k,
		       const struct ingress *ing)
{
	uint64_t h = target_hash(k);
	size_t j = tindex_find(&p->targets, p->plan->t, h, target_eq, k);
	struct probe_target *t;

	if (p->targets.slot[j]) {
		t = &p->plan->t[p->targets.slot[j] - 1];
	} else {
		size_t idx = p->plan->n;
		XGROW(p->plan->t, p->cap, p->plan->n + 1);
		t = &p->plan->t[p->plan->n++];
		*t = *k;
		t->ingresses = NULL;
		t->ningresses = 0;
		tindex_put(&p->targets, j, h, idx);
		if (t->pod) {
			/* targets never change once added: the first one stays the first */
			h = svc_pod_hash(t);
			j = tindex_find(&p->svc_pod, p->plan->t, h, svc_pod_eq, t);
			if (!p->svc_pod.slot[j])
				tindex_put(&p->svc_pod, j, h, idx);
		}
	}
	add_ingress(p, t, ing);
}

/* The readiness probe's httpGet path on port (resolved), "/" when none. */
static const char *probe_path(const struct pod *pod, const struct container *owner, int32_t port)
{
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < pod->ncontainers; i++) {
			const struct container *c = &pod->containers[i];
			const struct probe *pr = &c->readiness;
			if ((pass == 0) != (c == owner) || (c->init && !c->sidecar))
				continue;
			if (pr->type != PROBE_HTTP || probe_port_resolve(pr, c) != port)
				continue;
			if (*pr->path == '/')
				return pr->path;
			return "/";
		}
	}
	return "/";
}

static bool backend_https(const struct ingress *ing)
{
	const char *bp = kvs_get(&ing->meta.annotations, BACKEND_PROTOCOL);
	return bp && (!strcasecmp(bp, "HTTPS") || !strcasecmp(bp, "GRPCS"));
}

/* What a pod's target and its Service port's share: the path, the Service, the protocol. */
static void target_base(struct probe_target *k, const struct ingress *ing, const char *host,
			const char *path, const struct service *svc, const struct service_port *sp)
{
	k->ingress_ns = ing->meta.ns;
	k->ingress_name = ing->meta.name;
	k->host = host;
	k->path = path;
	k->ns = svc->meta.ns;
	k->service = svc->meta.name;
	k->service_port = sp->port;
	k->service_port_name = sp->name;
	k->https = backend_https(ing);
}

static void add_pod(struct planner *p, const struct ingress *ing, const char *host,
		    const char *path, const struct service *svc, const struct service_port *sp,
		    const struct pod *pod)
{
	const struct container *owner = NULL;
	struct probe_target k = { 0 };
	int32_t port;

	if (pod_is_terminating(pod) || !*pod->pod_ip || !strcmp(pod->phase, "Succeeded") ||
	    !strcmp(pod->phase, "Failed"))
		return;
	port = port_resolve_target(sp, pod, &owner);
	if (port <= 0)
		return;   /* a named targetPort the pod lacks: service-target-port-missing */
	target_base(&k, ing, host, path, svc, sp);
	k.pod = pod->meta.name;
	k.node = pod->node;
	k.ip = pod->pod_ip;
	k.port = port;
	k.http_path = probe_path(pod, owner, port);
	k.ready = pod_is_ready(pod);
	add_target(p, &k, ing);
}

static bool pod_listed(const struct pod **v, size_t n, const struct pod *pod)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == pod)
			return true;
	return false;
}

/* The pods behind svc: its selector's, or (no selector) the slices' pod references. */
static size_t service_pods(const struct model *m, const struct service *svc,
			   const struct pod ***out)
{
	const struct pod **v = NULL;
	size_t n = 0, cap = 0;

	if (svc->selector.n) {
		const struct pod **all;
		size_t na = model_pods_in(m, svc->meta.ns, &all);
		for (size_t i = 0; i < na; i++) {
			if (!service_selects(svc, all[i]))
				continue;
			XGROW(v, cap, n + 1);
			v[n++] = all[i];
		}
		*out = v;
		return n;
	}
	{
		const struct endpointslice **sl;
		size_t ns = model_slices_for(m, svc->meta.ns, svc->meta.name, &sl);
		for (size_t i = 0; i < ns; i++) {
			for (uint32_t e = 0; e < sl[i]->nendpoints; e++) {
				const struct objref *r = &sl[i]->endpoints[e].target;
				const struct pod *pod;
				if (strcmp(r->kind, "Pod"))
					continue;
				pod = model_pod(m, *r->ns ? r->ns : svc->meta.ns, r->name);
				if (!pod || pod_listed(v, n, pod))
					continue;
				XGROW(v, cap, n + 1);
				v[n++] = pod;
			}
		}
	}
	*out = v;
	return n;
}

static void add_backend(struct planner *p, const struct ingress *ing, const char *host,
			const char *path, const struct backend *b, struct probe_target **svc_t,
			size_t *nsvc_t, size_t *capsvc_t)
{
	const struct service *svc;
	const struct service_port *sp;
	const struct pod **pods;
	struct probe_target k = { 0 };
	bool any_ready = false;
	size_t np;

	if (!b->set || !*b->service)
		return;
	svc = model_service(p->m, ing->meta.ns, b->service);
	if (!svc || !strcmp(svc->type, "ExternalName"))
		return;
	sp = service_port_for_backend(svc, &b->port);
	if (!sp)
		return;
	np = service_pods(p->m, svc, &pods);
	for (size_t i = 0; i < np; i++) {
		add_pod(p, ing, host, path, svc, sp, pods[i]);
		any_ready = any_ready || (pod_is_ready(pods[i]) && !pod_is_terminating(pods[i]));
	}
	free(pods);
	/* the Service port itself: once, after its pods */
	target_base(&k, ing, host, path, svc, sp);
	k.pod = NULL;
	k.node = "";
	k.ip = strcmp(svc->cluster_ip, "None") ? svc->cluster_ip : "";
	k.port = sp->port;
	/* the path its pods are probed on (readiness), else "/" */
	k.http_path = "/";
	{
		size_t j = tindex_find(&p->svc_pod, p->plan->t, svc_pod_hash(&k), svc_pod_eq, &k);
		if (p->svc_pod.slot[j])
			k.http_path = p->plan->t[p->svc_pod.slot[j] - 1].http_path;
	}
	k.ready = any_ready;
	XGROW(*svc_t, *capsvc_t, *nsvc_t + 1);
	(*svc_t)[(*nsvc_t)++] = k;
}

int probe_plan(const struct model *m, const char *ns, const char *const *names, size_t nnames,
	       struct probe_plan *plan, struct err *err)
{
	struct planner p = { .m = m, .plan = plan };
	struct probe_target *svc_t = NULL;
	const struct ingress **svc_ing = NULL;
	size_t nsvc_t = 0, capsvc_t = 0, capsi = 0;

	memset(plan, 0, sizeof(*plan));
	p.a = xcalloc(1, sizeof(*p.a));
	arena_init(p.a, 0);
	plan->mem = p.a;
	for (size_t i = 0; i < nnames; i++) {
		const char *nm = names[i], *slash = strchr(nm, '/');
		bool found = false;
		for (size_t k = 0; k < m->ningresses && !found; k++) {
			const struct ingress *ing = &m->ingresses[k];
			found = ingress_in_scope(ing, ns, &names[i], 1);
		}
		if (!found) {
			if (slash)
				err_set(err, ERR_USAGE, "Ingress %s not found", nm);
			else
				err_set(err, ERR_USAGE, "Ingress %s not found in namespace %s", nm,
					ns ? ns : "(any)");
			probe_plan_release(plan);
			return -1;
		}
	}
	for (size_t k = 0; k < m->ningresses; k++) {
		const struct ingress *ing = &m->ingresses[k];
		size_t before = nsvc_t;
		if (!ingress_in_scope(ing, ns, names, nnames))
			continue;
		for (uint32_t r = 0; r < ing->nrules; r++) {
			const struct ingress_rule *ru = &ing->rules[r];
			for (uint32_t q = 0; q < ru->npaths; q++)
				add_backend(&p, ing, ru->host, ru->paths[q].path,
					    &ru->paths[q].backend, &svc_t, &nsvc_t, &capsvc_t);
		}
		add_backend(&p, ing, "", "", &ing->default_backend, &svc_t, &nsvc_t, &capsvc_t);
		XGROW(svc_ing, capsi, nsvc_t + 1);
		for (size_t i = before; i < nsvc_t; i++)
			svc_ing[i] = ing;
	}
	for (size_t i = 0; i < nsvc_t; i++)
		add_target(&p, &svc_t[i], svc_ing[i]);
	free(svc_t);
	free(svc_ing);
	tindex_release(&p.targets);
	tindex_release(&p.svc_pod);
	return 0;
}

void probe_plan_release(struct probe_plan *plan)
{
	if (plan->mem) {
		arena_release(plan->mem);
		free(plan->mem);
	}
	free(plan->t);
	memset(plan, 0, sizeof(*plan));
}
