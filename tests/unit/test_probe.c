/*
 * test_probe: the probe's classifier (what the API server's proxy says, in
 * kube-apiserver's own words), the plan built from a model (targets,
 * named target ports, readiness path, TLS, dedup) and the judge.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/findings/findings.h"
#include "../../src/model/model.h"
#include "../../src/probe/probe.h"
#include "../../src/source/files.h"
#include "../../src/util/buf.h"

/* A Status as kube-apiserver writes it (responsewriters.ErrorToAPIStatus). */
static void status_body(char *out, size_t cap, int code, const char *reason, const char *msg)
{
	snprintf(out, cap, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
		 "\"status\":\"Failure\",\"message\":\"%s\",\"reason\":\"%s\",\"code\":%d}\n",
		 msg, reason, code);
}

static void classify(long status, const char *body, struct probe_result *r)
{
	memset(r, 0, sizeof(*r));
	probe_classify_answer(status, body, strlen(body), "pods/proxy in namespace shop", r);
}

static void test_text(void **state)
{
	(void)state;
	assert_int_equal(probe_classify_text("dial tcp 10.244.0.5:8080: connect: connection "
					     "refused"), PO_REFUSED);
	assert_int_equal(probe_classify_text("dial tcp 10.244.0.5:8080: i/o timeout"), PO_TIMEOUT);
	assert_int_equal(probe_classify_text("context deadline exceeded"), PO_TIMEOUT);
	assert_int_equal(probe_classify_text("dial tcp 10.244.1.7:80: connect: no route to host"),
			 PO_UNREACHABLE);
	assert_int_equal(probe_classify_text("read tcp 10.0.0.1:51234->10.244.0.5:8080: read: "
					     "connection reset by peer"), PO_RESET);
	assert_int_equal(probe_classify_text("EOF"), PO_RESET);
	assert_int_equal(probe_classify_text("http: server gave HTTP response to HTTPS client"),
			 PO_NOT_HTTP);
	assert_int_equal(probe_classify_text("tls: first record does not look like a TLS "
					     "handshake"), PO_NOT_HTTP);
	assert_int_equal(probe_classify_text("net/http: HTTP/1.x transport connection broken: "
					     "malformed HTTP response \"\\x15\\x03\\x01\\x00\\x02"
					     "\\x02\""), PO_NOT_HTTP);
	assert_int_equal(probe_classify_text("something else entirely"), PO_PROBE_FAILED);
	assert_int_equal(probe_classify_text(NULL), PO_PROBE_FAILED);
}

static void test_apiserver_dial_errors(void **state)
{
	char b[512];
	struct probe_result r;

	(void)state;
	status_body(b, sizeof(b), 503, "ServiceUnavailable", "error trying to reach service: "
		    "dial tcp 10.244.0.5:8080: connect: connection refused");
	classify(503, b, &r);
	assert_int_equal(r.outcome, PO_REFUSED);
	assert_int_equal(r.http_status, 0);
	assert_string_equal(r.detail, "dial tcp 10.244.0.5:8080: connect: connection refused");

	status_body(b, sizeof(b), 503, "ServiceUnavailable", "error trying to reach service: "
		    "dial tcp 10.244.0.5:8080: i/o timeout");
	classify(503, b, &r);
	assert_int_equal(r.outcome, PO_TIMEOUT);

	status_body(b, sizeof(b), 503, "ServiceUnavailable", "error trying to reach service: "
		    "http: server gave HTTP response to HTTPS client");
	classify(503, b, &r);
	assert_int_equal(r.outcome, PO_NOT_HTTP);

	status_body(b, sizeof(b), 503, "ServiceUnavailable", "error trying to reach service: EOF");
	classify(503, b, &r);
	assert_int_equal(r.outcome, PO_RESET);

	status_body(b, sizeof(b), 503, "ServiceUnavailable",
		    "no endpoints available for service \\\"web\\\"");
	classify(503, b, &r);
	assert_int_equal(r.outcome, PO_PROBE_FAILED);
	assert_non_null(strstr(r.detail, "no endpoints available"));
}

