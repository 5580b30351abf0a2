/*
 * live: the live source. Reads a cluster through the API (client.h) into
 * the same sink the files feed (source/source.h).
 *
 * Discovery first (GET /version, GET /apis: which versions of Ingress,
 * IngressClass and EndpointSlice are served), then one paged LIST
 * (limit=500, continue; 410 restarts the list) per kind and scope, all
 * in parallel. Items of a typed list carry no kind: the request gives it.
 * Secrets are asked for as PartialObjectMetadataList and reduced to their
 * metadata (without last-applied-configuration) before the sink sees
 * them, whatever the server answered. A 403 marks the kind forbidden with
 * the RBAC rule that would fix it; a 404 means the kind is not served;
 * both go on. A kind listed completely is reported with kind_seen().
 */
#ifndef ID_LIVE_H
#define ID_LIVE_H

#include <stdbool.h>

#include "client.h"
#include "../model/model.h"
#include "../source/source.h"

struct live_scope {
	const char *ns;            /* NULL: all namespaces */
};

struct live_result {
	char cluster_version[64];          /* gitVersion, "" unknown */
	bool forbidden[K__COUNT];
	char *forbidden_msg[K__COUNT];     /* RBAC hint per forbidden kind, malloc'ed */
	bool listed[K__COUNT];             /* listed completely */
	unsigned lists;                    /* LIST requests (pages) */
};

/* Read the cluster into sink. Returns 0 or -1 (fatal: err, ERR_CLUSTER or the sink's). */
int live_read(struct kc_client *cl, const struct live_scope *s, const struct source_sink *sink,
	      struct live_result *res, struct err *err);
void live_result_release(struct live_result *res);

/* Copy version and forbidden kinds into the model (before model_finish). */
void live_result_apply(const struct live_result *res, struct model *m);

#endif
