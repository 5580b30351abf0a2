/*
 * others: known-controller entries other than ingress-nginx. Each knows
 * its IngressClass spec.controller values and how to recognise its pods
 * (image, app.kubernetes.io/name label); none reads configuration yet.
 *
 *   AWS Load Balancer Controller  ingress.k8s.aws/alb
 *   Traefik                       traefik.io/ingress-controller
 *   HAProxy (haproxytech)         haproxy.org/ingress-controller[/<class>]
 *   HAProxy Ingress (jcmoraisjr)  haproxy-ingress.github.io/controller[/<class>]
 *   Contour                       projectcontour.io/ingress-controller (projectcontour.io/...)
 *   Kong                          ingress-controllers.konghq.com/kong
 *   GCE (runs outside the cluster) k8s.io/ingress-gce
 *   F5 NGINX Ingress Controller   nginx.org/ingress-controller
 */
#include "ctl_internal.h"

#include <string.h>

#include "../util/banned.h"

struct known {
	const char *const *prefixes;   /* spec.controller values (prefix match on a segment) */
	const char *const *images;     /* image substrings */
	const char *const *names;      /* app.kubernetes.io/name values */
};

/* cc equals a prefix, or continues it with '/'. */
static bool known_serves(const struct known *k, const char *cc)
{
	if (!cc)
		return false;
	for (size_t i = 0; k->prefixes[i]; i++) {
		size_t n = strlen(k->prefixes[i]);
		if (!strncmp(cc, k->prefixes[i], n) && (cc[n] == '\0' || cc[n] == '/'))
			return true;
	}
	return false;
}

static const struct container *known_container(const struct known *k, const struct pod *p)
{
	const struct container *c = ctl_image_container(p, k->images);

	if (c)
		return c;
	if (ctl_label_in(p, "app.kubernetes.io/name", k->names)) {
		for (uint32_t i = 0; i < p->ncontainers; i++)
			if (!p->containers[i].init)
				return &p->containers[i];
	}
	return NULL;
}

static const struct configmap *no_config(const struct model *m, const struct pod *p)
{
	(void)m;
	(void)p;
	return NULL;
}

/* One entry: data, the three callbacks bound to it, and the impl. */
#define KNOWN(sym, label, ext, ...)                                                        \
	static const struct known sym##_k = { __VA_ARGS__ };                               \
	static bool sym##_serves(const char *cc) { return known_serves(&sym##_k, cc); }    \
	static bool sym##_match(const struct pod *p, const char *cc)                       \
	{                                                                                  \
		(void)cc;                                                                  \
		return known_container(&sym##_k, p) != NULL;                               \
	}                                                                                  \
	static size_t sym##_find(const struct model *m, const char *cc,                    \
				 const struct pod ***out)                                  \
	{                                                                                  \
		return ctl_collect(m, cc, sym##_match, out);                               \
	}                                                                                  \
	static void sym##_version(const struct pod *p, char *out, size_t outlen)           \
	{                                                                                  \
		ctl_image_version(p, known_container(&sym##_k, p), out, outlen);           \
	}                                                                                  \
	const struct controller_impl ctl_##sym = {                                         \
		.name = label, .serves = sym##_serves, .external = ext,                    \
		.find_pods = sym##_find, .find_config = no_config,                         \
		.version = sym##_version,                                                  \
	}

#define L(...) (const char *const[]){ __VA_ARGS__, NULL }

KNOWN(aws_lb, "aws-load-balancer-controller", false,
      L("ingress.k8s.aws/alb"),
      L("aws-load-balancer-controller", "aws-alb-ingress-controller"),
      L("aws-load-balancer-controller", "aws-alb-ingress-controller"));
KNOWN(traefik, "traefik", false,
      L("traefik.io/ingress-controller"),
      L("traefik:"),
      L("traefik"));
KNOWN(haproxytech, "haproxy-kubernetes-ingress", false,
      L("haproxy.org/ingress-controller"),
      L("haproxytech/kubernetes-ingress"),
      L("kubernetes-ingress"));
KNOWN(haproxy_ingress, "haproxy-ingress", false,
      L("haproxy-ingress.github.io/controller"),
      L("jcmoraisjr/haproxy-ingress"),
      L("haproxy-ingress"));
KNOWN(contour, "contour", false,
      L("projectcontour.io/ingress-controller", "projectcontour.io/contour"),
      L("projectcontour/contour"),
      L("contour"));
KNOWN(kong, "kong", false,
      L("ingress-controllers.konghq.com/kong"),
      L("kong/kubernetes-ingress-controller"),
      L("kong"));
KNOWN(gce, "ingress-gce", true,
      L("k8s.io/ingress-gce"),
      L("ingress-gce-glbc"),
      L("glbc"));
KNOWN(f5_nginx, "nginx-ingress (F5 NGINX)", false,
      L("nginx.org/ingress-controller"),
      L("nginx/nginx-ingress", "nginx-ic/nginx-plus-ingress"),
      L("nginx-ingress"));
