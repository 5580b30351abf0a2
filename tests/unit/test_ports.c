/*
 * test_ports: Ingress backend -> Service port (numbers, names, unnamed
 * ports), Service targetPort -> container port per pod (named ports on
 * containers and sidecars, protocol, plain init containers), and probe
 * ports (named, missing, digits).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static int setup(void **state)
{
	static struct tu_model f;
	tu_model_init(&f);
	tu_add(&f, "Service", "v1", "{'metadata':{'name':'api','namespace':'shop'},"
	    "'spec':{'ports':["
	    "{'name':'http','port':80,'targetPort':'http'},"
	    "{'name':'admin','port':9000,'targetPort':'admin'},"
	    "{'name':'metrics','port':9100,'targetPort':9102},"
	    "{'name':'same','port':8443},"
	    "{'name':'dns','port':53,'protocol':'UDP','targetPort':'dns'},"
	    "{'name':'dnstcp','port':54,'targetPort':'dns'},"
	    "{'name':'initp','port':7000,'targetPort':'initport'},"
	    "{'name':'digits','port':7001,'targetPort':'8080'}]}}");
	tu_add(&f, "Service", "v1", "{'metadata':{'name':'single','namespace':'shop'},"
	    "'spec':{'ports':["
	    "{'port':8080,'targetPort':8080}]}}");
	tu_add(&f, "Pod", "v1", "{'metadata':{'name':'p','namespace':'shop'},'spec':{"
	    "'containers':[{'name':'app','ports':[{'name':'http','containerPort':8080},"
	    "{'name':'dns','containerPort':5353,'protocol':'UDP'},{'containerPort':8443},"
	    "{'name':'metrics','containerPort':9102}],"
	    "'readinessProbe':{'httpGet':{'port':'http'}},"
	    "'livenessProbe':{'httpGet':{'port':'health'}},"
	    "'startupProbe':{'tcpSocket':{'port':'8081'}}}],"
	    "'initContainers':[{'name':'setup','ports':[{'name':'initport','containerPort':7777}]},"
	    "{'name':'proxy','restartPolicy':'Always','ports':[{'name':'admin','containerPort':9901}],"
	    "'readinessProbe':{'tcpSocket':{'port':'http'}}}]}}");
	tu_add(&f, "Pod", "v1", "{'metadata':{'name':'q','namespace':'shop'},'spec':{"
	    "'containers':[{'name':'app','ports':[{'name':'http','containerPort':3000}]}]}}");
	model_finish(&f.m);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	tu_model_release(*state);
	return 0;
}

static void test_backend_port(void **state)
{
	struct tu_model *f = *state;
	const struct service *s = model_service(&f->m, "shop", "api");
	const struct service *single = model_service(&f->m, "shop", "single");
	static const struct {
		int which;          /* 0 api, 1 single */
		struct intstr port;
		int32_t want;       /* service port number, -1 none */
	} cases[] = {
		{ 0, { IS_INT, 80, "" }, 80 },
		{ 0, { IS_STR, 0, "http" }, 80 },
		{ 0, { IS_INT, 8080, "" }, -1 },     /* a target port is not a service port */
		{ 0, { IS_STR, 0, "80" }, -1 },      /* a number never matches by name */
		{ 0, { IS_STR, 0, "HTTP" }, -1 },
		{ 0, { IS_INT, 8443, "" }, 8443 },
		{ 0, { IS_STR, 0, "same" }, 8443 },
		{ 0, { IS_UNSET, 0, "" }, -1 },
		{ 1, { IS_INT, 8080, "" }, 8080 },
		{ 1, { IS_STR, 0, "" }, -1 },        /* an unnamed port never matches by name */
		{ 1, { IS_STR, 0, "8080" }, -1 },
		{ 1, { IS_INT, 80, "" }, -1 },
		{ 1, { IS_UNSET, 0, "" }, -1 },
	};
	assert_non_null(s);
	assert_non_null(single);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct service_port *sp =
			service_port_for_backend(cases[i].which ? single : s, &cases[i].port);
		int32_t got = sp ? sp->port : -1;
		if (got != cases[i].want)
			fail_msg("backend case %zu: got %d want %d", i, got, cases[i].want);
	}
	assert_null(service_port_for_backend(NULL, &cases[0].port));
}

