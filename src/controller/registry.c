/*
 * registry: the list of known ingress controllers, lookup by IngressClass
 * spec.controller, and the pod-recognition helpers the implementations
 * share (image, labels, command-line flags, image tag version).
 */
#include "ctl_internal.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

const struct controller_impl *const controller_impls[] = {
	&ctl_ingress_nginx,
	&ctl_aws_lb,
	&ctl_traefik,
	&ctl_haproxytech,
	&ctl_haproxy_ingress,
	&ctl_contour,
	&ctl_kong,
	&ctl_gce,
	&ctl_f5_nginx,
	NULL,
};

const struct controller_impl *controller_for(const char *class_controller)
{
	if (!class_controller || !*class_controller)
		return NULL;
	for (size_t i = 0; controller_impls[i]; i++)
		if (controller_impls[i]->serves(class_controller))
			return controller_impls[i];
	return NULL;
}

const struct container *ctl_image_container(const struct pod *p, const char *const *subs)
{
	for (uint32_t i = 0; i < p->ncontainers; i++) {
		const struct container *c = &p->containers[i];
		if (c->init || !c->image)
			continue;
		for (size_t k = 0; subs[k]; k++)
			if (strstr(c->image, subs[k]))
				return c;
	}
	return NULL;
}

bool ctl_label_in(const struct pod *p, const char *key, const char *const *vals)
{
	const char *v = kvs_get(&p->meta.labels, key);

	if (!v)
		return false;
	for (size_t k = 0; vals[k]; k++)
		if (!strcmp(v, vals[k]))
			return true;
	return false;
}

const char *ctl_arg(const struct container *c, const char *flag)
{
	size_t n = strlen(flag);

	if (!c)
		return NULL;
	for (uint32_t i = 0; i < c->nargs; i++) {
		const char *a = c->args[i];
		if (!a || strncmp(a, flag, n))
			continue;
		if (a[n] == '=')
			return a + n + 1;
		if (a[n] == '\0' && i + 1 < c->nargs && c->args[i + 1])
			return c->args[i + 1];
	}
	return NULL;
}

static void copy_out(char *out, size_t outlen, const char *s, size_t n)
{
	if (!outlen)
		return;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

void ctl_image_version(const struct pod *p, const struct container *c, char *out, size_t outlen)
{
	const char *lv;

	copy_out(out, outlen, "", 0);
	if (c && c->image && *c->image) {
		const char *img = c->image, *end = strchr(img, '@');
		const char *slash, *colon;
		if (!end)
			end = img + strlen(img);
		/* the tag is after the last ':' that follows the last '/' */
		slash = NULL;
		for (const char *s = img; s < end; s++)
			if (*s == '/')
				slash = s;
		colon = NULL;
		for (const char *s = slash ? slash : img; s < end; s++)
			if (*s == ':')
				colon = s;
		if (colon && colon + 1 < end) {
			copy_out(out, outlen, colon + 1, (size_t)(end - colon - 1));
			return;
		}
	}
	lv = kvs_get(&p->meta.labels, "app.kubernetes.io/version");
	if (lv)
		copy_out(out, outlen, lv, strlen(lv));
}

static int cmp_pod(const void *a, const void *b)
{
	const struct pod *x = *(const struct pod *const *)a;
	const struct pod *y = *(const struct pod *const *)b;
	int r = strcmp(x->meta.ns, y->meta.ns);
	return r ? r : strcmp(x->meta.name, y->meta.name);
}

size_t ctl_collect(const struct model *m, const char *class_controller,
		   bool (*match)(const struct pod *p, const char *class_controller),
		   const struct pod ***out)
{
	const struct pod **v = xcalloc(m->npods ? m->npods : 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < m->npods; i++)
		if (match(&m->pods[i], class_controller))
			v[n++] = &m->pods[i];
	qsort(v, n, sizeof(*v), cmp_pod);
	*out = v;
	return n;
}
