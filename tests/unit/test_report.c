/*
 * test_report: the text and JSON renderers (report/text.c, report/json.c)
 * on a diagnosis built by hand with the findings.h API. JSON is parsed
 * back with json_parse and checked field by field; text is checked for
 * its key lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/json/json.h"
#include "../../src/report/report.h"

struct rendered {
	char *buf;
	size_t len;
	struct arena arena;
	struct json root;
};

/* Chains A (shop/web /api), B (shop/web /), C (shop/admin default), D (other/ok /). */
static void build(struct diag *d)
{
	struct chain *a, *b, *c, *ok;
	struct finding *f;

	diag_init(d);
	assert_int_equal(ktime_parse("2026-11-02T10:04:05Z", 20, &d->now), 0);
	d->ningresses = 3;
	a = chain_new(d, "shop", "web", "shop.example.com", "/api", false, "api", "8080");
	b = chain_new(d, "shop", "web", "shop.example.com", "/", false, "web", "80");
	c = chain_new(d, "shop", "admin", "", "", true, "api", "http");
	ok = chain_new(d, "other", "ok", "ok.example.com", "/", false, "ok", "80");

	/* created first, on no path: must come out first among errors only by its id */
	f = finding_get(d, "node-not-ready", SEV_ERROR, HOP_NODES, "Node", "", "node-2", NULL);
	finding_message(d, f, "Node node-2 is NotReady");

	for (int h = 0; h < HOP__COUNT; h++) {
		chain_hop(d, a, (enum hop)h, V_OK, "hop %d of a", h);
		chain_hop(d, b, (enum hop)h, V_OK, "hop %d of b", h);
		chain_hop(d, ok, (enum hop)h, V_OK, "hop %d of ok", h);
	}
	chain_hop(d, a, HOP_ENDPOINTS, V_FAIL, "0/3 endpoints ready");
	chain_hop(d, c, HOP_INGRESS, V_OK, "Ingress shop/admin, class nginx");

	f = finding_get(d, "service-no-ready-endpoints", SEV_ERROR, HOP_ENDPOINTS, "Service",
			"shop", "api", NULL);
	finding_message(d, f, "Service shop/api has no ready endpoint for port 8080 "
			"(3 pods match, 0 ready)");
	finding_evidence(d, f, "pod api-1: Readiness probe failed: HTTP probe failed with "
			 "statuscode: 500 (x12)");
	finding_fix(d, f, "make the pods pass their readiness probe");
	finding_command(d, f, "kubectl describe pod api-1 -n shop");
	finding_link(d, f, "shop", "web", a);
	finding_link(d, f, "shop", "admin", c);

	f = finding_get(d, "readiness-probe-missing", SEV_WARNING, HOP_PODS, "Pod", "shop",
			"web-1", "web");
	finding_message(d, f, "Pod shop/web-1 container web has no readiness probe");
	finding_link(d, f, "shop", "web", b);

	f = finding_get(d, "pod-no-resources", SEV_INFO, HOP_PODS, "Pod", "shop", "api-1", "api");
	finding_message(d, f, "Pod shop/api-1 container api sets no resource requests");
	finding_link(d, f, "shop", "web", a);

	diag_note(d, "EndpointSlice objects are absent from the input");
}

static void render_json(const struct diag *d, struct rendered *r)
{
	struct report_opts o = { .color = false };
	struct json_error e;
	FILE *f = open_memstream(&r->buf, &r->len);

	assert_non_null(f);
	assert_int_equal(report_json(f, d, &o), 0);
	assert_int_equal(fclose(f), 0);
	arena_init(&r->arena, 0);
	if (json_parse(r->buf, r->len, &r->arena, &r->root, &e) < 0)
		fail_msg("report is not JSON: %u:%u: %s", e.line, e.col, e.msg);
}

