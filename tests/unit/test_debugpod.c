/*
 * test_debugpod: the cluster-free parts of the debug-pod probe
 * (src/probe/debugpod_script.c): which targets a pod can probe, the script's
 * target list, the Pod object, and the reading of the IDPROBE report.
 * The script itself runs for real in tests/run-probe-pod.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/json/json.h"
#include "../../src/probe/debugpod_int.h"
#include "../../src/util/arena.h"

static struct probe_target target(const char *ip, int port, bool https, const char *path)
{
	struct probe_target t;

	memset(&t, 0, sizeof(t));
	t.ip = ip;
	t.port = port;
	t.https = https;
	t.http_path = path;
	return t;
}

static void test_target_ok(void **state)
{
	struct probe_target t;
	const char *why = NULL;

	(void)state;
	t = target("10.244.1.7", 8080, false, "/");
	assert_true(dp_target_ok(&t, &why));
	t = target("fd00::1:7", 8080, false, "/");
	assert_true(dp_target_ok(&t, &why));
	t = target("", 8080, false, "/");
	assert_false(dp_target_ok(&t, &why));
	assert_string_equal(why, "no IP address known");
	t = target(NULL, 8080, false, "/");
	assert_false(dp_target_ok(&t, &why));
	t = target("None", 80, false, "/");
	assert_false(dp_target_ok(&t, &why));
	assert_string_equal(why, "headless Service: no ClusterIP");
	t = target("10.0.0.1; rm -rf /", 80, false, "/");
	assert_false(dp_target_ok(&t, &why));
	t = target("1234", 80, false, "/");
	assert_false(dp_target_ok(&t, &why));
	t = target("10.0.0.1", 0, false, "/");
	assert_false(dp_target_ok(&t, &why));
	t = target("10.0.0.1", 65536, false, "/");
	assert_false(dp_target_ok(&t, &why));
}

static void test_script_targets(void **state)
{
	struct probe_target t[4];
	struct probe_plan plan = { t, 4, NULL };
	char *s;

	(void)state;
	t[0] = target("10.0.0.1", 8080, false, "/healthz");
	t[1] = target("", 80, false, "/");                     /* skipped */
	t[2] = target("10.0.0.3", 8443, true, "/a b'c\n$(x)"); /* quoted away */
	t[3] = target("fd00::3", 80, false, NULL);
	s = dp_script(&plan, 2.5);
	assert_non_null(strstr(s, "T=3\n"));
	assert_non_null(strstr(s, "\n0 10.0.0.1 8080 http /healthz\n"));
	assert_null(strstr(s, "\n1 "));
	assert_non_null(strstr(s, "\n2 10.0.0.3 8443 https /a%20b'c%0A$(x)\n"));
	assert_non_null(strstr(s, "\n3 fd00::3 80 http /\n"));
	assert_non_null(strstr(s, "<<'IDPROBE_TARGETS'\n"));
	assert_non_null(strstr(s, "\nIDPROBE_TARGETS\nwait\necho IDPROBE-END\n"));
	free(s);
	s = dp_script(&plan, 0);
	assert_non_null(strstr(s, "T=1\n"));
	free(s);
}

static const struct json *member(const struct json *o, const char *k)
{
	const struct json *v = json_get(o, k);

	assert_non_null(v);
	return v;
}

