/*
 * gen_ingress.c: Ingresses, the IngressClass and NetworkPolicies.
 *
 * Ingress i lives in application namespace 1 + i % app_ns and routes
 * 1-2 hosts with 1-3 paths each to Services of its namespace. A small
 * share is broken the ways the checks look for: a backend Service that
 * does not exist (~1% of paths), a Service port the Service lacks
 * (~0.3%), an IngressClass that does not exist (~0.2% of Ingresses).
 */
#include "gen.h"

#include <stdio.h>
#include <string.h>

static const char *const prefixes[] = { "/", "/api", "/v1", "/static", "/graphql", "/ws" };

struct backend {
	char svc[96];
	unsigned port;        /* 0: by name "http" */
	char host[160];
	const char *path;
};

/* Services of namespace ns: [first, first + cnt). */
static void ns_services(const struct world *W, uint32_t ns, uint32_t *first, uint32_t *cnt)
{
	*first = 1 + (ns - 1) * W->per_ns;
	*cnt = W->services - *first < W->per_ns ? W->services - *first : W->per_ns;
}

static void backend_of(const struct world *W, uint32_t i, unsigned r, unsigned k,
		       const char *ns, uint32_t first, uint32_t cnt, struct backend *b)
{
	uint64_t h = hh(W->seed, T_PATH, (uint64_t)i * 16 + r * 4 + k);
	uint32_t s = first + (uint32_t)(h % cnt);
	char host_svc[80];

	svc_name(W, s, b->svc, sizeof(b->svc));
	svc_name(W, first + (i / W->app_ns + r) % cnt, host_svc, sizeof(host_svc));
	snprintf(b->host, sizeof(b->host), "%s%s.%s.example.com", host_svc, r ? "-alt" : "", ns);
	b->path = k == 0 ? "/" : prefixes[1 + (h >> 20) % 5];
	b->port = (h >> 32) % 10 < 3 ? 0 : 80;
	if ((h >> 40) % 1000 < 10) {
		size_t n = strlen(b->svc);
		snprintf(b->svc + n, sizeof(b->svc) - n, "-legacy");
	} else if ((h >> 40) % 1000 < 13) {
		b->port = 8081;
	}
}

