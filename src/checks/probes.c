/*
 * probes: runbook step 2, the backend pods' probes and readiness:
 * readiness-probe-failing, liveness-probe-failing, probe-port-mismatch,
 * readiness-probe-missing, probe-initial-delay-short.
 *
 * Probe failures come from kubelet events (reason Unhealthy, "Readiness
 * probe failed: ..."; Killing "... failed liveness probe ..."), matched
 * to the pod by kind + namespace + name (+ uid) and to the container by
 * the event's fieldPath; readiness also from containerStatuses[].ready.
 */
#include "podfacts.h"

#include <string.h>

#include "../util/banned.h"

/* Failures within this long after a container start count as "during startup". */
#define STARTUP_WINDOW 180
/* A start-to-ready time longer than this is a later flap, not a slow start. */
#define STARTUP_MAX 600
/* Probe failures older than this (the default event TTL) do not explain 502s now. */
#define FRESH_SECONDS 3600

/* What we know about one container's probes. */
struct cfacts {
	const struct pod *p;
	const struct container *k;
	const struct container_status *cs;
	struct evdigest rd;     /* readiness failures */
	struct evdigest lv;     /* liveness failures */
	struct evdigest kill;   /* kills for failed liveness */
	ktime started;          /* current run's start, 0 unknown */
	bool running, ready;
	bool readiness_failing; /* failing now */
};

static const char *probe_desc(struct diag *d, const struct probe *pr, int32_t resolved)
{
	const char *port = pr->port.kind == IS_STR ? diag_printf(d, "port %s", pr->port.str)
			 : diag_printf(d, "port %d", pr->port.num);
	const char *res = pr->port.kind == IS_STR && resolved >= 0
			  ? diag_printf(d, " (%d)", resolved) : "";
	switch (pr->type) {
	case PROBE_HTTP:
		return diag_printf(d, "httpGet %s %s%s", *pr->path ? pr->path : "/", port, res);
	case PROBE_TCP:
		return diag_printf(d, "tcpSocket %s%s", port, res);
	case PROBE_GRPC:
		return diag_printf(d, "grpc %s", port);
	case PROBE_EXEC:
		return diag_printf(d, "exec %s", pr->command);
	default:
		return "none";
	}
}

/* "http/8080, metrics/9090" or "none". */
static const char *ports_text(struct diag *d, const struct container *k)
{
	const char *s = "";

	for (uint32_t j = 0; j < k->nports; j++)
		s = diag_printf(d, "%s%s%s%s%d", s, j ? ", " : "", k->ports[j].name,
				*k->ports[j].name ? "/" : "", k->ports[j].port);
	return *s ? s : "none";
}

static bool probe_has_port(const struct probe *pr)
{
	return pr->type == PROBE_HTTP || pr->type == PROBE_TCP || pr->type == PROBE_GRPC;
}

/* Does any container of the pod (containers and sidecars) declare this port number? */
static bool pod_declares(const struct pod *p, int32_t port, bool *any)
{
	*any = false;
	for (uint32_t i = 0; i < p->ncontainers; i++) {
		const struct container *k = &p->containers[i];
		if (k->init && !k->sidecar)
			continue;
		for (uint32_t j = 0; j < k->nports; j++) {
			*any = true;
			if (k->ports[j].port == port)
				return true;
		}
	}
	return false;
}

static void gather(struct check_ctx *c, const struct pod *p, const struct container *k,
		   struct cfacts *f)
{
	const struct probe *rp = &k->readiness;

	memset(f, 0, sizeof(*f));
	f->p = p;
	f->k = k;
	f->cs = pod_status(p, k->name);
	pod_events(c->m, p, "Unhealthy", "Readiness probe", NULL, k->name, &f->rd);
	pod_events(c->m, p, "Unhealthy", "Liveness probe", NULL, k->name, &f->lv);
	pod_events(c->m, p, "Killing", NULL, "failed liveness probe", k->name, &f->kill);
	if (f->cs) {
		f->running = f->cs->state.kind == CS_RUNNING;
		f->ready = f->cs->ready;
		f->started = f->running ? f->cs->state.started : 0;
	}
	if (f->running && !f->ready) {
		/* give the probe its first chance before calling it failing */
		int64_t grace = rp->type ? rp->initial_delay + rp->period : 0;
		if (!f->started || c->d->now - f->started >= grace)
			f->readiness_failing = true;
	} else if (f->ready && f->rd.newest && f->started &&
		   f->rd.last > f->started + STARTUP_WINDOW &&
		   c->d->now - f->rd.last <= FRESH_SECONDS) {
		/* ready now, yet failing again after startup: flapping */
		f->readiness_failing = true;
	}
}

