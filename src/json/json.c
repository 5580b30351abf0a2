/*
 * json: the project's JSON reader (see json.h); the DOM accessors are in
 * json_access.c.
 *
 * One iterative pass over the buffer, no recursion: an explicit frame
 * stack tracks open containers, and the members/items of every open
 * container wait on two growable scratch stacks; when a container closes,
 * its children are copied into the arena as one contiguous array. Strings
 * are decoded in place and NUL-terminated over their closing quote.
 * Whitespace and string scanning use SSE2 on x86-64 (scalar elsewhere).
 * Lines are counted while skipping whitespace (real newlines only occur
 * there), so error positions stay exact after strings were decoded.
 */
#include "json.h"
#include "../util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../util/banned.h"

/* Scratch stacks, kept between calls (bounded by the largest document). */
struct scratch {
	struct json *items;
	size_t icap;
	struct json_member *mems;
	size_t mcap;
};
static _Thread_local struct scratch scr;

struct frame {
	uint8_t type;   /* JSON_ARRAY or JSON_OBJECT */
	size_t base;    /* index of its first child on the scratch stack */
};

struct parser {
	char *buf;
	char *end;
	struct arena *a;
	struct json_error *e;
	unsigned flags;
	unsigned line;
	long long ls;   /* offset of the current line's first byte */
};

#define unlikely(x) __builtin_expect(!!(x), 0)
#define likely(x) __builtin_expect(!!(x), 1)

__attribute__((format(printf, 3, 4)))
static int fail(struct parser *P, const char *at, const char *fmt, ...)
{
	struct json_error *e = P->e;
	va_list ap;
	size_t off = (size_t)(at - P->buf);

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->offset = off;
	e->line = P->line;
	e->col = (unsigned)((long long)off - P->ls + 1);
	return -1;
}

static int fail_eof(struct parser *P, const char *what)
{
	if (what)
		return fail(P, P->end, "unexpected end of input in %s", what);
	return fail(P, P->end, "unexpected end of input");
}

/* Describe an unexpected byte for a message. */
static const char *show(char *tmp, size_t n, unsigned char c)
{
	if (c >= 0x20 && c < 0x7f)
		snprintf(tmp, n, "'%c'", c);
	else
		snprintf(tmp, n, "byte 0x%02x", c);
	return tmp;
}

/* Skip spaces after a newline (indentation): the common case of pretty JSON. */
static inline char *skip_spaces(char *p, char *end)
{
#ifdef __SSE2__
	const __m128i sp = _mm_set1_epi8(' ');
	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, sp)) ^ 0xffffu;
		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
#endif
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* Skip JSON whitespace, counting lines. */
#define SKIP_WS()                                                             \
	do {                                                                  \
		while (p < end && (unsigned char)*p <= ' ') {                 \
			if (*p == '\n') {                                     \
				p++;                                          \
				line++;                                       \
				ls = p - buf;                                 \
				p = skip_spaces(p, end);                      \
			} else if (*p == ' ' || *p == '\t' || *p == '\r') {   \
				p++;                                          \
			} else {                                              \
				break;                                        \
			}                                                     \
		}                                                             \
	} while (0)

/* Find the first '"', '\\' or control byte at or after p (end if none). */
static inline char *scan_str(char *p, char *end)
{
#ifdef __SSE2__
	const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
	const __m128i c1f = _mm_set1_epi8(0x1f);
	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i m = _mm_or_si128(_mm_cmpeq_epi8(x, q), _mm_cmpeq_epi8(x, bs));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(_mm_max_epu8(x, c1f), c1f));
		unsigned mm = (unsigned)_mm_movemask_epi8(m);
		if (mm)
			return p + __builtin_ctz(mm);
		p += 16;
	}
#endif
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\\' || c < 0x20)
			break;
		p++;
	}
	return p;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Read 4 hex digits at p (p+4 <= end checked by the caller); -1 if invalid. */
static long hex4(const char *p)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval((unsigned char)p[i]);
		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

static char *put_utf8(char *w, unsigned long cp)
{
	if (cp < 0x80) {
		*w++ = (char)cp;
	} else if (cp < 0x800) {
		*w++ = (char)(0xc0 | cp >> 6);
		*w++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*w++ = (char)(0xe0 | cp >> 12);
		*w++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*w++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*w++ = (char)(0xf0 | cp >> 18);
		*w++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*w++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*w++ = (char)(0x80 | (cp & 0x3f));
	}
	return w;
}

/*
 * Decode escapes from r (at a backslash) into w until the closing quote.
 * Returns the position of the closing quote, *wend the end of the output.
 */
