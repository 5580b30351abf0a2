/*
 * logjoin_config: the joins that judge rollouts and the controller's
 * configuration against the logs (logjoin.h): log evidence on
 * rollout-no-prestop (502s in the minutes pods were killed, failures to
 * addresses that were gone), controller-config-retries and
 * controller-config-connect-timeout, and the effective value of the setting
 * behind other log findings (proxy-buffer-size, backend-protocol,
 * proxy-read-timeout) as their evidence. The controller's settings come
 * through the controller interface (controller.h: settings()).
 */
#include "logjoin_int.h"
#include "../controller/controller.h"
#include "../logs/classify.h"

#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

/* ------------------------------------------------------------------ */
/* rollout-no-prestop */

/* Services routed by a chain that select p, in chain order, at most max. */
static size_t routed_services(const struct model *m, const struct diag *d, const struct pod *p,
			      const struct service **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nchains && n < max; i++) {
		const struct chain *ch = d->chains[i];
		const struct service *svc;
		bool seen = false;
		if (strcmp(ch->ns, p->meta.ns) || !*ch->service)
			continue;
		svc = model_service(m, ch->ns, ch->service);
		for (size_t k = 0; k < n; k++)
			seen |= out[k] == svc;
		if (svc && !seen && service_selects(svc, p))
			out[n++] = svc;
	}
	return n;
}

void lj_prestop_evidence(struct check_ctx *c, const struct log_stats *s,
			 const struct service *svc, uint64_t failed, uint64_t addrs)
{
	(void)s;
	for (size_t i = 0; i < c->d->nfindings; i++) {
		struct finding *f = c->d->findings[i];
		const struct pod *p;
		if (strcmp(f->id, "rollout-no-prestop") || strcmp(f->kind, "Pod") ||
		    strcmp(f->ns, svc->meta.ns))
			continue;
		p = model_pod(c->m, f->ns, f->name);
		if (!p || !service_selects(svc, p))
			continue;
		finding_evidence(c->d, f, "controller logs: %llu failed attempt(s) to %llu "
				 "address(es) of Service %s that are no current "
				 "ready endpoint: requests sent to pods that were going away "
				 "(upstream-unknown-endpoint)", (unsigned long long)failed,
				 (unsigned long long)addrs, svc->meta.name);
	}
}

/*
 * The part of a pod name shared by the pods of one workload across
 * rollouts: "web-7d9f8b6c5-abcde" -> "web-" (Deployment: drop the
 * ReplicaSet hash and the suffix), "db-0" -> "db-" (StatefulSet).
 */
static size_t workload_prefix(const char *name)
{
	const char *last = strrchr(name, '-'), *prev = NULL;

	if (!last)
		return 0;
	for (const char *q = name; q < last; q++)
		if (*q == '-')
			prev = q;
	return (size_t)((prev ? prev : last) - name) + 1;
}

/* Is the event about a pod of the same workload as p, selected by svc when still known? */
static bool event_of(const struct model *m, const struct event *e, const struct pod *p,
		     const struct service *svc)
{
	const struct pod *q;
	size_t n;

	if (strcmp(e->reason, "Killing") || strcmp(e->involved.kind, "Pod") ||
	    strcmp(e->involved.ns, p->meta.ns))
		return false;
	q = model_pod(m, e->involved.ns, e->involved.name);
	if (q)
		return service_selects(svc, q);
	n = workload_prefix(p->meta.name);
	return n && !strncmp(e->involved.name, p->meta.name, n);
}

/* 502s of the log timeline in minutes [from, to]. */
static uint64_t s502_between(const struct log_stats *s, int64_t from, int64_t to)
{
	uint64_t n = 0;

	for (size_t i = 0; i < s->ntimeline; i++)
		if (s->timeline[i]->minute >= from && s->timeline[i]->minute <= to)
			n += s->timeline[i]->s502;
	return n;
}

static void burst_evidence(struct diag *d, struct finding *f, const struct log_stats *s,
			   const char *what, const char *pod, ktime t0, ktime t1, int *shown)
{
	char a[32], b[32];
	uint64_t n;

	if (*shown >= 3 || !t0)
		return;
	n = s502_between(s, t0 / 60 - 1, t1 / 60 + 1);
	if (!n)
		return;
	ktime_format(t0 - 60, a, sizeof(a));
	ktime_format(t1 + 60, b, sizeof(b));
	finding_evidence(d, f, "controller logs: %llu 502(s) between %s and %s, when pod %s %s",
			 (unsigned long long)n, a, b, pod, what);
	(*shown)++;
}

