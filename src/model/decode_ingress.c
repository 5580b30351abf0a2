/*
 * decode_ingress: Ingress (networking.k8s.io/v1 and the legacy v1beta1
 * shapes, mapped onto v1 as the API server's conversion does) and
 * IngressClass.
 */
#include <string.h>

#include "model_int.h"

#include "../util/banned.h"

static bool is_legacy(const char *api_version)
{
	return !strcmp(api_version, "extensions/v1beta1") ||
	       !strcmp(api_version, "networking.k8s.io/v1beta1");
}

/*
 * v1: {service: {name, port: {number | name}}} or {resource: {kind, name}}.
 * v1beta1: {serviceName, servicePort (int-or-string)} or {resource}; a
 * string servicePort becomes port.name even when it holds digits
 * (Convert_v1beta1_IngressBackend_To_networking_IngressBackend).
 */
static void d_backend(struct dec *d, const struct json *o, const char *key, struct backend *b)
{
	const struct json *v = d_obj(d, o, key), *svc, *port, *res;
	size_t mark;

	memset(b, 0, sizeof(*b));
	b->service = b->resource_kind = b->resource_name = "";
	b->port.str = "";
	if (!v)
		return;
	b->set = true;
	mark = dec_push(d, "%s", key);
	if (json_get(v, "serviceName") || json_get(v, "servicePort")) {
		b->service = d_istr(d, v, "serviceName");
		d_intstr(d, v, "servicePort", &b->port);
	} else if ((svc = d_obj(d, v, "service"))) {
		size_t m2 = dec_push(d, "service");
		b->service = d_istr(d, svc, "name");
		port = d_obj(d, svc, "port");
		if (port) {
			int32_t num;
			size_t m3 = dec_push(d, "port");
			if (d_int32(d, port, "number", &num) && num != 0) {
				b->port.kind = IS_INT;
				b->port.num = num;
			} else {
				const char *name = d_istr(d, port, "name");
				if (*name) {
					b->port.kind = IS_STR;
					b->port.str = name;
				}
			}
			dec_pop(d, m3);
		}
		dec_pop(d, m2);
	}
	if ((res = d_obj(d, v, "resource"))) {
		size_t m2 = dec_push(d, "resource");
		b->resource_kind = d_istr(d, res, "kind");
		b->resource_name = d_str(d, res, "name");
		dec_pop(d, m2);
	}
	dec_pop(d, mark);
}

static void d_rules(struct dec *d, const struct json *spec, struct ingress *ig, bool legacy)
{
	const struct json *rules = d_arr(d, spec, "rules");
	if (!rules || !rules->n)
		return;
	ig->rules = arena_calloc(&d->m->arena, rules->n, sizeof(*ig->rules));
	for (uint32_t i = 0; i < rules->n; i++) {
		const struct json *r = d_item_obj(d, rules, i, "rules"), *http, *paths;
		struct ingress_rule *rule = &ig->rules[ig->nrules];
		size_t mark;

		if (!r)
			continue;
		mark = dec_push(d, "rules[%u]", i);
		rule->host = d_istr(d, r, "host");
		http = d_obj(d, r, "http");
		if (http) {
			size_t m2 = dec_push(d, "http");
			paths = d_arr(d, http, "paths");
			if (paths && paths->n)
				rule->paths = arena_calloc(&d->m->arena, paths->n,
							   sizeof(*rule->paths));
			for (uint32_t j = 0; paths && j < paths->n; j++) {
				const struct json *p = d_item_obj(d, paths, j, "paths");
				struct ingress_path *ip = &rule->paths[rule->npaths];
				size_t m3;
				if (!p)
					continue;
				m3 = dec_push(d, "paths[%u]", j);
				ip->path = d_istr(d, p, "path");
				ip->path_type = d_istr(d, p, "pathType");
				if (legacy && !*ip->path_type)
					ip->path_type = "ImplementationSpecific";
				d_backend(d, p, "backend", &ip->backend);
				dec_pop(d, m3);
				rule->npaths++;
			}
			dec_pop(d, m2);
		}
		dec_pop(d, mark);
		ig->nrules++;
	}
}