static void test_forbidden_vs_pod_403(void **state)
{
	char b[512];
	struct probe_result r;

	(void)state;
	status_body(b, sizeof(b), 403, "Forbidden", "pods \\\"web-1\\\" is forbidden: User "
		    "\\\"dev\\\" cannot get resource \\\"pods/proxy\\\" in API group \\\"\\\" in "
		    "the namespace \\\"shop\\\"");
	classify(403, b, &r);
	assert_int_equal(r.outcome, PO_PROBE_FAILED);
	assert_non_null(strstr(r.detail, "get on pods/proxy"));
	/* the app's own 403: its answer, the probe went through */
	classify(403, "forbidden by the app\n", &r);
	assert_int_equal(r.outcome, PO_OK);
	assert_int_equal(r.http_status, 403);
	/* an app answering a Status-like JSON with another code is still the app */
	status_body(b, sizeof(b), 401, "Forbidden", "pods/proxy");
	classify(403, b, &r);
	assert_int_equal(r.outcome, PO_OK);
}

static void test_pod_answers(void **state)
{
	char b[512];
	struct probe_result r;

	(void)state;
	classify(200, "ok\n", &r);
	assert_int_equal(r.outcome, PO_OK);
	classify(503, "backend sick\n", &r);
	assert_int_equal(r.outcome, PO_HTTP_ERROR);
	assert_int_equal(r.http_status, 503);
	classify(500, "", &r);
	assert_int_equal(r.outcome, PO_HTTP_ERROR);
	/* the app's own 503 with a JSON body that is no API server message */
	status_body(b, sizeof(b), 503, "ServiceUnavailable", "draining");
	classify(503, b, &r);
	assert_int_equal(r.outcome, PO_HTTP_ERROR);
	/* TLS servers answering plain HTTP (Go net/http, nginx) */
	classify(400, "Client sent an HTTP request to an HTTPS server.\n", &r);
	assert_int_equal(r.outcome, PO_NOT_HTTP);
	classify(400, "<html><head><title>400 The plain HTTP request was sent to HTTPS port"
		 "</title></head></html>", &r);
	assert_int_equal(r.outcome, PO_NOT_HTTP);
	classify(400, "bad request", &r);
	assert_int_equal(r.outcome, PO_OK);
	/* 404 from the API server: the pod is gone */
	status_body(b, sizeof(b), 404, "NotFound", "pods \\\"web-1\\\" not found");
	classify(404, b, &r);
	assert_int_equal(r.outcome, PO_PROBE_FAILED);
	/* 404 from the app */
	classify(404, "no such page", &r);
	assert_int_equal(r.outcome, PO_OK);
}

