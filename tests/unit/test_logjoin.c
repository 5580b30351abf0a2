/*
 * test_logjoin: controller logs joined with the cluster (checks/logjoin.h):
 * upstream names -> Service and port (dashes in names, named ports,
 * ambiguous splits), addresses -> pods (current, terminating, Service IP,
 * gone, never known), the ingress-nginx settings (defaults, ConfigMap,
 * annotations, $(POD_NAMESPACE)), and whole diagnoses with log lines.
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
#include "../../src/checks/logjoin.h"
#include "../../src/controller/controller.h"
#include "../../src/logs/scan.h"
#include "../../src/source/files.h"
#include "../../src/util/buf.h"

/* ---- buffers ---- */

static struct buf buf_new(void)
{
	struct buf b;

	buf_init(&b, 0);
	return b;
}

/* Empty b for the next cluster. */
static void buf_free(struct buf *b)
{
	buf_release(b);
	buf_init(b, 0);
}

#define BUF_INIT buf_new()
#define buf_adds buf_add

/* ---- cluster pieces ---- */

static void service(struct buf *b, const char *ns, const char *name, const char *ports,
		    const char *cip)
{
	buf_addf(b, "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n"
		 "  namespace: %s\n  creationTimestamp: '2026-02-01T00:00:00Z'\n"
		 "spec:\n  type: ClusterIP\n  clusterIP: %s\n  selector: {app: %s}\n  ports: %s\n",
		 name, ns, cip, name, ports);
}

static void ingress(struct buf *b, const char *ns, const char *svc, const char *port,
		    const char *annotations)
{
	buf_addf(b, "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n"
		 "metadata:\n  name: web\n  namespace: %s\n"
		 "  creationTimestamp: '2026-02-01T00:00:00Z'\n%s"
		 "spec:\n  ingressClassName: nginx\n  rules:\n  - host: shop.example.com\n"
		 "    http:\n      paths:\n      - path: /\n        pathType: Prefix\n"
		 "        backend:\n          service:\n            name: %s\n"
		 "            port: {%s}\n", ns, annotations ? annotations : "", svc, port);
}

/* Pod <app>-N, IP 10.0.0.N, container port 8080. */
static void pod(struct buf *b, const char *app, int n, bool ready, bool terminating)
{
	buf_addf(b, "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: %s-%d\n"
		 "  namespace: shop\n  uid: uid-%s-%d\n  labels: {app: %s}\n"
		 "  creationTimestamp: '2026-03-01T00:00:00Z'\n%s"
		 "spec:\n  nodeName: node-1\n  containers:\n  - name: app\n    image: app:1\n"
		 "    ports: [{name: http, containerPort: 8080}]\n"
		 "    readinessProbe: {exec: {command: [cat, /tmp/ready]}}\n"
		 "    lifecycle: {preStop: {exec: {command: [sleep, '5']}}}\n"
		 "status:\n  phase: Running\n  podIP: 10.0.0.%d\n"
		 "  conditions:\n  - {type: Ready, status: '%s'}\n",
		 app, n, app, n, app,
		 terminating ? "  deletionTimestamp: '2026-03-01T10:00:00Z'\n" : "", n,
		 ready ? "True" : "False");
}

static void slice(struct buf *b, const char *svc, int ready_n, int notready_n)
{
	buf_addf(b, "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
		 "metadata:\n  name: %s-abcde\n  namespace: shop\n"
		 "  labels: {kubernetes.io/service-name: %s}\n"
		 "addressType: IPv4\nports:\n- {name: http, port: 8080, protocol: TCP}\n"
		 "endpoints:\n"
		 "- addresses: [10.0.0.%d]\n  conditions: {ready: true}\n"
		 "- addresses: [10.0.0.%d]\n  conditions: {ready: false, terminating: true}\n",
		 svc, svc, ready_n, notready_n);
}