static void cmds(struct check_ctx *c, struct finding *f, const struct pod *p, const char *cn)
{
	finding_command(c->d, f, "kubectl describe pod %s -n %s", p->meta.name, p->meta.ns);
	finding_command(c->d, f, "kubectl get events -n %s --field-selector "
			"involvedObject.kind=Pod,involvedObject.name=%s", p->meta.ns, p->meta.name);
	if (cn)
		finding_command(c->d, f, "kubectl logs %s -n %s -c %s", p->meta.name, p->meta.ns, cn);
}

static void readiness_failing(struct check_ctx *c, const struct cfacts *x)
{
	const struct pod *p = x->p;
	const struct probe *rp = &x->k->readiness;
	struct finding *f;

	if (!x->readiness_failing)
		return;
	f = check_finding(c, "readiness-probe-failing", SEV_ERROR, HOP_PODS, "Pod", p->meta.ns,
			  p->meta.name, x->k->name);
	if (x->rd.newest)
		finding_message(c->d, f, "Pod %s/%s container %s fails its readiness probe "
				"(x%ld, last %s)", p->meta.ns, p->meta.name, x->k->name, x->rd.count,
				ago_text(c->d, x->rd.last));
	else
		finding_message(c->d, f, "Pod %s/%s container %s is running but not ready",
				p->meta.ns, p->meta.name, x->k->name);
	if (x->rd.newest)
		finding_evidence(c->d, f, "pod %s: %s", p->meta.name, evdigest_text(c->d, &x->rd));
	finding_evidence(c->d, f, "pod %s: container %s ready=%s, running since %s; readiness "
			 "probe %s", p->meta.name, x->k->name, x->ready ? "true" : "false",
			 x->started ? ago_text(c->d, x->started) : "?",
			 probe_desc(c->d, rp, probe_port_resolve(rp, x->k)));
	if (!c->m->present[K_EVENT])
		finding_evidence(c->d, f, "Events are not in the input: the probe's output is "
				 "unknown");
	finding_fix(c->d, f, "Make the app answer its readiness check (%s) or fix the probe's "
		    "path, port and timeouts", probe_desc(c->d, rp, probe_port_resolve(rp, x->k)));
	cmds(c, f, p, x->k->name);
}

static void liveness_failing(struct check_ctx *c, const struct cfacts *x)
{
	const struct pod *p = x->p;
	struct finding *f;
	int restarts = x->cs ? x->cs->restarts : 0;

	if (!x->kill.newest && !(x->lv.newest && restarts > 0))
		return;
	/* killed days ago and stable since: history */
	if (x->cs && cstatus_stable(x->cs, c->d->now) &&
	    c->d->now - (x->lv.last > x->kill.last ? x->lv.last : x->kill.last) > FRESH_SECONDS)
		return;
	f = check_finding(c, "liveness-probe-failing", SEV_WARNING, HOP_PODS, "Pod", p->meta.ns,
			  p->meta.name, x->k->name);
	finding_message(c->d, f, "Pod %s/%s container %s is restarted by its liveness probe "
			"(%d restarts)", p->meta.ns, p->meta.name, x->k->name, restarts);
	if (x->lv.newest)
		finding_evidence(c->d, f, "pod %s: %s", p->meta.name, evdigest_text(c->d, &x->lv));
	if (x->kill.newest)
		finding_evidence(c->d, f, "pod %s: Killing: %s", p->meta.name,
				 evdigest_text(c->d, &x->kill));
	finding_evidence(c->d, f, "pod %s: container %s liveness probe %s, restartCount %d",
			 p->meta.name, x->k->name,
			 probe_desc(c->d, &x->k->liveness, probe_port_resolve(&x->k->liveness, x->k)),
			 restarts);
	finding_fix(c->d, f, "Make the liveness check cheap and independent of dependencies, and "
		    "give it a larger timeoutSeconds/failureThreshold (or a startupProbe)");
	cmds(c, f, p, x->k->name);
	finding_command(c->d, f, "kubectl logs %s -n %s -c %s --previous", p->meta.name,
			p->meta.ns, x->k->name);
}

static struct finding *port_finding(struct check_ctx *c, const struct pod *p,
				    const struct container *k, enum severity sev)
{
	struct finding *f = check_finding(c, "probe-port-mismatch", sev, HOP_PODS, "Pod",
					  p->meta.ns, p->meta.name, k->name);
	cmds(c, f, p, NULL);
	return f;
}