static const char cluster[] =
	"apiVersion: networking.k8s.io/v1\n"
	"kind: Ingress\n"
	"metadata: {name: web, namespace: shop,\n"
	"  annotations: {nginx.ingress.kubernetes.io/backend-protocol: HTTPS}}\n"
	"spec:\n"
	"  rules:\n"
	"  - host: a.example.com\n"
	"    http:\n"
	"      paths:\n"
	"      - {path: /a, pathType: Prefix,\n"
	"         backend: {service: {name: api, port: {number: 80}}}}\n"
	"      - {path: /b, pathType: Prefix, backend: {service: {name: api, port: {name: web}}}}\n"
	"---\n"
	"apiVersion: networking.k8s.io/v1\n"
	"kind: Ingress\n"
	"metadata: {name: other, namespace: shop}\n"
	"spec:\n"
	"  defaultBackend: {service: {name: api, port: {number: 80}}}\n"
	"---\n"
	"apiVersion: v1\n"
	"kind: Service\n"
	"metadata: {name: api, namespace: shop}\n"
	"spec:\n"
	"  clusterIP: 10.96.0.10\n"
	"  selector: {app: api}\n"
	"  ports: [{name: web, port: 80, targetPort: http}]\n"
	"---\n"
	"apiVersion: v1\n"
	"kind: Pod\n"
	"metadata: {name: api-1, namespace: shop, labels: {app: api}}\n"
	"spec:\n"
	"  nodeName: n1\n"
	"  containers:\n"
	"  - name: app\n"
	"    ports: [{name: http, containerPort: 8443}]\n"
	"    readinessProbe: {httpGet: {path: /ready, port: http}}\n"
	"status:\n"
	"  phase: Running\n"
	"  podIP: 10.244.0.5\n"
	"  conditions: [{type: Ready, status: \"True\"}]\n"
	"---\n"
	"apiVersion: v1\n"
	"kind: Pod\n"
	"metadata: {name: api-2, namespace: shop, labels: {app: api}}\n"
	"spec:\n"
	"  containers:\n"
	"  - name: app\n"
	"    ports: [{name: http, containerPort: 9000}]\n"
	"status:\n"
	"  phase: Running\n"
	"  podIP: 10.244.0.6\n"
	"---\n"
	"apiVersion: v1\n"
	"kind: Pod\n"
	"metadata: {name: api-3, namespace: shop, labels: {app: api}}\n"
	"spec:\n"
	"  containers:\n"
	"  - name: app\n"
	"    ports: [{name: http, containerPort: 9000}]\n"
	"status:\n"
	"  phase: Pending\n";

struct fixture {
	struct warnings w;
	struct model m;
};

static void load(struct fixture *fx)
{
	struct err err = ERR_INIT;
	struct source_sink sink;

	warnings_init(&fx->w);
	model_init(&fx->m, &fx->w);
	sink = model_sink(&fx->m);
	assert_int_equal(source_buffer_read("test", cluster, strlen(cluster), &sink, &err), 0);
	model_finish(&fx->m);
}

static void unload(struct fixture *fx)
{
	model_release(&fx->m);
	warnings_release(&fx->w);
}

static const struct probe_target *target(const struct probe_plan *p, const char *pod, bool tls)
{
	for (size_t i = 0; i < p->n; i++)
		if (((!pod && !p->t[i].pod) || (pod && p->t[i].pod && !strcmp(p->t[i].pod, pod))) &&
		    p->t[i].https == tls)
			return &p->t[i];
	return NULL;
}

static void test_plan(void **state)
{
	struct fixture fx;
	struct probe_plan plan;
	struct err err = ERR_INIT;
	const struct probe_target *t;
	const char *names[] = { "web" };

	(void)state;
	load(&fx);
	assert_int_equal(probe_plan(&fx.m, "shop", names, 1, &plan, &err), 0);
	/* api-1, api-2 (api-3 has no IP), the Service port: /a and /b reach the same */
	assert_int_equal(plan.n, 3);
	t = target(&plan, "api-1", true);
	assert_non_null(t);
	assert_int_equal(t->port, 8443);            /* named targetPort resolved */
	assert_string_equal(t->http_path, "/ready");  /* the readiness path on that port */
	assert_string_equal(t->ip, "10.244.0.5");
	assert_true(t->ready);
	assert_int_equal(t->ningresses, 1);
	t = target(&plan, "api-2", true);
	assert_non_null(t);
	assert_int_equal(t->port, 9000);
	assert_string_equal(t->http_path, "/");
	assert_false(t->ready);
	t = target(&plan, NULL, true);
	assert_non_null(t);
	assert_int_equal(t->port, 80);
	assert_string_equal(t->service_port_name, "web");
	assert_string_equal(t->ip, "10.96.0.10");
	probe_plan_release(&plan);

	/* both Ingresses: plain and TLS are different targets; the unnamed one is plain */
	assert_int_equal(probe_plan(&fx.m, "shop", NULL, 0, &plan, &err), 0);
	assert_int_equal(plan.n, 6);
	t = target(&plan, "api-1", false);
	assert_non_null(t);
	assert_string_equal(t->ingress_name, "other");
	probe_plan_release(&plan);

	/* a named Ingress that does not exist */
	names[0] = "shop/nosuch";
	assert_int_equal(probe_plan(&fx.m, NULL, names, 1, &plan, &err), -1);
	assert_int_equal(err.code, ERR_USAGE);
	unload(&fx);
}

