/*
 * network: runbook step 4, the network path from the ingress controller's
 * pods to each backend pod: NetworkPolicy evaluation (src/netpol/) for
 * every (controller pod, backend pod, resolved target port) of a path.
 * Id: netpol-blocks-controller. The engine calls check_network() after
 * check_pods() (to be wired in diagnose.c / check.h by the lead).
 */
#ifndef ID_CHECK_NETWORK_H
#define ID_CHECK_NETWORK_H

#include "check.h"

struct np_index;

/*
 * Evaluate the current path (c->chain, c->svc, c->sport, c->pods) with a
 * per-call policy index (compiles the policies of the two namespaces
 * involved: cheap, but an engine that keeps one index per diagnosis
 * should call check_network_idx()).
 */
void check_network(struct check_ctx *c);

/* The same with an index kept by the caller for the whole diagnosis (np_index_init on c->m). */
void check_network_idx(struct check_ctx *c, struct np_index *x);

#endif
