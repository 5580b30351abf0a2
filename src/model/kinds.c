/*
 * kinds: the Kubernetes kinds the model knows, their exact API names and
 * the plural resource names kubectl uses.
 */
#include <string.h>

#include "model_int.h"

#include "../util/banned.h"

static const struct {
	const char *name, *resource;
	bool cluster;
} kinds[K__COUNT] = {
	[K_INGRESS] = { "Ingress", "ingresses", false },
	[K_INGRESSCLASS] = { "IngressClass", "ingressclasses", true },
	[K_SERVICE] = { "Service", "services", false },
	[K_ENDPOINTSLICE] = { "EndpointSlice", "endpointslices", false },
	[K_ENDPOINTS] = { "Endpoints", "endpoints", false },
	[K_POD] = { "Pod", "pods", false },
	[K_NODE] = { "Node", "nodes", true },
	[K_EVENT] = { "Event", "events", false },
	[K_NETWORKPOLICY] = { "NetworkPolicy", "networkpolicies", false },
	[K_CONFIGMAP] = { "ConfigMap", "configmaps", false },
	[K_DEPLOYMENT] = { "Deployment", "deployments", false },
	[K_STATEFULSET] = { "StatefulSet", "statefulsets", false },
	[K_DAEMONSET] = { "DaemonSet", "daemonsets", false },
	[K_REPLICASET] = { "ReplicaSet", "replicasets", false },
	[K_NAMESPACE] = { "Namespace", "namespaces", true },
	[K_SECRET] = { "Secret", "secrets", false },
};

enum kind kind_from_name(const char *name)
{
	if (!name)
		return K_UNKNOWN;
	for (int k = 0; k < K__COUNT; k++)
		if (!strcmp(kinds[k].name, name))
			return (enum kind)k;
	return K_UNKNOWN;
}

const char *kind_name(enum kind k)
{
	if (k < 0 || k >= K__COUNT)
		return "Unknown";
	return kinds[k].name;
}

const char *kind_resource(enum kind k)
{
	if (k < 0 || k >= K__COUNT)
		return "unknown";
	return kinds[k].resource;
}

bool kind_cluster_scoped(enum kind k)
{
	return k >= 0 && k < K__COUNT && kinds[k].cluster;
}

/*
 * Policy kinds that can allow or deny pod traffic besides
 * networking.k8s.io NetworkPolicy: Cilium, Calico (projectcalico.org and
 * its crd. mirror), Antrea, and the policy.networking.k8s.io cluster
 * policies. A "NetworkPolicy" of another API group (Calico, Antrea) is
 * one of them too.
 */
bool foreign_policy_kind(const char *kind, const char *api_version)
{
	static const char *const kinds_cluster[] = {
		"CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy",
		"GlobalNetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy",
		"ClusterNetworkPolicy",
	};
	const char *av = api_version ? api_version : "";

	if (!kind)
		return false;
	if (!strcmp(kind, "NetworkPolicy")) {
		/* "group/version" of a real API group other than networking.k8s.io */
		const char *slash = strchr(av, '/');
		return slash && memchr(av, '.', (size_t)(slash - av)) &&
		       strncmp(av, "networking.k8s.io/", 18);
	}
	for (size_t i = 0; i < sizeof(kinds_cluster) / sizeof(kinds_cluster[0]); i++)
		if (!strcmp(kind, kinds_cluster[i]))
			return true;
	return false;
}
