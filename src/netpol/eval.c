/*
 * eval: the NetworkPolicy decision for one connection (pod A -> pod B,
 * port, protocol) with its explanation, and the explanation's text.
 * See eval.h for the semantics and the three-valued cases.
 */
#include <string.h>

#include "eval.h"
#include "../util/buf.h"

#include "../util/banned.h"

const char *np_verdict_name(enum np_verdict v)
{
	switch (v) {
	case NP_ALLOWED: return "allowed";
	case NP_INDETERMINATE: return "indeterminate";
	case NP_NOT_EVALUATED: return "not evaluated";
	case NP_DENIED: return "denied";
	}
	return "?";
}

static enum np_tri tri_and(enum np_tri a, enum np_tri b)
{
	return a < b ? a : b;
}

static const char *R_IPBLOCK = "ipBlock matching an in-cluster address is CNI-specific "
	"(documented for cluster-external IPs; some CNIs, e.g. Cilium, ignore pod and node IPs there)";
static const char *R_HOSTNET = "the pod uses hostNetwork: its traffic has the node IP and "
	"whether the CNI matches it by podSelector/namespaceSelector is CNI-specific";
static const char *R_NSLABELS = "the namespace's labels other than kubernetes.io/metadata.name "
	"are unknown (Namespace objects absent from the input)";

/* ---- matching ---- */

static bool ip_in_block(const struct np_peer *p, const char *ip)
{
	if (!np_cidr_contains(&p->cidr, ip))
		return false;
	for (uint32_t i = 0; i < p->nexcept; i++)
		if (np_cidr_contains(&p->except[i], ip))
			return false;
	return true;
}

static bool pod_in_block(const struct np_peer *p, const struct pod *x)
{
	if (x->host_network && ip_in_block(p, x->host_ip))
		return true;
	for (uint32_t i = 0; i < x->npod_ips; i++)
		if (ip_in_block(p, x->pod_ips[i]))
			return true;
	return ip_in_block(p, x->pod_ip);
}

struct peer_m {
	enum np_tri r, ns, pod;
	const char *reason;
};

static struct peer_m peer_match(struct np_index *x, struct np_side *s, const struct np_peer *p,
				const struct pod *peer, const char *pol_ns)
{
	struct peer_m m = { NP_NO, NP_NO, NP_NO, NULL };
	const struct kvs *nl;
	bool derived = false;

	switch (p->kind) {
	case NP_PEER_POD:
		m.ns = strcmp(peer->meta.ns, pol_ns) ? NP_NO : NP_YES;
		m.pod = selector_matches(&p->pod, &peer->meta.labels) ? NP_YES : NP_NO;
		m.r = tri_and(m.ns, m.pod);
		break;
	case NP_PEER_NS:
	case NP_PEER_NS_POD:
		nl = np_ns_labels(x, peer->meta.ns, &derived);
		m.ns = np_ns_match(&p->ns, nl, derived);
		m.pod = p->kind == NP_PEER_NS || selector_matches(&p->pod, &peer->meta.labels)
			? NP_YES : NP_NO;
		m.r = tri_and(m.ns, m.pod);
		if (m.r == NP_MAYBE) {
			m.reason = R_NSLABELS;
			s->ns_derived = true;
		}
		break;
	case NP_PEER_IPBLOCK:
		if (pod_in_block(p, peer)) {
			m.r = NP_MAYBE;
			m.reason = R_IPBLOCK;
		}
		break;
	case NP_PEER_INVALID:
		break;
	}
	if (peer->host_network && m.r == NP_YES) {
		m.r = NP_MAYBE;
		m.reason = R_HOSTNET;
	}
	return m;
}

bool np_port_matches(const struct np_port *e, const struct pod *dst, int32_t port,
		     const char *protocol)
{
	if (e->invalid || strcmp(e->protocol, protocol))
		return false;
	switch (e->port.kind) {
	case IS_INT:
		return e->end_port ? port >= e->port.num && port <= e->end_port
				   : port == e->port.num;
	case IS_STR:
		/* a named port resolves on the destination pod, for ingress and egress */
		for (uint32_t i = 0; i < dst->ncontainers; i++) {
			const struct container *k = &dst->containers[i];
			if (k->init && !k->sidecar)
				continue;
			for (uint32_t j = 0; j < k->nports; j++)
				if (!strcmp(k->ports[j].name, e->port.str) &&
				    !strcmp(k->ports[j].protocol, protocol) &&
				    k->ports[j].port == port)
					return true;
		}
		return false;
	default:
		return true;
	}
}

