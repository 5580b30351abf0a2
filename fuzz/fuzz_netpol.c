/*
 * fuzz_netpol: random NetworkPolicies, pods and namespaces built from the
 * input bytes, evaluated with src/netpol/, checking invariants:
 *   - a side no policy selects is allowed;
 *   - adding an ingress or egress rule to a policy with explicit
 *     policyTypes never makes the NetworkPolicy verdict worse
 *     (allowed < indeterminate < denied);
 *   - evaluation order is irrelevant: renaming the policies (which
 *     reorders them) gives the same verdicts and the same admitting set;
 *   - every explanation entry renders.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/json/json.h"
#include "../src/model/model.h"
#include "../src/netpol/eval.h"
#include "../src/util/buf.h"

struct rnd {
	const uint8_t *p;
	size_t n;
};

static unsigned pick(struct rnd *r, unsigned n)
{
	unsigned v;

	if (!r->n)
		return 0;
	v = *r->p++;
	r->n--;
	return n ? v % n : 0;
}

static const char *const KEYS[] = { "k0", "k1", "kubernetes.io/metadata.name" };
static const char *const VALS[] = { "v0", "v1", "a", "b" };
static const char *const NS[] = { "a", "b" };

static void labels(struct rnd *r, struct buf *b)
{
	unsigned n = pick(r, 3);
	buf_addc(b, '{');
	for (unsigned i = 0; i < n; i++)
		buf_addf(b, "%s\"%s\":\"%s\"", i ? "," : "", KEYS[i], VALS[pick(r, 4)]);
	buf_addc(b, '}');
}

static void selector(struct rnd *r, struct buf *b)
{
	static const char *const ops[] = { "In", "NotIn", "Exists", "DoesNotExist" };
	unsigned op;

	switch (pick(r, 4)) {
	case 0:
		buf_add(b, "{}");
		break;
	case 1:
		buf_add(b, "{\"matchLabels\":");
		labels(r, b);
		buf_addc(b, '}');
		break;
	default:
		op = pick(r, 4);
		buf_addf(b, "{\"matchExpressions\":[{\"key\":\"%s\",\"operator\":\"%s\"",
			 KEYS[pick(r, 3)], ops[op]);
		if (op < 2)
			buf_addf(b, ",\"values\":[\"%s\"]", VALS[pick(r, 4)]);
		buf_add(b, "}]}");
		break;
	}
}

static void peer(struct rnd *r, struct buf *b)
{
	static const char *const cidrs[] = { "10.0.0.0/8", "10.1.0.0/16", "192.168.0.0/24",
					     "0.0.0.0/0" };
	switch (pick(r, 5)) {
	case 0:
		buf_add(b, "{\"podSelector\":");
		selector(r, b);
		buf_addc(b, '}');
		break;
	case 1:
		buf_add(b, "{\"namespaceSelector\":");
		selector(r, b);
		buf_addc(b, '}');
		break;
	case 2:
		buf_add(b, "{\"namespaceSelector\":");
		selector(r, b);
		buf_add(b, ",\"podSelector\":");
		selector(r, b);
		buf_addc(b, '}');
		break;
	case 3:
		buf_addf(b, "{\"ipBlock\":{\"cidr\":\"%s\"%s}}", cidrs[pick(r, 4)],
			 pick(r, 2) ? ",\"except\":[\"10.1.2.0/24\"]" : "");
		break;
	default:
		buf_add(b, "{}");
		break;
	}
}

static void port(struct rnd *r, struct buf *b)
{
	static const char *const protos[] = { "", "TCP", "UDP" };
	static const char *const ports[] = { "", "80", "8080", "\"http\"", "\"web\"" };
	unsigned pr = pick(r, 3), po = pick(r, 5), ep = pick(r, 3);
	bool any = false;

	buf_addc(b, '{');
	if (pr) {
		buf_addf(b, "\"protocol\":\"%s\"", protos[pr]);
		any = true;
	}
	if (po) {
		buf_addf(b, "%s\"port\":%s", any ? "," : "", ports[po]);
		any = true;
	}
	if (ep)
		buf_addf(b, "%s\"endPort\":%s", any ? "," : "", ep == 1 ? "8090" : "79");
	buf_addc(b, '}');
}

static void rule(struct rnd *r, struct buf *b, const char *peers_key)
{
	unsigned np = pick(r, 4), nq = pick(r, 3);
	bool any = false;

	buf_addc(b, '{');
	if (np) {
		buf_addf(b, "\"%s\":[", peers_key);
		for (unsigned i = 0; i < np - 1; i++) {
			if (i)
				buf_addc(b, ',');
			peer(r, b);
		}
		buf_addc(b, ']');
		any = true;
	}
	if (nq) {
		buf_addf(b, "%s\"ports\":[", any ? "," : "");
		for (unsigned i = 0; i < nq - 1; i++) {
			if (i)
				buf_addc(b, ',');
			port(r, b);
		}
		buf_addc(b, ']');
	}
	buf_addc(b, '}');
}

static void rules(struct rnd *r, struct buf *b, const char *key, const char *peers_key)
{
	unsigned n = pick(r, 4);
	if (!n)
		return;   /* absent */
	buf_addf(b, ",\"%s\":[", key);
	for (unsigned i = 0; i < n - 1; i++) {
		if (i)
			buf_addc(b, ',');
		rule(r, b, peers_key);
	}
	buf_addc(b, ']');
}

