/*
 * target: the live read of named Ingresses (live.h, `diagnose NS/NAME`):
 * fetch only what their paths need, in rounds, each round's requests in
 * parallel:
 *
 *   1. GET each Ingress; list IngressClasses; the controllers' pods by
 *      label app.kubernetes.io/component=controller in every namespace;
 *   2. per backend namespace one page (2n+8 items, n its backend
 *      Services) of its Services and of its Endpoints (endpointslice-
 *      mismatch compares them with the slices), the EndpointSlices of its
 *      Services in one list (kubernetes.io/service-name in (a,b)), GET
 *      each TLS Secret (metadata only) and controller ConfigMap
 *      (--configmap), the Pod events (fieldSelector involvedObject.kind=Pod)
 *      and NetworkPolicies of the namespaces involved; every pod of the
 *      cluster when the labelled pods hold no controller for some
 *      Ingress's class (an unlabelled controller, a class-less Ingress:
 *      a pod not found must not become "no controller");
 *   2b. in a namespace larger than its page, GET the backend Services and
 *      Endpoints the page did not hold;
 *   3. the pods the Services select: one list per namespace by the
 *      selectors' common keys (k=v, k in (a,b): a superset of the union),
 *      else one per distinct selector;
 *   4. every pod of the namespace when a Service has no selector or its
 *      selector matches none (near-miss evidence), the Services of the
 *      namespace when one is missing and its page was not the whole
 *      namespace (name suggestions), its EndpointSlices when a Service
 *      has none;
 *   5. the nodes the pods run on by label kubernetes.io/hostname in
 *      (names); events and policies of namespaces added since round 2;
 *   6. GET each node the label list did not return, and each namespace
 *      involved when a NetworkPolicy exists (namespaceSelectors).
 *
 * This file sends the rounds; target_items.c reads what they return.
 *
 * The checks only look up these objects, so a kind is reported seen
 * (kind_seen) when every request for it was answered: a 404 on a GET is
 * proof the object is missing, a selector list is proof of what the
 * selector matches. A 403 marks the kind forbidden (live.c).
 */
#include "target_int.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