static void port_mismatch(struct check_ctx *c, const struct cfacts *x,
			  const struct container *owner, int32_t target)
{
	static const char *const names[] = { "readiness", "liveness", "startup" };
	const struct probe *probes[] = { &x->k->readiness, &x->k->liveness, &x->k->startup };
	const struct pod *p = x->p;
	struct finding *f;

	for (size_t i = 0; i < 3; i++) {
		const struct probe *pr = probes[i];
		int32_t port;
		bool any;
		if (!probe_has_port(pr))
			continue;
		port = probe_port_resolve(pr, x->k);
		if (port < 0 && pr->port.kind == IS_STR) {
			f = port_finding(c, p, x->k, SEV_ERROR);
			finding_message(c->d, f, "Pod %s/%s container %s: %s probe names port '%s', "
					"which the container does not declare", p->meta.ns,
					p->meta.name, x->k->name, names[i], pr->port.str);
			finding_evidence(c->d, f, "pod %s: container %s %s probe %s; container ports: %s",
					 p->meta.name, x->k->name, names[i],
					 probe_desc(c->d, pr, -1), ports_text(c->d, x->k));
			finding_fix(c->d, f, "Point the %s probe at a port name declared in container "
				    "%s's ports (or use the number)", names[i], x->k->name);
			continue;
		}
		if (i != 0 || port < 0)
			continue;
		if (x->readiness_failing && !pod_declares(p, port, &any) && any) {
			f = port_finding(c, p, x->k, SEV_ERROR);
			finding_message(c->d, f, "Pod %s/%s container %s: failing readiness probe checks "
					"port %d, which no container of the pod declares",
					p->meta.ns, p->meta.name, x->k->name, port);
			finding_evidence(c->d, f, "pod %s: container %s readiness probe %s", p->meta.name,
					 x->k->name, probe_desc(c->d, pr, port));
			finding_fix(c->d, f, "Probe the port the app listens on%s",
				    target > 0 ? diag_printf(c->d, " (traffic goes to %d)", target) : "");
		} else if (!x->readiness_failing && x->ready && owner == x->k && target > 0 &&
			   port != target) {
			f = port_finding(c, p, x->k, SEV_WARNING);
			finding_message(c->d, f, "Pod %s/%s container %s: readiness probe checks port "
					"%d but traffic goes to port %d", p->meta.ns, p->meta.name,
					x->k->name, port, target);
			finding_evidence(c->d, f, "pod %s: container %s readiness probe %s; Service %s/%s "
					 "port %d -> target %d", p->meta.name, x->k->name,
					 probe_desc(c->d, pr, port), c->svc->meta.ns, c->svc->meta.name,
					 c->sport->port, target);
			finding_fix(c->d, f, "Probe the port that serves traffic (%d), so the pod is "
				    "only ready when that port answers", target);
		}
	}
}

static void readiness_missing(struct check_ctx *c, const struct cfacts *x)
{
	const struct pod *p = x->p;
	struct finding *f;

	if (x->k->readiness.type != PROBE_NONE)
		return;
	f = check_finding(c, "readiness-probe-missing", SEV_WARNING, HOP_PODS, "Pod", p->meta.ns,
			  p->meta.name, x->k->name);
	finding_message(c->d, f, "Pod %s/%s container %s has no readiness probe: it gets traffic "
			"before the app listens", p->meta.ns, p->meta.name, x->k->name);
	finding_evidence(c->d, f, "pod %s: container %s: readinessProbe unset%s", p->meta.name,
			 x->k->name, x->k->liveness.type ? " (a livenessProbe is set)" : "");
	finding_fix(c->d, f, "Add a readinessProbe on the serving port of container %s",
		    x->k->name);
	finding_command(c->d, f, "kubectl get pod %s -n %s -o jsonpath='{.spec.containers[*]"
			".readinessProbe}'", p->meta.name, p->meta.ns);
}

/* How long a probe lets a start take: initialDelaySeconds + failureThreshold x periodSeconds. */
static int64_t budget(const struct probe *pr)
{
	return (int64_t)pr->initial_delay + (int64_t)pr->failure * pr->period;
}

