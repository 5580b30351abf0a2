/*
 * decode_meta: the decoder's typed field readers and object metadata.
 *
 * Every reader takes the parent object and a key, treats a missing member
 * or JSON null as absent, and turns a value of the wrong type into a
 * warning that names file, object and field path ("pods.json:12: Pod
 * shop/api-1: spec.containers[0].ports[0].containerPort: expected an
 * integer, got a string") before treating it as absent.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_int.h"
#include "../util/xalloc.h"

#include "../util/banned.h"

#define LAST_APPLIED "kubectl.kubernetes.io/last-applied-configuration"

/*
 * Format one path segment into seg (at most cap - 1 bytes, like snprintf).
 * dec_push runs for every nested field of every object, so the two
 * conversions the callers use (%s, %u) are done by hand; anything else
 * goes to vsnprintf. Returns the length written.
 */
__attribute__((format(printf, 3, 0)))
static size_t seg_format(char *seg, size_t cap, const char *fmt, va_list ap)
{
	size_t n = 0;
	va_list again;

	va_copy(again, ap);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			if (n + 1 < cap)
				seg[n++] = *f;
			continue;
		}
		if (f[1] == 's') {
			const char *s = va_arg(ap, const char *);
			for (; *s && n + 1 < cap; s++)
				seg[n++] = *s;
			f++;
		} else if (f[1] == 'u') {
			char dig[16];
			unsigned v = va_arg(ap, unsigned), k = 0;
			do {
				dig[k++] = (char)('0' + v % 10);
				v /= 10;
			} while (v);
			while (k && n + 1 < cap)
				seg[n++] = dig[--k];
			f++;
		} else {
			int r = vsnprintf(seg, cap, fmt, again);
			va_end(again);
			return r < 0 ? 0 : ((size_t)r < cap ? (size_t)r : cap - 1);
		}
	}
	va_end(again);
	seg[n] = '\0';
	return n;
}

size_t dec_push(struct dec *d, const char *fmt, ...)
{
	size_t mark = d->plen, room = sizeof(d->path) - 1;
	char seg[128];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = seg_format(seg, sizeof(seg), fmt, ap);
	va_end(ap);
	if (d->plen && seg[0] != '[' && d->plen < room)
		d->path[d->plen++] = '.';
	if (n > room - d->plen)
		n = room - d->plen;
	memcpy(d->path + d->plen, seg, n);
	d->plen += n;
	d->path[d->plen] = '\0';
	return mark;
}

void dec_pop(struct dec *d, size_t mark)
{
	d->plen = mark;
	d->path[mark] = '\0';
}

static const char *type_article(const struct json *j)
{
	if (!j)
		return "nothing";
	switch (j->type) {
	case JSON_NULL: return "null";
	case JSON_FALSE:
	case JSON_TRUE: return "a boolean";
	case JSON_NUMBER: return "a number";
	case JSON_STRING: return "a string";
	case JSON_ARRAY: return "an array";
	case JSON_OBJECT: return "an object";
	}
	return "an unknown value";
}

