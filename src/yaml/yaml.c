/*
 * yaml: walk libfyaml documents into the JSON DOM with kubectl's typing
 * (go-yaml v2 resolve rules, sigs.k8s.io/yaml key conversion). See yaml.h.
 */
#include "yaml.h"
#include "yaml_resolve.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <libfyaml.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

/* ---------------------------------------------------------------- */
/* the walk                                                          */

struct memo_ent {
	struct fy_node *node;
	struct json val;
	size_t size;
	bool busy;              /* being converted: an alias to it is a cycle */
};

struct walk {
	const char *name;
	struct arena *a;
	struct err *err;
	size_t alias_nodes;
	struct memo_ent *memo;  /* open addressing on the node pointer */
	size_t memo_cap, memo_n;
};

static unsigned node_line_col(struct fy_node *n, unsigned *col, int depth)
{
	struct fy_token *t;
	const struct fy_mark *m;
	void *it = NULL;

	*col = 0;
	if (!n || depth > 8)
		return 0;
	switch (fy_node_get_type(n)) {
	case FYNT_SCALAR:
		t = fy_node_get_scalar_token(n);
		m = t ? fy_token_start_mark(t) : NULL;
		if (!m)
			return 0;
		*col = (unsigned)m->column + 1;
		return (unsigned)m->line + 1;
	case FYNT_SEQUENCE:
		return node_line_col(fy_node_sequence_iterate(n, &it), col, depth + 1);
	case FYNT_MAPPING: {
		struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
		return p ? node_line_col(fy_node_pair_key(p), col, depth + 1) : 0;
	}
	}
	return 0;
}

static unsigned node_line(struct fy_node *n)
{
	unsigned col;
	return node_line_col(n, &col, 0);
}

__attribute__((format(printf, 3, 4)))
static int walk_fail(struct walk *w, struct fy_node *at, const char *fmt, ...)
{
	char msg[512];
	unsigned line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	line = node_line_col(at, &col, 0);
	if (line)
		return err_set(w->err, ERR_INPUT, "%s:%u:%u: %s", w->name, line, col, msg);
	return err_set(w->err, ERR_INPUT, "%s: %s", w->name, msg);
}

static struct memo_ent *memo_find(struct walk *w, struct fy_node *n, bool add)
{
	size_t h, i;

	if (add && (w->memo_n + 1) * 2 > w->memo_cap) {
		struct memo_ent *old = w->memo;
		size_t oc = w->memo_cap;
		w->memo_cap = oc ? oc * 2 : 64;
		w->memo = xcalloc(w->memo_cap, sizeof(*w->memo));
		for (size_t k = 0; k < oc; k++) {
			if (!old[k].node)
				continue;
			h = ((uintptr_t)old[k].node >> 4) & (w->memo_cap - 1);
			while (w->memo[h].node)
				h = (h + 1) & (w->memo_cap - 1);
			w->memo[h] = old[k];
		}
		free(old);
	}
	if (!w->memo_cap)
		return NULL;
	h = ((uintptr_t)n >> 4) & (w->memo_cap - 1);
	for (i = h; w->memo[i].node; i = (i + 1) & (w->memo_cap - 1))
		if (w->memo[i].node == n)
			return &w->memo[i];
	if (!add)
		return NULL;
	w->memo_n++;
	memset(&w->memo[i], 0, sizeof(w->memo[i]));
	w->memo[i].node = n;
	return &w->memo[i];
}

static const char *short_tag(const char *tag, size_t tl, size_t *outl)
{
	static const char pfx[] = "tag:yaml.org,2002:";
	size_t pl = sizeof(pfx) - 1;

	if (tl > pl && memcmp(tag, pfx, pl) == 0) {
		*outl = tl - pl;
		return tag + pl;
	}
	if (tl > 2 && tag[0] == '!' && tag[1] == '!') {
		*outl = tl - 2;
		return tag + 2;
	}
	*outl = 0;
	return NULL;    /* not a standard tag */
}

