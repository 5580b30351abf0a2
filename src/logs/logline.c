/*
 * logline: prefix stripping, the dispatch between line formats, the
 * upstreaminfo access format (nginx-502.md sections 1.1-1.3), attempt
 * lists, numbers and times. Error-log, klog and JSON lines: logline_err.c.
 */
#include "logline.h"
#include "logline_int.h"
#include "classify.h"
#include "../util/ktime.h"

#include <string.h>

#include "../util/banned.h"

static const char *const levels[LV__COUNT] = {
	"emerg", "alert", "crit", "error", "warn", "notice", "info", "debug",
};

const char *ll_level_name(int level)
{
	return level >= 0 && level < LV__COUNT ? levels[level] : "?";
}

const char *ll_quote_end(const char *p, const char *end)
{
	for (;;) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		const char *b;
		if (!q)
			return NULL;
		/* an even number of backslashes before it: the quote is real */
		for (b = q; b > p && b[-1] == '\\'; b--)
			;
		if (!((q - b) & 1))
			return q;
		p = q + 1;
	}
}

const char *ll_find(const char *p, size_t n, const char *lit, size_t litn)
{
	/* the anchor: spaces are everywhere in a message, so skip a leading one */
	size_t k = litn > 1 && lit[0] == ' ';
	const char *end = p + n, *q;

	while ((size_t)(end - p) >= litn) {
		/* candidates start in [p, end - litn]: their anchor in [p + k, end - litn + k] */
		q = memchr(p + k, lit[k], (size_t)(end - p) - litn + 1);
		if (!q)
			return NULL;
		if (!memcmp(q - k, lit, litn))
			return q - k;
		p = q - k + 1;
	}
	return NULL;
}

/* RFC 3339 timestamp at p followed by a space: its length with the space, else 0. */
static size_t rfc3339_prefix(const char *p, const char *end)
{
	const char *sp;

	if (end - p < 21 || !ll_digit(p[0]) || p[4] != '-' || p[7] != '-' || p[10] != 'T')
		return 0;
	sp = memchr(p, ' ', (size_t)(end - p) < 40 ? (size_t)(end - p) : 40);
	if (!sp || (sp[-1] != 'Z' && !ll_digit(sp[-1])))
		return 0;
	return (size_t)(sp + 1 - p);
}

struct ll_str logline_strip(const char *p, size_t n, struct ll_str *pod)
{
	const char *end = p + n;
	struct ll_str b;

	if (n && end[-1] == '\r')
		end--;
	if (pod)
		pod->p = NULL, pod->n = 0;
	for (int round = 0; round < 3 && p < end; round++) {
		size_t k;
		if (*p == '[' && end - p > 6 && !memcmp(p, "[pod/", 5)) {
			const char *q = memchr(p, ']', (size_t)(end - p));
			if (!q || q + 1 >= end || q[1] != ' ')
				break;
			if (pod)
				pod->p = p + 1, pod->n = (size_t)(q - p - 1);
			p = q + 2;
			continue;
		}
		k = rfc3339_prefix(p, end);
		if (!k)
			break;
		p += k;
		/* CRI: "stdout F " / "stderr P " / "stdout F:x " (tags split on ':') */
		if (end - p >= 9 && (!memcmp(p, "stdout ", 7) || !memcmp(p, "stderr ", 7)) &&
		    (p[7] == 'F' || p[7] == 'P') && p[8] == ' ') {
			p += 9;
		} else if (end - p == 8 && (!memcmp(p, "stdout ", 7) || !memcmp(p, "stderr ", 7))) {
			p += 8;
		} else if (end - p > 9 && (!memcmp(p, "stdout ", 7) || !memcmp(p, "stderr ", 7)) &&
			   (p[7] == 'F' || p[7] == 'P') && p[8] == ':') {
			const char *q = memchr(p + 9, ' ', (size_t)(end - p - 9));
			if (q)
				p = q + 1;
		}
	}
	b.p = p;
	b.n = (size_t)(end - p);
	return b;
}

/* The token ending at end (no spaces in it): its start. */
static const char *tok_start(const char *lo, const char *end)
{
	const char *sp = end > lo ? memrchr(lo, ' ', (size_t)(end - lo)) : NULL;

	return sp ? sp + 1 : lo;
}

/*
 * A multi-attempt list ending at *endp (trailing spaces skipped): items
 * joined by ", " or " : ". Sets *endp to the list's start; returns the list.
 */
static struct ll_str list_right(const char *lo, const char **endp, bool *joined)
{
	const char *end = *endp, *s;
	struct ll_str r = { NULL, 0 };

