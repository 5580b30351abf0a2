/*
 * ingress_nginx: the ingress-nginx implementation of controller.h.
 *
 * IngressClass spec.controller "k8s.io/ingress-nginx" (or any custom value
 * passed to the controller as --controller-class). Its pods run the image
 * registry.k8s.io/ingress-nginx/controller (older: quay.io/kubernetes-
 * ingress-controller/nginx-ingress-controller), the binary
 * /nginx-ingress-controller, and carry the chart labels
 * app.kubernetes.io/name=ingress-nginx, app.kubernetes.io/component=controller.
 * Its main ConfigMap is --configmap=<ns>/<name>; the settings that change
 * 502/504 behaviour come from it and from per-Ingress annotations
 * (--annotations-prefix, default nginx.ingress.kubernetes.io).
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

/*
 * The --configmap value: "ns/name", "name" (the pod's namespace), and
 * "$(POD_NAMESPACE)/name" as the Helm chart writes it: the kubelet expands
 * $(VAR) from the container's env, and the chart sets POD_NAMESPACE from
 * metadata.namespace, so it is the pod's namespace.
 */
static const struct configmap *nginx_find_config(const struct model *m, const struct pod *p)
{
	static const char podns[] = "$(POD_NAMESPACE)";
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
	if (n == sizeof(podns) - 1 && !strncmp(v, podns, n))
		return model_configmap(m, p->meta.ns, slash + 1);
	if (n == 0 || n >= sizeof(ns))
		return NULL;
	memcpy(ns, v, n);
	ns[n] = '\0';
	return model_configmap(m, ns, slash + 1);
}

/*
 * Settings, defaults (config.go NewDefault, nginx-502.md section 3) and
 * whether a per-Ingress annotation of the same name overrides them.
 */
static const struct {
	const char *key, *def;
	bool configmap, annotation;
} nginx_keys[CS__COUNT] = {
	[CS_NEXT_UPSTREAM] = { "proxy-next-upstream", "error timeout", true, true },
	[CS_NEXT_TRIES] = { "proxy-next-upstream-tries", "3", true, true },
	[CS_NEXT_TIMEOUT] = { "proxy-next-upstream-timeout", "0", true, true },
	[CS_CONNECT_TIMEOUT] = { "proxy-connect-timeout", "5", true, true },
	[CS_READ_TIMEOUT] = { "proxy-read-timeout", "60", true, true },
	[CS_SEND_TIMEOUT] = { "proxy-send-timeout", "60", true, true },
	[CS_KA_TIMEOUT] = { "upstream-keepalive-timeout", "60", true, false },
	[CS_KA_CONNECTIONS] = { "upstream-keepalive-connections", "320", true, false },
	[CS_KA_REQUESTS] = { "upstream-keepalive-requests", "10000", true, false },
	[CS_BUFFER_SIZE] = { "proxy-buffer-size", "4k", true, true },
	[CS_RETRY_NONIDEM] = { "retry-non-idempotent", "false", true, false },
	[CS_BACKEND_PROTOCOL] = { "backend-protocol", "HTTP", false, true },
	[CS_SERVICE_UPSTREAM] = { "service-upstream", "false", false, true },
};

/* The annotation "<prefix>/<key>" of ing: its value, and the key string of the model. */
static const char *nginx_annotation(const struct ingress *ing, const char *prefix,
				    const char *key, const char **akey)
{
	size_t np = strlen(prefix);

	for (uint32_t i = 0; i < ing->meta.annotations.n; i++) {
		const struct kv *a = &ing->meta.annotations.v[i];
		if (!strncmp(a->key, prefix, np) && a->key[np] == '/' && !strcmp(a->key + np + 1, key)) {
			*akey = a->key;
			return a->val;
		}
	}
	return NULL;
}

static void nginx_settings(const struct model *m, const struct pod *p, const struct ingress *ing,
			   struct ctl_settings *out)
{
	const struct container *c = p ? nginx_container(p) : NULL;
	const char *prefix = c ? ctl_arg(c, "--annotations-prefix") : NULL;

	memset(out, 0, sizeof(*out));
	if (!prefix || !*prefix)
		prefix = "nginx.ingress.kubernetes.io";
	out->cm = p ? nginx_find_config(m, p) : NULL;
	out->cm_ref = c ? ctl_arg(c, "--configmap") : NULL;
	for (int i = 0; i < CS__COUNT; i++) {
		struct ctl_setting *s = &out->v[i];
		const char *v, *akey = NULL;
		s->key = nginx_keys[i].key;
		s->value = nginx_keys[i].def;
		s->source = CSRC_DEFAULT;
		if (out->cm && nginx_keys[i].configmap &&
		    (v = kvs_get(&out->cm->data, s->key)) != NULL && *v) {
			s->value = v;
			s->source = CSRC_CONFIGMAP;
		}
		if (ing && nginx_keys[i].annotation &&
		    (v = nginx_annotation(ing, prefix, s->key, &akey)) != NULL && *v) {
			s->value = v;
			s->source = CSRC_ANNOTATION;
			s->annotation = akey;
		}
	}
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
	.nginx_logs = true,
	.settings = nginx_settings,
};
