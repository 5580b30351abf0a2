/*
 * fuzz_model: libFuzzer target for the model decoder. The input is parsed
 * as JSON (json_parse); the value, and each item of a top-level array or
 * of an "items" member, is fed to model_add() as every kind the model
 * knows (and an unknown one); then model_finish() and the lookups and
 * port/selector helpers run over whatever was decoded (pairs bounded so
 * big inputs stay linear).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/json/json.h"
#include "../src/model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAIRS 32

static void feed(struct model *m, const struct json *obj, size_t idx)
{
	static const char *const extra[] = { "Widget", "", "PodList" };
	struct src_obj o = { .obj = obj, .api_version = "", .file = "fuzz", .line = 1,
			     .index = idx };
	struct err e = ERR_INIT;

	for (int k = 0; k < K__COUNT; k++) {
		o.kind = kind_name((enum kind)k);
		/* alternate apiVersions so the legacy Ingress path runs too */
		o.api_version = (idx & 1) ? "extensions/v1beta1" : "";
		model_add(m, &o, &e);
	}
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		o.kind = extra[i];
		model_add(m, &o, &e);
	}
}

static void exercise(const struct model *m)
{
	const struct pod **pods;
	const struct event **evs;
	const struct endpointslice **sl;
	const struct pod_log **logs;
	double q;

	for (size_t i = 0; i < m->npods && i < PAIRS; i++) {
		const struct pod *p = &m->pods[i];
		if (model_pod(m, p->meta.ns, p->meta.name) == NULL)
			abort();
		model_pod_by_ip(m, p->pod_ip);
		model_pods_in(m, p->meta.ns, &pods);
		model_events_for(m, "Pod", p->meta.ns, p->meta.name, p->meta.uid, &evs);
		model_logs_for(m, p->meta.ns, p->meta.name, &logs);
		pod_is_ready(p);
		pod_condition(p, "Ready");
		for (uint32_t c = 0; c < p->ncontainers && c < PAIRS; c++) {
			const struct container *ct = &p->containers[c];
			pod_status(p, ct->name);
			probe_port_resolve(&ct->readiness, ct);
			probe_port_resolve(&ct->liveness, ct);
			probe_port_resolve(&ct->startup, ct);
			quantity_parse(ct->cpu_request, &q);
			quantity_parse(ct->mem_limit, &q);
		}
		for (size_t s = 0; s < m->nservices && s < PAIRS; s++) {
			const struct service *sv = &m->services[s];
			service_selects(sv, p);
			for (uint32_t j = 0; j < sv->nports && j < PAIRS; j++) {
				const struct container *owner;
				port_resolve_target(&sv->ports[j], p, &owner);
			}
		}
		for (size_t n = 0; n < m->nnetpols && n < PAIRS; n++)
			selector_matches(&m->netpols[n].pod_selector, &p->meta.labels);
		for (size_t w = 0; w < m->nworkloads && w < PAIRS; w++)
			selector_matches(&m->workloads[w].selector, &p->meta.labels);
	}
	for (size_t i = 0; i < m->ningresses && i < PAIRS; i++) {
		const struct ingress *ig = &m->ingresses[i];
		const struct service *sv;
		model_ingress(m, ig->meta.ns, ig->meta.name);
		model_ingressclass(m, ig->class_name);
		sv = model_service(m, ig->meta.ns, ig->default_backend.service);
		service_port_for_backend(sv, &ig->default_backend.port);
		for (uint32_t r = 0; r < ig->nrules && r < PAIRS; r++)
			for (uint32_t p = 0; p < ig->rules[r].npaths && p < PAIRS; p++) {
				const struct backend *b = &ig->rules[r].paths[p].backend;
				sv = model_service(m, ig->meta.ns, b->service);
				service_port_for_backend(sv, &b->port);
				model_slices_for(m, ig->meta.ns, b->service, &sl);
			}
		for (uint32_t t = 0; t < ig->ntls && t < PAIRS; t++)
			model_secret(m, ig->meta.ns, ig->tls[t].secret);
	}
	for (size_t i = 0; i < m->nevents && i < PAIRS; i++) {
		const struct objref *r = &m->events[i].involved;
		model_events_for(m, r->kind, r->ns, r->name, r->uid, &evs);
		model_events_for(m, r->kind, r->ns, r->name, "x", &evs);
	}
	for (size_t i = 0; i < m->nnodes && i < PAIRS; i++) {
		model_node(m, m->nodes[i].meta.name);
		node_condition(&m->nodes[i], "Ready");
	}
	for (size_t i = 0; i < m->nworkloads && i < PAIRS; i++)
		model_workload(m, m->workloads[i].kind, m->workloads[i].meta.ns,
			       m->workloads[i].meta.name);
	for (size_t i = 0; i < m->nconfigmaps && i < PAIRS; i++)
		kvs_get(&m->configmaps[i].data, "x");
	for (size_t i = 0; i < m->nendpoints && i < PAIRS; i++)
		model_endpoints(m, m->endpoints[i].meta.ns, m->endpoints[i].meta.name);
	for (size_t i = 0; i < m->nnamespaces && i < PAIRS; i++)
		model_namespace(m, m->namespaces[i].meta.name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct json root;
	struct json_error je;
	struct warnings w;
	struct model m;
	const struct json *items;
	char *buf;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	arena_init(&a, 0);
	if (json_parse(buf, size, &a, &root, &je) < 0)
		goto out;
	warnings_init(&w);
	model_init(&m, &w);
	feed(&m, &root, 0);
	items = root.type == JSON_ARRAY ? &root : json_get(&root, "items");
	for (size_t i = 0; json_is(items, JSON_ARRAY) && i < items->n && i < 256; i++)
		feed(&m, &items->u.items[i], i + 1);
	model_kind_seen(&m, "Service");
	model_kind_seen(&m, "nope");
	model_add_log(&m, "ns", "pod", "ns/pod/logs.txt");
	model_finish(&m);
	exercise(&m);
	model_release(&m);
	warnings_release(&w);
out:
	arena_release(&a);
	free(buf);
	return 0;
}
