/*
 * gen_objs.c: Nodes, ConfigMaps, Deployments and Events.
 *
 * Nodes carry what the kubelet reports (conditions, capacity, image list,
 * nodeInfo); ~0.3% are NotReady (kubelet stopped posting status) and
 * ~0.3% report MemoryPressure. Events are the kubelet's and the
 * scheduler's about the pods: BackOff/Unhealthy/Killing for crash-looping
 * pods, Unhealthy (readiness) for not-ready ones, FailedScheduling for
 * pending ones, Scheduled/Pulled for pods started in the last hour.
 */
#include "gen.h"

#include <stdio.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const sys_images[] = {
	"602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.18.2",
	"602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1.30.0-minimal-eksbuild.3",
	"602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/pause:3.5",
	"registry.k8s.io/ingress-nginx/controller:v1.11.2",
	"cr.fluentbit.io/fluent/fluent-bit:3.0.7",
	"quay.io/prometheus/node-exporter:v1.8.1",
};

static void node_condition(struct jw *w, const struct world *W, const char *type, bool bad,
			   const char *reason, const char *msg, const char *status)
{
	jw_obj(w, NULL);
	jw_time(w, "lastHeartbeatTime", bad && !strcmp(status, "Unknown") ? W->now - 900
									    : W->now - 20);
	jw_time(w, "lastTransitionTime", bad ? W->now - 900 : W->now - 40 * 86400);
	jw_str(w, "message", msg);
	jw_str(w, "reason", reason);
	jw_str(w, "status", status);
	jw_str(w, "type", type);
	jw_end(w);
}

static void resources(struct jw *w, const char *key, bool alloc)
{
	jw_obj(w, key);
	jw_str(w, "cpu", alloc ? "7910m" : "8");
	jw_str(w, "ephemeral-storage", alloc ? "95551679124" : "104845292Ki");
	jw_str(w, "hugepages-1Gi", "0");
	jw_str(w, "hugepages-2Mi", "0");
	jw_str(w, "memory", alloc ? "31369772Ki" : "32386604Ki");
	jw_str(w, "pods", "110");
	jw_end(w);
}