	while (end > lo && end[-1] == ' ')
		end--;
	if (end == lo)
		return r;
	s = tok_start(lo, end);
	for (;;) {
		/* s[-1] == ' ' here unless s == lo */
		if (s - lo >= 2 && s[-2] == ',') {
			s = tok_start(lo, s - 1);
		} else if (s - lo >= 4 && s[-2] == ':' && s[-3] == ' ') {
			s = tok_start(lo, s - 3);
		} else {
			break;
		}
		*joined = true;
	}
	r.p = s;
	r.n = (size_t)(end - s);
	*endp = s;
	return r;
}

/* 16 bytes as a vector (GCC/clang vector extensions: SSE2 / NEON, or plain code) */
typedef unsigned char ll_v16 __attribute__((vector_size(16)));

/* All 16 bytes at p hex digits? (c - '0' < 10, or (c | 0x20) - 'a' < 6, per byte) */
static bool hex16(const char *p)
{
	ll_v16 c, d, l, ok;
	uint64_t w[2];

	memcpy(&c, p, 16);
	d = (ll_v16)(c - (unsigned char)'0' < 10);
	l = (ll_v16)((c | 0x20) - (unsigned char)'a' < 6);
	ok = d | l;
	memcpy(w, &ok, 16);
	return (w[0] & w[1]) == UINT64_MAX;
}

/* $req_id: 32 hex digits (checked 16 bytes at a time: this runs on every line) */
static bool is_reqid(struct ll_str t)
{
	return t.n == 32 && hex16(t.p) && hex16(t.p + 16);
}

/* The '[' opening the bracket group that ends at rb (']'), or NULL: at most 511 bytes back. */
static const char *group_start(const char *lo, const char *rb)
{
	const char *from = rb - lo > 511 ? rb - 511 : lo;

	return rb > from ? memrchr(from, '[', (size_t)(rb - from)) : NULL;
}

/*
 * The upstream fields, read from the right end of the line (nginx-502.md
 * 1.2): [$req_id] $upstream_status $upstream_response_time
 * $upstream_response_length $upstream_addr, each a multi-attempt list,
 * then [$proxy_alternative_upstream_name] (optional) and
 * [$proxy_upstream_name]. Reading from the right skips the referer and user
 * agent without scanning them, and a layout without these fields (combined
 * format) is recognised by the missing ']' before the lists.
 */
static void access_tail(const char *lo, const char *end, struct ll_access *a)
{
	struct ll_str last, lists[4];
	const char *tend = end, *rb, *lb, *lb0;
	bool joined = false;
	int k = 0;

	while (tend > lo && (tend[-1] == ' ' || tend[-1] == '\t'))
		tend--;
	last.p = tok_start(lo, tend);
	last.n = (size_t)(tend - last.p);
	if (is_reqid(last))
		tend = last.p;
	while (k < 4) {
		while (tend > lo && tend[-1] == ' ')
			tend--;
		if (tend == lo || tend[-1] == ']')
			break;
		lists[k++] = list_right(lo, &tend, &joined);
	}
	while (tend > lo && tend[-1] == ' ')
		tend--;
	if (!k || tend == lo || tend[-1] != ']')
		return;
	rb = tend - 1;
	lb = group_start(lo, rb);
	if (!lb)
		return;
	/* two adjacent groups: [name] [alternative] */
	lb0 = lb - 2 >= lo && lb[-1] == ' ' && lb[-2] == ']' ? group_start(lo, lb - 2) : NULL;
	if (lb0) {
		a->upstream.p = lb0 + 1;
		a->upstream.n = (size_t)(lb - 2 - lb0 - 1);
	} else {
		a->upstream.p = lb + 1;
		a->upstream.n = (size_t)(rb - lb - 1);
	}
	a->upstream_fields = true;
	a->addr = lists[k - 1];
	if (k >= 2)
		a->ustatus = lists[0];
	if (k >= 3)
		a->utime = lists[1];
	if (k >= 4)
		a->ulen = lists[2];
	/*
	 * One token per list, none ":" alone, no ',' anywhere: each list is its
	 * only item (ll_iter_next would return just that), so callers can skip
	 * the walk. lists[k - 1] .. lists[0] is one stretch of the line.
	 */
	a->single = !joined && !memchr(lists[k - 1].p, ',', (size_t)(lists[0].p + lists[0].n -
								  lists[k - 1].p));
	for (int i = 0; i < k && a->single; i++)
		if (lists[i].n == 1 && lists[i].p[0] == ':')
			a->single = false;
}

