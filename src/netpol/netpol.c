/*
 * netpol: compile a NetworkPolicy spec (the model's JSON copy) into rules,
 * peers and ports, describe them for messages, and keep the compiled
 * policies of each namespace the first time it is asked for (np_index).
 * Validation follows pkg/apis/networking/validation: what the API server
 * would reject is marked invalid here and admits nothing.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "netpol.h"
#include "../json/json.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

#include "../util/banned.h"

/* ---- CIDRs ---- */

static int parse_addr(const char *s, size_t n, uint8_t out[16])
{
	char tmp[64];

	if (n == 0 || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	memset(out, 0, 16);
	if (strchr(tmp, ':'))
		return inet_pton(AF_INET6, tmp, out) == 1 ? 6 : 0;
	return inet_pton(AF_INET, tmp, out) == 1 ? 4 : 0;
}

bool np_cidr_parse(const char *s, struct np_cidr *out)
{
	const char *slash;
	long bits = 0;
	int fam;

	memset(out, 0, sizeof(*out));
	out->text = s ? s : "";
	if (!s || !(slash = strchr(s, '/')))
		return false;
	fam = parse_addr(s, (size_t)(slash - s), out->addr);
	if (!fam || !slash[1] || strlen(slash + 1) > 3)
		return false;
	for (const char *p = slash + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		bits = bits * 10 + (*p - '0');
	}
	if (bits > (fam == 4 ? 32 : 128))
		return false;
	out->family = (uint8_t)fam;
	out->bits = (uint8_t)bits;
	/* clear host bits: the block is its network */
	for (int i = 0; i < 16; i++) {
		int keep = (int)bits - 8 * i;
		if (keep <= 0)
			out->addr[i] = 0;
		else if (keep < 8)
			out->addr[i] &= (uint8_t)(0xff << (8 - keep));
	}
	return true;
}

static bool prefix_eq(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned i = 0;

	for (; bits >= 8; bits -= 8, i++)
		if (a[i] != b[i])
			return false;
	return !bits || ((a[i] ^ b[i]) & (0xff << (8 - bits))) == 0;
}

bool np_cidr_contains(const struct np_cidr *c, const char *ip)
{
	uint8_t a[16];
	int fam;

	if (!c->family || !ip || !*ip)
		return false;
	fam = parse_addr(ip, strlen(ip), a);
	return fam == c->family && prefix_eq(a, c->addr, c->bits);
}

/* except must be a strict subset of cidr (ValidateIPBlock). */
static bool strict_subset(const struct np_cidr *outer, const struct np_cidr *inner)
{
	return outer->family == inner->family && inner->bits > outer->bits &&
	       prefix_eq(inner->addr, outer->addr, outer->bits);
}

/* ---- selectors (same semantics as model/decode_meta.c d_selector) ---- */

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->key, ((const struct kv *)b)->key);
}

static bool parse_op(const char *s, enum sel_op *op)
{
	static const struct { const char *name; enum sel_op op; } ops[] = {
		{ "In", SEL_IN }, { "NotIn", SEL_NOTIN },
		{ "Exists", SEL_EXISTS }, { "DoesNotExist", SEL_DOESNOTEXIST },
	};
	for (size_t i = 0; s && i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(s, ops[i].name)) {
			*op = ops[i].op;
			return true;
		}
	return false;
}

