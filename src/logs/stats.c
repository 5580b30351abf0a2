/*
 * stats: the tables of struct log_stats (open addressing on a 64-bit
 * hash), merging two halves, and the final attribution and sorting
 * (stats.h). Counting a line is in tally.c.
 */
#include "stats.h"
#include "stats_int.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

uint64_t ls_hash(const char *p, size_t n)
{
	uint64_t h = 0x243F6A8885A308D3ULL ^ n;

	while (n >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	if (n) {
		/* the tail as memcpy into a zeroed word would give it, without the call */
		uint64_t w = 0;
		unsigned char t[8] = { 0 };
		for (size_t i = 0; i < n; i++)
			t[i] = (unsigned char)p[i];
		memcpy(&w, t, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
		h ^= h >> 29;
	}
	h *= 0xBF58476D1CE4E5B9ULL;
	return h ^ (h >> 31);
}

/* Every entry type starts its hash at a known offset: read it through this. */
typedef uint64_t (*hash_of_fn)(const void *e);

static void grow(struct ls_table *t, hash_of_fn hof)
{
	size_t nn = t->nslot ? t->nslot * 2 : 64;
	void **ns = xcalloc(nn, sizeof(*ns));

	for (size_t i = 0; i < t->nslot; i++) {
		void *e = t->slot[i];
		size_t j;
		if (!e)
			continue;
		for (j = hof(e) & (nn - 1); ns[j]; j = (j + 1) & (nn - 1))
			;
		ns[j] = e;
	}
	free(t->slot);
	t->slot = ns;
	t->nslot = nn;
}

static uint64_t up_hash(const void *e)
{
	return ((const struct ls_upstream *)e)->hash;
}

static uint64_t addr_hash(const void *e)
{
	return ((const struct ls_addr *)e)->hash;
}

static uint64_t min_hash(const void *e)
{
	return ls_hash((const char *)&((const struct ls_minute *)e)->minute, 8);
}

static uint64_t svc_hash(const void *e)
{
	return ((const struct ls_service *)e)->hash;
}

static bool str_is(const char *s, const char *p, size_t n)
{
	return !memcmp(s, p, n) && s[n] == '\0';
}

/* Names and addresses are printable ASCII; anything else is junk, not a key. */
static bool printable(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] <= 0x20 || (unsigned char)p[i] >= 0x7f)
			return false;
	return true;
}

/* Slot of the entry with hash h for which eq holds, or the empty slot to use. */
#define PROBE(t, h, E, cond)                                                  \
	for (size_t i_ = (h) & ((t)->nslot - 1);; i_ = (i_ + 1) & ((t)->nslot - 1)) { \
		E = (t)->slot[i_];                                            \
		if (!E || (cond)) {                                           \
			slot = i_;                                            \
			break;                                                \
		}                                                             \
	}

struct ls_upstream *ls_get_upstream(struct log_stats *s, const char *name, size_t n)
{
	struct ls_table *t = &s->upstreams;
	uint64_t h = ls_hash(name, n);
	struct ls_upstream *u;
	size_t slot;

	if ((t->n + 1) * 2 > t->nslot)
		grow(t, up_hash);
	PROBE(t, h, u, u->hash == h && str_is(u->name, name, n));
	if (u)
		return u;
	if (!printable(name, n))
		return ls_get_upstream(s, "?", 1);
	u = arena_zalloc(&s->arena, sizeof(*u));
	u->name = arena_strndup(&s->arena, name, n);
	u->hash = h;
	t->slot[slot] = u;
	t->n++;
	return u;
}

struct ls_addr *ls_get_addr(struct log_stats *s, const char *addr, size_t n)
{
	struct ls_table *t = &s->addrs;
	uint64_t h = ls_hash(addr, n);
	struct ls_addr *a;
	size_t slot;

	if ((t->n + 1) * 2 > t->nslot)
		grow(t, addr_hash);
	PROBE(t, h, a, a->hash == h && str_is(a->addr, addr, n));
	if (a || !printable(addr, n))
		return a;
	a = arena_zalloc(&s->arena, sizeof(*a));
	a->addr = arena_strndup(&s->arena, addr, n);
	a->hash = h;
	t->slot[slot] = a;
	t->n++;
	return a;
}

struct ls_minute *ls_get_minute(struct log_stats *s, struct ls_table *t, int64_t minute)
{
	uint64_t h = ls_hash((const char *)&minute, 8);
	struct ls_minute *m;
	size_t slot;

	if ((t->n + 1) * 2 > t->nslot)
		grow(t, min_hash);
	PROBE(t, h, m, m->minute == minute);
	if (m)
		return m;
	m = arena_zalloc(&s->arena, sizeof(*m));
	m->minute = minute;
	t->slot[slot] = m;
	t->n++;
	return m;
}

