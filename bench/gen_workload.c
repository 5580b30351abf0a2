/*
 * gen_workload.c: Deployments (one per Service, owning its pods through a
 * ReplicaSet that is not part of the snapshot) and the Events about pods.
 *
 * Events follow what the kubelet and the scheduler emit (see
 * ../shared/reference/kubernetes-api.md 5.8): BackOff, Unhealthy and
 * Killing from the kubelet with count/firstTimestamp/lastTimestamp;
 * Scheduled and FailedScheduling from the scheduler through the
 * events.k8s.io API, so with eventTime and action and no count.
 */
#include "gen.h"

#include <stdio.h>
#include <string.h>

static void match_labels(struct jw *w, const char *svc, uint32_t s)
{
	jw_obj(w, "selector");
	jw_obj(w, "matchLabels");
	if (s == 0) {
		ctl_match_labels(w);
	} else {
		jw_str(w, "app.kubernetes.io/instance", svc);
		jw_str(w, "app.kubernetes.io/name", svc);
	}
	jw_end(w);
	jw_end(w);
}

static void dep_condition(struct jw *w, int64_t t, const char *msg, const char *reason,
			  bool ok, const char *type)
{
	jw_obj(w, NULL);
	jw_time(w, "lastTransitionTime", t);
	jw_time(w, "lastUpdateTime", t);
	jw_str(w, "message", msg);
	jw_str(w, "reason", reason);
	jw_str(w, "status", ok ? "True" : "False");
	jw_str(w, "type", type);
	jw_end(w);
}

void write_deployment(struct jw *w, const struct world *W, uint32_t s)
{
	char ns[64], svc[80], uid[40], rv[16], rs[12], msg[200];
	uint64_t h = hh(W->seed, T_DEP, s);
	int64_t created = obj_created(W, T_SVC, s), gen = 1 + (int64_t)(h % 40);
	uint32_t replicas = W->svc_first[s + 1] - W->svc_first[s], ready = 0;
	static const char *const fspec[] = {
		"f:progressDeadlineSeconds", "f:replicas", "f:revisionHistoryLimit",
		"f:selector",
	};

	for (uint32_t p = W->svc_first[s]; p < W->svc_first[s + 1]; p++)
		ready += pod_state(W, p) == POD_OK;
	ns_name(W, svc_ns(W, s), ns, sizeof(ns));
	svc_name(W, s, svc, sizeof(svc));
	obj_uid(W, T_DEP, s, uid);
	obj_rv(W, T_DEP, s, rv);
	rs_hash(W, s, rs);
	obj_head(w, "apps/v1", "Deployment");
	jw_obj(w, "annotations");
	jw_strf(w, "deployment.kubernetes.io/revision", "%u", 1 + (unsigned)(h >> 8) % 30);
	jw_str(w, "meta.helm.sh/release-name", s == 0 ? "ingress-nginx" : svc);
	jw_str(w, "meta.helm.sh/release-namespace", ns);
	jw_end(w);
	jw_time(w, "creationTimestamp", created);
	jw_int(w, "generation", gen);
	write_pod_labels(w, W, s, NULL);
	jw_arr(w, "managedFields");
	managed_head(w, "apps/v1");
	jw_obj(w, "f:metadata");
	fields_helm_annotations(w);
	fields_labels(w, s, false);
	jw_end(w);
	jw_obj(w, "f:spec");
	for (size_t i = 0; i < sizeof(fspec) / sizeof(fspec[0]); i++)
		jw_leaf(w, fspec[i]);
	jw_obj(w, "f:strategy");
	jw_obj(w, "f:rollingUpdate");
	jw_leaf(w, ".");
	jw_leaf(w, "f:maxSurge");
	jw_leaf(w, "f:maxUnavailable");
	jw_end(w);
	jw_leaf(w, "f:type");
	jw_end(w);
	jw_obj(w, "f:template");
	jw_obj(w, "f:metadata");
	if (s == 0 || svc_profile(W, s) >= 1)
		jw_leaf(w, "f:annotations");
	fields_labels(w, s, false);
	jw_end(w);
	write_spec_fields(w, W, s);
	jw_end(w);
	jw_end(w);
	managed_tail(w, "helm", NULL, created);
	managed_head(w, "apps/v1");
	jw_obj(w, "f:metadata");
	jw_obj(w, "f:annotations");
	jw_leaf(w, "f:deployment.kubernetes.io/revision");
	jw_end(w);
	jw_end(w);
	jw_obj(w, "f:status");
	jw_leaf(w, "f:availableReplicas");
	jw_leaf(w, "f:conditions");
	jw_leaf(w, "f:observedGeneration");
	jw_leaf(w, "f:readyReplicas");
	jw_leaf(w, "f:replicas");
	jw_leaf(w, "f:unavailableReplicas");
	jw_leaf(w, "f:updatedReplicas");
	jw_end(w);
	managed_tail(w, "kube-controller-manager", "status", W->now - 120 - (int64_t)(h % 3000));
	jw_end_arr(w);
	meta_tail(w, svc, ns, rv, uid);
	jw_obj(w, "spec");
	jw_int(w, "progressDeadlineSeconds", 600);
	jw_int(w, "replicas", replicas);
	jw_int(w, "revisionHistoryLimit", 10);
	match_labels(w, svc, s);
	jw_obj(w, "strategy");
	jw_obj(w, "rollingUpdate");
	jw_str(w, "maxSurge", "25%");
	jw_str(w, "maxUnavailable", "25%");
	jw_end(w);
	jw_str(w, "type", "RollingUpdate");
	jw_end(w);
	jw_obj(w, "template");
	jw_obj(w, "metadata");
	write_pod_annotations(w, W, s);
	jw_null(w, "creationTimestamp");
	write_pod_labels(w, W, s, NULL);
	jw_end(w);
	write_pod_spec(w, W, s, -1, true);
	jw_end(w);
	jw_end(w);
	jw_obj(w, "status");
	if (ready)
		jw_int(w, "availableReplicas", ready);
	jw_arr(w, "conditions");
	if (ready)
		dep_condition(w, created + 60, "Deployment has minimum availability.",
			      "MinimumReplicasAvailable", true, "Available");
	else
		dep_condition(w, W->now - 600, "Deployment does not have minimum availability.",
			      "MinimumReplicasUnavailable", false, "Available");
	snprintf(msg, sizeof(msg), "ReplicaSet \"%s-%s\" has successfully progressed.", svc, rs);
	dep_condition(w, created + 30, msg, "NewReplicaSetAvailable", true, "Progressing");
	jw_end_arr(w);
	jw_int(w, "observedGeneration", gen);
	if (ready)
		jw_int(w, "readyReplicas", ready);
	jw_int(w, "replicas", replicas);
	if (replicas > ready)
		jw_int(w, "unavailableReplicas", replicas - ready);
	jw_int(w, "updatedReplicas", replicas);
	jw_end(w);
	jw_end(w);
}