/* Decode a LabelSelector; a wrong shape makes it invalid (matches nothing). */
static void sel_decode(struct arena *a, const struct json *j, struct selector *s)
{
	const struct json *ml, *me;

	memset(s, 0, sizeof(*s));
	if (!j || j->type == JSON_NULL)
		return;
	s->set = true;
	if (j->type != JSON_OBJECT) {
		s->invalid = true;
		return;
	}
	ml = json_get(j, "matchLabels");
	if (json_is(ml, JSON_OBJECT) && ml->n) {
		s->match.v = arena_calloc(a, ml->n, sizeof(*s->match.v));
		for (uint32_t i = 0; i < ml->n; i++) {
			const char *v = json_str(&ml->u.members[i].val);
			bool later = false;
			/* a repeated key: the last one wins, as in encoding/json */
			for (uint32_t k = i + 1; k < ml->n && !later; k++)
				later = !strcmp(ml->u.members[k].key, ml->u.members[i].key);
			if (later)
				continue;
			if (!v) {
				s->invalid = true;
				continue;
			}
			s->match.v[s->match.n].key = ml->u.members[i].key;
			s->match.v[s->match.n++].val = v;
		}
		qsort(s->match.v, s->match.n, sizeof(*s->match.v), kv_cmp);
	} else if (ml && ml->type != JSON_NULL && ml->type != JSON_OBJECT) {
		s->invalid = true;
	}
	me = json_get(j, "matchExpressions");
	if (me && me->type != JSON_NULL && me->type != JSON_ARRAY)
		s->invalid = true;
	if (!json_is(me, JSON_ARRAY) || !me->n)
		return;
	s->expr = arena_calloc(a, me->n, sizeof(*s->expr));
	for (uint32_t i = 0; i < me->n; i++) {
		const struct json *e = &me->u.items[i], *vals = json_get(e, "values");
		struct sel_expr *x = &s->expr[s->nexpr++];

		x->key = json_str(json_get(e, "key"));
		if (!json_is(e, JSON_OBJECT) || !x->key || !*x->key ||
		    !parse_op(json_str(json_get(e, "operator")), &x->op)) {
			x->key = "";
			s->invalid = true;
			continue;
		}
		if (json_is(vals, JSON_ARRAY) && vals->n) {
			x->values = arena_calloc(a, vals->n, sizeof(*x->values));
			for (uint32_t k = 0; k < vals->n; k++) {
				const char *v = json_str(&vals->u.items[k]);
				if (!v)
					s->invalid = true;
				else
					x->values[x->nvalues++] = v;
			}
		}
		/* labels.NewRequirement: In/NotIn need values, Exists/DoesNotExist none */
		if ((x->op == SEL_IN || x->op == SEL_NOTIN) ? !x->nvalues : x->nvalues != 0)
			s->invalid = true;
	}
}

/* ---- peers, ports, rules ---- */

static void peer_compile(struct arena *a, const struct json *j, struct np_peer *p)
{
	const struct json *ps = json_get(j, "podSelector"), *ns = json_get(j, "namespaceSelector");
	const struct json *ib = json_get(j, "ipBlock"), *ex;
	bool has_ps = ps && ps->type != JSON_NULL, has_ns = ns && ns->type != JSON_NULL;
	bool has_ib = ib && ib->type != JSON_NULL;

	memset(p, 0, sizeof(*p));
	p->kind = NP_PEER_INVALID;
	if (!json_is(j, JSON_OBJECT)) {
		p->why_invalid = "not an object";
		return;
	}
	sel_decode(a, has_ps ? ps : NULL, &p->pod);
	sel_decode(a, has_ns ? ns : NULL, &p->ns);
	if (has_ib && (has_ps || has_ns)) {
		p->why_invalid = "may not specify both ipBlock and another peer";
		return;
	}
	if (has_ib) {
		if (!np_cidr_parse(json_str(json_get(ib, "cidr")), &p->cidr)) {
			p->why_invalid = "ipBlock.cidr is not a valid CIDR";
			return;
		}
		ex = json_get(ib, "except");
		if (json_is(ex, JSON_ARRAY) && ex->n) {
			p->except = arena_calloc(a, ex->n, sizeof(*p->except));
			for (uint32_t i = 0; i < ex->n; i++) {
				struct np_cidr *c = &p->except[p->nexcept++];
				if (!np_cidr_parse(json_str(&ex->u.items[i]), c) ||
				    !strict_subset(&p->cidr, c)) {
					p->why_invalid = "ipBlock.except must be strict subsets of cidr";
					return;
				}
			}
		}
		p->kind = NP_PEER_IPBLOCK;
		return;
	}
	if (has_ps && has_ns)
		p->kind = NP_PEER_NS_POD;
	else if (has_ns)
		p->kind = NP_PEER_NS;
	else if (has_ps)
		p->kind = NP_PEER_POD;
	else
		p->why_invalid = "must specify a peer";
}