void dec_warn(struct dec *d, const char *field, const char *fmt, ...)
{
	char msg[256], where[160], who[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (d->o->line)
		snprintf(where, sizeof(where), "%s:%u", d->o->file ? d->o->file : "-", d->o->line);
	else
		snprintf(where, sizeof(where), "%s", d->o->file ? d->o->file : "-");
	if (d->name && d->ns && *d->ns)
		snprintf(who, sizeof(who), "%s %s/%s", kind_name(d->kind), d->ns, d->name);
	else if (d->name)
		snprintf(who, sizeof(who), "%s %s", kind_name(d->kind), d->name);
	else
		snprintf(who, sizeof(who), "%s (item %zu)", kind_name(d->kind), d->o->index);
	if (!d->plen && (!field || !*field))
		warn_add(d->m->warn, "%s: %s: %s", where, who, msg);
	else
		warn_add(d->m->warn, "%s: %s: %s%s%s: %s", where, who, d->path,
			 (d->plen && field && *field && field[0] != '[') ? "." : "",
			 field ? field : "", msg);
}

void dec_warn_type(struct dec *d, const char *field, const char *want, const struct json *j)
{
	dec_warn(d, field, "expected %s, got %s", want, type_article(j));
}

/* The member, or NULL when absent or null. */
static const struct json *member(const struct json *o, const char *key)
{
	const struct json *v;
	if (!o || o->type != JSON_OBJECT)
		return NULL;
	v = json_get(o, key);
	if (!v || v->type == JSON_NULL)
		return NULL;
	return v;
}

const struct json *d_obj(struct dec *d, const struct json *o, const char *key)
{
	const struct json *v = member(o, key);
	if (v && v->type != JSON_OBJECT) {
		dec_warn_type(d, key, "an object", v);
		return NULL;
	}
	return v;
}

const struct json *d_arr(struct dec *d, const struct json *o, const char *key)
{
	const struct json *v = member(o, key);
	if (v && v->type != JSON_ARRAY) {
		dec_warn_type(d, key, "an array", v);
		return NULL;
	}
	return v;
}

const struct json *d_item_obj(struct dec *d, const struct json *arr, size_t i, const char *field)
{
	const struct json *v = json_at(arr, i);
	char f[96];
	if (v && v->type == JSON_OBJECT)
		return v;
	if (v && v->type == JSON_NULL)
		return NULL;
	snprintf(f, sizeof(f), "%s[%zu]", field, i);
	dec_warn_type(d, f, "an object", v);
	return NULL;
}

static const struct json *str_member(struct dec *d, const struct json *o, const char *key)
{
	const struct json *v = member(o, key);
	if (v && v->type != JSON_STRING) {
		dec_warn_type(d, key, "a string", v);
		return NULL;
	}
	return v;
}

const char *d_str(struct dec *d, const struct json *o, const char *key)
{
	const struct json *v = str_member(d, o, key);
	return v ? mcopy(d->m, v->u.s, v->n) : "";
}

const char *d_istr(struct dec *d, const struct json *o, const char *key)
{
	const struct json *v = str_member(d, o, key);
	return v ? intern(d->m, v->u.s, v->n) : "";
}

const char *d_quantity(struct dec *d, const struct json *o, const char *key)
{
	const struct json *v = member(o, key);
	if (!v)
		return "";
	if (v->type != JSON_STRING && v->type != JSON_NUMBER) {
		dec_warn_type(d, key, "a quantity string", v);
		return "";
	}
	return intern(d->m, v->u.s, v->n);
}

bool d_int64(struct dec *d, const struct json *o, const char *key, int64_t *out)
{
	const struct json *v = member(o, key);
	if (!v)
		return false;
	if (v->type != JSON_NUMBER) {
		dec_warn_type(d, key, "an integer", v);
		return false;
	}
	if (json_get_int(v, out) < 0) {
		dec_warn(d, key, "expected an integer, got a non-integer number");
		return false;
	}
	return true;
}

bool d_int32(struct dec *d, const struct json *o, const char *key, int32_t *out)
{
	int64_t x;
	if (!d_int64(d, o, key, &x))
		return false;
	if (x < INT32_MIN || x > INT32_MAX) {
		dec_warn(d, key, "integer out of range");
		return false;
	}
	*out = (int32_t)x;
	return true;
}

int8_t d_bool(struct dec *d, const struct json *o, const char *key)
{
	const struct json *v = member(o, key);
	if (!v)
		return -1;
	if (!json_is_bool(v)) {
		dec_warn_type(d, key, "a boolean", v);
		return -1;
	}
	return v->type == JSON_TRUE;
}

ktime d_time(struct dec *d, const struct json *o, const char *key)
{
	const struct json *v = str_member(d, o, key);
	ktime t;
	if (!v || v->n == 0)
		return 0;
	if (ktime_parse(v->u.s, v->n, &t) < 0) {
		dec_warn(d, key, "not an RFC 3339 time");
		return 0;
	}
	if (t > d->m->now)
		d->m->now = t;
	return t;
}

void d_intstr_val(struct dec *d, const struct json *v, const char *field, struct intstr *out)
{
	int64_t x;

	out->kind = IS_UNSET;
	out->num = 0;
	out->str = "";
	if (!v || v->type == JSON_NULL)
		return;
	if (v->type == JSON_STRING) {
		/* a JSON string is the string member, digits or not (intstr.UnmarshalJSON) */
		if (v->n) {
			out->kind = IS_STR;
			out->str = intern(d->m, v->u.s, v->n);
		}
		return;
	}
	if (v->type != JSON_NUMBER) {
		dec_warn_type(d, field, "an integer or a string", v);
		return;
	}
	if (json_get_int(v, &x) < 0 || x < INT32_MIN || x > INT32_MAX) {
		dec_warn(d, field, "expected an int32 or a string, got an out-of-range number");
		return;
	}
	if (x != 0) {
		out->kind = IS_INT;
		out->num = (int32_t)x;
	}
}

void d_intstr(struct dec *d, const struct json *o, const char *key, struct intstr *out)
{
	d_intstr_val(d, o && o->type == JSON_OBJECT ? json_get(o, key) : NULL, key, out);
}

const char *d_intstr_text(struct dec *d, const struct json *o, const char *key)
{
	const struct json *v = member(o, key);
	if (!v)
		return "";
	if (v->type != JSON_STRING && v->type != JSON_NUMBER) {
		dec_warn_type(d, key, "an integer or a string", v);
		return "";
	}
	return intern(d->m, v->u.s, v->n);
}

struct kv_sort {
	struct kv kv;
	uint32_t pos;
};

static int kv_cmp(const void *a, const void *b)
{
	const struct kv_sort *x = a, *y = b;
	int c = strcmp(x->kv.key, y->kv.key);
	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void d_kvs(struct dec *d, const struct json *o, const char *key, struct kvs *out, int flags)
{
	const struct json *v = d_obj(d, o, key);
	struct kv_sort small[32], *tmp;
	uint32_t n = 0, w = 0;
	bool sorted = true;
	size_t mark;

	out->v = NULL;
	out->n = 0;
	if (!v || v->n == 0)
		return;
	mark = dec_push(d, "%s", key);
	/* most maps are small: no malloc for them */
	tmp = v->n <= 32 ? small : xcalloc(v->n, sizeof(*tmp));
	for (uint32_t i = 0; i < v->n; i++) {
		const struct json_member *mb = &v->u.members[i];
		if ((flags & KVS_DROP_LAST_APPLIED) && !strcmp(mb->key, LAST_APPLIED))
			continue;
		if (mb->val.type == JSON_NULL)
			continue;
		if (mb->val.type != JSON_STRING) {
			dec_warn_type(d, mb->key, "a string", &mb->val);
			continue;
		}
		tmp[n].kv.key = intern(d->m, mb->key, mb->klen);
		tmp[n].kv.val = (flags & KVS_INTERN_VALUES) ? intern(d->m, mb->val.u.s, mb->val.n)
							    : mcopy(d->m, mb->val.u.s, mb->val.n);
		tmp[n].pos = i;
		if (n && sorted && kv_cmp(&tmp[n - 1], &tmp[n]) > 0)
			sorted = false;
		n++;
	}
	dec_pop(d, mark);
	if (n) {
		/* kubectl (Go's encoding/json) writes map keys sorted already */
		if (!sorted)
			qsort(tmp, n, sizeof(*tmp), kv_cmp);
		out->v = arena_calloc(&d->m->arena, n, sizeof(struct kv));
		/* repeated keys: the last one wins, as in a Go map */
		for (uint32_t i = 0; i < n; i++) {
			if (i + 1 < n && !strcmp(tmp[i].kv.key, tmp[i + 1].kv.key))
				continue;
			out->v[w++] = tmp[i].kv;
		}
		out->n = w;
	}
	if (tmp != small)
		free(tmp);
}

const char **d_strlist(struct dec *d, const struct json *o, const char *key, uint32_t *n,
		       bool intern_them)
{
	const struct json *a = d_arr(d, o, key);
	const char **v;
	uint32_t w = 0;

	*n = 0;
	if (!a || a->n == 0)
		return NULL;
	v = arena_calloc(&d->m->arena, a->n, sizeof(*v));
	for (uint32_t i = 0; i < a->n; i++) {
		const struct json *s = &a->u.items[i];
		if (s->type != JSON_STRING) {
			char f[96];
			snprintf(f, sizeof(f), "%s[%u]", key, i);
			dec_warn_type(d, f, "a string", s);
			continue;
		}
		v[w++] = intern_them ? intern(d->m, s->u.s, s->n) : mcopy(d->m, s->u.s, s->n);
	}
	*n = w;
	return v;
}

const char *d_strjoin(struct dec *d, const struct json *o, const char *key)
{
	uint32_t n;
	const char **v = d_strlist(d, o, key, &n, false);
	size_t len = 0, at = 0;
	char *s;

	if (!n)
		return "";
	for (uint32_t i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	s = arena_alloc(&d->m->arena, len);
	for (uint32_t i = 0; i < n; i++) {
		size_t l = strlen(v[i]);
		memcpy(s + at, v[i], l);
		at += l;
		s[at++] = i + 1 < n ? ' ' : '\0';
	}
	return s;
}

static bool parse_op(const char *s, enum sel_op *op)
{
	static const struct { const char *name; enum sel_op op; } ops[] = {
		{ "In", SEL_IN }, { "NotIn", SEL_NOTIN },
		{ "Exists", SEL_EXISTS }, { "DoesNotExist", SEL_DOESNOTEXIST },
	};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(s, ops[i].name)) {
			*op = ops[i].op;
			return true;
		}
	return false;
}

/*
 * A selector of the wrong type is invalid (matches nothing) rather than
 * absent (matches everything): the API server would reject the object, and
 * "everything" would make a broken NetworkPolicy look like it isolates all.
 */
void d_selector(struct dec *d, const struct json *o, const char *key, struct selector *out)
{
	const struct json *raw = member(o, key), *v, *exprs, *labels;
	size_t mark;

	memset(out, 0, sizeof(*out));
	if (!raw)
		return;
	out->set = true;
	if (raw->type != JSON_OBJECT) {
		dec_warn_type(d, key, "an object", raw);
		out->invalid = true;
		return;
	}
	v = raw;
	mark = dec_push(d, "%s", key);
	d_kvs(d, v, "matchLabels", &out->match, KVS_INTERN_VALUES);
	/* a matchLabels pair that could not be read must not widen the selector */
	labels = json_get(v, "matchLabels");
	if (labels && labels->type != JSON_NULL && labels->type != JSON_OBJECT)
		out->invalid = true;
	for (uint32_t i = 0; json_is(labels, JSON_OBJECT) && i < labels->n; i++)
		if (labels->u.members[i].val.type != JSON_STRING)
			out->invalid = true;
	exprs = json_get(v, "matchExpressions");
	if (exprs && exprs->type != JSON_NULL && exprs->type != JSON_ARRAY) {
		dec_warn_type(d, "matchExpressions", "an array", exprs);
		out->invalid = true;
	}
	if (!json_is(exprs, JSON_ARRAY))
		exprs = NULL;
	if (exprs && exprs->n) {
		out->expr = arena_calloc(&d->m->arena, exprs->n, sizeof(*out->expr));
		for (uint32_t i = 0; i < exprs->n; i++) {
			const struct json *e = d_item_obj(d, exprs, i, "matchExpressions");
			struct sel_expr *x = &out->expr[out->nexpr];
			const char *op;
			size_t m2;

			if (!e) {
				out->invalid = true;
				continue;
			}
			m2 = dec_push(d, "matchExpressions[%u]", i);
			x->key = d_istr(d, e, "key");
			op = d_istr(d, e, "operator");
			x->values = d_strlist(d, e, "values", &x->nvalues, true);
			if (!*x->key || !parse_op(op, &x->op)) {
				out->invalid = true;
			} else if ((x->op == SEL_IN || x->op == SEL_NOTIN) ? x->nvalues == 0
									   : x->nvalues != 0) {
				/* labels.NewRequirement rejects these */
				out->invalid = true;
			}
			dec_pop(d, m2);
			out->nexpr++;
		}
	}
	dec_pop(d, mark);
}

void d_conditions(struct dec *d, const struct json *o, const char *key,
		  struct condition **out, uint32_t *n)
{
	const struct json *a = d_arr(d, o, key);
	*out = NULL;
	*n = 0;
	if (!a || !a->n)
		return;
	*out = arena_calloc(&d->m->arena, a->n, sizeof(**out));
	for (uint32_t i = 0; i < a->n; i++) {
		const struct json *c = d_item_obj(d, a, i, key);
		struct condition *x = &(*out)[*n];
		size_t mark;
		if (!c)
			continue;
		mark = dec_push(d, "%s[%u]", key, i);
		x->type = d_istr(d, c, "type");
		x->status = d_istr(d, c, "status");
		x->reason = d_istr(d, c, "reason");
		x->message = d_str(d, c, "message");
		x->transition = d_time(d, c, "lastTransitionTime");
		/* a Node's heartbeat is recent in a live snapshot: it moves "now" */
		(void)d_time(d, c, "lastHeartbeatTime");
		dec_pop(d, mark);
		(*n)++;
	}
}

void d_objref(struct dec *d, const struct json *o, const char *key, struct objref *out)
{
	const struct json *r = d_obj(d, o, key);
	size_t mark;

	out->kind = out->ns = out->name = out->uid = "";
	if (!r)
		return;
	mark = dec_push(d, "%s", key);
	out->kind = d_istr(d, r, "kind");
	out->ns = d_istr(d, r, "namespace");
	out->name = d_str(d, r, "name");
	out->uid = d_str(d, r, "uid");
	dec_pop(d, mark);
}

static void d_owners(struct dec *d, const struct json *md, struct meta *meta)
{
	const struct json *a = d_arr(d, md, "ownerReferences");
	if (!a || !a->n)
		return;
	meta->owners = arena_calloc(&d->m->arena, a->n, sizeof(*meta->owners));
	for (uint32_t i = 0; i < a->n; i++) {
		const struct json *r = d_item_obj(d, a, i, "ownerReferences");
		struct owner *w = &meta->owners[meta->nowners];
		size_t mark;
		if (!r)
			continue;
		mark = dec_push(d, "ownerReferences[%u]", i);
		w->kind = d_istr(d, r, "kind");
		w->name = d_istr(d, r, "name");
		w->uid = d_str(d, r, "uid");
		w->controller = d_bool(d, r, "controller") == 1;
		dec_pop(d, mark);
		meta->nowners++;
	}
}

int d_meta(struct dec *d, const struct json *obj, struct meta *meta)
{
	const struct json *md, *av;
	size_t mark;

	memset(meta, 0, sizeof(*meta));
	meta->origin.file = intern(d->m, d->o->file ? d->o->file : "-",
				   strlen(d->o->file ? d->o->file : "-"));
	meta->origin.line = d->o->line;
	md = d_obj(d, obj, "metadata");
	mark = dec_push(d, "metadata");
	meta->name = d_str(d, md, "name");
	if (!*meta->name) {
		dec_warn(d, "name", "missing; object skipped");
		dec_pop(d, mark);
		return -1;
	}
	if (kind_cluster_scoped(d->kind)) {
		meta->ns = "";
	} else {
		meta->ns = d_istr(d, md, "namespace");
		/* a manifest without a namespace lands in "default" (kubectl's default) */
		if (!*meta->ns)
			meta->ns = intern(d->m, "default", 7);
	}
	d->name = meta->name;
	d->ns = meta->ns;
	meta->uid = d_str(d, md, "uid");
	if (d->o->api_version && *d->o->api_version) {
		meta->api_version = intern(d->m, d->o->api_version, strlen(d->o->api_version));
	} else {
		dec_pop(d, mark);
		av = str_member(d, obj, "apiVersion");
		mark = dec_push(d, "metadata");
		meta->api_version = av ? intern(d->m, av->u.s, av->n) : "";
	}
	d_kvs(d, md, "labels", &meta->labels, KVS_INTERN_VALUES);
	/* Secret annotations may hold copies of the data: never kept */
	if (d->kind != K_SECRET)
		d_kvs(d, md, "annotations", &meta->annotations,
		      KVS_INTERN_VALUES | KVS_DROP_LAST_APPLIED);
	meta->created = d_time(d, md, "creationTimestamp");
	meta->deleted = d_time(d, md, "deletionTimestamp");
	d_owners(d, md, meta);
	dec_pop(d, mark);
	return 0;
}