static bool parse_access(struct ll_str b, struct log_line *out)
{
	const char *p = b.p, *end = b.p + b.n, *q, *lb, *r, *sp;
	struct ll_access *a = &out->a;
	int st = 0;

	q = memchr(p, '"', b.n);
	if (!q || q - p < 24 || q[-1] != ' ' || q[-2] != ']')
		return false;
	/* [$time_local] just before the request; older layouts have [IP] earlier */
	lb = q - 29;
	if (q - p < 29 || *lb != '[')
		for (lb = q - 3; lb > p && *lb != '[' && q - lb < 48; lb--)
			;
	if (*lb != '[' || q - 2 - lb < 20 || lb[3] != '/')
		return false;
	a->time.p = lb + 1;
	a->time.n = (size_t)(q - 2 - lb - 1);
	r = ll_quote_end(q + 1, end);
	if (!r)
		return false;
	a->request.p = q + 1;
	a->request.n = (size_t)(r - q - 1);
	sp = memchr(a->request.p, ' ', a->request.n);
	a->method.p = a->request.p;
	a->method.n = sp ? (size_t)(sp - a->request.p) : a->request.n;
	r++;
	if (end - r < 4 || r[0] != ' ')
		return false;
	for (r++; r < end && ll_digit(*r); r++)
		st = st < 1000 ? st * 10 + (*r - '0') : st;
	if (r < end && *r != ' ')
		return false;
	a->status = st;
	out->kind = LL_ACCESS;
	access_tail(r, end, a);
	return true;
}

/* klog: "I1127 10:00:00.000000 ..." */
static bool looks_klog(struct ll_str b)
{
	const char *p = b.p;
	return b.n > 22 && (p[0] == 'I' || p[0] == 'W' || p[0] == 'E' || p[0] == 'F') &&
	       ll_digit(p[1]) && ll_digit(p[4]) && p[5] == ' ' && p[8] == ':' && p[14] == '.';
}

static bool starts(struct ll_str b, const char *lit)
{
	size_t n = strlen(lit);
	return b.n >= n && !memcmp(b.p, lit, n);
}

/*
 * Lines around the log, not of it, counted as empty: the frames of
 * `kubectl cluster-info dump` ("==== START logs for container c of pod
 * ns/p ====", "==== END ...") and the banner ingress-nginx prints at start
 * (a rule of '-', "NGINX Ingress controller", "  Release: ...").
 */
static bool frame_line(struct ll_str b)
{
	static const char *const banner[] = { "NGINX Ingress controller", "  Release:", "  Build:",
					      "  Repository:", "  nginx version:", NULL };
	size_t i;

	if (starts(b, "==== START logs for ") || starts(b, "==== END logs for "))
		return true;
	for (i = 0; i < b.n && b.p[i] == '-'; i++)
		;
	if (i == b.n && b.n >= 20)
		return true;
	for (i = 0; banner[i]; i++)
		if (starts(b, banner[i]))
			return true;
	return false;
}

void logline_parse(const char *p, size_t n, struct log_line *out)
{
	struct ll_str b;

	/* only the access part is zeroed here: the error and klog parsers set theirs */
	memset(&out->a, 0, sizeof(out->a));
	out->e.cls = LC_NONE;
	out->k.fact = CTL_NONE;
	b = logline_strip(p, n, &out->pod);
	out->body = b;
	while (b.n && (b.p[b.n - 1] == ' ' || b.p[b.n - 1] == '\t'))
		b.n--;
	if (!b.n || ((b.p[0] == '=' || b.p[0] == '-' || b.p[0] == 'N' || b.p[0] == ' ') &&
		     frame_line(b))) {
		out->kind = LL_EMPTY;
		return;
	}
	out->kind = LL_UNKNOWN;
	if (b.n > 20 && b.p[4] == '/' && ll_digit(b.p[0])) {
		if (ll_parse_error(b, out))
			return;
	} else if (b.p[0] == '{') {
		if (ll_parse_json(b, out))
			return;
	} else if (looks_klog(b)) {
		if (ll_parse_klog(b, out))
			return;
	}
	if (!parse_access(b, out)) {
		memset(&out->a, 0, sizeof(out->a));
		out->kind = LL_UNKNOWN;
	}
}

void ll_iter_init(struct ll_iter *it, struct ll_str list)
{
	it->p = list.p;
	it->end = list.p ? list.p + list.n : NULL;
}

bool ll_iter_next(struct ll_iter *it, struct ll_str *item, bool *group)
{
	const char *p = it->p, *e;

	*group = false;
	if (!p || p >= it->end)
		return false;
	while (p < it->end && (*p == ' ' || *p == ',')) {
		p++;
	}
	if (p < it->end && *p == ':' && (p + 1 == it->end || p[1] == ' ')) {
		*group = true;
		p++;
		while (p < it->end && *p == ' ')
			p++;
	}
	if (p >= it->end)
		return false;
	for (e = p; e < it->end && *e != ' ' && *e != ','; e++)
		;
	/* "unix:/x.sock:" and IPv6 "[::1]:80" contain no ", " so this holds */
	item->p = p;
	item->n = (size_t)(e - p);
	it->p = e;
	return true;
}

