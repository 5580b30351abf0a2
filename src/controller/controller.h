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
};

/* The implementation for an IngressClass spec.controller value, or NULL. */
const struct controller_impl *controller_for(const char *class_controller);
/* All known implementations, NULL-terminated. */
extern const struct controller_impl *const controller_impls[];

#endif