#define CONTROLLER(args)                                                              \
	"---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\n"                 \
	"metadata: {name: nginx}\nspec: {controller: k8s.io/ingress-nginx}\n"         \
	"---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ingress-nginx-controller-1\n" \
	"  namespace: ingress-nginx\n  creationTimestamp: '2026-03-01T00:00:00Z'\n"   \
	"spec:\n  containers:\n  - name: controller\n"                                \
	"    image: registry.k8s.io/ingress-nginx/controller:v1.12.1\n"               \
	"    args: [/nginx-ingress-controller, " args "]\n"                           \
	"status:\n  phase: Running\n  podIP: 10.0.9.1\n"                              \
	"  conditions:\n  - {type: Ready, status: 'True'}\n"

#define CONFIGMAP(data)                                                               \
	"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"                           \
	"  name: ingress-nginx-controller\n  namespace: ingress-nginx\ndata: " data "\n"

struct run {
	struct warnings w;
	struct model m;
};

static void load(struct run *r, const char *yaml)
{
	struct err err = ERR_INIT;
	struct source_sink sink;

	warnings_init(&r->w);
	model_init(&r->m, &r->w);
	sink = model_sink(&r->m);
	assert_int_equal(source_buffer_read("test", yaml, strlen(yaml), &sink, &err), 0);
	model_finish(&r->m);
}

static void unload(struct run *r)
{
	model_release(&r->m);
	warnings_release(&r->w);
}

/* ---- upstream names ---- */

static void test_upstream_simple(void **state)
{
	struct buf b = BUF_INIT;
	struct run r;
	struct upstream_ref u;

	(void)state;
	service(&b, "shop", "api", "[{name: http, port: 80, targetPort: 8080}]", "10.96.0.10");
	service(&b, "shop", "api-v2", "[{port: 80}]", "10.96.0.11");
	load(&r, b.p);
	assert_true(logjoin_upstream(&r.m, "shop-api-80", &u));
	assert_string_equal(u.svc->meta.name, "api");
	assert_non_null(u.sport);
	assert_int_equal(u.sport->port, 80);
	assert_string_equal(u.port, "80");
	/* by port name */
	assert_true(logjoin_upstream(&r.m, "shop-api-http", &u));
	assert_string_equal(u.svc->meta.name, "api");
	assert_string_equal(u.sport->name, "http");
	/* longest match: api-v2, not api with port "v2-80" */
	assert_true(logjoin_upstream(&r.m, "shop-api-v2-80", &u));
	assert_string_equal(u.svc->meta.name, "api-v2");
	assert_non_null(u.sport);
	/* the Service exists, the port does not */
	assert_true(logjoin_upstream(&r.m, "shop-api-9999", &u));
	assert_string_equal(u.svc->meta.name, "api");
	assert_null(u.sport);
	assert_string_equal(u.port, "9999");
	/* nothing */
	assert_false(logjoin_upstream(&r.m, "upstream-default-backend", &u));
	assert_null(u.svc);
	assert_false(logjoin_upstream(&r.m, "other-api-80", &u));
	assert_false(logjoin_upstream(&r.m, "shop-api-", &u));
	assert_false(logjoin_upstream(&r.m, "", &u));
	unload(&r);
	buf_free(&b);
}

static void test_upstream_dashes(void **state)
{
	struct buf b = BUF_INIT;
	struct run r;
	struct upstream_ref u;

	(void)state;
	service(&b, "team-a", "web-api", "[{name: http-metrics, port: 9090}, {port: 8080}]",
		"10.96.1.1");
	load(&r, b.p);
	assert_true(logjoin_upstream(&r.m, "team-a-web-api-8080", &u));
	assert_string_equal(u.svc->meta.ns, "team-a");
	assert_string_equal(u.svc->meta.name, "web-api");
	assert_int_equal(u.sport->port, 8080);
	assert_true(logjoin_upstream(&r.m, "team-a-web-api-http-metrics", &u));
	assert_string_equal(u.svc->meta.name, "web-api");
	assert_non_null(u.sport);
	assert_int_equal(u.sport->port, 9090);
	assert_string_equal(u.port, "http-metrics");
	unload(&r);
	buf_free(&b);
}