static bool tag_is(const char *t, size_t tl, const char *want)
{
	return t && tl == strlen(want) && memcmp(t, want, tl) == 0;
}

static void set_number(struct walk *w, struct json *out, const char *text)
{
	out->type = JSON_NUMBER;
	out->flags = JSON_F_FROM_YAML;
	out->n = (uint32_t)strlen(text);
	out->u.s = arena_strdup(w->a, text);
}

static const char *yres_name(enum yres t)
{
	switch (t) {
	case Y_NULL:
		return "!!null";
	case Y_TRUE:
	case Y_FALSE:
		return "!!bool";
	case Y_INT:
	case Y_UINT:
		return "!!int";
	case Y_FLOAT:
	case Y_SPECIAL:
		return "!!float";
	default:
		return "!!str";
	}
}

/*
 * Type a scalar node: *v gets the resolved value (Y_STR for strings).
 * Returns -1 when an explicit tag does not fit the text.
 */
static int scalar_value(struct walk *w, struct fy_node *n, const char *s, size_t len,
			struct yval *v)
{
	size_t tl = 0, stl;
	const char *tag = fy_node_get_tag(n, &tl);
	const char *st = tag ? short_tag(tag, tl, &stl) : NULL;
	enum fy_node_style style = fy_node_get_style(n);

	memset(v, 0, sizeof(*v));
	v->t = Y_STR;
	if (tag && tl) {
		bool want_null = tag_is(st, stl, "null"), want_bool = tag_is(st, stl, "bool");
		bool want_int = tag_is(st, stl, "int"), want_float = tag_is(st, stl, "float");
		bool ok;

		if (!want_null && !want_bool && !want_int && !want_float)
			return 0;       /* !!str, !!binary, custom tags: a string */
		yaml_resolve_plain(s, len, w->a, v);
		ok = (want_null && v->t == Y_NULL) ||
		     (want_bool && (v->t == Y_TRUE || v->t == Y_FALSE)) ||
		     (want_int && (v->t == Y_INT || v->t == Y_UINT));
		if (want_float) {
			if (v->t == Y_INT || v->t == Y_UINT) {
				v->d = v->t == Y_INT ? (double)v->i : (double)v->u;
				v->t = Y_FLOAT;
			}
			ok = v->t == Y_FLOAT || v->t == Y_SPECIAL;
		}
		if (!ok)
			return walk_fail(w, n, "cannot decode %s `%.*s` as a !!%.*s",
					 yres_name(v->t), (int)(len > 64 ? 64 : len), s,
					 (int)stl, st);
		return 0;
	}
	if (style == FYNS_PLAIN || style == FYNS_ANY)
		yaml_resolve_plain(s, len, w->a, v);
	return 0;
}

static int convert(struct walk *w, struct fy_node *n, struct json *out, size_t *size,
		   unsigned depth);

static int convert_scalar(struct walk *w, struct fy_node *n, struct json *out)
{
	size_t len = 0;
	const char *s = fy_node_get_scalar(n, &len);
	char num[64];
	struct yval v;

	if (!s)
		s = "";
	/* resolve_plain needs a NUL-terminated text */
	s = arena_strndup(w->a, s, len);
	if (scalar_value(w, n, s, len, &v) < 0)
		return -1;
	memset(out, 0, sizeof(*out));
	out->flags = JSON_F_FROM_YAML;
	switch (v.t) {
	case Y_NULL:
		out->type = JSON_NULL;
		break;
	case Y_TRUE:
		out->type = JSON_TRUE;
		break;
	case Y_FALSE:
		out->type = JSON_FALSE;
		break;
	case Y_INT:
		snprintf(num, sizeof(num), "%" PRId64, v.i);
		set_number(w, out, num);
		break;
	case Y_UINT:
		snprintf(num, sizeof(num), "%" PRIu64, v.u);
		set_number(w, out, num);
		break;
	case Y_FLOAT:
		yaml_fmt_json_float(v.d, num, sizeof(num));
		set_number(w, out, num);
		break;
	case Y_SPECIAL:
	case Y_STR:
		out->type = JSON_STRING;
		out->n = (uint32_t)len;
		out->u.s = s;
		break;
	}
	return 0;
}

