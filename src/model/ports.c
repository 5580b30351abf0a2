/*
 * ports: Service selection and port semantics, following Kubernetes:
 * Ingress backend -> Service port (number or non-empty name), Service
 * targetPort -> container port per pod (FindPort in pkg/api/v1/pod/util.go:
 * containers, then sidecar init containers, name and protocol equal), and
 * probe ports (kubelet extractPort: a name, else digits as a number).
 */
#include <string.h>

#include "model_int.h"

#include "../util/banned.h"

bool service_selects(const struct service *s, const struct pod *p)
{
	if (!s || !p || s->selector.n == 0)
		return false;
	if (strcmp(s->meta.ns, p->meta.ns))
		return false;
	for (uint32_t i = 0; i < s->selector.n; i++) {
		const char *v = kvs_get(&p->meta.labels, s->selector.v[i].key);
		if (!v || strcmp(v, s->selector.v[i].val))
			return false;
	}
	return true;
}

const struct service_port *service_port_for_backend(const struct service *s,
						    const struct intstr *port)
{
	if (!s || !port)
		return NULL;
	for (uint32_t i = 0; i < s->nports; i++) {
		const struct service_port *sp = &s->ports[i];
		if (port->kind == IS_INT && sp->port == port->num)
			return sp;
		if (port->kind == IS_STR && port->str && *port->str && *sp->name &&
		    !strcmp(sp->name, port->str))
			return sp;
	}
	return NULL;
}

static const char *proto_or_tcp(const char *p)
{
	return p && *p ? p : "TCP";
}

/* Containers whose ports are live: regular ones and sidecar init containers. */
static bool port_bearing(const struct container *c)
{
	return !c->init || c->sidecar;
}

int32_t port_resolve_target(const struct service_port *sp, const struct pod *p,
			    const struct container **owner)
{
	const char *proto = proto_or_tcp(sp ? sp->protocol : NULL);
	int32_t num;

	if (owner)
		*owner = NULL;
	if (!sp || !p)
		return -1;
	if (sp->target.kind == IS_STR) {
		for (uint32_t i = 0; i < p->ncontainers; i++) {
			const struct container *c = &p->containers[i];
			if (!port_bearing(c))
				continue;
			for (uint32_t j = 0; j < c->nports; j++) {
				const struct container_port *cp = &c->ports[j];
				if (!strcmp(cp->name, sp->target.str) &&
				    !strcmp(proto_or_tcp(cp->protocol), proto)) {
					if (owner)
						*owner = c;
					return cp->port;
				}
			}
		}
		return -1;
	}
	num = sp->target.kind == IS_INT ? sp->target.num : sp->port;
	for (uint32_t i = 0; owner && i < p->ncontainers; i++) {
		const struct container *c = &p->containers[i];
		if (!port_bearing(c))
			continue;
		for (uint32_t j = 0; j < c->nports; j++)
			if (c->ports[j].port == num &&
			    !strcmp(proto_or_tcp(c->ports[j].protocol), proto)) {
				*owner = c;
				return num;
			}
	}
	return num;
}

int32_t probe_port_resolve(const struct probe *pr, const struct container *c)
{
	const char *s;
	int32_t v = 0;

	if (!pr)
		return -1;
	if (pr->port.kind == IS_INT)
		return pr->port.num;
	if (pr->port.kind != IS_STR || !pr->port.str)
		return -1;
	for (uint32_t j = 0; c && j < c->nports; j++)
		if (!strcmp(c->ports[j].name, pr->port.str))
			return c->ports[j].port;
	/* kubelet: "maybe it was an int stored as string" (strconv.Atoi) */
	s = pr->port.str;
	if (*s == '+')
		s++;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 65535)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v >= 1 && v <= 65535 ? v : -1;
}