static char *decode(struct parser *P, char *r, char *w, char **wend)
{
	char *end = P->end;

	for (;;) {
		/* here *r == '\\' */
		if (unlikely(end - r < 2))
			return fail_eof(P, "string"), NULL;
		switch (r[1]) {
		case '"': *w++ = '"'; r += 2; break;
		case '\\': *w++ = '\\'; r += 2; break;
		case '/': *w++ = '/'; r += 2; break;
		case 'b': *w++ = '\b'; r += 2; break;
		case 'f': *w++ = '\f'; r += 2; break;
		case 'n': *w++ = '\n'; r += 2; break;
		case 'r': *w++ = '\r'; r += 2; break;
		case 't': *w++ = '\t'; r += 2; break;
		case 'u': {
			long cp, lo;
			if (end - r < 6) {
				for (char *h = r + 2; h < end; h++)
					if (hexval((unsigned char)*h) < 0)
						return fail(P, r, "invalid \\u escape in string"),
						       NULL;
				return fail_eof(P, "string"), NULL;
			}
			cp = hex4(r + 2);
			if (cp < 0)
				return fail(P, r, "invalid \\u escape in string"), NULL;
			r += 6;
			if (cp >= 0xd800 && cp <= 0xdbff && end - r >= 6 && r[0] == '\\' &&
			    r[1] == 'u' && (lo = hex4(r + 2)) >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				r += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd; /* lone surrogate, as encoding/json */
			}
			w = put_utf8(w, (unsigned long)cp);
			break;
		}
		default:
			if ((unsigned char)r[1] > 0x20 && (unsigned char)r[1] < 0x7f)
				return fail(P, r, "invalid escape '\\%c' in string", r[1]), NULL;
			return fail(P, r, "invalid escape: byte 0x%02x after '\\' in string",
				    (unsigned char)r[1]), NULL;
		}
		/* copy the plain run up to the next special byte */
		char *s = scan_str(r, end);
		if (s != r) {
			memmove(w, r, (size_t)(s - r));
			w += s - r;
			r = s;
		}
		if (unlikely(r == end))
			return fail_eof(P, "string"), NULL;
		if (*r == '"') {
			*wend = w;
			return r;
		}
		if (*r != '\\')
			return fail(P, r, "control character 0x%02x in string (must be escaped)",
				    (unsigned char)*r), NULL;
	}
}

/*
 * Parse a string whose opening quote is at p[-1]. Fills v (JSON_STRING)
 * and returns the position after the closing quote, or NULL on error.
 */
static inline char *parse_string(struct parser *P, char *p, struct json *v)
{
	char *s = p, *q = scan_str(p, P->end), *w;

	if (likely(q < P->end && *q == '"')) {
		if (unlikely(q - s > UINT32_MAX))
			return fail(P, s - 1, "string longer than 4 GiB"), NULL;
		*q = '\0';
		v->type = JSON_STRING;
		v->flags = 0;
		v->n = (uint32_t)(q - s);
		v->u.s = s;
		return q + 1;
	}
	if (q == P->end)
		return fail_eof(P, "string"), NULL;
	if (*q != '\\')
		return fail(P, q, "control character 0x%02x in string (must be escaped)",
			    (unsigned char)*q), NULL;
	if (P->flags & JSON_PF_COPY_ESCAPED) {
		/* decode into the arena: the text stays intact for a retry */
		size_t cap;
		char *d, *dend, *cq = q;
		/* decoded length <= escaped length: find the closing quote first */
		for (;;) {
			cq = scan_str(cq, P->end);
			if (cq < P->end && *cq == '"')
				break;
			if (cq < P->end - 1 && *cq == '\\') {
				cq += 2;
				continue;
			}
			/* an error: let decode() find the first one, as in place */
			d = xmalloc((size_t)(P->end - q));
			cq = decode(P, q, d, &dend);
			free(d);
			if (!cq)
				return NULL;
			/* not reached: decode() sees the error the scan saw */
			return fail_eof(P, "string"), NULL;
		}
		cap = (size_t)(cq - s) + 1;
		d = arena_alloc(P->a, cap);
		memcpy(d, s, (size_t)(q - s));
		cq = decode(P, q, d + (q - s), &dend);
		if (!cq)
			return NULL;
		*dend = '\0';
		*cq = '\0';
		s = d;
		w = dend;
		q = cq;
	} else {
		q = decode(P, q, q, &w);
		if (!q)
			return NULL;
		*w = '\0';
	}
	if (unlikely(w - s > UINT32_MAX))
		return fail(P, p - 1, "string longer than 4 GiB"), NULL;
	v->type = JSON_STRING;
	v->flags = 0;
	v->n = (uint32_t)(w - s);
	v->u.s = s;
	return q + 1;
}

