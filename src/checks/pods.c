/*
 * pods: runbook step 6, the health of the backend pods (c->pods, the
 * pods the Service selects): pod-crashloop, pod-oomkilled, pod-evicted,
 * pod-pending (also a Running pod whose container cannot be created),
 * pod-restarting, pod-no-resources, rollout-no-prestop.
 * Also the pod facts shared with probes.c, nodes.c and
 * controller_checks.c (podfacts.h).
 */
#include "podfacts.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

/* A container restarted this often is "restarting repeatedly". */
#define RESTART_THRESHOLD 3
/* A pod Pending this long without a clear error is "stuck". */
#define PENDING_STUCK_SECONDS 300
/* A container running this long since its last start is stable (cstatus_stable). */
#define STABLE_SECONDS 86400
/* A grace period below this leaves no room for a preStop pause and a graceful exit. */
#define GRACE_MIN_SECONDS 5

/* ------------------------------------------------------------------ */
/* shared facts (podfacts.h) */

/* Does an event's fieldPath ("spec.containers{app}") name this container? */
static bool field_path_is(const char *fp, const char *container)
{
	const char *b;
	size_t n;

	if (!container || !fp || !*fp)
		return true;
	b = strchr(fp, '{');
	if (!b)
		return true;
	n = strlen(container);
	return !strncmp(b + 1, container, n) && b[1 + n] == '}';
}

void pod_events(const struct model *m, const struct pod *p, const char *reason,
		const char *prefix, const char *substr, const char *container,
		struct evdigest *out)
{
	const struct event **ev;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!m->present[K_EVENT] && !m->nevents)
		return;
	n = model_events_for(m, "Pod", p->meta.ns, p->meta.name, p->meta.uid, &ev);
	for (size_t i = 0; i < n; i++) {
		const struct event *e = ev[i];
		const char *msg = e->message ? e->message : "";
		if (reason && (!e->reason || strcmp(e->reason, reason)))
			continue;
		if (prefix && strncmp(msg, prefix, strlen(prefix)))
			continue;
		if (substr && !strstr(msg, substr))
			continue;
		if (!field_path_is(e->field_path, container))
			continue;
		if (!out->newest || e->last > out->newest->last)
			out->newest = e;
		out->count += e->count > 0 ? e->count : 1;
		if (e->first && (!out->first || e->first < out->first))
			out->first = e->first;
		if (e->last > out->last)
			out->last = e->last;
	}
}

const char *ago_text(struct diag *d, ktime t)
{
	char b[32];

	if (!t || !d->now)
		return "";
	ktime_ago(d->now > t ? d->now - t : 0, b, sizeof(b));
	return diag_printf(d, "%s ago", b);
}

const char *evdigest_text(struct diag *d, const struct evdigest *e)
{
	const char *ago;

	if (!e->newest)
		return "";
	ago = ago_text(d, e->last);
	return diag_printf(d, "%s (x%ld%s%s)", e->newest->message, e->count,
			   *ago ? ", last " : "", ago);
}

bool pod_is_done(const struct pod *p)
{
	return p->phase && (!strcmp(p->phase, "Failed") || !strcmp(p->phase, "Succeeded"));
}

bool cstatus_crashloop(const struct container_status *cs)
{
	return cs->state.kind == CS_WAITING && cs->state.reason &&
	       !strcmp(cs->state.reason, "CrashLoopBackOff");
}

bool cstatus_oomkilled(const struct container_status *cs)
{
	return (cs->last.kind == CS_TERMINATED && cs->last.reason &&
		!strcmp(cs->last.reason, "OOMKilled")) ||
	       (cs->state.kind == CS_TERMINATED && cs->state.reason &&
		!strcmp(cs->state.reason, "OOMKilled"));
}

bool cstatus_stable(const struct container_status *cs, ktime now)
{
	return cs->state.kind == CS_RUNNING && cs->state.started && now &&
	       now - cs->state.started >= STABLE_SECONDS;
}

const char *cstatus_last_exit(struct diag *d, const struct container_status *cs)
{
	const struct cstate *t = cs->last.kind == CS_TERMINATED ? &cs->last
			       : cs->state.kind == CS_TERMINATED ? &cs->state : NULL;
	const char *ago;

	if (!t)
		return "";
	ago = ago_text(d, t->finished);
	return diag_printf(d, "exit code %d%s%s%s%s%s", t->exit_code,
			   t->reason && *t->reason ? " (" : "", t->reason ? t->reason : "",
			   t->reason && *t->reason ? ")" : "", *ago ? " " : "", ago);
}

