/*
 * selector: label maps and metav1.LabelSelector matching
 * (matchLabels AND matchExpressions with In, NotIn, Exists, DoesNotExist).
 */
#include <string.h>

#include "model_int.h"

#include "../util/banned.h"

/* Binary search: maps are sorted by key at decode time. */
const char *kvs_get(const struct kvs *m, const char *key)
{
	uint32_t lo = 0, hi;

	if (!m || !key)
		return NULL;
	hi = m->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->v[mid].key, key);
		if (!c)
			return m->v[mid].val;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool in_values(const struct sel_expr *e, const char *v)
{
	for (uint32_t i = 0; i < e->nvalues; i++)
		if (!strcmp(e->values[i], v))
			return true;
	return false;
}

static bool expr_matches(const struct sel_expr *e, const struct kvs *labels)
{
	const char *v = kvs_get(labels, e->key);

	switch (e->op) {
	case SEL_IN:
		return v && in_values(e, v);
	case SEL_NOTIN:
		/* key absent matches NotIn */
		return !v || !in_values(e, v);
	case SEL_EXISTS:
		return v != NULL;
	case SEL_DOESNOTEXIST:
		return v == NULL;
	}
	return false;
}

bool selector_matches(const struct selector *s, const struct kvs *labels)
{
	static const struct kvs none = { NULL, 0 };

	if (!s)
		return true;
	if (s->invalid)
		return false;
	if (!labels)
		labels = &none;
	for (uint32_t i = 0; i < s->match.n; i++) {
		const char *v = kvs_get(labels, s->match.v[i].key);
		if (!v || strcmp(v, s->match.v[i].val))
			return false;
	}
	for (uint32_t i = 0; i < s->nexpr; i++)
		if (!expr_matches(&s->expr[i], labels))
			return false;
	return true;
}