struct ls_service *ls_get_service(struct log_stats *s, const char *name, size_t n)
{
	struct ls_table *t = &s->services;
	uint64_t h = ls_hash(name, n);
	struct ls_service *v;
	size_t slot;

	if ((t->n + 1) * 2 > t->nslot)
		grow(t, svc_hash);
	PROBE(t, h, v, v->hash == h && str_is(v->service, name, n));
	if (v || !printable(name, n))
		return v;
	v = arena_zalloc(&s->arena, sizeof(*v));
	v->service = arena_strndup(&s->arena, name, n);
	v->hash = h;
	t->slot[slot] = v;
	t->n++;
	return v;
}

struct ls_upstream *log_stats_upstream(const struct log_stats *s, const char *name, size_t n)
{
	const struct ls_table *t = &s->upstreams;
	uint64_t h = ls_hash(name, n);
	struct ls_upstream *u;
	size_t slot;

	if (!t->nslot)
		return NULL;
	PROBE(t, h, u, u->hash == h && str_is(u->name, name, n));
	(void)slot;
	return u;
}

struct ls_addr *log_stats_addr(const struct log_stats *s, const char *addr, size_t n)
{
	const struct ls_table *t = &s->addrs;
	uint64_t h = ls_hash(addr, n);
	struct ls_addr *a;
	size_t slot;

	if (!t->nslot)
		return NULL;
	PROBE(t, h, a, a->hash == h && str_is(a->addr, addr, n));
	(void)slot;
	return a;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F) ||
	    (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
		return 0;
	return len;
}