/* ---- events ---- */

struct ev {
	const char *reason, *type, *msg, *container;
	bool scheduler;
	int64_t count, first, last;
};

static void write_event(struct jw *w, const struct world *W, uint32_t p, unsigned k,
			const struct ev *e, const char *pname, const char *ns, const char *node)
{
	char name[200], hex[20], uid[40], puid[40], rv[16], prv[16], t[40];
	uint64_t key = (uint64_t)p * 4 + k;

	fmt_hex(hex, hh(W->seed, T_EVT, key), 16);
	hex[0] = '1';
	hex[1] = '8';
	snprintf(name, sizeof(name), "%s.%s", pname, hex);
	obj_uid(W, T_EVT, key, uid);
	obj_rv(W, T_EVT, key, rv);
	obj_uid(W, T_POD, p, puid);
	obj_rv(W, T_POD, p, prv);
	jw_obj(w, NULL);
	if (e->scheduler)
		jw_str(w, "action", e->reason[0] == 'S' ? "Binding" : "Scheduling");
	jw_str(w, "apiVersion", "v1");
	if (e->scheduler) {
		fmt_time(t, e->last);
		snprintf(t + 19, sizeof(t) - 19, ".%06uZ", (unsigned)(key * 7919 % 1000000));
		jw_str(w, "eventTime", t);
		jw_null(w, "firstTimestamp");
	} else {
		jw_int(w, "count", e->count);
		jw_null(w, "eventTime");
		jw_time(w, "firstTimestamp", e->first);
	}
	jw_obj(w, "involvedObject");
	jw_str(w, "apiVersion", "v1");
	if (e->container)
		jw_strf(w, "fieldPath", "spec.containers{%s}", e->container);
	jw_str(w, "kind", "Pod");
	meta_tail(w, pname, ns, prv, puid);
	jw_str(w, "kind", "Event");
	if (e->scheduler)
		jw_null(w, "lastTimestamp");
	else
		jw_time(w, "lastTimestamp", e->last);
	jw_str(w, "message", e->msg);
	jw_obj(w, "metadata");
	jw_time(w, "creationTimestamp", e->first);
	meta_tail(w, name, ns, rv, uid);
	jw_str(w, "reason", e->reason);
	jw_str(w, "reportingComponent", e->scheduler ? "default-scheduler" : "kubelet");
	if (e->scheduler)
		jw_str(w, "reportingInstance", "default-scheduler-ip-172-20-32-10");
	else
		jw_str(w, "reportingInstance", node);
	jw_obj(w, "source");
	if (!e->scheduler) {
		jw_str(w, "component", "kubelet");
		jw_str(w, "host", node);
	}
	jw_end(w);
	jw_str(w, "type", e->type);
	jw_end(w);
}

