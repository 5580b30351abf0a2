/*
 * fuzz_json: differential fuzzing of the JSON reader against cJSON, plus
 * writer round trips and the streamed reader.
 *
 * For every input:
 *  1. json_parse() and cJSON_ParseWithOpts(require_null_terminated) must
 *     agree on valid/invalid and, when valid, on structure and values
 *     (strings byte-wise, numbers by value). Known, deliberate differences
 *     are handled explicitly, never by skipping input classes wholesale:
 *       - cJSON is laxer than RFC 8259: it treats every byte <= 0x20 as
 *         whitespace, accepts raw control characters in strings, parses
 *         numbers with strtod (leading zeros, "1.", "-.5", "1.e5") and
 *         nests up to 1000 levels; it also reads a \u escape with
 *         non-hex digits as code 0. Inputs with any of these (found by
 *         lex_quirks() below) must be REJECTED by us; cJSON is not asked.
 *       - cJSON rejects lone UTF-16 surrogates; we decode them to U+FFFD
 *         like encoding/json. cJSON gets a copy where each lone surrogate
 *         escape is rewritten to \ufffd, which must then decode the same.
 *       - cJSON reads numbers through a 64-byte buffer and rejects longer
 *         number tokens; for inputs with one, only our own checks run.
 *       - cJSON works on C strings: an input holding a NUL byte must be
 *         rejected by us (NUL is valid nowhere in JSON text); a "\u0000"
 *         inside a string is compared up to the NUL.
 *  2. A valid DOM written by json_w_value() (compact and indented) parses
 *     back to the same DOM.
 *  3. json_stream_buf() and json_stream_fd() (memfd, tiny window) agree
 *     with each other exactly (same items, same error text) and with a
 *     json_parse_lines() loop over the input (same documents and items,
 *     same error line:col). With JSON_STREAM_SKIP_LOG_BLOCKS, buffer and
 *     fd must still agree exactly.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../src/json/json.h"
#include "../src/json/json_stream.h"
#include "../src/json/json_write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define Q_LAX 1      /* RFC-invalid construct cJSON accepts: we must reject */
#define Q_LONGNUM 2  /* number token > 63 bytes: cJSON cannot judge */
#define Q_LONE 4     /* lone surrogate escape: rewritten for cJSON */

static long hex4(const char *s)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		int h = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ?
			(c | 0x20) - 'a' + 10 : -1;
		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

static bool rfc_number(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return false;
	if (i < n && s[i] == '.') {
		i++;
		if (!(i < n && s[i] >= '0' && s[i] <= '9'))
			return false;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (!(i < n && s[i] >= '0' && s[i] <= '9'))
			return false;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == n;
}

/*
 * Find the known differences in s (a NUL-terminated copy). Lone surrogate
 * escapes are rewritten to \ufffd in place (s is cJSON's copy).
 */
static int lex_quirks(char *s, size_t n)
{
	int q = 0, depth = 0, maxd = 0;
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"') {
			for (i++; i < n && s[i] != '"';) {
				unsigned char d = (unsigned char)s[i];
				if (d < 0x20)
					q |= Q_LAX;
				if (d != '\\') {
					i++;
					continue;
				}
				if (i + 6 <= n && s[i + 1] == 'u') {
					long cp = hex4(s + i + 2), lo = -1;
					if (cp >= 0xd800 && cp <= 0xdbff && i + 12 <= n &&
					    s[i + 6] == '\\' && s[i + 7] == 'u')
						lo = hex4(s + i + 8);
					if (cp >= 0xd800 && cp <= 0xdbff && lo >= 0xdc00 &&
					    lo <= 0xdfff) {
						i += 12;
					} else if (cp < 0) {
						q |= Q_LAX; /* cJSON reads bad hex as 0 */
						i += 2;
					} else if (cp >= 0xd800 && cp <= 0xdfff) {
						memcpy(s + i + 2, "fffd", 4);
						q |= Q_LONE;
						i += 6;
					} else {
						i += 2;
					}
					continue;
				}
				i += 2;
			}
			i++;
			continue;
		}
		if (c == '-' || (c >= '0' && c <= '9')) {
			size_t j = i;
			while (j < n && s[j] && strchr("0123456789+-.eE", s[j]))
				j++;
			if (!rfc_number(s + i, j - i))
				q |= Q_LAX;
			if (j - i > 63)
				q |= Q_LONGNUM;
			i = j;
			continue;
		}
		if (c == '[' || c == '{') {
			if (++depth > maxd)
				maxd = depth;
		} else if (c == ']' || c == '}') {
			depth--;
		} else if (c < 0x20 && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
			q |= Q_LAX;
		}
		i++;
	}
	if (maxd > JSON_MAX_DEPTH)
		q |= Q_LAX;
	return q;
}