struct world {
	char *pols[5];            /* spec JSON texts */
	const char *pol_ns[5];
	bool explicit_types[5];
	unsigned npols;
	char *pods[2];
	bool namespaces;
	int32_t port;
	const char *proto;
	char *extra_rule;         /* JSON of one rule added in the second model */
	unsigned extra_pol;
	bool extra_egress;
};

static void gen(struct rnd *r, struct world *w)
{
	static const char *const types[] = { NULL, "[\"Ingress\"]", "[\"Egress\"]",
					     "[\"Ingress\",\"Egress\"]" };
	static const int32_t pports[] = { 80, 8080, 8085, 9000 };
	struct buf b;

	memset(w, 0, sizeof(*w));
	w->npols = pick(r, 6);
	for (unsigned i = 0; i < w->npols; i++) {
		unsigned t = pick(r, 4);
		buf_init(&b, 1 << 16);
		w->pol_ns[i] = NS[pick(r, 2)];
		buf_add(&b, "{\"podSelector\":");
		selector(r, &b);
		if (types[t])
			buf_addf(&b, ",\"policyTypes\":%s", types[t]);
		w->explicit_types[i] = types[t] != NULL;
		rules(r, &b, "ingress", "from");
		rules(r, &b, "egress", "to");
		buf_addc(&b, '}');
		w->pols[i] = buf_detach(&b);
	}
	for (int i = 0; i < 2; i++) {
		buf_init(&b, 1 << 16);
		buf_addf(&b, "{\"metadata\":{\"name\":\"p%d\",\"namespace\":\"%s\",\"labels\":", i,
			 NS[pick(r, 2)]);
		labels(r, &b);
		buf_addf(&b, "},\"spec\":{\"nodeName\":\"n%u\",\"hostNetwork\":%s,\"containers\":"
			 "[{\"name\":\"c\",\"ports\":[{\"name\":\"%s\",\"containerPort\":%d,"
			 "\"protocol\":\"%s\"}]}]},\"status\":{\"podIP\":\"10.1.%u.%d\","
			 "\"hostIP\":\"192.168.0.%d\"}}", pick(r, 2), pick(r, 8) ? "false" : "true",
			 pick(r, 2) ? "http" : "web", pports[pick(r, 4)], pick(r, 4) ? "TCP" : "UDP",
			 pick(r, 4), i + 1, i + 1);
		w->pods[i] = buf_detach(&b);
	}
	w->namespaces = pick(r, 2);
	w->port = pports[pick(r, 4)];
	w->proto = pick(r, 4) ? "TCP" : "UDP";
	if (w->npols) {
		w->extra_pol = pick(r, w->npols);
		w->extra_egress = pick(r, 2);
		buf_init(&b, 1 << 16);
		rule(r, &b, w->extra_egress ? "to" : "from");
		w->extra_rule = buf_detach(&b);
	}
}

static void free_world(struct world *w)
{
	for (unsigned i = 0; i < w->npols; i++)
		free(w->pols[i]);
	free(w->pods[0]);
	free(w->pods[1]);
	free(w->extra_rule);
}

static void add(struct model *m, struct arena *a, const char *kind, const char *text)
{
	char *buf = arena_strdup(a, text);
	struct json *j = arena_zalloc(a, sizeof(*j));
	struct json_error e;
	struct src_obj o = { .obj = j, .kind = kind, .api_version = "v1", .file = "f" };
	struct err err = ERR_INIT;

	if (json_parse(buf, strlen(buf), a, j, &e) < 0)
		abort();   /* the generator writes valid JSON */
	if (!strcmp(kind, "NetworkPolicy"))
		o.api_version = "networking.k8s.io/v1";
	model_add(m, &o, &err);
}

/*
 * Build the model (mode 1: with the extra rule; mode 2: policies renamed
 * in reverse order) and evaluate p0 -> p1.
 */
