/*
 * gen_net.c: the network side of a snapshot: Ingresses, the IngressClass,
 * Services, EndpointSlices, Endpoints and NetworkPolicies.
 *
 * EndpointSlices and Endpoints list exactly the pods the layout gives each
 * Service (pending pods have no IP and are left out; crash-looping and
 * not-ready pods are listed as not ready). About 0.5% of Services select
 * no pod (a label typo), and about 1% of Ingress paths name a Service that
 * does not exist, 0.3% a port the Service lacks, 0.2% a missing class.
 */
#include "gen.h"

#include <stdio.h>
#include <string.h>

struct names {
	char ns[64], svc[80], uid[40], rv[16];
};

static void names_of(const struct world *W, uint32_t s, uint64_t tag, struct names *n)
{
	ns_name(W, svc_ns(W, s), n->ns, sizeof(n->ns));
	svc_name(W, s, n->svc, sizeof(n->svc));
	obj_uid(W, tag, s, n->uid);
	obj_rv(W, tag, s, n->rv);
}

static void svc_labels(struct jw *w, const struct world *W, uint32_t s, const struct names *n,
		       bool slice)
{
	jw_obj(w, "labels");
	if (s == 0) {
		ctl_match_labels(w);
	} else {
		jw_str(w, "app.kubernetes.io/instance", n->svc);
		jw_str(w, "app.kubernetes.io/name", n->svc);
		jw_str(w, "app.kubernetes.io/part-of", n->ns);
	}
	if (slice) {
		jw_str(w, "endpointslice.kubernetes.io/managed-by",
		       "endpointslice-controller.k8s.io");
		jw_str(w, "kubernetes.io/service-name", n->svc);
	}
	jw_end(w);
	(void)W;
}

/* The fieldsV1 entry of one TCP Service port. */
static void fields_svc_port(struct jw *w, unsigned port)
{
	char key[64];

	snprintf(key, sizeof(key), "k:{\"port\":%u,\"protocol\":\"TCP\"}", port);
	jw_obj(w, key);
	jw_leaf(w, ".");
	jw_leaf(w, "f:name");
	jw_leaf(w, "f:port");
	jw_leaf(w, "f:protocol");
	jw_leaf(w, "f:targetPort");
	jw_end(w);
}

static void fields_svc_labels(struct jw *w, uint32_t s, bool slice)
{
	jw_obj(w, "f:labels");
	jw_leaf(w, ".");
	if (s == 0)
		jw_leaf(w, "f:app.kubernetes.io/component");
	jw_leaf(w, "f:app.kubernetes.io/instance");
	jw_leaf(w, "f:app.kubernetes.io/name");
	if (s != 0)
		jw_leaf(w, "f:app.kubernetes.io/part-of");
	if (slice) {
		jw_leaf(w, "f:endpointslice.kubernetes.io/managed-by");
		jw_leaf(w, "f:kubernetes.io/service-name");
	}
	jw_end(w);
}

static void write_selector(struct jw *w, const struct world *W, uint32_t s, const char *svc)
{
	jw_obj(w, "selector");
	if (s == 0) {
		ctl_match_labels(w);
	} else {
		jw_str(w, "app.kubernetes.io/instance", svc);
		if (svc_selector_broken(W, s))
			jw_strf(w, "app.kubernetes.io/name", "%s-v2", svc);
		else
			jw_str(w, "app.kubernetes.io/name", svc);
	}
	jw_end(w);
}

static void svc_port(struct jw *w, const char *name, unsigned port, unsigned node_port,
		     const char *target_name, unsigned target)
{
	jw_obj(w, NULL);
	jw_str(w, "name", name);
	if (node_port)
		jw_int(w, "nodePort", node_port);
	jw_int(w, "port", port);
	jw_str(w, "protocol", "TCP");
	if (target_name)
		jw_str(w, "targetPort", target_name);
	else
		jw_int(w, "targetPort", target);
	jw_end(w);
}

