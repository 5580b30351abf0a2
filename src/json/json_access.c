/*
 * json_access: reading a parsed JSON DOM (json.h): member and item lookup,
 * strings, exact integers, doubles, type names, and deep copies into
 * another arena.
 */
#include "json.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

#define IS_DIGIT(c) ((unsigned char)((c) - '0') < 10)

const struct json *json_get(const struct json *obj, const char *key)
{
	size_t kl;

	if (!obj || obj->type != JSON_OBJECT || !key)
		return NULL;
	kl = strlen(key);
	for (uint32_t i = 0; i < obj->n; i++) {
		const struct json_member *m = &obj->u.members[i];
		if (m->klen == kl && memcmp(m->key, key, kl) == 0)
			return &m->val;
	}
	return NULL;
}

const struct json *json_path(const struct json *obj, ...)
{
	va_list ap;
	const char *k;

	va_start(ap, obj);
	while (obj && (k = va_arg(ap, const char *)) != NULL)
		obj = json_get(obj, k);
	va_end(ap);
	return obj;
}

const struct json *json_at(const struct json *arr, size_t i)
{
	if (!arr || arr->type != JSON_ARRAY || i >= arr->n)
		return NULL;
	return &arr->u.items[i];
}

const char *json_str(const struct json *j)
{
	return j && j->type == JSON_STRING ? j->u.s : NULL;
}

int json_get_int(const struct json *j, int64_t *out)
{
	const char *s, *end;
	bool neg = false;
	uint64_t v = 0, lim;

	if (!j || j->type != JSON_NUMBER || j->n == 0)
		return -1;
	s = j->u.s;
	end = s + j->n;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (s == end)
		return -1;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; s < end; s++) {
		if (!IS_DIGIT(*s))
			return -1;
		unsigned d = (unsigned)(*s - '0');
		if (v > (lim - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return 0;
}

int json_get_double(const struct json *j, double *out)
{
	char small[64], *t, *ep;
	double d;
	int rc = -1;

	if (!j || j->type != JSON_NUMBER || j->n == 0)
		return -1;
	t = j->n < sizeof(small) ? small : xmalloc((size_t)j->n + 1);
	memcpy(t, j->u.s, j->n);
	t[j->n] = '\0';
	errno = 0;
	d = strtod(t, &ep);
	if (ep == t + j->n && isfinite(d)) {
		*out = d;
		rc = 0;
	}
	if (t != small)
		free(t);
	return rc;
}

const char *json_type_name(const struct json *j)
{
	if (!j)
		return "null";
	switch (j->type) {
	case JSON_NULL: return "null";
	case JSON_FALSE:
	case JSON_TRUE: return "boolean";
	case JSON_NUMBER: return "number";
	case JSON_STRING: return "string";
	case JSON_ARRAY: return "array";
	case JSON_OBJECT: return "object";
	}
	return "unknown";
}

void json_clone(struct arena *a, const struct json *src, struct json *dst)
{
	*dst = *src;
	switch (src->type) {
	case JSON_STRING:
	case JSON_NUMBER:
		dst->u.s = src->u.s ? arena_strndup(a, src->u.s, src->n) : NULL;
		break;
	case JSON_ARRAY:
		if (src->n) {
			struct json *it = arena_alloc(a, (size_t)src->n * sizeof(*it));
			for (uint32_t i = 0; i < src->n; i++)
				json_clone(a, &src->u.items[i], &it[i]);
			dst->u.items = it;
		}
		break;
	case JSON_OBJECT:
		if (src->n) {
			struct json_member *m = arena_alloc(a, (size_t)src->n * sizeof(*m));
			for (uint32_t i = 0; i < src->n; i++) {
				m[i].key = arena_strndup(a, src->u.members[i].key,
							 src->u.members[i].klen);
				m[i].klen = src->u.members[i].klen;
				json_clone(a, &src->u.members[i].val, &m[i].val);
			}
			dst->u.members = m;
		}
		break;
	default:
		break;
	}
}