/* Two Services give the same upstream name: the one an Ingress routes to wins. */
static void test_upstream_ambiguous(void **state)
{
	struct buf b = BUF_INIT;
	struct run r;
	struct upstream_ref u;

	(void)state;
	service(&b, "team", "a-web", "[{port: 80}]", "10.96.2.1");
	service(&b, "team-a", "web", "[{port: 80}]", "10.96.2.2");
	ingress(&b, "team-a", "web", "number: 80", NULL);
	load(&r, b.p);
	assert_true(logjoin_upstream(&r.m, "team-a-web-80", &u));
	assert_string_equal(u.svc->meta.ns, "team-a");
	assert_string_equal(u.svc->meta.name, "web");
	unload(&r);
	buf_free(&b);

	/* the Ingress in the other namespace flips it */
	service(&b, "team", "a-web", "[{port: 80}]", "10.96.2.1");
	service(&b, "team-a", "web", "[{port: 80}]", "10.96.2.2");
	ingress(&b, "team", "a-web", "number: 80", NULL);
	load(&r, b.p);
	assert_true(logjoin_upstream(&r.m, "team-a-web-80", &u));
	assert_string_equal(u.svc->meta.ns, "team");
	assert_string_equal(u.svc->meta.name, "a-web");
	unload(&r);
	buf_free(&b);
}

/* ---- addresses ---- */

static void test_addr_ip(void **state)
{
	char ip[64];

	(void)state;
	assert_true(logjoin_addr_ip("10.0.0.1:8080", ip, sizeof(ip)));
	assert_string_equal(ip, "10.0.0.1");
	assert_true(logjoin_addr_ip("[fd00::1]:80", ip, sizeof(ip)));
	assert_string_equal(ip, "fd00::1");
	assert_true(logjoin_addr_ip("fd00::2", ip, sizeof(ip)));
	assert_string_equal(ip, "fd00::2");
	assert_true(logjoin_addr_ip("10.0.0.7", ip, sizeof(ip)));
	assert_false(logjoin_addr_ip("unix:/tmp/app.sock", ip, sizeof(ip)));
	assert_false(logjoin_addr_ip("rig-alldown-80", ip, sizeof(ip)));
	assert_false(logjoin_addr_ip("10.0.0.300:80", ip, sizeof(ip)));
	assert_false(logjoin_addr_ip("", ip, sizeof(ip)));
	assert_false(logjoin_addr_ip("10.0.0.1:80", ip, 4));
}

static void test_addr_states(void **state)
{
	struct buf b = BUF_INIT;
	struct run r;
	struct addr_ref a;
	const struct service *svc;

	(void)state;
	service(&b, "shop", "api", "[{port: 80, targetPort: 8080}]", "10.96.0.10");
	pod(&b, "api", 1, true, false);
	pod(&b, "api", 2, false, true);
	pod(&b, "other", 3, true, false);
	slice(&b, "api", 1, 2);
	load(&r, b.p);
	svc = model_service(&r.m, "shop", "api");
	assert_non_null(svc);

	logjoin_addr(&r.m, svc, "10.0.0.1", &a);
	assert_int_equal(a.state, AS_CURRENT);
	assert_string_equal(a.pod->meta.name, "api-1");
	assert_true(a.endpoint);
	assert_true(a.ready);

	logjoin_addr(&r.m, svc, "10.0.0.2", &a);
	assert_int_equal(a.state, AS_TERMINATING);
	assert_string_equal(a.pod->meta.name, "api-2");
	assert_true(a.endpoint);
	assert_false(a.ready);

	/* a current pod that is no endpoint of this Service */
	logjoin_addr(&r.m, svc, "10.0.0.3", &a);
	assert_int_equal(a.state, AS_CURRENT);
	assert_false(a.endpoint);

	logjoin_addr(&r.m, svc, "10.0.0.99", &a);
	assert_int_equal(a.state, AS_GONE);
	assert_null(a.pod);
	assert_false(a.endpoint);

	logjoin_addr(&r.m, NULL, "10.96.0.10", &a);
	assert_int_equal(a.state, AS_SERVICE_IP);

	/* without a Service: no endpoint facts */
	logjoin_addr(&r.m, NULL, "10.0.0.1", &a);
	assert_int_equal(a.state, AS_CURRENT);
	assert_false(a.endpoint);
	assert_string_equal(addr_state_name(AS_GONE), "gone");
	unload(&r);
	buf_free(&b);

	/* no Pod objects at all: never known */
	service(&b, "shop", "api", "[{port: 80}]", "10.96.0.10");
	load(&r, b.p);
	logjoin_addr(&r.m, NULL, "10.0.0.1", &a);
	assert_int_equal(a.state, AS_UNKNOWN);
	unload(&r);
	buf_free(&b);
}

