/*
 * test_controller: the controller registry (controller_for), pod
 * recognition helpers, version parsing and the ingress-nginx support
 * matrix (src/controller/).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/controller/controller.h"
#include "../../src/controller/ctl_internal.h"
#include "../../src/controller/versions.h"

static void test_controller_for(void **state)
{
	(void)state;
	assert_string_equal(controller_for("k8s.io/ingress-nginx")->name, "ingress-nginx");
	assert_string_equal(controller_for("k8s.io/internal-ingress-nginx")->name, "ingress-nginx");
	assert_string_equal(controller_for("ingress.k8s.aws/alb")->name,
			    "aws-load-balancer-controller");
	assert_string_equal(controller_for("traefik.io/ingress-controller")->name, "traefik");
	assert_string_equal(controller_for("haproxy.org/ingress-controller/haproxy")->name,
			    "haproxy-kubernetes-ingress");
	assert_string_equal(controller_for("haproxy-ingress.github.io/controller")->name,
			    "haproxy-ingress");
	assert_string_equal(controller_for("projectcontour.io/ingress-controller")->name, "contour");
	assert_string_equal(controller_for("ingress-controllers.konghq.com/kong")->name, "kong");
	assert_true(controller_for("k8s.io/ingress-gce")->external);
	assert_false(controller_for("k8s.io/ingress-nginx")->external);
	assert_null(controller_for("example.com/unknown"));
	/* a prefix must end at a segment boundary */
	assert_null(controller_for("haproxy.org/ingress-controllerX"));
	assert_null(controller_for(""));
	assert_null(controller_for(NULL));
	for (size_t i = 0; controller_impls[i]; i++)
		assert_non_null(controller_impls[i]->find_pods);
}

static void test_semver(void **state)
{
	struct semver v;

	(void)state;
	assert_int_equal(semver_parse("v1.12.1", &v), 0);
	assert_int_equal(v.major, 1);
	assert_int_equal(v.minor, 12);
	assert_int_equal(v.patch, 1);
	assert_int_equal(semver_parse("v1.31.2-eks-4f4795d", &v), 0);
	assert_int_equal(v.minor, 31);
	assert_int_equal(semver_parse("controller-v1.9.6", &v), 0);
	assert_int_equal(v.minor, 9);
	assert_int_equal(v.patch, 6);
	assert_int_equal(semver_parse("0.49", &v), 0);
	assert_int_equal(v.major, 0);
	assert_int_equal(v.patch, -1);
	assert_int_equal(semver_parse("latest", &v), -1);
	assert_int_equal(semver_parse("", &v), -1);
	assert_int_equal(semver_parse(NULL, &v), -1);
}

static enum compat compat_of(const char *ctl, const char *k8s, int *lo, int *hi)
{
	struct semver c, k;

	assert_int_equal(semver_parse(ctl, &c), 0);
	assert_int_equal(semver_parse(k8s, &k), 0);
	return controller_compat(controller_for("k8s.io/ingress-nginx"), &c, &k, lo, hi);
}

static void test_nginx_matrix(void **state)
{
	int lo, hi;

	(void)state;
	assert_int_equal(compat_of("v1.12.1", "v1.31.4", &lo, &hi), COMPAT_OK);
	assert_int_equal(lo, 28);
	assert_int_equal(hi, 32);
	assert_int_equal(compat_of("v1.12.1", "v1.33.0", &lo, &hi), COMPAT_UNTESTED);
	assert_int_equal(compat_of("v1.9.4", "v1.31.4", &lo, &hi), COMPAT_UNTESTED);
	assert_int_equal(hi, 28);
	assert_int_equal(compat_of("v1.9.6", "v1.29.1", &lo, &hi), COMPAT_OK);
	assert_int_equal(compat_of("v1.10.0", "v1.30.0", &lo, &hi), COMPAT_UNTESTED);
	assert_int_equal(compat_of("v1.10.1", "v1.30.0", &lo, &hi), COMPAT_OK);
	assert_int_equal(compat_of("v1.15.1", "v1.35.0", &lo, &hi), COMPAT_OK);
	assert_int_equal(compat_of("v0.49.3", "v1.22.0", &lo, &hi), COMPAT_BROKEN);
	assert_int_equal(compat_of("v0.49.3", "v1.21.0", &lo, &hi), COMPAT_UNKNOWN);
	assert_int_equal(compat_of("v1.1.0", "v1.22.0", &lo, &hi), COMPAT_UNKNOWN);
	/* no matrix for other controllers */
	{
		struct semver c = { 3, 3, 4 }, k = { 1, 31, 4 };
		assert_int_equal(controller_compat(controller_for("traefik.io/ingress-controller"),
						   &c, &k, &lo, &hi), COMPAT_UNKNOWN);
	}
}

static void test_pod_helpers(void **state)
{
	const char *args[] = { "/nginx-ingress-controller", "--configmap=ingress-nginx/cfg",
			       "--controller-class", "k8s.io/other-nginx" };
	struct container k = { .name = "controller", .args = args, .nargs = 4,
			       .image = "registry.k8s.io/ingress-nginx/controller:v1.12.1@sha256:ab" };
	struct kv lab[] = { { "app.kubernetes.io/version", "1.11.0" } };
	struct pod p = { .containers = &k, .ncontainers = 1 };
	char ver[32];
	const char *const subs[] = { "ingress-nginx/controller", NULL };

	(void)state;
	p.meta.labels.v = lab;
	p.meta.labels.n = 1;
	assert_string_equal(ctl_arg(&k, "--configmap"), "ingress-nginx/cfg");
	assert_string_equal(ctl_arg(&k, "--controller-class"), "k8s.io/other-nginx");
	assert_null(ctl_arg(&k, "--config"));
	assert_ptr_equal(ctl_image_container(&p, subs), &k);
	ctl_image_version(&p, &k, ver, sizeof(ver));
	assert_string_equal(ver, "v1.12.1");
	/* a registry port is not a tag; then the label is used */
	k.image = "registry.local:5000/ingress-nginx/controller";
	ctl_image_version(&p, &k, ver, sizeof(ver));
	assert_string_equal(ver, "1.11.0");
	ctl_image_version(&p, NULL, ver, 4);
	assert_string_equal(ver, "1.1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controller_for),
		cmocka_unit_test(test_semver),
		cmocka_unit_test(test_nginx_matrix),
		cmocka_unit_test(test_pod_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