void write_node(struct jw *w, const struct world *W, uint32_t n)
{
	char name[96], ip[32], zone[16], uid[40], rv[16], cidr[32], hex[65], img[256];
	uint64_t h = hh(W->seed, T_NODE, n);
	bool down = h % 1000 < 3, mem = !down && h % 1000 < 6;
	int64_t created = obj_created(W, T_NODE, n);
	static const char *const fstat[] = {
		"f:allocatable", "f:capacity", "f:conditions", "f:daemonEndpoints", "f:images",
		"f:nodeInfo",
	};

	node_name(n, name, sizeof(name));
	node_ip(n, ip, sizeof(ip));
	zone_of_node(n, zone, sizeof(zone));
	obj_uid(W, T_NODE, n, uid);
	obj_rv(W, T_NODE, n, rv);
	snprintf(cidr, sizeof(cidr), "10.%u.%u.0/24", 64 + n / 256, n % 256);
	obj_head(w, "v1", "Node");
	jw_obj(w, "annotations");
	jw_str(w, "alpha.kubernetes.io/provided-node-ip", ip);
	jw_str(w, "node.alpha.kubernetes.io/ttl", "0");
	jw_str(w, "volumes.kubernetes.io/controller-managed-attach-detach", "true");
	jw_end(w);
	jw_time(w, "creationTimestamp", created);
	jw_obj(w, "labels");
	jw_str(w, "beta.kubernetes.io/arch", "amd64");
	jw_str(w, "beta.kubernetes.io/instance-type", "m5.2xlarge");
	jw_str(w, "beta.kubernetes.io/os", "linux");
	jw_str(w, "failure-domain.beta.kubernetes.io/region", "eu-west-1");
	jw_str(w, "failure-domain.beta.kubernetes.io/zone", zone);
	jw_str(w, "kubernetes.io/arch", "amd64");
	jw_str(w, "kubernetes.io/hostname", name);
	jw_str(w, "kubernetes.io/os", "linux");
	jw_str(w, "node.kubernetes.io/instance-type", "m5.2xlarge");
	jw_str(w, "topology.kubernetes.io/region", "eu-west-1");
	jw_str(w, "topology.kubernetes.io/zone", zone);
	jw_end(w);
	jw_arr(w, "managedFields");
	managed_head(w, "v1");
	jw_obj(w, "f:status");
	for (size_t i = 0; i < NELEM(fstat); i++)
		jw_leaf(w, fstat[i]);
	jw_end(w);
	managed_tail(w, "kubelet", "status", W->now - 20);
	jw_end_arr(w);
	meta_tail(w, name, NULL, rv, uid);
	jw_obj(w, "spec");
	jw_str(w, "podCIDR", cidr);
	jw_arr(w, "podCIDRs");
	jw_str(w, NULL, cidr);
	jw_end_arr(w);
	fmt_hex(hex, h, 17);
	jw_strf(w, "providerID", "aws:///%s/i-%s", zone, hex);
	if (down) {
		jw_arr(w, "taints");
		jw_obj(w, NULL);
		jw_str(w, "effect", "NoSchedule");
		jw_str(w, "key", "node.kubernetes.io/unreachable");
		jw_time(w, "timeAdded", W->now - 880);
		jw_end(w);
		jw_obj(w, NULL);
		jw_str(w, "effect", "NoExecute");
		jw_str(w, "key", "node.kubernetes.io/unreachable");
		jw_time(w, "timeAdded", W->now - 875);
		jw_end(w);
		jw_end_arr(w);
	}
	jw_end(w);
	jw_obj(w, "status");
	jw_arr(w, "addresses");
	jw_obj(w, NULL);
	jw_str(w, "address", ip);
	jw_str(w, "type", "InternalIP");
	jw_end(w);
	jw_obj(w, NULL);
	jw_str(w, "address", name);
	jw_str(w, "type", "InternalDNS");
	jw_end(w);
	jw_obj(w, NULL);
	jw_str(w, "address", name);
	jw_str(w, "type", "Hostname");
	jw_end(w);
	jw_end_arr(w);
	resources(w, "allocatable", true);
	resources(w, "capacity", false);
	jw_arr(w, "conditions");
	if (down) {
		static const char *const t[] = { "MemoryPressure", "DiskPressure", "PIDPressure",
						 "Ready" };
		for (size_t i = 0; i < NELEM(t); i++)
			node_condition(w, W, t[i], true, "NodeStatusUnknown",
				       "Kubelet stopped posting node status.", "Unknown");
	} else {
		node_condition(w, W, "MemoryPressure", mem,
			       mem ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
			       mem ? "kubelet has insufficient memory available"
				   : "kubelet has sufficient memory available",
			       mem ? "True" : "False");
		node_condition(w, W, "DiskPressure", false, "KubeletHasNoDiskPressure",
			       "kubelet has no disk pressure", "False");
		node_condition(w, W, "PIDPressure", false, "KubeletHasSufficientPID",
			       "kubelet has sufficient PID available", "False");
		node_condition(w, W, "Ready", false, "KubeletReady",
			       "kubelet is posting ready status", "True");
	}
	jw_end_arr(w);
	jw_obj(w, "daemonEndpoints");
	jw_obj(w, "kubeletEndpoint");
	jw_int(w, "Port", 10250);
	jw_end(w);
	jw_end(w);
	jw_arr(w, "images");
	for (unsigned i = 0; i < 16; i++) {
		if (i < NELEM(sys_images)) {
			snprintf(img, sizeof(img), "%s", sys_images[i]);
		} else {
			uint32_t s = 1 + (uint32_t)(hh(W->seed, T_NODE + 100, n * 16 + i) %
						    (W->services - 1));
			char ns[64], svc[80];
			ns_name(W, svc_ns(W, s), ns, sizeof(ns));
			svc_name(W, s, svc, sizeof(svc));
			snprintf(img, sizeof(img), "registry.example.com/%s/%s:1.%u.0", ns, svc,
				 (unsigned)(hh(W->seed, T_IMG, s) % 40));
		}
		fmt_hex(hex, hh(W->seed, T_IMG + 100, n * 16 + i), 64);
		jw_obj(w, NULL);
		jw_arr(w, "names");
		jw_strf(w, NULL, "%.*s@sha256:%s", (int)strcspn(img, ":"), img, hex);
		jw_str(w, NULL, img);
		jw_end_arr(w);
		jw_int(w, "sizeBytes", 10000000 + (int64_t)(hh(W->seed, T_IMG + 200, i) % 400000000));
		jw_end(w);
	}
	jw_end_arr(w);
	jw_obj(w, "nodeInfo");
	jw_str(w, "architecture", "amd64");
	obj_uid(W, T_NODE + 1, n, hex);
	jw_str(w, "bootID", hex);
	jw_str(w, "containerRuntimeVersion", "containerd://1.7.11");
	jw_str(w, "kernelVersion", "5.10.219-208.866.amzn2.x86_64");
	jw_str(w, "kubeProxyVersion", "v1.30.0-eks-036c24b");
	jw_str(w, "kubeletVersion", "v1.30.0-eks-036c24b");
	fmt_hex(hex, hh(W->seed, T_NODE + 2, n), 32);
	jw_str(w, "machineID", hex);
	jw_str(w, "operatingSystem", "linux");
	jw_str(w, "osImage", "Amazon Linux 2");
	obj_uid(W, T_NODE + 3, n, hex);
	jw_str(w, "systemUUID", hex);
	jw_end(w);
	jw_end(w);
	jw_end(w);
}