/*
 * Many pods behind one Service, from three Ingresses (two plain, one TLS): one
 * target per (pod, TLS) in pod order, then the Service ports, each naming its
 * Ingresses; planned in linear time (the targets are indexed, not scanned).
 */
#define BIG_PODS 20000

static void test_plan_big(void **state)
{
	struct warnings w;
	struct model m;
	struct source_sink sink;
	struct probe_plan plan;
	struct err err = ERR_INIT;
	struct buf b;
	char name[32], path[32];
	size_t np = BIG_PODS - 1;    /* p-00000 has no IP */

	(void)state;
	buf_init(&b, 0);
	for (int i = 0; i < 3; i++) {
		const char *tls = ", annotations:\n"
				  "  {nginx.ingress.kubernetes.io/backend-protocol: HTTPS}";
		assert_int_equal(buf_addf(&b, "---\napiVersion: networking.k8s.io/v1\n"
					  "kind: Ingress\nmetadata: {name: %c, namespace: big%s}\n",
					  'a' + i, i == 2 ? tls : ""), 0);
		assert_int_equal(buf_add(&b, "spec:\n  rules:\n  - http:\n      paths:\n"
					 "      - {path: /x, pathType: Prefix, backend: {service: "
					 "{name: api, port: {number: 80}}}}\n"
					 "      - {path: /y, pathType: Prefix, backend: {service: "
					 "{name: api, port: {name: web}}}}\n"), 0);
	}
	assert_int_equal(buf_add(&b, "---\napiVersion: v1\nkind: Service\n"
				 "metadata: {name: api, namespace: big}\nspec:\n"
				 "  clusterIP: 10.96.0.10\n  selector: {app: api}\n"
				 "  ports: [{name: web, port: 80, targetPort: 8080}]\n"), 0);
	for (int i = 0; i < BIG_PODS; i++)
		assert_int_equal(buf_addf(&b, "---\napiVersion: v1\nkind: Pod\n"
					  "metadata: {name: p-%05d, namespace: big,\n"
					  "  labels: {app: api}}\nspec:\n  containers:\n"
					  "  - name: app\n    readinessProbe:\n"
					  "      {httpGet: {path: /r%d, port: 8080}}\n"
					  "status: {phase: Running%s%d.%d}\n", i, i % 3,
					  i ? ", podIP: 10.1." : "", i / 250, i % 250), 0);
	warnings_init(&w);
	model_init(&m, &w);
	sink = model_sink(&m);
	assert_int_equal(source_buffer_read("big", b.p, b.len, &sink, &err), 0);
	model_finish(&m);
	buf_release(&b);

	/* no timing assertion (speed is for bench/): quadratic planning shows as a slow test */
	assert_int_equal(probe_plan(&m, NULL, NULL, 0, &plan, &err), 0);
	assert_int_equal(plan.n, 2 * np + 2);
	for (size_t i = 0; i < 2 * np; i++) {
		const struct probe_target *t = &plan.t[i];
		size_t pod = i % np + 1;
		snprintf(name, sizeof(name), "p-%05zu", pod);
		snprintf(path, sizeof(path), "/r%zu", pod % 3);
		assert_non_null(t->pod);
		assert_string_equal(t->pod, name);
		assert_string_equal(t->http_path, path);
		assert_int_equal(t->https, i >= np);
		assert_int_equal(t->port, 8080);
		assert_int_equal(t->ningresses, i < np ? 2 : 1);
		assert_string_equal(t->ingresses[0], i < np ? "big/a" : "big/c");
	}
	for (size_t i = 2 * np; i < plan.n; i++) {
		const struct probe_target *t = &plan.t[i];
		assert_null(t->pod);
		assert_int_equal(t->https, i > 2 * np);
		assert_int_equal(t->port, 80);
		assert_string_equal(t->http_path, "/r1");  /* its first pod's: p-00001 */
		assert_int_equal(t->ningresses, i > 2 * np ? 1 : 2);
	}
	assert_string_equal(plan.t[2 * np].ingresses[1], "big/b");
	probe_plan_release(&plan);
	model_release(&m);
	warnings_release(&w);
}

