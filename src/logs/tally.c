/*
 * tally: count one parsed log line into struct log_stats (stats.h).
 *
 * Access lines: client status, upstream, every attempt of the
 * multi-attempt lists (address, status, time, length) and the access
 * class of the request (nginx-502.md section 1.4). Error lines: the class
 * of the message, counted on the peer address (the error log names no
 * upstream; log_stats_finish() maps addresses to upstreams). klog lines:
 * severities and the Services the controller says have no endpoints.
 */
#include "stats.h"
#include "stats_int.h"

#include <string.h>

#include "../util/xalloc.h"
#include "../util/banned.h"

/* nginx retries these only with non_idempotent (ngx_http_upstream.c) */
static bool non_idempotent(struct ll_str m)
{
	return ll_eq(m, "POST") || ll_eq(m, "PATCH") || ll_eq(m, "LOCK");
}

static void count_class(struct log_stats *s, struct ls_upstream *u, int cls, struct ll_str line,
			const char *file, uint64_t lineno)
{
	s->cls[cls]++;
	ls_keep(s, &s->cls_sample[cls], line.p, line.n, file, lineno);
	if (u) {
		u->cls[cls]++;
		ls_keep(s, &u->sample[cls], line.p, line.n, file, lineno);
	}
}

/* A 502/503/504 on the timelines, in all and of its upstream (rare: kept out of line). */
static __attribute__((noinline)) void count_5xx(struct log_stats *s, struct ls_upstream *u,
						int st, struct ll_str time)
{
	int64_t m = ll_minute_any(time);
	struct ls_minute *mm = NULL, *um = NULL;

	/* bursts hit the same minute: the last entries first */
	if (m >= 0) {
		if (!s->last_minute || s->last_minute->minute != m)
			s->last_minute = ls_get_minute(s, &s->minutes, m);
		if (!u->last_minute || u->last_minute->minute != m)
			u->last_minute = ls_get_minute(s, &u->minutes, m);
		mm = s->last_minute;
		um = u->last_minute;
	}
	if (st == 502) {
		u->s502++;
		if (mm) {
			mm->s502++;
			um->s502++;
		}
	} else if (st == 503) {
		u->s503++;
		if (mm) {
			mm->s503++;
			um->s503++;
		}
	} else {
		u->s504++;
		if (mm) {
			mm->s504++;
			um->s504++;
		}
	}
}

static void tally_access(struct log_stats *s, const struct log_line *l, const char *file,
			 uint64_t lineno)
{
	const struct ll_access *a = &l->a;
	struct ll_iter ia, is, it, il;
	struct ll_str addr, sst = { NULL, 0 }, tm = { NULL, 0 }, ln = { NULL, 0 };
	struct ll_str prev_addr = { NULL, 0 };
	struct ls_upstream *u;
	int st = a->status, cls = LC_NONE, last_st = -1;
	long last_ms = -1;
	unsigned nat = 0, nfail = 0;
	bool group, recovered = false, prev_fail = false;

	s->access++;
	s->requests++;
	s->json_access += a->json;
	s->status[st > 0 && st < 600 ? st : 0]++;
	u = ls_get_upstream(s, a->upstream.p ? a->upstream.p : "", a->upstream.n);
	u->requests++;
	u->status[st >= 100 && st < 600 ? st / 100 : 0]++;
	if (st == 499) {
		u->s499++;
	} else if (st >= 502 && st <= 504) {
		count_5xx(s, u, st, a->time);
	}
	if (!a->addr.n)
		goto classify;
	ll_iter_init(&ia, a->addr);
	ll_iter_init(&is, a->ustatus);
	ll_iter_init(&it, a->utime);
	ll_iter_init(&il, a->ulen);
	/* a->single (most lines): each list is its one item, no walk */
	addr = a->addr;
	for (bool more = a->single || ll_iter_next(&ia, &addr, &group); more;
	     more = !a->single && ll_iter_next(&ia, &addr, &group)) {
		struct ls_addr *ad;
		int code, len;
		long ms;
		bool fail;
		if (a->single) {
			sst = a->ustatus;
			tm = a->utime;
			ln = a->ulen;
		} else {
			if (!ll_iter_next(&is, &sst, &group))
				sst.n = 0;
			if (!ll_iter_next(&it, &tm, &group))
				tm.n = 0;
			if (!ll_iter_next(&il, &ln, &group))
				ln.n = 0;
		}
		if (addr.n == 1 && addr.p[0] == '-')
			continue;
		code = ll_int(sst);
		nat++;
		ad = ls_get_addr(s, addr.p, addr.n);
		if (!ad)
			continue;
		ad->attempts++;
		if (!ad->upstream)
			ad->upstream = u->name;
		if (code == 502)
			ad->s502++;
		else if (code == 503)
			ad->s503++;
		else if (code == 504)
			ad->s504++;
		/* lengths matter only for 502/504 attempts: parse them then */
		len = code == 502 || code == 504 ? ll_int(ln) : 1;
		fail = len <= 0;
		/*
		 * times: of failures, of attempts after one, and of the upstream's
		 * answers for their distribution: the first 1024, then a sample of
		 * one request in 8 (most lines skip the parse)
		 */
		ms = fail || nfail || u->timed_ok < 1024 || !(u->requests & 7) ? ll_msec(tm) : -1;
		if (fail) {
			nfail++;
			ad->failed++;
			u->failed++;
			if (ms >= 0)
				u->t_fail[ls_tbucket(ms)]++;
			if (ms > 0 && (uint64_t)ms > u->slow_ms)
				u->slow_ms = (uint64_t)ms;
		} else {
			if (ms >= 0 && code > 0 && code < 500) {
				u->t_ok[ls_tbucket(ms)]++;
				u->timed_ok++;
			}
			if (nfail && code > 0 && code < 500) {
				recovered = true;
				/* the retry on the same peer answered at once: reuse */
				if (prev_fail && last_ms >= 0 && ms >= 0 && last_ms <= ms + 1 &&
				    addr.n == prev_addr.n && !memcmp(addr.p, prev_addr.p, addr.n))
					u->same_retry++;
			}
		}
		last_st = code;
		last_ms = ms;
		prev_addr = addr;
		prev_fail = fail;
	}
	u->attempts += nat;
classify:
	if (st == 503 && !nat && a->upstream_fields) {
		cls = LC_A_NO_ENDPOINTS;
	} else if ((st == 502 || st == 504) && nat && nfail == nat) {
		if (st == 502) {
			cls = nat >= 2 ? LC_A_CONNECT_FAILED : LC_A_NO_RESPONSE;
			if (cls == LC_A_NO_RESPONSE && non_idempotent(a->method))
				u->nonidem++;
		} else {
			cls = last_ms >= 0 && last_ms < 30000 ? LC_A_CONNECT_TIMEOUT
							     : LC_A_READ_TIMEOUT;
		}
	} else if (st >= 502 && st <= 504 && nat && last_st == st) {
		cls = LC_A_APP_5XX;
	} else if (recovered) {
		cls = LC_A_RECOVERED;
	}
	if (cls)
		count_class(s, u, cls, l->body, file, lineno);
}