/* ---- one side ---- */

static struct np_why *add_why(struct arena *a, struct np_side *s, enum np_why_code code,
			      const struct np_policy *pol, int rule, int peer, int port)
{
	struct np_why *w;

	if (s->nwhy == s->capwhy) {
		size_t cap = s->capwhy ? 2 * s->capwhy : 8;
		struct np_why *n = arena_calloc(a, cap, sizeof(*n));
		if (s->nwhy)
			memcpy(n, s->why, s->nwhy * sizeof(*n));
		s->why = n;
		s->capwhy = cap;
	}
	w = &s->why[s->nwhy++];
	memset(w, 0, sizeof(*w));
	w->code = code;
	w->pol = pol;
	w->rule = rule;
	w->peer = peer;
	w->port = port;
	return w;
}

/* Evaluate one rule; returns its three-valued answer and records why. */
static enum np_tri eval_rule(struct np_index *x, struct arena *a, struct np_side *s,
			     const struct np_policy *pol, int ri, const struct np_rule *r,
			     const struct np_conn *c, const char *proto)
{
	const struct pod *peer = s->dir == NP_INGRESS ? c->src : c->dst;
	enum np_tri pr = NP_NO, best;
	int bpeer = -1, bport = -1;
	const char *reason = NULL;

	if (!r->npeers)
		pr = NP_YES;
	for (uint32_t i = 0; i < r->npeers && pr != NP_YES; i++) {
		struct peer_m m = peer_match(x, s, &r->peers[i], peer, pol->np->meta.ns);
		if (m.r > pr) {
			pr = m.r;
			bpeer = (int)i;
			reason = m.reason;
		}
	}
	bool port_ok = !r->nports;
	for (uint32_t i = 0; i < r->nports && !port_ok; i++)
		if (np_port_matches(&r->ports[i], c->dst, c->port, proto)) {
			port_ok = true;
			bport = (int)i;
		}
	best = port_ok ? pr : NP_NO;
	if (best == NP_YES) {
		struct np_why *w = add_why(a, s, NPW_ADMITS, pol, ri, bpeer, bport);
		if (!s->admit)
			s->admit = w;
	} else if (best == NP_MAYBE) {
		add_why(a, s, NPW_MAYBE, pol, ri, bpeer, bport)->reason = reason;
	} else if (pr != NP_NO) {
		add_why(a, s, NPW_PORT_MISS, pol, ri, bpeer, -1);
	} else {
		add_why(a, s, NPW_PEER_MISS, pol, ri, -1, -1);
		/* the two classic mistakes: a split peer, or an AND where OR was meant */
		for (uint32_t i = 0; i < r->npeers; i++) {
			struct peer_m m = peer_match(x, s, &r->peers[i], peer, pol->np->meta.ns);
			if (r->peers[i].kind == NP_PEER_POD && m.pod == NP_YES && m.ns == NP_NO)
				add_why(a, s, NPW_SPLIT_PEER, pol, ri, (int)i, -1);
			else if (r->peers[i].kind == NP_PEER_NS_POD && m.ns != m.pod) {
				struct np_why *w = add_why(a, s, NPW_AND_PEER, pol, ri, (int)i, -1);
				w->ns_match = m.ns;
				w->pod_match = m.pod;
			}
		}
	}
	return best;
}

