/*
 * decode_pod: Pod spec (containers, init containers and sidecars, ports,
 * probes with the API defaults, preStop, resources) and status
 * (phase, conditions, container states, IPs), plus the pod helpers.
 */
#include <stdio.h>
#include <string.h>

#include "model_int.h"

#include "../util/banned.h"

static void d_probe(struct dec *d, const struct json *c, const char *key, struct probe *pr)
{
	const struct json *p = d_obj(d, c, key), *h;
	size_t mark;

	memset(pr, 0, sizeof(*pr));
	pr->path = pr->scheme = pr->host = pr->command = "";
	pr->port.str = "";
	/* SetDefaults_Probe: zero means default */
	pr->period = 10;
	pr->timeout = 1;
	pr->success = 1;
	pr->failure = 3;
	if (!p)
		return;
	mark = dec_push(d, "%s", key);
	if ((h = d_obj(d, p, "httpGet"))) {
		size_t m2 = dec_push(d, "httpGet");
		pr->type = PROBE_HTTP;
		d_intstr(d, h, "port", &pr->port);
		pr->path = d_istr(d, h, "path");
		pr->scheme = d_istr(d, h, "scheme");
		if (!*pr->scheme)
			pr->scheme = intern(d->m, "HTTP", 4);
		pr->host = d_istr(d, h, "host");
		dec_pop(d, m2);
	} else if ((h = d_obj(d, p, "tcpSocket"))) {
		size_t m2 = dec_push(d, "tcpSocket");
		pr->type = PROBE_TCP;
		d_intstr(d, h, "port", &pr->port);
		pr->host = d_istr(d, h, "host");
		dec_pop(d, m2);
	} else if ((h = d_obj(d, p, "grpc"))) {
		/* GRPCAction.port is an int32: no names */
		size_t m2 = dec_push(d, "grpc");
		int32_t port;
		pr->type = PROBE_GRPC;
		if (d_int32(d, h, "port", &port) && port) {
			pr->port.kind = IS_INT;
			pr->port.num = port;
		}
		dec_pop(d, m2);
	} else if ((h = d_obj(d, p, "exec"))) {
		size_t m2 = dec_push(d, "exec");
		pr->type = PROBE_EXEC;
		pr->command = d_strjoin(d, h, "command");
		dec_pop(d, m2);
	}
	d_int32(d, p, "initialDelaySeconds", &pr->initial_delay);
	if (!d_int32(d, p, "periodSeconds", &pr->period) || pr->period == 0)
		pr->period = 10;
	if (!d_int32(d, p, "timeoutSeconds", &pr->timeout) || pr->timeout == 0)
		pr->timeout = 1;
	if (!d_int32(d, p, "successThreshold", &pr->success) || pr->success == 0)
		pr->success = 1;
	if (!d_int32(d, p, "failureThreshold", &pr->failure) || pr->failure == 0)
		pr->failure = 3;
	dec_pop(d, mark);
}

/* lifecycle.preStop as a short description. tcpSocket is never run by the kubelet. */
static void d_prestop(struct dec *d, const struct json *c, struct container *ct)
{
	const struct json *lc = d_obj(d, c, "lifecycle"), *ps, *h;
	size_t mark;

	ct->prestop = "";
	mark = dec_push(d, "lifecycle");
	ps = d_obj(d, lc, "preStop");
	dec_push(d, "preStop");
	if ((h = d_obj(d, ps, "exec"))) {
		size_t m2 = dec_push(d, "exec");
		const char *cmd = d_strjoin(d, h, "command");
		ct->has_prestop = true;
		ct->prestop = arena_printf(&d->m->arena, "exec: %.200s", cmd);
		dec_pop(d, m2);
	} else if ((h = d_obj(d, ps, "sleep"))) {
		int64_t secs = 0;
		size_t m2 = dec_push(d, "sleep");
		d_int64(d, h, "seconds", &secs);
		ct->has_prestop = true;
		ct->prestop = arena_printf(&d->m->arena, "sleep %llds", (long long)secs);
		dec_pop(d, m2);
	} else if ((h = d_obj(d, ps, "httpGet"))) {
		size_t m2 = dec_push(d, "httpGet");
		const char *path = d_str(d, h, "path");
		ct->has_prestop = true;
		ct->prestop = arena_printf(&d->m->arena, "httpGet %.200s", *path ? path : "/");
		dec_pop(d, m2);
	} else if ((h = d_obj(d, ps, "tcpSocket"))) {
		ct->has_prestop = false;
		ct->prestop = "tcpSocket (not run by the kubelet)";
	}
	dec_pop(d, mark);
}

