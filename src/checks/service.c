/*
 * service: runbook step 1, first half: the backend Service and port an
 * Ingress path names. Sets c->svc / c->sport for the later checks. Ids:
 * ingress-service-missing (with near-name suggestions),
 * ingress-service-port-missing (listing the ports the Service has),
 * ingress-backend-externalname, ingress-backend-protocol-mismatch
 * (ingress-nginx backend-protocol vs the port's appProtocol, name or
 * well-known number).
 */
#include "check.h"
#include "h4_util.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BACKEND_PROTOCOL "nginx.ingress.kubernetes.io/backend-protocol"
#define NGINX_CONTROLLER "k8s.io/ingress-nginx"

/* Key of a path-level Ingress finding: "service:port". */
static const char *backend_key(struct check_ctx *c)
{
	return diag_printf(c->d, "%s:%s", c->backend->service, h4_bport(c->d, &c->backend->port));
}

/* Up to 3 Services of the namespace whose names are close to want. */
static const char *suggest(struct check_ctx *c, const char *ns, const char *want)
{
	const char *v[3];
	size_t n = 0;

	for (size_t i = 0; i < c->m->nservices && n < 3; i++) {
		const struct service *s = &c->m->services[i];
		if (!strcmp(s->meta.ns, ns) && h4_near_name(want, s->meta.name))
			v[n++] = s->meta.name;
	}
	return n ? h4_join(c->d, v, n) : NULL;
}

static void service_missing(struct check_ctx *c)
{
	const struct ingress *ing = c->ing;
	const char *ns = ing->meta.ns, *svc = c->backend->service;
	const char *near = suggest(c, ns, svc);
	struct finding *f = check_finding(c, "ingress-service-missing", SEV_ERROR, HOP_SERVICE,
					  "Ingress", ns, ing->meta.name, svc);

	finding_message(c->d, f, "Ingress %s/%s routes to Service %s/%s, which does not "
			"exist%s%s%s", ns, ing->meta.name, ns, svc, near ? " (did you mean " : "",
			near ? near : "", near ? "?)" : "");
	finding_evidence(c->d, f, "backend service.name: %s, port: %s", svc,
			 h4_bport(c->d, &c->backend->port));
	if (near)
		finding_evidence(c->d, f, "Services with close names in %s: %s", ns, near);
	finding_fix(c->d, f, "point the backend of Ingress %s/%s at an existing Service%s%s%s, or "
		    "create Service %s in %s", ns, ing->meta.name, near ? " (" : "",
		    near ? near : "", near ? ")" : "", svc, ns);
	finding_command(c->d, f, "kubectl get services -n %s", ns);
	finding_command(c->d, f, "kubectl get ingress %s -n %s -o yaml", ing->meta.name, ns);
	chain_hop(c->d, c->chain, HOP_SERVICE, V_FAIL, "Service %s/%s not found", ns, svc);
}

