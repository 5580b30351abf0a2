/*
 * versions: version strings of controllers and clusters, and which
 * Kubernetes versions a controller release supports (for
 * controller-k8s-incompatible). Pure functions, no model access.
 */
#ifndef ID_CTL_VERSIONS_H
#define ID_CTL_VERSIONS_H

#include "controller.h"

struct semver {
	int major, minor, patch;   /* patch -1 when not given */
};

/*
 * Parse "v1.12.1", "1.31", "v1.31.2-eks-4f4795d", "controller-v1.9.6".
 * Returns 0, or -1 when no major.minor is found.
 */
int semver_parse(const char *s, struct semver *out);

enum compat { COMPAT_UNKNOWN = 0, COMPAT_OK, COMPAT_UNTESTED, COMPAT_BROKEN };

/*
 * Whether a controller version supports a Kubernetes version, from the
 * controller's published support matrix. *lo / *hi receive the tested
 * Kubernetes minors (1.lo .. 1.hi) when known, else 0. COMPAT_UNTESTED:
 * outside the tested range; COMPAT_BROKEN: cannot work (ingress-nginx 0.x
 * on Kubernetes >= 1.22, which removed the v1beta1 Ingress API);
 * COMPAT_UNKNOWN: no matrix for that controller or release.
 */
enum compat controller_compat(const struct controller_impl *ci, const struct semver *ctl,
			      const struct semver *k8s, int *lo, int *hi);

#endif