void write_ingress(struct jw *w, const struct world *W, uint32_t i)
{
	uint32_t ns_i = 1 + i % W->app_ns, first, cnt;
	uint64_t h = hh(W->seed, T_ING, i);
	unsigned rules = 1 + (unsigned)(h % 2);
	bool tls = (h >> 8) % 10 < 6, bad_class = (h >> 16) % 1000 < 2;
	char ns[64], name[96], uid[40], rv[16], applied[4096];
	struct backend b[2][3];
	unsigned npaths[2];
	int64_t created = obj_created(W, T_ING, i);
	size_t off;

	ns_services(W, ns_i, &first, &cnt);
	ns_name(W, ns_i, ns, sizeof(ns));
	svc_name(W, first + (i / W->app_ns) % cnt, name, sizeof(name));
	if (i / W->app_ns >= cnt) {
		size_t n = strlen(name);
		snprintf(name + n, sizeof(name) - n, "-%u", i / W->app_ns / cnt + 1);
	}
	obj_uid(W, T_ING, i, uid);
	obj_rv(W, T_ING, i, rv);
	for (unsigned r = 0; r < rules; r++) {
		npaths[r] = 1 + (unsigned)((h >> (24 + 4 * r)) % 3);
		for (unsigned k = 0; k < npaths[r]; k++)
			backend_of(W, i, r, k, ns, first, cnt, &b[r][k]);
		/* paths of one rule must differ */
		for (unsigned k = 1; k < npaths[r]; k++)
			for (unsigned j = 1; j < k; j++)
				if (!strcmp(b[r][k].path, b[r][j].path))
					b[r][k].path = k == 2 ? "/healthz" : "/admin";
	}

	/* kubectl's last-applied-configuration: compact JSON, sorted keys */
	off = (size_t)snprintf(applied, sizeof(applied),
			       "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\","
			       "\"metadata\":{\"annotations\":{%s\"nginx.ingress.kubernetes.io/"
			       "proxy-body-size\":\"8m\"},\"name\":\"%s\",\"namespace\":\"%s\"},"
			       "\"spec\":{\"ingressClassName\":\"%s\",\"rules\":[",
			       tls ? "\"cert-manager.io/cluster-issuer\":\"letsencrypt-prod\"," : "",
			       name, ns, bad_class ? "nginx-internal" : "nginx");
	for (unsigned r = 0; r < rules && off < sizeof(applied); r++) {
		off += (size_t)snprintf(applied + off, sizeof(applied) - off,
					"%s{\"host\":\"%s\",\"http\":{\"paths\":[", r ? "," : "",
					b[r][0].host);
		for (unsigned k = 0; k < npaths[r] && off < sizeof(applied); k++) {
			char port[32];
			if (b[r][k].port)
				snprintf(port, sizeof(port), "\"number\":%u", b[r][k].port);
			else
				snprintf(port, sizeof(port), "\"name\":\"http\"");
			off += (size_t)snprintf(applied + off, sizeof(applied) - off,
						"%s{\"backend\":{\"service\":{\"name\":\"%s\","
						"\"port\":{%s}}},\"path\":\"%s\",\"pathType\":"
						"\"Prefix\"}",
						k ? "," : "", b[r][k].svc, port, b[r][k].path);
		}
		if (off < sizeof(applied))
			off += (size_t)snprintf(applied + off, sizeof(applied) - off, "]}}");
	}
	if (off < sizeof(applied) && tls)
		off += (size_t)snprintf(applied + off, sizeof(applied) - off,
					"],\"tls\":[{\"hosts\":[\"%s\"],\"secretName\":\"%s-tls\"}]}}\n",
					b[0][0].host, name);
	else if (off < sizeof(applied))
		snprintf(applied + off, sizeof(applied) - off, "]}}\n");

	obj_head(w, "networking.k8s.io/v1", "Ingress");
	jw_obj(w, "annotations");
	if (tls)
		jw_str(w, "cert-manager.io/cluster-issuer", "letsencrypt-prod");
	jw_str(w, "kubectl.kubernetes.io/last-applied-configuration", applied);
	jw_str(w, "nginx.ingress.kubernetes.io/proxy-body-size", "8m");
	jw_end(w);
	jw_time(w, "creationTimestamp", created);
	jw_int(w, "generation", 1 + (int64_t)(h >> 48) % 12);
	jw_arr(w, "managedFields");
	managed_head(w, "networking.k8s.io/v1");
	jw_obj(w, "f:metadata");
	jw_obj(w, "f:annotations");
	jw_leaf(w, ".");
	if (tls)
		jw_leaf(w, "f:cert-manager.io/cluster-issuer");
	jw_leaf(w, "f:kubectl.kubernetes.io/last-applied-configuration");
	jw_leaf(w, "f:nginx.ingress.kubernetes.io/proxy-body-size");
	jw_end(w);
	jw_end(w);
	jw_obj(w, "f:spec");
	jw_leaf(w, "f:ingressClassName");
	jw_leaf(w, "f:rules");
	if (tls)
		jw_leaf(w, "f:tls");
	jw_end(w);
	managed_tail(w, "kubectl-client-side-apply", NULL, created);
	if (!bad_class) {
		managed_head(w, "networking.k8s.io/v1");
		jw_obj(w, "f:status");
		jw_obj(w, "f:loadBalancer");
		jw_leaf(w, "f:ingress");
		jw_end(w);
		jw_end(w);
		managed_tail(w, "nginx-ingress-controller", "status", created + 31);
	}
	jw_end_arr(w);
	meta_tail(w, name, ns, rv, uid);
	jw_obj(w, "spec");
	jw_str(w, "ingressClassName", bad_class ? "nginx-internal" : "nginx");
	jw_arr(w, "rules");
	for (unsigned r = 0; r < rules; r++) {
		jw_obj(w, NULL);
		jw_str(w, "host", b[r][0].host);
		jw_obj(w, "http");
		jw_arr(w, "paths");
		for (unsigned k = 0; k < npaths[r]; k++) {
			jw_obj(w, NULL);
			jw_obj(w, "backend");
			jw_obj(w, "service");
			jw_str(w, "name", b[r][k].svc);
			jw_obj(w, "port");
			if (b[r][k].port)
				jw_int(w, "number", b[r][k].port);
			else
				jw_str(w, "name", "http");
			jw_end(w);
			jw_end(w);
			jw_end(w);
			jw_str(w, "path", b[r][k].path);
			jw_str(w, "pathType", "Prefix");
			jw_end(w);
		}
		jw_end_arr(w);
		jw_end(w);
		jw_end(w);
	}
	jw_end_arr(w);
	if (tls) {
		jw_arr(w, "tls");
		jw_obj(w, NULL);
		jw_arr(w, "hosts");
		jw_str(w, NULL, b[0][0].host);
		jw_end_arr(w);
		jw_strf(w, "secretName", "%s-tls", name);
		jw_end(w);
		jw_end_arr(w);
	}
	jw_end(w);
	lb_status(w, !bad_class);
	jw_end(w);
}