const struct container *pod_container(const struct pod *p, const char *name)
{
	for (uint32_t i = 0; i < p->ncontainers; i++)
		if (!strcmp(p->containers[i].name, name))
			return &p->containers[i];
	return NULL;
}

/* The reason a container waits that says more than "not ready", or NULL. */
static const char *bad_waiting(const struct pod *p)
{
	static const char *const order[] = {
		"CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName",
		"CreateContainerConfigError", "CreateContainerError", "RunContainerError",
	};
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (uint32_t i = 0; i < p->nstatuses; i++) {
			const struct container_status *cs = &p->statuses[i];
			if (cs->state.kind == CS_WAITING && cs->state.reason &&
			    !strcmp(cs->state.reason, order[k]))
				return order[k];
		}
	return NULL;
}

const char *pod_state_word(const struct pod *p)
{
	const char *w;

	if (pod_is_terminating(p))
		return "Terminating";
	if (p->phase && !strcmp(p->phase, "Failed"))
		return p->reason && !strcmp(p->reason, "Evicted") ? "Evicted" : "Failed";
	if (p->phase && !strcmp(p->phase, "Succeeded"))
		return "Completed";
	w = bad_waiting(p);
	if (w)
		return w;
	if (p->phase && !strcmp(p->phase, "Pending"))
		return "Pending";
	return pod_is_ready(p) ? "Ready" : "NotReady";
}