static void d_tls(struct dec *d, const struct json *spec, struct ingress *ig)
{
	const struct json *tls = d_arr(d, spec, "tls");
	if (!tls || !tls->n)
		return;
	ig->tls = arena_calloc(&d->m->arena, tls->n, sizeof(*ig->tls));
	for (uint32_t i = 0; i < tls->n; i++) {
		const struct json *t = d_item_obj(d, tls, i, "tls");
		struct ingress_tls *x = &ig->tls[ig->ntls];
		size_t mark;
		if (!t)
			continue;
		mark = dec_push(d, "tls[%u]", i);
		x->hosts = d_strlist(d, t, "hosts", &x->nhosts, true);
		x->secret = d_str(d, t, "secretName");
		dec_pop(d, mark);
		ig->ntls++;
	}
}

static void d_lb(struct dec *d, const struct json *obj, struct ingress *ig)
{
	const struct json *st = d_obj(d, obj, "status"), *lb, *a;
	size_t mark = dec_push(d, "status");

	lb = d_obj(d, st, "loadBalancer");
	dec_push(d, "loadBalancer");
	a = d_arr(d, lb, "ingress");
	if (a && a->n) {
		ig->lb_addresses = arena_calloc(&d->m->arena, a->n, sizeof(char *));
		for (uint32_t i = 0; i < a->n; i++) {
			const struct json *e = d_item_obj(d, a, i, "ingress");
			const char *s;
			size_t m2;
			if (!e)
				continue;
			m2 = dec_push(d, "ingress[%u]", i);
			s = d_str(d, e, "ip");
			if (!*s)
				s = d_str(d, e, "hostname");
			if (*s)
				ig->lb_addresses[ig->nlb++] = s;
			dec_pop(d, m2);
		}
	}
	dec_pop(d, mark);
}

int decode_ingress(struct dec *d, const struct json *obj, struct ingress *ig)
{
	const struct json *spec;
	bool legacy;
	size_t mark;

	if (d_meta(d, obj, &ig->meta) < 0)
		return -1;
	legacy = is_legacy(ig->meta.api_version);
	ig->class_annotation = kvs_get(&ig->meta.annotations, "kubernetes.io/ingress.class");
	if (!ig->class_annotation)
		ig->class_annotation = "";
	spec = d_obj(d, obj, "spec");
	mark = dec_push(d, "spec");
	ig->class_name = d_istr(d, spec, "ingressClassName");
	/* v1 defaultBackend; v1beta1 backend */
	if (spec && json_get(spec, "defaultBackend"))
		d_backend(d, spec, "defaultBackend", &ig->default_backend);
	else
		d_backend(d, spec, "backend", &ig->default_backend);
	d_rules(d, spec, ig, legacy);
	d_tls(d, spec, ig);
	dec_pop(d, mark);
	d_lb(d, obj, ig);
	return 0;
}

int decode_ingressclass(struct dec *d, const struct json *obj, struct ingressclass *ic)
{
	const struct json *spec, *params;
	const char *def;
	size_t mark;

	if (d_meta(d, obj, &ic->meta) < 0)
		return -1;
	def = kvs_get(&ic->meta.annotations, "ingressclass.kubernetes.io/is-default-class");
	ic->is_default = def && !strcmp(def, "true");
	spec = d_obj(d, obj, "spec");
	mark = dec_push(d, "spec");
	ic->controller = d_istr(d, spec, "controller");
	params = d_obj(d, spec, "parameters");
	dec_push(d, "parameters");
	ic->params_kind = d_istr(d, params, "kind");
	ic->params_name = d_istr(d, params, "name");
	ic->params_ns = d_istr(d, params, "namespace");
	dec_pop(d, mark);
	return 0;
}
