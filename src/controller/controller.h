/*
 * controller: what the tool knows about ingress controllers, behind one
 * small interface so that ingress-nginx is the first implementation and
 * not an assumption spread through the code.
 *
 * An implementation recognises its IngressClass spec.controller values,
 * finds its own pods in the model, finds its configuration, and reports
 * its version. Later (log analysis, settings) grow the same struct.
 */
#ifndef ID_CONTROLLER_H
#define ID_CONTROLLER_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/model.h"

/* The proxy settings that change 502/504 behaviour (nginx-502.md section 3). */
enum ctl_setting_id {
	CS_NEXT_UPSTREAM = 0,      /* proxy-next-upstream: "error timeout" */
	CS_NEXT_TRIES,             /* proxy-next-upstream-tries: 3 */
	CS_NEXT_TIMEOUT,           /* proxy-next-upstream-timeout: 0 (none) */
	CS_CONNECT_TIMEOUT,        /* proxy-connect-timeout: 5 (s) */
	CS_READ_TIMEOUT,           /* proxy-read-timeout: 60 */
	CS_SEND_TIMEOUT,           /* proxy-send-timeout: 60 */
	CS_KA_TIMEOUT,             /* upstream-keepalive-timeout: 60 */
	CS_KA_CONNECTIONS,         /* upstream-keepalive-connections: 320 */
	CS_KA_REQUESTS,            /* upstream-keepalive-requests: 10000 */
	CS_BUFFER_SIZE,            /* proxy-buffer-size: 4k */
	CS_RETRY_NONIDEM,          /* retry-non-idempotent: false */
	CS_BACKEND_PROTOCOL,       /* backend-protocol: HTTP (annotation only) */
	CS_SERVICE_UPSTREAM,       /* service-upstream: false (annotation only) */
	CS__COUNT,
};

enum ctl_source { CSRC_DEFAULT = 0, CSRC_CONFIGMAP, CSRC_ANNOTATION };

struct ctl_setting {
	const char *key;           /* the controller's own name: "proxy-next-upstream-tries" */
	const char *value;         /* effective value, as written ("3", "error timeout") */
	enum ctl_source source;
	const char *annotation;    /* CSRC_ANNOTATION: the annotation key (as in the model) */
};

/* Effective settings; strings are static or point into the model. */
struct ctl_settings {
	struct ctl_setting v[CS__COUNT];
	const struct configmap *cm;   /* the ConfigMap read, NULL when none */
	const char *cm_ref;           /* --configmap value resolved ("ns/name"), NULL when none */
};

struct controller_impl {
	const char *name;            /* "ingress-nginx", "aws-load-balancer-controller", ... */
	/* Does an IngressClass spec.controller value belong to this controller? */
	bool (*serves)(const char *class_controller);
	/*
	 * Does the controller run outside the cluster (GCE), so that finding no
	 * pod of it proves nothing?
	 */
	bool external;
	/*
	 * The controller's pods serving class_controller (or, for a class-less
	 * setup, any of its pods), in namespace/name order. Returns the count;
	 * *out is malloc'ed (caller frees).
	 */
	size_t (*find_pods)(const struct model *m, const char *class_controller,
			    const struct pod ***out);
	/* Its main ConfigMap for one of its pods (from --configmap), or NULL. */
	const struct configmap *(*find_config)(const struct model *m, const struct pod *p);
	/* Its version from the pod (image tag / labels), "" if unknown; written to out. */
	void (*version)(const struct pod *p, char *out, size_t outlen);
	/*
	 * Its logs are nginx access/error lines the log analyser reads
	 * (src/logs/): diagnose reads such pods' logs found beside a snapshot.
	 */
	bool nginx_logs;
	/*
	 * The effective proxy settings for Ingress ing (NULL: the controller
	 * defaults and ConfigMap only) served by controller pod p: defaults,
	 * then its ConfigMap (find_config), then the Ingress's annotations.
	 * NULL when the implementation does not know its settings.
	 */
	void (*settings)(const struct model *m, const struct pod *p, const struct ingress *ing,
			 struct ctl_settings *out);
};

/* The implementation for an IngressClass spec.controller value, or NULL. */
const struct controller_impl *controller_for(const char *class_controller);
/* All known implementations, NULL-terminated. */
extern const struct controller_impl *const controller_impls[];

#endif