static const struct service_port *sport(const struct service *s, const char *name)
{
	for (uint32_t i = 0; i < s->nports; i++)
		if (!strcmp(s->ports[i].name, name))
			return &s->ports[i];
	fail_msg("no service port %s", name);
	return NULL;
}

static void test_target_port(void **state)
{
	struct tu_model *f = *state;
	const struct service *s = model_service(&f->m, "shop", "api");
	const struct pod *p = model_pod(&f->m, "shop", "p");
	const struct pod *q = model_pod(&f->m, "shop", "q");
	static const struct {
		const char *svc_port;
		int pod;            /* 0 p, 1 q */
		int32_t want;
		const char *owner;  /* NULL: none */
	} cases[] = {
		{ "http", 0, 8080, "app" },
		{ "http", 1, 3000, "app" },        /* per pod */
		{ "admin", 0, 9901, "proxy" },     /* named port on a sidecar */
		{ "admin", 1, -1, NULL },
		{ "metrics", 0, 9102, "app" },     /* numeric target */
		{ "metrics", 1, 9102, NULL },      /* numeric target, nobody declares it */
		{ "same", 0, 8443, "app" },        /* unset target = service port */
		{ "dns", 0, 5353, "app" },         /* UDP matches UDP */
		{ "dnstcp", 0, -1, NULL },         /* TCP service port, UDP container port */
		{ "initp", 0, -1, NULL },          /* plain init containers do not count */
		{ "digits", 0, -1, NULL },         /* "8080" is a name, and none has it */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct container *owner = (const void *)1;
		int32_t got = port_resolve_target(sport(s, cases[i].svc_port),
						  cases[i].pod ? q : p, &owner);
		if (got != cases[i].want)
			fail_msg("target case %zu (%s): got %d want %d", i, cases[i].svc_port, got,
				 cases[i].want);
		if (cases[i].owner) {
			assert_non_null(owner);
			assert_string_equal(owner->name, cases[i].owner);
		} else {
			assert_null(owner);
		}
	}
	assert_int_equal(port_resolve_target(sport(s, "http"), p, NULL), 8080);
	assert_int_equal(port_resolve_target(NULL, p, NULL), -1);
}

static void test_probe_port(void **state)
{
	struct tu_model *f = *state;
	const struct pod *p = model_pod(&f->m, "shop", "p");
	const struct container *app = &p->containers[0];
	const struct container *proxy = &p->containers[2];
	struct probe pr;

	assert_string_equal(proxy->name, "proxy");
	assert_int_equal(probe_port_resolve(&app->readiness, app), 8080);
	assert_int_equal(probe_port_resolve(&app->liveness, app), -1);     /* no port "health" */
	assert_int_equal(probe_port_resolve(&app->startup, app), 8081);    /* digits: kubelet Atoi */
	/* a named probe port must exist in that container, not elsewhere in the pod */
	assert_int_equal(probe_port_resolve(&proxy->readiness, proxy), -1);
	memset(&pr, 0, sizeof(pr));
	pr.port.kind = IS_INT;
	pr.port.num = 1234;
	assert_int_equal(probe_port_resolve(&pr, app), 1234);
	pr.port.kind = IS_UNSET;
	assert_int_equal(probe_port_resolve(&pr, app), -1);
	pr.port.kind = IS_STR;
	pr.port.str = "99999";
	assert_int_equal(probe_port_resolve(&pr, app), -1);
	pr.port.str = "-80";
	assert_int_equal(probe_port_resolve(&pr, app), -1);
	pr.port.str = "metrics";
	assert_int_equal(probe_port_resolve(&pr, app), 9102);
	assert_int_equal(probe_port_resolve(&pr, NULL), -1);
	assert_int_equal(probe_port_resolve(NULL, app), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backend_port),
		cmocka_unit_test(test_target_port),
		cmocka_unit_test(test_probe_port),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
