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

static void versions(struct check_ctx *c, const struct controller_impl *ci,
		     const struct pod **pods, size_t n)
{
	struct semver k8s, ctl;
	const char *kv = k8s_version(c->m, &k8s);
	char ver[64], seen[4][64];
	size_t nseen = 0;

	for (size_t i = 0; i < n; i++) {
		const struct pod *p = pods[i];
		enum compat cp;
		int lo, hi;
		bool dup = false;
		struct finding *f;

		if (pod_is_done(p))
			continue;
		ci->version(p, ver, sizeof(ver));
		if (!*ver || semver_parse(ver, &ctl))
			continue;
		if (!kv) {
			diag_note(c->d, "the cluster's Kubernetes version is unknown (no version, no "
				  "Node kubeletVersion in the input): controller-k8s-incompatible "
				  "could not run");
			return;
		}
		for (size_t k = 0; k < nseen; k++)
			dup = dup || !strcmp(seen[k], ver);
		if (dup)
			continue;
		if (nseen < 4)
			memcpy(seen[nseen++], ver, sizeof(ver));
		cp = controller_compat(ci, &ctl, &k8s, &lo, &hi);
		if (cp == COMPAT_OK || cp == COMPAT_UNKNOWN)
			continue;
		f = check_finding(c, "controller-k8s-incompatible", SEV_WARNING, HOP_INGRESS, "Pod",
				  p->meta.ns, p->meta.name, NULL);
		if (cp == COMPAT_BROKEN) {
			finding_message(c->d, f, "%s %s (pod %s/%s) cannot work on Kubernetes %d.%d: "
					"it uses the v1beta1 Ingress API removed in 1.22", ci->name, ver,
					p->meta.ns, p->meta.name, k8s.major, k8s.minor);
		} else {
			finding_message(c->d, f, "%s %s (pod %s/%s) is not supported on Kubernetes "
					"%d.%d (tested: 1.%d-1.%d)", ci->name, ver, p->meta.ns,
					p->meta.name, k8s.major, k8s.minor, lo, hi);
		}
		finding_evidence(c->d, f, "controller pod %s: version %s; cluster version %s", p->meta.name,
				 ver, kv);
		if (hi)
			finding_evidence(c->d, f, "%s %s support matrix: Kubernetes 1.%d to 1.%d",
					 ci->name, ver, lo ? lo : hi, hi);
		finding_fix(c->d, f, "Upgrade the %s controller to a release tested with Kubernetes "
			    "%d.%d", ci->name, k8s.major, k8s.minor);
		finding_command(c->d, f, "kubectl get pod %s -n %s -o jsonpath='{.spec.containers[*]"
				".image}'", p->meta.name, p->meta.ns);
		finding_command(c->d, f, "kubectl version");
	}
}

/* The retirement notice on one object (a controller pod, or the class when no pod is known). */
static void retired_on(struct check_ctx *c, const struct controller_impl *ci,
		       const struct pod *p)
{
	struct finding *f;
	char ver[64] = "";

	if (p) {
		f = check_finding(c, "controller-retired", SEV_INFO, HOP_INGRESS, "Pod", p->meta.ns,
				  p->meta.name, NULL);
		ci->version(p, ver, sizeof(ver));
	} else {
		f = check_finding(c, "controller-retired", SEV_INFO, HOP_INGRESS, "IngressClass", "",
				  c->cls->meta.name, NULL);
	}
	finding_message(c->d, f, "ingress-nginx%s%s is retired since March 2026: no more releases, "
			"bug fixes or security fixes", *ver ? " " : "", ver);
	finding_evidence(c->d, f, "IngressClass %s: spec.controller %s%s", c->cls->meta.name,
			 c->cls->controller, p ? diag_printf(c->d, "; controller pod %s/%s",
			 p->meta.ns, p->meta.name) : "");
	finding_evidence(c->d, f, "retirement announced 2025-11-11 by Kubernetes SIG Network and "
			 "the Security Response Committee; existing deployments keep working");
	finding_fix(c->d, f, "Plan a migration: a Gateway API implementation (Envoy Gateway, Istio, "
		    "Cilium, NGINX Gateway Fabric, Traefik) or F5 NGINX Ingress Controller");
	finding_command(c->d, f, "kubectl get ingressclass -o wide");
}

/* controller-retired: one finding per (live) controller pod, like every controller id. */
static void retired(struct check_ctx *c, const struct controller_impl *ci,
		    const struct pod **pods, size_t n)
{
	bool any = false;

	if (strcmp(ci->name, "ingress-nginx"))
		return;
	for (size_t i = 0; i < n; i++)
		if (!pod_is_done(pods[i])) {
			retired_on(c, ci, pods[i]);
			any = true;
		}
	if (!any)
		retired_on(c, ci, NULL);
}

void check_controller(struct check_ctx *c)
{
	const struct ingressclass *cls = c->cls;
	const struct controller_impl *ci;
	const struct pod **pods = NULL;
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
		retired(c, ci, NULL, 0);
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
	versions(c, ci, pods, n);
	retired(c, ci, pods, n);
}
