/*
 * versions: semantic version parsing and the controllers' Kubernetes
 * support matrices (kubernetes-api.md 6.1 for ingress-nginx, from its
 * README as of 2026-03-20: "supported" means the project ran its E2E
 * tests on those Kubernetes versions).
 */
#include "versions.h"
#include "ctl_internal.h"

#include <ctype.h>
#include <string.h>

#include "../util/banned.h"

/* Read a non-negative decimal at *s (at most 6 digits); -1 when none. */
static int read_num(const char **s)
{
	int v = 0, nd = 0;

	while (isdigit((unsigned char)**s) && nd < 6) {
		v = v * 10 + (**s - '0');
		(*s)++;
		nd++;
	}
	return nd ? v : -1;
}

int semver_parse(const char *s, struct semver *out)
{
	out->major = out->minor = 0;
	out->patch = -1;
	if (!s)
		return -1;
	/* the first digit that starts "N.N" */
	for (; *s; s++) {
		const char *p = s;
		int maj, min;
		if (!isdigit((unsigned char)*p) || (p > s && isdigit((unsigned char)p[-1])))
			continue;
		maj = read_num(&p);
		if (maj < 0 || *p != '.')
			continue;
		p++;
		min = read_num(&p);
		if (min < 0)
			continue;
		out->major = maj;
		out->minor = min;
		if (*p == '.') {
			p++;
			out->patch = read_num(&p);
		}
		return 0;
	}
	return -1;
}

struct nginx_row {
	int minor, patch_lo, patch_hi;  /* controller v1.minor.patch_lo .. patch_hi */
	int k8s_lo, k8s_hi;             /* Kubernetes 1.k8s_lo .. 1.k8s_hi tested */
};

static const struct nginx_row nginx_rows[] = {
	{ 15, 0, 99, 31, 35 },
	{ 14, 0, 99, 30, 34 },
	{ 13, 0, 99, 29, 33 },
	{ 12, 0, 99, 28, 32 },
	{ 11, 0, 99, 26, 30 },
	{ 10, 1, 99, 26, 30 },
	{ 10, 0, 0, 26, 29 },
	{ 9, 6, 99, 25, 29 },
	{ 9, 0, 5, 25, 28 },
	{ 8, 0, 99, 24, 27 },
	{ 7, 0, 99, 24, 27 },
	{ 6, 0, 99, 23, 26 },
	{ 5, 0, 99, 23, 25 },
	{ 4, 0, 99, 22, 25 },
	{ 3, 0, 99, 20, 24 },
};

static enum compat nginx_compat(const struct semver *ctl, const struct semver *k8s,
				int *lo, int *hi)
{
	int patch = ctl->patch < 0 ? 0 : ctl->patch;

	if (ctl->major == 0) {
		/* 0.x speaks only the v1beta1 Ingress API, removed in Kubernetes 1.22 */
		*hi = 21;
		return k8s->major == 1 && k8s->minor >= 22 ? COMPAT_BROKEN : COMPAT_UNKNOWN;
	}
	if (ctl->major != 1)
		return COMPAT_UNKNOWN;
	for (size_t i = 0; i < sizeof(nginx_rows) / sizeof(nginx_rows[0]); i++) {
		const struct nginx_row *r = &nginx_rows[i];
		if (r->minor != ctl->minor || patch < r->patch_lo || patch > r->patch_hi)
			continue;
		*lo = r->k8s_lo;
		*hi = r->k8s_hi;
		if (k8s->major != 1)
			return COMPAT_UNKNOWN;
		return k8s->minor >= r->k8s_lo && k8s->minor <= r->k8s_hi ? COMPAT_OK
									   : COMPAT_UNTESTED;
	}
	return COMPAT_UNKNOWN;
}

enum compat controller_compat(const struct controller_impl *ci, const struct semver *ctl,
			      const struct semver *k8s, int *lo, int *hi)
{
	*lo = *hi = 0;
	if (ci == &ctl_ingress_nginx)
		return nginx_compat(ctl, k8s, lo, hi);
	return COMPAT_UNKNOWN;
}