static void run(const struct world *w, int mode, struct np_result *out, char *admits, size_t cap)
{
	struct arena a, ea;
	struct warnings warn;
	struct model m;
	struct np_index x;
	struct np_conn c;
	struct buf b;

	arena_init(&a, 0);
	arena_init(&ea, 0);
	warnings_init(&warn);
	model_init(&m, &warn);
	add(&m, &a, "Pod", w->pods[0]);
	add(&m, &a, "Pod", w->pods[1]);
	if (w->namespaces) {
		add(&m, &a, "Namespace", "{\"metadata\":{\"name\":\"a\",\"labels\":{\"k0\":\"v0\"}}}");
		add(&m, &a, "Namespace", "{\"metadata\":{\"name\":\"b\",\"labels\":{\"k1\":\"v1\"}}}");
	}
	for (unsigned i = 0; i < w->npols; i++) {
		const char *spec = w->pols[i];
		char *mod = NULL;
		buf_init(&b, 1 << 18);
		if (mode == 1 && i == w->extra_pol) {
			/* insert the extra rule as the first item of ingress/egress */
			const char *key = w->extra_egress ? "\"egress\":[" : "\"ingress\":[";
			const char *at = strstr(spec, key);
			struct buf t;
			buf_init(&t, 1 << 18);
			if (at) {
				buf_addn(&t, spec, (size_t)(at - spec) + strlen(key));
				buf_addf(&t, "%s%s", w->extra_rule, at[strlen(key)] == ']' ? "" : ",");
				buf_add(&t, at + strlen(key));
			} else {
				buf_addn(&t, spec, strlen(spec) - 1);
				buf_addf(&t, ",%s%s]}", key, w->extra_rule);
			}
			mod = buf_detach(&t);
			spec = mod;
		}
		buf_addf(&b, "{\"metadata\":{\"name\":\"np%u\",\"namespace\":\"%s\"},\"spec\":%s}",
			 mode == 2 ? w->npols - i : i, w->pol_ns[i], spec);
		add(&m, &a, "NetworkPolicy", b.p);
		buf_release(&b);
		free(mod);
	}
	model_kind_seen(&m, "NetworkPolicy");
	model_finish(&m);
	np_index_init(&x, &m);
	memset(&c, 0, sizeof(c));
	for (size_t i = 0; i < m.npods; i++) {
		if (!strcmp(m.pods[i].meta.name, "p0"))
			c.src = &m.pods[i];
		else
			c.dst = &m.pods[i];
	}
	if (!c.src || !c.dst)
		abort();
	c.port = w->port;
	c.protocol = w->proto;
	np_evaluate(&x, &ea, &c, out);

	/* invariant: a side no policy selects is allowed */
	if (!out->ingress.nselecting && out->ingress.verdict != NP_ALLOWED)
		abort();
	if (!out->egress.nselecting && out->egress.verdict != NP_ALLOWED)
		abort();
	/* every entry renders; the admitting set, order-free (policy index of rename mode) */
	buf_init(&b, 1 << 20);
	for (int s = 0; s < 2; s++) {
		const struct np_side *sd = s ? &out->egress : &out->ingress;
		for (size_t i = 0; i < sd->nwhy; i++) {
			if (!np_why_text(&ea, sd, &sd->why[i], &c))
				abort();
		}
		buf_addf(&b, "%d:%zu;", (int)sd->verdict, sd->nselecting);
	}
	if (admits && cap) {
		size_t n = b.len < cap - 1 ? b.len : cap - 1;
		memcpy(admits, b.p ? b.p : "", n);
		admits[n] = '\0';
	}
	buf_release(&b);
	/* the result points into the arenas: keep only the verdicts */
	{
		enum np_verdict v = out->verdict, k = out->k8s;
		enum np_verdict vi = out->ingress.verdict, ve = out->egress.verdict;
		memset(out, 0, sizeof(*out));
		out->verdict = v;
		out->k8s = k;
		out->ingress.verdict = vi;
		out->egress.verdict = ve;
	}
	np_index_release(&x);
	model_release(&m);
	warnings_release(&warn);
	arena_release(&ea);
	arena_release(&a);
}

/* allowed < indeterminate < denied */
static int rank(enum np_verdict v)
{
	return v == NP_ALLOWED ? 0 : v == NP_DENIED ? 2 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rnd r = { data, size };
	struct world w;
	struct np_result base, more, renamed;
	char s1[256], s2[256];

	gen(&r, &w);
	run(&w, 0, &base, s1, sizeof(s1));
	run(&w, 2, &renamed, s2, sizeof(s2));
	if (base.verdict != renamed.verdict || base.k8s != renamed.k8s || strcmp(s1, s2))
		abort();
	if (w.npols && w.explicit_types[w.extra_pol]) {
		run(&w, 1, &more, NULL, 0);
		if (rank(more.k8s) > rank(base.k8s))
			abort();
		if (rank(more.ingress.verdict) > rank(base.ingress.verdict) ||
		    rank(more.egress.verdict) > rank(base.egress.verdict))
			abort();
	}
	free_world(&w);
	return 0;
}
