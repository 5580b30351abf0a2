/*
 * gen_snapshot: write a big, realistic, seeded cluster snapshot.
 *
 *   gen_snapshot [--seed N] [--pods N] [--services N] [--ingresses N]
 *                [--nodes N] [--netpols N] [--scale F] [--only KINDS]
 *                [--check] [-o FILE]
 *
 * The output has the shape of
 *   kubectl get ingress,ingressclass,svc,endpointslices,endpoints,pods,events,
 *       networkpolicies,nodes,configmaps,deployments -A -o json --show-managed-fields
 * (a generic "List", items grouped by kind in that order). See bench/README.md.
 * This file holds the options, the layout of the simulated cluster (which
 * pod belongs to which Service, on which node, in which state) and main.
 */
#include "gen.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	K_INGRESS = 1 << 0, K_INGRESSCLASS = 1 << 1, K_SERVICE = 1 << 2, K_SLICE = 1 << 3,
	K_ENDPOINTS = 1 << 4, K_POD = 1 << 5, K_EVENT = 1 << 6, K_NETPOL = 1 << 7,
	K_NODE = 1 << 8, K_CONFIGMAP = 1 << 9, K_DEPLOYMENT = 1 << 10,
};

static const struct {
	const char *name, *alias;
	unsigned bit;
} kinds[] = {
	{ "ingresses", "ingress", K_INGRESS },
	{ "ingressclasses", "ingressclass", K_INGRESSCLASS },
	{ "services", "svc", K_SERVICE },
	{ "endpointslices", "endpointslice", K_SLICE },
	{ "endpoints", "ep", K_ENDPOINTS },
	{ "pods", "pod", K_POD },
	{ "events", "event", K_EVENT },
	{ "networkpolicies", "netpol", K_NETPOL },
	{ "nodes", "node", K_NODE },
	{ "configmaps", "cm", K_CONFIGMAP },
	{ "deployments", "deploy", K_DEPLOYMENT },
};