void pods_hop(struct check_ctx *c)
{
	const char *words[16];
	size_t counts[16], nw = 0, ready = 0, live = 0;
	struct buf b;
	enum verdict v;

	if (!c->chain)
		return;
	if (!c->m->present[K_POD] || c->m->forbidden[K_POD]) {
		chain_hop(c->d, c->chain, HOP_PODS, c->m->forbidden[K_POD] ? V_SKIPPED : V_UNKNOWN,
			  "pods not in the input");
		return;
	}
	if (!c->svc || !c->svc->selector.n) {
		chain_hop(c->d, c->chain, HOP_PODS, V_SKIPPED, "no selector: pods not checked");
		return;
	}
	for (size_t i = 0; i < c->npods; i++) {
		const char *w = pod_state_word(c->pods[i]);
		size_t k;
		if (!strcmp(w, "Ready"))
			ready++;
		if (!pod_is_done(c->pods[i]) && !pod_is_terminating(c->pods[i]))
			live++;
		for (k = 0; k < nw; k++)
			if (!strcmp(words[k], w))
				break;
		if (k == nw) {
			if (nw == 16)
				continue;
			words[nw] = w;
			counts[nw++] = 0;
		}
		counts[k]++;
	}
	buf_init(&b, 1024);
	buf_addf(&b, "%zu pod%s", c->npods, c->npods == 1 ? "" : "s");
	for (size_t k = 0; k < nw; k++)
		buf_addf(&b, "%s%zu %s", k ? ", " : ": ", counts[k], words[k]);
	if (!c->npods)
		v = V_FAIL;
	else if (ready == live)
		v = V_OK;
	else
		v = ready ? V_WARN : V_FAIL;
	chain_hop(c->d, c->chain, HOP_PODS, v, "%s", b.p ? b.p : "");
	buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* the checks */

static void describe_cmd(struct check_ctx *c, struct finding *f, const struct pod *p)
{
	finding_command(c->d, f, "kubectl describe pod %s -n %s", p->meta.name, p->meta.ns);
}

static void check_evicted(struct check_ctx *c, const struct pod *p)
{
	struct finding *f;

	if (!p->phase || strcmp(p->phase, "Failed") || !p->reason || strcmp(p->reason, "Evicted"))
		return;
	f = check_finding(c, "pod-evicted", SEV_WARNING, HOP_PODS, "Pod", p->meta.ns,
			  p->meta.name, NULL);
	finding_message(c->d, f, "Pod %s/%s was evicted%s%s", p->meta.ns, p->meta.name,
			p->node && *p->node ? " from node " : "", p->node ? p->node : "");
	if (p->message && *p->message)
		finding_evidence(c->d, f, "pod %s: status.reason Evicted: %s", p->meta.name,
				 p->message);
	else
		finding_evidence(c->d, f, "pod %s: phase Failed, reason Evicted", p->meta.name);
	finding_fix(c->d, f, "Set memory/ephemeral-storage requests that match real usage, relieve "
		    "the node's pressure, then delete the evicted pod");
	describe_cmd(c, f, p);
	finding_command(c->d, f, "kubectl get pods -n %s --field-selector=status.phase=Failed",
			p->meta.ns);
}

/* Waiting reasons of a container the kubelet cannot pull, create or start. */
static const char *const pull_errors[] = { "ErrImagePull", "ImagePullBackOff", "InvalidImageName" };
static const char *const create_errors[] = { "CreateContainerConfigError", "CreateContainerError",
					      "RunContainerError" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The first container status of p waiting on a pull or create error (see
 * above), or NULL; *is_pull says which kind.
 */
static const struct container_status *start_error(const struct pod *p, bool *is_pull)
{
	for (uint32_t i = 0; i < p->nstatuses; i++) {
		const struct container_status *cs = &p->statuses[i];
		if (cs->state.kind != CS_WAITING || !cs->state.reason)
			continue;
		for (size_t k = 0; k < NELEM(pull_errors); k++)
			if (!strcmp(cs->state.reason, pull_errors[k])) {
				*is_pull = true;
				return cs;
			}
		for (size_t k = 0; k < NELEM(create_errors); k++)
			if (!strcmp(cs->state.reason, create_errors[k])) {
				*is_pull = false;
				return cs;
			}
	}
	return NULL;
}

static const char *start_error_fix(bool is_pull)
{
	return is_pull ? "Fix the image name/tag or the registry credentials (imagePullSecrets)"
		       : "Create the ConfigMap/Secret (and keys) the container references, or "
			 "fix its command";
}

/*
 * Evidence for a container waiting on a start error: its state and the
 * kubelet's Failed events (for a pull error the "Failed to pull image"
 * ones, which carry the registry's answer, rather than "Error:
 * ImagePullBackOff").
 */
static void start_error_evidence(struct check_ctx *c, struct finding *f, const struct pod *p,
				 const struct container_status *bad, bool is_pull)
{
	struct evdigest pe;

	finding_evidence(c->d, f, "pod %s: container %s waiting: %s%s%s", p->meta.name,
			 bad->name, bad->state.reason,
			 bad->state.message && *bad->state.message ? ": " : "",
			 bad->state.message ? bad->state.message : "");
	pe.newest = NULL;
	if (is_pull)
		pod_events(c->m, p, "Failed", "Failed to pull image", NULL, bad->name, &pe);
	if (!pe.newest)
		pod_events(c->m, p, "Failed", NULL, NULL, bad->name, &pe);
	if (pe.newest)
		finding_evidence(c->d, f, "pod %s: Failed: %s", p->meta.name,
				 evdigest_text(c->d, &pe));
}

static void check_pending(struct check_ctx *c, const struct pod *p)
{
	const struct condition *sched = pod_condition(p, "PodScheduled");
	const char *why = NULL, *fix = NULL;
	struct evdigest ev;
	struct finding *f;
	const struct container_status *bad;
	bool is_pull = false;

	if (!p->phase || strcmp(p->phase, "Pending") || pod_is_terminating(p))
		return;
	bad = start_error(p, &is_pull);
	pod_events(c->m, p, "FailedScheduling", NULL, NULL, NULL, &ev);
	if (sched && !strcmp(sched->status, "False")) {
		why = diag_printf(c->d, "unschedulable: %s", sched->message && *sched->message
				  ? sched->message : sched->reason);
		fix = "Make room for the pod: free or add node capacity, lower its requests, or fix "
		      "nodeSelector/affinity/tolerations";
	} else if (bad) {
		why = diag_printf(c->d, "container %s %s", bad->name, bad->state.reason);
		fix = start_error_fix(is_pull);
	} else if (ev.newest) {
		why = diag_printf(c->d, "unschedulable: %s", ev.newest->message);
		fix = "Make room for the pod: free or add node capacity, lower its requests, or fix "
		      "nodeSelector/affinity/tolerations";
	} else if (p->meta.created && c->d->now - p->meta.created >= PENDING_STUCK_SECONDS) {
		why = diag_printf(c->d, "Pending for %s", ago_text(c->d, p->meta.created));
		fix = "Find what the pod waits for (volumes, sandbox, init containers) in its events";
	} else {
		return;
	}
	f = check_finding(c, "pod-pending", SEV_ERROR, HOP_PODS, "Pod", p->meta.ns, p->meta.name,
			  NULL);
	finding_message(c->d, f, "Pod %s/%s is stuck Pending: %s", p->meta.ns, p->meta.name, why);
	if (sched && !strcmp(sched->status, "False"))
		finding_evidence(c->d, f, "pod %s: PodScheduled=False (%s): %s", p->meta.name,
				 sched->reason, sched->message);
	if (ev.newest)
		finding_evidence(c->d, f, "pod %s: FailedScheduling: %s", p->meta.name,
				 evdigest_text(c->d, &ev));
	if (bad)
		start_error_evidence(c, f, p, bad, is_pull);
	finding_evidence(c->d, f, "pod %s: phase Pending since %s", p->meta.name,
			 ago_text(c->d, p->meta.created));
	finding_fix(c->d, f, "%s", fix);
	describe_cmd(c, f, p);
	finding_command(c->d, f, "kubectl get events -n %s --field-selector "
			"involvedObject.kind=Pod,involvedObject.name=%s", p->meta.ns, p->meta.name);
}

/*
 * A Running pod whose container cannot be (re)created: after a restart,
 * an eviction of its image or a change of the ConfigMap/Secret it reads,
 * the kubelet keeps the container waiting in CreateContainerConfigError
 * (a missing ConfigMap/Secret key), CreateContainerError, RunContainerError
 * or an image pull error. The pod stays Running but is not ready and is no
 * endpoint. The id is pod-pending: the catalogue's text for it ("backend
 * pods stay Pending (FailedScheduling, image pull errors) so no endpoint
 * exists") names these very errors and their consequence, and the
 * container is exactly that, pending (state waiting, never started);
 * pod-crashloop is wrong (the container does not crash: it never runs,
 * there are no logs to read), pod-restarting counts restarts that happened,
 * and readiness-probe-failing needs a probe that runs. The message says the
 * pod is Running so that no one looks for a scheduling problem.
 */
static void check_start_error(struct check_ctx *c, const struct pod *p)
{
	const struct container_status *bad;
	const struct condition *rc;
	const char *lastexit;
	struct finding *f;
	bool is_pull = false;

	if (!p->phase || strcmp(p->phase, "Running") || pod_is_terminating(p))
		return;
	bad = start_error(p, &is_pull);
	if (!bad)
		return;
	f = check_finding(c, "pod-pending", SEV_ERROR, HOP_PODS, "Pod", p->meta.ns, p->meta.name,
			  NULL);
	finding_message(c->d, f, "Pod %s/%s is Running but its container %s cannot start: %s",
			p->meta.ns, p->meta.name, bad->name, bad->state.reason);
	start_error_evidence(c, f, p, bad, is_pull);
	lastexit = cstatus_last_exit(c->d, bad);
	finding_evidence(c->d, f, "pod %s: container %s restartCount %d%s%s", p->meta.name,
			 bad->name, bad->restarts, *lastexit ? ", last " : "", lastexit);
	rc = pod_condition(p, "Ready");
	finding_evidence(c->d, f, "pod %s: phase Running, Ready=%s: no endpoint for it",
			 p->meta.name, rc ? rc->status : "unset");
	finding_fix(c->d, f, "%s", start_error_fix(is_pull));
	describe_cmd(c, f, p);
	finding_command(c->d, f, "kubectl get events -n %s --field-selector "
			"involvedObject.kind=Pod,involvedObject.name=%s", p->meta.ns, p->meta.name);
}

/* Memory limit/request of a container, for evidence. */
static const char *mem_text(struct check_ctx *c, const struct container *k)
{
	if (!k)
		return "memory limit unknown";
	if (k->mem_limit && *k->mem_limit)
		return diag_printf(c->d, "memory limit %s%s%s", k->mem_limit,
				   k->mem_request && *k->mem_request ? ", request " : "",
				   k->mem_request ? k->mem_request : "");
	return "no memory limit (killed by the node's OOM killer under memory pressure)";
}

static void check_containers(struct check_ctx *c, const struct pod *p)
{
	for (uint32_t i = 0; i < p->nstatuses; i++) {
		const struct container_status *cs = &p->statuses[i];
		const struct container *k = pod_container(p, cs->name);
		const char *lastexit = cstatus_last_exit(c->d, cs);
		bool crash = cstatus_crashloop(cs), oom = cstatus_oomkilled(cs);
		bool stable = cstatus_stable(cs, c->d->now);
		struct finding *f;

		if (crash) {
			struct evdigest ev;
			f = check_finding(c, "pod-crashloop", SEV_ERROR, HOP_PODS, "Pod", p->meta.ns,
					  p->meta.name, cs->name);
			finding_message(c->d, f, "Pod %s/%s container %s is in CrashLoopBackOff%s%s",
					p->meta.ns, p->meta.name, cs->name,
					*lastexit ? ": last " : "", lastexit);
			finding_evidence(c->d, f, "pod %s: container %s: CrashLoopBackOff, %d restarts%s%s",
					 p->meta.name, cs->name, cs->restarts,
					 *lastexit ? ", last " : "", lastexit);
			if (cs->last.kind == CS_TERMINATED && cs->last.message && *cs->last.message)
				finding_evidence(c->d, f, "pod %s: container %s last message: %s",
						 p->meta.name, cs->name, cs->last.message);
			pod_events(c->m, p, "BackOff", "Back-off restarting", NULL, cs->name, &ev);
			if (ev.newest)
				finding_evidence(c->d, f, "pod %s: BackOff: %s", p->meta.name,
						 evdigest_text(c->d, &ev));
			if (cs->last.kind == CS_TERMINATED)
				finding_fix(c->d, f, "Read container %s's previous logs and fix why it "
					    "exits with code %d", cs->name, cs->last.exit_code);
			else
				finding_fix(c->d, f, "Read container %s's previous logs and fix why it "
					    "exits", cs->name);
			finding_command(c->d, f, "kubectl logs %s -n %s -c %s --previous",
					p->meta.name, p->meta.ns, cs->name);
			describe_cmd(c, f, p);
		}
		if (oom && !stable) {
			f = check_finding(c, "pod-oomkilled", SEV_ERROR, HOP_PODS, "Pod", p->meta.ns,
					  p->meta.name, cs->name);
			finding_message(c->d, f, "Pod %s/%s container %s was OOMKilled (%s)",
					p->meta.ns, p->meta.name, cs->name, mem_text(c, k));
			finding_evidence(c->d, f, "pod %s: container %s last terminated: %s, %d restarts",
					 p->meta.name, cs->name, lastexit, cs->restarts);
			finding_evidence(c->d, f, "pod %s: container %s: %s", p->meta.name, cs->name,
					 mem_text(c, k));
			finding_fix(c->d, f, "Raise container %s's memory limit above its peak use (or "
				    "cut the app's memory use, e.g. heap size)", cs->name);
			describe_cmd(c, f, p);
			finding_command(c->d, f, "kubectl top pod %s -n %s --containers",
					p->meta.name, p->meta.ns);
		}
		if (!crash && !oom && !stable && cs->restarts >= RESTART_THRESHOLD) {
			f = check_finding(c, "pod-restarting", SEV_WARNING, HOP_PODS, "Pod", p->meta.ns,
					  p->meta.name, cs->name);
			finding_message(c->d, f, "Pod %s/%s container %s restarted %d times%s%s",
					p->meta.ns, p->meta.name, cs->name, cs->restarts,
					*lastexit ? ": last " : "", lastexit);
			finding_evidence(c->d, f, "pod %s: container %s restartCount %d (threshold %d)%s%s",
					 p->meta.name, cs->name, cs->restarts, RESTART_THRESHOLD,
					 *lastexit ? ", last " : "", lastexit);
			finding_fix(c->d, f, "Find why container %s restarts (previous logs, liveness "
				    "probe, memory) and fix it: each restart drops requests in flight",
				    cs->name);
			finding_command(c->d, f, "kubectl logs %s -n %s -c %s --previous",
					p->meta.name, p->meta.ns, cs->name);
			describe_cmd(c, f, p);
		}
	}
}

static void check_resources(struct check_ctx *c, const struct pod *p)
{
	for (uint32_t i = 0; i < p->ncontainers; i++) {
		const struct container *k = &p->containers[i];
		struct finding *f;

		if (k->init && !k->sidecar)
			continue;
		if ((k->mem_request && *k->mem_request) || (k->mem_limit && *k->mem_limit))
			continue;
		f = check_finding(c, "pod-no-resources", SEV_INFO, HOP_PODS, "Pod", p->meta.ns,
				  p->meta.name, k->name);
		finding_message(c->d, f, "Pod %s/%s container %s has no memory request or limit",
				p->meta.ns, p->meta.name, k->name);
		finding_evidence(c->d, f, "pod %s: container %s: resources.requests.memory and "
				 "resources.limits.memory unset (QoS %s)", p->meta.name, k->name,
				 p->qos && *p->qos ? p->qos : "unknown");
		finding_fix(c->d, f, "Set resources.requests.memory (and a limit) on container %s "
			    "from its observed use", k->name);
		finding_command(c->d, f, "kubectl get pod %s -n %s -o jsonpath='{.spec.containers[*]"
				".resources}'", p->meta.name, p->meta.ns);
	}
}

/* The first number in a preStop description ("exec: sleep 5" -> 5), -1 if none. */
static long prestop_seconds(const char *s)
{
	char *end;

	for (; s && *s; s++)
		if (*s >= '0' && *s <= '9') {
			long v = strtol(s, &end, 10);
			return v;
		}
	return -1;
}

static void check_prestop(struct check_ctx *c, const struct pod *p)
{
	const struct container *hook = NULL;
	struct finding *f;
	long sleep_s = -1;

	if (!pod_is_ready(p) || pod_is_terminating(p) || pod_is_done(p))
		return;
	for (uint32_t i = 0; i < p->ncontainers && !hook; i++)
		if (!p->containers[i].init && p->containers[i].has_prestop)
			hook = &p->containers[i];
	if (hook)
		sleep_s = prestop_seconds(hook->prestop);
	if (hook && p->grace_seconds >= GRACE_MIN_SECONDS &&
	    (sleep_s < 0 || p->grace_seconds > sleep_s))
		return;
	f = check_finding(c, "rollout-no-prestop", SEV_WARNING, HOP_PODS, "Pod", p->meta.ns,
			  p->meta.name, NULL);
	if (!hook) {
		finding_message(c->d, f, "Pod %s/%s has no preStop hook: rollouts and scale-downs "
				"drop requests the controller still sends to it", p->meta.ns,
				p->meta.name);
		finding_evidence(c->d, f, "pod %s: no container has lifecycle.preStop; Ready, so "
				 "the controller routes to it; terminationGracePeriodSeconds %lld",
				 p->meta.name, (long long)p->grace_seconds);
	} else {
		finding_message(c->d, f, "Pod %s/%s has a grace period of %llds, too short for its "
				"preStop hook and a graceful shutdown", p->meta.ns, p->meta.name,
				(long long)p->grace_seconds);
		finding_evidence(c->d, f, "pod %s: container %s preStop %s; "
				 "terminationGracePeriodSeconds %lld", p->meta.name, hook->name,
				 hook->prestop ? hook->prestop : "", (long long)p->grace_seconds);
	}
	finding_fix(c->d, f, "Add lifecycle.preStop (e.g. sleep 5-15 s) to the serving container "
		    "and keep terminationGracePeriodSeconds above the sleep plus shutdown time");
	finding_command(c->d, f, "kubectl get pod %s -n %s -o jsonpath='{.spec.containers[*]"
			".lifecycle}{\"\\n\"}{.spec.terminationGracePeriodSeconds}'",
			p->meta.name, p->meta.ns);
}

void check_pods(struct check_ctx *c)
{
	if (!c->chain)
		return;
	if (!c->m->present[K_POD] || c->m->forbidden[K_POD]) {
		diag_note(c->d, "Pod objects are %s: pod health checks (pod-*, rollout-no-prestop) "
			  "could not run", c->m->forbidden[K_POD] ? "forbidden (grant list on pods)"
			  : "absent from the input");
		pods_hop(c);
		return;
	}
	for (size_t i = 0; i < c->npods; i++) {
		const struct pod *p = c->pods[i];
		check_evicted(c, p);
		if (pod_is_done(p))
			continue;
		check_pending(c, p);
		check_start_error(c, p);
		if (!pod_is_terminating(p))
			check_containers(c, p);
		check_resources(c, p);
		check_prestop(c, p);
	}
	pods_hop(c);
}
