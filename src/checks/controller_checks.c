/*
 * controller_checks: the controller serving an Ingress's class, once per
 * Ingress (c->chain NULL, c->cls set by check_ingress): ingress-no-controller,
 * controller-unhealthy, controller-k8s-incompatible, controller-retired.
 * Controller knowledge (which pods, which version) comes from
 * src/controller/ through controller_for().
 */
#include "podfacts.h"
#include "../controller/controller.h"
#include "../controller/versions.h"
#include "../util/buf.h"

#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

static bool pod_serves(const struct pod *p)
{
	return !pod_is_terminating(p) && !pod_is_done(p) && p->phase &&
	       !strcmp(p->phase, "Running") && pod_is_ready(p);
}

/* Does the input hold pods outside ns? (If not, it was probably taken with -n.) */
static bool pods_outside(const struct model *m, const char *ns)
{
	const struct pod **in;

	return model_pods_in(m, ns, &in) < m->npods;   /* indexed: not a scan per Ingress */
}

static void no_controller(struct check_ctx *c, const struct controller_impl *ci,
			  const struct pod **pods, size_t n)
{
	const struct ingress *ing = c->ing;
	const struct ingressclass *cls = c->cls;
	struct finding *f;

	if (!n && !pods_outside(c->m, ing->meta.ns)) {
		diag_note(c->d, "the input holds pods of namespace %s only: whether the %s "
			  "controller of IngressClass %s runs could not be checked", ing->meta.ns,
			  ci->name, cls->meta.name);
		return;
	}
	f = check_finding(c, "ingress-no-controller", SEV_ERROR, HOP_INGRESS, "Ingress",
			  ing->meta.ns, ing->meta.name, NULL);
	if (!n) {
		finding_message(c->d, f, "Ingress %s/%s: no %s controller pod serves IngressClass %s "
				"(%s)", ing->meta.ns, ing->meta.name, ci->name, cls->meta.name,
				cls->controller);
		finding_evidence(c->d, f, "IngressClass %s: spec.controller %s; no pod in the input "
				 "(%zu pods) runs %s for it", cls->meta.name, cls->controller,
				 c->m->npods, ci->name);
	} else {
		finding_message(c->d, f, "Ingress %s/%s: none of the %zu %s controller pods for "
				"IngressClass %s is running and ready", ing->meta.ns, ing->meta.name,
				n, ci->name, cls->meta.name);
		for (size_t i = 0; i < n; i++)
			finding_evidence(c->d, f, "controller pod %s/%s: %s", pods[i]->meta.ns,
					 pods[i]->meta.name, pod_state_word(pods[i]));
	}
	finding_fix(c->d, f, "Install or repair the %s controller for IngressClass %s (or point "
		    "the Ingress at a class whose controller runs)", ci->name, cls->meta.name);
	finding_command(c->d, f, "kubectl get ingressclass %s -o yaml", cls->meta.name);
	finding_command(c->d, f, "kubectl get pods -A -l app.kubernetes.io/component=controller "
			"-o wide");
}

static void unhealthy(struct check_ctx *c, const struct controller_impl *ci,
		      const struct pod *p)
{
	struct finding *f = NULL;

	if (pod_is_terminating(p) || pod_is_done(p))
		return;
	for (uint32_t i = 0; i < p->nstatuses; i++) {
		const struct container_status *cs = &p->statuses[i];
		bool crash = cstatus_crashloop(cs);
		bool oom = cstatus_oomkilled(cs) && !cstatus_stable(cs, c->d->now);
		if (!crash && !oom)
			continue;
		if (!f)
			f = check_finding(c, "controller-unhealthy", SEV_ERROR, HOP_INGRESS, "Pod",
					  p->meta.ns, p->meta.name, NULL);
		finding_evidence(c->d, f, "controller pod %s: container %s%s, %d restarts, last %s",
				 p->meta.name, cs->name, crash ? " CrashLoopBackOff" : "",
				 cs->restarts, cstatus_last_exit(c->d, cs));
	}
	if (!pod_is_ready(p)) {
		const struct condition *rc = pod_condition(p, "Ready");
		if (!f)
			f = check_finding(c, "controller-unhealthy", SEV_ERROR, HOP_INGRESS, "Pod",
					  p->meta.ns, p->meta.name, NULL);
		finding_evidence(c->d, f, "controller pod %s: %s, Ready=%s%s%s", p->meta.name,
				 pod_state_word(p), rc ? rc->status : "unset",
				 rc && *rc->reason ? " " : "", rc ? rc->reason : "");
	}
	if (!f)
		return;
	finding_message(c->d, f, "%s controller pod %s/%s is unhealthy (%s)", ci->name,
			p->meta.ns, p->meta.name, pod_state_word(p));
	finding_fix(c->d, f, "Repair the controller pod: read its (previous) logs and events; "
		    "raise its memory limit if it was OOMKilled");
	finding_command(c->d, f, "kubectl describe pod %s -n %s", p->meta.name, p->meta.ns);
	finding_command(c->d, f, "kubectl logs %s -n %s --previous", p->meta.name, p->meta.ns);
}