void write_service(struct jw *w, const struct world *W, uint32_t s)
{
	struct names n;
	char ip[32], applied[1024];
	uint64_t h = hh(W->seed, T_SVC, s);
	int64_t created = obj_created(W, T_SVC, s);
	bool named = svc_named_target(W, s), metrics = svc_has_metrics(W, s);
	unsigned port = svc_app_port(W, s);

	names_of(W, s, T_SVC, &n);
	snprintf(ip, sizeof(ip), "10.%u.%u.%u", 96 + (unsigned)(s >> 16), (s >> 8) & 255, s & 255);
	obj_head(w, "v1", "Service");
	if (s != 0) {
		char tp[16];
		if (named)
			snprintf(tp, sizeof(tp), "\"http\"");
		else
			snprintf(tp, sizeof(tp), "%u", port);
		snprintf(applied, sizeof(applied),
			 "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"annotations\":"
			 "{},\"labels\":{\"app.kubernetes.io/instance\":\"%s\",\"app.kubernetes.io/"
			 "name\":\"%s\",\"app.kubernetes.io/part-of\":\"%s\"},\"name\":\"%s\","
			 "\"namespace\":\"%s\"},\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":80,"
			 "\"targetPort\":%s}%s],\"selector\":{\"app.kubernetes.io/instance\":\"%s\","
			 "\"app.kubernetes.io/name\":\"%s%s\"}}}\n",
			 n.svc, n.svc, n.ns, n.svc, n.ns, tp,
			 metrics ? ",{\"name\":\"metrics\",\"port\":9090,\"targetPort\":\"metrics\"}"
				 : "",
			 n.svc, n.svc, svc_selector_broken(W, s) ? "-v2" : "");
		jw_obj(w, "annotations");
		jw_str(w, "kubectl.kubernetes.io/last-applied-configuration", applied);
		jw_end(w);
	}
	jw_time(w, "creationTimestamp", created);
	svc_labels(w, W, s, &n, false);
	jw_arr(w, "managedFields");
	managed_head(w, "v1");
	jw_obj(w, "f:metadata");
	if (s != 0) {
		jw_obj(w, "f:annotations");
		jw_leaf(w, ".");
		jw_leaf(w, "f:kubectl.kubernetes.io/last-applied-configuration");
		jw_end(w);
	}
	fields_svc_labels(w, s, false);
	jw_end(w);
	jw_obj(w, "f:spec");
	if (s == 0)
		jw_leaf(w, "f:externalTrafficPolicy");
	jw_leaf(w, "f:internalTrafficPolicy");
	jw_obj(w, "f:ports");
	jw_leaf(w, ".");
	fields_svc_port(w, s == 0 ? 443 : 80);
	if (s == 0 || metrics)
		fields_svc_port(w, s == 0 ? 80 : 9090);
	jw_end(w);
	jw_obj(w, "f:selector");
	jw_end(w);
	jw_leaf(w, "f:sessionAffinity");
	jw_leaf(w, "f:type");
	jw_end(w);
	managed_tail(w, s == 0 ? "helm" : "kubectl-client-side-apply", NULL, created);
	jw_end_arr(w);
	meta_tail(w, n.svc, n.ns, n.rv, n.uid);
	jw_obj(w, "spec");
	if (s == 0)
		jw_bool(w, "allocateLoadBalancerNodePorts", true);
	jw_str(w, "clusterIP", ip);
	jw_arr(w, "clusterIPs");
	jw_str(w, NULL, ip);
	jw_end_arr(w);
	if (s == 0) {
		jw_str(w, "externalTrafficPolicy", "Local");
		jw_int(w, "healthCheckNodePort", 32081);
	}
	jw_str(w, "internalTrafficPolicy", "Cluster");
	jw_arr(w, "ipFamilies");
	jw_str(w, NULL, "IPv4");
	jw_end_arr(w);
	jw_str(w, "ipFamilyPolicy", "SingleStack");
	jw_arr(w, "ports");
	if (s == 0) {
		svc_port(w, "http", 80, 31080, "http", 0);
		svc_port(w, "https", 443, 31443, "https", 0);
	} else {
		svc_port(w, "http", 80, 0, named ? "http" : NULL, port);
		if (metrics)
			svc_port(w, "metrics", 9090, 0, "metrics", 0);
	}
	jw_end_arr(w);
	write_selector(w, W, s, n.svc);
	jw_str(w, "sessionAffinity", "None");
	jw_str(w, "type", s == 0 ? "LoadBalancer" : "ClusterIP");
	jw_end(w);
	lb_status(w, s == 0);
	jw_end(w);
	(void)h;
}

