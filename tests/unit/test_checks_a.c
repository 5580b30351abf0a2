/*
 * test_checks_a: the Ingress, Service and endpoint checks (ingress.c,
 * service.c, endpoints.c) on small YAML clusters read through the real
 * source and model, plus the pure helpers (near names). Each cluster
 * case is built from pieces so a test changes one fact at a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/checks/check.h"
#include "../../src/checks/h4_util.h"
#include "../../src/source/files.h"
#include "../../src/util/buf.h"

/* ---- cluster pieces ---- */

#define CLASS_DEFAULT                                                            \
	"---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\n"            \
	"metadata:\n  name: nginx\n  creationTimestamp: '2026-01-01T00:00:00Z'\n" \
	"  annotations:\n    ingressclass.kubernetes.io/is-default-class: 'true'\n" \
	"spec:\n  controller: k8s.io/ingress-nginx\n"

#define CLASS_PLAIN                                                              \
	"---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\n"            \
	"metadata:\n  name: nginx\n  creationTimestamp: '2026-01-01T00:00:00Z'\n" \
	"spec:\n  controller: k8s.io/ingress-nginx\n"

/* Ingress web -> Service api, backend port given as YAML ("number: 80"). */
static const char *ingress(struct buf *b, const char *cls, const char *port,
			   const char *annotations)
{
	buf_addf(b, "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n"
		 "metadata:\n  name: web\n  namespace: shop\n"
		 "  creationTimestamp: '2026-02-01T00:00:00Z'\n%s"
		 "spec:\n%s  rules:\n  - host: shop.example.com\n    http:\n      paths:\n"
		 "      - path: /\n        pathType: Prefix\n        backend:\n"
		 "          service:\n            name: api\n            port: {%s}\n",
		 annotations ? annotations : "", cls ? cls : "", port);
	return b->p;
}

/* Service api; ports as a YAML flow list. */
static void service(struct buf *b, const char *ports, bool selector, bool pnr)
{
	buf_addf(b, "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n"
		 "  namespace: shop\n  creationTimestamp: '2026-02-01T00:00:00Z'\n"
		 "spec:\n  type: ClusterIP\n%s%s  ports: %s\n",
		 selector ? "  selector: {app: api}\n" : "",
		 pnr ? "  publishNotReadyAddresses: true\n" : "", ports);
}

/* Pod api-N with one container whose ports are a YAML flow list. */
static void pod(struct buf *b, int n, const char *cports, bool ready, bool terminating)
{
	buf_addf(b, "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: api-%d\n"
		 "  namespace: shop\n  uid: uid-api-%d\n  labels: {app: api, tier: web}\n"
		 "  creationTimestamp: '2026-03-01T00:00:00Z'\n%s"
		 "spec:\n  nodeName: node-1\n  containers:\n  - name: app\n    image: api:1\n"
		 "    ports: %s\n"
		 "status:\n  phase: Running\n  podIP: 10.0.0.%d\n"
		 "  conditions:\n  - {type: Ready, status: '%s'}\n",
		 n, n, terminating ? "  deletionTimestamp: '2026-03-01T10:00:00Z'\n" : "",
		 cports, n, ready ? "True" : "False");
}

/* EndpointSlice for api with one endpoint per (pod, ready, terminating) triple. */
static void slice_begin(struct buf *b, const char *port_name, int port)
{
	buf_addf(b, "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
		 "metadata:\n  name: api-abcde\n  namespace: shop\n"
		 "  labels: {kubernetes.io/service-name: api}\n"
		 "addressType: IPv4\nports:\n- {name: '%s', port: %d, protocol: TCP}\n"
		 "endpoints:\n", port_name, port);
}

static void slice_ep(struct buf *b, int n, bool ready, bool terminating)
{
	buf_addf(b, "- addresses: [10.0.0.%d]\n"
		 "  conditions: {ready: %s, serving: %s, terminating: %s}\n"
		 "  targetRef: {kind: Pod, namespace: shop, name: api-%d, uid: uid-api-%d}\n",
		 n, ready ? "true" : "false", ready ? "true" : "false",
		 terminating ? "true" : "false", n, n);
}