/* "10.1.2.3:80", "[fd00::1]:80", "unix:/x.sock": an address, not a group name. */
static bool is_addr(struct ll_str p)
{
	size_t i = p.n;

	if (p.n > 5 && !memcmp(p.p, "unix:", 5))
		return true;
	while (i > 0 && p.p[i - 1] >= '0' && p.p[i - 1] <= '9')
		i--;
	return i > 0 && i < p.n && p.p[i - 1] == ':';
}

static void tally_error(struct log_stats *s, const struct log_line *l, const char *file,
			uint64_t lineno)
{
	const struct ll_error *e = &l->e;
	int cls = e->cls;
	int status = log_class_info(cls)->status;

	s->errors++;
	s->level[e->level]++;
	if (!cls)
		return;
	if (status == 502 || status == 504) {
		int64_t m = ll_minute_errlog(e->time);
		if (m >= 0) {
			struct ls_minute *mm = ls_get_minute(s, &s->errminutes, m);
			if (status == 502)
				mm->s502++;
			else
				mm->s504++;
		}
	}
	if (e->upstream.n) {
		count_class(s, ls_get_upstream(s, e->upstream.p, e->upstream.n), cls, l->body,
			    file, lineno);
	} else if (e->peer.n && is_addr(e->peer) && ls_get_addr(s, e->peer.p, e->peer.n)) {
		struct ls_addr *ad = ls_get_addr(s, e->peer.p, e->peer.n);
		count_class(s, NULL, cls, l->body, file, lineno);
		ad->cls[cls]++;
		ls_keep(s, &ad->sample[cls], l->body.p, l->body.n, file, lineno);
	} else if (e->peer.n && !ll_eq(e->peer, "upstream_balancer")) {
		/* a named group (plain nginx): counted on the upstream of that name */
		count_class(s, ls_get_upstream(s, e->peer.p, e->peer.n), cls, l->body, file,
			    lineno);
	} else {
		s->unattributed++;
		count_class(s, NULL, cls, l->body, file, lineno);
	}
}