static void test_pod_json(void **state)
{
	size_t len;
	char *body = dp_pod_json("ingress-nginx", "ingress-doctor-probe-x2b4z", NULL, "echo 'hi' \"x\"\n", 90, &len);
	struct arena a;
	struct json root;
	struct json_error je;
	const struct json *md, *spec, *c, *cmd, *sc;
	int64_t n;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(json_parse(body, len, &a, &root, &je), 0);
	assert_string_equal(json_str(member(&root, "kind")), "Pod");
	md = member(&root, "metadata");
	assert_string_equal(json_str(member(md, "name")), "ingress-doctor-probe-x2b4z");
	assert_null(json_get(md, "generateName"));
	assert_string_equal(json_str(member(md, "namespace")), "ingress-nginx");
	assert_string_equal(json_str(json_path(md, "labels", "app.kubernetes.io/name", NULL)),
			    "ingress-doctor-probe");
	assert_string_equal(json_str(json_path(md, "labels", "app.kubernetes.io/managed-by", NULL)),
			    "ingress-doctor");
	spec = member(&root, "spec");
	assert_string_equal(json_str(member(spec, "restartPolicy")), "Never");
	assert_int_equal(json_get_int(member(spec, "activeDeadlineSeconds"), &n), 0);
	assert_int_equal(n, 90);
	assert_int_equal(json_get_int(member(spec, "terminationGracePeriodSeconds"), &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(member(spec, "automountServiceAccountToken")->type, JSON_FALSE);
	assert_int_equal(json_path(spec, "securityContext", "runAsNonRoot", NULL)->type, JSON_TRUE);
	assert_int_equal(json_get_int(json_path(spec, "securityContext", "runAsUser", NULL), &n),
			 0);
	assert_true(n > 0);
	c = json_at(member(spec, "containers"), 0);
	assert_non_null(c);
	assert_string_equal(json_str(member(c, "image")), "busybox:1.36");
	cmd = member(c, "command");
	assert_int_equal(cmd->n, 3);
	assert_string_equal(json_str(json_at(cmd, 0)), "sh");
	assert_string_equal(json_str(json_at(cmd, 1)), "-c");
	assert_string_equal(json_str(json_at(cmd, 2)), "echo 'hi' \"x\"\n");
	assert_non_null(json_path(c, "resources", "limits", "memory", NULL));
	assert_non_null(json_path(c, "resources", "requests", "cpu", NULL));
	sc = member(c, "securityContext");
	assert_int_equal(member(sc, "allowPrivilegeEscalation")->type, JSON_FALSE);
	assert_string_equal(json_str(json_at(json_path(sc, "capabilities", "drop", NULL), 0)),
			    "ALL");
	arena_release(&a);
	free(body);

	body = dp_pod_json("x", "ingress-doctor-probe-bbbbb", "registry.example.com/tools:2", "true", 30, &len);
	arena_init(&a, 0);
	assert_int_equal(json_parse(body, len, &a, &root, &je), 0);
	assert_string_equal(json_str(json_path(json_at(json_path(&root, "spec", "containers", NULL),
							0), "image", NULL)),
			    "registry.example.com/tools:2");
	arena_release(&a);
	free(body);
}

static void test_outcome(void **state)
{
	int st;

	(void)state;
	assert_int_equal(dp_outcome("refused", "-", &st), PO_REFUSED);
	assert_int_equal(dp_outcome("timeout", "-", &st), PO_TIMEOUT);
	assert_int_equal(dp_outcome("unreachable", "-", &st), PO_UNREACHABLE);
	assert_int_equal(dp_outcome("error", "-", &st), PO_PROBE_FAILED);
	assert_int_equal(dp_outcome("ok", "200", &st), PO_OK);
	assert_int_equal(st, 200);
	assert_int_equal(dp_outcome("ok", "404", &st), PO_OK);
	assert_int_equal(st, 404);
	assert_int_equal(dp_outcome("ok", "503", &st), PO_HTTP_ERROR);
	assert_int_equal(st, 503);
	assert_int_equal(dp_outcome("-", "502", &st), PO_HTTP_ERROR);
	assert_int_equal(dp_outcome("ok", "reset", &st), PO_RESET);
	assert_int_equal(st, 0);
	/* nc connected, wget heard nothing: the pod accepted and is silent */
	assert_int_equal(dp_outcome("ok", "timeout", &st), PO_NO_ANSWER);
	/* no nc: wget's timeout covers the connect too */
	assert_int_equal(dp_outcome("-", "timeout", &st), PO_TIMEOUT);
	assert_int_equal(dp_outcome("ok", "not-http", &st), PO_NOT_HTTP);
	assert_int_equal(dp_outcome("ok", "refused", &st), PO_REFUSED);
	assert_int_equal(dp_outcome("ok", "20x", &st), PO_PROBE_FAILED);
	assert_int_equal(dp_outcome("ok", "2000", &st), PO_PROBE_FAILED);
	assert_int_equal(dp_outcome("ok", "error", &st), PO_PROBE_FAILED);
}

static void test_parse_log(void **state)
{
	struct probe_target t[4];
	struct probe_plan plan = { t, 4, NULL };
	struct probe_result res[4];
	bool ended = true;
	const char *log =
		"IDPROBE-BEGIN nc=z timeout=yes\n"
		"Terminated\n"
		"IDPROBE 2 tcp=ok http=503 ms=20 msg=HTTP/1.1 503 Service Unavailable\r\n"
		"IDPROBE 0 tcp=refused http=- ms=3 msg=nc: can't connect to remote host "
		"(10.0.0.1): Connection refused\n"
		"IDPROBE 9 tcp=ok http=200 ms=1 msg=\n"          /* no such target */
		"IDPROBE x tcp=ok http=200 ms=1 msg=\n"          /* bad index */
		"IDPROBE 1 http=200 ms=1\n"                      /* no tcp= */
		"IDPROBE 3 tcp=ok http=200 ms=oops msg=tcp=refused here";
	size_t n;

	(void)state;
	memset(t, 0, sizeof(t));
	memset(res, 0, sizeof(res));
	n = dp_parse_log(log, strlen(log), &plan, res, &ended);
	assert_int_equal(n, 3);
	assert_false(ended);
	assert_int_equal(res[0].outcome, PO_REFUSED);
	assert_true(res[0].ms == 3);
	assert_string_equal(res[0].detail,
			    "nc: can't connect to remote host (10.0.0.1): Connection refused");
	assert_int_equal(res[1].outcome, PO_NOT_RUN);
	assert_int_equal(res[2].outcome, PO_HTTP_ERROR);
	assert_int_equal(res[2].http_status, 503);
	assert_string_equal(res[2].detail, "HTTP/1.1 503 Service Unavailable");
	/* the free text may hold "tcp=": the fields before msg= decide */
	assert_int_equal(res[3].outcome, PO_OK);
	assert_true(res[3].ms < 0);
	assert_string_equal(res[3].detail, "tcp=refused here");

	log = "IDPROBE 1 tcp=ok http=200 ms=5 msg=\nIDPROBE-END\n";
	memset(res, 0, sizeof(res));
	n = dp_parse_log(log, strlen(log), &plan, res, &ended);
	assert_int_equal(n, 1);
	assert_true(ended);
	assert_int_equal(res[1].outcome, PO_OK);
	assert_string_equal(res[1].detail, "HTTP 200");

	log = "IDPROBE 0 tcp=ok http=timeout ms=2004 msg=connected, no HTTP answer within 2s\n"
	      "IDPROBE 1 tcp=- http=timeout ms=3001 msg=\n"
	      "IDPROBE 2 tcp=timeout http=- ms=2001 msg=no connection within 2s\n";
	memset(res, 0, sizeof(res));
	n = dp_parse_log(log, strlen(log), &plan, res, &ended);
	assert_int_equal(n, 3);
	assert_int_equal(res[0].outcome, PO_NO_ANSWER);
	assert_false(res[0].connect_unknown);
	assert_string_equal(res[0].detail, "connected, no HTTP answer within 2s");
	assert_int_equal(res[1].outcome, PO_TIMEOUT);
	assert_true(res[1].connect_unknown);
	assert_int_equal(res[2].outcome, PO_TIMEOUT);
	assert_false(res[2].connect_unknown);

	n = dp_parse_log("", 0, &plan, res, &ended);
	assert_int_equal(n, 0);
	assert_false(ended);

	/* a target reported twice (a restarted script) counts once, the last line wins */
	log = "IDPROBE 1 tcp=refused http=- ms=1 msg=\nIDPROBE 1 tcp=ok http=200 ms=4 msg=\n";
	memset(res, 0, sizeof(res));
	n = dp_parse_log(log, strlen(log), &plan, res, &ended);
	assert_int_equal(n, 1);
	assert_int_equal(res[1].outcome, PO_OK);
}

/* The whole run's time grows with the batches of DP_PARALLEL targets. */
static void test_budget(void **state)
{
	(void)state;
	assert_int_equal(dp_script_timeout(5), 5);
	assert_int_equal(dp_script_timeout(0.5), 1);
	assert_int_equal(dp_script_timeout(2.1), 3);
	assert_int_equal(dp_script_timeout(1e6), 300);
	assert_int_equal(dp_script_timeout(0), 1);
	/* 60 s plus, per batch, a connect and two GETs of T + 1 s */
	assert_true(probe_debugpod_budget(0, 5) == 60 + 18);
	assert_true(probe_debugpod_budget(1, 5) == 60 + 18);
	assert_true(probe_debugpod_budget(DP_PARALLEL, 5) == 60 + 18);
	assert_true(probe_debugpod_budget(DP_PARALLEL + 1, 5) == 60 + 2 * 18);
	assert_true(probe_debugpod_budget(100, 5) == 60 + 13 * 18);
	assert_true(probe_debugpod_budget(100, 2.5) == 60 + 13 * 12);
	/* never less than the old flat 60 + 2T for one batch */
	for (double t = 0.5; t < 40; t += 0.5)
		assert_true(probe_debugpod_budget(1, t) >= 60 + 2 * t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target_ok),
		cmocka_unit_test(test_script_targets),
		cmocka_unit_test(test_pod_json),
		cmocka_unit_test(test_outcome),
		cmocka_unit_test(test_parse_log),
		cmocka_unit_test(test_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
