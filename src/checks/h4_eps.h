/*
 * h4_eps: the endpoints of one Service port, gathered from EndpointSlices,
 * from the legacy Endpoints object, or (when neither kind is in the
 * input) computed from pod readiness. Used by endpoints.c.
 *
 * Endpoints are de-duplicated by their target pod (dual-stack Services
 * list a pod once per address family) or, without a targetRef, by address.
 */
#ifndef ID_H4_EPS_H
#define ID_H4_EPS_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/model.h"

struct h4_ep {
	const char *key;          /* pod name, or the first address */
	const char *ip;           /* first address ("" none) */
	const char *pod;          /* targetRef Pod name, "" when none */
	const char *pod_uid;      /* targetRef uid, "" when none */
	bool ready;               /* ready in any of its entries */
	bool terminating;
};

struct h4_eps {
	struct h4_ep *v;
	size_t n, cap;
	size_t nobjects;          /* slices / Endpoints objects read */
	size_t nport_objects;     /* of which carry the port */
};

void h4_eps_release(struct h4_eps *e);

/*
 * Endpoints for Service port sp from the Service's EndpointSlices: in each
 * slice the port whose name equals sp's name ("" matches ""); endpoints
 * with ready != false are ready.
 */
void h4_eps_from_slices(struct h4_eps *e, const struct model *m, const struct service *s,
			const struct service_port *sp);
/* The same from the legacy Endpoints object (addresses vs notReadyAddresses). */
void h4_eps_from_endpoints(struct h4_eps *e, const struct model *m, const struct service *s,
			   const struct service_port *sp);

/* The endpoint for a pod name, or NULL. */
const struct h4_ep *h4_eps_find(const struct h4_eps *e, const char *key);
/* Ready endpoints. */
size_t h4_eps_ready(const struct h4_eps *e);

/* Pod phase Failed/Succeeded (never an endpoint again). */
bool h4_pod_done(const struct pod *p);

#endif