void lj_prestop_bursts(struct check_ctx *c, const struct log_stats *s)
{
	const struct model *m = c->m;

	if (!s->ntimeline)
		return;
	for (size_t i = 0; i < c->d->nfindings; i++) {
		struct finding *f = c->d->findings[i];
		const struct service *svcs[8];
		const struct pod *p;
		size_t nsvc;
		int shown = 0;
		if (strcmp(f->id, "rollout-no-prestop") || strcmp(f->kind, "Pod"))
			continue;
		p = model_pod(m, f->ns, f->name);
		if (!p)
			continue;
		nsvc = routed_services(m, c->d, p, svcs, 8);
		for (size_t k = 0; k < nsvc; k++) {
			for (size_t e = 0; e < m->nevents; e++) {
				const struct event *ev = &m->events[e];
				if (!event_of(m, ev, p, svcs[k]))
					continue;
				burst_evidence(c->d, f, s, diag_printf(c->d, "was killed (event "
						"Killing x%d: %s)", ev->count, ev->message),
					       ev->involved.name, ev->first ? ev->first : ev->last,
					       ev->last ? ev->last : ev->first, &shown);
			}
			for (size_t q = 0; q < m->npods; q++) {
				const struct pod *t = &m->pods[q];
				ktime start;
				if (!pod_is_terminating(t) || strcmp(t->meta.ns, p->meta.ns) ||
				    !service_selects(svcs[k], t))
					continue;
				/* deletionTimestamp is the end of the grace period */
				start = t->meta.deleted - t->grace_seconds;
				burst_evidence(c->d, f, s, "was terminating", t->meta.name, start,
					       t->meta.deleted, &shown);
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* controller configuration */

/* Is w one of the blank-separated words of v? */
static bool has_word(const char *v, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = v; (p = strstr(p, w)) != NULL; p += n)
		if ((p == v || p[-1] == ' ' || p[-1] == '\t') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\t'))
			return true;
	return false;
}

/* Leading seconds of a timeout value ("5", "5s"); -1 when none. */
static long seconds(const char *v)
{
	char *end;
	long n;

	if (!v || *v < '0' || *v > '9')
		return -1;
	n = strtol(v, &end, 10);
	if (*end == 'm')
		n *= 60;
	return n;
}

/* The IngressClass of ing: named (spec or annotation) or the default one. */
static const struct ingressclass *class_of(const struct model *m, const struct ingress *ing)
{
	const char *name = *ing->class_name ? ing->class_name : ing->class_annotation;

	if (name && *name)
		return model_ingressclass(m, name);
	for (size_t i = 0; i < m->nclasses; i++)
		if (m->classes[i].is_default)
			return &m->classes[i];
	return NULL;
}

/* The controller implementation and one of its pods serving ing (pod may be NULL). */
static const struct controller_impl *controller_of(struct check_ctx *c, const struct ingress *ing,
						   const struct pod **pod)
{
	const struct ingressclass *cls = class_of(c->m, ing);
	const struct controller_impl *ci = cls ? controller_for(cls->controller) : NULL;
	const char *cc = cls ? cls->controller : "";
	const struct pod **pods;

	*pod = NULL;
	if (!ci) {
		/* the logs are nginx lines: an ingress-nginx setup without an IngressClass */
		for (size_t i = 0; controller_impls[i] && !ci; i++)
			if (controller_impls[i]->nginx_logs && controller_impls[i]->settings)
				ci = controller_impls[i];
		cc = "";
	}
	if (!ci || !ci->settings)
		return NULL;
	if (check_controller_pods(c, ci, cc, &pods))
		*pod = pods[0];
	return ci;
}

static const char *source_text(struct diag *d, const struct ctl_settings *cs,
			       const struct ctl_setting *st, const struct ingress *ing)
{
	switch (st->source) {
	case CSRC_ANNOTATION:
		return diag_printf(d, "annotation %s on Ingress %s/%s", st->annotation,
				   ing->meta.ns, ing->meta.name);
	case CSRC_CONFIGMAP:
		return diag_printf(d, "ConfigMap %s/%s", cs->cm->meta.ns, cs->cm->meta.name);
	default:
		return "default";
	}
}

/* The object a setting is fixed on: the Ingress, the ConfigMap, else the controller pod. */
static struct finding *config_finding(struct check_ctx *c, const char *id,
				      const struct ctl_settings *cs, const struct ctl_setting *st,
				      const struct ingress *ing, const struct pod *pod)
{
	if (st->source == CSRC_ANNOTATION)
		return finding_get(c->d, id, SEV_INFO, HOP_INGRESS, "Ingress", ing->meta.ns,
				   ing->meta.name, NULL);
	if (cs->cm)
		return finding_get(c->d, id, SEV_INFO, HOP_INGRESS, "ConfigMap", cs->cm->meta.ns,
				   cs->cm->meta.name, NULL);
	if (pod)
		return finding_get(c->d, id, SEV_INFO, HOP_INGRESS, "Pod", pod->meta.ns,
				   pod->meta.name, NULL);
	return finding_get(c->d, id, SEV_INFO, HOP_INGRESS, "Ingress", ing->meta.ns,
			   ing->meta.name, NULL);
}

static void config_commands(struct check_ctx *c, struct finding *f, const struct ctl_settings *cs,
			    const struct ctl_setting *st, const struct ingress *ing)
{
	if (st->source == CSRC_ANNOTATION || !cs->cm)
		finding_command(c->d, f, "kubectl get ingress %s -n %s -o jsonpath="
				"'{.metadata.annotations}'", ing->meta.name, ing->meta.ns);
	if (cs->cm)
		finding_command(c->d, f, "kubectl get configmap %s -n %s -o yaml",
				cs->cm->meta.name, cs->cm->meta.ns);
}

static void retries(struct check_ctx *c, const struct ls_upstream *u, const struct chain *ch,
		    const struct ingress *ing, const struct ctl_settings *cs, const struct pod *pod)
{
	const struct ctl_setting *nu = &cs->v[CS_NEXT_UPSTREAM], *tr = &cs->v[CS_NEXT_TRIES];
	const struct ctl_setting *ni = &cs->v[CS_RETRY_NONIDEM], *su = &cs->v[CS_SERVICE_UPSTREAM];
	bool off = has_word(nu->value, "off");
	bool lacks = !off && (!has_word(nu->value, "error") || !has_word(nu->value, "timeout"));
	bool one = seconds(tr->value) == 1;
	const struct ctl_setting *bad = off || lacks ? nu : tr;
	struct finding *f;

	if (!u->s502 || !(u->status[2] + u->status[3]) || !(off || lacks || one))
		return;
	f = config_finding(c, "controller-config-retries", cs, bad, ing, pod);
	if (off)
		finding_message(c->d, f, "Retries are off (%s \"%s\", %s) while the controller logs "
				"show intermittent 502s: a failed connection is not retried on "
				"another endpoint", nu->key, nu->value, source_text(c->d, cs, nu, ing));
	else if (lacks)
		finding_message(c->d, f, "%s \"%s\" (%s) does not retry on error and timeout while "
				"the controller logs show intermittent 502s", nu->key, nu->value,
				source_text(c->d, cs, nu, ing));
	else
		finding_message(c->d, f, "%s is 1 (%s): no retry on another endpoint while the "
				"controller logs show intermittent 502s", tr->key,
				source_text(c->d, cs, tr, ing));
	finding_evidence(c->d, f, "upstream %s (Ingress %s/%s, path %s%s): %llu of %llu requests "
			 "got 502", u->name, ch->ns, ch->ingress, ch->host, ch->path,
			 (unsigned long long)u->s502, (unsigned long long)u->requests);
	finding_evidence(c->d, f, "%s: current \"%s\" (%s), recommended \"error timeout\"",
			 nu->key, nu->value, source_text(c->d, cs, nu, ing));
	finding_evidence(c->d, f, "%s: current %s (%s), recommended 3", tr->key, tr->value,
			 source_text(c->d, cs, tr, ing));
	finding_evidence(c->d, f, "reason: with retries on error and timeout, a request that "
			 "meets a refusing, resetting or vanished pod is sent to another endpoint "
			 "instead of answering 502; POST, PATCH and LOCK are not retried once sent "
			 "unless %s is true (current: %s, %s)", ni->key, ni->value,
			 source_text(c->d, cs, ni, ing));
	if (u->nonidem)
		finding_evidence(c->d, f, "upstream %s: %llu POST/PATCH request(s) got 502 without "
				 "a retry", u->name, (unsigned long long)u->nonidem);
	if (has_word(su->value, "true"))
		finding_evidence(c->d, f, "%s is true (%s): nginx has one upstream (the ClusterIP), "
				 "so retries cannot reach another pod", su->key,
				 source_text(c->d, cs, su, ing));
	if (bad->source == CSRC_ANNOTATION)
		finding_fix(c->d, f, "set the annotation %s to \"%s\" on Ingress %s/%s (or remove it)",
			    bad->annotation, bad == nu ? "error timeout" : "3", ing->meta.ns,
			    ing->meta.name);
	else
		finding_fix(c->d, f, "set %s: \"error timeout\" and %s: \"3\" in the controller "
			    "ConfigMap", nu->key, tr->key);
	config_commands(c, f, cs, bad, ing);
	finding_link(c->d, f, ch->ns, ch->ingress, (struct chain *)ch);
}

static void connect_timeout(struct check_ctx *c, const struct log_stats *s,
			    const struct ls_upstream *u, const struct chain *ch,
			    const struct ingress *ing, const struct ctl_settings *cs,
			    const struct pod *pod)
{
	const struct ctl_setting *ct = &cs->v[CS_CONNECT_TIMEOUT], *tr = &cs->v[CS_NEXT_TRIES];
	uint64_t n = s->errors ? u->cls[LC_CONNECT_TIMEOUT] : u->cls[LC_A_CONNECT_TIMEOUT];
	long cur = seconds(ct->value), tries = seconds(tr->value);
	struct finding *f;

	if (!n)
		return;
	f = config_finding(c, "controller-config-connect-timeout", cs, ct, ing, pod);
	finding_message(c->d, f, "Upstream connects time out (%s %s, %s): %llu connect "
			"timeout(s) in the controller logs", ct->key, ct->value,
			source_text(c->d, cs, ct, ing), (unsigned long long)n);
	finding_evidence(c->d, f, "upstream %s (Ingress %s/%s, path %s%s): %llu connect "
			 "timeout(s); longest failed attempt %llu.%03llu s", u->name, ch->ns,
			 ch->ingress, ch->host, ch->path, (unsigned long long)n,
			 (unsigned long long)(u->slow_ms / 1000),
			 (unsigned long long)(u->slow_ms % 1000));
	if (cur >= 0 && cur < 5) {
		finding_evidence(c->d, f, "%s: current %s (%s), recommended 5 (the default)",
				 ct->key, ct->value, source_text(c->d, cs, ct, ing));
		finding_evidence(c->d, f, "reason: below the default, a pod that is slow to "
				 "accept under load is given up on: 504");
		finding_fix(c->d, f, "raise %s to \"5\"", ct->key);
	} else {
		finding_evidence(c->d, f, "%s: current %s (%s), recommended %s", ct->key, ct->value,
				 source_text(c->d, cs, ct, ing), cur > 5 ? "5" : "5 (keep)");
		finding_evidence(c->d, f, "reason: connects that do not complete in %ld s are "
				 "dropped SYNs (NetworkPolicy, security group, dead node: see "
				 "upstream-connect-timeout); a longer timeout only delays the 504 "
				 "(up to %ld s with %s %ld)", cur, cur * (tries > 0 ? tries : 1),
				 tr->key, tries);
		finding_fix(c->d, f, "fix the network path to the pods (upstream-connect-timeout); "
			    "keep %s at 5 s or lower so retries move on sooner", ct->key);
	}
	config_commands(c, f, cs, ct, ing);
	finding_link(c->d, f, ch->ns, ch->ingress, (struct chain *)ch);
}

/* Add the effective value of setting k to the log finding id on chain ch, if any. */
static void setting_evidence(struct check_ctx *c, const struct chain *ch, const char *id,
			     const struct ctl_settings *cs, int k, const struct ingress *ing,
			     const char *advice)
{
	const struct ctl_setting *st = &cs->v[k];

	for (size_t i = 0; i < ch->nfindings; i++)
		if (!strcmp(ch->findings[i]->id, id))
			finding_evidence(c->d, ch->findings[i], "%s for Ingress %s/%s: current \"%s\" "
					 "(%s)%s", st->key, ing->meta.ns, ing->meta.name, st->value,
					 source_text(c->d, cs, st, ing), advice);
}

void lj_config(struct check_ctx *c, const struct log_stats *s, bool scoped)
{
	(void)scoped;   /* only chains of the diagnosis are judged */
	for (size_t i = 0; i < s->nup; i++) {
		const struct ls_upstream *u = s->up_sorted[i];
		struct upstream_ref ref;
		if (!ls_5xx(u) && !u->cls[LC_CONNECT_TIMEOUT] && !u->cls[LC_A_CONNECT_TIMEOUT])
			continue;
		if (!logjoin_upstream(c->m, u->name, &ref))
			continue;
		for (size_t k = 0; k < c->d->nchains; k++) {
			const struct chain *ch = c->d->chains[k];
			const struct ingress *ing;
			const struct controller_impl *ci;
			const struct pod *pod;
			struct ctl_settings cs;
			if (!lj_chain_routes(ch, ref.svc, ref.sport))
				continue;
			ing = model_ingress(c->m, ch->ns, ch->ingress);
			if (!ing || !(ci = controller_of(c, ing, &pod)))
				continue;
			ci->settings(c->m, pod, ing, &cs);
			setting_evidence(c, ch, "upstream-header-too-big", &cs, CS_BUFFER_SIZE, ing,
					 ", recommended 16k or more");
			setting_evidence(c, ch, "upstream-ssl-error", &cs, CS_BACKEND_PROTOCOL, ing, "");
			setting_evidence(c, ch, "ingress-backend-protocol-mismatch", &cs,
					 CS_BACKEND_PROTOCOL, ing, "");
			setting_evidence(c, ch, "upstream-read-timeout", &cs, CS_READ_TIMEOUT, ing, "");
			retries(c, u, ch, ing, &cs, pod);
			connect_timeout(c, s, u, ch, ing, &cs, pod);
		}
	}
}
