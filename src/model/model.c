/*
 * model: life cycle of the model (init, add, finish, release), string
 * interning, and the sink that connects a source to the model.
 *
 * model_add() dispatches one object to its kind's decoder and appends the
 * result to that kind's array; model_finish() sorts each array by
 * namespace/name (stable; a later duplicate of the same object replaces
 * an earlier one), sorts events newest first and builds the indexes.
 */
#include <stdlib.h>
#include <string.h>

#include "model_int.h"
#include "../util/xalloc.h"

#include "../util/banned.h"

/* Strings longer than this are copied, not interned (messages, big annotations). */
#define INTERN_MAX 256

void model_init(struct model *m, struct warnings *w)
{
	memset(m, 0, sizeof(*m));
	arena_init(&m->arena, 256 * 1024);
	m->warn = w;
	m->cluster_version = "";
	m->idx = xcalloc(1, sizeof(*m->idx));
	arena_init(&m->idx->arena, 0);
}

void model_release(struct model *m)
{
	if (m->idx) {
		index_release(m->idx);
		free(m->idx);
	}
	free(m->ingresses);
	free(m->classes);
	free(m->services);
	free(m->slices);
	free(m->endpoints);
	free(m->pods);
	free(m->nodes);
	free(m->events);
	free(m->netpols);
	free(m->configmaps);
	free(m->workloads);
	free(m->namespaces);
	free(m->secrets);
	free(m->logs);
	free(m->foreign_pols);
	arena_release(&m->arena);
	memset(m, 0, sizeof(*m));
}

/* Hash of n bytes, eight at a time (interning runs for most strings of the input). */
static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n * 0xff51afd7ed558ccdULL), w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xff51afd7ed558ccdULL;
	h ^= h >> 32;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	return h;
}

const char *mcopy(struct model *m, const char *s, size_t n)
{
	n = strnlen(s, n);
	if (!n)
		return "";
	return arena_strndup(&m->arena, s, n);
}

static void intern_grow(struct model_index *x)
{
	size_t cap = x->icap ? x->icap * 2 : 4096;
	const char **ns = xcalloc(cap, sizeof(*ns));
	uint64_t *nh = xcalloc(cap, sizeof(*nh));

	for (size_t i = 0; i < x->icap; i++) {
		size_t j;
		if (!x->istr[i])
			continue;
		for (j = x->ihash[i] & (cap - 1); ns[j]; j = (j + 1) & (cap - 1))
			;
		ns[j] = x->istr[i];
		nh[j] = x->ihash[i];
	}
	free(x->istr);
	free(x->ihash);
	x->istr = ns;
	x->ihash = nh;
	x->icap = cap;
}

const char *intern(struct model *m, const char *s, size_t n)
{
	struct model_index *x = m->idx;
	uint64_t h;
	size_t j;
	char *c;

	n = strnlen(s, n);
	if (!n)
		return "";
	if (n > INTERN_MAX)
		return arena_strndup(&m->arena, s, n);
	if ((x->in + 1) * 2 > x->icap)
		intern_grow(x);
	h = hash_bytes(s, n);
	for (j = h & (x->icap - 1); x->istr[j]; j = (j + 1) & (x->icap - 1))
		if (x->ihash[j] == h && !strncmp(x->istr[j], s, n) && x->istr[j][n] == '\0')
			return x->istr[j];
	c = arena_strndup(&m->arena, s, n);
	x->istr[j] = c;
	x->ihash[j] = h;
	x->in++;
	return c;
}

#define ADD(arr, cnt, cap, fn)                                                        \
	do {                                                                          \
		XGROW(m->arr, m->cap, m->cnt + 1);                                    \
		memset(&m->arr[m->cnt], 0, sizeof(m->arr[0]));                       \
		if (fn(&d, o->obj, &m->arr[m->cnt]) == 0)                             \
			m->cnt++;                                                     \
	} while (0)

/* A policy of a kind the evaluator does not implement: its identity only. */
static void add_foreign(struct model *m, const struct src_obj *o)
{
	const char *ns = json_str(json_path(o->obj, "metadata", "namespace", NULL));
	const char *name = json_str(json_path(o->obj, "metadata", "name", NULL));
	struct foreign_policy *f;

	XGROW(m->foreign_pols, m->cap_foreign_pols, m->nforeign_pols + 1);
	f = &m->foreign_pols[m->nforeign_pols++];
	f->kind = intern(m, o->kind, strlen(o->kind));
	f->api_version = intern(m, o->api_version ? o->api_version : "",
				o->api_version ? strlen(o->api_version) : 0);
	f->ns = ns ? intern(m, ns, strlen(ns)) : "";
	f->name = name ? mcopy(m, name, strlen(name)) : "";
}

