/*
 * decode_misc: Node, Event (core v1 and events.k8s.io/v1), NetworkPolicy,
 * ConfigMap, workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet),
 * Namespace and Secret (metadata and type only: data is never read).
 */
#include <string.h>

#include "model_int.h"

#include "../util/banned.h"

int decode_node(struct dec *d, const struct json *obj, struct node *n)
{
	const struct json *spec, *st, *a, *info;
	size_t mark;

	if (d_meta(d, obj, &n->meta) < 0)
		return -1;
	n->internal_ip = n->kubelet_version = "";
	spec = d_obj(d, obj, "spec");
	mark = dec_push(d, "spec");
	n->unschedulable = d_bool(d, spec, "unschedulable") == 1;
	a = d_arr(d, spec, "taints");
	if (a && a->n) {
		n->taints = arena_calloc(&d->m->arena, a->n, sizeof(*n->taints));
		for (uint32_t i = 0; i < a->n; i++) {
			const struct json *t = d_item_obj(d, a, i, "taints");
			struct taint *x = &n->taints[n->ntaints];
			size_t m2;
			if (!t)
				continue;
			m2 = dec_push(d, "taints[%u]", i);
			x->key = d_istr(d, t, "key");
			x->value = d_istr(d, t, "value");
			x->effect = d_istr(d, t, "effect");
			dec_pop(d, m2);
			n->ntaints++;
		}
	}
	dec_pop(d, mark);
	st = d_obj(d, obj, "status");
	mark = dec_push(d, "status");
	d_conditions(d, st, "conditions", &n->conditions, &n->nconditions);
	a = d_arr(d, st, "addresses");
	for (uint32_t i = 0; a && i < a->n; i++) {
		const struct json *e = d_item_obj(d, a, i, "addresses");
		size_t m2;
		if (!e)
			continue;
		m2 = dec_push(d, "addresses[%u]", i);
		if (!*n->internal_ip && !strcmp(d_istr(d, e, "type"), "InternalIP"))
			n->internal_ip = d_str(d, e, "address");
		dec_pop(d, m2);
	}
	info = d_obj(d, st, "nodeInfo");
	dec_push(d, "nodeInfo");
	n->kubelet_version = d_istr(d, info, "kubeletVersion");
	dec_pop(d, mark);
	return 0;
}

const struct condition *node_condition(const struct node *n, const char *type)
{
	for (uint32_t i = 0; i < n->nconditions; i++)
		if (!strcmp(n->conditions[i].type, type))
			return &n->conditions[i];
	return NULL;
}

/*
 * core/v1 Event, or events.k8s.io/v1 (regarding, note, reportingController,
 * deprecatedCount/FirstTimestamp/LastTimestamp/Source). Times:
 * first = firstTimestamp, else eventTime; last = lastTimestamp, else
 * series.lastObservedTime, else eventTime, else metadata.creationTimestamp.
 * first falls back to last when nothing else is known.
 */
int decode_event(struct dec *d, const struct json *obj, struct event *ev)
{
	const struct json *series, *src;
	int32_t count = 0;
	ktime event_time;
	size_t mark;
	bool v1new;

	if (d_meta(d, obj, &ev->meta) < 0)
		return -1;
	v1new = !json_get(obj, "involvedObject") && json_get(obj, "regarding");
	d_objref(d, obj, v1new ? "regarding" : "involvedObject", &ev->involved);
	{
		const struct json *io = json_get(obj, v1new ? "regarding" : "involvedObject");
		size_t m2 = dec_push(d, v1new ? "regarding" : "involvedObject");
		ev->field_path = json_is(io, JSON_OBJECT) ? d_str(d, io, "fieldPath") : "";
		dec_pop(d, m2);
	}
	/* a namespaced object's events live in its namespace */
	if (!*ev->involved.ns) {
		enum kind k = kind_from_name(ev->involved.kind);
		if (k != K_UNKNOWN && !kind_cluster_scoped(k))
			ev->involved.ns = ev->meta.ns;
	}
	ev->reason = d_istr(d, obj, "reason");
	ev->message = d_istr(d, obj, v1new ? "note" : "message");   /* often repeated */
	if (v1new && !*ev->message)
		ev->message = d_str(d, obj, "message");
	ev->type = d_istr(d, obj, "type");

	src = d_obj(d, obj, v1new ? "deprecatedSource" : "source");
	mark = dec_push(d, v1new ? "deprecatedSource" : "source");
	ev->source = d_istr(d, src, "component");
	dec_pop(d, mark);
	if (!*ev->source)
		ev->source = d_istr(d, obj, v1new ? "reportingController" : "reportingComponent");

	series = d_obj(d, obj, "series");
	if (!d_int32(d, obj, v1new ? "deprecatedCount" : "count", &count) || count <= 0) {
		size_t m2 = dec_push(d, "series");
		if (!d_int32(d, series, "count", &count) || count <= 0)
			count = 1;
		dec_pop(d, m2);
	}
	ev->count = count;

	event_time = d_time(d, obj, "eventTime");
	ev->first = d_time(d, obj, v1new ? "deprecatedFirstTimestamp" : "firstTimestamp");
	if (!ev->first)
		ev->first = event_time;
	ev->last = d_time(d, obj, v1new ? "deprecatedLastTimestamp" : "lastTimestamp");
	if (!ev->last) {
		size_t m2 = dec_push(d, "series");
		ev->last = d_time(d, series, "lastObservedTime");
		dec_pop(d, m2);
	}
	if (!ev->last)
		ev->last = event_time;
	if (!ev->last)
		ev->last = ev->meta.created;
	if (!ev->first)
		ev->first = ev->last;
	return 0;
}

