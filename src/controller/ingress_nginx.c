/*
 * ingress_nginx: the ingress-nginx implementation of controller.h.
 *
 * IngressClass spec.controller "k8s.io/ingress-nginx" (or any custom value
 * passed to the controller as --controller-class). Its pods run the image
 * registry.k8s.io/ingress-nginx/controller (older: quay.io/kubernetes-
 * ingress-controller/nginx-ingress-controller), the binary
 * /nginx-ingress-controller, and carry the chart labels
 * app.kubernetes.io/name=ingress-nginx, app.kubernetes.io/component=controller.
 * Its main ConfigMap is --configmap=<ns>/<name>.
 */
#include "ctl_internal.h"

#include <string.h>

#include "../util/banned.h"

#define NGINX_DEFAULT_CLASS "k8s.io/ingress-nginx"

static const char *const nginx_images[] = {
	"ingress-nginx/controller",                  /* registry.k8s.io, k8s.gcr.io, chroot */
	"kubernetes-ingress-controller/nginx-ingress-controller",  /* quay.io, < 0.34 */
	NULL,
};

static bool nginx_serves(const char *cc)
{
	/* the default value, or a custom class such as k8s.io/internal-ingress-nginx */
	return cc && strstr(cc, "ingress-nginx") != NULL;
}

/* The controller container of a pod, or NULL when the pod is not ingress-nginx. */
static const struct container *nginx_container(const struct pod *p)
{
	static const char *const name[] = { "ingress-nginx", NULL };
	static const char *const comp[] = { "controller", NULL };
	const struct container *c = ctl_image_container(p, nginx_images);

	if (c)
		return c;
	for (uint32_t i = 0; i < p->ncontainers; i++) {
		const struct container *k = &p->containers[i];
		if (!k->init && k->nargs && k->args[0] &&
		    !strcmp(k->args[0], "/nginx-ingress-controller"))
			return k;
	}
	if (ctl_label_in(p, "app.kubernetes.io/name", name) &&
	    ctl_label_in(p, "app.kubernetes.io/component", comp)) {
		for (uint32_t i = 0; i < p->ncontainers; i++)
			if (!p->containers[i].init)
				return &p->containers[i];
	}
	return NULL;
}

static bool nginx_match(const struct pod *p, const char *cc)
{
	const struct container *c = nginx_container(p);
	const char *cls;

	if (!c)
		return false;
	if (!cc || !*cc)
		return true;
	cls = ctl_arg(c, "--controller-class");
	return !strcmp(cls && *cls ? cls : NGINX_DEFAULT_CLASS, cc);
}

static size_t nginx_find_pods(const struct model *m, const char *cc, const struct pod ***out)
{
	return ctl_collect(m, cc, nginx_match, out);
}

static const struct configmap *nginx_find_config(const struct model *m, const struct pod *p)
{
	const struct container *c = nginx_container(p);
	const char *v = ctl_arg(c, "--configmap"), *slash;
	char ns[256];
	size_t n;

	if (!v || !*v)
		return NULL;
	slash = strchr(v, '/');
	if (!slash)
		return model_configmap(m, p->meta.ns, v);
	n = (size_t)(slash - v);
	if (n == 0 || n >= sizeof(ns))
		return NULL;
	memcpy(ns, v, n);
	ns[n] = '\0';
	return model_configmap(m, ns, slash + 1);
}

static void nginx_version(const struct pod *p, char *out, size_t outlen)
{
	ctl_image_version(p, nginx_container(p), out, outlen);
}

const struct controller_impl ctl_ingress_nginx = {
	.name = "ingress-nginx",
	.serves = nginx_serves,
	.external = false,
	.find_pods = nginx_find_pods,
	.find_config = nginx_find_config,
	.version = nginx_version,
};