void write_configmap(struct jw *w, const struct world *W, uint32_t s)
{
	char ns[64], svc[80], uid[40], rv[16], data[512];
	int64_t created = obj_created(W, T_CM, s);

	ns_name(W, svc_ns(W, s), ns, sizeof(ns));
	svc_name(W, s, svc, sizeof(svc));
	obj_uid(W, T_CM, s, uid);
	obj_rv(W, T_CM, s, rv);
	jw_obj(w, NULL);
	jw_str(w, "apiVersion", "v1");
	jw_obj(w, "data");
	if (s == 0) {
		jw_str(w, "allow-snippet-annotations", "false");
		jw_str(w, "enable-real-ip", "true");
		jw_str(w, "proxy-body-size", "16m");
		jw_str(w, "use-forwarded-headers", "true");
	} else {
		snprintf(data, sizeof(data),
			 "server:\n  port: %u\n  shutdownGracePeriod: 20s\nlogging:\n  level: info\n"
			 "  format: json\nupstream:\n  url: http://%s.%s.svc.cluster.local\n"
			 "  timeout: 5s\n",
			 svc_app_port(W, s), svc, ns);
		jw_str(w, "FEATURE_FLAGS", "checkout-v2=off,new-search=on");
		jw_str(w, "app.yaml", data);
	}
	jw_end(w);
	jw_str(w, "kind", "ConfigMap");
	jw_obj(w, "metadata");
	jw_obj(w, "annotations");
	jw_str(w, "meta.helm.sh/release-name", s == 0 ? "ingress-nginx" : svc);
	jw_str(w, "meta.helm.sh/release-namespace", ns);
	jw_end(w);
	jw_time(w, "creationTimestamp", created);
	jw_obj(w, "labels");
	jw_str(w, "app.kubernetes.io/instance", s == 0 ? "ingress-nginx" : svc);
	jw_str(w, "app.kubernetes.io/managed-by", "Helm");
	jw_str(w, "app.kubernetes.io/name", s == 0 ? "ingress-nginx" : svc);
	jw_end(w);
	jw_arr(w, "managedFields");
	managed_head(w, "v1");
	jw_obj(w, "f:data");
	jw_leaf(w, ".");
	if (s == 0) {
		jw_leaf(w, "f:allow-snippet-annotations");
		jw_leaf(w, "f:enable-real-ip");
		jw_leaf(w, "f:proxy-body-size");
		jw_leaf(w, "f:use-forwarded-headers");
	} else {
		jw_leaf(w, "f:FEATURE_FLAGS");
		jw_leaf(w, "f:app.yaml");
	}
	jw_end(w);
	jw_obj(w, "f:metadata");
	fields_helm_annotations(w);
	jw_obj(w, "f:labels");
	jw_leaf(w, ".");
	jw_leaf(w, "f:app.kubernetes.io/instance");
	jw_leaf(w, "f:app.kubernetes.io/managed-by");
	jw_leaf(w, "f:app.kubernetes.io/name");
	jw_end(w);
	jw_end(w);
	managed_tail(w, "helm", NULL, created);
	jw_end_arr(w);
	if (s == 0)
		jw_str(w, "name", "ingress-nginx-controller");
	else
		jw_strf(w, "name", "%s-config", svc);
	jw_str(w, "namespace", ns);
	jw_str(w, "resourceVersion", rv);
	jw_str(w, "uid", uid);
	jw_end(w);
	jw_end(w);
}