static void d_cports(struct dec *d, const struct json *c, struct container *ct)
{
	const struct json *a = d_arr(d, c, "ports");
	if (!a || !a->n)
		return;
	ct->ports = arena_calloc(&d->m->arena, a->n, sizeof(*ct->ports));
	for (uint32_t i = 0; i < a->n; i++) {
		const struct json *p = d_item_obj(d, a, i, "ports");
		struct container_port *cp = &ct->ports[ct->nports];
		size_t mark;
		if (!p)
			continue;
		mark = dec_push(d, "ports[%u]", i);
		cp->name = d_istr(d, p, "name");
		d_int32(d, p, "containerPort", &cp->port);
		cp->protocol = d_istr(d, p, "protocol");
		if (!*cp->protocol)
			cp->protocol = intern(d->m, "TCP", 3);
		dec_pop(d, mark);
		ct->nports++;
	}
}

static void d_args(struct dec *d, const struct json *c, struct container *ct)
{
	uint32_t n1, n2;
	const char **cmd = d_strlist(d, c, "command", &n1, true);
	const char **args = d_strlist(d, c, "args", &n2, true);

	ct->nargs = n1 + n2;
	if (!ct->nargs)
		return;
	ct->args = arena_calloc(&d->m->arena, ct->nargs, sizeof(char *));
	if (n1)
		memcpy(ct->args, cmd, n1 * sizeof(char *));
	if (n2)
		memcpy(ct->args + n1, args, n2 * sizeof(char *));
}

static void d_container(struct dec *d, const struct json *c, struct container *ct, bool init)
{
	const struct json *res;
	size_t mark;

	ct->name = d_istr(d, c, "name");
	ct->image = d_istr(d, c, "image");
	ct->init = init;
	if (init) {
		const char *rp = d_istr(d, c, "restartPolicy");
		ct->sidecar = !strcmp(rp, "Always");
	}
	d_args(d, c, ct);
	d_cports(d, c, ct);
	d_probe(d, c, "readinessProbe", &ct->readiness);
	d_probe(d, c, "livenessProbe", &ct->liveness);
	d_probe(d, c, "startupProbe", &ct->startup);
	d_prestop(d, c, ct);
	res = d_obj(d, c, "resources");
	mark = dec_push(d, "resources");
	{
		const struct json *req = d_obj(d, res, "requests");
		const struct json *lim = d_obj(d, res, "limits");
		size_t m2 = dec_push(d, "requests");
		ct->cpu_request = d_quantity(d, req, "cpu");
		ct->mem_request = d_quantity(d, req, "memory");
		dec_pop(d, m2);
		dec_push(d, "limits");
		ct->cpu_limit = d_quantity(d, lim, "cpu");
		ct->mem_limit = d_quantity(d, lim, "memory");
	}
	dec_pop(d, mark);
}

static void d_containers(struct dec *d, const struct json *spec, struct pod *p)
{
	static const char *const keys[2] = { "containers", "initContainers" };
	const struct json *a[2];
	uint32_t total = 0;

	for (int k = 0; k < 2; k++) {
		a[k] = d_arr(d, spec, keys[k]);
		total += a[k] ? a[k]->n : 0;
	}
	if (!total)
		return;
	p->containers = arena_calloc(&d->m->arena, total, sizeof(*p->containers));
	for (int k = 0; k < 2; k++) {
		for (uint32_t i = 0; a[k] && i < a[k]->n; i++) {
			const struct json *c = d_item_obj(d, a[k], i, keys[k]);
			size_t mark;
			if (!c)
				continue;
			mark = dec_push(d, "%s[%u]", keys[k], i);
			d_container(d, c, &p->containers[p->ncontainers++], k == 1);
			dec_pop(d, mark);
		}
	}
}

static void d_cstate(struct dec *d, const struct json *o, const char *key, struct cstate *cs)
{
	const struct json *st = d_obj(d, o, key), *v;
	size_t mark;

	memset(cs, 0, sizeof(*cs));
	cs->reason = cs->message = "";
	if (!st)
		return;
	mark = dec_push(d, "%s", key);
	if ((v = d_obj(d, st, "waiting"))) {
		size_t m2 = dec_push(d, "waiting");
		cs->kind = CS_WAITING;
		cs->reason = d_istr(d, v, "reason");
		cs->message = d_str(d, v, "message");
		dec_pop(d, m2);
	} else if ((v = d_obj(d, st, "running"))) {
		size_t m2 = dec_push(d, "running");
		cs->kind = CS_RUNNING;
		cs->started = d_time(d, v, "startedAt");
		dec_pop(d, m2);
	} else if ((v = d_obj(d, st, "terminated"))) {
		size_t m2 = dec_push(d, "terminated");
		cs->kind = CS_TERMINATED;
		cs->reason = d_istr(d, v, "reason");
		cs->message = d_str(d, v, "message");
		d_int32(d, v, "exitCode", &cs->exit_code);
		d_int32(d, v, "signal", &cs->signal);
		cs->started = d_time(d, v, "startedAt");
		cs->finished = d_time(d, v, "finishedAt");
		dec_pop(d, m2);
	}
	dec_pop(d, mark);
}