/* ---- ingress-nginx settings ---- */

static void test_settings(void **state)
{
	struct buf b = BUF_INIT;
	struct run r;
	struct ctl_settings cs;
	const struct controller_impl *ci = controller_for("k8s.io/ingress-nginx");
	const struct pod *p;
	const struct ingress *ing;

	(void)state;
	assert_non_null(ci);
	assert_non_null(ci->settings);
	buf_adds(&b, CONTROLLER("'--configmap=$(POD_NAMESPACE)/ingress-nginx-controller'"));
	buf_adds(&b, CONFIGMAP("{proxy-next-upstream: 'off', upstream-keepalive-timeout: '30', "
			       "proxy-connect-timeout: '2'}"));
	ingress(&b, "shop", "api", "number: 80",
		"  annotations:\n"
		"    nginx.ingress.kubernetes.io/proxy-connect-timeout: '10'\n"
		"    nginx.ingress.kubernetes.io/upstream-keepalive-timeout: '5'\n"
		"    other.example.com/proxy-next-upstream-tries: '7'\n");
	load(&r, b.p);
	p = model_pod(&r.m, "ingress-nginx", "ingress-nginx-controller-1");
	ing = model_ingress(&r.m, "shop", "web");
	assert_non_null(p);
	assert_non_null(ing);

	ci->settings(&r.m, p, NULL, &cs);
	assert_non_null(cs.cm);
	assert_string_equal(cs.cm->meta.ns, "ingress-nginx");
	assert_string_equal(cs.v[CS_NEXT_UPSTREAM].value, "off");
	assert_int_equal(cs.v[CS_NEXT_UPSTREAM].source, CSRC_CONFIGMAP);
	assert_string_equal(cs.v[CS_NEXT_TRIES].value, "3");
	assert_int_equal(cs.v[CS_NEXT_TRIES].source, CSRC_DEFAULT);
	assert_string_equal(cs.v[CS_CONNECT_TIMEOUT].value, "2");
	assert_string_equal(cs.v[CS_BUFFER_SIZE].value, "4k");
	assert_string_equal(cs.v[CS_RETRY_NONIDEM].value, "false");
	assert_string_equal(cs.v[CS_KA_TIMEOUT].value, "30");
	assert_string_equal(cs.v[CS_KA_TIMEOUT].key, "upstream-keepalive-timeout");

	ci->settings(&r.m, p, ing, &cs);
	assert_string_equal(cs.v[CS_CONNECT_TIMEOUT].value, "10");
	assert_int_equal(cs.v[CS_CONNECT_TIMEOUT].source, CSRC_ANNOTATION);
	assert_string_equal(cs.v[CS_CONNECT_TIMEOUT].annotation,
			    "nginx.ingress.kubernetes.io/proxy-connect-timeout");
	/* a ConfigMap-only key is not overridden by an annotation of the same name */
	assert_string_equal(cs.v[CS_KA_TIMEOUT].value, "30");
	/* another prefix is not ingress-nginx's */
	assert_string_equal(cs.v[CS_NEXT_TRIES].value, "3");
	unload(&r);
	buf_free(&b);

	/* a custom annotation prefix, a plain namespace/name ConfigMap, no ConfigMap object */
	buf_adds(&b, CONTROLLER("--annotations-prefix=example.com, "
				"--configmap=ingress-nginx/missing"));
	ingress(&b, "shop", "api", "number: 80",
		"  annotations:\n    example.com/proxy-next-upstream-tries: '1'\n");
	load(&r, b.p);
	p = model_pod(&r.m, "ingress-nginx", "ingress-nginx-controller-1");
	ci->settings(&r.m, p, model_ingress(&r.m, "shop", "web"), &cs);
	assert_null(cs.cm);
	assert_string_equal(cs.v[CS_NEXT_TRIES].value, "1");
	assert_string_equal(cs.v[CS_NEXT_UPSTREAM].value, "error timeout");
	assert_int_equal(cs.v[CS_NEXT_UPSTREAM].source, CSRC_DEFAULT);
	unload(&r);
	buf_free(&b);
}