/* ---- running a diagnosis ---- */

struct run {
	struct warnings w;
	struct model m;
	struct diag d;
};

static void run_start(struct run *r, const char *yaml, void (*tweak)(struct model *))
{
	struct err err = ERR_INIT;
	struct scope s = { 0 };
	struct source_sink sink;

	warnings_init(&r->w);
	model_init(&r->m, &r->w);
	sink = model_sink(&r->m);
	assert_int_equal(source_buffer_read("test", yaml, strlen(yaml), &sink, &err), 0);
	model_finish(&r->m);
	if (tweak)
		tweak(&r->m);
	diag_init(&r->d);
	assert_int_equal(diagnose(&r->m, &s, &r->d, &err), 0);
}

static void run_end(struct run *r)
{
	diag_release(&r->d);
	model_release(&r->m);
	warnings_release(&r->w);
}

static const struct finding *find(const struct run *r, const char *id)
{
	for (size_t i = 0; i < r->d.nfindings; i++)
		if (!strcmp(r->d.findings[i]->id, id))
			return r->d.findings[i];
	return NULL;
}

static bool has_note(const struct run *r, const char *sub)
{
	for (size_t i = 0; i < r->d.notes.n; i++)
		if (strstr(r->d.notes.v[i], sub))
			return true;
	return false;
}

static bool has_evidence(const struct finding *f, const char *sub)
{
	for (size_t i = 0; f && i < f->evidence.n; i++)
		if (strstr(f->evidence.v[i], sub))
			return true;
	return false;
}

/* A full small cluster: class, ingress (port), service (ports), two pods, a slice. */
static char *cluster(const char *cls_doc, const char *cls, const char *bport,
		     const char *sports, const char *cports, bool ready2)
{
	struct buf b;

	buf_init(&b, 0);
	if (cls_doc)
		buf_add(&b, cls_doc);
	ingress(&b, cls, bport, NULL);
	service(&b, sports, true, false);
	pod(&b, 1, cports, true, false);
	pod(&b, 2, cports, ready2, false);
	slice_begin(&b, "http", 8080);
	slice_ep(&b, 1, true, false);
	slice_ep(&b, 2, ready2, false);
	return buf_detach(&b);
}

#define CLS "  ingressClassName: nginx\n"
#define SPORTS "[{name: http, port: 80, targetPort: http}]"
#define CPORTS "[{name: http, containerPort: 8080}]"

/* The start of most clusters: the default class, Ingress web -> api port 80, Service api
 * (SPORTS, selecting the pods; pnr: publishNotReadyAddresses). */
static void base(struct buf *b, bool pnr)
{
	buf_init(b, 0);
	buf_add(b, CLASS_DEFAULT);
	ingress(b, CLS, "number: 80", NULL);
	service(b, SPORTS, true, pnr);
}

/* ---- tests ---- */

static void test_near_names(void **state)
{
	(void)state;
	assert_true(h4_near_name("apii", "api"));
	assert_true(h4_near_name("api", "api-v2"));
	assert_true(h4_near_name("frontend", "frontend-svc"));
	assert_true(h4_near_name("checkout", "chekout"));
	assert_false(h4_near_name("api", "api"));
	assert_false(h4_near_name("api", "billing"));
	assert_false(h4_near_name("web", "db"));
	assert_int_equal(h4_edit_distance("kitten", "sitting", 5), 3);
	assert_int_equal(h4_edit_distance("abc", "abcdefgh", 2), 3);
}

static void test_healthy_cluster_is_silent(void **state)
{
	struct run r;
	char *y = cluster(CLASS_DEFAULT, CLS, "number: 80", SPORTS, CPORTS, true);

	(void)state;
	run_start(&r, y, NULL);
	assert_null(find(&r, "ingress-service-port-missing"));
	assert_null(find(&r, "service-target-port-missing"));
	assert_null(find(&r, "service-partially-ready"));
	assert_null(find(&r, "service-no-ready-endpoints"));
	assert_null(find(&r, "ingress-class-missing"));
	assert_string_equal(r.d.chains[0]->hops[HOP_ENDPOINTS].text,
			    "2/2 endpoints ready for port http");
	run_end(&r);
	free(y);
}

