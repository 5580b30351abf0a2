/*
 * endpoints: runbook step 1, second half: from the backend Service port to
 * ready endpoints. Reads EndpointSlices first (what controllers use), the
 * legacy Endpoints object when slices are absent from the input, and when
 * neither is there computes the would-be endpoints from pod readiness and
 * says so. Ids: service-no-selector, service-selector-no-match (with near
 * misses), service-target-port-missing, service-no-ready-endpoints,
 * service-partially-ready, endpoints-stale, endpointslice-mismatch.
 */
#include "check.h"
#include "h4_eps.h"
#include "h4_util.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LISTED 5

static bool have(const struct model *m, enum kind k)
{
	return m->present[k] && !m->forbidden[k];
}

static const char *absent_why(const struct model *m, enum kind k)
{
	return m->forbidden[k] ? "could not be read (forbidden)" : "are absent from the input";
}

static struct finding *svc_finding(struct check_ctx *c, const char *id, enum severity sev,
				   const char *key)
{
	return check_finding(c, id, sev, HOP_ENDPOINTS, "Service", c->svc->meta.ns,
			     c->svc->meta.name, key);
}

static void cmd_slices(struct check_ctx *c, struct finding *f)
{
	finding_command(c->d, f, "kubectl get endpointslices -n %s -l "
			"kubernetes.io/service-name=%s -o wide", c->svc->meta.ns,
			c->svc->meta.name);
}

static void cmd_pods(struct check_ctx *c, struct finding *f)
{
	if (c->svc->selector.n)
		finding_command(c->d, f, "kubectl get pods -n %s -l %s -o wide", c->svc->meta.ns,
				h4_kvs(c->d, &c->svc->selector));
}

/* The ports a pod's running containers declare: "app: http 8080/TCP, 9090/TCP". */
static const char *declared_ports(struct diag *d, const struct pod *p, size_t *count)
{
	struct buf b;
	const char *s;

	*count = 0;
	buf_init(&b, 1 << 14);
	for (uint32_t i = 0; i < p->ncontainers; i++) {
		const struct container *k = &p->containers[i];
		if (k->init && !k->sidecar)
			continue;
		for (uint32_t j = 0; j < k->nports; j++) {
			const struct container_port *cp = &k->ports[j];
			buf_addf(&b, "%s%s: %s%s%d/%s", b.len ? ", " : "", k->name, cp->name,
				 *cp->name ? " " : "", cp->port, cp->protocol);
			(*count)++;
		}
	}
	s = diag_strdup(d, b.p ? b.p : "none");
	buf_release(&b);
	return s;
}

/*
 * Does a regular container of the pod declare no port at all? containerPort
 * is informational: such a container may listen on any port (a mesh sidecar
 * declaring its own ports says nothing about the app's).
 */
static bool has_portless_container(const struct pod *p)
{
	for (uint32_t i = 0; i < p->ncontainers; i++)
		if (!p->containers[i].init && !p->containers[i].nports)
			return true;
	return false;
}

/* ---- Services without a selector ---- */