#define IS_DIGIT(c) ((unsigned char)((c) - '0') < 10)

/* Validate a number at p per RFC 8259; returns its end or NULL. */
static inline char *parse_number(struct parser *P, char *p, struct json *v)
{
	char *s = p, *end = P->end;

	if (*p == '-')
		p++;
	if (p == end)
		return fail_eof(P, "number"), NULL;
	if (*p == '0') {
		p++;
		if (p < end && IS_DIGIT(*p))
			return fail(P, s, "invalid number: leading zero"), NULL;
	} else if (IS_DIGIT(*p)) {
		p++;
		while (p < end && IS_DIGIT(*p))
			p++;
	} else {
		return fail(P, p, "invalid number: expected digit after '-'"), NULL;
	}
	if (p < end && *p == '.') {
		p++;
		if (p == end)
			return fail_eof(P, "number"), NULL;
		if (!IS_DIGIT(*p))
			return fail(P, p, "invalid number: expected digit after '.'"), NULL;
		while (p < end && IS_DIGIT(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end)
			return fail_eof(P, "number"), NULL;
		if (!IS_DIGIT(*p))
			return fail(P, p, "invalid number: expected digit in exponent"), NULL;
		while (p < end && IS_DIGIT(*p))
			p++;
	}
	if (unlikely(p - s > UINT32_MAX))
		return fail(P, s, "number longer than 4 GiB"), NULL;
	v->type = JSON_NUMBER;
	v->flags = 0;
	v->n = (uint32_t)(p - s);
	v->u.s = s;
	return p;
}

static char *parse_literal(struct parser *P, char *p, struct json *v)
{
	static const char *const names[] = { "null", "false", "true" };
	static const uint8_t types[] = { JSON_NULL, JSON_FALSE, JSON_TRUE };
	int i = *p == 'n' ? 0 : *p == 'f' ? 1 : 2;
	size_t n = strlen(names[i]), have = (size_t)(P->end - p);

	if (have < n) {
		if (memcmp(p, names[i], have) == 0)
			return fail_eof(P, NULL), NULL;
		return fail(P, p, "invalid literal (expected '%s')", names[i]), NULL;
	}
	if (memcmp(p, names[i], n) != 0)
		return fail(P, p, "invalid literal (expected '%s')", names[i]), NULL;
	v->type = types[i];
	v->flags = 0;
	v->n = 0;
	v->u.s = NULL;
	return p + n;
}

/* Message for a byte that cannot start a value. */
static int bad_value(struct parser *P, char *p)
{
	char tmp[16];
	unsigned char c = (unsigned char)*p;

	if (c == '/')
		return fail(P, p, "comments are not allowed in JSON");
	if (c == '\'')
		return fail(P, p, "strings must use double quotes");
	if (c == ']' || c == '}')
		return fail(P, p, "expected a value, found '%c'", c);
	if (c == 'N' || c == 'I' || c == '+' || c == '.')
		return fail(P, p, "invalid number or literal starting with '%c'", c);
	return fail(P, p, "expected a value, found %s", show(tmp, sizeof(tmp), c));
}

static struct json *push_item(size_t *top)
{
	if (unlikely(*top == scr.icap))
		XGROW(scr.items, scr.icap, *top + 1);
	return &scr.items[(*top)++];
}

static struct json_member *push_member(size_t *top)
{
	if (unlikely(*top == scr.mcap))
		XGROW(scr.mems, scr.mcap, *top + 1);
	return &scr.mems[(*top)++];
}

/* The parser proper. Returns 0, 1 (only whitespace), -1. */
static int parse(struct parser *P, size_t *posp, struct json *out)
{
	char *buf = P->buf, *end = P->end, *p = buf + *posp, *np;
	unsigned line = P->line;
	long long ls = P->ls;
	struct frame fr[JSON_MAX_DEPTH];
	int depth = 0, maxdepth = JSON_MAX_DEPTH - (int)(P->flags >> 8 & 0xffff);
	size_t itop = 0, mtop = 0, n;
	struct json v;
	char tmp[16];
	int rc = -1;

#define SYNC() (P->line = line, P->ls = ls)
	SKIP_WS();
	if (p == end) {
		rc = 1;
		goto out;
	}
value:
	if (unlikely(p == end)) {
		SYNC();
		fail_eof(P, NULL);
		goto out;
	}
	switch (*p) {
	case '"':
		np = parse_string(P, p + 1, &v);
		if (unlikely(!np))
			goto err;
		p = np;
		goto have_value;
	case '{':
	case '[':
		if (unlikely(depth >= maxdepth)) {
			SYNC();
			fail(P, p, "nesting deeper than %d levels", JSON_MAX_DEPTH);
			goto out;
		}
		fr[depth].type = *p == '{' ? JSON_OBJECT : JSON_ARRAY;
		fr[depth].base = *p == '{' ? mtop : itop;
		depth++;
		p++;
		SKIP_WS();
		if (fr[depth - 1].type == JSON_OBJECT) {
			if (p < end && *p == '}') {
				p++;
				depth--;
				v.type = JSON_OBJECT;
				v.flags = 0;
				v.n = 0;
				v.u.members = NULL;
				goto have_value;
			}
			goto key;
		}
		if (p < end && *p == ']') {
			p++;
			depth--;
			v.type = JSON_ARRAY;
			v.flags = 0;
			v.n = 0;
			v.u.items = NULL;
			goto have_value;
		}
		goto value;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		np = parse_number(P, p, &v);
		if (unlikely(!np))
			goto err;
		p = np;
		goto have_value;
	case 't':
	case 'f':
	case 'n':
		np = parse_literal(P, p, &v);
		if (unlikely(!np))
			goto err;
		p = np;
		goto have_value;
	default:
		SYNC();
		bad_value(P, p);
		goto out;
	}

key:
	if (unlikely(p == end)) {
		SYNC();
		fail_eof(P, NULL);
		goto out;
	}
	if (unlikely(*p != '"')) {
		SYNC();
		if (*p == '}')
			fail(P, p, "trailing comma in object");
		else if (*p == '\'')
			fail(P, p, "strings must use double quotes");
		else
			fail(P, p, "expected '\"' to start an object key, found %s",
			     show(tmp, sizeof(tmp), (unsigned char)*p));
		goto out;
	}
	{
		struct json_member *m = push_member(&mtop);
		np = parse_string(P, p + 1, &m->val);
		if (unlikely(!np))
			goto err;
		m->key = m->val.u.s;
		m->klen = m->val.n;
		p = np;
	}
	if (likely(p < end && *p == ':')) {
		p++;
	} else {
		SKIP_WS();
		if (unlikely(p == end)) {
			SYNC();
			fail_eof(P, NULL);
			goto out;
		}
		if (*p != ':') {
			SYNC();
			fail(P, p, "expected ':' after object key, found %s",
			     show(tmp, sizeof(tmp), (unsigned char)*p));
			goto out;
		}
		p++;
	}
	SKIP_WS();
	goto value;

have_value:
	if (unlikely(depth == 0)) {
		*out = v;
		rc = 0;
		goto out;
	}
	if (fr[depth - 1].type == JSON_OBJECT) {
		scr.mems[mtop - 1].val = v;
		SKIP_WS();
		if (likely(p < end && *p == ',')) {
			p++;
			SKIP_WS();
			goto key;
		}
		if (likely(p < end && *p == '}')) {
			p++;
			depth--;
			n = mtop - fr[depth].base;
			v.type = JSON_OBJECT;
			v.flags = 0;
			if (unlikely(n > UINT32_MAX)) {
				SYNC();
				fail(P, p - 1, "object with more than 2^32 members");
				goto out;
			}
			v.n = (uint32_t)n;
			v.u.members = arena_alloc(P->a, n * sizeof(struct json_member));
			memcpy(v.u.members, scr.mems + fr[depth].base,
			       n * sizeof(struct json_member));
			mtop = fr[depth].base;
			goto have_value;
		}
		SYNC();
		if (p == end)
			fail_eof(P, NULL);
		else
			fail(P, p, "expected ',' or '}' after object member, found %s",
			     show(tmp, sizeof(tmp), (unsigned char)*p));
		goto out;
	}
	*push_item(&itop) = v;
	SKIP_WS();
	if (likely(p < end && *p == ',')) {
		p++;
		SKIP_WS();
		if (unlikely(p < end && *p == ']')) {
			SYNC();
			fail(P, p, "trailing comma in array");
			goto out;
		}
		goto value;
	}
	if (likely(p < end && *p == ']')) {
		p++;
		depth--;
		n = itop - fr[depth].base;
		v.type = JSON_ARRAY;
		v.flags = 0;
		if (unlikely(n > UINT32_MAX)) {
			SYNC();
			fail(P, p - 1, "array with more than 2^32 items");
			goto out;
		}
		v.n = (uint32_t)n;
		v.u.items = arena_alloc(P->a, n * sizeof(struct json));
		memcpy(v.u.items, scr.items + fr[depth].base, n * sizeof(struct json));
		itop = fr[depth].base;
		goto have_value;
	}
	SYNC();
	if (p == end)
		fail_eof(P, NULL);
	else
		fail(P, p, "expected ',' or ']' after array item, found %s",
		     show(tmp, sizeof(tmp), (unsigned char)*p));
	goto out;

err:
	/* a helper failed with P->line/ls not yet synced: fix line/col */
	P->e->line = line;
	P->e->col = (unsigned)((long long)P->e->offset - ls + 1);
	return -1;
out:
	if (rc >= 0) {
		SYNC();
		*posp = (size_t)(p - buf);
	}
	return rc;
#undef SYNC
}

int json_parse_lines(char *buf, size_t len, size_t *pos, unsigned flags, unsigned *line,
		     long long *line_start, struct arena *a, struct json *out,
		     struct json_error *e)
{
	struct parser P = {
		.buf = buf, .end = buf + len, .a = a, .e = e, .flags = flags,
		.line = *line, .ls = *line_start,
	};
	int rc = parse(&P, pos, out);

	/* keep the scratch stacks for the next call unless a huge one grew them */
	if (scr.icap > (1u << 16)) {
		free(scr.items);
		scr.items = NULL;
		scr.icap = 0;
	}
	if (scr.mcap > (1u << 16)) {
		free(scr.mems);
		scr.mems = NULL;
		scr.mcap = 0;
	}
	if (rc >= 0) {
		*line = P.line;
		*line_start = P.ls;
	}
	return rc;
}

void json_scratch_release(void)
{
	free(scr.items);
	free(scr.mems);
	memset(&scr, 0, sizeof(scr));
}

int json_parse_next(char *buf, size_t len, size_t *pos, struct arena *a,
		    struct json *out, struct json_error *e)
{
	unsigned line = 1;
	long long ls = (long long)*pos;
	int rc = json_parse_lines(buf, len, pos, 0, &line, &ls, a, out, e);

	if (rc < 0 && *pos > 0) {
		/* add the lines before *pos (text there may hold decoded strings
		 * from earlier values: their newlines are counted too) */
		struct json_error base = { .offset = *pos };
		json_error_locate(buf, len, &base);
		if (e->line == 1)
			e->col += base.col - 1;
		e->line += base.line - 1;
	}
	return rc;
}

int json_parse(char *buf, size_t len, struct arena *a, struct json *out,
	       struct json_error *e)
{
	size_t pos = 0;
	unsigned line = 1;
	long long ls = 0;
	int rc;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		pos = 3; /* a UTF-8 byte order mark (RFC 8259 allows ignoring it) */
		ls = 3;
	} else if (len >= 2 && ((unsigned char)buf[0] == 0xff || (unsigned char)buf[0] == 0xfe) &&
		   ((unsigned char)buf[1] == 0xfe || (unsigned char)buf[1] == 0xff)) {
		e->offset = 0;
		json_error_locate(buf, len, e);
		snprintf(e->msg, sizeof(e->msg), "input is UTF-16, not UTF-8 (convert it first)");
		return -1;
	}
	rc = json_parse_lines(buf, len, &pos, 0, &line, &ls, a, out, e);
	if (rc == 1) {
		e->offset = len;
		e->line = line;
		e->col = (unsigned)((long long)len - ls + 1);
		snprintf(e->msg, sizeof(e->msg), "no JSON value");
		return -1;
	}
	if (rc < 0)
		return -1;
	/* only whitespace may follow */
	while (pos < len) {
		char c = buf[pos];
		if (c == '\n') {
			line++;
			ls = (long long)pos + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			char tmp[16];
			e->offset = pos;
			e->line = line;
			e->col = (unsigned)((long long)pos - ls + 1);
			snprintf(e->msg, sizeof(e->msg), "unexpected %s after the JSON value",
				 show(tmp, sizeof(tmp), (unsigned char)c));
			return -1;
		}
		pos++;
	}
	return 0;
}

void json_error_locate(const char *buf, size_t len, struct json_error *e)
{
	size_t off = e->offset < len ? e->offset : len, ls = 0;
	unsigned line = 1;
	const char *p = buf, *end = buf + off, *nl;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line++;
		p = nl + 1;
		ls = (size_t)(p - buf);
	}
	e->line = line;
	e->col = (unsigned)(e->offset - ls + 1);
}