static void port_compile(const struct json *j, struct np_port *p)
{
	const struct json *pr = json_get(j, "protocol"), *po = json_get(j, "port");
	const struct json *ep = json_get(j, "endPort");
	int64_t v;

	memset(p, 0, sizeof(*p));
	p->protocol = "TCP";
	if (!json_is(j, JSON_OBJECT)) {
		p->invalid = true;
		return;
	}
	if (json_str(pr))
		p->protocol = json_str(pr);
	else if (pr && pr->type != JSON_NULL)
		p->invalid = true;
	if (json_is(po, JSON_NUMBER)) {
		if (json_get_int(po, &v) < 0 || v < 1 || v > 65535)
			p->invalid = true;
		p->port.kind = IS_INT;
		p->port.num = (int32_t)(v >= 0 && v <= 65535 ? v : 0);
	} else if (json_is(po, JSON_STRING)) {
		p->port.kind = IS_STR;
		p->port.str = po->u.s;
		if (!*p->port.str)
			p->invalid = true;
	} else if (po && po->type != JSON_NULL) {
		p->invalid = true;
	}
	if (ep && ep->type != JSON_NULL) {
		/* only with a numeric port, at least port, a valid port number */
		if (json_get_int(ep, &v) < 0 || v < 1 || v > 65535 || p->port.kind != IS_INT ||
		    v < p->port.num)
			p->invalid = true;
		else
			p->end_port = (int32_t)v;
	}
}

static void rules_compile(struct arena *a, const struct json *arr, const char *peers_key,
			  struct np_rule **out, uint32_t *n)
{
	*out = NULL;
	*n = 0;
	if (!json_is(arr, JSON_ARRAY) || !arr->n)
		return;
	*out = arena_calloc(a, arr->n, sizeof(**out));
	for (uint32_t i = 0; i < arr->n; i++) {
		const struct json *r = &arr->u.items[i];
		const struct json *peers = json_get(r, peers_key), *ports = json_get(r, "ports");
		struct np_rule *x = &(*out)[(*n)++];

		if (json_is(peers, JSON_ARRAY) && peers->n) {
			x->peers = arena_calloc(a, peers->n, sizeof(*x->peers));
			for (uint32_t k = 0; k < peers->n; k++)
				peer_compile(a, &peers->u.items[k], &x->peers[x->npeers++]);
		} else if (peers && peers->type != JSON_NULL && peers->type != JSON_ARRAY) {
			/* a wrong type must not widen the rule to "every peer" */
			x->peers = arena_calloc(a, 1, sizeof(*x->peers));
			x->peers[0].kind = NP_PEER_INVALID;
			x->peers[0].why_invalid = "not a list";
			x->npeers = 1;
		}
		if (json_is(ports, JSON_ARRAY) && ports->n) {
			x->ports = arena_calloc(a, ports->n, sizeof(*x->ports));
			for (uint32_t k = 0; k < ports->n; k++)
				port_compile(&ports->u.items[k], &x->ports[x->nports++]);
		} else if (ports && ports->type != JSON_NULL && ports->type != JSON_ARRAY) {
			x->ports = arena_calloc(a, 1, sizeof(*x->ports));
			x->ports[0].invalid = true;
			x->ports[0].protocol = "TCP";
			x->nports = 1;
		}
	}
}

void np_compile(struct arena *a, const struct networkpolicy *np, struct np_policy *out)
{
	memset(out, 0, sizeof(*out));
	out->np = np;
	out->compiled = true;
	rules_compile(a, json_get(np->raw, "ingress"), "from", &out->ingress, &out->ningress);
	rules_compile(a, json_get(np->raw, "egress"), "to", &out->egress, &out->negress);
}