static void no_selector(struct check_ctx *c, const char *pkey)
{
	const struct model *m = c->m;
	const struct service *s = c->svc;
	const char *ns = s->meta.ns;
	struct h4_eps e = { 0 };
	size_t any = 0, ready;
	struct finding *f;

	if (!have(m, K_ENDPOINTSLICE) && !have(m, K_ENDPOINTS)) {
		diag_note(c->d, "Service %s/%s has no selector and EndpointSlices/Endpoints %s: "
			  "whether it has manual endpoints is unknown", ns, s->meta.name,
			  absent_why(m, K_ENDPOINTSLICE));
		chain_hop(c->d, c->chain, HOP_ENDPOINTS, V_UNKNOWN, "no selector; manual endpoints "
			  "not in the input");
		return;
	}
	if (have(m, K_ENDPOINTSLICE)) {
		const struct endpointslice **sl;
		size_t n = model_slices_for(m, ns, s->meta.name, &sl);
		for (size_t i = 0; i < n; i++)
			any += sl[i]->nendpoints;
		h4_eps_from_slices(&e, m, s, c->sport);
	}
	if (!any && have(m, K_ENDPOINTS)) {
		const struct endpoints *ep = model_endpoints(m, ns, s->meta.name);
		for (uint32_t i = 0; ep && i < ep->nsubsets; i++)
			any += ep->subsets[i].nready + ep->subsets[i].nnot_ready;
		if (!e.n) {
			h4_eps_release(&e);
			h4_eps_from_endpoints(&e, m, s, c->sport);
		}
	}
	if (!any) {
		f = svc_finding(c, "service-no-selector", SEV_ERROR, NULL);
		finding_message(c->d, f, "Service %s/%s has no selector and no manually managed "
				"endpoints: nothing receives its traffic", ns, s->meta.name);
		finding_evidence(c->d, f, "spec.selector: unset");
		finding_evidence(c->d, f, "EndpointSlices/Endpoints of %s: no addresses",
				 s->meta.name);
		finding_fix(c->d, f, "add spec.selector to Service %s/%s matching the backend "
			    "pods' labels (or create its EndpointSlices)", ns, s->meta.name);
		finding_command(c->d, f, "kubectl get service %s -n %s -o yaml", s->meta.name, ns);
		cmd_slices(c, f);
		chain_hop(c->d, c->chain, HOP_ENDPOINTS, V_FAIL, "no selector, no endpoints");
		goto out;
	}
	ready = h4_eps_ready(&e);
	if (!ready) {
		f = svc_finding(c, "service-no-ready-endpoints", SEV_ERROR, pkey);
		finding_message(c->d, f, "Service %s/%s has no ready endpoint for port %s (no "
				"selector; %zu manual endpoint%s for the port, 0 ready)", ns,
				s->meta.name, pkey, e.n, e.n == 1 ? "" : "s");
		finding_evidence(c->d, f, "spec.selector: unset (endpoints managed by hand)");
		finding_fix(c->d, f, "make the manual EndpointSlices of Service %s/%s list ready "
			    "addresses for port %s", ns, s->meta.name, pkey);
		cmd_slices(c, f);
		chain_hop(c->d, c->chain, HOP_ENDPOINTS, V_FAIL, "0/%zu manual endpoints ready for "
			  "port %s", e.n, pkey);
		goto out;
	}
	chain_hop(c->d, c->chain, HOP_ENDPOINTS, V_OK, "%zu/%zu manual endpoints ready for port %s",
		  ready, e.n, pkey);
out:
	h4_eps_release(&e);
}

/* ---- selector matches nothing ---- */

/*
 * How a pod's labels miss the selector: NULL when more than one pair
 * differs (or none), else a description of the one difference.
 */
static const char *one_miss(struct diag *d, const struct kvs *sel, const struct pod *p)
{
	const char *what = NULL;

	for (uint32_t i = 0; i < sel->n; i++) {
		const char *k = sel->v[i].key, *want = sel->v[i].val;
		const char *got = kvs_get(&p->meta.labels, k);
		if (got && !strcmp(got, want))
			continue;
		if (what)
			return NULL;
		if (got) {
			what = diag_printf(d, "label %s=%s, selector wants %s=%s", k, got, k, want);
			continue;
		}
		what = diag_printf(d, "no label %s, selector wants %s=%s", k, k, want);
		/* a misspelt key carrying the wanted value */
		for (uint32_t j = 0; j < p->meta.labels.n; j++) {
			const struct kv *l = &p->meta.labels.v[j];
			if (!strcmp(l->val, want) && h4_near_name(k, l->key)) {
				what = diag_printf(d, "label %s=%s, selector wants %s=%s", l->key,
						   l->val, k, want);
				break;
			}
		}
	}
	return what;
}