void ls_clean(char *t, size_t n)
{
	unsigned char *p = (unsigned char *)t;

	for (size_t i = 0; i < n;) {
		size_t l = utf8_len(p + i, n - i);
		if (!l || (p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f) {
			p[i++] = '?';
			continue;
		}
		i += l;
	}
}

void ls_keep(struct log_stats *s, struct ls_sample *sm, const char *p, size_t n,
	     const char *file, uint64_t line)
{
	char *t;

	if (sm->text)
		return;
	if (n > LS_SAMPLE_MAX)
		n = LS_SAMPLE_MAX;
	t = arena_strndup(&s->arena, p, n);
	ls_clean(t, n);
	sm->text = t;
	sm->file = file;
	sm->line = line;
}

void log_stats_init(struct log_stats *s)
{
	memset(s, 0, sizeof(*s));
	arena_init(&s->arena, 0);
}

void log_stats_release(struct log_stats *s)
{
	for (size_t i = 0; i < s->upstreams.nslot; i++) {
		struct ls_upstream *u = s->upstreams.slot[i];
		if (u) {
			free(u->minutes.slot);
			free(u->timeline);
		}
	}
	free(s->cri[0].buf);
	free(s->cri[1].buf);
	free(s->upstreams.slot);
	free(s->addrs.slot);
	free(s->minutes.slot);
	free(s->errminutes.slot);
	free(s->kminutes.slot);
	free(s->services.slot);
	free(s->up_sorted);
	free(s->addr_sorted);
	free(s->timeline);
	free(s->svc_sorted);
	arena_release(&s->arena);
	memset(s, 0, sizeof(*s));
}

static void merge_sample(struct log_stats *d, struct ls_sample *dst, const struct ls_sample *src,
			 uint64_t off)
{
	if (dst->text || !src->text)
		return;
	dst->text = arena_strdup(&d->arena, src->text);
	dst->file = src->file;
	dst->line = src->line + off;
}

static void add_arr(uint64_t *d, const uint64_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d[i] += s[i];
}

static void add_minutes(struct log_stats *d, struct ls_table *dt, const struct ls_table *st)
{
	for (size_t i = 0; i < st->nslot; i++) {
		const struct ls_minute *m = st->slot[i];
		struct ls_minute *n;
		if (!m)
			continue;
		n = ls_get_minute(d, dt, m->minute);
		n->s502 += m->s502;
		n->s503 += m->s503;
		n->s504 += m->s504;
		n->noep += m->noep;
		n->reload_failed += m->reload_failed;
		n->ctl_errors += m->ctl_errors;
	}
}

void log_stats_merge(struct log_stats *d, const struct log_stats *s, uint64_t off)
{
	d->lines += s->lines;
	d->empty += s->empty;
	d->access += s->access;
	d->errors += s->errors;
	d->controller += s->controller;
	d->unknown += s->unknown;
	d->too_long += s->too_long;
	d->json_access += s->json_access;
	d->cri_parts += s->cri_parts;
	d->requests += s->requests;
	d->reload_failed += s->reload_failed;
	d->reload_ok += s->reload_ok;
	d->unattributed += s->unattributed;
	add_arr(d->status, s->status, 600);
	add_arr(d->level, s->level, LV__COUNT);
	add_arr(d->klog, s->klog, 4);
	add_arr(d->cls, s->cls, LC__COUNT);
	for (int c = 0; c < LC__COUNT; c++)
		merge_sample(d, &d->cls_sample[c], &s->cls_sample[c], off);
	for (size_t i = 0; i < s->nunknown_sample && d->nunknown_sample < LS_SAMPLES; i++)
		merge_sample(d, &d->unknown_sample[d->nunknown_sample++], &s->unknown_sample[i], off);
	for (size_t i = 0; i < s->upstreams.nslot; i++) {
		const struct ls_upstream *u = s->upstreams.slot[i];
		struct ls_upstream *v;
		if (!u)
			continue;
		v = ls_get_upstream(d, u->name, strlen(u->name));
		v->requests += u->requests;
		add_arr(v->status, u->status, 6);
		v->s499 += u->s499;
		v->s502 += u->s502;
		v->s503 += u->s503;
		v->s504 += u->s504;
		v->attempts += u->attempts;
		v->failed += u->failed;
		v->same_retry += u->same_retry;
		v->timed_ok += u->timed_ok;
		add_arr(v->t_ok, u->t_ok, LS_TBUCKETS);
		add_arr(v->t_fail, u->t_fail, LS_TBUCKETS);
		add_minutes(d, &v->minutes, &u->minutes);
		v->nonidem += u->nonidem;
		if (u->slow_ms > v->slow_ms)
			v->slow_ms = u->slow_ms;
		add_arr(v->cls, u->cls, LC__COUNT);
		for (int c = 0; c < LC__COUNT; c++)
			merge_sample(d, &v->sample[c], &u->sample[c], off);
	}
	for (size_t i = 0; i < s->addrs.nslot; i++) {
		const struct ls_addr *a = s->addrs.slot[i];
		struct ls_addr *b;
		if (!a)
			continue;
		b = ls_get_addr(d, a->addr, strlen(a->addr));
		if (!b->upstream && a->upstream)
			b->upstream = ls_get_upstream(d, a->upstream, strlen(a->upstream))->name;
		b->attempts += a->attempts;
		b->failed += a->failed;
		b->s502 += a->s502;
		b->s503 += a->s503;
		b->s504 += a->s504;
		add_arr(b->cls, a->cls, LC__COUNT);
		for (int c = 0; c < LC__COUNT; c++)
			merge_sample(d, &b->sample[c], &a->sample[c], off);
	}
	add_minutes(d, &d->minutes, &s->minutes);
	add_minutes(d, &d->errminutes, &s->errminutes);
	add_minutes(d, &d->kminutes, &s->kminutes);
	d->klog_undated += s->klog_undated;
	for (size_t i = 0; i < s->services.nslot; i++) {
		const struct ls_service *v = s->services.slot[i];
		struct ls_service *w;
		if (!v)
			continue;
		w = ls_get_service(d, v->service, strlen(v->service));
		w->no_endpoints += v->no_endpoints;
		w->errors += v->errors;
		merge_sample(d, &w->sample, &v->sample, off);
	}
}

/* ---- finish: attribution and sorted views ---- */

static void **collect(const struct ls_table *t, size_t *n)
{
	void **v = xcalloc(t->n ? t->n : 1, sizeof(*v));
	size_t k = 0;

	for (size_t i = 0; i < t->nslot; i++)
		if (t->slot[i])
			v[k++] = t->slot[i];
	*n = k;
	return v;
}

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
	return a < b ? 1 : a > b ? -1 : 0;
}

static uint64_t up_errs(const struct ls_upstream *u)
{
	uint64_t n = 0;
	for (int c = 1; c < LC__COUNT; c++)
		if (log_class_info(c)->status)
			n += u->cls[c];
	return n;
}

static int cmp_up(const void *x, const void *y)
{
	const struct ls_upstream *a = *(const struct ls_upstream *const *)x;
	const struct ls_upstream *b = *(const struct ls_upstream *const *)y;
	int c = cmp_u64_desc(ls_5xx(a), ls_5xx(b));

	if (!c)
		c = cmp_u64_desc(up_errs(a), up_errs(b));
	if (!c)
		c = cmp_u64_desc(a->requests, b->requests);
	return c ? c : strcmp(a->name, b->name);
}

static uint64_t addr_errs(const struct ls_addr *a)
{
	uint64_t n = a->failed;
	for (int c = 1; c < LC__COUNT; c++)
		if (log_class_info(c)->status)
			n += a->cls[c];
	return n;
}