static void target_ref(struct jw *w, const struct world *W, uint32_t p, const char *ns)
{
	char name[160], uid[40];

	pod_name(W, p, name, sizeof(name));
	obj_uid(W, T_POD, p, uid);
	jw_obj(w, "targetRef");
	jw_str(w, "kind", "Pod");
	jw_str(w, "name", name);
	jw_str(w, "namespace", ns);
	jw_str(w, "uid", uid);
	jw_end(w);
}

static void slice_ports(struct jw *w, const struct world *W, uint32_t s, bool ep)
{
	jw_arr(w, "ports");
	if (s == 0) {
		jw_obj(w, NULL);
		jw_str(w, "name", "https");
		jw_int(w, "port", 443);
		jw_str(w, "protocol", "TCP");
		jw_end(w);
		jw_obj(w, NULL);
		jw_str(w, "name", "http");
		jw_int(w, "port", 80);
		jw_str(w, "protocol", "TCP");
		jw_end(w);
	} else {
		jw_obj(w, NULL);
		jw_str(w, "name", "http");
		jw_int(w, "port", svc_app_port(W, s));
		jw_str(w, "protocol", "TCP");
		jw_end(w);
		if (svc_has_metrics(W, s)) {
			jw_obj(w, NULL);
			jw_str(w, "name", "metrics");
			jw_int(w, "port", 9090);
			jw_str(w, "protocol", "TCP");
			jw_end(w);
		}
	}
	jw_end_arr(w);
	(void)ep;
}

void write_endpointslice(struct jw *w, const struct world *W, uint32_t s)
{
	struct names n;
	char sfx[8], svcuid[40], ip[32], node[80], zone[16];
	int64_t t = W->now - 60 - (int64_t)(hh(W->seed, T_SLICE, s) % 7200);
	bool none = svc_selector_broken(W, s);

	names_of(W, s, T_SLICE, &n);
	obj_uid(W, T_SVC, s, svcuid);
	fmt_rand_name(sfx, hh(W->seed, T_SLICE, s), 5);
	jw_obj(w, NULL);
	jw_str(w, "addressType", "IPv4");
	jw_str(w, "apiVersion", "discovery.k8s.io/v1");
	if (none) {
		jw_null(w, "endpoints");
	} else {
		jw_arr(w, "endpoints");
		for (uint32_t p = W->svc_first[s]; p < W->svc_first[s + 1]; p++) {
			enum pod_state st = pod_state(W, p);
			if (st == POD_PENDING)
				continue;
			pod_ip(W, p, ip, sizeof(ip));
			node_name(pod_node(W, p), node, sizeof(node));
			zone_of_node(pod_node(W, p), zone, sizeof(zone));
			jw_obj(w, NULL);
			jw_arr(w, "addresses");
			jw_str(w, NULL, ip);
			jw_end_arr(w);
			jw_obj(w, "conditions");
			jw_bool(w, "ready", st == POD_OK);
			jw_bool(w, "serving", st == POD_OK);
			jw_bool(w, "terminating", false);
			jw_end(w);
			jw_str(w, "nodeName", node);
			target_ref(w, W, p, n.ns);
			jw_str(w, "zone", zone);
			jw_end(w);
		}
		jw_end_arr(w);
	}
	jw_str(w, "kind", "EndpointSlice");
	jw_obj(w, "metadata");
	jw_obj(w, "annotations");
	jw_time(w, "endpoints.kubernetes.io/last-change-trigger-time", t);
	jw_end(w);
	jw_time(w, "creationTimestamp", obj_created(W, T_SVC, s));
	jw_strf(w, "generateName", "%s-", n.svc);
	jw_int(w, "generation", 1 + (int64_t)(hh(W->seed, T_SLICE, s) >> 40) % 90);
	svc_labels(w, W, s, &n, true);
	jw_arr(w, "managedFields");
	managed_head(w, "discovery.k8s.io/v1");
	jw_leaf(w, "f:addressType");
	jw_leaf(w, "f:endpoints");
	jw_obj(w, "f:metadata");
	jw_obj(w, "f:annotations");
	jw_leaf(w, ".");
	jw_leaf(w, "f:endpoints.kubernetes.io/last-change-trigger-time");
	jw_end(w);
	jw_leaf(w, "f:generateName");
	fields_svc_labels(w, s, true);
	fields_owner(w, svcuid);
	jw_end(w);
	jw_leaf(w, "f:ports");
	managed_tail(w, "kube-controller-manager", NULL, t);
	jw_end_arr(w);
	jw_strf(w, "name", "%s-%s", n.svc, sfx);
	jw_str(w, "namespace", n.ns);
	owner_ref(w, "v1", "Service", n.svc, svcuid);
	jw_str(w, "resourceVersion", n.rv);
	jw_str(w, "uid", n.uid);
	jw_end(w);
	if (none)
		jw_null(w, "ports");
	else
		slice_ports(w, W, s, false);
	jw_end(w);
}