static void selector_no_match(struct check_ctx *c)
{
	const struct service *s = c->svc;
	const char *ns = s->meta.ns, *sel = h4_kvs(c->d, &s->selector);
	const struct pod **all;
	size_t n = model_pods_in(c->m, ns, &all), nnear = 0;
	struct finding *f = svc_finding(c, "service-selector-no-match", SEV_ERROR, NULL);
	const char *first = NULL;

	for (size_t i = 0; i < n; i++) {
		const char *miss = one_miss(c->d, &s->selector, all[i]);
		if (!miss)
			continue;
		if (!first)
			first = miss;
		if (++nnear <= MAX_LISTED)
			finding_evidence(c->d, f, "near miss: pod %s: %s", all[i]->meta.name, miss);
	}
	if (nnear > MAX_LISTED)
		finding_evidence(c->d, f, "... and %zu more near misses", nnear - MAX_LISTED);
	finding_message(c->d, f, "Service %s/%s selects no pod: selector %s matches none of the "
			"%zu pods in %s%s%s%s", ns, s->meta.name, sel, n, ns,
			first ? " (near miss: " : "", first ? first : "", first ? ")" : "");
	finding_evidence(c->d, f, "spec.selector: %s", sel);
	if (first)
		finding_fix(c->d, f, "make the selector of Service %s/%s and the pod labels agree "
			    "(%s)", ns, s->meta.name, first);
	else
		finding_fix(c->d, f, "set the selector of Service %s/%s to the labels of its "
			    "backend pods", ns, s->meta.name);
	finding_command(c->d, f, "kubectl get pods -n %s --show-labels", ns);
	finding_command(c->d, f, "kubectl get service %s -n %s -o jsonpath='{.spec.selector}'",
			s->meta.name, ns);
	chain_hop(c->d, c->chain, HOP_ENDPOINTS, V_FAIL, "selector %s matches no pod", sel);
}

/* ---- target port ---- */

/*
 * Checks the Service port's targetPort against each matched pod. Returns
 * how many live pods the port resolves on (named targets) or the number of
 * live pods (numeric targets).
 */
static size_t check_target(struct check_ctx *c, const char *pkey, size_t *nlive)
{
	const struct service_port *sp = c->sport;
	const char *ns = c->svc->meta.ns, *tgt = h4_target(c->d, sp);
	bool named = sp->target.kind == IS_STR;
	size_t nres = 0, nbad = 0;
	const struct pod *bad1 = NULL;
	struct finding *f = NULL;

	*nlive = 0;
	for (size_t i = 0; i < c->npods; i++) {
		const struct pod *p = c->pods[i];
		const struct container *owner = NULL;
		size_t ndecl;
		const char *decl;
		int32_t r;

		if (h4_pod_done(p) || pod_is_terminating(p))
			continue;
		(*nlive)++;
		r = port_resolve_target(sp, p, &owner);
		decl = declared_ports(c->d, p, &ndecl);
		if (!named)
			nres++;   /* a numeric target gets endpoints, declared or not */
		else if (r >= 0)
			nres++;
		/* fine: a named target that resolves; a number declared or a portless container */
		if (named ? r >= 0 : (owner != NULL || ndecl == 0 || has_portless_container(p)))
			continue;
		if (!f)
			f = svc_finding(c, "service-target-port-missing",
					named ? SEV_ERROR : SEV_WARNING, pkey);
		if (++nbad <= MAX_LISTED)
			finding_evidence(c->d, f, "pod %s declares %s", p->meta.name, decl);
		if (!bad1)
			bad1 = p;
	}
	if (!f)
		return nres;
	if (nbad > MAX_LISTED)
		finding_evidence(c->d, f, "... and %zu more pods", nbad - MAX_LISTED);
	finding_evidence(c->d, f, "Service port %s: targetPort %s", h4_sport(c->d, sp), tgt);
	if (named) {
		finding_message(c->d, f, "Service %s/%s port %s targets container port \"%s\", "
				"which %zu of %zu matching pods do not declare: they get no "
				"endpoint",
				ns, c->svc->meta.name, h4_sport(c->d, sp), tgt, nbad, *nlive);
		finding_fix(c->d, f, "name the container port \"%s\" in the pod template, or set "
			    "targetPort of Service %s/%s port %s to a declared port", tgt, ns,
			    c->svc->meta.name, h4_sport(c->d, sp));
	} else {
		finding_message(c->d, f, "Service %s/%s port %s targets port %s, which no "
				"container of %zu matching pod%s declares (they declare other "
				"ports)", ns, c->svc->meta.name, h4_sport(c->d, sp), tgt, nbad,
				nbad == 1 ? "" : "s");
		finding_fix(c->d, f, "set targetPort of Service %s/%s port %s to the port the app "
			    "listens on", ns, c->svc->meta.name, h4_sport(c->d, sp));
	}
	finding_command(c->d, f, "kubectl get pod %s -n %s -o "
			"jsonpath='{.spec.containers[*].ports}'", bad1->meta.name, ns);
	finding_command(c->d, f, "kubectl get service %s -n %s -o yaml", c->svc->meta.name, ns);
	return nres;
}