static size_t prefix_len(const char *s, size_t n)
{
	const char *z = memchr(s, '\0', n);
	return z ? (size_t)(z - s) : n;
}

/* Our DOM against cJSON's tree. */
static void cmp_cjson(const struct json *j, const cJSON *c)
{
	switch (j->type) {
	case JSON_NULL:
		if (!cJSON_IsNull(c))
			abort();
		break;
	case JSON_TRUE:
		if (!cJSON_IsTrue(c))
			abort();
		break;
	case JSON_FALSE:
		if (!cJSON_IsFalse(c))
			abort();
		break;
	case JSON_NUMBER: {
		double d;
		if (!cJSON_IsNumber(c))
			abort();
		if (json_get_double(j, &d) == 0) {
			if (d != c->valuedouble)
				abort();
		} else if (!isinf(c->valuedouble)) {
			abort();
		}
		break;
	}
	case JSON_STRING: {
		size_t n = prefix_len(j->u.s, j->n);
		if (!cJSON_IsString(c) || strlen(c->valuestring) != n ||
		    memcmp(c->valuestring, j->u.s, n) != 0)
			abort();
		break;
	}
	case JSON_ARRAY: {
		const cJSON *e = c->child;
		if (!cJSON_IsArray(c))
			abort();
		for (uint32_t i = 0; i < j->n; i++, e = e->next) {
			if (!e)
				abort();
			cmp_cjson(&j->u.items[i], e);
		}
		if (e)
			abort();
		break;
	}
	case JSON_OBJECT: {
		const cJSON *e = c->child;
		if (!cJSON_IsObject(c))
			abort();
		for (uint32_t i = 0; i < j->n; i++, e = e->next) {
			const struct json_member *m = &j->u.members[i];
			size_t kl = prefix_len(m->key, m->klen);
			if (!e || strlen(e->string) != kl || memcmp(e->string, m->key, kl) != 0)
				abort();
			cmp_cjson(&m->val, e);
		}
		if (e)
			abort();
		break;
	}
	default:
		abort();
	}
}

/* Two DOMs of ours: identical (numbers by text). */
static bool same(const struct json *a, const struct json *b)
{
	if (a->type != b->type || a->n != b->n)
		return false;
	switch (a->type) {
	case JSON_NUMBER:
	case JSON_STRING:
		return memcmp(a->u.s, b->u.s, a->n) == 0;
	case JSON_ARRAY:
		for (uint32_t i = 0; i < a->n; i++)
			if (!same(&a->u.items[i], &b->u.items[i]))
				return false;
		return true;
	case JSON_OBJECT:
		for (uint32_t i = 0; i < a->n; i++) {
			const struct json_member *x = &a->u.members[i], *y = &b->u.members[i];
			if (x->klen != y->klen || memcmp(x->key, y->key, x->klen) ||
			    !same(&x->val, &y->val))
				return false;
		}
		return true;
	default:
		return true;
	}
}

static void roundtrip(const struct json *v, int indent)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	struct json_w w;
	struct arena a;
	struct json back;
	struct json_error e;

	json_w_init(&w, f, indent);
	json_w_value(&w, v);
	if (json_w_finish(&w) < 0)
		abort();
	fclose(f);
	arena_init(&a, 0);
	if (json_parse(out, n, &a, &back, &e) < 0 || !same(v, &back))
		abort();
	arena_release(&a);
	free(out);
}

/* ---- streaming ---- */

/* A recorded stream event, cloned into an arena. */
struct ev {
	bool end, in_list;
	size_t doc, index;
	const char *kind;
	struct json v;
};