/* peers' bug: an unnamed Service port accepted any backend number */
static void test_unnamed_port_does_not_match_other_number(void **state)
{
	struct run r;
	char *y = cluster(CLASS_DEFAULT, CLS, "number: 8080",
			  "[{port: 80, targetPort: 8080}]", CPORTS, true);
	const struct finding *f;

	(void)state;
	run_start(&r, y, NULL);
	f = find(&r, "ingress-service-port-missing");
	assert_non_null(f);
	assert_string_equal(f->kind, "Ingress");
	assert_true(has_evidence(f, "8080 is the targetPort"));
	run_end(&r);
	free(y);
}

/* peers' bug: a named targetPort read as 0; it resolves per pod */
static void test_named_target_resolves_per_pod(void **state)
{
	struct run r;
	char *y = cluster(CLASS_DEFAULT, CLS, "name: http",
			  "[{name: http, port: 80, targetPort: web}]",
			  "[{name: web, containerPort: 8080}]", true);
	char *bad = cluster(CLASS_DEFAULT, CLS, "name: http",
			    "[{name: http, port: 80, targetPort: web}]",
			    "[{name: http, containerPort: 8080}]", true);
	const struct finding *f;

	(void)state;
	run_start(&r, y, NULL);
	assert_null(find(&r, "service-target-port-missing"));
	run_end(&r);

	run_start(&r, bad, NULL);
	f = find(&r, "service-target-port-missing");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_ERROR);
	run_end(&r);
	free(y);
	free(bad);
}

static void test_numeric_target_undeclared_is_warning(void **state)
{
	struct run r;
	char *y = cluster(CLASS_DEFAULT, CLS, "number: 80",
			  "[{name: http, port: 80, targetPort: 9000}]", CPORTS, true);
	const struct finding *f;

	(void)state;
	run_start(&r, y, NULL);
	f = find(&r, "service-target-port-missing");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_WARNING);
	run_end(&r);
	free(y);
}

/* peers' bug: a default IngressClass satisfies a class-less Ingress */
static void test_default_class_satisfies_classless(void **state)
{
	struct run r;
	char *ok = cluster(CLASS_DEFAULT, NULL, "number: 80", SPORTS, CPORTS, true);
	char *bad = cluster(CLASS_PLAIN, NULL, "number: 80", SPORTS, CPORTS, true);
	char *named = cluster(CLASS_DEFAULT, "  ingressClassName: nginx-internal\n",
			      "number: 80", SPORTS, CPORTS, true);

	(void)state;
	run_start(&r, ok, NULL);
	assert_null(find(&r, "ingress-class-missing"));
	assert_non_null(strstr(r.d.chains[0]->hops[HOP_INGRESS].text, "default nginx"));
	run_end(&r);
	run_start(&r, bad, NULL);
	assert_non_null(find(&r, "ingress-class-missing"));
	run_end(&r);
	run_start(&r, named, NULL);
	assert_non_null(find(&r, "ingress-class-missing"));
	run_end(&r);
	free(ok);
	free(bad);
	free(named);
}

/* peers' bug: an absent or forbidden kind is never a missing object */
static void forbid_services(struct model *m)
{
	m->present[K_SERVICE] = false;
	m->forbidden[K_SERVICE] = true;
}