/* The string form of a mapping key (sigs.k8s.io/yaml's conversion). */
static int key_text(struct walk *w, struct fy_node *k, const char **out, size_t *outl,
		    bool *merge)
{
	struct fy_node *r = k;
	size_t len = 0;
	const char *s;
	char num[64];
	struct yval v;

	*merge = false;
	if (k && fy_node_is_alias(k)) {
		r = fy_node_resolve_alias(k);
		if (!r)
			return walk_fail(w, k, "unknown anchor referenced by alias");
	}
	if (!r || fy_node_get_type(r) != FYNT_SCALAR) {
		if (!r)
			return walk_fail(w, k, "mapping key is null (not supported)");
		return walk_fail(w, k, "mapping key is a %s, not a scalar",
				 fy_node_get_type(r) == FYNT_MAPPING ? "mapping" : "sequence");
	}
	s = fy_node_get_scalar(r, &len);
	if (!s)
		s = "";
	s = arena_strndup(w->a, s, len);
	if (r == k && len == 2 && s[0] == '<' && s[1] == '<') {
		size_t tl = 0, stl;
		const char *tag = fy_node_get_tag(k, &tl);
		const char *st = tag ? short_tag(tag, tl, &stl) : NULL;
		if ((!tl && fy_node_get_style(k) == FYNS_PLAIN) || tag_is(st, stl, "merge")) {
			*merge = true;
			return 0;
		}
	}
	if (scalar_value(w, r, s, len, &v) < 0)
		return -1;
	switch (v.t) {
	case Y_STR:
		*out = s;
		*outl = len;
		return 0;
	case Y_NULL:
		return walk_fail(w, k, "mapping key is null (not supported)");
	case Y_TRUE:
		*out = "true";
		break;
	case Y_FALSE:
		*out = "false";
		break;
	case Y_INT:
		snprintf(num, sizeof(num), "%" PRId64, v.i);
		*out = arena_strdup(w->a, num);
		break;
	case Y_UINT:
		snprintf(num, sizeof(num), "%" PRIu64, v.u);
		*out = arena_strdup(w->a, num);
		break;
	case Y_FLOAT:
	case Y_SPECIAL:
		yaml_fmt_key_float(v.d, num, sizeof(num));
		*out = arena_strdup(w->a, num);
		break;
	}
	*outl = strlen(*out);
	return 0;
}

/* Members being collected for one mapping, with a key index. */
struct mset {
	struct json_member *m;
	size_t n, cap;
	uint32_t *tab;          /* 1-based member indexes, 0 = empty */
	size_t tcap;
};