/* ---- stale endpoints ---- */

static void check_stale(struct check_ctx *c, const struct h4_eps *e, const char *src)
{
	const struct service *s = c->svc;
	const char *ns = s->meta.ns;
	struct finding *f = NULL;
	size_t nstale = 0;

	if (s->publish_not_ready)
		return;
	for (size_t i = 0; i < e->n; i++) {
		const struct h4_ep *x = &e->v[i];
		const struct pod *p;
		const char *why;

		if (!x->ready || !*x->pod)
			continue;
		p = model_pod(c->m, ns, x->pod);
		if (!p)
			why = "no such pod";
		else if (*x->pod_uid && p->meta.uid && *p->meta.uid &&
			 strcmp(x->pod_uid, p->meta.uid))
			why = "the pod of that name was recreated (uid differs)";
		else if (pod_is_terminating(p))
			why = "the pod is terminating";
		else
			continue;
		if (!f)
			f = svc_finding(c, "endpoints-stale", SEV_WARNING, NULL);
		if (++nstale <= MAX_LISTED)
			finding_evidence(c->d, f, "%s endpoint %s (pod %s) is ready: %s", src,
					 *x->ip ? x->ip : "?", x->pod, why);
	}
	if (!f)
		return;
	finding_message(c->d, f, "Service %s/%s has %zu endpoint%s marked ready for a pod that is "
			"gone or terminating: the controller still sends it traffic", ns,
			s->meta.name, nstale, nstale == 1 ? "" : "s");
	finding_fix(c->d, f, "check kube-controller-manager (endpointslice controller) and the "
		    "pods' deletion; delete the stale EndpointSlice of Service %s/%s to rebuild it",
		    ns, s->meta.name);
	cmd_slices(c, f);
	finding_command(c->d, f, "kubectl get pods -n %s -o wide", ns);
}

/* ---- slices vs Endpoints ---- */

/* Ready in e, by pod (dual-stack slices list other addresses) or address. */
static bool ready_in(const struct h4_eps *e, const char *key)
{
	const struct h4_ep *x = h4_eps_find(e, key);
	return x && x->ready;
}

/*
 * Does namespace ns hold any EndpointSlice? m->slices is sorted by
 * namespace then name (model_finish): a binary search, not a scan per path.
 */
static bool ns_has_slices(const struct model *m, const char *ns)
{
	size_t lo = 0, hi = m->nslices;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(m->slices[mid].meta.ns, ns) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nslices && !strcmp(m->slices[lo].meta.ns, ns);
}