/* The value of key (klen bytes) in a selector "k=v,k2=v2", its length in *n; NULL absent. */
static const char *sel_value(const char *sel, const char *key, size_t klen, size_t *n)
{
	const char *p = sel;

	while (*p) {
		const char *eq = strchr(p, '='), *end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		if (eq && eq < end && (size_t)(eq - p) == klen && !strncmp(p, key, klen)) {
			*n = (size_t)(end - eq - 1);
			return eq + 1;
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

/*
 * One labelSelector for the pods of every Service of namespace ns: for
 * each key that all their selectors have, "k=v" when they agree, else
 * "k in (v1,v2)". It selects a superset of the union of what the
 * Services select (exactly the union when they differ in one key), so
 * one list proves what each of them selects. NULL when fewer than two
 * Services of ns have a selector or no key is common to all.
 */
static char *joint_selector(struct target *t, const char *ns)
{
	const struct tsvc *first = NULL;
	struct buf b, vals;
	size_t n = 0;
	const char *p;

	for (size_t i = 0; i < t->nsvcs; i++) {
		if (strcmp(t->svcs[i]->ns, ns) || !t->svcs[i]->selector)
			continue;
		if (!first)
			first = t->svcs[i];
		n++;
	}
	if (n < 2)
		return NULL;
	buf_init(&b, 0);
	buf_init(&vals, 0);
	for (p = first->selector; *p;) {
		const char *eq = strchr(p, '='), *end = strchr(p, ',');
		size_t klen, ndist = 0;
		bool common = true;
		if (!end)
			end = p + strlen(p);
		if (!eq || eq > end)
			break;
		klen = (size_t)(eq - p);
		buf_reset(&vals);
		for (size_t i = 0; i < t->nsvcs && common; i++) {
			const struct tsvc *v = t->svcs[i];
			const char *val;
			size_t vn;
			char *key;
			if (strcmp(v->ns, ns) || !v->selector)
				continue;
			val = sel_value(v->selector, p, klen, &vn);
			if (!val) {
				common = false;
				break;
			}
			/* distinct values, as ",a,b," */
			key = xasprintf(",%.*s,", (int)vn, val);
			if (!vals.len || !strstr(vals.p, key)) {
				buf_addf(&vals, "%s%.*s,", vals.len ? "" : ",", (int)vn, val);
				ndist++;
			}
			free(key);
		}
		if (common && ndist <= SET_MAX) {
			if (b.len)
				buf_add(&b, ",");
			if (ndist == 1)
				buf_addf(&b, "%.*s", (int)(end - p), p);
			else
				buf_addf(&b, "%.*s in (%.*s)", (int)klen, p, (int)(vals.len - 2),
					 vals.p + 1);
		}
		p = *end ? end + 1 : end;
	}
	buf_release(&vals);
	if (!b.len) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static void submit(struct target *t, enum kind k, const char *ns, const char *name,
		   const char *label, const char *field, int role, void *tag, bool partial)
{
	struct live_req_opts o = {
		.ns = ns && *ns ? ns : NULL, .name = name, .label = label, .field = field,
		.partial = partial, .targeted = true, .role = role, .tag = tag,
	};

	if (t->l->skip[k])
		return;
	live_submit(t->l, k, &o);
}

/* One page (limit items) of kind k in ns; *more is set when the namespace holds more. */
static void submit_page(struct target *t, enum kind k, const char *ns, unsigned limit, int role,
			bool *more)
{
	struct live_req_opts o = {
		.ns = ns, .targeted = true, .role = role, .limit = limit, .more = more,
	};

	if (t->l->skip[k])
		return;
	live_submit(t->l, k, &o);
}

static struct tns *tns_get(struct target *t, const char *ns)
{
	struct tns *x;

	for (size_t i = 0; i < t->ntns; i++)
		if (!strcmp(t->tns[i]->ns, ns))
			return t->tns[i];
	x = xcalloc(1, sizeof(*x));
	x->ns = xstrdup(ns);
	XGROW(t->tns, t->captns, t->ntns + 1);
	t->tns[t->ntns++] = x;
	return x;
}

/* The events and NetworkPolicies of the namespaces involved, and the ConfigMaps, not yet asked. */
static void submit_ns_kinds(struct target *t)
{
	for (; t->nss_done < t->nss.n; t->nss_done++) {
		const char *ns = t->nss.v[t->nss_done].name;
		submit(t, K_EVENT, ns, NULL, NULL, "involvedObject.kind=Pod", R_NONE, NULL, false);
		submit(t, K_NETWORKPOLICY, ns, NULL, NULL, NULL, R_NETPOL, NULL, false);
	}
	for (; t->cms_done < t->cms.n; t->cms_done++)
		submit(t, K_CONFIGMAP, t->cms.v[t->cms_done].ns, t->cms.v[t->cms_done].name, NULL,
		       NULL, R_NONE, NULL, false);
}

/*
 * The nodes the pods run on: one list by label kubernetes.io/hostname in
 * (names) (the kubelet sets it, usually to the node's name); the nodes it
 * does not return are asked by name in the next round (a 404 proves one
 * missing), as are names too long for a label value.
 */
static void submit_nodes(struct target *t)
{
	struct buf sel;
	size_t n = 0;

	if (!t->nodes.n) {
		/* no pod is scheduled: still learn whether nodes can be read (the hop
		 * says "no scheduled pods", not "nodes unknown"); the label matches none */
		submit(t, K_NODE, NULL, NULL, "ingress-doctor.invalid/probe", NULL, R_NONE, NULL,
		       false);
		return;
	}
	buf_init(&sel, 0);
	for (size_t i = 0; i <= t->nodes.n; i++) {
		if (n && (i == t->nodes.n || n == SET_MAX)) {
			char *q = xasprintf("kubernetes.io/hostname in (%s)", sel.p);
			submit(t, K_NODE, NULL, NULL, q, NULL, R_NODE, NULL, false);
			free(q);
			buf_reset(&sel);
			n = 0;
		}
		if (i < t->nodes.n && strlen(t->nodes.v[i].name) <= LABEL_VALUE_MAX)
			buf_addf(&sel, "%s%s", n++ ? "," : "", t->nodes.v[i].name);
	}
	buf_release(&sel);
}

/* The backend pods of namespace ns (round 3). */
static void submit_pods(struct target *t, const char *ns)
{
	char *joint = joint_selector(t, ns);

	if (joint) {
		submit(t, K_POD, ns, NULL, joint, NULL, R_BACKEND_POD, NULL, false);
		free(joint);
		return;
	}
	/* no common key: one list per distinct selector */
	for (size_t i = 0; i < t->nsvcs; i++) {
		const struct tsvc *v = t->svcs[i];
		bool dup = false;
		if (strcmp(v->ns, ns) || !v->selector)
			continue;
		for (size_t k = 0; k < i && !dup; k++)
			dup = !strcmp(t->svcs[k]->ns, ns) && t->svcs[k]->selector &&
			      !strcmp(t->svcs[k]->selector, v->selector);
		if (!dup)
			submit(t, K_POD, ns, NULL, v->selector, NULL, R_BACKEND_POD, NULL, false);
	}
}

/* The rounds (see the top of the file). */
static int rounds(struct target *t, struct err *err)
{
	struct live *l = t->l;
	const struct live_scope *s = l->scope;
	struct kc_client *cl = l->cl;
	bool more = false;

	/* 1 */
	for (size_t i = 0; i < s->nnames; i++) {
		const char *nm = s->names[i], *slash = strchr(nm, '/');
		char *ns = slash ? xstrndup(nm, (size_t)(slash - nm)) : xstrdup(s->ns);
		submit(t, K_INGRESS, ns, slash ? slash + 1 : nm, NULL, NULL, R_INGRESS, NULL, false);
		tg_pairs_add(&t->nss, "", ns);
		free(ns);
	}
	submit(t, K_INGRESSCLASS, NULL, NULL, NULL, NULL, R_CLASS, NULL, false);
	submit(t, K_POD, NULL, NULL, "app.kubernetes.io/component=controller", NULL, R_CTL_POD,
	       NULL, true);
	if (kc_client_run(cl, err) < 0)
		return -1;

	/*
	 * 2: per namespace, one page of its Services and of its Endpoints,
	 * large enough for a namespace of up to 2n+8 of them (n: the backend
	 * Services there): one request instead of n GETs each; in a larger
	 * namespace the rest is asked by name below (2b). Endpoints are read
	 * with the slices: endpointslice-mismatch compares the two.
	 */
	for (size_t i = 0; i < t->nsvcs; i++)
		tns_get(t, t->svcs[i]->ns)->n++;
	for (size_t i = 0; i < t->ntns; i++) {
		struct tns *x = t->tns[i];
		unsigned lim = (unsigned)(x->n < 200 ? 2 * x->n + 8 : 500);
		submit_page(t, K_SERVICE, x->ns, lim, R_SERVICE, &x->more_svc);
		submit_page(t, K_ENDPOINTS, x->ns, lim, R_ENDPOINTS, &x->more_ep);
	}
	/* the EndpointSlices of every Service of a namespace in one list:
	 * kubernetes.io/service-name in (a,b) */
	for (size_t i = 0; i < t->ntns; i++) {
		const char *ns = t->tns[i]->ns;
		struct buf sel;
		size_t n = 0;
		buf_init(&sel, 0);
		for (size_t k = 0; k < t->nsvcs; k++) {
			if (strcmp(t->svcs[k]->ns, ns))
				continue;
			if (n == SET_MAX) {
				char *q = xasprintf("kubernetes.io/service-name in (%s)", sel.p);
				submit(t, K_ENDPOINTSLICE, ns, NULL, q, NULL, R_SLICES, NULL, false);
				free(q);
				buf_reset(&sel);
				n = 0;
			}
			buf_addf(&sel, "%s%s", n++ ? "," : "", t->svcs[k]->name);
		}
		{
			char *q = n == 1 ? xasprintf("kubernetes.io/service-name=%s", sel.p)
					 : xasprintf("kubernetes.io/service-name in (%s)", sel.p);
			submit(t, K_ENDPOINTSLICE, ns, NULL, q, NULL, R_SLICES, NULL, false);
			free(q);
		}
		buf_release(&sel);
	}
	for (size_t i = 0; i < t->secrets.n; i++)
		submit(t, K_SECRET, t->secrets.v[i].ns, t->secrets.v[i].name, NULL, NULL, R_NONE,
		       NULL, false);
	submit_ns_kinds(t);
	if (tg_need_all_pods(t))
		submit(t, K_POD, NULL, NULL, NULL, NULL, R_ANY_POD, NULL, true);
	if (kc_client_run(cl, err) < 0)
		return -1;

	/* 2b: a namespace larger than its page: the backend Services and Endpoints not on it */
	for (size_t i = 0; i < t->nsvcs; i++) {
		struct tsvc *v = t->svcs[i];
		struct tns *x = tns_get(t, v->ns);
		if (x->more_svc && !v->found) {
			submit(t, K_SERVICE, v->ns, v->name, NULL, NULL, R_SERVICE, v, false);
			more = true;
		}
		if (x->more_ep && !v->have_ep) {
			submit(t, K_ENDPOINTS, v->ns, v->name, NULL, NULL, R_ENDPOINTS, v, false);
			more = true;
		}
	}
	if (more && kc_client_run(cl, err) < 0)
		return -1;

	/* 3 */
	for (size_t i = 0; i < t->nsvcs; i++) {
		struct tsvc *v = t->svcs[i];
		/* a missing Service of a namespace not read whole: its Services (suggestions) */
		if (!v->found && tns_get(t, v->ns)->more_svc)
			tg_pairs_add(&t->svc_ns, "", v->ns);
		else if (v->want_ns_pods)
			tg_pairs_add(&t->pod_ns, "", v->ns);
	}
	for (size_t i = 0; i < t->ntns; i++)
		submit_pods(t, t->tns[i]->ns);
	if (kc_client_run(cl, err) < 0)
		return -1;

	/* 4 */
	for (size_t i = 0; i < t->nsvcs; i++) {
		if (t->svcs[i]->selector && !t->svcs[i]->npods)
			tg_pairs_add(&t->pod_ns, "", t->svcs[i]->ns);
		/* "other Services of the namespace have slices" is evidence */
		if (t->svcs[i]->found && !t->svcs[i]->nslices)
			tg_pairs_add(&t->slice_ns, "", t->svcs[i]->ns);
	}
	for (size_t i = 0; i < t->pod_ns.n; i++)
		submit(t, K_POD, t->pod_ns.v[i].name, NULL, NULL, NULL, R_NS_POD, NULL, false);
	for (size_t i = 0; i < t->svc_ns.n; i++)
		submit(t, K_SERVICE, t->svc_ns.v[i].name, NULL, NULL, NULL, R_NONE, NULL, false);
	for (size_t i = 0; i < t->slice_ns.n; i++)
		submit(t, K_ENDPOINTSLICE, t->slice_ns.v[i].name, NULL, NULL, NULL, R_NONE, NULL,
		       false);
	if ((t->pod_ns.n || t->svc_ns.n || t->slice_ns.n) && kc_client_run(cl, err) < 0)
		return -1;

	/* 5: the nodes; what namespaces the later rounds added */
	submit_nodes(t);
	submit_ns_kinds(t);
	if (kc_client_run(cl, err) < 0)
		return -1;

	/*
	 * 6: nodes the label list did not return, by name; the namespaces
	 * involved only when a NetworkPolicy is (its namespaceSelectors are
	 * matched against their labels; nothing else reads Namespaces).
	 */
	more = false;
	for (size_t i = 0; i < t->nodes.n; i++) {
		bool seen = false;
		for (size_t k = 0; k < t->nodes_seen.n && !seen; k++)
			seen = !strcmp(t->nodes_seen.v[k].name, t->nodes.v[i].name);
		if (!seen) {
			submit(t, K_NODE, NULL, t->nodes.v[i].name, NULL, NULL, R_NONE, NULL, false);
			more = true;
		}
	}
	for (size_t i = 0; t->any_netpol && i < t->nss.n; i++) {
		submit(t, K_NAMESPACE, NULL, t->nss.v[i].name, NULL, NULL, R_NONE, NULL, false);
		more = true;
	}
	return more ? kc_client_run(cl, err) : 0;
}

int live_read_targeted(struct live *l, struct err *err)
{
	static const enum kind covered[] = {
		K_INGRESS, K_INGRESSCLASS, K_SERVICE, K_ENDPOINTSLICE, K_ENDPOINTS, K_POD, K_NODE,
		K_EVENT, K_NETWORKPOLICY, K_NAMESPACE, K_SECRET, K_CONFIGMAP,
	};
	struct target t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.l = l;
	warnings_init(&t.scratch_warn);
	model_init(&t.scratch, &t.scratch_warn);
	l->on_item = tg_on_item;
	l->tctx = &t;
	rc = rounds(&t, err);
	if (rc == 0) {
		for (size_t i = 0; i < sizeof(covered) / sizeof(covered[0]); i++) {
			enum kind k = covered[i];
			if (l->skip[k] || l->res->forbidden[k] || l->not_served[k] ||
			    (k == K_NAMESPACE && !t.any_netpol))
				continue;
			l->res->listed[k] = true;
			if (l->sink->kind_seen)
				l->sink->kind_seen(l->sink->ctx, kind_name(k));
		}
	}
	l->on_item = NULL;
	l->tctx = NULL;
	for (size_t i = 0; i < t.nsvcs; i++) {
		free(t.svcs[i]->ns);
		free(t.svcs[i]->name);
		free(t.svcs[i]->selector);
		free(t.svcs[i]);
	}
	free(t.svcs);
	tg_pairs_release(&t.secrets);
	tg_pairs_release(&t.nodes);
	tg_pairs_release(&t.nss);
	tg_pairs_release(&t.cms);
	tg_pairs_release(&t.svc_ns);
	tg_pairs_release(&t.pod_ns);
	tg_pairs_release(&t.slice_ns);
	tg_pairs_release(&t.nodes_seen);
	for (size_t i = 0; i < t.ntns; i++) {
		free(t.tns[i]->ns);
		free(t.tns[i]);
	}
	free(t.tns);
	model_release(&t.scratch);
	warnings_release(&t.scratch_warn);
	return rc;
}
