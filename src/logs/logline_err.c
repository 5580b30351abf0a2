/*
 * logline_err: the nginx error-log line (ngx_log_error_core layout,
 * nginx-502.md section 2.1), the controller's klog lines, and JSON access
 * lines with user-chosen keys (section 1.5).
 */
#include "classify.h"
#include "logline_int.h"

#include <string.h>

#include "../util/banned.h"

static const char *find(const char *p, const char *end, const char *lit)
{
	return p < end ? ll_find(p, (size_t)(end - p), lit, strlen(lit)) : NULL;
}

static int level_of(const char *p, size_t n)
{
	for (int l = 0; l < LV__COUNT; l++) {
		const char *nm = ll_level_name(l);
		if (strlen(nm) == n && !memcmp(nm, p, n))
			return l;
	}
	return -1;
}

/* "(111: Connection refused)" inside the message: the number. */
static int errno_in(const char *p, const char *end, const char **after)
{
	for (;;) {
		const char *o = memchr(p, '(', (size_t)(end - p));
		const char *d;
		int v = 0;
		if (!o)
			return -1;
		for (d = o + 1; d < end && ll_digit(*d) && d - o < 6; d++)
			v = v * 10 + (*d - '0');
		if (d > o + 1 && d + 1 < end && d[0] == ':' && d[1] == ' ') {
			*after = d;
			return v;
		}
		p = o + 1;
	}
}

bool ll_parse_error(struct ll_str b, struct log_line *out)
{
	const char *p = b.p, *end = b.p + b.n, *q, *msg, *mend, *w, *u, *after;
	struct ll_error *e = &out->e;
	int lv;

	memset(e, 0, sizeof(*e));
	e->cid = -1;
	e->err_no = -1;

	/* 2023/04/17 20:24:55 [error] 31#31: *4102 message */
	if (b.n < 24 || p[7] != '/' || p[10] != ' ' || p[13] != ':' || p[16] != ':' ||
	    p[19] != ' ' || p[20] != '[')
		return false;
	q = memchr(p + 21, ']', (size_t)(end - p - 21));
	if (!q || (lv = level_of(p + 21, (size_t)(q - p - 21))) < 0)
		return false;
	e->level = lv;
	e->time.p = p;
	e->time.n = 19;
	msg = find(q, end, ": ");
	if (!msg)
		return false;
	msg += 2;
	if (msg < end && *msg == '*') {
		long long cid = 0;
		for (q = msg + 1; q < end && ll_digit(*q); q++)
			cid = cid < 1000000000000LL ? cid * 10 + (*q - '0') : cid;
		if (q < end && *q == ' ') {
			e->cid = cid;
			msg = q + 1;
		}
	}
	mend = find(msg, end, ", client: ");
	if (!mend)
		mend = end;
	e->msg.p = msg;
	e->msg.n = (size_t)(mend - msg);
	after = msg;
	e->err_no = errno_in(msg, mend, &after);
	w = find(after, mend, " while ");
	if (w) {
		e->action.p = w + 7;
		e->action.n = (size_t)(mend - w - 7);
		/* stream logs: "while proxying connection, bytes from/to ..." stay in msg */
	}
	u = find(msg, mend, "balancer: ");
	if (u) {
		const char *ue = w && w > u ? w : mend;
		/* " while " may begin inside "balancer: " itself ("balancer: while") */
		e->upstream.p = u + 10;
		e->upstream.n = ue > u + 10 ? (size_t)(ue - u - 10) : 0;
	}
	if (mend < end) {
		u = find(mend, end, ", upstream: \"");
		if (u) {
			const char *s = u + 13, *ce = ll_quote_end(s, end), *sch, *pe;
			if (ce && (sch = find(s, ce, "://"))) {
				e->scheme.p = s;
				e->scheme.n = (size_t)(sch - s);
				s = sch + 3;
				if (ce - s > 5 && !memcmp(s, "unix:", 5)) {
					pe = ce;
				} else {
					pe = memchr(s, '/', (size_t)(ce - s));
					if (!pe)
						pe = ce;
				}
				e->peer.p = s;
				e->peer.n = (size_t)(pe - s);
			}
		}
		u = find(mend, end, ", request: \"");
		if (u) {
			const char *ce = ll_quote_end(u + 12, end);
			if (ce) {
				e->request.p = u + 12;
				e->request.n = (size_t)(ce - u - 12);
			}
		}
	}
	e->cls = log_classify_error(e);
	out->kind = LL_ERROR;
	return true;
}

/* The quoted name after lit ("Service \"" or "service=\""). */
static struct ll_str quoted_after(const char *p, const char *end, const char *lit)
{
	struct ll_str r = { NULL, 0 };
	const char *s = find(p, end, lit), *e;

	if (!s)
		return r;
	s += strlen(lit);
	e = memchr(s, '"', (size_t)(end - s));
	if (!e || e - s > 253 || e == s)
		return r;
	r.p = s;
	r.n = (size_t)(e - s);
	return r;
}