static void check_mismatch(struct check_ctx *c, const struct h4_eps *sl, size_t nlive)
{
	const struct model *m = c->m;
	const struct service *s = c->svc;
	const char *ns = s->meta.ns;
	struct h4_eps ep = { 0 };
	struct finding *f = NULL;

	if (!have(m, K_ENDPOINTSLICE))
		return;
	if (!sl->nobjects && nlive && ns_has_slices(m, ns)) {
		f = svc_finding(c, "endpointslice-mismatch", SEV_WARNING, NULL);
		finding_message(c->d, f, "Service %s/%s has a selector matching %zu pod%s but no "
				"EndpointSlice: controllers that read slices see no endpoints", ns,
				s->meta.name, nlive, nlive == 1 ? "" : "s");
		finding_evidence(c->d, f, "EndpointSlices with label "
				 "kubernetes.io/service-name=%s in %s: none (other Services in %s "
				 "have slices)", s->meta.name, ns, ns);
		goto found;
	}
	if (!have(m, K_ENDPOINTS) || !sl->nobjects)
		return;
	{
		const struct endpoints *o = model_endpoints(m, ns, s->meta.name);
		if (!o || kvs_get(&o->meta.annotations, "endpoints.kubernetes.io/over-capacity"))
			return;
	}
	h4_eps_from_endpoints(&ep, m, s, c->sport);
	for (size_t i = 0; i < sl->n; i++) {
		const struct h4_ep *x = &sl->v[i];
		if (!x->ready || ready_in(&ep, x->key))
			continue;
		if (!f)
			f = svc_finding(c, "endpointslice-mismatch", SEV_WARNING, NULL);
		finding_evidence(c->d, f, "%s (%s) is ready in the EndpointSlices, not in "
				 "Endpoints %s", *x->ip ? x->ip : "?",
				 *x->pod ? x->pod : "no pod", s->meta.name);
	}
	for (size_t i = 0; i < ep.n; i++) {
		const struct h4_ep *x = &ep.v[i];
		if (!x->ready || ready_in(sl, x->key))
			continue;
		if (!f)
			f = svc_finding(c, "endpointslice-mismatch", SEV_WARNING, NULL);
		finding_evidence(c->d, f, "%s (%s) is ready in Endpoints %s, not in the "
				 "EndpointSlices", *x->ip ? x->ip : "?",
				 *x->pod ? x->pod : "no pod", s->meta.name);
	}
	h4_eps_release(&ep);
	if (!f)
		return;
	finding_message(c->d, f, "the EndpointSlices and the Endpoints object of Service %s/%s "
			"disagree on the ready addresses for port %s", ns, s->meta.name,
			h4_sport(c->d, c->sport));
found:
	finding_fix(c->d, f, "check kube-controller-manager's endpointslice controller (logs, "
		    "--controllers) and recreate the Service's EndpointSlices");
	cmd_slices(c, f);
	finding_command(c->d, f, "kubectl get endpoints %s -n %s -o yaml", s->meta.name, ns);
}

/* ---- readiness ---- */

/* Do the Service's EndpointSlices or Endpoints list any pod? */
static bool endpoints_name_pods(struct check_ctx *c)
{
	struct h4_eps e = { 0 };
	bool any = false;

	if (have(c->m, K_ENDPOINTSLICE))
		h4_eps_from_slices(&e, c->m, c->svc, c->sport);
	else if (have(c->m, K_ENDPOINTS))
		h4_eps_from_endpoints(&e, c->m, c->svc, c->sport);
	for (size_t i = 0; i < e.n && !any; i++)
		any = *e.v[i].pod != '\0';
	h4_eps_release(&e);
	return any;
}