/* ---- descriptions ---- */

static void sel_text(struct buf *b, const struct selector *s)
{
	static const char *const opname[] = { "in", "notin", "exists", "!exists" };
	bool first = true;

	if (s->invalid) {
		buf_add(b, "{invalid}");
		return;
	}
	buf_addc(b, '{');
	for (uint32_t i = 0; i < s->match.n; i++, first = false)
		buf_addf(b, "%s%s=%s", first ? "" : ", ", s->match.v[i].key, s->match.v[i].val);
	for (uint32_t i = 0; i < s->nexpr; i++, first = false) {
		const struct sel_expr *e = &s->expr[i];
		buf_addf(b, "%s%s %s", first ? "" : ", ", e->key, opname[e->op]);
		for (uint32_t k = 0; k < e->nvalues; k++)
			buf_addf(b, "%s%s", k ? "," : " (", e->values[k]);
		if (e->nvalues)
			buf_addc(b, ')');
	}
	buf_addc(b, '}');
}

static const char *finish(struct arena *a, struct buf *b)
{
	const char *s = arena_strdup(a, b->p ? b->p : "");
	buf_release(b);
	return s;
}

const char *np_selector_text(struct arena *a, const struct selector *s)
{
	struct buf b;

	buf_init(&b, 1 << 16);
	sel_text(&b, s);
	return finish(a, &b);
}

const char *np_peer_text(struct arena *a, const struct np_peer *p)
{
	struct buf b;

	buf_init(&b, 1 << 16);
	switch (p->kind) {
	case NP_PEER_POD:
		buf_add(&b, "podSelector ");
		sel_text(&b, &p->pod);
		buf_add(&b, " (pods of the policy's namespace only)");
		break;
	case NP_PEER_NS:
		buf_add(&b, "namespaceSelector ");
		sel_text(&b, &p->ns);
		buf_add(&b, " (every pod of those namespaces)");
		break;
	case NP_PEER_NS_POD:
		buf_add(&b, "namespaceSelector ");
		sel_text(&b, &p->ns);
		buf_add(&b, " AND podSelector ");
		sel_text(&b, &p->pod);
		buf_add(&b, " (one item: both must match)");
		break;
	case NP_PEER_IPBLOCK:
		buf_addf(&b, "ipBlock %s", p->cidr.text);
		for (uint32_t i = 0; i < p->nexcept; i++)
			buf_addf(&b, "%s%s", i ? ", " : " except ", p->except[i].text);
		break;
	case NP_PEER_INVALID:
		buf_addf(&b, "invalid peer (%s)", p->why_invalid ? p->why_invalid : "?");
		break;
	}
	return finish(a, &b);
}

const char *np_port_text(struct arena *a, const struct np_port *p)
{
	if (p->invalid)
		return "invalid port entry";
	if (p->port.kind == IS_INT && p->end_port)
		return arena_printf(a, "%d-%d/%s", p->port.num, p->end_port, p->protocol);
	if (p->port.kind == IS_INT)
		return arena_printf(a, "%d/%s", p->port.num, p->protocol);
	if (p->port.kind == IS_STR)
		return arena_printf(a, "%s/%s", p->port.str, p->protocol);
	return arena_printf(a, "all ports/%s", p->protocol);
}

/* ---- the index: compiled policies per namespace, on first use ---- */

struct np_nsent {
	const char *ns;
	struct np_policy *pols;
	size_t n;
	struct kvs labels;             /* valid once labels_done */
	bool labels_done, derived;
};

void np_index_init(struct np_index *x, const struct model *m)
{
	memset(x, 0, sizeof(*x));
	x->m = m;
	arena_init(&x->arena, 64 * 1024);
}

void np_index_release(struct np_index *x)
{
	free(x->ns);
	arena_release(&x->arena);
	memset(x, 0, sizeof(*x));
}