void write_pod_events(struct jw *w, const struct world *W, uint32_t p)
{
	enum pod_state st = pod_state(W, p);
	uint32_t s = W->pod_svc[p];
	int64_t started = pod_started(W, p);
	uint64_t h = hh(W->seed, T_EVT, p);
	bool young = started > W->now - 3600;
	char pname[160], ns[64], node[96], ip[32], img[256], msg[400], uid[40], svc[80];
	const char *ctr = s == 0 ? "controller" : "app";
	unsigned port = svc_app_port(W, s);
	struct ev e = { 0 };

	if (st == POD_OK && !young)
		return;
	pod_name(W, p, pname, sizeof(pname));
	ns_name(W, svc_ns(W, s), ns, sizeof(ns));
	node_name(pod_node(W, p), node, sizeof(node));
	pod_ip(W, p, ip, sizeof(ip));
	e.first = W->now - 3000 - (int64_t)(h % 600);
	e.last = W->now - 5 - (int64_t)(h >> 10) % 120;
	e.count = 12 + (int64_t)(h >> 20) % 300;
	switch (st) {
	case POD_CRASHLOOP:
		obj_uid(W, T_POD, p, uid);
		snprintf(msg, sizeof(msg), "Back-off restarting failed container %s in pod %s_%s(%s)",
			 ctr, pname, ns, uid);
		e = (struct ev){ "BackOff", "Warning", msg, ctr, false, e.count, e.first, e.last };
		write_event(w, W, p, 0, &e, pname, ns, node);
		if (h % 2)
			break;
		snprintf(msg, sizeof(msg),
			 "Liveness probe failed: Get \"http://%s:%u/healthz\": dial tcp %s:%u: "
			 "connect: connection refused", ip, port, ip, port);
		e = (struct ev){ "Unhealthy", "Warning", msg, ctr, false, e.count * 3, e.first,
				 e.last };
		write_event(w, W, p, 1, &e, pname, ns, node);
		snprintf(msg, sizeof(msg), "Container %s failed liveness probe, will be restarted",
			 ctr);
		e = (struct ev){ "Killing", "Normal", msg, ctr, false, e.count / 3, e.first,
				 e.last };
		write_event(w, W, p, 2, &e, pname, ns, node);
		break;
	case POD_NOTREADY:
		if (h % 4 == 0)
			snprintf(msg, sizeof(msg),
				 "Readiness probe failed: Get \"http://%s:%u/ready\": context "
				 "deadline exceeded (Client.Timeout exceeded while awaiting headers)",
				 ip, port);
		else
			snprintf(msg, sizeof(msg),
				 "Readiness probe failed: HTTP probe failed with statuscode: %u",
				 h % 4 == 1 ? 500 : 503);
		e = (struct ev){ "Unhealthy", "Warning", msg, ctr, false, e.count * 4, e.first,
				 e.last };
		write_event(w, W, p, 0, &e, pname, ns, node);
		break;
	case POD_PENDING:
		snprintf(msg, sizeof(msg),
			 "0/%u nodes are available: %u Insufficient memory. preemption: 0/%u nodes "
			 "are available: %u No preemption victims found for incoming pod.",
			 W->nodes, W->nodes, W->nodes, W->nodes);
		e = (struct ev){ "FailedScheduling", "Warning", msg, NULL, true, 0, started,
				 W->now - 30 - (int64_t)(h % 240) };
		write_event(w, W, p, 0, &e, pname, ns, node);
		break;
	case POD_OK:
		svc_name(W, s, svc, sizeof(svc));
		snprintf(msg, sizeof(msg), "Successfully assigned %s/%s to %s", ns, pname, node);
		e = (struct ev){ "Scheduled", "Normal", msg, NULL, true, 0, started, started };
		write_event(w, W, p, 0, &e, pname, ns, node);
		if (s == 0)
			snprintf(img, sizeof(img), "registry.k8s.io/ingress-nginx/controller:v1.11.2");
		else
			snprintf(img, sizeof(img), "registry.example.com/%s/%s:1.%u.%u", ns, svc,
				 (unsigned)(hh(W->seed, T_IMG, s) % 40),
				 (unsigned)(hh(W->seed, T_IMG, s) / 40 % 20));
		snprintf(msg, sizeof(msg), "Container image \"%s\" already present on machine", img);
		e = (struct ev){ "Pulled", "Normal", msg, ctr, false, 1, started + 1, started + 1 };
		write_event(w, W, p, 1, &e, pname, ns, node);
		break;
	}
}