static void test_absent_kinds_are_not_missing(void **state)
{
	struct run r;
	char *noclass = cluster(NULL, "  ingressClassName: nginx\n", "number: 80", SPORTS,
				CPORTS, true);
	struct buf b;

	(void)state;
	run_start(&r, noclass, NULL);
	assert_null(find(&r, "ingress-class-missing"));
	assert_true(has_note(&r, "IngressClass objects are absent"));
	assert_int_equal(r.d.chains[0]->hops[HOP_INGRESS].verdict, V_UNKNOWN);
	run_end(&r);

	run_start(&r, noclass, forbid_services);
	assert_null(find(&r, "ingress-service-missing"));
	assert_true(has_note(&r, "forbidden"));
	run_end(&r);
	free(noclass);

	/* TLS secret with no Secrets in the input: a note, no finding */
	buf_init(&b, 0);
	buf_add(&b, CLASS_DEFAULT);
	ingress(&b, CLS, "number: 80", NULL);
	buf_add(&b, "  tls:\n  - hosts: [shop.example.com]\n    secretName: shop-tls\n");
	service(&b, SPORTS, true, false);
	run_start(&r, b.p, NULL);
	assert_null(find(&r, "ingress-tls-secret-missing"));
	assert_true(has_note(&r, "Secrets are absent"));
	run_end(&r);
	buf_release(&b);
}

static void test_partial_and_none_ready(void **state)
{
	struct run r;
	char *y = cluster(CLASS_DEFAULT, CLS, "number: 80", SPORTS, CPORTS, false);
	const struct finding *f;

	(void)state;
	run_start(&r, y, NULL);
	f = find(&r, "service-partially-ready");
	assert_non_null(f);
	assert_string_equal(f->kind, "Service");
	assert_null(find(&r, "service-no-ready-endpoints"));
	assert_int_equal(r.d.chains[0]->hops[HOP_ENDPOINTS].verdict, V_WARN);
	run_end(&r);
	free(y);
}

/* Endpoints as the fallback when slices are absent; would-be readiness when both are */
static void test_endpoint_sources(void **state)
{
	struct run r;
	struct buf b;

	(void)state;
	base(&b, false);
	pod(&b, 1, CPORTS, false, false);
	buf_add(&b, "---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: api, namespace: shop}\n"
		"subsets:\n- notReadyAddresses:\n  - ip: 10.0.0.1\n"
		"    targetRef: {kind: Pod, namespace: shop, name: api-1}\n"
		"  ports: [{name: http, port: 8080}]\n");
	run_start(&r, b.p, NULL);
	assert_non_null(find(&r, "service-no-ready-endpoints"));
	assert_false(has_note(&r, "computed from pod readiness"));
	run_end(&r);
	buf_release(&b);

	base(&b, true);   /* publishNotReadyAddresses */
	pod(&b, 1, CPORTS, false, false);
	run_start(&r, b.p, NULL);
	assert_null(find(&r, "service-no-ready-endpoints"));
	assert_true(has_note(&r, "computed from pod readiness"));
	run_end(&r);
	buf_release(&b);
}

static void test_stale_endpoints(void **state)
{
	struct run r;
	struct buf b;

	(void)state;
	/* a terminating pod correctly not ready: normal */
	base(&b, false);
	pod(&b, 1, CPORTS, true, false);
	pod(&b, 2, CPORTS, false, true);
	slice_begin(&b, "http", 8080);
	slice_ep(&b, 1, true, false);
	slice_ep(&b, 2, false, true);
	run_start(&r, b.p, NULL);
	assert_null(find(&r, "endpoints-stale"));
	assert_null(find(&r, "service-partially-ready"));
	run_end(&r);
	/* a ready endpoint for a pod that is gone */
	slice_ep(&b, 3, true, false);
	run_start(&r, b.p, NULL);
	assert_non_null(find(&r, "endpoints-stale"));
	run_end(&r);
	buf_release(&b);
}

/* Pods collected for another namespace only: no "selector matches nothing", no stale */
static void test_pods_of_other_namespace(void **state)
{
	struct run r;
	struct buf b;

	(void)state;
	base(&b, false);
	buf_add(&b, "---\napiVersion: v1\nkind: Pod\nmetadata: {name: ctl, namespace: ingress}\n"
		"spec:\n  containers: [{name: c, image: x}]\nstatus: {phase: Running}\n");
	slice_begin(&b, "http", 8080);
	slice_ep(&b, 1, true, false);
	run_start(&r, b.p, NULL);
	assert_null(find(&r, "service-selector-no-match"));
	assert_null(find(&r, "endpoints-stale"));
	assert_true(has_note(&r, "holds no pod of namespace shop"));
	run_end(&r);
	buf_release(&b);
}