static void port_missing(struct check_ctx *c, const struct service *s)
{
	const struct ingress *ing = c->ing;
	const char *ns = ing->meta.ns, *bp = h4_bport(c->d, &c->backend->port);
	struct finding *f = check_finding(c, "ingress-service-port-missing", SEV_ERROR,
					  HOP_SERVICE, "Ingress", ns, ing->meta.name,
					  backend_key(c));
	const char **v = xcalloc(s->nports ? s->nports : 1, sizeof(*v));
	const char *list;

	for (uint32_t i = 0; i < s->nports; i++)
		v[i] = h4_sport(c->d, &s->ports[i]);
	list = s->nports ? h4_join(c->d, v, s->nports) : "none";
	free(v);

	finding_message(c->d, f, "Ingress %s/%s routes to port %s of Service %s/%s, which has "
			"port%s %s", ns, ing->meta.name, bp, ns, s->meta.name,
			s->nports == 1 ? "" : "s", list);
	finding_evidence(c->d, f, "backend service.port.%s: %s",
			 c->backend->port.kind == IS_STR ? "name" : "number", bp);
	for (uint32_t i = 0; i < s->nports; i++) {
		const struct service_port *p = &s->ports[i];
		finding_evidence(c->d, f, "Service %s/%s port %s -> targetPort %s/%s%s", ns,
				 s->meta.name, h4_sport(c->d, p), h4_target(c->d, p), p->protocol,
				 *p->name ? "" : " (unnamed: only port.number can select it)");
		if (c->backend->port.kind == IS_INT && p->target.kind == IS_INT &&
		    p->target.num == c->backend->port.num)
			finding_evidence(c->d, f, "%d is the targetPort of Service port %s: an "
					 "Ingress names the Service port, not the container "
					 "port", p->target.num, h4_sport(c->d, p));
	}
	if (s->nports == 1)
		finding_fix(c->d, f, "set the backend port of Ingress %s/%s to %s%d%s%s",
			    ns, ing->meta.name, "number ", s->ports[0].port,
			    *s->ports[0].name ? " or name " : "", s->ports[0].name);
	else
		finding_fix(c->d, f, "set the backend port of Ingress %s/%s to one of the ports of "
			    "Service %s/%s (%s)", ns, ing->meta.name, ns, s->meta.name, list);
	finding_command(c->d, f, "kubectl get service %s -n %s -o yaml", s->meta.name, ns);
	finding_command(c->d, f, "kubectl get ingress %s -n %s -o yaml", ing->meta.name, ns);
	chain_hop(c->d, c->chain, HOP_SERVICE, V_FAIL, "Service %s/%s has no port %s", ns,
		  s->meta.name, bp);
}

static void externalname(struct check_ctx *c, const struct service *s)
{
	const struct ingress *ing = c->ing;
	const char *ns = ing->meta.ns;
	struct finding *f = check_finding(c, "ingress-backend-externalname", SEV_WARNING,
					  HOP_SERVICE, "Ingress", ns, ing->meta.name,
					  backend_key(c));

	finding_message(c->d, f, "Ingress %s/%s routes to Service %s/%s of type ExternalName "
			"(%s): the controller must resolve and reach it itself", ns,
			ing->meta.name, ns, s->meta.name,
			*s->external_name ? s->external_name : "no externalName");
	finding_evidence(c->d, f, "Service %s/%s spec.type: ExternalName, spec.externalName: %s",
			 ns, s->meta.name, *s->external_name ? s->external_name : "(unset)");
	finding_evidence(c->d, f, "backend port: %s", h4_bport(c->d, &c->backend->port));
	finding_fix(c->d, f, "check that %s resolves from the controller pods and listens on "
		    "port %s, or route to an in-cluster Service",
		    *s->external_name ? s->external_name : "the externalName",
		    h4_bport(c->d, &c->backend->port));
	finding_command(c->d, f, "kubectl get service %s -n %s -o yaml", s->meta.name, ns);
	chain_hop(c->d, c->chain, HOP_SERVICE, V_WARN, "Service %s/%s ExternalName -> %s", ns,
		  s->meta.name, *s->external_name ? s->external_name : "(unset)");
}

/* ---- backend protocol ---- */

/* What a backend port speaks, as far as its declaration says. */
enum wire { W_UNKNOWN, W_HTTP, W_TLS, W_H2C, W_GRPC };

static const char *wire_name(enum wire w)
{
	switch (w) {
	case W_HTTP: return "plain HTTP";
	case W_TLS: return "TLS (HTTPS)";
	case W_H2C: return "cleartext HTTP/2 (h2c)";
	case W_GRPC: return "gRPC";
	default: return "unknown";
	}
}

/* A port name: exact or with a "-suffix" (Istio-style "http-web"). */
static bool name_is(const char *name, const char *proto)
{
	size_t n = strlen(proto);
	return !strncasecmp(name, proto, n) && (name[n] == '\0' || name[n] == '-');
}