void write_ingressclass(struct jw *w, const struct world *W)
{
	char uid[40], rv[16];
	int64_t created = obj_created(W, T_ING, 1u << 30);

	obj_uid(W, T_ING, 1u << 30, uid);
	obj_rv(W, T_ING, 1u << 30, rv);
	obj_head(w, "networking.k8s.io/v1", "IngressClass");
	jw_obj(w, "annotations");
	jw_str(w, "ingressclass.kubernetes.io/is-default-class", "true");
	jw_str(w, "meta.helm.sh/release-name", "ingress-nginx");
	jw_str(w, "meta.helm.sh/release-namespace", "ingress-nginx");
	jw_end(w);
	jw_time(w, "creationTimestamp", created);
	jw_int(w, "generation", 1);
	jw_obj(w, "labels");
	ctl_helm_labels(w);
	jw_end(w);
	jw_arr(w, "managedFields");
	managed_head(w, "networking.k8s.io/v1");
	jw_obj(w, "f:metadata");
	jw_obj(w, "f:annotations");
	jw_leaf(w, ".");
	jw_leaf(w, "f:ingressclass.kubernetes.io/is-default-class");
	jw_leaf(w, "f:meta.helm.sh/release-name");
	jw_leaf(w, "f:meta.helm.sh/release-namespace");
	jw_end(w);
	jw_leaf(w, "f:labels");
	jw_end(w);
	jw_obj(w, "f:spec");
	jw_leaf(w, "f:controller");
	jw_end(w);
	managed_tail(w, "helm", NULL, created);
	jw_end_arr(w);
	meta_tail(w, "nginx", NULL, rv, uid);
	jw_obj(w, "spec");
	jw_str(w, "controller", "k8s.io/ingress-nginx");
	jw_end(w);
	jw_end(w);
}

static void match_labels(struct jw *w, const char *key, const char *k, const char *v)
{
	jw_obj(w, key);
	jw_obj(w, "matchLabels");
	jw_str(w, k, v);
	jw_end(w);
	jw_end(w);
}

/*
 * NetworkPolicy k: the first one of each Service lets the ingress
 * controller in on the "http" port; further ones let a sibling Service's
 * pods in on a numbered port.
 */
void write_netpol(struct jw *w, const struct world *W, uint32_t k)
{
	uint32_t s = 1 + k % (W->services - 1), round = k / (W->services - 1);
	uint32_t ns_i = svc_ns(W, s), first, cnt;
	char ns[64], svc[80], peer[80], name[200], uid[40], rv[16];
	int64_t created = obj_created(W, T_NETPOL, k);

	ns_services(W, ns_i, &first, &cnt);
	ns_name(W, ns_i, ns, sizeof(ns));
	svc_name(W, s, svc, sizeof(svc));
	svc_name(W, first + (s - first + 1 + round) % cnt, peer, sizeof(peer));
	if (round == 0)
		snprintf(name, sizeof(name), "allow-ingress-nginx-to-%s", svc);
	else
		snprintf(name, sizeof(name), "allow-%s-from-%s-%u", svc, peer, round);
	obj_uid(W, T_NETPOL, k, uid);
	obj_rv(W, T_NETPOL, k, rv);
	obj_head(w, "networking.k8s.io/v1", "NetworkPolicy");
	jw_time(w, "creationTimestamp", created);
	jw_int(w, "generation", 1);
	jw_arr(w, "managedFields");
	managed_head(w, "networking.k8s.io/v1");
	jw_obj(w, "f:spec");
	jw_leaf(w, "f:ingress");
	jw_obj(w, "f:podSelector");
	jw_end(w);
	jw_leaf(w, "f:policyTypes");
	jw_end(w);
	managed_tail(w, "kubectl-client-side-apply", NULL, created);
	jw_end_arr(w);
	meta_tail(w, name, ns, rv, uid);
	jw_obj(w, "spec");
	jw_arr(w, "ingress");
	jw_obj(w, NULL);
	jw_arr(w, "from");
	jw_obj(w, NULL);
	if (round == 0) {
		jw_obj(w, "namespaceSelector");
		jw_obj(w, "matchLabels");
		jw_str(w, "kubernetes.io/metadata.name", "ingress-nginx");
		jw_end(w);
		jw_end(w);
		match_labels(w, "podSelector", "app.kubernetes.io/name", "ingress-nginx");
	} else {
		match_labels(w, "podSelector", "app.kubernetes.io/name", peer);
	}
	jw_end(w);
	jw_end_arr(w);
	jw_arr(w, "ports");
	jw_obj(w, NULL);
	if (round == 0)
		jw_str(w, "port", "http");
	else
		jw_int(w, "port", svc_app_port(W, s));
	jw_str(w, "protocol", "TCP");
	jw_end(w);
	jw_end_arr(w);
	jw_end(w);
	jw_end_arr(w);
	match_labels(w, "podSelector", "app.kubernetes.io/name", svc);
	jw_arr(w, "policyTypes");
	jw_str(w, NULL, "Ingress");
	jw_end_arr(w);
	jw_end(w);
	jw_end(w);
}