static uint64_t hash_key(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static void mset_reindex(struct mset *ms)
{
	free(ms->tab);
	ms->tcap = 16;
	while (ms->tcap < ms->cap * 2)
		ms->tcap *= 2;
	ms->tab = xcalloc(ms->tcap, sizeof(*ms->tab));
	for (size_t i = 0; i < ms->n; i++) {
		size_t h = hash_key(ms->m[i].key, ms->m[i].klen) & (ms->tcap - 1);
		while (ms->tab[h])
			h = (h + 1) & (ms->tcap - 1);
		ms->tab[h] = (uint32_t)(i + 1);
	}
}

/* Set key to val: replace in place when present (later wins), else append. */
static void mset_put(struct mset *ms, const char *key, size_t klen, const struct json *val)
{
	size_t h;

	if (ms->n + 1 > ms->cap || !ms->tab) {
		XGROW(ms->m, ms->cap, ms->n + 1);
		mset_reindex(ms);
	}
	h = hash_key(key, klen) & (ms->tcap - 1);
	for (; ms->tab[h]; h = (h + 1) & (ms->tcap - 1)) {
		struct json_member *e = &ms->m[ms->tab[h] - 1];
		if (e->klen == klen && memcmp(e->key, key, klen) == 0) {
			e->val = *val;
			return;
		}
	}
	ms->m[ms->n].key = key;
	ms->m[ms->n].klen = (uint32_t)klen;
	ms->m[ms->n].val = *val;
	ms->n++;
	ms->tab[h] = (uint32_t)ms->n;
}

static int merge_one(struct walk *w, struct fy_node *at, const struct json *src,
		     struct mset *ms)
{
	if (src->type != JSON_OBJECT)
		return walk_fail(w, at, "map merge requires map or sequence of maps as the value");
	for (uint32_t i = 0; i < src->n; i++)
		mset_put(ms, src->u.members[i].key, src->u.members[i].klen,
			 &src->u.members[i].val);
	return 0;
}

static int convert_mapping(struct walk *w, struct fy_node *n, struct json *out,
			   size_t *size, unsigned depth)
{
	struct mset ms = { 0 };
	struct fy_node_pair *p;
	void *it = NULL;
	int ret = -1;

	*size = 1;
	while ((p = fy_node_mapping_iterate(n, &it))) {
		struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
		const char *key = NULL;
		size_t klen = 0, vs;
		bool merge;
		struct json val;

		if (key_text(w, k, &key, &klen, &merge) < 0)
			goto out;
		if (convert(w, v, &val, &vs, depth + 1) < 0)
			goto out;
		*size += vs + 1;
		if (!merge) {
			mset_put(&ms, key, klen, &val);
			continue;
		}
		if (val.type == JSON_ARRAY) {
			/* earlier mappings in the list win: apply in reverse */
			for (uint32_t i = val.n; i-- > 0;)
				if (merge_one(w, v, &val.u.items[i], &ms) < 0)
					goto out;
		} else if (merge_one(w, v, &val, &ms) < 0) {
			goto out;
		}
	}
	memset(out, 0, sizeof(*out));
	out->type = JSON_OBJECT;
	out->flags = JSON_F_FROM_YAML;
	out->n = (uint32_t)ms.n;
	out->u.members = ms.n ? arena_memdup(w->a, ms.m, ms.n * sizeof(*ms.m)) : NULL;
	ret = 0;
out:
	free(ms.m);
	free(ms.tab);
	return ret;
}

static int convert_sequence(struct walk *w, struct fy_node *n, struct json *out,
			    size_t *size, unsigned depth)
{
	int cnt = fy_node_sequence_item_count(n);
	struct fy_node *c;
	void *it = NULL;
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	out->type = JSON_ARRAY;
	out->flags = JSON_F_FROM_YAML;
	out->u.items = cnt > 0 ? arena_calloc(w->a, (size_t)cnt, sizeof(struct json)) : NULL;
	*size = 1;
	while ((c = fy_node_sequence_iterate(n, &it)) && i < (size_t)cnt) {
		size_t cs;
		if (convert(w, c, &out->u.items[i], &cs, depth + 1) < 0)
			return -1;
		*size += cs;
		i++;
	}
	out->n = (uint32_t)i;
	return 0;
}

static int convert_alias(struct walk *w, struct fy_node *n, struct json *out, size_t *size,
			 unsigned depth)
{
	struct fy_node *t = fy_node_resolve_alias(n);
	struct memo_ent *e;

	if (!t)
		return walk_fail(w, n, "unknown anchor referenced by alias (or alias cycle)");
	e = memo_find(w, t, false);
	if (e && e->busy)
		return walk_fail(w, n, "alias refers to a node that contains it (cycle)");
	if (!e) {
		if (convert(w, t, out, size, depth + 1) < 0)
			return -1;
		e = memo_find(w, t, false);
	}
	if (e) {
		*out = e->val;
		*size = e->size;
	}
	w->alias_nodes += *size;
	if (w->alias_nodes > YAML_MAX_ALIAS_NODES)
		return walk_fail(w, n, "excessive aliasing: aliases expand to more than %u nodes",
				 YAML_MAX_ALIAS_NODES);
	return 0;
}

static int convert(struct walk *w, struct fy_node *n, struct json *out, size_t *size,
		   unsigned depth)
{
	struct memo_ent *e = NULL;
	int r;

	if (depth > YAML_MAX_DEPTH)
		return walk_fail(w, n, "nesting deeper than %d levels", YAML_MAX_DEPTH);
	if (!n) {
		memset(out, 0, sizeof(*out));
		out->type = JSON_NULL;
		out->flags = JSON_F_FROM_YAML;
		*size = 1;
		return 0;
	}
	if (fy_node_is_alias(n))
		return convert_alias(w, n, out, size, depth);
	if (fy_node_get_anchor(n)) {
		e = memo_find(w, n, true);
		e->busy = true;
	}
	switch (fy_node_get_type(n)) {
	case FYNT_SEQUENCE:
		r = convert_sequence(w, n, out, size, depth);
		break;
	case FYNT_MAPPING:
		r = convert_mapping(w, n, out, size, depth);
		break;
	default:
		*size = 1;
		r = convert_scalar(w, n, out);
		break;
	}
	if (r == 0 && e) {
		/* the table may have grown meanwhile: find the entry again */
		e = memo_find(w, n, false);
		e->val = *out;
		e->size = *size;
		e->busy = false;
	}
	return r;
}

/* ---------------------------------------------------------------- */
/* stream                                                            */

static void diag_discard(struct fy_diag *d, void *user, const char *buf, size_t len)
{
	(void)d;
	(void)user;
	(void)buf;
	(void)len;
}

/* Copy libfyaml's first collected error into err. */
static int diag_error(struct fy_diag *diag, const char *name, struct err *err)
{
	void *it = NULL;
	struct fy_diag_error *e = fy_diag_errors_iterate(diag, &it);

	if (!e)
		return err_set(err, ERR_INPUT, "%s: invalid YAML", name);
	if (e->line > 0)
		return err_set(err, ERR_INPUT, "%s:%d:%d: %s", name, e->line,
			       e->column > 0 ? e->column : 1, e->msg ? e->msg : "invalid YAML");
	return err_set(err, ERR_INPUT, "%s: %s", name, e->msg ? e->msg : "invalid YAML");
}

static void item_lines(struct walk *w, struct fy_node *root, struct yaml_doc *d)
{
	struct fy_node_pair *p;
	void *it = NULL;

	if (!root || fy_node_get_type(root) != FYNT_MAPPING)
		return;
	while ((p = fy_node_mapping_iterate(root, &it))) {
		struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
		size_t kl = 0;
		const char *ks = k && fy_node_get_type(k) == FYNT_SCALAR ?
				 fy_node_get_scalar(k, &kl) : NULL;
		if (!ks || kl != 5 || memcmp(ks, "items", 5) != 0)
			continue;
		if (v && fy_node_is_alias(v))
			v = fy_node_resolve_alias(v);
		if (!v || fy_node_get_type(v) != FYNT_SEQUENCE)
			return;
		int cnt = fy_node_sequence_item_count(v);
		if (cnt <= 0)
			return;
		unsigned *lines = arena_calloc(w->a, (size_t)cnt, sizeof(*lines));
		void *it2 = NULL;
		struct fy_node *c;
		size_t i = 0;
		while ((c = fy_node_sequence_iterate(v, &it2)) && i < (size_t)cnt) {
			if (fy_node_is_alias(c))
				c = fy_node_resolve_alias(c);
			lines[i++] = node_line(c);
		}
		d->item_lines = lines;
		d->n_item_lines = i;
		return;
	}
}

/*
 * Offset of the first invalid UTF-8 sequence, or len. YAML must be
 * Unicode (go-yaml rejects invalid octets too), and libfyaml 0.7.12 can
 * loop forever on some invalid bytes (e.g. in a directive): check first.
 */
static size_t utf8_check(const unsigned char *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = p[i];
		size_t n;
		unsigned lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3;
		else
			return i;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (n >= len - i)
			return i;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return i;
		for (size_t k = 2; k <= n; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return i;
		i += n + 1;
	}
	return len;
}

static int bad_utf8(const char *name, const char *buf, size_t len, size_t off,
		    struct err *err)
{
	unsigned line = 1, col = 1;

	for (size_t i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return err_set(err, ERR_INPUT, "%s:%u:%u: invalid UTF-8 (byte %zu)", name, line, col,
		       off);
}

int yaml_parse_stream(const char *name, const char *buf, size_t len, struct arena *a,
		      yaml_doc_fn fn, void *ctx, struct err *err)
{
	struct fy_diag_cfg dc;
	struct fy_diag *diag = NULL;
	struct fy_parse_cfg pc;
	struct fy_parser *fyp = NULL;
	struct fy_document *fyd;
	struct walk w;
	size_t index = 0;
	int ret = -1;

	size_t bad = utf8_check((const unsigned char *)buf, len);
	if (bad < len)
		return bad_utf8(name, buf, len, bad, err);

	memset(&w, 0, sizeof(w));
	w.name = name;
	w.a = a;
	w.err = err;

	fy_diag_cfg_default(&dc);
	dc.fp = NULL;
	dc.output_fn = diag_discard;
	dc.colorize = false;
	diag = fy_diag_create(&dc);
	if (!diag)
		return err_set(err, ERR_INTERNAL, "%s: cannot create the YAML diagnostics", name);
	fy_diag_set_collect_errors(diag, true);

	memset(&pc, 0, sizeof(pc));
	pc.flags = FYPCF_QUIET | FYPCF_JSON_NONE;
	pc.diag = diag;
	fyp = fy_parser_create(&pc);
	if (!fyp) {
		err_set(err, ERR_INTERNAL, "%s: cannot create the YAML parser", name);
		goto out;
	}
	/* libfyaml wants a non-NULL string even when empty */
	if (fy_parser_set_string(fyp, len ? buf : "", len) != 0) {
		err_set(err, ERR_INPUT, "%s: cannot read YAML input", name);
		goto out;
	}
	for (;;) {
		struct yaml_doc d;
		struct json root;
		struct fy_node *rn;
		size_t size;
		int r;

		fyd = fy_parse_load_document(fyp);
		if (!fyd)
			break;
		arena_reset(a);
		free(w.memo);
		w.memo = NULL;
		w.memo_cap = w.memo_n = 0;
		w.alias_nodes = 0;
		rn = fy_document_root(fyd);
		memset(&d, 0, sizeof(d));
		r = convert(&w, rn, &root, &size, 0);
		if (r == 0) {
			d.root = &root;
			d.index = index++;
			d.line = node_line(rn);
			item_lines(&w, rn, &d);
			r = fn(ctx, &d, err);
		}
		fy_parse_document_destroy(fyp, fyd);
		if (r < 0)
			goto out;
	}
	if (fy_parser_get_stream_error(fyp) || fy_diag_got_error(diag)) {
		diag_error(diag, name, err);
		goto out;
	}
	ret = 0;
out:
	free(w.memo);
	if (fyp)
		fy_parser_destroy(fyp);
	fy_diag_destroy(diag);
	return ret;
}

struct one_ctx {
	struct arena *dst;
	struct json *out;
	size_t n;
	const char *name;
};

static int one_doc(void *ctx, const struct yaml_doc *d, struct err *err)
{
	struct one_ctx *c = ctx;

	if (c->n++ > 0)
		return err_set(err, ERR_INPUT, "%s:%u: more than one YAML document", c->name,
			       d->line ? d->line : 1);
	json_clone(c->dst, d->root, c->out);
	return 0;
}

int yaml_parse(const char *name, const char *buf, size_t len, struct arena *a,
	       struct json *out, struct err *err)
{
	struct arena tmp;
	struct one_ctx c = { a, out, 0, name };
	int r;

	memset(out, 0, sizeof(*out));
	out->type = JSON_NULL;
	arena_init(&tmp, 0);
	r = yaml_parse_stream(name, buf, len, &tmp, one_doc, &c, err);
	arena_release(&tmp);
	return r;
}