static void readiness(struct check_ctx *c, const char *pkey)
{
	const struct model *m = c->m;
	const struct service *s = c->svc;
	const char *ns = s->meta.ns;
	bool pods = have(m, K_POD);
	struct h4_eps e = { 0 };
	const char *src;
	size_t nlive = 0, nres = 0, ready, ready_pods = 0, unref_ready = 0, want;
	bool no_slice = false;
	const char *via;
	struct h4_eps none = { 0 };
	struct finding *f;

	if (pods && !c->npods) {
		const struct pod **all;
		/*
		 * No pod of the namespace at all while the Service's endpoints
		 * name pods: the input holds pods of other namespaces only.
		 */
		if (!model_pods_in(m, ns, &all) && endpoints_name_pods(c)) {
			diag_note(c->d, "the input holds no pod of namespace %s although Service "
				  "%s/%s has endpoints: its pods were judged from the endpoints "
				  "only",
				  ns, ns, s->meta.name);
			pods = false;
		}
	}
	if (pods) {
		if (!c->npods) {
			selector_no_match(c);
			return;
		}
		nres = check_target(c, pkey, &nlive);
	} else {
		diag_note(c->d, "Pods %s: the selector, targetPort and readiness of Service %s/%s "
			  "were judged from its endpoints only", absent_why(m, K_POD), ns,
			  s->meta.name);
	}

	if (have(m, K_ENDPOINTSLICE)) {
		src = "EndpointSlice";
		h4_eps_from_slices(&e, m, s, c->sport);
		/*
		 * No slice at all but an Endpoints object: judge readiness from
		 * it; endpointslice-mismatch reports the missing slices.
		 */
		if (!e.nobjects && have(m, K_ENDPOINTS) && model_endpoints(m, ns, s->meta.name)) {
			no_slice = true;
			src = "Endpoints";
			h4_eps_from_endpoints(&e, m, s, c->sport);
		}
	} else if (have(m, K_ENDPOINTS)) {
		src = "Endpoints";
		h4_eps_from_endpoints(&e, m, s, c->sport);
	} else if (pods) {
		src = "would-be";
		diag_note(c->d, "EndpointSlices and Endpoints %s: endpoint readiness of Service "
			  "%s/%s is computed from pod readiness%s", absent_why(m, K_ENDPOINTSLICE),
			  ns, s->meta.name,
			  s->publish_not_ready ? " (publishNotReadyAddresses)" : "");
		for (size_t i = 0; i < c->npods; i++) {
			const struct pod *p = c->pods[i];
			if (h4_pod_done(p) || !*p->pod_ip ||
			    (c->sport->target.kind == IS_STR &&
			     port_resolve_target(c->sport, p, NULL) < 0))
				continue;
			XGROW(e.v, e.cap, e.n + 1);
			e.v[e.n++] = (struct h4_ep){
				.key = p->meta.name, .ip = p->pod_ip, .pod = p->meta.name,
				.pod_uid = p->meta.uid ? p->meta.uid : "",
				.ready = !pod_is_terminating(p) &&
					 (s->publish_not_ready || pod_is_ready(p)),
				.terminating = pod_is_terminating(p),
			};
		}
	} else {
		diag_note(c->d, "Pods, EndpointSlices and Endpoints %s: the endpoints of Service "
			  "%s/%s were not checked", absent_why(m, K_POD), ns, s->meta.name);
		chain_hop(c->d, c->chain, HOP_ENDPOINTS, V_UNKNOWN, "endpoints not in the input");
		return;
	}

	via = !strcmp(src, "would-be") ? " (from pods)"
	    : no_slice ? " (from Endpoints: no EndpointSlice)" : "";
	ready = h4_eps_ready(&e);
	for (size_t i = 0; i < e.n; i++) {
		const struct pod *p;
		bool live = false;
		if (!e.v[i].ready)
			continue;
		if (!*e.v[i].pod) {
			unref_ready++;
			continue;
		}
		for (size_t k = 0; k < c->npods && !live; k++) {
			p = c->pods[k];
			live = !strcmp(p->meta.name, e.v[i].pod) && !h4_pod_done(p) &&
			       !pod_is_terminating(p);
		}
		ready_pods += live;
	}
	/* how many endpoints there should be */
	if (pods) {
		want = nres;
		ready_pods += unref_ready;
	} else {
		want = 0;
		for (size_t i = 0; i < e.n; i++)
			want += !e.v[i].terminating || e.v[i].ready;
		ready_pods = ready;
	}

	/*
	 * No ready endpoint. With pods: unless every live pod lacks a named
	 * targetPort (service-target-port-missing says it). Without: when
	 * endpoints exist at all.
	 */
	if (!ready && (pods ? want > 0 || nlive == 0 : e.n > 0)) {
		f = svc_finding(c, "service-no-ready-endpoints", SEV_ERROR, pkey);
		if (pods)
			finding_message(c->d, f, "Service %s/%s has no ready endpoint for port %s "
					"(%zu pod%s match, 0 ready)", ns, s->meta.name,
					h4_sport(c->d, c->sport), c->npods,
					c->npods == 1 ? "" : "s");
		else
			finding_message(c->d, f, "Service %s/%s has no ready endpoint for port %s "
					"(%zu endpoint%s, 0 ready)", ns, s->meta.name,
					h4_sport(c->d, c->sport), e.n, e.n == 1 ? "" : "s");
		if (!strcmp(src, "EndpointSlice") && !e.nobjects)
			finding_evidence(c->d, f, "no EndpointSlice for Service %s", s->meta.name);
		else if (!strcmp(src, "EndpointSlice") && !e.nport_objects)
			finding_evidence(c->d, f, "no EndpointSlice of %s has a port named \"%s\"",
					 s->meta.name, c->sport->name);
		for (size_t i = 0; i < c->npods && i < MAX_LISTED; i++) {
			const struct pod *p = c->pods[i];
			const struct condition *rc = pod_condition(p, "Ready");
			finding_evidence(c->d, f, "pod %s: phase %s, Ready %s%s%s%s", p->meta.name,
					 *p->phase ? p->phase : "?", rc ? rc->status : "unset",
					 rc && *rc->reason ? " (" : "", rc ? rc->reason : "",
					 rc && *rc->reason ? ")" : "");
		}
		if (!strcmp(src, "would-be"))
			finding_evidence(c->d, f, "endpoints computed from pod readiness "
					 "(EndpointSlices/Endpoints not in the input)");
		finding_fix(c->d, f, "make the pods behind Service %s/%s ready (see the pod and "
			    "probe findings)", ns, s->meta.name);
		cmd_slices(c, f);
		cmd_pods(c, f);
		chain_hop(c->d, c->chain, HOP_ENDPOINTS, V_FAIL,
			  "0/%zu endpoints ready for port %s%s",
			  pods ? want : e.n, pkey, via);
	} else if (ready && ready_pods < want) {
		f = svc_finding(c, "service-partially-ready", SEV_WARNING, pkey);
		finding_message(c->d, f, "Service %s/%s has %zu of %zu endpoints ready for port %s",
				ns, s->meta.name, ready_pods, want, h4_sport(c->d, c->sport));
		for (size_t i = 0; i < c->npods; i++) {
			const struct pod *p = c->pods[i];
			const struct h4_ep *x = h4_eps_find(&e, p->meta.name);
			if (h4_pod_done(p) || pod_is_terminating(p) || (x && x->ready))
				continue;
			finding_evidence(c->d, f, "pod %s: %s", p->meta.name,
					 !x ? "no endpoint" : pod_is_ready(p) ? "endpoint not ready"
					 : "not ready");
		}
		finding_fix(c->d, f, "find why the not-ready pods of Service %s/%s fail readiness "
			    "(see the pod and probe findings)", ns, s->meta.name);
		cmd_slices(c, f);
		cmd_pods(c, f);
		chain_hop(c->d, c->chain, HOP_ENDPOINTS, V_WARN,
			  "%zu/%zu endpoints ready for port %s%s",
			  ready_pods, want, pkey, via);
	} else {
		chain_hop(c->d, c->chain, HOP_ENDPOINTS, ready ? V_OK : V_UNKNOWN,
			  "%zu/%zu endpoints ready for port %s%s%s", ready, pods ? want : e.n, pkey,
			  via,
			  s->publish_not_ready ? " (publishNotReadyAddresses)" : "");
	}

	if (pods && strcmp(src, "would-be"))
		check_stale(c, &e, src);
	if (have(m, K_ENDPOINTSLICE))
		check_mismatch(c, no_slice ? &none : &e, pods ? nlive : 0);
	h4_eps_release(&e);
}

void check_endpoints(struct check_ctx *c)
{
	const struct service *s = c->svc;
	const char *pkey;

	if (!s) {
		chain_hop(c->d, c->chain, HOP_ENDPOINTS, V_SKIPPED, NULL);
		return;
	}
	if (s->type && !strcmp(s->type, "ExternalName")) {
		chain_hop(c->d, c->chain, HOP_ENDPOINTS, V_SKIPPED, "ExternalName: no endpoints");
		return;
	}
	if (!c->sport) {
		chain_hop(c->d, c->chain, HOP_ENDPOINTS, V_SKIPPED, "no Service port");
		return;
	}
	pkey = h4_sport_key(c->d, c->sport);
	if (!s->selector.n) {
		no_selector(c, pkey);
		return;
	}
	readiness(c, pkey);
}