static void ep_addresses(struct jw *w, const struct world *W, uint32_t s, const char *ns,
			 bool ready)
{
	char ip[32], node[80];
	bool any = false;

	for (uint32_t p = W->svc_first[s]; p < W->svc_first[s + 1]; p++) {
		enum pod_state st = pod_state(W, p);
		if (st == POD_PENDING || (st == POD_OK) != ready)
			continue;
		if (!any)
			jw_arr(w, ready ? "addresses" : "notReadyAddresses");
		any = true;
		pod_ip(W, p, ip, sizeof(ip));
		node_name(pod_node(W, p), node, sizeof(node));
		jw_obj(w, NULL);
		jw_str(w, "ip", ip);
		jw_str(w, "nodeName", node);
		target_ref(w, W, p, ns);
		jw_end(w);
	}
	if (any)
		jw_end_arr(w);
}

void write_endpoints(struct jw *w, const struct world *W, uint32_t s)
{
	struct names n;
	int64_t t = W->now - 60 - (int64_t)(hh(W->seed, T_SLICE, s) % 7200);
	bool none = svc_selector_broken(W, s);

	names_of(W, s, T_SLICE + 64, &n);
	obj_head(w, "v1", "Endpoints");
	jw_obj(w, "annotations");
	jw_time(w, "endpoints.kubernetes.io/last-change-trigger-time", t);
	jw_end(w);
	jw_time(w, "creationTimestamp", obj_created(W, T_SVC, s));
	svc_labels(w, W, s, &n, false);
	jw_arr(w, "managedFields");
	managed_head(w, "v1");
	jw_obj(w, "f:metadata");
	jw_obj(w, "f:annotations");
	jw_leaf(w, ".");
	jw_leaf(w, "f:endpoints.kubernetes.io/last-change-trigger-time");
	jw_end(w);
	fields_svc_labels(w, s, false);
	jw_end(w);
	if (!none)
		jw_leaf(w, "f:subsets");
	managed_tail(w, "kube-controller-manager", NULL, t);
	jw_end_arr(w);
	meta_tail(w, n.svc, n.ns, n.rv, n.uid);
	if (!none) {
		jw_arr(w, "subsets");
		jw_obj(w, NULL);
		ep_addresses(w, W, s, n.ns, true);
		ep_addresses(w, W, s, n.ns, false);
		slice_ports(w, W, s, true);
		jw_end(w);
		jw_end_arr(w);
	}
	jw_end(w);
}