/* policyTypes defaulting: empty -> Ingress, plus Egress iff spec.egress is non-empty. */
int decode_networkpolicy(struct dec *d, const struct json *obj, struct networkpolicy *np)
{
	const struct json *spec, *eg;
	struct json *raw;
	uint32_t ntypes;
	const char **types;
	size_t mark;

	if (d_meta(d, obj, &np->meta) < 0)
		return -1;
	spec = d_obj(d, obj, "spec");
	mark = dec_push(d, "spec");
	d_selector(d, spec, "podSelector", &np->pod_selector);
	types = d_strlist(d, spec, "policyTypes", &ntypes, true);
	if (ntypes) {
		for (uint32_t i = 0; i < ntypes; i++) {
			if (!strcmp(types[i], "Ingress"))
				np->ingress_type = true;
			else if (!strcmp(types[i], "Egress"))
				np->egress_type = true;
		}
	} else {
		eg = d_arr(d, spec, "egress");
		np->ingress_type = true;
		np->egress_type = eg && eg->n > 0;
	}
	dec_pop(d, mark);
	raw = arena_zalloc(&d->m->arena, sizeof(*raw));
	if (spec)
		json_clone(&d->m->arena, spec, raw);
	else
		raw->type = JSON_OBJECT;   /* empty spec */
	np->raw = raw;
	return 0;
}

int decode_configmap(struct dec *d, const struct json *obj, struct configmap *cm)
{
	if (d_meta(d, obj, &cm->meta) < 0)
		return -1;
	d_kvs(d, obj, "data", &cm->data, 0);
	return 0;
}

int decode_workload(struct dec *d, const struct json *obj, struct workload *w)
{
	const struct json *spec, *st, *strat, *ru;
	bool ds = d->kind == K_DAEMONSET;
	size_t mark;

	if (d_meta(d, obj, &w->meta) < 0)
		return -1;
	w->kind = d->kind;
	w->replicas = -1;
	spec = d_obj(d, obj, "spec");
	st = d_obj(d, obj, "status");
	mark = dec_push(d, "spec");
	d_selector(d, spec, "selector", &w->selector);
	if (!ds)
		d_int32(d, spec, "replicas", &w->replicas);
	strat = d_obj(d, spec, d->kind == K_DEPLOYMENT ? "strategy" : "updateStrategy");
	dec_push(d, d->kind == K_DEPLOYMENT ? "strategy" : "updateStrategy");
	ru = d_obj(d, strat, "rollingUpdate");
	dec_push(d, "rollingUpdate");
	w->max_unavailable = d_intstr_text(d, ru, "maxUnavailable");
	w->max_surge = d_intstr_text(d, ru, "maxSurge");
	dec_pop(d, mark);
	mark = dec_push(d, "status");
	if (ds) {
		d_int32(d, st, "desiredNumberScheduled", &w->replicas);
		d_int32(d, st, "numberReady", &w->ready_replicas);
		d_int32(d, st, "numberAvailable", &w->available_replicas);
	} else {
		d_int32(d, st, "readyReplicas", &w->ready_replicas);
		d_int32(d, st, "availableReplicas", &w->available_replicas);
	}
	dec_pop(d, mark);
	return 0;
}

int decode_namespace(struct dec *d, const struct json *obj, struct namespace_ *ns)
{
	const struct json *st;
	size_t mark;

	if (d_meta(d, obj, &ns->meta) < 0)
		return -1;
	st = d_obj(d, obj, "status");
	mark = dec_push(d, "status");
	ns->phase = d_istr(d, st, "phase");
	dec_pop(d, mark);
	return 0;
}

/* Never touches data or stringData. */
int decode_secret(struct dec *d, const struct json *obj, struct secret_meta *s)
{
	if (d_meta(d, obj, &s->meta) < 0)
		return -1;
	s->type = d_istr(d, obj, "type");
	return 0;
}