bool ll_parse_klog(struct ll_str b, struct log_line *out)
{
	const char *p = b.p, *end = b.p + b.n, *m;
	struct ll_klog *k = &out->k;

	memset(k, 0, sizeof(*k));
	m = find(p + 15, end, "] ");
	if (!m || m - p > 200)
		return false;
	k->sev = p[0];
	k->time.p = p + 1;
	k->time.n = 20;
	k->msg.p = m + 2;
	k->msg.n = (size_t)(end - m - 2);
	if (find(m, end, "does not have any active Endpoint")) {
		k->fact = CTL_NO_ENDPOINTS;
		k->service = quoted_after(m, end, "Service \"");
		if (!k->service.n)
			k->service = quoted_after(m, end, "service=\"");
	} else if (find(m, end, "Error obtaining Endpoints for Service")) {
		k->fact = CTL_ENDPOINTS_ERROR;
		k->service = quoted_after(m, end, "Service \"");
	} else if (find(m, end, "Dynamic reconfiguration failed") ||
		   find(m, end, "Unexpected failure reconfiguring NGINX") ||
		   find(m, end, "Error reloading NGINX")) {
		k->fact = CTL_RELOAD_FAILED;
	} else if (find(m, end, "Dynamic reconfiguration succeeded") ||
		   find(m, end, "Backend successfully reloaded")) {
		k->fact = CTL_RELOAD_OK;
	}
	out->kind = LL_CONTROLLER;
	return true;
}

/* ---- JSON access lines ---- */

static bool ci_has(struct ll_str k, const char *lit)
{
	size_t n = strlen(lit);

	if (k.n < n)
		return false;
	for (size_t i = 0; i + n <= k.n; i++) {
		size_t j = 0;
		while (j < n && (k.p[i + j] | 0x20) == lit[j])
			j++;
		if (j == n)
			return true;
	}
	return false;
}

static bool ci_eq(struct ll_str k, const char *lit)
{
	return k.n == strlen(lit) && ci_has(k, lit);
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Skip a nested object/array (strings respected); returns after it or NULL. */
static const char *skip_nested(const char *p, const char *end)
{
	int depth = 0;

	for (; p < end; p++) {
		if (*p == '"') {
			p = ll_quote_end(p + 1, end);
			if (!p)
				return NULL;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (--depth == 0)
				return p + 1;
		}
	}
	return NULL;
}

static void json_field(struct ll_str k, struct ll_str v, struct ll_access *a, bool *status_exact)
{
	if (ci_has(k, "upstream")) {
		if (ci_has(k, "alternative") || ci_has(k, "connect") || ci_has(k, "header"))
			return;
		if (ci_has(k, "status"))
			a->ustatus = v;
		else if (ci_has(k, "addr"))
			a->addr = v;
		else if (ci_has(k, "time"))
			a->utime = v;
		else if (ci_has(k, "len") || ci_has(k, "bytes"))
			a->ulen = v;
		else if (!a->upstream.n)
			a->upstream = v;
		a->upstream_fields = true;
	} else if (ci_has(k, "status")) {
		if (ci_eq(k, "status") || (!*status_exact && !a->status)) {
			a->status = ll_int(v) > 0 ? ll_int(v) : 0;
			*status_exact = ci_eq(k, "status");
		}
	} else if (ci_eq(k, "time_local") || ci_eq(k, "timestamp") || ci_eq(k, "@timestamp") ||
		   ci_eq(k, "time") || ci_eq(k, "time_iso8601") || ci_eq(k, "ts") ||
		   ci_eq(k, "datetime") || ci_eq(k, "date")) {
		if (v.n && ll_digit(v.p[0]))
			a->time = v;
	} else if (ci_eq(k, "request")) {
		a->request = v;
	} else if (ci_eq(k, "method") || ci_eq(k, "request_method") || ci_eq(k, "requestmethod")) {
		a->method = v;
	}
}

bool ll_parse_json(struct ll_str b, struct log_line *out)
{
	const char *p = b.p + 1, *end = b.p + b.n;
	struct ll_access *a = &out->a;
	bool exact = false;

	for (;;) {
		struct ll_str k, v;
		p = skip_ws(p, end);
		if (p >= end)
			return false;
		if (*p == '}')
			break;
		if (*p != '"')
			return false;
		k.p = p + 1;
		p = ll_quote_end(p + 1, end);
		if (!p)
			return false;
		k.n = (size_t)(p - k.p);
		p = skip_ws(p + 1, end);
		if (p >= end || *p != ':')
			return false;
		p = skip_ws(p + 1, end);
		if (p >= end)
			return false;
		if (*p == '"') {
			v.p = p + 1;
			p = ll_quote_end(p + 1, end);
			if (!p)
				return false;
			v.n = (size_t)(p - v.p);
			p++;
		} else if (*p == '{' || *p == '[') {
			v.p = p;
			p = skip_nested(p, end);
			if (!p)
				return false;
			v.n = 0;
		} else {
			v.p = p;
			while (p < end && *p != ',' && *p != '}' && *p != ' ')
				p++;
			v.n = (size_t)(p - v.p);
		}
		if (v.n)
			json_field(k, v, a, &exact);
		p = skip_ws(p, end);
		if (p < end && *p == ',')
			p++;
		else if (p < end && *p == '}')
			break;
		else
			return false;
	}
	if (!a->status && !a->upstream_fields)
		return false;
	if (a->request.n && !a->method.n) {
		const char *sp = memchr(a->request.p, ' ', a->request.n);
		a->method.p = a->request.p;
		a->method.n = sp ? (size_t)(sp - a->request.p) : a->request.n;
	}
	a->json = true;
	out->kind = LL_ACCESS;
	return true;
}