/* ---- whole diagnoses with logs ---- */

struct drun {
	struct run r;
	struct log_stats st;
	struct diag d;
};

static void diagnose_with(struct drun *x, const char *yaml, const char *logs, const char *ns)
{
	struct err err = ERR_INIT;
	struct scope s = { .ns = ns };

	load(&x->r, yaml);
	log_stats_init(&x->st);
	log_scan_buffer(&x->st, logs, strlen(logs), "test.log", 1, 0);
	log_stats_finish(&x->st);
	s.logs = &x->st;
	diag_init(&x->d);
	assert_int_equal(diagnose(&x->r.m, &s, &x->d, &err), 0);
}

static void drun_end(struct drun *x)
{
	diag_release(&x->d);
	log_stats_release(&x->st);
	unload(&x->r);
}

static const struct finding *has(const struct diag *d, const char *id, const char *kind,
				 const char *ns, const char *name)
{
	for (size_t i = 0; i < d->nfindings; i++) {
		const struct finding *f = d->findings[i];
		if (!strcmp(f->id, id) && !strcmp(f->kind, kind) && !strcmp(f->ns, ns) &&
		    !strcmp(f->name, name))
			return f;
	}
	return NULL;
}

static size_t count_id(const struct diag *d, const char *id)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nfindings; i++)
		n += !strcmp(d->findings[i]->id, id);
	return n;
}

#define ACCESS(addr, status, ust)                                                          \
	"10.1.0.1 - - [01/Mar/2026:09:50:00 +0000] \"GET / HTTP/1.1\" " status " 5 \"-\" "  \
	"\"curl\" 80 0.001 [shop-api-80] [] " addr " 0 0.000 " ust " 0123456789abcdef0123456789abcdef\n"
#define REFUSED(addr)                                                                      \
	"2026/03/01 09:50:00 [error] 31#31: *1 connect() failed (111: Connection refused) " \
	"while connecting to upstream, client: 10.1.0.1, server: _, request: \"GET / "     \
	"HTTP/1.1\", upstream: \"http://" addr "/\", host: \"x\"\n"

static void cluster(struct buf *b, const char *cm)
{
	buf_adds(b, CONTROLLER("'--configmap=$(POD_NAMESPACE)/ingress-nginx-controller'"));
	if (cm)
		buf_adds(b, cm);
	service(b, "shop", "api", "[{port: 80, targetPort: 8080}]", "10.96.0.10");
	ingress(b, "shop", "api", "number: 80", NULL);
	pod(b, "api", 1, true, false);
	pod(b, "api", 2, true, false);
	buf_addf(b, "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
		 "metadata:\n  name: api-abcde\n  namespace: shop\n"
		 "  labels: {kubernetes.io/service-name: api}\n"
		 "addressType: IPv4\nports:\n- {port: 8080, protocol: TCP}\n"
		 "endpoints:\n- addresses: [10.0.0.1]\n- addresses: [10.0.0.2]\n");
}