static void initial_delay(struct check_ctx *c, const struct cfacts *x)
{
	const struct pod *p = x->p;
	const struct probe *lp = &x->k->liveness, *rp = &x->k->readiness;
	const struct condition *rc = pod_condition(p, "Ready");
	const struct evdigest *startup = NULL;
	const char *which = NULL, *bname = "";
	const struct probe *bp = NULL;
	int64_t took = -1;
	struct finding *f;

	if (x->k->startup.type != PROBE_NONE || (!lp->type && !rp->type))
		return;
	/* (a) failures only in the first minutes of the current run */
	if (x->ready && x->started && x->rd.newest && x->rd.last >= x->started &&
	    x->rd.last <= x->started + STARTUP_WINDOW && !x->readiness_failing &&
	    c->d->now - x->rd.last <= FRESH_SECONDS) {
		startup = &x->rd;
		which = "readiness";
	}
	if (x->started && x->lv.newest && x->lv.last >= x->started &&
	    x->lv.last <= x->started + STARTUP_WINDOW) {
		startup = &x->lv;
		which = "liveness";
	}
	/* (a') every run killed by the liveness probe within its first minutes */
	if (!startup && x->kill.newest && x->cs && x->cs->last.kind == CS_TERMINATED &&
	    x->cs->last.started && x->cs->last.finished >= x->cs->last.started &&
	    x->cs->last.finished - x->cs->last.started <= STARTUP_WINDOW) {
		startup = &x->kill;
		which = "liveness";
	}
	/*
	 * (b) the app took longer to become ready than a probe allows
	 * (initialDelaySeconds + failureThreshold x periodSeconds): the
	 * liveness probe kills such starts, the readiness probe fails them.
	 */
	if (x->ready && x->started && rc && !strcmp(rc->status, "True") &&
	    rc->transition >= x->started && rc->transition - x->started <= STARTUP_MAX) {
		int64_t t = rc->transition - x->started;
		if (lp->type && t > budget(lp)) {
			took = t;
			bp = lp;
			bname = "liveness";
		} else if (rp->type && t > budget(rp)) {
			took = t;
			bp = rp;
			bname = "readiness";
		}
	}
	if (!startup && took < 0)
		return;
	f = check_finding(c, "probe-initial-delay-short", SEV_WARNING, HOP_PODS, "Pod",
			  p->meta.ns, p->meta.name, x->k->name);
	if (took >= 0) {
		finding_message(c->d, f, "Pod %s/%s container %s needs %llds to become ready, longer "
				"than its %s probe allows (%llds)", p->meta.ns, p->meta.name,
				x->k->name, (long long)took, bname, (long long)budget(bp));
		finding_evidence(c->d, f, "pod %s: container %s started %s, Ready %llds later; %s "
				 "probe initialDelaySeconds %d + failureThreshold %d x periodSeconds "
				 "%d = %llds", p->meta.name, x->k->name, ago_text(c->d, x->started),
				 (long long)took, bname, bp->initial_delay, bp->failure, bp->period,
				 (long long)budget(bp));
	} else {
		finding_message(c->d, f, "Pod %s/%s container %s fails its %s probe only while "
				"starting: the app needs longer to start than the probe allows",
				p->meta.ns, p->meta.name, x->k->name, which);
	}
	if (startup)
		finding_evidence(c->d, f, "pod %s: %s; container running since %s", p->meta.name,
				 evdigest_text(c->d, startup), ago_text(c->d, x->started));
	finding_fix(c->d, f, "Add a startupProbe (or raise initialDelaySeconds/failureThreshold) "
		    "on container %s so slow starts are not failed or killed", x->k->name);
	cmds(c, f, p, NULL);
}

void check_probes(struct check_ctx *c)
{
	if (!c->chain)
		return;
	if (!c->m->present[K_POD] || c->m->forbidden[K_POD]) {
		diag_note(c->d, "Pod objects are %s: probe checks (readiness-*, liveness-*, probe-*) "
			  "could not run", c->m->forbidden[K_POD] ? "forbidden (grant list on pods)"
			  : "absent from the input");
		pods_hop(c);
		return;
	}
	if (!c->m->present[K_EVENT] && c->npods)
		diag_note(c->d, "Events are absent from the input: probe failures are judged from "
			  "container readiness only (add `kubectl get events -A -o json`)");
	for (size_t i = 0; i < c->npods; i++) {
		const struct pod *p = c->pods[i];
		const struct container *owner = NULL;
		int32_t target = -1;
		uint32_t nregular = 0;

		if (pod_is_done(p) || pod_is_terminating(p))
			continue;
		if (c->sport)
			target = port_resolve_target(c->sport, p, &owner);
		for (uint32_t k = 0; k < p->ncontainers; k++)
			if (!p->containers[k].init)
				nregular++;
		for (uint32_t k = 0; k < p->ncontainers; k++) {
			const struct container *ct = &p->containers[k];
			struct cfacts x;
			bool serving;
			if (ct->init && !ct->sidecar)
				continue;
			gather(c, p, ct, &x);
			serving = owner ? owner == ct : (!ct->init && nregular == 1);
			readiness_failing(c, &x);
			liveness_failing(c, &x);
			port_mismatch(c, &x, owner, target);
			if (serving) {
				readiness_missing(c, &x);
				initial_delay(c, &x);
			}
		}
	}
	pods_hop(c);
}