/*
 * controller-k8s-incompatible and controller-retired are facts about the
 * controller installation (its version), not about one of its pods: one
 * finding per IngressClass served (kind IngressClass, namespace ""), whose
 * evidence names the pods and their versions. There is always a class here:
 * check_controller() runs only for an Ingress whose class check_ingress()
 * resolved to an IngressClass object, so class-less setups (GKE's
 * annotation classes, a missing class) get no controller checks at all and
 * need no other object. Several versions (an upgrade in progress) are
 * listed side by side.
 */
#define MAX_VERSIONS 8
#define MAX_NAMES 5

struct ctl_version {
	char ver[64];                 /* "" when the pod's version is unknown */
	const struct pod *first;      /* its first pod (namespace/name order) */
	size_t npods;
};

struct ctl_versions {
	struct ctl_version v[MAX_VERSIONS];
	size_t n;                     /* distinct versions kept */
};

/* Group the controller's live pods by version (at most MAX_VERSIONS groups). */
static void collect_versions(const struct controller_impl *ci, const struct pod **pods, size_t n,
			     struct ctl_versions *out)
{
	char ver[64];

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		size_t k;

		if (pod_is_done(pods[i]))
			continue;
		ci->version(pods[i], ver, sizeof(ver));
		for (k = 0; k < out->n; k++)
			if (!strcmp(out->v[k].ver, ver))
				break;
		if (k == out->n) {
			if (out->n == MAX_VERSIONS)
				continue;
			memcpy(out->v[k].ver, ver, sizeof(ver));
			out->v[k].first = pods[i];
			out->n++;
		}
		out->v[k].npods++;
	}
}

/* "ns/a, ns/b, ... (7 in all)": the live pods of one version, into the diag arena. */
static const char *version_pods(struct check_ctx *c, const struct controller_impl *ci,
				const struct pod **pods, size_t n, const struct ctl_version *cv)
{
	char ver[64];
	size_t shown = 0;
	struct buf b;
	const char *s;

	buf_init(&b, 4096);
	for (size_t i = 0; i < n && shown < MAX_NAMES; i++) {
		if (pod_is_done(pods[i]))
			continue;
		ci->version(pods[i], ver, sizeof(ver));
		if (strcmp(ver, cv->ver))
			continue;
		buf_addf(&b, "%s%s/%s", shown ? ", " : "", pods[i]->meta.ns, pods[i]->meta.name);
		shown++;
	}
	if (cv->npods > shown)
		buf_addf(&b, ", ... (%zu in all)", cv->npods);
	s = diag_strdup(c->d, b.p ? b.p : "");
	buf_release(&b);
	return s;
}

/* "controller pods ingress-nginx/a, ingress-nginx/b: version v1.12.1". */
static void version_evidence(struct check_ctx *c, struct finding *f,
			     const struct controller_impl *ci, const struct pod **pods, size_t n,
			     const struct ctl_version *cv)
{
	finding_evidence(c->d, f, "controller pod%s %s: version %s", cv->npods == 1 ? "" : "s",
			 version_pods(c, ci, pods, n, cv), *cv->ver ? cv->ver : "unknown");
}