static void tally_klog(struct log_stats *s, const struct log_line *l, const char *file,
		       uint64_t lineno)
{
	const struct ll_klog *k = &l->k;
	struct ls_service *v;

	s->controller++;
	s->klog[k->sev == 'I' ? 0 : k->sev == 'W' ? 1 : k->sev == 'E' ? 2 : 3]++;
	/* what the timeline shows of the controller, by year-less minute */
	if (k->fact == CTL_NO_ENDPOINTS || k->fact == CTL_RELOAD_FAILED || k->sev == 'E' ||
	    k->sev == 'F') {
		int mdhm = ll_klog_mdhm(k->time);
		if (mdhm >= 0) {
			struct ls_minute *km = ls_get_minute(s, &s->kminutes, mdhm);
			if (k->fact == CTL_NO_ENDPOINTS)
				km->noep++;
			else if (k->fact == CTL_RELOAD_FAILED)
				km->reload_failed++;
			else
				km->ctl_errors++;
		}
	}
	switch (k->fact) {
	case CTL_NO_ENDPOINTS:
	case CTL_ENDPOINTS_ERROR:
		if (!k->service.n || !(v = ls_get_service(s, k->service.p, k->service.n)))
			break;
		if (k->fact == CTL_NO_ENDPOINTS)
			v->no_endpoints++;
		else
			v->errors++;
		ls_keep(s, &v->sample, l->body.p, l->body.n, file, lineno);
		break;
	case CTL_RELOAD_FAILED:
		s->reload_failed++;
		break;
	case CTL_RELOAD_OK:
		s->reload_ok++;
		break;
	default:
		break;
	}
}

static void count_line(struct log_stats *s, const char *p, size_t n, const char *file,
		       uint64_t lineno)
{
	struct log_line l;

	logline_parse(p, n, &l);
	switch (l.kind) {
	case LL_EMPTY:
		s->empty++;
		break;
	case LL_ACCESS:
		tally_access(s, &l, file, lineno);
		break;
	case LL_ERROR:
		tally_error(s, &l, file, lineno);
		break;
	case LL_CONTROLLER:
		tally_klog(s, &l, file, lineno);
		break;
	default:
		s->unknown++;
		if (s->nunknown_sample < LS_SAMPLES)
			ls_keep(s, &s->unknown_sample[s->nunknown_sample++], p, n, file, lineno);
		break;
	}
}

static void cri_add(struct ls_cri *c, struct ll_str part)
{
	size_t keep = part.n;

	c->total += part.n;
	if (!keep)
		return;         /* an empty part: nothing to hold (buf may still be NULL) */
	if (c->len + keep > LS_CRI_MAX)
		keep = LS_CRI_MAX - c->len;
	if (c->len + keep > c->cap) {
		c->cap = c->len + keep > 2 * c->cap ? c->len + keep : 2 * c->cap;
		c->buf = xrealloc(c->buf, c->cap);
	}
	memcpy(c->buf + c->len, part.p, keep);
	c->len += keep;
}

/* Parse the parts held in c as one line, then forget them. */
static void cri_emit(struct log_stats *s, struct ls_cri *c)
{
	if (c->total > LS_CRI_MAX) {
		s->too_long++;
		if (s->nunknown_sample < LS_SAMPLES)
			ls_keep(s, &s->unknown_sample[s->nunknown_sample++], c->buf,
				c->len < LS_SAMPLE_MAX ? c->len : LS_SAMPLE_MAX, c->file, c->line);
	} else {
		/* only empty parts held: no buffer was ever allocated */
		count_line(s, c->buf ? c->buf : "", c->len, c->file, c->line);
	}
	c->len = c->total = 0;
	c->pending = false;
}

void log_stats_flush(struct log_stats *s)
{
	for (int i = 0; i < 2; i++)
		if (s->cri[i].pending)
			cri_emit(s, &s->cri[i]);
}

/*
 * A CRI line: a partial one is held (true: nothing more to do), the line
 * ending one is added to what is held and the whole parsed (true). False
 * for a complete line with nothing held, and for lines that are not CRI.
 */
static bool cri_join(struct log_stats *s, const char *p, size_t n, const char *file,
		     uint64_t lineno)
{
	struct ll_str part;
	struct ls_cri *c;
	int stream, tag = ll_cri_split(p, n, &stream, &part);

	if (!tag) {
		log_stats_flush(s);     /* not a CRI file after all */
		return false;
	}
	c = &s->cri[stream];
	if (tag == 'F' && !c->pending)
		return false;
	if (!c->pending) {
		c->pending = true;
		c->file = file;
		c->line = lineno;
	}
	cri_add(c, part);
	if (tag == 'P') {
		s->cri_parts++;
		return true;
	}
	cri_emit(s, c);
	return true;
}

void log_stats_line(struct log_stats *s, const char *p, size_t n, const char *file,
		    uint64_t lineno)
{
	s->lines++;
	/* "2024-03-26T16:21:04..." (CRI) lines, and anything while a part is held */
	if (((n > 20 && p[4] == '-' && p[10] == 'T') || s->cri[0].pending || s->cri[1].pending) &&
	    cri_join(s, p, n, file, lineno))
		return;
	count_line(s, p, n, file, lineno);
}

void log_stats_too_long(struct log_stats *s, const char *head, size_t n, const char *file,
			uint64_t lineno)
{
	s->lines++;
	s->too_long++;
	if (s->nunknown_sample < LS_SAMPLES)
		ls_keep(s, &s->unknown_sample[s->nunknown_sample++], head, n, file, lineno);
}
