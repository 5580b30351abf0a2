/*
 * json_write: streaming JSON writer (see json_write.h).
 *
 * Commas, newlines and indentation are placed from the nesting state, so
 * callers only say what to write. Strings are escaped the way JSON
 * requires: '"', '\\' and control characters; other bytes pass through.
 * json_w_value() writes DOMs of any depth; the json_w_obj()/json_w_arr()
 * calls themselves nest at most JSON_W_MAX_DEPTH - 1 levels (reports are
 * shallow; deeper levels share the bookkeeping of the last one).
 *
 * Output goes through the unlocked stdio calls (putc_unlocked, ...): a
 * report is written by one thread, and once a process has started a
 * thread (json_stream's read-ahead) the locking putc costs ~10% of a
 * diagnosis. No other thread may write the same stream meanwhile.
 */
#include "json_write.h"

#include <inttypes.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include "../util/banned.h"

void json_w_init(struct json_w *w, FILE *f, int indent)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->indent = indent < 0 ? 0 : indent;
	w->first[0] = true;
}

static bool *first_at(struct json_w *w, int depth)
{
	if (depth < 0)
		depth = 0;
	if (depth >= JSON_W_MAX_DEPTH)
		depth = JSON_W_MAX_DEPTH - 1;
	return &w->first[depth];
}

static void newline(struct json_w *w)
{
	if (!w->indent)
		return;
	putc_unlocked('\n', w->f);
	for (int i = 0; i < w->depth * w->indent; i++)
		putc_unlocked(' ', w->f);
}

/* Separator before a value or key at the current level. */
static void before_value(struct json_w *w)
{
	bool *first;

	if (w->after_key) {
		w->after_key = false;
		return;
	}
	first = first_at(w, w->depth);
	if (w->depth > 0) {
		if (!*first)
			putc_unlocked(',', w->f);
		newline(w);
	} else if (!*first) {
		/* several top-level values: one per line */
		putc_unlocked('\n', w->f);
	}
	*first = false;
}

static void open_level(struct json_w *w, char c)
{
	before_value(w);
	putc_unlocked(c, w->f);
	w->depth++;
	*first_at(w, w->depth) = true;
	if (w->depth < 64) {
		if (c == '[')
			w->is_arr |= (uint64_t)1 << w->depth;
		else
			w->is_arr &= ~((uint64_t)1 << w->depth);
	}
}

void json_w_obj(struct json_w *w)
{
	open_level(w, '{');
}

void json_w_arr(struct json_w *w)
{
	open_level(w, '[');
}

void json_w_end(struct json_w *w)
{
	bool empty;
	char c;

	if (w->depth <= 0)
		return;
	empty = *first_at(w, w->depth);
	c = w->depth < 64 && (w->is_arr >> w->depth & 1) ? ']' : '}';
	w->depth--;
	w->after_key = false;
	if (!empty)
		newline(w);
	putc_unlocked(c, w->f);
}

static void put_escaped(FILE *f, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s, *end = s + n;

	putc_unlocked('"', f);
	for (const char *p = s; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (p > run)
			fwrite_unlocked(run, 1, (size_t)(p - run), f);
		run = p + 1;
		putc_unlocked('\\', f);
		switch (c) {
		case '"': putc_unlocked('"', f); break;
		case '\\': putc_unlocked('\\', f); break;
		case '\n': putc_unlocked('n', f); break;
		case '\t': putc_unlocked('t', f); break;
		case '\r': putc_unlocked('r', f); break;
		case '\b': putc_unlocked('b', f); break;
		case '\f': putc_unlocked('f', f); break;
		default:
			fputs_unlocked("u00", f);
			putc_unlocked(hex[c >> 4], f);
			putc_unlocked(hex[c & 15], f);
			break;
		}
	}
	if (end > run)
		fwrite_unlocked(run, 1, (size_t)(end - run), f);
	putc_unlocked('"', f);
}