struct rec {
	struct arena a;
	struct ev *ev;
	size_t n, cap;
};

static struct ev *add_ev(struct rec *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->ev = realloc(r->ev, r->cap * sizeof(*r->ev));
		if (!r->ev)
			abort();
	}
	memset(&r->ev[r->n], 0, sizeof(r->ev[0]));
	return &r->ev[r->n++];
}

static int rec_item(void *ctx, const struct json_item *it, struct err *err)
{
	struct rec *r = ctx;
	struct ev *e = add_ev(r);
	(void)err;
	e->in_list = it->in_list;
	e->doc = it->doc;
	e->index = it->index;
	e->kind = it->list_kind ? arena_strdup(&r->a, it->list_kind) : NULL;
	json_clone(&r->a, it->value, &e->v);
	return 0;
}

static int rec_end(void *ctx, const struct json *env, size_t doc, struct err *err)
{
	struct rec *r = ctx;
	struct ev *e = add_ev(r);
	(void)err;
	e->end = true;
	e->doc = doc;
	json_clone(&r->a, env, &e->v);
	return 0;
}

static bool is_items(const struct json_member *m)
{
	return m->klen == 5 && memcmp(m->key, "items", 5) == 0 && m->val.type == JSON_ARRAY;
}

/* What the stream must report for document v (number doc). */
static void expect_doc(struct rec *r, const struct json *v, size_t doc)
{
	struct ev *e;
	bool list = false;
	size_t index = 0;

	if (v->type == JSON_OBJECT) {
		for (uint32_t i = 0; i < v->n; i++)
			list |= is_items(&v->u.members[i]);
	}
	if (!list) {
		e = add_ev(r);
		e->doc = doc;
		e->v = *v;
		return;
	}
	struct json env = { .type = JSON_OBJECT };
	env.u.members = arena_alloc(&r->a, v->n * sizeof(struct json_member));
	for (uint32_t i = 0; i < v->n; i++) {
		const struct json_member *m = &v->u.members[i];
		if (!is_items(m)) {
			env.u.members[env.n++] = *m;
			continue;
		}
		const char *kind = NULL;
		for (uint32_t k = 0; k < env.n && !kind; k++) {
			const struct json_member *em = &env.u.members[k];
			if (em->klen == 4 && !memcmp(em->key, "kind", 4) &&
			    em->val.type == JSON_STRING)
				kind = em->val.u.s;
		}
		for (uint32_t k = 0; k < m->val.n; k++) {
			e = add_ev(r);
			e->in_list = true;
			e->doc = doc;
			e->index = index++;
			e->kind = kind;
			e->v = m->val.u.items[k];
		}
	}
	e = add_ev(r);
	e->end = true;
	e->doc = doc;
	e->v = env;
}

static bool same_events(const struct rec *a, const struct rec *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct ev *x = &a->ev[i], *y = &b->ev[i];
		if (x->end != y->end || x->in_list != y->in_list || x->doc != y->doc ||
		    x->index != y->index || !same(&x->v, &y->v))
			return false;
		if (!x->kind != !y->kind || (x->kind && strcmp(x->kind, y->kind)))
			return false;
	}
	return true;
}

