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
 *
 * With Ingress names in the scope (diagnose NS/NAME), only what their
 * paths need is fetched (target.c): GET of each Ingress, the
 * IngressClasses, one page of the Services and of the Endpoints of each
 * backend namespace (by name beyond it), GET of each TLS Secret
 * (metadata), EndpointSlices and pods by set-based labelSelector, the
 * Pod events of the namespaces involved by fieldSelector, the nodes by
 * label kubernetes.io/hostname (by name when absent), GET of each
 * controller ConfigMap, the NetworkPolicies of those namespaces (and
 * their Namespaces only when a policy exists), and the controller's pods
 * (by its labels; every pod of the cluster when no labelled controller
 * pod exists). A kind is reported seen only when every request for it
 * was answered, so a 404 on a GET proves the object missing, and a
 * selector list proves what that selector matches.
 *
 * A kind with legacy versions (Ingress, IngressClass, EndpointSlice)
 * whose list or GET answers 404 as a resource is asked again at the next
 * legacy version the cluster serves (any, when /apis is unreadable).
 */
#ifndef ID_LIVE_H
#define ID_LIVE_H

#include <stdbool.h>

#include "client.h"
#include "../model/model.h"
#include "../source/source.h"

struct live_scope {
	const char *ns;            /* NULL: all namespaces */
	/* Ingresses to diagnose ("NAME" in ns, or "NS/NAME"); none: the whole scope */
	const char *const *names;
	size_t nnames;
};

struct live_result {
	char cluster_version[64];          /* gitVersion, "" unknown */
	bool forbidden[K__COUNT];
	char *forbidden_msg[K__COUNT];     /* RBAC hint per forbidden kind, malloc'ed */
	bool listed[K__COUNT];             /* listed completely */
	unsigned lists;                    /* LIST requests (pages) */
	long long server_time;             /* the server's clock (Date:), 0 unknown */
};

/* Read the cluster into sink. Returns 0 or -1 (fatal: err, ERR_CLUSTER or the sink's). */
int live_read(struct kc_client *cl, const struct live_scope *s, const struct source_sink *sink,
	      struct live_result *res, struct err *err);
void live_result_release(struct live_result *res);

/*
 * Copy version and forbidden kinds into the model (before model_finish).
 * The server's clock becomes the model's "now" when it is later than every
 * object's time: a targeted read sees fewer objects than the whole cluster,
 * and "x ago" must not depend on which objects were fetched.
 */
void live_result_apply(const struct live_result *res, struct model *m);

/* ---- controller pod logs (logs.c): GET pods/NAME/log ---- */

struct live_log_req {
	const char *ns, *pod;
	const char *container;      /* NULL: the pod's only container */
};

struct live_log_opts {
	long tail_lines;            /* tailLines, <= 0: not sent (all) */
	long since_seconds;         /* sinceSeconds, <= 0: not sent */
};

struct live_log {
	char *ns, *pod, *container; /* container "" when not given */
	char *text;                 /* the log (text/plain), NUL-terminated; NULL when not read */
	size_t len;
	char *error;                /* why it could not be read (Status message), NULL when read */
	long status;                /* HTTP status of the answer (403: get pods/log forbidden) */
};

/*
 * The container whose log tells about the controller: the one named
 * "controller" (ingress-nginx chart), else the first non-init container.
 * Points into the pod; NULL for a pod without containers.
 */
const char *live_log_container(const struct pod *p);

/*
 * Fetch the logs of n pods in parallel (one GET
 * /api/v1/namespaces/NS/pods/POD/log?container=C&tailLines=N&sinceSeconds=S
 * each). *out receives n entries in request order (free with
 * live_logs_free). A log that cannot be read (403, 400 "container is
 * waiting to start", 404) has error set and the others go on; -1 only for
 * a fatal transport failure (as kc_client_run).
 */
int live_fetch_logs(struct kc_client *cl, const struct live_log_req *reqs, size_t n,
		    const struct live_log_opts *o, struct live_log **out, struct err *err);
void live_logs_free(struct live_log *v, size_t n);

#endif