/* The cluster's version: m->cluster_version, else the newest kubelet minor. */
static const char *k8s_version(const struct model *m, struct semver *out)
{
	const char *best = NULL;
	struct semver v;

	if (m->cluster_version && *m->cluster_version &&
	    !semver_parse(m->cluster_version, out))
		return m->cluster_version;
	for (size_t i = 0; i < m->nnodes; i++) {
		if (semver_parse(m->nodes[i].kubelet_version, &v))
			continue;
		if (!best || v.major > out->major || (v.major == out->major && v.minor > out->minor)) {
			*out = v;
			best = m->nodes[i].kubelet_version;
		}
	}
	return best;
}

/* controller-k8s-incompatible: fires when any running version is outside its support range. */
static void versions(struct check_ctx *c, const struct controller_impl *ci,
		     const struct pod **pods, size_t n, const struct ctl_versions *vs)
{
	const struct ingressclass *cls = c->cls;
	struct semver k8s, ctl;
	const char *kv = NULL;
	enum compat cp[MAX_VERSIONS];
	int lo[MAX_VERSIONS], hi[MAX_VERSIONS];
	size_t nbad = 0, nbroken = 0, nknown = 0;
	struct buf bad, all;
	struct finding *f;

	for (size_t k = 0; k < vs->n; k++) {
		cp[k] = COMPAT_UNKNOWN;
		lo[k] = hi[k] = 0;
		if (!*vs->v[k].ver || semver_parse(vs->v[k].ver, &ctl))
			continue;
		if (!nknown++) {
			kv = k8s_version(c->m, &k8s);
			if (!kv) {
				diag_note(c->d, "the cluster's Kubernetes version is unknown (no "
					  "version, no Node kubeletVersion in the input): "
					  "controller-k8s-incompatible could not run");
				return;
			}
		}
		cp[k] = controller_compat(ci, &ctl, &k8s, &lo[k], &hi[k]);
		if (cp[k] == COMPAT_UNTESTED || cp[k] == COMPAT_BROKEN) {
			nbad++;
			nbroken += cp[k] == COMPAT_BROKEN;
		}
	}
	if (!nbad)
		return;
	f = check_finding(c, "controller-k8s-incompatible", SEV_WARNING, HOP_INGRESS,
			  "IngressClass", "", cls->meta.name, NULL);
	if (f->message)
		return;   /* filled for an earlier Ingress of this class; now linked to this one */
	/* the versions the message names: the broken ones if any, else the untested ones */
	buf_init(&bad, 1024);
	for (size_t k = 0, i = 0; k < vs->n; k++)
		if (cp[k] == COMPAT_BROKEN || (!nbroken && cp[k] == COMPAT_UNTESTED))
			buf_addf(&bad, "%s%s", i++ ? ", " : "", vs->v[k].ver);
	buf_init(&all, 1024);
	if (vs->n > 1) {
		buf_addf(&all, "; %zu versions run:", vs->n);
		for (size_t k = 0; k < vs->n; k++)
			buf_addf(&all, "%s%s", k ? ", " : " ", *vs->v[k].ver ? vs->v[k].ver
										: "unknown");
	}
	if (nbroken)
		finding_message(c->d, f, "%s %s (IngressClass %s%s) cannot work on Kubernetes "
				"%d.%d: it uses the v1beta1 Ingress API removed in 1.22", ci->name,
				bad.p, cls->meta.name, all.p ? all.p : "", k8s.major, k8s.minor);
	else if (nbad == 1 && vs->n == 1 && hi[0])
		finding_message(c->d, f, "%s %s (IngressClass %s) is not supported on Kubernetes "
				"%d.%d (tested: 1.%d-1.%d)", ci->name, bad.p, cls->meta.name,
				k8s.major, k8s.minor, lo[0] ? lo[0] : hi[0], hi[0]);
	else
		finding_message(c->d, f, "%s %s (IngressClass %s%s) %s not supported on Kubernetes "
				"%d.%d", ci->name, bad.p, cls->meta.name, all.p ? all.p : "",
				nbad == 1 ? "is" : "are", k8s.major, k8s.minor);
	finding_evidence(c->d, f, "IngressClass %s: spec.controller %s; cluster version %s",
			 cls->meta.name, cls->controller, kv);
	for (size_t k = 0; k < vs->n; k++) {
		version_evidence(c, f, ci, pods, n, &vs->v[k]);
		if (cp[k] == COMPAT_BROKEN)
			finding_evidence(c->d, f, "%s %s: uses the v1beta1 Ingress API, removed in "
					 "Kubernetes 1.22", ci->name, vs->v[k].ver);
		else if (hi[k])
			finding_evidence(c->d, f, "%s %s support matrix: Kubernetes 1.%d to 1.%d%s",
					 ci->name, vs->v[k].ver, lo[k] ? lo[k] : hi[k], hi[k],
					 cp[k] == COMPAT_OK ? " (supported)" : "");
	}
	finding_fix(c->d, f, "Upgrade the %s controller to a release tested with Kubernetes "
		    "%d.%d", ci->name, k8s.major, k8s.minor);
	for (size_t k = 0; k < vs->n; k++)
		if (cp[k] == COMPAT_UNTESTED || cp[k] == COMPAT_BROKEN)
			finding_command(c->d, f, "kubectl get pod %s -n %s -o jsonpath="
					"'{.spec.containers[*].image}'", vs->v[k].first->meta.name,
					vs->v[k].first->meta.ns);
	finding_command(c->d, f, "kubectl version");
	buf_release(&bad);
	buf_release(&all);
}