static enum wire wire_from_name(const char *name)
{
	if (name_is(name, "https") || name_is(name, "grpcs") || name_is(name, "tls"))
		return name_is(name, "grpcs") ? W_GRPC : W_TLS;
	if (name_is(name, "http") || name_is(name, "http1"))
		return W_HTTP;
	if (name_is(name, "h2c") || name_is(name, "http2"))
		return W_H2C;
	if (name_is(name, "grpc"))
		return W_GRPC;
	return W_UNKNOWN;
}

static enum wire wire_from_number(int32_t n)
{
	if (n == 80)
		return W_HTTP;
	if (n == 443 || n == 8443)
		return W_TLS;
	return W_UNKNOWN;
}

/* Infer the port's protocol: appProtocol, then names, then well-known numbers. */
static enum wire port_wire(struct diag *d, const struct service_port *p, const char **why)
{
	const char *ap = p->app_protocol;
	enum wire w;

	if (*ap) {
		*why = diag_printf(d, "appProtocol %s", ap);
		if (!strcasecmp(ap, "http") || !strcasecmp(ap, "kubernetes.io/ws"))
			return W_HTTP;
		if (!strcasecmp(ap, "https") || !strcasecmp(ap, "kubernetes.io/wss"))
			return W_TLS;
		if (!strcasecmp(ap, "h2c") || !strcasecmp(ap, "kubernetes.io/h2c"))
			return W_H2C;
		if (!strcasecmp(ap, "grpc"))
			return W_GRPC;
		return W_UNKNOWN;   /* tcp, a custom protocol: says nothing */
	}
	if (*p->name && (w = wire_from_name(p->name)) != W_UNKNOWN) {
		*why = diag_printf(d, "port name %s", p->name);
		return w;
	}
	if (p->target.kind == IS_STR && (w = wire_from_name(p->target.str)) != W_UNKNOWN) {
		*why = diag_printf(d, "targetPort name %s", p->target.str);
		return w;
	}
	if (p->target.kind == IS_INT && (w = wire_from_number(p->target.num)) != W_UNKNOWN) {
		*why = diag_printf(d, "targetPort %d", p->target.num);
		return w;
	}
	if ((w = wire_from_number(p->port)) != W_UNKNOWN) {
		/* a numeric target that is not well known weakens nothing: 80 -> 8080 is HTTP */
		*why = diag_printf(d, "port %d", p->port);
		return w;
	}
	return W_UNKNOWN;
}

/*
 * Does the annotation value disagree with what the port speaks? Only
 * definite conflicts count; *want receives the value that would fit.
 */
static bool conflicts(const char *proto, enum wire w, const char **want)
{
	*want = w == W_TLS ? "HTTPS" : w == W_HTTP ? "HTTP" : "GRPC";
	if (!strcasecmp(proto, "HTTP"))
		return w == W_TLS || w == W_GRPC;
	if (!strcasecmp(proto, "HTTPS"))
		return w == W_HTTP || w == W_H2C || w == W_GRPC;
	if (!strcasecmp(proto, "GRPC")) {
		*want = w == W_TLS ? "GRPCS" : "HTTP";
		return w == W_HTTP || w == W_TLS;
	}
	if (!strcasecmp(proto, "GRPCS")) {
		*want = w == W_HTTP ? "HTTP" : "GRPC";
		return w == W_HTTP || w == W_H2C;
	}
	return false;   /* AUTO_HTTP, FCGI, anything else: no opinion */
}

