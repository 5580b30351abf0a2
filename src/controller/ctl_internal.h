/*
 * ctl_internal: helpers shared by the controller implementations
 * (registry.c, ingress_nginx.c, others.c). Not used outside src/controller/
 * except by the unit tests.
 */
#ifndef ID_CTL_INTERNAL_H
#define ID_CTL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "controller.h"

/*
 * The first regular container (spec.containers) whose image contains one
 * of the NULL-terminated substrings, or NULL.
 */
const struct container *ctl_image_container(const struct pod *p, const char *const *subs);
/* Label key equal to one of the NULL-terminated values. */
bool ctl_label_in(const struct pod *p, const char *key, const char *const *vals);
/*
 * Value of a command-line flag in a container's command + args:
 * "--flag=value" or "--flag value". NULL when absent.
 */
const char *ctl_arg(const struct container *c, const char *flag);
/*
 * Version from a container image tag ("repo/x:v1.2.3@sha256:..." -> "v1.2.3"),
 * else the pod label app.kubernetes.io/version, else "". c may be NULL.
 */
void ctl_image_version(const struct pod *p, const struct container *c, char *out, size_t outlen);
/*
 * Every pod of the model (any namespace) for which match(p, class_controller)
 * holds, in namespace/name order; *out malloc'ed. Returns the count.
 */
size_t ctl_collect(const struct model *m, const char *class_controller,
		   bool (*match)(const struct pod *p, const char *class_controller),
		   const struct pod ***out);

extern const struct controller_impl ctl_ingress_nginx;
extern const struct controller_impl ctl_aws_lb, ctl_traefik, ctl_haproxytech,
	ctl_haproxy_ingress, ctl_contour, ctl_kong, ctl_gce, ctl_f5_nginx;

#endif