static void test_join_refused_ready_pod(void **state)
{
	struct buf b = BUF_INIT, l = BUF_INIT;
	struct drun x;
	const struct finding *f;

	(void)state;
	cluster(&b, NULL);
	for (int i = 0; i < 5; i++) {
		buf_adds(&l, ACCESS("10.0.0.1:8080, 10.0.0.2:8080", "200", "502, 200"));
		buf_adds(&l, REFUSED("10.0.0.1:8080"));
		buf_adds(&l, ACCESS("10.0.0.2:8080", "200", "200"));
	}
	diagnose_with(&x, b.p, l.p, NULL);
	f = has(&x.d, "pods-ready-not-serving", "Pod", "shop", "api-1");
	assert_non_null(f);
	assert_int_equal(f->ingresses.n, 1);
	assert_string_equal(f->ingresses.v[0], "shop/web");
	/* the log finding moved from Upstream shop-api-80 onto the pod */
	f = has(&x.d, "upstream-connect-refused", "Pod", "shop", "api-1");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "Pod shop/api-1 (upstream shop-api-80, address "
				"10.0.0.1:8080)"));
	assert_int_equal(count_id(&x.d, "pods-ready-not-serving"), 1);
	assert_null(has(&x.d, "upstream-connect-refused", "Upstream", "", "shop-api-80"));
	/* pod 2 answered: no finding; all retried: no retries finding */
	assert_null(has(&x.d, "pods-ready-not-serving", "Pod", "shop", "api-2"));
	assert_int_equal(count_id(&x.d, "controller-config-retries"), 0);
	assert_int_equal(count_id(&x.d, "upstream-unknown-endpoint"), 0);
	/* linked into the chain */
	assert_int_equal(x.d.nchains, 1);
	assert_true(x.d.chains[0]->nfindings >= 2);
	drun_end(&x);

	/* -n other: the backend is out of scope, nothing from the logs */
	diagnose_with(&x, b.p, l.p, "other");
	assert_int_equal(count_id(&x.d, "pods-ready-not-serving"), 0);
	assert_int_equal(count_id(&x.d, "upstream-connect-refused"), 0);
	drun_end(&x);
	buf_free(&b);
	buf_free(&l);
}

static void test_join_gone_and_retries(void **state)
{
	struct buf b = BUF_INIT, l = BUF_INIT;
	struct drun x;
	const struct finding *f;

	(void)state;
	cluster(&b, CONFIGMAP("{proxy-next-upstream-tries: '1'}"));
	for (int i = 0; i < 4; i++) {
		buf_adds(&l, ACCESS("10.0.0.77:8080", "502", "502"));
		buf_adds(&l, REFUSED("10.0.0.77:8080"));
		buf_adds(&l, ACCESS("10.0.0.2:8080", "200", "200"));
	}
	diagnose_with(&x, b.p, l.p, NULL);
	f = has(&x.d, "upstream-unknown-endpoint", "Service", "shop", "api");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_WARNING);
	/* no pod has 10.0.0.77: the refused finding stays on the Service */
	assert_non_null(has(&x.d, "upstream-connect-refused", "Service", "shop", "api"));
	f = has(&x.d, "controller-config-retries", "ConfigMap", "ingress-nginx",
		"ingress-nginx-controller");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_INFO);
	assert_non_null(strstr(f->message, "proxy-next-upstream-tries"));
	assert_int_equal(count_id(&x.d, "pods-ready-not-serving"), 0);
	assert_int_equal(count_id(&x.d, "controller-config-connect-timeout"), 0);
	drun_end(&x);
	buf_free(&l);

	/* the same ConfigMap without 502s in the logs: silent */
	for (int i = 0; i < 4; i++)
		buf_adds(&l, ACCESS("10.0.0.2:8080", "200", "200"));
	diagnose_with(&x, b.p, l.p, NULL);
	assert_int_equal(count_id(&x.d, "controller-config-retries"), 0);
	assert_int_equal(count_id(&x.d, "upstream-unknown-endpoint"), 0);
	drun_end(&x);
	buf_free(&b);
	buf_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upstream_simple),
		cmocka_unit_test(test_upstream_dashes),
		cmocka_unit_test(test_upstream_ambiguous),
		cmocka_unit_test(test_addr_ip),
		cmocka_unit_test(test_addr_states),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_join_refused_ready_pod),
		cmocka_unit_test(test_join_gone_and_retries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