static void check_protocol(struct check_ctx *c, const struct service *s,
			   const struct service_port *p)
{
	const struct ingress *ing = c->ing;
	const char *ann = kvs_get(&ing->meta.annotations, BACKEND_PROTOCOL);
	const char *proto = ann && *ann ? ann : "HTTP", *why = "", *want;
	const char *ns = ing->meta.ns;
	enum wire w;
	struct finding *f;

	/* the annotation means something to ingress-nginx only */
	if (c->cls && strcmp(c->cls->controller, NGINX_CONTROLLER))
		return;
	w = port_wire(c->d, p, &why);
	if (w == W_UNKNOWN || !conflicts(proto, w, &want))
		return;
	f = check_finding(c, "ingress-backend-protocol-mismatch", SEV_ERROR, HOP_SERVICE,
			  "Ingress", ns, ing->meta.name, backend_key(c));
	finding_message(c->d, f, "Ingress %s/%s speaks %s%s to Service %s/%s port %s, which "
			"serves %s (%s)", ns, ing->meta.name, proto,
			ann && *ann ? "" : " (the default)", ns, s->meta.name,
			h4_sport(c->d, p), wire_name(w), why);
	if (ann && *ann)
		finding_evidence(c->d, f, "annotation %s: %s", BACKEND_PROTOCOL, ann);
	else
		finding_evidence(c->d, f, "no %s annotation: ingress-nginx speaks HTTP",
				 BACKEND_PROTOCOL);
	finding_evidence(c->d, f, "Service %s/%s port %s: appProtocol %s, targetPort %s", ns,
			 s->meta.name, h4_sport(c->d, p),
			 *p->app_protocol ? p->app_protocol : "unset", h4_target(c->d, p));
	if (!strcasecmp(want, "HTTP") && ann && *ann)
		finding_fix(c->d, f, "remove annotation %s from Ingress %s/%s (or set it to "
			    "\"HTTP\"), or serve %s on the port", BACKEND_PROTOCOL, ns,
			    ing->meta.name, proto);
	else
		finding_fix(c->d, f, "set annotation %s: \"%s\" on Ingress %s/%s, or fix the "
			    "port's appProtocol/name", BACKEND_PROTOCOL, want, ns, ing->meta.name);
	finding_command(c->d, f, "kubectl get ingress %s -n %s -o "
			"jsonpath='{.metadata.annotations}'", ing->meta.name, ns);
	finding_command(c->d, f, "kubectl get service %s -n %s -o yaml", s->meta.name, ns);
	chain_hop(c->d, c->chain, HOP_SERVICE, V_FAIL, "Service %s/%s port %s: %s to %s", ns,
		  s->meta.name, h4_sport(c->d, p), proto, wire_name(w));
}

void check_service(struct check_ctx *c)
{
	const struct model *m = c->m;
	const struct backend *b = c->backend;
	const char *ns = c->ing->meta.ns;
	const struct service *s;
	const struct service_port *p;

	c->svc = NULL;
	c->sport = NULL;
	if (!b || !b->set)
		return;
	if (!*b->service) {
		chain_hop(c->d, c->chain, HOP_SERVICE, V_SKIPPED, "resource backend %s/%s: no "
			  "Service to check", *b->resource_kind ? b->resource_kind : "?",
			  b->resource_name ? b->resource_name : "?");
		return;
	}
	if (!m->present[K_SERVICE] || m->forbidden[K_SERVICE]) {
		const char *why = m->forbidden[K_SERVICE] ? "could not be read (forbidden)"
							  : "are absent from the input";
		diag_note(c->d, "Services %s: the backends of Ingress %s/%s were not checked",
			  why, ns, c->ing->meta.name);
		chain_hop(c->d, c->chain, HOP_SERVICE, V_UNKNOWN, "Service %s/%s port %s (Services "
			  "%s)", ns, b->service, h4_bport(c->d, &b->port), why);
		return;
	}
	s = model_service(m, ns, b->service);
	if (!s) {
		service_missing(c);
		return;
	}
	c->svc = s;
	p = service_port_for_backend(s, &b->port);
	if (s->type && !strcmp(s->type, "ExternalName")) {
		c->sport = p;
		externalname(c, s);
		/* an ExternalName Service without ports takes the backend's number as is */
		if (!p && s->nports)
			port_missing(c, s);
		return;
	}
	if (!p) {
		port_missing(c, s);
		return;
	}
	c->sport = p;
	chain_hop(c->d, c->chain, HOP_SERVICE, V_OK, "Service %s/%s port %s -> targetPort %s", ns,
		  s->meta.name, h4_sport(c->d, p), h4_target(c->d, p));
	check_protocol(c, s, p);
}