void json_w_key(struct json_w *w, const char *key)
{
	w->after_key = false;
	before_value(w);
	put_escaped(w->f, key ? key : "", key ? strlen(key) : 0);
	putc_unlocked(':', w->f);
	if (w->indent)
		putc_unlocked(' ', w->f);
	w->after_key = true;
}

void json_w_strn(struct json_w *w, const char *s, size_t n)
{
	before_value(w);
	put_escaped(w->f, s, n);
}

void json_w_str(struct json_w *w, const char *s)
{
	if (!s) {
		json_w_null(w);
		return;
	}
	json_w_strn(w, s, strlen(s));
}

void json_w_int(struct json_w *w, int64_t v)
{
	before_value(w);
	fprintf(w->f, "%" PRId64, v);
}

void json_w_double(struct json_w *w, double v)
{
	before_value(w);
	if (!isfinite(v)) {
		/* JSON has no NaN/Inf */
		fputs_unlocked("null", w->f);
		return;
	}
	if (fabs(v) < 1e15 && v == (double)(int64_t)v)
		fprintf(w->f, "%" PRId64, (int64_t)v);
	else
		fprintf(w->f, "%.17g", v);
}

void json_w_bool(struct json_w *w, bool v)
{
	before_value(w);
	fputs_unlocked(v ? "true" : "false", w->f);
}

void json_w_null(struct json_w *w)
{
	before_value(w);
	fputs_unlocked("null", w->f);
}

static void indent_to(struct json_w *w, int level)
{
	if (!w->indent)
		return;
	putc_unlocked('\n', w->f);
	for (int i = 0; i < level * w->indent; i++)
		putc_unlocked(' ', w->f);
}

/* Write a DOM value at nesting level `level` (recursion bounded by the
 * parser's JSON_MAX_DEPTH; deeper trees are cut to null). */
static void write_value(struct json_w *w, const struct json *v, int level)
{
	FILE *f = w->f;

	if (level > 4 * JSON_MAX_DEPTH) {
		fputs_unlocked("null", f);
		return;
	}
	switch (v->type) {
	case JSON_NULL: fputs_unlocked("null", f); break;
	case JSON_FALSE: fputs_unlocked("false", f); break;
	case JSON_TRUE: fputs_unlocked("true", f); break;
	case JSON_NUMBER:
		if (v->u.s && v->n)
			fwrite_unlocked(v->u.s, 1, v->n, f);
		else
			putc_unlocked('0', f);
		break;
	case JSON_STRING: put_escaped(f, v->u.s ? v->u.s : "", v->u.s ? v->n : 0); break;
	case JSON_ARRAY:
		putc_unlocked('[', f);
		for (uint32_t i = 0; i < v->n; i++) {
			if (i)
				putc_unlocked(',', f);
			indent_to(w, level + 1);
			write_value(w, &v->u.items[i], level + 1);
		}
		if (v->n)
			indent_to(w, level);
		putc_unlocked(']', f);
		break;
	case JSON_OBJECT:
		putc_unlocked('{', f);
		for (uint32_t i = 0; i < v->n; i++) {
			const struct json_member *m = &v->u.members[i];
			if (i)
				putc_unlocked(',', f);
			indent_to(w, level + 1);
			put_escaped(f, m->key, m->klen);
			putc_unlocked(':', f);
			if (w->indent)
				putc_unlocked(' ', f);
			write_value(w, &m->val, level + 1);
		}
		if (v->n)
			indent_to(w, level);
		putc_unlocked('}', f);
		break;
	default:
		fputs_unlocked("null", f);
		break;
	}
}

void json_w_value(struct json_w *w, const struct json *v)
{
	if (!v) {
		json_w_null(w);
		return;
	}
	before_value(w);
	write_value(w, v, w->depth);
}

int json_w_finish(struct json_w *w)
{
	putc_unlocked('\n', w->f);
	if (fflush(w->f) != 0 || ferror(w->f))
		return -1;
	return 0;
}