static const char *const teams[] = {
	"shop", "checkout", "payments", "search", "catalog", "identity", "billing", "media",
	"reviews", "shipping", "inventory", "pricing", "ads", "analytics", "notify", "chat",
	"profile", "orders", "loyalty", "partners", "support", "docs", "maps", "booking",
	"fraud", "ledger", "tax", "cms", "recs", "feeds", "growth", "mobile", "web", "auth",
	"storage", "video", "audio", "travel", "insurance", "claims", "quotes", "crm", "hr",
	"payroll", "learning", "forum", "events", "tickets", "fleet", "iot",
};
static const char *const envs[] = { "prod", "staging", "dev", "qa" };
static const char *const nouns[] = {
	"cart", "order", "user", "session", "price", "stock", "image", "token", "review",
	"report", "invoice", "export", "import", "quote", "offer", "ledger", "account",
	"search", "feed", "geo",
};
static const char *const roles[] = { "api", "web", "gateway", "backend", "worker", "frontend" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Default sizes. Objects are as big as real ones in kubectl's output
 * (a lean pod with managedFields is ~17 KB, an average one ~20 KB), so
 * the 100,000 pods make ~2.8 GB; these defaults keep its
 * proportions (5 pods per Service, 1 Ingress per 20 pods, 1 node per 100
 * pods) at about 1 GB. --pods 100000 gives the counts.
 */
#define DEFAULT_PODS 36000
#define DEFAULT_PODS_ONLY 7500   /* --only pods: ~150 MB */

uint32_t svc_ns(const struct world *W, uint32_t s)
{
	return s == 0 ? 0 : 1 + (s - 1) / W->per_ns;
}

void ns_name(const struct world *W, uint32_t ns, char *out, size_t n)
{
	(void)W;
	if (ns == 0) {
		snprintf(out, n, "ingress-nginx");
		return;
	}
	ns--;
	uint32_t t = ns % NELEM(teams), e = ns / NELEM(teams) % NELEM(envs);
	uint32_t more = (uint32_t)(ns / (NELEM(teams) * NELEM(envs)));
	if (more)
		snprintf(out, n, "%s-%s-%u", teams[t], envs[e], more + 1);
	else
		snprintf(out, n, "%s-%s", teams[t], envs[e]);
}

void svc_name(const struct world *W, uint32_t s, char *out, size_t n)
{
	if (s == 0) {
		snprintf(out, n, "ingress-nginx-controller");
		return;
	}
	uint32_t j = (s - 1) % W->per_ns;
	uint32_t a = j % NELEM(nouns), b = j / NELEM(nouns) % NELEM(roles);
	uint32_t more = (uint32_t)(j / (NELEM(nouns) * NELEM(roles)));
	if (more)
		snprintf(out, n, "%s-%s-%u", nouns[a], roles[b], more + 1);
	else
		snprintf(out, n, "%s-%s", nouns[a], roles[b]);
}

void node_name(uint32_t node, char *out, size_t n)
{
	snprintf(out, n, "ip-172-20-%u-%u.eu-west-1.compute.internal", 64 + node / 250,
		 node % 250 + 4);
}

void node_ip(uint32_t node, char *out, size_t n)
{
	snprintf(out, n, "172.20.%u.%u", 64 + node / 250, node % 250 + 4);
}

void zone_of_node(uint32_t node, char *out, size_t n)
{
	snprintf(out, n, "eu-west-1%c", "abc"[node % 3]);
}

uint32_t pod_node(const struct world *W, uint32_t p)
{
	return p % W->nodes;
}

void pod_ip(const struct world *W, uint32_t p, char *out, size_t n)
{
	uint32_t node = p % W->nodes, slot = p / W->nodes + 2;
	snprintf(out, n, "10.%u.%u.%u", 64 + node / 256, node % 256, slot);
}

void rs_hash(const struct world *W, uint32_t s, char *out)
{
	fmt_rand_name(out, hh(W->seed, T_RS, s), 10);
}

void pod_name(const struct world *W, uint32_t p, char *out, size_t n)
{
	char svc[80], rs[12], sfx[8];
	uint32_t s = W->pod_svc[p];

	svc_name(W, s, svc, sizeof(svc));
	rs_hash(W, s, rs);
	fmt_rand_name(sfx, hh(W->seed, T_POD, p), 5);
	snprintf(out, n, "%s-%s-%s", svc, rs, sfx);
}

enum pod_state pod_state(const struct world *W, uint32_t p)
{
	if (W->pod_svc[p] == 0)
		return POD_OK;
	uint64_t r = hh(W->seed, T_STATE, p) % 10000;
	if (r < 200)
		return POD_CRASHLOOP;   /* ~2% */
	if (r < 500)
		return POD_NOTREADY;    /* ~3%: readiness probe failing */
	if (r < 530)
		return POD_PENDING;     /* ~0.3%: unschedulable */
	return POD_OK;
}

bool svc_selector_broken(const struct world *W, uint32_t s)
{
	return s != 0 && hh(W->seed, T_SVC, s) % 1000 < 5;   /* ~0.5% */
}

bool svc_named_target(const struct world *W, uint32_t s)
{
	return s == 0 || (hh(W->seed, T_SVC, s) >> 12) % 3 != 0;
}

unsigned svc_app_port(const struct world *W, uint32_t s)
{
	static const unsigned ports[] = { 8080, 8080, 8080, 3000, 5000, 8000, 9000, 80 };
	return s == 0 ? 80 : ports[(hh(W->seed, T_SVC, s) >> 20) % NELEM(ports)];
}

unsigned svc_profile(const struct world *W, uint32_t s)
{
	uint64_t r = (hh(W->seed, T_SVC, s) >> 28) % 10;

	if (s == 0)
		return 1;
	return r < 6 ? 0 : r < 9 ? 1 : 2;
}

bool svc_has_metrics(const struct world *W, uint32_t s)
{
	return svc_profile(W, s) >= 1;
}

bool svc_has_sidecar(const struct world *W, uint32_t s)
{
	return s != 0 && svc_profile(W, s) == 2;
}

bool svc_has_config(const struct world *W, uint32_t s)
{
	return s != 0 && svc_profile(W, s) >= 1;
}

unsigned svc_env_mask(const struct world *W, uint32_t s)
{
	static const unsigned masks[] = { 0x24, 0x35, 0x7f };

	return masks[svc_profile(W, s)];
}

void obj_uid(const struct world *W, uint64_t tag, uint64_t i, char *out)
{
	fmt_uid(out, hh(W->seed, T_UID + (tag << 8), i), hh(W->seed, T_UID2 + (tag << 8), i));
}

void obj_rv(const struct world *W, uint64_t tag, uint64_t i, char *out)
{
	snprintf(out, 16, "%llu",
		 (unsigned long long)(100000000 + hh(W->seed, T_RV + (tag << 8), i) % 900000000));
}

int64_t obj_created(const struct world *W, uint64_t tag, uint64_t i)
{
	return W->now - 86400 - (int64_t)(hh(W->seed, T_AGE + (tag << 8), i) % (199 * 86400));
}

int64_t pod_started(const struct world *W, uint32_t p)
{
	/* one pod in 20 is young (started in the last hour) */
	uint64_t h = hh(W->seed, T_AGE, p);
	if (h % 20 == 0)
		return W->now - 60 - (int64_t)(h / 20 % 3500);
	return W->now - 3600 - (int64_t)(h / 20 % (30 * 86400));
}

/* Pods per Service: 2 for the controller, at least 1 each, the rest by weight. */
static void layout(struct world *W)
{
	static const unsigned weights[] = { 1, 1, 2, 2, 3, 3, 4, 6, 8, 12 };
	uint32_t S = W->services;
	uint64_t total = 0, acc = 0, rest;

	W->svc_first = calloc((size_t)S + 1, sizeof(uint32_t));
	W->pod_svc = calloc(W->pods ? W->pods : 1, sizeof(uint32_t));
	if (!W->svc_first || !W->pod_svc) {
		fputs("gen_snapshot: out of memory\n", stderr);
		exit(70);
	}
	for (uint32_t s = 1; s < S; s++)
		total += weights[hh(W->seed, T_SVC, s) % NELEM(weights)];
	rest = W->pods - 2 - (S - 1);
	W->svc_first[0] = 0;
	W->svc_first[1] = 2;
	for (uint32_t s = 1; s < S; s++) {
		acc += weights[hh(W->seed, T_SVC, s) % NELEM(weights)];
		W->svc_first[s + 1] = 2 + s + (uint32_t)(total ? rest * acc / total : 0);
	}
	W->svc_first[S] = W->pods;
	for (uint32_t s = 0; s < S; s++)
		for (uint32_t p = W->svc_first[s]; p < W->svc_first[s + 1]; p++)
			W->pod_svc[p] = s;
}

static int parse_u32(const char *opt, const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (!*s || *end || v > 50000000) {
		fprintf(stderr, "gen_snapshot: bad number for %s: '%s'\n", opt, s);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_kinds(const char *s, unsigned *mask)
{
	*mask = 0;
	while (*s) {
		size_t n = strcspn(s, ","), i;
		for (i = 0; i < NELEM(kinds); i++)
			if ((strlen(kinds[i].name) == n && !memcmp(s, kinds[i].name, n)) ||
			    (strlen(kinds[i].alias) == n && !memcmp(s, kinds[i].alias, n)))
				break;
		if (i == NELEM(kinds)) {
			fprintf(stderr, "gen_snapshot: unknown kind '%.*s'\n", (int)n, s);
			return -1;
		}
		*mask |= kinds[i].bit;
		s += n;
		if (*s == ',')
			s++;
	}
	return 0;
}

static void usage(FILE *f)
{
	fputs("usage: gen_snapshot [--seed N] [--pods N] [--services N] [--ingresses N]\n"
	      "                    [--nodes N] [--netpols N] [--scale F] [--only KINDS]\n"
	      "                    [--check] [-o FILE]\n"
	      "Defaults: 36000 pods, pods/5 services (each with an EndpointSlice,\n"
	      "Endpoints, Deployment, ConfigMap), pods/20 ingresses, pods/100 nodes,\n"
	      "0 netpols: about 1 GB. --only pods: 7500 pods, about 150 MB.\n"
	      "--scale F multiplies every count. Same options, same bytes.\n"
	      "KINDS: comma-separated ingresses,ingressclasses,services,endpointslices,\n"
	      "endpoints,pods,events,networkpolicies,nodes,configmaps,deployments.\n", f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "pods", required_argument, NULL, 'p' },
		{ "services", required_argument, NULL, 'S' },
		{ "ingresses", required_argument, NULL, 'i' },
		{ "nodes", required_argument, NULL, 'n' },
		{ "netpols", required_argument, NULL, 'N' },
		{ "scale", required_argument, NULL, 'x' },
		{ "only", required_argument, NULL, 'k' },
		{ "check", no_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct world W = { .seed = 1, .per_ns = 40, .now = 1748779200 /* 2025-06-01T12:00Z */ };
	uint32_t pods = 0, services = 0, ingresses = 0, nodes = 0, netpols = 0, seed = 1;
	bool set_pods = false, set_svcs = false, set_ings = false, check = false;
	unsigned mask = ~0u;
	double scale = 1.0;
	const char *out = NULL;
	struct jw w;
	int c, fd = 1;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		int r = 0;
		switch (c) {
		case 's': r = parse_u32("--seed", optarg, &seed); break;
		case 'p': r = parse_u32("--pods", optarg, &pods); set_pods = true; break;
		case 'S': r = parse_u32("--services", optarg, &services); set_svcs = true; break;
		case 'i': r = parse_u32("--ingresses", optarg, &ingresses); set_ings = true; break;
		case 'n': r = parse_u32("--nodes", optarg, &nodes); break;
		case 'N': r = parse_u32("--netpols", optarg, &netpols); break;
		case 'k': r = parse_kinds(optarg, &mask); break;
		case 'c': check = true; break;
		case 'o': out = optarg; break;
		case 'x': {
			char *end;
			scale = strtod(optarg, &end);
			if (*end || !(scale > 0 && scale <= 100))
				r = -1;
			break;
		}
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
		if (r < 0) {
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (!set_pods)
		pods = mask == K_POD ? DEFAULT_PODS_ONLY : DEFAULT_PODS;
	if (!set_svcs)
		services = pods / 5;
	if (!set_ings)
		ingresses = pods / 20;
	pods = (uint32_t)(pods * scale);
	services = (uint32_t)(services * scale);
	ingresses = (uint32_t)(ingresses * scale);
	nodes = (uint32_t)(nodes * scale);
	netpols = (uint32_t)(netpols * scale);
	if (services < 2)
		services = 2;
	if (pods < services + 1)
		pods = services + 1;
	if (!nodes)
		nodes = (pods + 99) / 100;
	if (nodes < (pods + 249) / 250)
		nodes = (pods + 249) / 250;   /* pod IPs are 10.x.y.(slot) */
	W.seed = seed;
	W.pods = pods;
	W.services = services;
	W.ingresses = ingresses;
	W.nodes = nodes;
	W.netpols = netpols;
	W.app_ns = (services - 1 + W.per_ns - 1) / W.per_ns;
	layout(&W);

	if (out) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			perror(out);
			return 1;
		}
	}
	jw_init(&w, fd, check);
	jw_obj(&w, NULL);
	jw_str(&w, "apiVersion", "v1");
	jw_arr(&w, "items");
	if (mask & K_INGRESS)
		for (uint32_t i = 0; i < W.ingresses; i++)
			write_ingress(&w, &W, i);
	if (mask & K_INGRESSCLASS)
		write_ingressclass(&w, &W);
	if (mask & K_SERVICE)
		for (uint32_t s = 0; s < W.services; s++)
			write_service(&w, &W, s);
	if (mask & K_SLICE)
		for (uint32_t s = 0; s < W.services; s++)
			write_endpointslice(&w, &W, s);
	if (mask & K_ENDPOINTS)
		for (uint32_t s = 0; s < W.services; s++)
			write_endpoints(&w, &W, s);
	if (mask & K_POD)
		for (uint32_t p = 0; p < W.pods; p++)
			write_pod(&w, &W, p);
	if (mask & K_EVENT)
		for (uint32_t p = 0; p < W.pods; p++)
			write_pod_events(&w, &W, p);
	if (mask & K_NETPOL)
		for (uint32_t k = 0; k < W.netpols; k++)
			write_netpol(&w, &W, k);
	if (mask & K_NODE)
		for (uint32_t n = 0; n < W.nodes; n++)
			write_node(&w, &W, n);
	if (mask & K_CONFIGMAP)
		for (uint32_t s = 0; s < W.services; s++)
			write_configmap(&w, &W, s);
	if (mask & K_DEPLOYMENT)
		for (uint32_t s = 0; s < W.services; s++)
			write_deployment(&w, &W, s);
	jw_end_arr(&w);
	jw_str(&w, "kind", "List");
	jw_obj(&w, "metadata");
	jw_str(&w, "resourceVersion", "");
	jw_end(&w);
	jw_end(&w);
	if (jw_finish(&w) < 0 || (out && close(fd) < 0)) {
		if (out)
			unlink(out);
		return 1;
	}
	free(W.svc_first);
	free(W.pod_svc);
	return 0;
}