static void eval_side(struct np_index *x, struct arena *a, struct np_side *s, enum np_dir dir,
		      const struct np_conn *c, const char *proto)
{
	const struct pod *subj = dir == NP_INGRESS ? c->dst : c->src;
	struct np_policy *pols;
	size_t n = np_index_ns(x, subj->meta.ns, &pols);
	enum np_tri best = NP_NO;

	memset(s, 0, sizeof(*s));
	s->dir = dir;
	for (size_t i = 0; i < n; i++) {
		struct np_policy *p = &pols[i];
		const struct np_rule *rules;
		uint32_t nrules;

		if (!(dir == NP_INGRESS ? p->np->ingress_type : p->np->egress_type))
			continue;
		if (!selector_matches(&p->np->pod_selector, &subj->meta.labels))
			continue;
		np_index_rules(x, p);
		rules = dir == NP_INGRESS ? p->ingress : p->egress;
		nrules = dir == NP_INGRESS ? p->ningress : p->negress;
		s->nselecting++;
		add_why(a, s, NPW_SELECTS, p, -1, -1, -1);
		if (!nrules)
			add_why(a, s, NPW_NO_RULES, p, -1, -1, -1);
		for (uint32_t r = 0; r < nrules; r++) {
			enum np_tri t = eval_rule(x, a, s, p, (int)r, &rules[r], c, proto);
			if (t > best)
				best = t;
		}
	}
	if (!s->nselecting) {
		add_why(a, s, NPW_NOT_ISOLATED, NULL, -1, -1, -1);
		s->verdict = NP_ALLOWED;
		return;
	}
	/* traffic from the pod's own node is always allowed (NetworkPolicySpec.ingress) */
	if (dir == NP_INGRESS && best != NP_YES && c->src->host_network && *c->src->node &&
	    !strcmp(c->src->node, c->dst->node)) {
		s->admit = add_why(a, s, NPW_LOCAL_NODE, NULL, -1, -1, -1);
		best = NP_YES;
	}
	s->verdict = best == NP_YES ? NP_ALLOWED : best == NP_MAYBE ? NP_INDETERMINATE : NP_DENIED;
	if (subj->host_network && s->verdict != NP_ALLOWED) {
		add_why(a, s, NPW_HOSTNET, NULL, -1, -1, -1);
		s->verdict = NP_INDETERMINATE;
	}
}

void np_evaluate(struct np_index *x, struct arena *a, const struct np_conn *c,
		 struct np_result *r)
{
	const char *proto = c->protocol && *c->protocol ? c->protocol : "TCP";
	const struct model *m = x->m;
	size_t nf = 0;

	memset(r, 0, sizeof(*r));
	eval_side(x, a, &r->ingress, NP_INGRESS, c, proto);
	eval_side(x, a, &r->egress, NP_EGRESS, c, proto);
	r->k8s = r->ingress.verdict > r->egress.verdict ? r->ingress.verdict : r->egress.verdict;
	for (size_t i = 0; i < m->nforeign_pols; i++) {
		const struct foreign_policy *f = &m->foreign_pols[i];
		if (!*f->ns || !strcmp(f->ns, c->src->meta.ns) || !strcmp(f->ns, c->dst->meta.ns))
			nf++;
	}
	if (nf) {
		r->foreign = arena_calloc(a, nf, sizeof(*r->foreign));
		for (size_t i = 0; i < m->nforeign_pols; i++) {
			const struct foreign_policy *f = &m->foreign_pols[i];
			if (!*f->ns || !strcmp(f->ns, c->src->meta.ns) ||
			    !strcmp(f->ns, c->dst->meta.ns))
				r->foreign[r->nforeign++] = f;
		}
	}
	r->verdict = r->nforeign ? NP_NOT_EVALUATED : r->k8s;
}

/* ---- text ---- */

static const char *tri_word(enum np_tri t)
{
	return t == NP_YES ? "matches" : t == NP_MAYBE ? "may match" : "does not match";
}

