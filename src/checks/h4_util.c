/*
 * h4_util: helpers for the Ingress, Service and endpoint checks (see h4_util.h).
 */
#include "h4_util.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

const char *h4_join(struct diag *d, const char *const *v, size_t n)
{
	struct buf b;
	const char *s;

	buf_init(&b, 1 << 16);
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", v[i] ? v[i] : "");
	s = diag_strdup(d, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

const char *h4_kvs(struct diag *d, const struct kvs *m)
{
	struct buf b;
	const char *s;

	buf_init(&b, 1 << 16);
	for (uint32_t i = 0; i < m->n; i++)
		buf_addf(&b, "%s%s=%s", i ? "," : "", m->v[i].key, m->v[i].val);
	s = diag_strdup(d, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

size_t h4_edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), *row, r;

	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	row = xcalloc(lb + 1, sizeof(*row));
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], best;
		row[0] = i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			diag = up;
			row[j] = v;
			if (v < best)
				best = v;
		}
		if (best > cap) {
			free(row);
			return cap + 1;
		}
	}
	r = row[lb];
	free(row);
	return r > cap ? cap + 1 : r;
}

bool h4_near_name(const char *want, const char *candidate)
{
	size_t lw = strlen(want), lc = strlen(candidate), cap, pre = 0;

	if (!strcmp(want, candidate) || !lw || !lc)
		return false;
	cap = (lw > lc ? lw : lc) / 3;
	if (cap < 1)
		cap = 1;
	if (h4_edit_distance(want, candidate, cap) <= cap)
		return true;
	while (want[pre] && want[pre] == candidate[pre])
		pre++;
	return pre == lw || pre == lc || pre >= 4;
}

const char *h4_sport(struct diag *d, const struct service_port *p)
{
	if (*p->name)
		return diag_printf(d, "%d (%s)", p->port, p->name);
	return diag_printf(d, "%d", p->port);
}

const char *h4_sport_key(struct diag *d, const struct service_port *p)
{
	return *p->name ? p->name : diag_printf(d, "%d", p->port);
}

const char *h4_target(struct diag *d, const struct service_port *p)
{
	if (p->target.kind == IS_STR)
		return p->target.str;
	if (p->target.kind == IS_INT)
		return diag_printf(d, "%d", p->target.num);
	return diag_printf(d, "%d", p->port);
}

const char *h4_bport(struct diag *d, const struct intstr *p)
{
	if (p->kind == IS_INT)
		return diag_printf(d, "%d", p->num);
	if (p->kind == IS_STR)
		return p->str;
	return "(none)";
}
