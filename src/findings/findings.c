/*
 * findings: creation, de-duplication and ordering of findings and chains
 * (see findings.h). Lookups are linear over a diagnosis' findings, which
 * number in the tens to low thousands; a hash is not worth its code.
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

struct finding *finding_get(struct diag *d, const char *id, enum severity sev,
			    enum hop hop, const char *kind, const char *ns,
			    const char *name, const char *key)
{
	struct finding *f;

	for (size_t i = 0; i < d->nfindings; i++) {
		f = d->findings[i];
		if (!strcmp(f->id, id) && !strcmp(f->kind, nz(kind)) &&
		    !strcmp(f->ns, nz(ns)) && !strcmp(f->name, nz(name)) &&
		    !strcmp(f->key, nz(key))) {
			if (sev > f->sev)
				f->sev = sev;
			return f;
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
	XGROW(d->findings, d->capfindings, d->nfindings + 1);
	d->findings[d->nfindings++] = f;
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

void finding_link(struct diag *d, struct finding *f, const char *ing_ns,
		  const char *ing_name, struct chain *c)
{
	if (ing_name && *ing_name)
		strlist_add_unique(&f->ingresses, diag_printf(d, "%s/%s", nz(ing_ns), ing_name));
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