int ll_int(struct ll_str s)
{
	int v = 0;

	if (!s.n || s.n > 9)
		return -1;
	for (size_t i = 0; i < s.n; i++) {
		if (!ll_digit(s.p[i]))
			return -1;
		v = v * 10 + (s.p[i] - '0');
	}
	return v;
}

long ll_msec(struct ll_str s)
{
	long v = 0;
	size_t i = 0;
	int frac = 0;

	if (!s.n || s.n > 15)
		return -1;
	for (; i < s.n && ll_digit(s.p[i]); i++)
		v = v * 10 + (s.p[i] - '0');
	if (!i)
		return -1;
	v *= 1000;
	if (i < s.n && s.p[i] == '.') {
		long scale = 100;
		for (i++; i < s.n && ll_digit(s.p[i]); i++, frac++)
			if (frac < 3) {
				v += (s.p[i] - '0') * scale;
				scale /= 10;
			}
	}
	return i == s.n ? v : -1;
}

bool ll_eq(struct ll_str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && !memcmp(s.p, lit, n);
}

/* days since 1970-01-01 (H. Hinnant's days_from_civil) */
static int64_t civil_days(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int num(const char *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!ll_digit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static int64_t minutes(int Y, int M, int D, int h, int m)
{
	if (Y < 1970 || M < 1 || M > 12 || D < 1 || D > 31 || h < 0 || h > 23 || m < 0 || m > 59)
		return -1;
	return (civil_days(Y, M, D) * 24 + h) * 60 + m;
}

int64_t ll_minute_clf(struct ll_str s)
{
	static const char mons[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p = s.p, *mp;
	int64_t t;
	int M, off;

	/* 17/Apr/2023:20:24:55 +0000 */
	if (s.n < 20 || p[2] != '/' || p[6] != '/' || p[11] != ':')
		return -1;
	/* the month: one of 12 names at offsets 0, 3, ... 33 (cheaper than memmem) */
	for (mp = mons; mp < mons + 36 && memcmp(mp, p + 3, 3); mp += 3)
		;
	if (mp == mons + 36)
		return -1;
	M = (int)((mp - mons) / 3) + 1;
	t = minutes(num(p + 7, 4), M, num(p, 2), num(p + 12, 2), num(p + 15, 2));
	if (t < 0)
		return -1;
	if (s.n >= 26 && (p[21] == '+' || p[21] == '-')) {
		int oh = num(p + 22, 2), om = num(p + 24, 2);
		if (oh < 0 || om < 0)
			return -1;
		off = oh * 60 + om;
		t += p[21] == '+' ? -off : off;
	}
	return t;
}

int64_t ll_minute_errlog(struct ll_str s)
{
	const char *p = s.p;

	/* 2023/04/17 20:24:55 */
	if (s.n < 16 || p[4] != '/' || p[7] != '/' || p[10] != ' ' || p[13] != ':')
		return -1;
	return minutes(num(p, 4), num(p + 5, 2), num(p + 8, 2), num(p + 11, 2), num(p + 14, 2));
}

int ll_klog_mdhm(struct ll_str s)
{
	const char *p = s.p;
	int M, D, h, m;

	/* 1128 05:31:25.123456 */
	if (s.n < 10 || p[4] != ' ' || p[7] != ':')
		return -1;
	M = num(p, 2);
	D = num(p + 2, 2);
	h = num(p + 5, 2);
	m = num(p + 8, 2);
	if (M < 1 || M > 12 || D < 1 || D > 31 || h < 0 || h > 23 || m < 0 || m > 59)
		return -1;
	return ((M * 100 + D) * 100 + h) * 100 + m;
}

int64_t ll_minute_mdhm(int mdhm, int64_t ref)
{
	int M = mdhm / 1000000, D = mdhm / 10000 % 100, h = mdhm / 100 % 100, m = mdhm % 100;
	int64_t y0, best = -1, bestd = 0;

	if (mdhm < 0 || ref < 0)
		return -1;
	y0 = 1970 + ref / 525960;          /* minutes in 365.25 days */
	for (int64_t y = y0 - 2; y <= y0 + 2; y++) {
		int64_t t = minutes((int)y, M, D, h, m), dist;
		if (t < 0)
			continue;
		dist = t > ref ? t - ref : ref - t;
		if (best < 0 || dist < bestd) {
			best = t;
			bestd = dist;
		}
	}
	return best;
}

int64_t ll_minute_any(struct ll_str s)
{
	ktime t;

	if (s.n >= 20 && s.p[2] == '/')
		return ll_minute_clf(s);
	if (s.n >= 16 && s.p[4] == '/')
		return ll_minute_errlog(s);
	if (s.n >= 20 && s.p[4] == '-' && ktime_parse(s.p, s.n, &t) == 0 && t >= 0)
		return t / 60;
	return -1;
}
