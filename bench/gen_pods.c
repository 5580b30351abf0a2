/*
 * gen_pods.c: Pods, their pod spec (shared with Deployments), the
 * managedFields that describe them, and the kubelet/scheduler Events
 * about them.
 *
 * Pods are the bulk of a snapshot, so they carry what real ones carry:
 * labels, annotations, ownerReferences, two managedFields entries
 * (kube-controller-manager for the spec, kubelet for the status) with
 * fieldsV1 trees, containers with env, ports, probes, resources and
 * volumeMounts, projected service-account volumes, tolerations, and a
 * status with conditions and containerStatuses. ~2% crash-loop, ~3% fail
 * their readiness probe, ~0.3% are unschedulable (see pod_state()).
 */
#include "gen.h"

#include <stdio.h>
#include <string.h>

/* Sorted by name (fieldsV1 keys are sorted; the array order is free). */
const struct env app_env[APP_ENV_N] = {
	{ "DATABASE_HOST", "postgres.db.svc.cluster.local", NULL },
	{ "LOG_FORMAT", "json", NULL },
	{ "LOG_LEVEL", "info", NULL },
	{ "OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability:4317", NULL },
	{ "POD_IP", NULL, "status.podIP" },
	{ "POD_NAME", NULL, "metadata.name" },
	{ "POD_NAMESPACE", NULL, "metadata.namespace" },
};
const struct env ctl_env[CTL_ENV_N] = {
	{ "LD_PRELOAD", "/usr/local/lib/libmimalloc.so", NULL },
	{ "POD_NAME", NULL, "metadata.name" },
	{ "POD_NAMESPACE", NULL, "metadata.namespace" },
};
static const char *const ctl_args[] = {
	"/nginx-ingress-controller",
	"--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller",
	"--election-id=ingress-nginx-leader",
	"--controller-class=k8s.io/ingress-nginx",
	"--ingress-class=nginx",
	"--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
	"--validating-webhook=:8443",
	"--validating-webhook-certificate=/usr/local/certificates/cert",
	"--validating-webhook-key=/usr/local/certificates/key",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define CTL_IMAGE "registry.k8s.io/ingress-nginx/controller:v1.11.2"
#define SIDECAR_IMAGE "cr.fluentbit.io/fluent/fluent-bit:3.0.7"

static void image_of(const struct world *W, uint32_t s, char *out, size_t n)
{
	char ns[64], svc[80];
	uint64_t h = hh(W->seed, T_IMG, s);

	if (s == 0) {
		snprintf(out, n, CTL_IMAGE);
		return;
	}
	ns_name(W, svc_ns(W, s), ns, sizeof(ns));
	svc_name(W, s, svc, sizeof(svc));
	snprintf(out, n, "registry.example.com/%s/%s:1.%u.%u", ns, svc, (unsigned)(h % 40),
		 (unsigned)(h / 40 % 20));
}

static void write_probe(struct jw *w, const char *key, const char *path, const char *port,
			unsigned delay, unsigned period)
{
	jw_obj(w, key);
	jw_int(w, "failureThreshold", 3);
	jw_obj(w, "httpGet");
	jw_str(w, "path", path);
	jw_str(w, "port", port);
	jw_str(w, "scheme", "HTTP");
	jw_end(w);
	jw_int(w, "initialDelaySeconds", delay);
	jw_int(w, "periodSeconds", period);
	jw_int(w, "successThreshold", 1);
	jw_int(w, "timeoutSeconds", 1);
	jw_end(w);
}

static void write_env(struct jw *w, const struct env *e, size_t n, unsigned mask,
		      unsigned port)
{
	jw_arr(w, "env");
	for (size_t i = 0; i < n; i++) {
		if (!(mask & (1u << i)))
			continue;
		jw_obj(w, NULL);
		jw_str(w, "name", e[i].name);
		if (e[i].value) {
			jw_str(w, "value", e[i].value);
		} else {
			jw_obj(w, "valueFrom");
			jw_obj(w, "fieldRef");
			jw_str(w, "apiVersion", "v1");
			jw_str(w, "fieldPath", e[i].field);
			jw_end(w);
			jw_end(w);
		}
		jw_end(w);
	}
	if (port) {
		jw_obj(w, NULL);
		jw_str(w, "name", "PORT");
		jw_strf(w, "value", "%u", port);
		jw_end(w);
	}
	jw_end_arr(w);
}

static void write_port(struct jw *w, unsigned port, const char *name)
{
	jw_obj(w, NULL);
	jw_int(w, "containerPort", port);
	jw_str(w, "name", name);
	jw_str(w, "protocol", "TCP");
	jw_end(w);
}

static void write_mount(struct jw *w, const char *path, const char *name, bool ro)
{
	jw_obj(w, NULL);
	jw_str(w, "mountPath", path);
	jw_str(w, "name", name);
	if (ro)
		jw_bool(w, "readOnly", true);
	jw_end(w);
}

static void write_resources(struct jw *w, const char *cpu, const char *mem, const char *lim)
{
	jw_obj(w, "resources");
	jw_obj(w, "limits");
	jw_str(w, "memory", lim);
	jw_end(w);
	jw_obj(w, "requests");
	jw_str(w, "cpu", cpu);
	jw_str(w, "memory", mem);
	jw_end(w);
	jw_end(w);
}

static void write_containers(struct jw *w, const struct world *W, uint32_t s, const char *sa_vol)
{
	char img[256];
	unsigned port = svc_app_port(W, s);

	image_of(W, s, img, sizeof(img));
	jw_arr(w, "containers");
	jw_obj(w, NULL);
	if (s == 0) {
		jw_arr(w, "args");
		for (size_t i = 0; i < NELEM(ctl_args); i++)
			jw_str(w, NULL, ctl_args[i]);
		jw_end_arr(w);
		write_env(w, ctl_env, NELEM(ctl_env), ~0u, 0);
	} else {
		write_env(w, app_env, NELEM(app_env), svc_env_mask(W, s),
			  svc_profile(W, s) == 2 ? port : 0);
	}
	jw_str(w, "image", img);
	jw_str(w, "imagePullPolicy", "IfNotPresent");
	if (s == 0) {
		jw_obj(w, "lifecycle");
		jw_obj(w, "preStop");
		jw_obj(w, "exec");
		jw_arr(w, "command");
		jw_str(w, NULL, "/wait-shutdown");
		jw_end_arr(w);
		jw_end(w);
		jw_end(w);
		jw_end(w);
		write_probe(w, "livenessProbe", "/healthz", "10254", 10, 10);
		jw_str(w, "name", "controller");
		jw_arr(w, "ports");
		write_port(w, 80, "http");
		write_port(w, 443, "https");
		write_port(w, 8443, "webhook");
		jw_end_arr(w);
		write_probe(w, "readinessProbe", "/healthz", "10254", 10, 10);
		write_resources(w, "100m", "90Mi", "512Mi");
	} else {
		if (svc_profile(W, s) >= 1)
			write_probe(w, "livenessProbe", "/healthz", "http", 15, 10);
		jw_str(w, "name", "app");
		jw_arr(w, "ports");
		write_port(w, port, "http");
		if (svc_has_metrics(W, s))
			write_port(w, 9090, "metrics");
		jw_end_arr(w);
		write_probe(w, "readinessProbe", "/ready", "http", 5, 5);
		write_resources(w, "250m", "256Mi", "512Mi");
	}
	jw_str(w, "terminationMessagePath", "/dev/termination-log");
	jw_str(w, "terminationMessagePolicy", "File");
	if (svc_has_config(W, s) || svc_has_sidecar(W, s) || sa_vol) {
		jw_arr(w, "volumeMounts");
		if (svc_has_config(W, s))
			write_mount(w, "/etc/app", "config", true);
		if (svc_has_sidecar(W, s))
			write_mount(w, "/var/log/app", "logs", false);
		if (sa_vol)
			write_mount(w, "/var/run/secrets/kubernetes.io/serviceaccount", sa_vol,
				    true);
		jw_end_arr(w);
	}
	jw_end(w);
	if (svc_has_sidecar(W, s)) {
		jw_obj(w, NULL);
		jw_str(w, "image", SIDECAR_IMAGE);
		jw_str(w, "imagePullPolicy", "IfNotPresent");
		jw_str(w, "name", "log-shipper");
		write_resources(w, "20m", "32Mi", "64Mi");
		jw_str(w, "terminationMessagePath", "/dev/termination-log");
		jw_str(w, "terminationMessagePolicy", "File");
		jw_arr(w, "volumeMounts");
		write_mount(w, "/var/log/app", "logs", true);
		if (sa_vol)
			write_mount(w, "/var/run/secrets/kubernetes.io/serviceaccount", sa_vol, true);
		jw_end_arr(w);
		jw_end(w);
	}
	jw_end_arr(w);
}

static void write_toleration(struct jw *w, const char *key)
{
	jw_obj(w, NULL);
	jw_str(w, "effect", "NoExecute");
	jw_str(w, "key", key);
	jw_str(w, "operator", "Exists");
	jw_int(w, "tolerationSeconds", 300);
	jw_end(w);
}

/* p < 0: the Deployment's pod template (no node, no admission defaults). */
void write_pod_spec(struct jw *w, const struct world *W, uint32_t s, int64_t p, bool tmpl)
{
	char sa[32], svc[80], node[80];
	bool pending = !tmpl && pod_state(W, (uint32_t)p) == POD_PENDING;

	svc_name(W, s, svc, sizeof(svc));
	memcpy(sa, "kube-api-access-", 16);
	fmt_rand_name(sa + 16, hh(W->seed, T_VOL, (uint64_t)p), 5);
	jw_obj(w, "spec");
	write_containers(w, W, s, tmpl ? NULL : sa);
	jw_str(w, "dnsPolicy", "ClusterFirst");
	if (!tmpl) {
		jw_bool(w, "enableServiceLinks", true);
		if (!pending) {
			node_name(pod_node(W, (uint32_t)p), node, sizeof(node));
			jw_str(w, "nodeName", node);
		}
		jw_str(w, "preemptionPolicy", "PreemptLowerPriority");
		jw_int(w, "priority", 0);
	}
	jw_str(w, "restartPolicy", "Always");
	jw_str(w, "schedulerName", "default-scheduler");
	jw_obj(w, "securityContext");
	jw_end(w);
	if (!tmpl || s == 0) {
		jw_str(w, "serviceAccount", s == 0 ? "ingress-nginx" : "default");
		jw_str(w, "serviceAccountName", s == 0 ? "ingress-nginx" : "default");
	}
	jw_int(w, "terminationGracePeriodSeconds", s == 0 ? 300 : 30);
	if (!tmpl) {
		jw_arr(w, "tolerations");
		write_toleration(w, "node.kubernetes.io/not-ready");
		write_toleration(w, "node.kubernetes.io/unreachable");
		jw_end_arr(w);
	}
	if (!tmpl || svc_has_config(W, s) || svc_has_sidecar(W, s))
		jw_arr(w, "volumes");
	if (svc_has_config(W, s)) {
		jw_obj(w, NULL);
		jw_obj(w, "configMap");
		jw_int(w, "defaultMode", 420);
		jw_strf(w, "name", "%s-config", svc);
		jw_end(w);
		jw_str(w, "name", "config");
		jw_end(w);
	}
	if (!tmpl) {
		jw_obj(w, NULL);
		jw_str(w, "name", sa);
		jw_obj(w, "projected");
		jw_int(w, "defaultMode", 420);
		jw_arr(w, "sources");
		jw_obj(w, NULL);
		jw_obj(w, "serviceAccountToken");
		jw_int(w, "expirationSeconds", 3607);
		jw_str(w, "path", "token");
		jw_end(w);
		jw_end(w);
		jw_obj(w, NULL);
		jw_obj(w, "configMap");
		jw_arr(w, "items");
		jw_obj(w, NULL);
		jw_str(w, "key", "ca.crt");
		jw_str(w, "path", "ca.crt");
		jw_end(w);
		jw_end_arr(w);
		jw_str(w, "name", "kube-root-ca.crt");
		jw_end(w);
		jw_end(w);
		jw_obj(w, NULL);
		jw_obj(w, "downwardAPI");
		jw_arr(w, "items");
		jw_obj(w, NULL);
		jw_obj(w, "fieldRef");
		jw_str(w, "apiVersion", "v1");
		jw_str(w, "fieldPath", "metadata.namespace");
		jw_end(w);
		jw_str(w, "path", "namespace");
		jw_end(w);
		jw_end_arr(w);
		jw_end(w);
		jw_end(w);
		jw_end_arr(w);
		jw_end(w);
		jw_end(w);
	}
	if (svc_has_sidecar(W, s)) {
		jw_obj(w, NULL);
		jw_obj(w, "emptyDir");
		jw_end(w);
		jw_str(w, "name", "logs");
		jw_end(w);
	}
	if (!tmpl || svc_has_config(W, s) || svc_has_sidecar(W, s))
		jw_end_arr(w);
	jw_end(w);
}

/* Annotations of the pods of service s (none for lean ones). */
void write_pod_annotations(struct jw *w, const struct world *W, uint32_t s)
{
	if (s != 0 && svc_profile(W, s) == 0)
		return;
	jw_obj(w, "annotations");
	if (s == 0) {
		jw_str(w, "kubectl.kubernetes.io/default-container", "controller");
	} else {
		jw_str(w, "kubectl.kubernetes.io/restartedAt", "2025-04-02T09:12:44Z");
		jw_str(w, "prometheus.io/path", "/metrics");
		jw_str(w, "prometheus.io/port", "9090");
		jw_str(w, "prometheus.io/scrape", "true");
	}
	jw_end(w);
}

/* Labels of the pods of service s (the pod template's). */
void write_pod_labels(struct jw *w, const struct world *W, uint32_t s, const char *rs)
{
	char svc[80], ns[64];

	svc_name(W, s, svc, sizeof(svc));
	ns_name(W, svc_ns(W, s), ns, sizeof(ns));
	jw_obj(w, "labels");
	if (s == 0) {
		ctl_helm_labels(w);
	} else {
		jw_str(w, "app.kubernetes.io/instance", svc);
		jw_str(w, "app.kubernetes.io/name", svc);
		jw_str(w, "app.kubernetes.io/part-of", ns);
	}
	if (rs)
		jw_str(w, "pod-template-hash", rs);
	jw_end(w);
}

static void write_condition(struct jw *w, const char *type, bool ok, int64_t t,
			    const char *reason, const char *msg)
{
	jw_obj(w, NULL);
	jw_null(w, "lastProbeTime");
	jw_time(w, "lastTransitionTime", t);
	if (!ok && msg)
		jw_str(w, "message", msg);
	if (!ok && reason)
		jw_str(w, "reason", reason);
	jw_str(w, "status", ok ? "True" : "False");
	jw_str(w, "type", type);
	jw_end(w);
}

static void write_container_status(struct jw *w, const struct world *W, uint32_t p,
				   const char *name, const char *img, enum pod_state st,
				   int64_t started, const char *pname, const char *ns,
				   const char *uid)
{
	char cid[80], iid[200], hex[65];
	uint64_t h = hh(W->seed, T_CID, p) + (name[0] == 'l');
	bool crash = st == POD_CRASHLOOP && name[0] != 'l';

	memcpy(cid, "containerd://", 13);
	fmt_hex(cid + 13, h, 64);
	fmt_hex(hex, hh(W->seed, T_IMG, W->pod_svc[p]) + (name[0] == 'l'), 64);
	snprintf(iid, sizeof(iid), "%.*s@sha256:%s", (int)strcspn(img, ":"), img, hex);
	jw_obj(w, NULL);
	jw_str(w, "containerID", cid);
	jw_str(w, "image", img);
	jw_str(w, "imageID", iid);
	jw_obj(w, "lastState");
	if (crash) {
		bool oom = h % 3 == 0;
		jw_obj(w, "terminated");
		jw_str(w, "containerID", cid);
		jw_int(w, "exitCode", oom ? 137 : 1);
		jw_time(w, "finishedAt", W->now - 40 - (int64_t)(h % 200));
		jw_str(w, "reason", oom ? "OOMKilled" : "Error");
		jw_time(w, "startedAt", W->now - 60 - (int64_t)(h % 200));
		jw_end(w);
	}
	jw_end(w);
	jw_str(w, "name", name);
	jw_bool(w, "ready", name[0] == 'l' || st == POD_OK);
	jw_int(w, "restartCount", crash ? 5 + (int64_t)(h % 300) : (int64_t)(h % 50 == 0));
	jw_bool(w, "started", !crash);
	jw_obj(w, "state");
	if (crash) {
		jw_obj(w, "waiting");
		jw_strf(w, "message", "back-off 5m0s restarting failed container=%s pod=%s_%s(%s)",
			name, pname, ns, uid);
		jw_str(w, "reason", "CrashLoopBackOff");
		jw_end(w);
	} else {
		jw_obj(w, "running");
		jw_time(w, "startedAt", started + 2);
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
}

/* "key": [{"ip": ip}] (hostIPs, podIPs). */
static void ip_list(struct jw *w, const char *key, const char *ip)
{
	jw_arr(w, key);
	jw_obj(w, NULL);
	jw_str(w, "ip", ip);
	jw_end(w);
	jw_end_arr(w);
}

static void write_pod_status(struct jw *w, const struct world *W, uint32_t p,
			     const char *pname, const char *ns, const char *uid)
{
	uint32_t s = W->pod_svc[p];
	enum pod_state st = pod_state(W, p);
	int64_t started = pod_started(W, p);
	bool ready = st == POD_OK;
	const char *cmsg = s == 0 ? "containers with unready status: [controller]"
				  : "containers with unready status: [app]";
	char ip[32], img[256], msg[160];

	jw_obj(w, "status");
	jw_arr(w, "conditions");
	if (st == POD_PENDING) {
		snprintf(msg, sizeof(msg),
			 "0/%u nodes are available: %u Insufficient memory. preemption: 0/%u nodes "
			 "are available: %u No preemption victims found for incoming pod.",
			 W->nodes, W->nodes, W->nodes, W->nodes);
		jw_obj(w, NULL);
		jw_null(w, "lastProbeTime");
		jw_time(w, "lastTransitionTime", started);
		jw_str(w, "message", msg);
		jw_str(w, "reason", "Unschedulable");
		jw_str(w, "status", "False");
		jw_str(w, "type", "PodScheduled");
		jw_end(w);
		jw_end_arr(w);
		jw_str(w, "phase", "Pending");
		jw_str(w, "qosClass", "Burstable");
		jw_end(w);
		return;
	}
	write_condition(w, "PodReadyToStartContainers", true, started + 2, NULL, NULL);
	write_condition(w, "Initialized", true, started, NULL, NULL);
	write_condition(w, "Ready", ready, started + 20, "ContainersNotReady", cmsg);
	write_condition(w, "ContainersReady", ready, started + 20, "ContainersNotReady", cmsg);
	write_condition(w, "PodScheduled", true, started, NULL, NULL);
	jw_end_arr(w);
	image_of(W, s, img, sizeof(img));
	jw_arr(w, "containerStatuses");
	write_container_status(w, W, p, s == 0 ? "controller" : "app", img, st, started, pname,
			       ns, uid);
	if (svc_has_sidecar(W, s))
		write_container_status(w, W, p, "log-shipper", SIDECAR_IMAGE, st, started, pname,
				       ns, uid);
	jw_end_arr(w);
	node_ip(pod_node(W, p), ip, sizeof(ip));
	jw_str(w, "hostIP", ip);
	ip_list(w, "hostIPs", ip);
	jw_str(w, "phase", "Running");
	pod_ip(W, p, ip, sizeof(ip));
	jw_str(w, "podIP", ip);
	ip_list(w, "podIPs", ip);
	jw_str(w, "qosClass", "Burstable");
	jw_time(w, "startTime", started);
	jw_end(w);
}

void write_pod(struct jw *w, const struct world *W, uint32_t p)
{
	uint32_t s = W->pod_svc[p];
	enum pod_state st = pod_state(W, p);
	char name[160], ns[64], svc[80], rs[12], uid[40], rsuid[40], rv[16], key[64], ip[32];
	char owner[96];   /* svc-rs */
	int64_t started = pod_started(W, p);

	pod_name(W, p, name, sizeof(name));
	ns_name(W, svc_ns(W, s), ns, sizeof(ns));
	svc_name(W, s, svc, sizeof(svc));
	rs_hash(W, s, rs);
	obj_uid(W, T_POD, p, uid);
	obj_uid(W, T_RS, s, rsuid);
	obj_rv(W, T_POD, p, rv);

	obj_head(w, "v1", "Pod");
	write_pod_annotations(w, W, s);
	jw_time(w, "creationTimestamp", started - 1);
	jw_strf(w, "generateName", "%s-%s-", svc, rs);
	write_pod_labels(w, W, s, rs);
	jw_arr(w, "managedFields");
	managed_head(w, "v1");
	jw_obj(w, "f:metadata");
	if (s == 0 || svc_profile(W, s) >= 1) {
		jw_obj(w, "f:annotations");
		jw_leaf(w, ".");
		if (s == 0) {
			jw_leaf(w, "f:kubectl.kubernetes.io/default-container");
		} else {
			jw_leaf(w, "f:kubectl.kubernetes.io/restartedAt");
			jw_leaf(w, "f:prometheus.io/path");
			jw_leaf(w, "f:prometheus.io/port");
			jw_leaf(w, "f:prometheus.io/scrape");
		}
		jw_end(w);
	}
	jw_leaf(w, "f:generateName");
	fields_labels(w, s, true);
	fields_owner(w, rsuid);
	jw_end(w);
	write_spec_fields(w, W, s);
	managed_tail(w, "kube-controller-manager", NULL, started - 1);
	managed_head(w, "v1");
	jw_obj(w, "f:status");
	jw_obj(w, "f:conditions");
	if (st == POD_PENDING) {
		jw_leaf(w, ".");
		fields_condition(w, "PodScheduled");
		jw_end(w);
	} else {
		fields_condition(w, "ContainersReady");
		fields_condition(w, "Initialized");
		fields_condition(w, "PodReadyToStartContainers");
		fields_condition(w, "Ready");
		jw_end(w);
		jw_leaf(w, "f:containerStatuses");
		jw_leaf(w, "f:hostIP");
		jw_leaf(w, "f:hostIPs");
	}
	jw_leaf(w, "f:phase");
	if (st != POD_PENDING) {
		pod_ip(W, p, ip, sizeof(ip));
		snprintf(key, sizeof(key), "k:{\"ip\":\"%s\"}", ip);
		jw_leaf(w, "f:podIP");
		jw_obj(w, "f:podIPs");
		jw_leaf(w, ".");
		jw_obj(w, key);
		jw_leaf(w, ".");
		jw_leaf(w, "f:ip");
		jw_end(w);
		jw_end(w);
		jw_leaf(w, "f:startTime");
	}
	jw_end(w);
	managed_tail(w, st == POD_PENDING ? "kube-scheduler" : "kubelet", "status",
		     W->now - 30 - (int64_t)(hh(W->seed, T_AGE, p) % 600));
	jw_end_arr(w);
	jw_str(w, "name", name);
	jw_str(w, "namespace", ns);
	snprintf(owner, sizeof(owner), "%s-%s", svc, rs);
	owner_ref(w, "apps/v1", "ReplicaSet", owner, rsuid);
	jw_str(w, "resourceVersion", rv);
	jw_str(w, "uid", uid);
	jw_end(w);
	write_pod_spec(w, W, s, p, false);
	write_pod_status(w, W, p, name, ns, uid);
	jw_end(w);
}
