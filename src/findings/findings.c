/*
 * findings: creation, de-duplication and ordering of findings and chains
 * (see findings.h). finding_get() finds an existing finding through an
 * open-addressing hash of (id, kind, ns, name, key): a big cluster yields
 * tens of thousands of findings, and a linear search made that quadratic.
 */
#include "findings.h"
#include "../util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_ERROR: return "error";
	case SEV_WARNING: return "warning";
	default: return "info";
	}
}

const char *hop_name(enum hop h)
{
	static const char *const n[HOP__COUNT] = {
		"ingress", "service", "endpoints", "pods", "nodes",
	};
	return (unsigned)h < HOP__COUNT ? n[h] : "?";
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_OK: return "ok";
	case V_WARN: return "warn";
	case V_FAIL: return "fail";
	case V_SKIPPED: return "skipped";
	default: return "unknown";
	}
}

void diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
	arena_init(&d->arena, 0);
}

void diag_release(struct diag *d)
{
	for (size_t i = 0; i < d->nfindings; i++) {
		free(d->findings[i]->ingresses.v);
		free(d->findings[i]->evidence.v);
		free(d->findings[i]->commands.v);
	}
	for (size_t i = 0; i < d->nchains; i++)
		free(d->chains[i]->findings);
	free(d->findings);
	free(d->slots);
	free(d->links);
	free(d->chains);
	free(d->notes.v);
	arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
}

const char *diag_strdup(struct diag *d, const char *s)
{
	return arena_strdup(&d->arena, s ? s : "");
}