static void check_stream(const uint8_t *data, size_t size)
{
	struct rec exp = { 0 }, got = { 0 }, got2 = { 0 };
	struct err e1 = ERR_INIT, e2 = ERR_INIT;
	char *b1 = malloc(size + 1), *b2 = malloc(size + 1);
	size_t pos = 0, doc = 0;
	int rc1, rc2, want = 0;
	struct json_error je;

	arena_init(&exp.a, 0);
	arena_init(&got.a, 0);
	arena_init(&got2.a, 0);
	memcpy(b1, data, size);
	memcpy(b2, data, size);

	/* expectation: documents one after another, lines tracked */
	unsigned line = 1, wline = 0, wcol = 0, gline, gcol;
	long long ls = 0;
	if (size >= 3 && !memcmp(b2, "\xef\xbb\xbf", 3))
		pos = ls = 3;
	for (;; doc++) {
		struct json v;
		int rc = json_parse_lines(b2, size, &pos, 0, &line, &ls, &exp.a, &v, &je);
		if (rc < 0) {
			want = -1;
			wline = je.line;
			wcol = je.col;
			break;
		}
		if (rc == 1) {
			if (doc == 0) {
				want = -1;
				wline = line;
				wcol = (unsigned)((long long)size - ls + 1);
			}
			break;
		}
		expect_doc(&exp, &v, doc);
	}

	rc1 = json_stream_buf(b1, size, "in", 0, rec_item, rec_end, &got, &e1);
	if (rc1 != want)
		abort();
	if (rc1 == 0 && !same_events(&exp, &got))
		abort();
	/* the same error position (UTF-16 input is refused before parsing) */
	if (rc1 < 0 && !strstr(e1.msg, "UTF-16") &&
	    (sscanf(e1.msg, "in:%u:%u:", &gline, &gcol) != 2 || gline != wline || gcol != wcol))
		abort();

	/* the same through an fd and a tiny window */
	int fd = memfd_create("fuzz", 0);
	if (fd >= 0) {
		if (write(fd, data, size) == (ssize_t)size && lseek(fd, 0, SEEK_SET) == 0) {
			json_stream_set_window(16 + (size ? data[0] % 48 : 0));
			rc2 = json_stream_fd(fd, "in", 0, rec_item, rec_end, &got2, &e2);
			json_stream_set_window(0);
			if (rc2 != rc1 || strcmp(e1.msg, e2.msg) != 0)
				abort();
			if (rc2 == 0 && !same_events(&got, &got2))
				abort();
		}
		close(fd);
	}
	/* log-block skipping: buffer and windowed fd agree exactly */
	got.n = got2.n = 0;
	memcpy(b1, data, size);
	err_clear(&e1);
	err_clear(&e2);
	rc1 = json_stream_buf(b1, size, "in", JSON_STREAM_SKIP_LOG_BLOCKS, rec_item, rec_end,
			      &got, &e1);
	fd = memfd_create("fuzz", 0);
	if (fd >= 0) {
		if (write(fd, data, size) == (ssize_t)size && lseek(fd, 0, SEEK_SET) == 0) {
			json_stream_set_window(16 + (size > 1 ? data[1] % 64 : 0));
			rc2 = json_stream_fd(fd, "in", JSON_STREAM_SKIP_LOG_BLOCKS, rec_item,
					     rec_end, &got2, &e2);
			json_stream_set_window(0);
			if (rc2 != rc1 || strcmp(e1.msg, e2.msg) != 0)
				abort();
			if (rc2 == 0 && !same_events(&got, &got2))
				abort();
		}
		close(fd);
	}
	free(exp.ev);
	free(got.ev);
	free(got2.ev);
	arena_release(&exp.a);
	arena_release(&got.a);
	arena_release(&got2.a);
	free(b1);
	free(b2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct json root;
	struct json_error e;
	char *ours = malloc(size + 1), *theirs = malloc(size + 1);
	int rc, q;

	memcpy(ours, data, size);
	memcpy(theirs, data, size);
	theirs[size] = '\0';
	arena_init(&a, 0);
	rc = json_parse(ours, size, &a, &root, &e);
	if (rc < 0 && (e.line == 0 || e.col == 0 || e.offset > size || !e.msg[0]))
		abort();

	q = lex_quirks(theirs, size);
	if (memchr(data, '\0', size)) {
		if (rc == 0)
			abort(); /* NUL is valid nowhere in JSON text */
	} else if (q & Q_LAX) {
		if (rc == 0)
			abort();
	} else if (!(q & Q_LONGNUM)) {
		const char *end = NULL;
		cJSON *c = cJSON_ParseWithOpts(theirs, &end, 1);
		if ((c != NULL) != (rc == 0))
			abort();
		if (c) {
			cmp_cjson(&root, c);
			cJSON_Delete(c);
		}
	}
	if (rc == 0) {
		roundtrip(&root, 0);
		roundtrip(&root, 2);
	}
	arena_release(&a);
	free(ours);
	free(theirs);
	check_stream(data, size);
	return 0;
}