/* controller-retired: one finding per IngressClass an ingress-nginx controller serves. */
static void retired(struct check_ctx *c, const struct controller_impl *ci,
		    const struct pod **pods, size_t n, const struct ctl_versions *vs)
{
	const struct ingressclass *cls = c->cls;
	struct finding *f;
	struct buf vers;
	size_t nver = 0;

	if (strcmp(ci->name, "ingress-nginx"))
		return;
	f = check_finding(c, "controller-retired", SEV_INFO, HOP_INGRESS, "IngressClass", "",
			  cls->meta.name, NULL);
	if (f->message)
		return;   /* filled for an earlier Ingress of this class; now linked to this one */
	buf_init(&vers, 1024);
	for (size_t k = 0; k < vs->n; k++)
		if (*vs->v[k].ver)
			buf_addf(&vers, "%s%s", nver++ ? ", " : " ", vs->v[k].ver);
	finding_message(c->d, f, "ingress-nginx%s (IngressClass %s) is retired since March 2026: "
			"no more releases, bug fixes or security fixes", vers.p ? vers.p : "",
			cls->meta.name);
	finding_evidence(c->d, f, "IngressClass %s: spec.controller %s", cls->meta.name,
			 cls->controller);
	for (size_t k = 0; k < vs->n; k++)
		version_evidence(c, f, ci, pods, n, &vs->v[k]);
	finding_evidence(c->d, f, "retirement announced 2025-11-11 by Kubernetes SIG Network and "
			 "the Security Response Committee; existing deployments keep working");
	finding_fix(c->d, f, "Plan a migration: a Gateway API implementation (Envoy Gateway, Istio, "
		    "Cilium, NGINX Gateway Fabric, Traefik) or F5 NGINX Ingress Controller");
	finding_command(c->d, f, "kubectl get ingressclass -o wide");
	buf_release(&vers);
}

void check_controller(struct check_ctx *c)
{
	const struct ingressclass *cls = c->cls;
	const struct controller_impl *ci;
	const struct pod **pods = NULL;
	struct ctl_versions vs = { .n = 0 };
	size_t n, nready = 0;

	if (!cls)
		return;
	ci = controller_for(cls->controller);
	if (!ci) {
		diag_note(c->d, "IngressClass %s names controller '%s', which ingress-doctor does not "
			  "know: its pods, health and version were not checked", cls->meta.name,
			  cls->controller);
		return;
	}
	if (ci->external)
		return;   /* runs outside the cluster: no pod to find */
	if (!c->m->present[K_POD] || c->m->forbidden[K_POD]) {
		diag_note(c->d, "Pod objects are %s: whether the %s controller runs could not be "
			  "checked", c->m->forbidden[K_POD] ? "forbidden" : "absent from the input",
			  ci->name);
		retired(c, ci, NULL, 0, &vs);
		return;
	}
	n = check_controller_pods(c, ci, cls->controller, &pods);
	for (size_t i = 0; i < n; i++)
		if (pod_serves(pods[i]))
			nready++;
	if (!nready)
		no_controller(c, ci, pods, n);
	for (size_t i = 0; i < n; i++)
		unhealthy(c, ci, pods[i]);
	collect_versions(ci, pods, n, &vs);
	versions(c, ci, pods, n, &vs);
	retired(c, ci, pods, n, &vs);
}
