/*
 * h4_util: small pure helpers shared by the Ingress, Service and endpoint
 * checks (ingress.c, service.c, endpoints.c): string joins into the
 * diagnosis arena, near-name suggestions and port descriptions.
 */
#ifndef ID_H4_UTIL_H
#define ID_H4_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "../findings/findings.h"
#include "../model/model.h"
#include "../util/buf.h"

/* "a, b, c" (n strings) into d's arena. */
const char *h4_join(struct diag *d, const char *const *v, size_t n);

/* A label map as "k=v,k2=v2" into d's arena ("" when empty). */
const char *h4_kvs(struct diag *d, const struct kvs *m);

/* Levenshtein distance between a and b, capped at cap + 1 (cheap early exit). */
size_t h4_edit_distance(const char *a, const char *b, size_t cap);

/*
 * Is candidate a plausible intended name for want: a small edit distance
 * (a third of the longer name, at least 1), one a prefix of the other,
 * or a common prefix of at least 4 characters. Never for equal strings.
 */
bool h4_near_name(const char *want, const char *candidate);

/* A Service port as "80 (http)" or "80", into d's arena. */
const char *h4_sport(struct diag *d, const struct service_port *p);

/* A Service port's key: its name, or its number when unnamed. */
const char *h4_sport_key(struct diag *d, const struct service_port *p);

/* A Service port's targetPort as text: "8080", "http", or the port number when unset. */
const char *h4_target(struct diag *d, const struct service_port *p);

/* An Ingress backend's port as text: "80", "http", or "(none)". */
const char *h4_bport(struct diag *d, const struct intstr *p);

#endif