static char *render_text(const struct diag *d, bool color, int verbose)
{
	struct report_opts o = { .color = color, .verbose = verbose };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(report_text(f, d, &o), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void rendered_free(struct rendered *r)
{
	arena_release(&r->arena);
	free(r->buf);
}

static const char *sget(const struct json *o, const char *key)
{
	const char *s = json_str(json_get(o, key));
	if (!s)
		fail_msg("no string member '%s'", key);
	return s;
}

static int64_t iget(const struct json *o, const char *key)
{
	int64_t v;
	if (json_get_int(json_get(o, key), &v) < 0)
		fail_msg("no integer member '%s'", key);
	return v;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_json_findings(void **state)
{
	struct diag d;
	struct rendered r;
	const struct json *fs, *f;

	(void)state;
	build(&d);
	render_json(&d, &r);
	fs = json_get(&r.root, "findings");
	assert_true(json_is(fs, JSON_ARRAY));
	assert_int_equal(fs->n, 4);
	/* severity first, then id */
	assert_string_equal(sget(json_at(fs, 0), "id"), "node-not-ready");
	assert_string_equal(sget(json_at(fs, 1), "id"), "service-no-ready-endpoints");
	assert_string_equal(sget(json_at(fs, 2), "id"), "readiness-probe-missing");
	assert_string_equal(sget(json_at(fs, 3), "id"), "pod-no-resources");

	f = json_at(fs, 1);
	assert_string_equal(sget(f, "severity"), "error");
	assert_string_equal(sget(f, "kind"), "Service");
	assert_string_equal(sget(f, "namespace"), "shop");
	assert_string_equal(sget(f, "name"), "api");
	assert_string_equal(sget(f, "message"), "Service shop/api has no ready endpoint for "
			    "port 8080 (3 pods match, 0 ready)");
	assert_string_equal(sget(f, "fix"), "make the pods pass their readiness probe");
	assert_int_equal(json_get(f, "ingresses")->n, 2);
	assert_string_equal(json_str(json_at(json_get(f, "ingresses"), 0)), "shop/web");
	assert_string_equal(json_str(json_at(json_get(f, "ingresses"), 1)), "shop/admin");
	assert_int_equal(json_get(f, "evidence")->n, 1);
	assert_string_equal(json_str(json_at(json_get(f, "commands"), 0)),
			    "kubectl describe pod api-1 -n shop");

	f = json_at(fs, 0);
	assert_string_equal(sget(f, "namespace"), "");
	assert_int_equal(json_get(f, "ingresses")->n, 0);
	/* no fix set: an empty string, never null */
	assert_string_equal(sget(f, "fix"), "");
	assert_string_equal(sget(json_at(fs, 2), "severity"), "warning");
	assert_string_equal(sget(json_at(fs, 3), "severity"), "info");

	/* the renderer sorted a copy: creation order is kept in d */
	assert_string_equal(d.findings[0]->id, "node-not-ready");
	assert_string_equal(d.findings[3]->id, "pod-no-resources");
	rendered_free(&r);
	diag_release(&d);
}

static void test_json_ingresses(void **state)
{
	struct diag d;
	struct rendered r;
	const struct json *ings, *web, *p, *hop;

	(void)state;
	build(&d);
	render_json(&d, &r);
	assert_string_equal(sget(&r.root, "snapshotTime"), "2026-11-02T10:04:05Z");
	ings = json_get(&r.root, "ingresses");
	assert_int_equal(ings->n, 3);
	web = json_at(ings, 0);
	assert_string_equal(sget(web, "namespace"), "shop");
	assert_string_equal(sget(web, "name"), "web");
	assert_int_equal(json_get(web, "paths")->n, 2);

	p = json_at(json_get(web, "paths"), 0);
	assert_string_equal(sget(p, "host"), "shop.example.com");
	assert_string_equal(sget(p, "path"), "/api");
	assert_string_equal(sget(p, "service"), "api");
	assert_string_equal(sget(p, "port"), "8080");
	assert_string_equal(sget(p, "status"), "broken");
	assert_true(json_is(json_get(p, "defaultBackend"), JSON_FALSE));
	assert_int_equal(json_get(p, "hops")->n, HOP__COUNT);
	hop = json_at(json_get(p, "hops"), HOP_ENDPOINTS);
	assert_string_equal(sget(hop, "hop"), "endpoints");
	assert_string_equal(sget(hop, "verdict"), "fail");
	assert_string_equal(sget(hop, "text"), "0/3 endpoints ready");
	/* the path's findings as indexes into "findings": the error and the info */
	assert_int_equal(json_get(p, "findings")->n, 2);
	{
		int64_t i0, i1;
		assert_int_equal(json_get_int(json_at(json_get(p, "findings"), 0), &i0), 0);
		assert_int_equal(json_get_int(json_at(json_get(p, "findings"), 1), &i1), 0);
		assert_int_equal(i0, 1);   /* service-no-ready-endpoints */
		assert_int_equal(i1, 3);   /* pod-no-resources */
	}

	p = json_at(json_get(web, "paths"), 1);
	assert_string_equal(sget(p, "status"), "degraded");
	assert_string_equal(sget(json_at(json_get(p, "hops"), HOP_PODS), "verdict"), "warn");

	p = json_at(json_get(json_at(ings, 1), "paths"), 0);
	assert_string_equal(sget(json_at(ings, 1), "name"), "admin");
	assert_true(json_is(json_get(p, "defaultBackend"), JSON_TRUE));
	assert_string_equal(sget(p, "path"), "");
	assert_string_equal(sget(p, "status"), "broken");
	/* a hop nobody described: text null, verdict unknown */
	hop = json_at(json_get(p, "hops"), HOP_NODES);
	assert_true(json_is(json_get(hop, "text"), JSON_NULL));
	assert_string_equal(sget(hop, "verdict"), "unknown");

	p = json_at(json_get(json_at(ings, 2), "paths"), 0);
	assert_string_equal(sget(p, "status"), "ok");
	assert_int_equal(json_get(p, "findings")->n, 0);

	assert_int_equal(iget(json_get(&r.root, "summary"), "errors"), 2);
	assert_int_equal(iget(json_get(&r.root, "summary"), "warnings"), 1);
	assert_int_equal(iget(json_get(&r.root, "summary"), "infos"), 1);
	assert_int_equal(json_get(&r.root, "notes")->n, 1);
	assert_string_equal(json_str(json_at(json_get(&r.root, "notes"), 0)),
			    "EndpointSlice objects are absent from the input");
	rendered_free(&r);
	diag_release(&d);
}

/* Path status: info only -> ok, warnings -> degraded, any error -> broken. */
static void test_json_status_logic(void **state)
{
	static const struct {
		int sevs[3];
		const char *want;
	} cases[] = {
		{ { -1, -1, -1 }, "ok" },
		{ { SEV_INFO, -1, -1 }, "ok" },
		{ { SEV_WARNING, SEV_INFO, -1 }, "degraded" },
		{ { SEV_INFO, SEV_ERROR, SEV_WARNING }, "broken" },
	};

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct diag d;
		struct rendered r;
		struct chain *c;
		const struct json *p;

		diag_init(&d);
		c = chain_new(&d, "ns", "ing", "h", "/", false, "svc", "80");
		for (int i = 0; i < 3; i++) {
			char id[16];
			struct finding *f;
			if (cases[k].sevs[i] < 0)
				continue;
			snprintf(id, sizeof(id), "id-%d", i);
			f = finding_get(&d, id, (enum severity)cases[k].sevs[i], HOP_PODS, "Pod",
					"ns", "p", NULL);
			finding_link(&d, f, "ns", "ing", c);
		}
		render_json(&d, &r);
		p = json_at(json_get(json_at(json_get(&r.root, "ingresses"), 0), "paths"), 0);
		assert_string_equal(sget(p, "status"), cases[k].want);
		rendered_free(&r);
		diag_release(&d);
	}
}

static void test_json_empty_and_escapes(void **state)
{
	struct diag d;
	struct rendered r;
	struct finding *f;

	(void)state;
	diag_init(&d);
	render_json(&d, &r);
	assert_true(json_is(json_get(&r.root, "snapshotTime"), JSON_NULL));
	assert_int_equal(json_get(&r.root, "findings")->n, 0);
	assert_int_equal(json_get(&r.root, "ingresses")->n, 0);
	assert_int_equal(iget(json_get(&r.root, "summary"), "errors"), 0);
	rendered_free(&r);

	f = finding_get(&d, "pod-crashloop", SEV_ERROR, HOP_PODS, "Pod", "ns", "p", NULL);
	finding_message(&d, f, "say \"hi\"\\\n\ttab \x01 end");
	render_json(&d, &r);
	assert_string_equal(sget(json_at(json_get(&r.root, "findings"), 0), "message"),
			    "say \"hi\"\\\n\ttab \x01 end");
	rendered_free(&r);
	diag_release(&d);
}

static void test_text_report(void **state)
{
	struct diag d;
	char *out;

	(void)state;
	build(&d);
	out = render_text(&d, false, 0);
	assert_non_null(strstr(out, "snapshot 2026-11-02T10:04:05Z  3 Ingresses, 4 paths: "
			       "2 broken, 1 degraded, 1 ok\n"));
	assert_non_null(strstr(out, "\nshop/web  shop.example.com/api -> api:8080  BROKEN\n"));
	assert_non_null(strstr(out, "\nshop/web  shop.example.com/ -> web:80  DEGRADED\n"));
	assert_non_null(strstr(out, "\nshop/admin  (default backend) -> api:http  BROKEN\n"));
	assert_non_null(strstr(out, "  [XX] endpoints  0/3 endpoints ready\n"));
	assert_non_null(strstr(out, "  [ok] ingress    hop 0 of a\n"));
	assert_non_null(strstr(out, "  [??] nodes      not checked\n"));
	/* an all-ok path without findings is one line */
	assert_non_null(strstr(out, "\nother/ok  ok.example.com/ -> ok:80  OK\n\n"));
	assert_null(strstr(out, "hop 0 of ok"));
	/* the shared finding: in full once, then referenced */
	assert_int_equal(count(out, "has no ready endpoint for port 8080"), 1);
	assert_non_null(strstr(out, "service-no-ready-endpoints  Service shop/api: shown above, "
			       "under shop/web shop.example.com/api\n"));
	assert_non_null(strstr(out, "also breaks: shop/admin\n"));
	assert_non_null(strstr(out, "fix: make the pods pass their readiness probe\n"));
	assert_non_null(strstr(out, "run: kubectl describe pod api-1 -n shop\n"));
	assert_non_null(strstr(out, "- pod api-1: Readiness probe failed"));
	assert_non_null(strstr(out, "readiness-probe-missing  Pod shop/web-1 (web)\n"));
	/* the error comes before the info on path A */
	assert_true(strstr(out, "service-no-ready-endpoints  Service shop/api\n") <
		    strstr(out, "pod-no-resources  Pod shop/api-1 (api)\n"));
	/* infos are advice, in their own section after the paths */
	assert_non_null(strstr(out, "\nadvice (info findings, no effect on the status of a path):\n"
			       "  info     pod-no-resources  Pod shop/api-1 (api)\n"));
	assert_non_null(strstr(out, "affects: shop/web\n"));
	assert_true(strstr(out, "other/ok  ok.example.com/") < strstr(out, "\nadvice ("));
	/* broken paths first, then degraded, then ok */
	assert_true(strstr(out, "\nshop/admin  (default backend)") <
		    strstr(out, "\nshop/web  shop.example.com/ -> web:80  DEGRADED"));
	/* a finding on no path, then notes, then the counts last */
	assert_non_null(strstr(out, "findings outside the paths above:\n  error    node-not-ready"
			       "  Node node-2\n"));
	assert_non_null(strstr(out, "  - EndpointSlice objects are absent from the input\n"));
	assert_non_null(strstr(out, "\n2 errors, 1 warning, 1 info\n"));
	assert_string_equal(out + strlen(out) - strlen("2 errors, 1 warning, 1 info\n"),
			    "2 errors, 1 warning, 1 info\n");
	assert_null(strchr(out, '\033'));
	free(out);

	/* -v: the ok path shows its chain */
	out = render_text(&d, false, 1);
	assert_non_null(strstr(out, "  [ok] pods       hop 3 of ok\n"));
	free(out);
	diag_release(&d);
}

static void test_text_color_and_hostile(void **state)
{
	struct diag d;
	struct finding *f;
	struct chain *c;
	char *out;

	(void)state;
	build(&d);
	out = render_text(&d, true, 0);
	assert_non_null(strstr(out, "\033[1;31mBROKEN\033[0m"));
	assert_non_null(strstr(out, "\033[33mDEGRADED\033[0m"));
	assert_non_null(strstr(out, "\033[2m  info     \033[0m"));
	free(out);
	diag_release(&d);

	/* escape sequences from the input never reach the terminal */
	diag_init(&d);
	c = chain_new(&d, "ns", "ing", "h\033]0;x\a", "/", false, "svc", "80");
	f = finding_get(&d, "pod-crashloop", SEV_ERROR, HOP_PODS, "Pod", "ns", "p", NULL);
	finding_message(&d, f, "bad \033[2J message");
	for (int i = 0; i < 8; i++)
		finding_evidence(&d, f, "line %d", i);
	finding_link(&d, f, "ns", "ing", c);
	out = render_text(&d, false, 0);
	assert_null(strchr(out, '\033'));
	assert_null(strchr(out, '\a'));
	assert_non_null(strstr(out, "bad ?[2J message"));
	/* evidence is capped without -v */
	assert_non_null(strstr(out, "- line 4\n"));
	assert_null(strstr(out, "- line 5\n"));
	assert_non_null(strstr(out, "... 3 more evidence lines (-v shows all)\n"));
	free(out);
	out = render_text(&d, false, 1);
	assert_non_null(strstr(out, "- line 7\n"));
	assert_null(strstr(out, "more evidence"));
	free(out);
	diag_release(&d);
}

static void test_write_error(void **state)
{
	struct report_opts o = { .color = false };
	struct diag d;
	FILE *f;

	(void)state;
	f = fopen("/dev/full", "w");
	if (!f)
		skip();
	build(&d);
	assert_int_equal(report_json(f, &d, &o), -1);
	clearerr(f);
	assert_int_equal(report_text(f, &d, &o), -1);
	fclose(f);
	diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_findings),
		cmocka_unit_test(test_json_ingresses),
		cmocka_unit_test(test_json_status_logic),
		cmocka_unit_test(test_json_empty_and_escapes),
		cmocka_unit_test(test_text_report),
		cmocka_unit_test(test_text_color_and_hostile),
		cmocka_unit_test(test_write_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