/* First policy of namespace ns in the model's (namespace, name) order. */
static size_t lower_bound(const struct model *m, const char *ns)
{
	size_t lo = 0, hi = m->nnetpols;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(m->netpols[mid].meta.ns, ns) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The entry of a namespace, created (policies compiled) on first use. */
static struct np_nsent *nsent(struct np_index *x, const char *ns)
{
	size_t lo = 0, hi = x->nns, first, n = 0;
	struct np_nsent *e;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(x->ns[mid].ns, ns);
		if (!c)
			return &x->ns[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lower_bound(x->m, ns);
	while (first + n < x->m->nnetpols && !strcmp(x->m->netpols[first + n].meta.ns, ns))
		n++;
	XGROW(x->ns, x->capns, x->nns + 1);
	memmove(&x->ns[lo + 1], &x->ns[lo], (x->nns - lo) * sizeof(*x->ns));
	x->nns++;
	e = &x->ns[lo];
	memset(e, 0, sizeof(*e));
	e->ns = arena_strdup(&x->arena, ns);
	e->n = n;
	e->pols = n ? arena_calloc(&x->arena, n, sizeof(*e->pols)) : NULL;
	for (size_t i = 0; i < n; i++)
		e->pols[i].np = &x->m->netpols[first + i];
	return e;
}

size_t np_index_ns(struct np_index *x, const char *ns, struct np_policy **out)
{
	struct np_nsent *e = nsent(x, ns);

	*out = e->pols;
	return e->n;
}

void np_index_rules(struct np_index *x, struct np_policy *p)
{
	if (!p->compiled)
		np_compile(&x->arena, p->np, p);
}

const struct kvs *np_ns_labels(struct np_index *x, const char *ns, bool *derived)
{
	struct np_nsent *e = nsent(x, ns);
	const struct namespace_ *o;
	const struct kvs *have = NULL;

	if (!e->labels_done) {
		o = x->m->present[K_NAMESPACE] ? model_namespace(x->m, ns) : NULL;
		e->derived = o == NULL;
		if (o)
			have = &o->meta.labels;
		if (have && kvs_get(have, NP_NS_NAME_LABEL)) {
			e->labels = *have;
		} else {
			uint32_t n = have ? have->n : 0;
			e->labels.v = arena_calloc(&x->arena, n + 1, sizeof(*e->labels.v));
			if (n)
				memcpy(e->labels.v, have->v, n * sizeof(*e->labels.v));
			e->labels.v[n].key = NP_NS_NAME_LABEL;
			e->labels.v[n].val = e->ns;
			e->labels.n = n + 1;
			qsort(e->labels.v, e->labels.n, sizeof(*e->labels.v), kv_cmp);
		}
		e->labels_done = true;
	}
	*derived = e->derived;
	return &e->labels;
}

static enum np_tri tri_and(enum np_tri a, enum np_tri b)
{
	return a < b ? a : b;
}

enum np_tri np_ns_match(const struct selector *s, const struct kvs *labels, bool derived)
{
	enum np_tri r = NP_YES;

	if (!s)
		return NP_YES;
	if (s->invalid)
		return NP_NO;
	if (!derived)
		return selector_matches(s, labels) ? NP_YES : NP_NO;
	/* only kubernetes.io/metadata.name is known: decide each requirement alone */
	for (uint32_t i = 0; i < s->match.n; i++) {
		struct selector one = { .set = true, .match = { &s->match.v[i], 1 } };
		if (strcmp(s->match.v[i].key, NP_NS_NAME_LABEL))
			r = tri_and(r, NP_MAYBE);
		else
			r = tri_and(r, selector_matches(&one, labels) ? NP_YES : NP_NO);
	}
	for (uint32_t i = 0; i < s->nexpr; i++) {
		struct selector one = { .set = true, .expr = &s->expr[i], .nexpr = 1 };
		if (strcmp(s->expr[i].key, NP_NS_NAME_LABEL))
			r = tri_and(r, NP_MAYBE);
		else
			r = tri_and(r, selector_matches(&one, labels) ? NP_YES : NP_NO);
	}
	return r;
}
