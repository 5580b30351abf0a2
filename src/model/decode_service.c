/*
 * decode_service: Service, EndpointSlice and (legacy) Endpoints.
 */
#include <string.h>

#include "model_int.h"

#include "../util/banned.h"

static const char *tcp(struct dec *d)
{
	return intern(d->m, "TCP", 3);
}

static void d_svc_ports(struct dec *d, const struct json *spec, struct service *s)
{
	const struct json *a = d_arr(d, spec, "ports");
	if (!a || !a->n)
		return;
	s->ports = arena_calloc(&d->m->arena, a->n, sizeof(*s->ports));
	for (uint32_t i = 0; i < a->n; i++) {
		const struct json *p = d_item_obj(d, a, i, "ports");
		struct service_port *sp = &s->ports[s->nports];
		size_t mark;
		if (!p)
			continue;
		mark = dec_push(d, "ports[%u]", i);
		sp->name = d_istr(d, p, "name");
		sp->protocol = d_istr(d, p, "protocol");
		if (!*sp->protocol)
			sp->protocol = tcp(d);
		d_int32(d, p, "port", &sp->port);
		/* SetDefaults_Service: targetPort 0 or "" means "same as port" */
		d_intstr(d, p, "targetPort", &sp->target);
		sp->app_protocol = d_istr(d, p, "appProtocol");
		d_int32(d, p, "nodePort", &sp->node_port);
		dec_pop(d, mark);
		s->nports++;
	}
}

int decode_service(struct dec *d, const struct json *obj, struct service *s)
{
	const struct json *spec;
	size_t mark;

	if (d_meta(d, obj, &s->meta) < 0)
		return -1;
	spec = d_obj(d, obj, "spec");
	mark = dec_push(d, "spec");
	s->type = d_istr(d, spec, "type");
	if (!*s->type)
		s->type = intern(d->m, "ClusterIP", 9);
	s->external_name = d_str(d, spec, "externalName");
	s->cluster_ip = d_str(d, spec, "clusterIP");
	d_kvs(d, spec, "selector", &s->selector, KVS_INTERN_VALUES);
	d_svc_ports(d, spec, s);
	s->publish_not_ready = d_bool(d, spec, "publishNotReadyAddresses") == 1;
	dec_pop(d, mark);
	return 0;
}

/* EndpointSlice / Endpoints ports: port -1 when absent ("all ports"). */
static struct eps_port *d_eps_ports(struct dec *d, const struct json *o, uint32_t *n)
{
	const struct json *a = d_arr(d, o, "ports");
	struct eps_port *v;

	*n = 0;
	if (!a || !a->n)
		return NULL;
	v = arena_calloc(&d->m->arena, a->n, sizeof(*v));
	for (uint32_t i = 0; i < a->n; i++) {
		const struct json *p = d_item_obj(d, a, i, "ports");
		struct eps_port *x = &v[*n];
		size_t mark;
		if (!p)
			continue;
		mark = dec_push(d, "ports[%u]", i);
		x->name = d_istr(d, p, "name");
		if (!d_int32(d, p, "port", &x->port))
			x->port = -1;
		x->protocol = d_istr(d, p, "protocol");
		if (!*x->protocol)
			x->protocol = tcp(d);
		x->app_protocol = d_istr(d, p, "appProtocol");
		dec_pop(d, mark);
		(*n)++;
	}
	return v;
}

int decode_endpointslice(struct dec *d, const struct json *obj, struct endpointslice *es)
{
	const struct json *a;
	const char *v;

	if (d_meta(d, obj, &es->meta) < 0)
		return -1;
	v = kvs_get(&es->meta.labels, "kubernetes.io/service-name");
	es->service = v ? v : "";
	v = kvs_get(&es->meta.labels, "endpointslice.kubernetes.io/managed-by");
	es->managed_by = v ? v : "";
	es->address_type = d_istr(d, obj, "addressType");
	a = d_arr(d, obj, "endpoints");
	if (a && a->n) {
		es->endpoints = arena_calloc(&d->m->arena, a->n, sizeof(*es->endpoints));
		for (uint32_t i = 0; i < a->n; i++) {
			const struct json *e = d_item_obj(d, a, i, "endpoints"), *c;
			struct eps_endpoint *x = &es->endpoints[es->nendpoints];
			size_t mark;
			if (!e)
				continue;
			mark = dec_push(d, "endpoints[%u]", i);
			x->addresses = d_strlist(d, e, "addresses", &x->naddresses, false);
			c = d_obj(d, e, "conditions");
			dec_push(d, "conditions");
			x->ready = d_bool(d, c, "ready");
			x->serving = d_bool(d, c, "serving");
			x->terminating = d_bool(d, c, "terminating");
			dec_pop(d, mark);
			dec_push(d, "endpoints[%u]", i);
			x->node = d_istr(d, e, "nodeName");
			x->hostname = d_str(d, e, "hostname");
			d_objref(d, e, "targetRef", &x->target);
			dec_pop(d, mark);
			es->nendpoints++;
		}
	}
	es->ports = d_eps_ports(d, obj, &es->nports);
	return 0;
}

static struct ep_address *d_ep_addrs(struct dec *d, const struct json *o, const char *key,
				     uint32_t *n)
{
	const struct json *a = d_arr(d, o, key);
	struct ep_address *v;

	*n = 0;
	if (!a || !a->n)
		return NULL;
	v = arena_calloc(&d->m->arena, a->n, sizeof(*v));
	for (uint32_t i = 0; i < a->n; i++) {
		const struct json *e = d_item_obj(d, a, i, key);
		struct ep_address *x = &v[*n];
		size_t mark;
		if (!e)
			continue;
		mark = dec_push(d, "%s[%u]", key, i);
		x->ip = d_str(d, e, "ip");
		x->node = d_istr(d, e, "nodeName");
		x->hostname = d_str(d, e, "hostname");
		d_objref(d, e, "targetRef", &x->target);
		dec_pop(d, mark);
		(*n)++;
	}
	return v;
}

int decode_endpoints(struct dec *d, const struct json *obj, struct endpoints *ep)
{
	const struct json *a;

	if (d_meta(d, obj, &ep->meta) < 0)
		return -1;
	a = d_arr(d, obj, "subsets");
	if (!a || !a->n)
		return 0;
	ep->subsets = arena_calloc(&d->m->arena, a->n, sizeof(*ep->subsets));
	for (uint32_t i = 0; i < a->n; i++) {
		const struct json *s = d_item_obj(d, a, i, "subsets");
		struct ep_subset *x = &ep->subsets[ep->nsubsets];
		size_t mark;
		if (!s)
			continue;
		mark = dec_push(d, "subsets[%u]", i);
		x->ready = d_ep_addrs(d, s, "addresses", &x->nready);
		x->not_ready = d_ep_addrs(d, s, "notReadyAddresses", &x->nnot_ready);
		x->ports = d_eps_ports(d, s, &x->nports);
		dec_pop(d, mark);
		ep->nsubsets++;
	}
	return 0;
}