static void d_statuses(struct dec *d, const struct json *st, struct pod *p)
{
	static const char *const keys[2] = { "containerStatuses", "initContainerStatuses" };
	const struct json *a[2];
	uint32_t total = 0;

	for (int k = 0; k < 2; k++) {
		a[k] = d_arr(d, st, keys[k]);
		total += a[k] ? a[k]->n : 0;
	}
	if (!total)
		return;
	p->statuses = arena_calloc(&d->m->arena, total, sizeof(*p->statuses));
	for (int k = 0; k < 2; k++) {
		for (uint32_t i = 0; a[k] && i < a[k]->n; i++) {
			const struct json *c = d_item_obj(d, a[k], i, keys[k]);
			struct container_status *cs = &p->statuses[p->nstatuses];
			size_t mark;
			if (!c)
				continue;
			mark = dec_push(d, "%s[%u]", keys[k], i);
			cs->name = d_istr(d, c, "name");
			cs->init = k == 1;
			cs->ready = d_bool(d, c, "ready") == 1;
			cs->started = d_bool(d, c, "started");
			d_int32(d, c, "restartCount", &cs->restarts);
			d_cstate(d, c, "state", &cs->state);
			d_cstate(d, c, "lastState", &cs->last);
			cs->image = d_istr(d, c, "image");
			dec_pop(d, mark);
			p->nstatuses++;
		}
	}
}

static void d_pod_ips(struct dec *d, const struct json *st, struct pod *p)
{
	const struct json *a = d_arr(d, st, "podIPs");
	if (!a || !a->n)
		return;
	p->pod_ips = arena_calloc(&d->m->arena, a->n, sizeof(char *));
	for (uint32_t i = 0; i < a->n; i++) {
		const struct json *e = d_item_obj(d, a, i, "podIPs");
		size_t mark;
		const char *ip;
		if (!e)
			continue;
		mark = dec_push(d, "podIPs[%u]", i);
		ip = d_str(d, e, "ip");
		if (*ip)
			p->pod_ips[p->npod_ips++] = ip;
		dec_pop(d, mark);
	}
}

int decode_pod(struct dec *d, const struct json *obj, struct pod *p)
{
	const struct json *spec, *st, *gates;
	size_t mark;

	if (d_meta(d, obj, &p->meta) < 0)
		return -1;
	spec = d_obj(d, obj, "spec");
	mark = dec_push(d, "spec");
	p->node = d_istr(d, spec, "nodeName");
	p->host_network = d_bool(d, spec, "hostNetwork") == 1;
	if (!d_int64(d, spec, "terminationGracePeriodSeconds", &p->grace_seconds))
		p->grace_seconds = 30;
	p->service_account = d_istr(d, spec, "serviceAccountName");
	if (!*p->service_account)
		p->service_account = d_istr(d, spec, "serviceAccount");
	d_containers(d, spec, p);
	gates = d_arr(d, spec, "readinessGates");
	if (gates && gates->n) {
		p->readiness_gates = arena_calloc(&d->m->arena, gates->n, sizeof(char *));
		for (uint32_t i = 0; i < gates->n; i++) {
			const struct json *g = d_item_obj(d, gates, i, "readinessGates");
			size_t m2;
			const char *t;
			if (!g)
				continue;
			m2 = dec_push(d, "readinessGates[%u]", i);
			t = d_istr(d, g, "conditionType");
			if (*t)
				p->readiness_gates[p->nreadiness_gates++] = t;
			dec_pop(d, m2);
		}
	}
	dec_pop(d, mark);

	st = d_obj(d, obj, "status");
	mark = dec_push(d, "status");
	p->phase = d_istr(d, st, "phase");
	p->reason = d_istr(d, st, "reason");
	p->message = d_str(d, st, "message");
	p->pod_ip = d_str(d, st, "podIP");
	d_pod_ips(d, st, p);
	p->host_ip = d_istr(d, st, "hostIP");
	p->start_time = d_time(d, st, "startTime");
	p->qos = d_istr(d, st, "qosClass");
	d_conditions(d, st, "conditions", &p->conditions, &p->nconditions);
	d_statuses(d, st, p);
	dec_pop(d, mark);
	return 0;
}

const struct condition *pod_condition(const struct pod *p, const char *type)
{
	for (uint32_t i = 0; i < p->nconditions; i++)
		if (!strcmp(p->conditions[i].type, type))
			return &p->conditions[i];
	return NULL;
}

bool pod_is_ready(const struct pod *p)
{
	const struct condition *c = pod_condition(p, "Ready");
	return c && !strcmp(c->status, "True");
}

const struct container_status *pod_status(const struct pod *p, const char *container)
{
	for (uint32_t i = 0; i < p->nstatuses; i++)
		if (!strcmp(p->statuses[i].name, container))
			return &p->statuses[i];
	return NULL;
}