int model_add(struct model *m, const struct src_obj *o, struct err *err)
{
	struct dec d;
	enum kind k;

	if (m->finished)
		return err_set(err, ERR_INTERNAL, "model_add after model_finish");
	if (foreign_policy_kind(o->kind, o->api_version)) {
		add_foreign(m, o);
		return 0;
	}
	k = kind_from_name(o->kind);
	if (k == K_UNKNOWN) {
		m->skipped++;
		return 0;
	}
	memset(&d, 0, sizeof(d));
	d.m = m;
	d.o = o;
	d.kind = k;
	if (!json_is(o->obj, JSON_OBJECT)) {
		dec_warn_type(&d, "", "an object", o->obj);
		return 0;
	}
	m->present[k] = true;
	switch (k) {
	case K_INGRESS: ADD(ingresses, ningresses, cap_ingresses, decode_ingress); break;
	case K_INGRESSCLASS: ADD(classes, nclasses, cap_classes, decode_ingressclass); break;
	case K_SERVICE: ADD(services, nservices, cap_services, decode_service); break;
	case K_ENDPOINTSLICE: ADD(slices, nslices, cap_slices, decode_endpointslice); break;
	case K_ENDPOINTS: ADD(endpoints, nendpoints, cap_endpoints, decode_endpoints); break;
	case K_POD: ADD(pods, npods, cap_pods, decode_pod); break;
	case K_NODE: ADD(nodes, nnodes, cap_nodes, decode_node); break;
	case K_EVENT: ADD(events, nevents, cap_events, decode_event); break;
	case K_NETWORKPOLICY: ADD(netpols, nnetpols, cap_netpols, decode_networkpolicy); break;
	case K_CONFIGMAP: ADD(configmaps, nconfigmaps, cap_configmaps, decode_configmap); break;
	case K_DEPLOYMENT:
	case K_STATEFULSET:
	case K_DAEMONSET:
	case K_REPLICASET: ADD(workloads, nworkloads, cap_workloads, decode_workload); break;
	case K_NAMESPACE: ADD(namespaces, nnamespaces, cap_namespaces, decode_namespace); break;
	case K_SECRET: ADD(secrets, nsecrets, cap_secrets, decode_secret); break;
	default: m->skipped++; break;
	}
	return 0;
}

void model_kind_seen(struct model *m, const char *kind)
{
	enum kind k = kind_from_name(kind);
	if (k != K_UNKNOWN)
		m->present[k] = true;
}

void model_add_log(struct model *m, const char *ns, const char *pod, const char *path)
{
	struct pod_log *l;

	if (m->finished || !ns || !pod || !path)
		return;
	XGROW(m->logs, m->cap_logs, m->nlogs + 1);
	l = &m->logs[m->nlogs++];
	l->ns = intern(m, ns, strlen(ns));
	l->pod = mcopy(m, pod, strlen(pod));
	l->path = mcopy(m, path, strlen(path));
	l->text = NULL;
	l->len = 0;
}

void model_add_log_text(struct model *m, const char *ns, const char *pod, const char *text,
			size_t len)
{
	struct pod_log *l;
	char *t;

	if (m->finished || !ns || !pod || (!text && len))
		return;
	t = arena_alloc(&m->arena, len + 1);
	if (len)
		memcpy(t, text, len);
	t[len] = '\0';
	XGROW(m->logs, m->cap_logs, m->nlogs + 1);
	l = &m->logs[m->nlogs++];
	l->ns = intern(m, ns, strlen(ns));
	l->pod = mcopy(m, pod, strlen(pod));
	l->path = NULL;
	l->text = t;
	l->len = len;
}

static int sink_object(void *ctx, const struct src_obj *o, struct err *err)
{
	return model_add(ctx, o, err);
}

static void sink_kind_seen(void *ctx, const char *kind)
{
	model_kind_seen(ctx, kind);
}

static int sink_log(void *ctx, const char *ns, const char *pod, const char *path, struct err *err)
{
	(void)err;
	model_add_log(ctx, ns, pod, path);
	return 0;
}