const char *diag_printf(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	const char *s;
	va_start(ap, fmt);
	s = arena_vprintf(&d->arena, fmt, ap);
	va_end(ap);
	return s;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* Append s to l unless an equal string is there; s is already arena-owned. */
static void strlist_add_unique(struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return;
	XGROW(l->v, l->cap, l->n + 1);
	l->v[l->n++] = s;
}

/* FNV-1a over the five key strings, each followed by a 0 byte */
static uint64_t finding_hash(const char *const parts[5])
{
	uint64_t h = 1469598103934665603ULL;
	for (int i = 0; i < 5; i++) {
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
			h = (h ^ *p) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	return h;
}

static bool finding_is(const struct finding *f, uint64_t h, const char *const parts[5])
{
	return f->hash == h && !strcmp(f->id, parts[0]) && !strcmp(f->kind, parts[1]) &&
	       !strcmp(f->ns, parts[2]) && !strcmp(f->name, parts[3]) &&
	       !strcmp(f->key, parts[4]);
}

static void index_insert(struct finding **slots, size_t nslots, struct finding *f)
{
	size_t i = (size_t)f->hash & (nslots - 1);
	while (slots[i])
		i = (i + 1) & (nslots - 1);
	slots[i] = f;
}

static void index_grow(struct diag *d)
{
	size_t n = d->nslots ? d->nslots * 2 : 64;
	struct finding **slots = xcalloc(n, sizeof(*slots));
	for (size_t i = 0; i < d->nfindings; i++)
		index_insert(slots, n, d->findings[i]);
	free(d->slots);
	d->slots = slots;
	d->nslots = n;
}

struct finding *finding_get(struct diag *d, const char *id, enum severity sev,
			    enum hop hop, const char *kind, const char *ns,
			    const char *name, const char *key)
{
	const char *const parts[5] = { id, nz(kind), nz(ns), nz(name), nz(key) };
	uint64_t h = finding_hash(parts);
	struct finding *f;
	size_t i;

	if (d->nslots) {
		for (i = (size_t)h & (d->nslots - 1); (f = d->slots[i]);
		     i = (i + 1) & (d->nslots - 1)) {
			if (finding_is(f, h, parts)) {
				if (sev > f->sev)
					f->sev = sev;
				return f;
			}
		}
	}
	f = arena_zalloc(&d->arena, sizeof(*f));
	f->id = diag_strdup(d, id);
	f->sev = sev;
	f->hop = hop;
	f->kind = diag_strdup(d, kind);
	f->ns = diag_strdup(d, ns);
	f->name = diag_strdup(d, name);
	f->key = diag_strdup(d, key);
	f->seq = d->nfindings;
	f->hash = h;
	XGROW(d->findings, d->capfindings, d->nfindings + 1);
	d->findings[d->nfindings++] = f;
	if (d->nfindings * 2 > d->nslots)
		index_grow(d);
	else
		index_insert(d->slots, d->nslots, f);
	return f;
}

void finding_message(struct diag *d, struct finding *f, const char *fmt, ...)
{
	va_list ap;
	if (f->message)
		return;
	va_start(ap, fmt);
	f->message = arena_vprintf(&d->arena, fmt, ap);
	va_end(ap);
}

void finding_fix(struct diag *d, struct finding *f, const char *fmt, ...)
{
	va_list ap;
	if (f->fix)
		return;
	va_start(ap, fmt);
	f->fix = arena_vprintf(&d->arena, fmt, ap);
	va_end(ap);
}

void finding_evidence(struct diag *d, struct finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strlist_add_unique(&f->evidence, arena_vprintf(&d->arena, fmt, ap));
	va_end(ap);
}

void finding_command(struct diag *d, struct finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strlist_add_unique(&f->commands, arena_vprintf(&d->arena, fmt, ap));
	va_end(ap);
}

static enum verdict sev_verdict(enum severity s)
{
	return s == SEV_ERROR ? V_FAIL : s == SEV_WARNING ? V_WARN : V_UNKNOWN;
}

/* Hash of (finding, "ns/name") without building the string. */
static uint64_t link_hash(const struct finding *f, const char *ns, const char *name)
{
	uint64_t h = f->hash ^ ((uint64_t)f->seq * 0x9e3779b97f4a7c15ULL);
	for (const unsigned char *p = (const unsigned char *)ns; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = (h ^ '/') * 1099511628211ULL;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h ? h : 1;   /* 0 marks an empty slot */
}

static void links_put(uint64_t *set, size_t cap, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	while (set[i] && set[i] != h)
		i = (i + 1) & (cap - 1);
	set[i] = h;
}

/*
 * Record the link; false when it was there already. A 64-bit hash stands
 * for the pair: a collision would only drop one "ns/name" from a list.
 */
static bool links_add(struct diag *d, uint64_t h)
{
	size_t i;

	if (d->caplinks) {
		for (i = (size_t)h & (d->caplinks - 1); d->links[i]; i = (i + 1) & (d->caplinks - 1))
			if (d->links[i] == h)
				return false;
	}
	if ((d->nlinks + 1) * 2 > d->caplinks) {
		size_t n = d->caplinks ? d->caplinks * 2 : 256;
		uint64_t *set = xcalloc(n, sizeof(*set));
		for (size_t k = 0; k < d->caplinks; k++)
			if (d->links[k])
				links_put(set, n, d->links[k]);
		free(d->links);
		d->links = set;
		d->caplinks = n;
	}
	links_put(d->links, d->caplinks, h);
	d->nlinks++;
	return true;
}

void finding_link(struct diag *d, struct finding *f, const char *ing_ns,
		  const char *ing_name, struct chain *c)
{
	if (ing_name && *ing_name && links_add(d, link_hash(f, nz(ing_ns), ing_name))) {
		XGROW(f->ingresses.v, f->ingresses.cap, f->ingresses.n + 1);
		f->ingresses.v[f->ingresses.n++] = diag_printf(d, "%s/%s", nz(ing_ns), ing_name);
	}
	if (!c)
		return;
	for (size_t i = 0; i < c->nfindings; i++)
		if (c->findings[i] == f)
			goto raise;
	XGROW(c->findings, c->capfindings, c->nfindings + 1);
	c->findings[c->nfindings++] = f;
raise:
	if (sev_verdict(f->sev) > c->hops[f->hop].verdict)
		c->hops[f->hop].verdict = sev_verdict(f->sev);
}

struct chain *chain_new(struct diag *d, const char *ns, const char *ingress,
			const char *host, const char *path, bool default_backend,
			const char *service, const char *port)
{
	struct chain *c = arena_zalloc(&d->arena, sizeof(*c));
	c->ns = diag_strdup(d, ns);
	c->ingress = diag_strdup(d, ingress);
	c->host = diag_strdup(d, host);
	c->path = diag_strdup(d, path);
	c->default_backend = default_backend;
	c->service = diag_strdup(d, service);
	c->port = diag_strdup(d, port);
	XGROW(d->chains, d->capchains, d->nchains + 1);
	d->chains[d->nchains++] = c;
	return c;
}

void chain_hop(struct diag *d, struct chain *c, enum hop h, enum verdict v,
	       const char *fmt, ...)
{
	va_list ap;
	if (!c || (unsigned)h >= HOP__COUNT)
		return;
	if (fmt) {
		va_start(ap, fmt);
		c->hops[h].text = arena_vprintf(&d->arena, fmt, ap);
		va_end(ap);
	}
	if (v > c->hops[h].verdict)
		c->hops[h].verdict = v;
}

int chain_worst(const struct chain *c)
{
	int w = -1;
	for (size_t i = 0; i < c->nfindings; i++)
		if ((int)c->findings[i]->sev > w)
			w = (int)c->findings[i]->sev;
	return w;
}

const char *chain_status(const struct chain *c)
{
	int w = chain_worst(c);
	if (w == SEV_ERROR)
		return "broken";
	if (w == SEV_WARNING)
		return "degraded";
	return "ok";
}

void diag_note(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strlist_add_unique(&d->notes, arena_vprintf(&d->arena, fmt, ap));
	va_end(ap);
}

static int cmp_finding(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a;
	const struct finding *y = *(const struct finding *const *)b;
	int r;
	if (x->sev != y->sev)
		return x->sev > y->sev ? -1 : 1;
	if ((r = strcmp(x->id, y->id)) || (r = strcmp(x->ns, y->ns)) ||
	    (r = strcmp(x->name, y->name)) || (r = strcmp(x->kind, y->kind)) ||
	    (r = strcmp(x->key, y->key)))
		return r;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diag_sort(struct diag *d)
{
	if (d->nfindings > 1)
		qsort(d->findings, d->nfindings, sizeof(*d->findings), cmp_finding);
}

void diag_counts(const struct diag *d, size_t *errors, size_t *warnings, size_t *infos)
{
	size_t e = 0, w = 0, i = 0;
	for (size_t k = 0; k < d->nfindings; k++) {
		if (d->findings[k]->sev == SEV_ERROR)
			e++;
		else if (d->findings[k]->sev == SEV_WARNING)
			w++;
		else
			i++;
	}
	if (errors)
		*errors = e;
	if (warnings)
		*warnings = w;
	if (infos)
		*infos = i;
}
