/*
 * network: runbook step 4 offline: may the ingress controller's pods
 * connect to each backend pod on its target port, as far as the
 * NetworkPolicy objects say (src/netpol/eval.h)? Fires
 * netpol-blocks-controller on the backend Pod (the verdict is per pod:
 * its labels select the policies and its container ports resolve named
 * ports), naming the policies involved, why none admits the controller,
 * and the smallest policy change that would. Indeterminate answers
 * (ipBlock, hostNetwork, unknown namespace labels) and policies of kinds
 * the tool does not evaluate (Cilium, Calico, AdminNetworkPolicy) become
 * notes, never "allowed" and never a guessed error.
 */
#include "network.h"
#include "../controller/controller.h"
#include "../netpol/eval.h"
#include "../util/buf.h"

#include <string.h>

#include "../util/banned.h"

static bool have(const struct model *m, enum kind k)
{
	return m->present[k] && !m->forbidden[k];
}

/* The controller pod's identifying labels as "k=v, k2=v2" (scratch arena). */
static const char *ctl_labels(struct arena *a, const struct pod *q)
{
	static const char *const pref[] = { "app.kubernetes.io/name", "app.kubernetes.io/component",
					    "app", "k8s-app", "name" };
	struct buf b;
	const char *v, *out;

	buf_init(&b, 4096);
	for (size_t i = 0; i < sizeof(pref) / sizeof(pref[0]); i++) {
		if (i == 2 && b.len)
			break;   /* app.kubernetes.io labels found: enough */
		if ((v = kvs_get(&q->meta.labels, pref[i])) != NULL) {
			buf_addf(&b, "%s%s=%s", b.len ? ", " : "", pref[i], v);
			if (i >= 2)
				break;
		}
	}
	for (uint32_t i = 0; !b.len && i < q->meta.labels.n; i++)
		if (strcmp(q->meta.labels.v[i].key, "pod-template-hash"))
			buf_addf(&b, "%s=%s", q->meta.labels.v[i].key, q->meta.labels.v[i].val);
	out = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

static const char *kvs_text(struct arena *a, const struct kvs *m)
{
	struct buf b;
	const char *out;

	buf_init(&b, 1 << 14);
	for (uint32_t i = 0; i < m->n; i++)
		buf_addf(&b, "%s%s=%s", i ? ", " : "", m->v[i].key, m->v[i].val);
	out = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

/* Names of the policies selecting the side's pod: "shop/a, shop/b". */
static const char *selecting(struct arena *a, const struct np_side *s)
{
	struct buf b;
	const char *out;

	buf_init(&b, 1 << 14);
	for (size_t i = 0; i < s->nwhy; i++)
		if (s->why[i].code == NPW_SELECTS)
			buf_addf(&b, "%s%s/%s", b.len ? ", " : "", s->why[i].pol->np->meta.ns,
				 s->why[i].pol->np->meta.name);
	out = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

/* The first explanation entry of a code on a side, or NULL. */
static const struct np_why *first(const struct np_side *s, enum np_why_code code)
{
	for (size_t i = 0; i < s->nwhy; i++)
		if (s->why[i].code == code)
			return &s->why[i];
	return NULL;
}

/* A policy on the side that has rules for its direction (the one to extend), or NULL. */
static const struct np_policy *with_rules(const struct np_side *s)
{
	for (size_t i = 0; i < s->nwhy; i++) {
		const struct np_why *w = &s->why[i];
		if (w->code == NPW_SELECTS &&
		    (s->dir == NP_INGRESS ? w->pol->ningress : w->pol->negress))
			return w->pol;
	}
	return NULL;
}

/* The smallest change on one denied side, as one imperative clause. */
static const char *side_fix(struct arena *a, const struct np_side *s, const struct np_conn *cn,
			    const struct service *svc)
{
	const bool in = s->dir == NP_INGRESS;
	const struct pod *peer = in ? cn->src : cn->dst;
	const char *pw = in ? "from" : "to", *dw = in ? "ingress" : "egress";
	const char *proto = cn->protocol && *cn->protocol ? cn->protocol : "TCP";
	const char *who, *where;
	const struct np_why *w;
	const struct np_policy *p;

	if ((w = first(s, NPW_SPLIT_PEER)) != NULL)
		return arena_printf(a, "in NetworkPolicy %s/%s %s[%d], put namespaceSelector "
				    "{%s: %s} into the same %s item as its podSelector (%s[%d])",
				    w->pol->np->meta.ns, w->pol->np->meta.name, dw, w->rule,
				    NP_NS_NAME_LABEL, peer->meta.ns, pw, pw, w->peer);
	if ((w = first(s, NPW_AND_PEER)) != NULL && w->ns_match == NP_YES)
		return arena_printf(a, "in NetworkPolicy %s/%s %s[%d].%s[%d], make the podSelector "
				    "match %s (%s), or split namespaceSelector and podSelector "
				    "into two %s items if either was meant to suffice",
				    w->pol->np->meta.ns, w->pol->np->meta.name, dw, w->rule, pw,
				    w->peer, in ? "the controller pods" : "the backend pods",
				    ctl_labels(a, peer), pw);
	if (w && w->pod_match == NP_YES)
		return arena_printf(a, "in NetworkPolicy %s/%s %s[%d].%s[%d], make the "
				    "namespaceSelector match namespace %s (e.g. %s=%s)",
				    w->pol->np->meta.ns, w->pol->np->meta.name, dw, w->rule, pw,
				    w->peer, peer->meta.ns, NP_NS_NAME_LABEL, peer->meta.ns);
	if ((w = first(s, NPW_PORT_MISS)) != NULL)
		return arena_printf(a, "add port %d/%s to NetworkPolicy %s/%s %s[%d].ports",
				    cn->port, proto, w->pol->np->meta.ns, w->pol->np->meta.name,
				    dw, w->rule);
	if (peer->host_network)
		who = arena_printf(a, "ipBlock %s/32 (the node IP: pod %s/%s uses hostNetwork, "
				   "selectors may not match it)", peer->host_ip, peer->meta.ns,
				   peer->meta.name);
	else
		who = arena_printf(a, "namespaceSelector {%s: %s} + podSelector {%s} (one item)",
				   NP_NS_NAME_LABEL, peer->meta.ns,
				   in ? ctl_labels(a, peer)
				      : svc && svc->selector.n ? kvs_text(a, &svc->selector)
							       : ctl_labels(a, peer));
	p = with_rules(s);
	if (p)
		where = arena_printf(a, "add to NetworkPolicy %s/%s", p->np->meta.ns,
				     p->np->meta.name);
	else
		where = arena_printf(a, "create a NetworkPolicy in namespace %s selecting pod "
				     "%s/%s with", (in ? cn->dst : cn->src)->meta.ns,
				     (in ? cn->dst : cn->src)->meta.ns,
				     (in ? cn->dst : cn->src)->meta.name);
	return arena_printf(a, "%s an %s rule %s %s on port %d/%s", where, dw, pw, who, cn->port,
			    proto);
}

static void side_evidence(struct check_ctx *c, struct arena *a, struct finding *f,
			  const struct np_side *s, const struct np_conn *cn)
{
	for (size_t i = 0; i < s->nwhy; i++)
		finding_evidence(c->d, f, "%s", np_why_text(a, s, &s->why[i], cn));
}

/* Per backend pod: how the controller pods fare. */
struct tally {
	size_t denied, indet, foreign, allowed;
	const struct pod *first_denied;
	const char *note;              /* first indeterminate / not-evaluated reason */
};

static const char *indet_reason(struct arena *a, const struct np_result *r,
				const struct np_conn *cn)
{
	const struct np_side *sides[2] = { &r->ingress, &r->egress };

	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < sides[k]->nwhy; i++) {
			const struct np_why *w = &sides[k]->why[i];
			if (w->code == NPW_MAYBE || w->code == NPW_HOSTNET)
				return np_why_text(a, sides[k], w, cn);
		}
	return "";
}

static void blocked(struct check_ctx *c, struct arena *a, const struct np_result *r,
		    const struct np_conn *cn, struct finding **fp)
{
	struct finding *f = *fp;
	const char *fix;

	if (!f)
		f = *fp = check_finding(c, "netpol-blocks-controller", SEV_ERROR, HOP_PODS, "Pod",
					cn->dst->meta.ns, cn->dst->meta.name, "");
	if (r->ingress.verdict == NP_DENIED)
		side_evidence(c, a, f, &r->ingress, cn);
	if (r->egress.verdict == NP_DENIED)
		side_evidence(c, a, f, &r->egress, cn);
	if (r->ingress.verdict == NP_DENIED && r->egress.verdict == NP_DENIED)
		fix = arena_printf(a, "%s; and %s", side_fix(a, &r->ingress, cn, c->svc),
				   side_fix(a, &r->egress, cn, c->svc));
	else
		fix = side_fix(a, r->ingress.verdict == NP_DENIED ? &r->ingress : &r->egress, cn,
			       c->svc);
	finding_fix(c->d, f, "%c%s", fix[0] >= 'a' && fix[0] <= 'z' ? fix[0] - 'a' + 'A' : fix[0],
		    fix + 1);
	if (r->ingress.verdict == NP_DENIED)
		finding_command(c->d, f, "kubectl get networkpolicy -n %s -o yaml", cn->dst->meta.ns);
	if (r->egress.verdict == NP_DENIED)
		finding_command(c->d, f, "kubectl get networkpolicy -n %s -o yaml", cn->src->meta.ns);
	finding_command(c->d, f, "kubectl get pod %s -n %s --show-labels", cn->src->meta.name,
			cn->src->meta.ns);
	finding_command(c->d, f, "kubectl get namespace %s --show-labels", cn->src->meta.ns);
}

static void message(struct check_ctx *c, struct arena *a, struct finding *f,
		    const struct np_result *r, const struct np_conn *cn, const struct tally *t,
		    size_t nctl)
{
	const char *side;

	if (r->ingress.verdict == NP_DENIED)
		side = arena_printf(a, "NetworkPolic%s %s selecting it for Ingress admit%s no "
				    "controller traffic", r->ingress.nselecting > 1 ? "ies" : "y",
				    selecting(a, &r->ingress), r->ingress.nselecting > 1 ? "" : "s");
	else
		side = arena_printf(a, "NetworkPolic%s %s selecting the controller pod for "
				    "Egress admit%s no traffic to it", r->egress.nselecting > 1 ?
				    "ies" : "y", selecting(a, &r->egress),
				    r->egress.nselecting > 1 ? "" : "s");
	finding_message(c->d, f, "Pod %s/%s port %d/%s is unreachable from the ingress "
			"controller (%zu/%zu controller pods blocked, e.g. %s/%s): %s",
			cn->dst->meta.ns, cn->dst->meta.name, cn->port,
			cn->protocol && *cn->protocol ? cn->protocol : "TCP", t->denied, nctl,
			t->first_denied->meta.ns, t->first_denied->meta.name, side);
}

void check_network_idx(struct check_ctx *c, struct np_index *x)
{
	const struct model *m = c->m;
	const struct controller_impl *ci;
	const struct pod **ctl = NULL;
	size_t nctl, nindet = 0, nforeign = 0, nbackend = 0;
	const char *indet_note = NULL, *foreign_note = NULL;
	bool used_policies = false;
	struct arena a;

	if (!c->svc || !c->sport || !c->npods || !c->cls)
		return;
	ci = controller_for(c->cls->controller);
	if (!ci || ci->external || !have(m, K_POD))
		return;
	if (!have(m, K_NETWORKPOLICY)) {
		diag_note(c->d, "NetworkPolicy objects %s: whether policies block the %s "
			  "controller from the backend pods was not checked (kubectl get "
			  "networkpolicies -A -o json)", m->forbidden[K_NETWORKPOLICY] ?
			  "could not be read (forbidden)" : "are absent from the input", ci->name);
		return;
	}
	nctl = check_controller_pods(c, ci, c->cls->controller, &ctl);
	if (!nctl)
		return;
	arena_init(&a, 64 * 1024);
	for (size_t i = 0; i < c->npods; i++) {
		const struct pod *p = c->pods[i];
		struct tally t = { 0 };
		struct finding *f = NULL;
		struct np_result r, last_denied;
		struct np_conn cn = { .dst = p, .protocol = c->sport->protocol }, dcn = cn;

		if (!*p->pod_ip || pod_is_terminating(p))
			continue;   /* not an endpoint the controller would dial */
		cn.port = port_resolve_target(c->sport, p, NULL);
		if (cn.port < 0)
			continue;   /* service-target-port-missing says why */
		nbackend++;
		memset(&last_denied, 0, sizeof(last_denied));
		for (size_t k = 0; k < nctl; k++) {
			cn.src = ctl[k];
			np_evaluate(x, &a, &cn, &r);
			if (r.ingress.nselecting || r.egress.nselecting)
				used_policies = true;
			if (r.verdict == NP_DENIED) {
				if (!t.denied++) {
					t.first_denied = ctl[k];
					last_denied = r;
					dcn = cn;
					blocked(c, &a, &r, &cn, &f);
				} else {
					finding_evidence(c->d, f, "controller pod %s/%s is blocked "
							 "the same way", ctl[k]->meta.ns,
							 ctl[k]->meta.name);
				}
			} else if (r.verdict == NP_INDETERMINATE) {
				t.indet++;
				if (!indet_note)
					indet_note = diag_strdup(c->d, indet_reason(&a, &r, &cn));
			} else if (r.verdict == NP_NOT_EVALUATED) {
				t.foreign++;
				if (!foreign_note)
					foreign_note = diag_printf(c->d, "%s %s%s%s (%s)",
						r.foreign[0]->kind, r.foreign[0]->ns,
						*r.foreign[0]->ns ? "/" : "", r.foreign[0]->name,
						r.foreign[0]->api_version);
			}
		}
		if (f)
			message(c, &a, f, &last_denied, &dcn, &t, nctl);
		if (t.indet)
			nindet++;
		if (t.foreign)
			nforeign++;
		arena_reset(&a);
	}
	arena_release(&a);
	if (nindet)
		diag_note(c->d, "NetworkPolicy: whether the %s controller may reach %zu/%zu pods of "
			  "Service %s/%s is indeterminate offline: %s", ci->name, nindet, nbackend,
			  c->svc->meta.ns, c->svc->meta.name, indet_note);
	if (nforeign)
		diag_note(c->d, "NetworkPolicy: %s is present but not evaluated (ingress-doctor "
			  "evaluates networking.k8s.io NetworkPolicy only); it may decide whether "
			  "the %s controller reaches %zu/%zu pods of Service %s/%s", foreign_note,
			  ci->name, nforeign, nbackend, c->svc->meta.ns, c->svc->meta.name);
	if (used_policies && !have(m, K_NAMESPACE))
		diag_note(c->d, "Namespace objects are absent from the input: NetworkPolicy "
			  "namespaceSelectors were matched against the label %s only (set on "
			  "every namespace); other namespace labels are unknown", NP_NS_NAME_LABEL);
}

void check_network(struct check_ctx *c)
{
	struct np_index x;

	np_index_init(&x, c->m);
	check_network_idx(c, &x);
	np_index_release(&x);
}