/* shop/web's plan, judged: each target's result set by fill (t->pod NULL: a Service port). */
struct judged {
	struct fixture fx;
	struct probe_plan plan;
	struct probe_result *res;
	struct diag d;
	size_t errors, warnings;
};

static void judge_web(struct judged *j, void (*fill)(const struct probe_target *t,
						      struct probe_result *r), bool from_pod)
{
	struct err err = ERR_INIT;
	const char *names[] = { "web" };

	load(&j->fx);
	assert_int_equal(probe_plan(&j->fx.m, "shop", names, 1, &j->plan, &err), 0);
	j->res = calloc(j->plan.n, sizeof(*j->res));
	assert_non_null(j->res);
	for (size_t i = 0; i < j->plan.n; i++)
		fill(&j->plan.t[i], &j->res[i]);
	diag_init(&j->d);
	probe_judge(&j->fx.m, &j->plan, j->res, NULL, from_pod, &j->d);
	diag_counts(&j->d, &j->errors, &j->warnings, NULL);
}

static void judged_release(struct judged *j)
{
	diag_release(&j->d);
	free(j->res);
	probe_plan_release(&j->plan);
	unload(&j->fx);
}

/* api-1 refuses, the other pod answers 503, the Service port cannot be probed (403). */
static void fill_refused(const struct probe_target *t, struct probe_result *r)
{
	r->ms = 3;
	if (t->pod && !strcmp(t->pod, "api-1")) {
		r->outcome = PO_REFUSED;
		snprintf(r->detail, sizeof(r->detail), "dial tcp 10.244.0.5:8443: "
			 "connect: connection refused");
	} else if (t->pod) {
		r->outcome = PO_HTTP_ERROR;
		r->http_status = 503;
		snprintf(r->detail, sizeof(r->detail), "HTTP 503");
	} else {
		r->outcome = PO_PROBE_FAILED;
		snprintf(r->detail, sizeof(r->detail), "the API server refused (403)");
	}
}

static void test_judge(void **state)
{
	struct judged j;
	bool refused_pod = false, ready_text = false;

	(void)state;
	judge_web(&j, fill_refused, false);
	assert_int_equal(j.errors, 1);
	assert_int_equal(j.warnings, 1);
	for (size_t i = 0; i < j.d.nfindings; i++) {
		const struct finding *f = j.d.findings[i];
		if (!strcmp(f->id, "connect-refused") && !strcmp(f->name, "api-1")) {
			refused_pod = true;
			ready_text = strstr(f->message, "Ready but not serving") != NULL;
			assert_int_equal(f->ingresses.n, 1);
			assert_string_equal(f->ingresses.v[0], "shop/web");
		}
	}
	assert_true(refused_pod);
	assert_true(ready_text);
	assert_int_equal(j.d.notes.n, 2);   /* the 403, and the count of probes not made */
	judged_release(&j);
	assert_string_equal(probe_outcome_name(PO_NOT_HTTP), "not-http");
}