const char *np_why_text(struct arena *a, const struct np_side *s, const struct np_why *w,
			const struct np_conn *c)
{
	const bool in = s->dir == NP_INGRESS;
	const char *dirw = in ? "ingress" : "egress", *peerw = in ? "from" : "to";
	const struct pod *subj = in ? c->dst : c->src, *peer = in ? c->src : c->dst;
	const struct np_rule *r = NULL;
	const char *proto = c->protocol && *c->protocol ? c->protocol : "TCP";
	struct buf b;
	const char *out;

	buf_init(&b, 1 << 16);
	if (w->pol) {
		buf_addf(&b, "NetworkPolicy %s/%s", w->pol->np->meta.ns, w->pol->np->meta.name);
		if (w->rule >= 0) {
			r = in ? &w->pol->ingress[w->rule] : &w->pol->egress[w->rule];
			buf_addf(&b, " %s[%d]", dirw, w->rule);
		}
		if (w->peer >= 0 && r && (uint32_t)w->peer < r->npeers)
			buf_addf(&b, ".%s[%d]", peerw, w->peer);
	}
	switch (w->code) {
	case NPW_NOT_ISOLATED:
		buf_addf(&b, "no NetworkPolicy of namespace %s selects pod %s/%s for %s: "
			 "all %s traffic is allowed", subj->meta.ns, subj->meta.ns,
			 subj->meta.name, in ? "Ingress" : "Egress", dirw);
		break;
	case NPW_SELECTS:
		buf_addf(&b, " selects pod %s/%s (podSelector %s) for %s", subj->meta.ns,
			 subj->meta.name, np_selector_text(a, &w->pol->np->pod_selector),
			 in ? "Ingress" : "Egress");
		break;
	case NPW_NO_RULES:
		buf_addf(&b, " has no %s rules: it admits no %s traffic to the pods it selects "
			 "(default deny)", dirw, dirw);
		break;
	case NPW_ADMITS:
	case NPW_MAYBE:
		buf_addf(&b, " %s %s/%s: %s", w->code == NPW_ADMITS ? "admits" : "may admit",
			 peer->meta.ns, peer->meta.name,
			 w->peer >= 0 ? np_peer_text(a, &r->peers[w->peer])
				      : arena_printf(a, "every %s", in ? "source" : "destination"));
		buf_addf(&b, ", port %s", w->port >= 0 ? np_port_text(a, &r->ports[w->port])
							: "any");
		if (w->reason)
			buf_addf(&b, "; but %s", w->reason);
		break;
	case NPW_PEER_MISS:
		buf_addf(&b, ": no %s peer matches pod %s/%s (namespace %s): ", peerw,
			 peer->meta.ns, peer->meta.name, peer->meta.ns);
		for (uint32_t i = 0; i < r->npeers; i++)
			buf_addf(&b, "%s%s[%u] %s", i ? "; " : "", peerw, i,
				 np_peer_text(a, &r->peers[i]));
		break;
	case NPW_PORT_MISS:
		buf_addf(&b, " matches %s/%s but not port %d/%s on pod %s/%s: ports ",
			 peer->meta.ns, peer->meta.name, c->port, proto, c->dst->meta.ns,
			 c->dst->meta.name);
		for (uint32_t i = 0; i < r->nports; i++)
			buf_addf(&b, "%s%s", i ? ", " : "", np_port_text(a, &r->ports[i]));
		break;
	case NPW_SPLIT_PEER:
		buf_addf(&b, " is a podSelector alone %s: it selects pods of namespace %s only; "
			 "pod %s/%s matches its labels but runs in namespace %s. To select it, put "
			 "a namespaceSelector and this podSelector in ONE %s item (no '-' before "
			 "podSelector)", np_selector_text(a, &r->peers[w->peer].pod),
			 w->pol->np->meta.ns, peer->meta.ns, peer->meta.name, peer->meta.ns, peerw);
		break;
	case NPW_AND_PEER:
		buf_addf(&b, " is ONE item with namespaceSelector %s AND podSelector %s: "
			 "namespace %s %s it, pod %s/%s %s the podSelector; both must match. "
			 "If either was meant to suffice, make them two %s items (a '-' before each)",
			 np_selector_text(a, &r->peers[w->peer].ns),
			 np_selector_text(a, &r->peers[w->peer].pod), peer->meta.ns,
			 tri_word(w->ns_match), peer->meta.ns, peer->meta.name,
			 tri_word(w->pod_match), peerw);
		break;
	case NPW_LOCAL_NODE:
		buf_addf(&b, "pod %s/%s uses hostNetwork on node %s, the node of pod %s/%s: "
			 "traffic from a pod's own node is always allowed", c->src->meta.ns,
			 c->src->meta.name, c->src->node, c->dst->meta.ns, c->dst->meta.name);
		break;
	case NPW_HOSTNET:
		buf_addf(&b, "pod %s/%s uses hostNetwork: whether NetworkPolicy %s rules apply to "
			 "it is CNI-specific", subj->meta.ns, subj->meta.name, dirw);
		break;
	}
	out = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}