static int cmp_addr(const void *x, const void *y)
{
	const struct ls_addr *a = *(const struct ls_addr *const *)x;
	const struct ls_addr *b = *(const struct ls_addr *const *)y;
	int c = cmp_u64_desc(addr_errs(a), addr_errs(b));

	if (!c)
		c = cmp_u64_desc(a->attempts, b->attempts);
	return c ? c : strcmp(a->addr, b->addr);
}

static int cmp_min(const void *x, const void *y)
{
	const struct ls_minute *a = *(const struct ls_minute *const *)x;
	const struct ls_minute *b = *(const struct ls_minute *const *)y;
	return a->minute < b->minute ? -1 : a->minute > b->minute;
}

static int cmp_svc(const void *x, const void *y)
{
	const struct ls_service *a = *(const struct ls_service *const *)x;
	const struct ls_service *b = *(const struct ls_service *const *)y;
	int c = cmp_u64_desc(a->no_endpoints + a->errors, b->no_endpoints + b->errors);
	return c ? c : strcmp(a->service, b->service);
}

/* The earliest minute of table t, or -1. */
static int64_t earliest(const struct ls_table *t)
{
	int64_t m = -1;

	for (size_t i = 0; i < t->nslot; i++) {
		const struct ls_minute *e = t->slot[i];
		if (e && (m < 0 || e->minute < m))
			m = e->minute;
	}
	return m;
}

/*
 * klog minutes (MMDDhhmm) onto timeline t, in the year nearest the log's
 * dated 502/503/504 lines (the earliest of them: the reference is taken
 * here, not per line, to keep the line loop lean); once.
 */
static void place_klog(struct log_stats *s, struct ls_table *t)
{
	int64_t a = earliest(&s->minutes), e = earliest(&s->errminutes);

	s->ref_minute = a < 0 || (e >= 0 && e < a) ? e : a;
	s->have_ref = s->ref_minute >= 0;
	for (size_t i = 0; i < s->kminutes.nslot; i++) {
		struct ls_minute *k = s->kminutes.slot[i];
		int64_t m;
		if (!k)
			continue;
		m = s->have_ref ? ll_minute_mdhm((int)k->minute, s->ref_minute) : -1;
		if (m < 0) {
			s->klog_undated += k->noep + k->reload_failed + k->ctl_errors;
		} else {
			struct ls_minute *n = ls_get_minute(s, t, m);
			n->noep += k->noep;
			n->reload_failed += k->reload_failed;
			n->ctl_errors += k->ctl_errors;
		}
		s->kminutes.slot[i] = NULL;
	}
	s->kminutes.n = 0;
}

void log_stats_finish(struct log_stats *s)
{
	log_stats_flush(s);
	/* error-log classes were counted per peer address: give them to its upstream */
	for (size_t i = 0; i < s->addrs.nslot; i++) {
		struct ls_addr *a = s->addrs.slot[i];
		struct ls_upstream *u;
		if (!a || !a->upstream)
			continue;
		u = ls_get_upstream(s, a->upstream, strlen(a->upstream));
		for (int c = 0; c < LC__COUNT; c++) {
			if (!a->cls[c])
				continue;
			u->cls[c] += a->cls[c];
			if (!u->sample[c].text && a->sample[c].text)
				u->sample[c] = a->sample[c];
		}
	}
	free(s->up_sorted);
	free(s->addr_sorted);
	free(s->timeline);
	free(s->svc_sorted);
	s->up_sorted = (struct ls_upstream **)collect(&s->upstreams, &s->nup);
	qsort(s->up_sorted, s->nup, sizeof(*s->up_sorted), cmp_up);
	s->addr_sorted = (struct ls_addr **)collect(&s->addrs, &s->naddr);
	qsort(s->addr_sorted, s->naddr, sizeof(*s->addr_sorted), cmp_addr);
	s->timeline_from_errors = !s->minutes.n && s->errminutes.n;
	place_klog(s, s->timeline_from_errors ? &s->errminutes : &s->minutes);
	s->timeline = (struct ls_minute **)collect(s->timeline_from_errors ? &s->errminutes
							: &s->minutes, &s->ntimeline);
	qsort(s->timeline, s->ntimeline, sizeof(*s->timeline), cmp_min);
	for (size_t i = 0; i < s->nup; i++) {
		struct ls_upstream *u = s->up_sorted[i];
		free(u->timeline);
		u->timeline = (struct ls_minute **)collect(&u->minutes, &u->ntimeline);
		qsort(u->timeline, u->ntimeline, sizeof(*u->timeline), cmp_min);
	}
	s->svc_sorted = (struct ls_service **)collect(&s->services, &s->nsvc);
	qsort(s->svc_sorted, s->nsvc, sizeof(*s->svc_sorted), cmp_svc);
}