/* No EndpointSlice for the Service while the namespace has slices: Endpoints decide readiness */
static void test_missing_slice_falls_back_to_endpoints(void **state)
{
	struct run r;
	struct buf b;

	(void)state;
	base(&b, false);
	pod(&b, 1, CPORTS, true, false);
	buf_add(&b, "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
		"metadata:\n  name: other-abcde\n  namespace: shop\n"
		"  labels: {kubernetes.io/service-name: other}\naddressType: IPv4\n");
	buf_add(&b, "---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: api, namespace: shop}\n"
		"subsets:\n- addresses:\n  - ip: 10.0.0.1\n"
		"    targetRef: {kind: Pod, namespace: shop, name: api-1}\n"
		"  ports: [{name: http, port: 8080}]\n");
	run_start(&r, b.p, NULL);
	assert_null(find(&r, "service-no-ready-endpoints"));
	assert_non_null(find(&r, "endpointslice-mismatch"));
	run_end(&r);
	buf_release(&b);
}

static void test_protocol(void **state)
{
	struct run r;
	struct buf b;
	static const struct {
		const char *ann, *ports;
		bool fires;
	} cases[] = {
		{ NULL, "[{name: https, port: 443, targetPort: 8443}]", true },
		{ "HTTPS", "[{name: https, port: 443, targetPort: 8443}]", false },
		{ "HTTPS", "[{name: http, port: 80, targetPort: 8080}]", true },
		{ "HTTPS", "[{name: web, port: 8080, targetPort: 8080}]", false },
		{ "GRPC", "[{name: grpc, port: 9000, targetPort: 9000}]", false },
		{ "GRPC", "[{name: web, port: 80, targetPort: 9000, appProtocol: http}]", true },
		{ NULL, "[{name: web, port: 8080, targetPort: 8080, "
			"appProtocol: kubernetes.io/h2c}]", false },
		{ "AUTO_HTTP", "[{name: https, port: 443}]", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char ann[200] = "";
		const char *bp = strstr(cases[i].ports, "port: 443") ? "number: 443"
			       : strstr(cases[i].ports, "port: 80,") ? "number: 80"
			       : strstr(cases[i].ports, "port: 9000") ? "number: 9000"
			       : "number: 8080";
		if (cases[i].ann)
			snprintf(ann, sizeof(ann), "  annotations:\n    nginx.ingress."
				 "kubernetes.io/backend-protocol: %s\n", cases[i].ann);
		buf_init(&b, 0);
		buf_add(&b, CLASS_DEFAULT);
		ingress(&b, CLS, bp, ann);
		service(&b, cases[i].ports, true, false);
		run_start(&r, b.p, NULL);
		if (cases[i].fires)
			assert_non_null(find(&r, "ingress-backend-protocol-mismatch"));
		else
			assert_null(find(&r, "ingress-backend-protocol-mismatch"));
		assert_null(find(&r, "ingress-service-port-missing"));
		run_end(&r);
		buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_near_names),
		cmocka_unit_test(test_healthy_cluster_is_silent),
		cmocka_unit_test(test_unnamed_port_does_not_match_other_number),
		cmocka_unit_test(test_named_target_resolves_per_pod),
		cmocka_unit_test(test_numeric_target_undeclared_is_warning),
		cmocka_unit_test(test_default_class_satisfies_classless),
		cmocka_unit_test(test_absent_kinds_are_not_missing),
		cmocka_unit_test(test_partial_and_none_ready),
		cmocka_unit_test(test_endpoint_sources),
		cmocka_unit_test(test_stale_endpoints),
		cmocka_unit_test(test_pods_of_other_namespace),
		cmocka_unit_test(test_missing_slice_falls_back_to_endpoints),
		cmocka_unit_test(test_protocol),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