/* Our own limit running out through the API server: no-answer only past its dial timeout. */
static void test_proxy_expired(void **state)
{
	struct probe_result r;

	(void)state;
	memset(&r, 0, sizeof(r));
	probe_proxy_expired(5, 0, &r);            /* below kube-apiserver's 30 s: ambiguous */
	assert_int_equal(r.outcome, PO_TIMEOUT);
	assert_true(r.connect_unknown);
	assert_true(r.limit_s == 5);
	assert_non_null(strstr(r.detail, "30 s dial timeout"));
	assert_non_null(strstr(r.detail, "--timeout 31"));
	memset(&r, 0, sizeof(r));
	probe_proxy_expired(30.5, 0, &r);         /* within a second of it: still ambiguous */
	assert_int_equal(r.outcome, PO_TIMEOUT);
	assert_true(r.connect_unknown);
	memset(&r, 0, sizeof(r));
	probe_proxy_expired(31, 0, &r);           /* a failed dial would have been reported */
	assert_int_equal(r.outcome, PO_NO_ANSWER);
	assert_false(r.connect_unknown);
	assert_true(r.limit_s == 31);
	assert_non_null(strstr(r.detail, "no HTTP answer within 31.0 s"));
	memset(&r, 0, sizeof(r));
	probe_proxy_expired(3, 1.5, &r);          /* a shorter dial timeout assumed */
	assert_int_equal(r.outcome, PO_NO_ANSWER);
	assert_int_equal(r.http_status, 0);
	assert_int_equal(PROBE_APISERVER_DIAL_TIMEOUT_S, 30);
}

/* No answer: connect-http-error with the connection named; the ambiguous timeout says both. */
/* api-1 accepts and stays silent, the other pod's limit runs out, the Service port answers. */
static void fill_silent(const struct probe_target *t, struct probe_result *r)
{
	r->ms = 2000;
	if (t->pod && !strcmp(t->pod, "api-1")) {
		r->outcome = PO_NO_ANSWER;
		r->limit_s = 2;
		snprintf(r->detail, sizeof(r->detail), "connected, no HTTP answer within 2s");
	} else if (t->pod) {
		probe_proxy_expired(2, 0, r);
	} else {
		r->outcome = PO_OK;
	}
}

static void test_judge_no_answer(void **state)
{
	struct judged j;
	bool seen_silent = false, seen_unsure = false;

	(void)state;
	judge_web(&j, fill_silent, true);
	assert_int_equal(j.errors, 1);
	assert_int_equal(j.warnings, 1);
	for (size_t i = 0; i < j.d.nfindings; i++) {
		const struct finding *f = j.d.findings[i];
		bool ev = false;
		if (!strcmp(f->name, "api-1")) {
			seen_silent = true;
			assert_string_equal(f->id, "connect-http-error");
			assert_int_equal(f->sev, SEV_WARNING);
			assert_non_null(strstr(f->message, "accepts connections"));
			for (size_t k = 0; k < f->evidence.n; k++)
				ev = ev || !strcmp(f->evidence.v[k], "connected to 10.244.0.5:8443, "
						   "no HTTP answer within 2 s");
			assert_true(ev);
			assert_non_null(strstr(f->fix, "thread"));
			assert_non_null(strstr(f->fix, "backend-protocol"));
		} else if (!strcmp(f->name, "api-2")) {
			seen_unsure = true;
			assert_string_equal(f->id, "connect-timeout");
			assert_null(strstr(f->message, "timed out or found no route"));
			assert_non_null(strstr(f->message, "accepted and does not answer"));
			assert_non_null(strstr(f->fix, "nc"));
		}
	}
	assert_true(seen_silent);
	assert_true(seen_unsure);
	judged_release(&j);
	assert_string_equal(probe_outcome_name(PO_NO_ANSWER), "no-answer");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_apiserver_dial_errors),
		cmocka_unit_test(test_forbidden_vs_pod_403),
		cmocka_unit_test(test_pod_answers),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_plan_big),
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_proxy_expired),
		cmocka_unit_test(test_judge_no_answer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