struct source_sink model_sink(struct model *m)
{
	struct source_sink s = {
		.ctx = m,
		.object = sink_object,
		.kind_seen = sink_kind_seen,
		.log = sink_log,
		.warn = m->warn,
	};
	return s;
}

/* ---- sorting ---- */

struct skey {
	const char *ns, *name;
	int kind;
	ktime t1, t2;
	uint32_t pos;
};

static int skey_cmp(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;
	int c = strcmp(x->ns, y->ns);
	if (!c)
		c = strcmp(x->name, y->name);
	if (!c)
		c = (x->kind > y->kind) - (x->kind < y->kind);
	if (!c)
		c = (x->pos > y->pos) - (x->pos < y->pos);
	return c;
}

/* events: newest last-time first, then newest first-time, then ns/name */
static int skey_time_cmp(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;
	if (x->t1 != y->t1)
		return x->t1 > y->t1 ? -1 : 1;
	if (x->t2 != y->t2)
		return x->t2 > y->t2 ? -1 : 1;
	return skey_cmp(a, b);
}

static bool same_obj(const struct skey *x, const struct skey *y)
{
	return x->kind == y->kind && !strcmp(x->ns, y->ns) && !strcmp(x->name, y->name);
}

/*
 * Sort an array of structs that start with struct meta by (ns, name[,
 * kind]); of several copies of one object the last added is kept.
 */
static void sort_dedup(void *base, size_t *n, size_t size, bool with_kind,
		       int (*cmp)(const void *, const void *))
{
	struct skey *k;
	char *out, *src = base;
	size_t w = 0;

	if (*n == 0)
		return;
	k = xcalloc(*n, sizeof(*k));
	for (size_t i = 0; i < *n; i++) {
		const struct meta *mt = (const struct meta *)(src + i * size);
		k[i].ns = mt->ns;
		k[i].name = mt->name;
		k[i].kind = with_kind ? (int)((const struct workload *)mt)->kind : 0;
		k[i].pos = (uint32_t)i;
	}
	/* kubectl lists each kind sorted already: skip the sort when it is */
	for (size_t i = 1; i < *n; i++) {
		if (skey_cmp(&k[i - 1], &k[i]) > 0) {
			qsort(k, *n, sizeof(*k), skey_cmp);
			break;
		}
	}
	out = xmalloc(*n * size);
	for (size_t i = 0; i < *n; i++) {
		if (i + 1 < *n && same_obj(&k[i], &k[i + 1]))
			continue;   /* a later copy follows */
		memcpy(out + w * size, src + k[i].pos * size, size);
		w++;
	}
	if (cmp) {
		/* re-sort the survivors with cmp (events by time) */
		struct skey *k2 = xcalloc(w, sizeof(*k2));
		char *out2 = xmalloc(w * size);
		for (size_t i = 0; i < w; i++) {
			const struct event *ev = (const struct event *)(out + i * size);
			k2[i].ns = ev->meta.ns;
			k2[i].name = ev->meta.name;
			k2[i].t1 = ev->last;
			k2[i].t2 = ev->first;
			k2[i].pos = (uint32_t)i;
		}
		qsort(k2, w, sizeof(*k2), cmp);
		for (size_t i = 0; i < w; i++)
			memcpy(out2 + i * size, out + k2[i].pos * size, size);
		free(k2);
		free(out);
		out = out2;
	}
	memcpy(base, out, w * size);
	free(out);
	free(k);
	*n = w;
}

#define SORT(arr, cnt) sort_dedup(m->arr, &m->cnt, sizeof(m->arr[0]), false, NULL)

void model_finish(struct model *m)
{
	if (m->finished)
		return;
	SORT(ingresses, ningresses);
	SORT(classes, nclasses);
	SORT(services, nservices);
	SORT(slices, nslices);
	SORT(endpoints, nendpoints);
	SORT(pods, npods);
	SORT(nodes, nnodes);
	sort_dedup(m->events, &m->nevents, sizeof(m->events[0]), false, skey_time_cmp);
	SORT(netpols, nnetpols);
	SORT(configmaps, nconfigmaps);
	sort_dedup(m->workloads, &m->nworkloads, sizeof(m->workloads[0]), true, NULL);
	SORT(namespaces, nnamespaces);
	SORT(secrets, nsecrets);
	for (size_t i = 0; i < m->nevents; i++)
		if (m->events[i].last > m->now)
			m->now = m->events[i].last;
	index_build(m);
	m->finished = true;
}
