/*
 * test_files: the offline source (source/files.h) over every input form:
 * JSON List, typed lists (kind first and last), single objects, YAML
 * streams, directories, the cluster-info dump layout, concatenated JSON
 * with log blocks, stdin and in-memory buffers. A recording sink captures
 * what was delivered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/source/files.h"
#include "../../src/util/buf.h"

struct rec {
	struct buf objs;     /* "Kind ns/name@line;" */
	struct buf seen;     /* "Kind;" */
	struct buf logs;     /* "ns/pod;" */
	struct warnings w;
	struct source_sink sink;
};

static int rec_object(void *ctx, const struct src_obj *o, struct err *err)
{
	struct rec *r = ctx;
	const char *ns = json_str(json_path(o->obj, "metadata", "namespace", NULL));
	const char *name = json_str(json_path(o->obj, "metadata", "name", NULL));

	(void)err;
	buf_addf(&r->objs, "%s %s/%s %s@%u;", o->kind, ns ? ns : "", name ? name : "",
		 o->api_version, o->line);
	return 0;
}

static void rec_kind_seen(void *ctx, const char *kind)
{
	struct rec *r = ctx;
	buf_addf(&r->seen, "%s;", kind);
}

static int rec_log(void *ctx, const char *ns, const char *pod, const char *path,
		   struct err *err)
{
	struct rec *r = ctx;
	(void)err;
	buf_addf(&r->logs, "%s/%s:%s;", ns, pod, strrchr(path, '/') ? "logs.txt" : path);
	return 0;
}

static void rec_init(struct rec *r)
{
	buf_init(&r->objs, 0);
	buf_init(&r->seen, 0);
	buf_init(&r->logs, 0);
	buf_add(&r->objs, "");
	buf_add(&r->seen, "");
	buf_add(&r->logs, "");
	warnings_init(&r->w);
	r->sink.ctx = r;
	r->sink.object = rec_object;
	r->sink.kind_seen = rec_kind_seen;
	r->sink.log = rec_log;
	r->sink.warn = &r->w;
}

static void rec_release(struct rec *r)
{
	buf_release(&r->objs);
	buf_release(&r->seen);
	buf_release(&r->logs);
	warnings_release(&r->w);
}

static char tmpdir[256];

static int setup(void **state)
{
	(void)state;
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_files.XXXXXX", t && *t ? t : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *rel, const char *text)
{
	char path[512], dir[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + strlen(tmpdir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
	f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(text, 1, strlen(text), f);
	fclose(f);
}

/* Read tmpdir/rel (or tmpdir itself for ""); return the read status. */
static int read_path(struct rec *r, const char *rel, struct err *e)
{
	char path[512];
	snprintf(path, sizeof(path), "%s%s%s", tmpdir, *rel ? "/" : "", rel);
	return source_files_read(path, &r->sink, e);
}

static const char LIST_JSON[] =
	"{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n"
	"        {\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": "
	"{\"name\": \"p1\", \"namespace\": \"a\"}},\n"
	"        {\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": "
	"{\"name\": \"s1\", \"namespace\": \"a\"}}\n"
	"    ],\n    \"kind\": \"List\",\n    \"metadata\": {\"resourceVersion\": \"\"}\n}\n";

static void test_list_json(void **state)
{
	struct rec r;
	struct err e = ERR_INIT;

	(void)state;
	rec_init(&r);
	write_file("list.json", LIST_JSON);
	assert_int_equal(read_path(&r, "list.json", &e), 0);
	assert_string_equal(r.objs.p, "Pod a/p1 v1@4;Service a/s1 v1@5;");
	assert_string_equal(r.seen.p, "");      /* a List proves no kind */
	assert_int_equal(r.w.total, 0);
	rec_release(&r);
}

static void test_typed_list(void **state)
{
	struct rec r;
	struct err e = ERR_INIT;

	(void)state;
	rec_init(&r);
	write_file("first.json", "{\"kind\":\"DeploymentList\",\"apiVersion\":\"apps/v1\","
				 "\"items\":[{\"metadata\":{\"name\":\"d1\",\"namespace\":\"x\"}}]}");
	write_file("last.json", "{\"apiVersion\":\"v1\",\"items\":[{\"metadata\":{\"name\":"
				"\"p1\",\"namespace\":\"x\"}},{\"kind\":\"Pod\",\"metadata\":"
				"{\"name\":\"own\"}}],\"kind\":\"PodList\",\"metadata\":{}}");
	write_file("empty.json", "{\"apiVersion\":\"v1\",\"items\":[],\"kind\":\"ServiceList\"}");
	write_file("generic-empty.json", "{\"apiVersion\":\"v1\",\"items\":[],\"kind\":\"List\"}");
	assert_int_equal(read_path(&r, "first.json", &e), 0);
	assert_int_equal(read_path(&r, "last.json", &e), 0);
	assert_int_equal(read_path(&r, "empty.json", &e), 0);
	assert_int_equal(read_path(&r, "generic-empty.json", &e), 0);
	/* the item with its own kind comes first: the others wait for the list's kind */
	assert_string_equal(r.objs.p, "Deployment x/d1 apps/v1@1;Pod /own @1;Pod x/p1 v1@1;");
	assert_string_equal(r.seen.p, "Deployment;Pod;Service;");
	rec_release(&r);
}

static void test_single_and_bad_objects(void **state)
{
	struct rec r;
	struct err e = ERR_INIT;

	(void)state;
	rec_init(&r);
	write_file("one.json", "{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"Ingress\","
			       "\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"}}");
	write_file("bad.json", "{\"kind\":\"List\",\"items\":[{\"metadata\":{\"name\":\"x\"}},"
			       "{\"kind\":\"Pod\",\"metadata\":5},\"str\",null,"
			       "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":"
			       "[{\"metadata\":{\"name\":\"nested\"}}]}]}");
	assert_int_equal(read_path(&r, "one.json", &e), 0);
	assert_int_equal(read_path(&r, "bad.json", &e), 0);
	assert_string_equal(r.objs.p, "Ingress shop/web networking.k8s.io/v1@1;Pod /nested v1@1;");
	assert_string_equal(r.seen.p, "Pod;");
	assert_int_equal(r.w.total, 3);
	assert_non_null(strstr(r.w.msg[0], "bad.json:1: object without kind"));
	assert_non_null(strstr(r.w.msg[1], "metadata is a number"));
	rec_release(&r);
}

static void test_yaml_multi_doc(void **state)
{
	struct rec r;
	struct err e = ERR_INIT;

	(void)state;
	rec_init(&r);
	write_file("s.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n"
			     "  namespace: a\n---\n---\n"
			     "apiVersion: v1\nitems:\n- metadata:\n    name: n1\n"
			     "- metadata:\n    name: n2\nkind: NodeList\n---\n"
			     "apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  apiVersion: v1\n"
			     "  metadata: {name: p, namespace: a}\n");
	assert_int_equal(read_path(&r, "s.yaml", &e), 0);
	assert_string_equal(r.objs.p,
			    "Service a/s v1@1;Node /n1 v1@10;Node /n2 v1@12;Pod a/p v1@19;");
	assert_string_equal(r.seen.p, "Node;");
	rec_release(&r);
}

static void test_directory_and_dump(void **state)
{
	struct rec r;
	struct err e = ERR_INIT;

	(void)state;
	rec_init(&r);
	write_file("dump/nodes.json", "{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"items\":"
				      "[{\"metadata\":{\"name\":\"node-1\"}}]}");
	write_file("dump/shop/pods.json", "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":"
					  "[{\"metadata\":{\"name\":\"api-1\",\"namespace\":"
					  "\"shop\"}}]}");
	write_file("dump/shop/events.json", "{\"kind\":\"EventList\",\"apiVersion\":\"v1\","
					    "\"items\":[]}");
	write_file("dump/shop/api-1/logs.txt", "==== START logs for container c of pod "
					       "shop/api-1 ====\nhi\n");
	write_file("dump/shop/services.yaml", "kind: ServiceList\napiVersion: v1\nitems:\n"
					      "- metadata: {name: api, namespace: shop}\n");
	write_file("dump/.hidden.json", "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"no\"}}");
	write_file("dump/README.md", "# notes\n");
	write_file("dump/a.yml", "kind: Namespace\napiVersion: v1\nmetadata: {name: shop}\n");
	assert_int_equal(read_path(&r, "dump", &e), 0);
	/* name order: a.yml, nodes.json, shop/ (api-1/, events, pods, services) */
	assert_string_equal(r.objs.p, "Namespace /shop v1@1;Node /node-1 v1@1;"
				      "Pod shop/api-1 v1@1;Service shop/api v1@4;");
	assert_string_equal(r.seen.p, "Node;Event;Pod;Service;");
	assert_string_equal(r.logs.p, "shop/api-1:logs.txt;");
	assert_int_equal(r.w.total, 1);
	assert_non_null(strstr(r.w.msg[0], "README.md"));
	rec_release(&r);
}

static const char CONCAT[] =
	"{\n    \"kind\": \"NodeList\",\n    \"apiVersion\": \"v1\",\n    \"items\": [\n"
	"        {\"metadata\": {\"name\": \"n1\"}}\n    ]\n}\n"
	"==== START logs for container c of pod kube-system/x ====\n"
	"I0101 some { unbalanced log line\n"
	"==== END logs for container c of pod kube-system/x ====\n"
	"{\n    \"kind\": \"PodList\",\n    \"apiVersion\": \"v1\",\n    \"items\": [\n"
	"        {\"metadata\": {\"name\": \"p1\", \"namespace\": \"kube-system\"}}\n"
	"    ]\n}\n";

static void test_concatenated_with_logs(void **state)
{
	struct rec r;
	struct err e = ERR_INIT;

	(void)state;
	rec_init(&r);
	write_file("dump.txt", CONCAT);
	assert_int_equal(read_path(&r, "dump.txt", &e), 0);
	assert_string_equal(r.objs.p, "Node /n1 v1@5;Pod kube-system/p1 v1@15;");
	assert_string_equal(r.seen.p, "Node;Pod;");
	rec_release(&r);
}

/* Feed text to source_files_read("-") through a pipe on fd 0. */
static int read_stdin(struct rec *r, const char *text, struct err *e)
{
	int p[2], saved = dup(0), ret;

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], text, strlen(text)), (ssize_t)strlen(text));
	close(p[1]);
	dup2(p[0], 0);
	close(p[0]);
	ret = source_files_read("-", &r->sink, e);
	dup2(saved, 0);
	close(saved);
	return ret;
}

static void test_stdin(void **state)
{
	struct rec r;
	struct err e = ERR_INIT;

	(void)state;
	rec_init(&r);
	assert_int_equal(read_stdin(&r, CONCAT, &e), 0);
	assert_int_equal(read_stdin(&r, "kind: Pod\napiVersion: v1\nmetadata: {name: y1}\n", &e),
			 0);
	assert_string_equal(r.objs.p, "Node /n1 v1@5;Pod kube-system/p1 v1@15;Pod /y1 v1@1;");
	assert_int_equal(read_stdin(&r, "{\"kind\": \"Pod\",\n \"metadata\": {", &e), -1);
	assert_int_equal(e.code, ERR_INPUT);
	assert_non_null(strstr(e.msg, "-:"));
	rec_release(&r);
}

static void test_buffer(void **state)
{
	static const char yaml[] = "kind: Service\napiVersion: v1\nmetadata: {name: b}\n";
	struct rec r;
	struct err e = ERR_INIT;

	(void)state;
	rec_init(&r);
	/* read-only buffers (string literals live in .rodata) */
	assert_int_equal(source_buffer_read("demo", yaml, sizeof(yaml) - 1, &r.sink, &e), 0);
	assert_int_equal(source_buffer_read("demo", LIST_JSON, sizeof(LIST_JSON) - 1, &r.sink,
					    &e), 0);
	assert_string_equal(r.objs.p, "Service /b v1@1;Pod a/p1 v1@4;Service a/s1 v1@5;");
	assert_int_equal(source_buffer_read("demo", "", 0, &r.sink, &e), 0);
	assert_int_equal(r.w.total, 1);         /* empty input warned */
	rec_release(&r);
}

static void test_errors(void **state)
{
	struct rec r;
	struct err e = ERR_INIT;
	static const char junk[] = "{\"a\": 1}\0\0\0";

	(void)state;
	rec_init(&r);
	write_file("trunc.json", "{\"kind\":\"List\",\"items\":[{\"kind\":\"Pod\",\"metadata\":{\"na");
	assert_int_equal(read_path(&r, "trunc.json", &e), -1);
	assert_non_null(strstr(e.msg, "trunc.json:1:"));
	err_clear(&e);
	write_file("bad.yaml", "kind: Pod\nmetadata:\n  name: [x\n");
	assert_int_equal(read_path(&r, "bad.yaml", &e), -1);
	assert_non_null(strstr(e.msg, "bad.yaml:"));
	err_clear(&e);
	write_file("bin.json", "\x7f" "ELF\x02\x01\x01");
	assert_int_equal(read_path(&r, "bin.json", &e), -1);
	assert_non_null(strstr(e.msg, "binary data at byte 4"));
	err_clear(&e);
	assert_int_equal(source_buffer_read("j", junk, sizeof(junk) - 1, &r.sink, &e), -1);
	assert_non_null(strstr(e.msg, "binary data at byte 8"));
	err_clear(&e);
	assert_int_equal(read_path(&r, "does-not-exist.json", &e), -1);
	assert_non_null(strstr(e.msg, "does-not-exist.json"));
	err_clear(&e);
	write_file("empty.yaml", "");
	assert_int_equal(read_path(&r, "empty.yaml", &e), 0);
	assert_string_equal(r.objs.p, "");
	rec_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_list_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_typed_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_and_bad_objects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_yaml_multi_doc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_and_dump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concatenated_with_logs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
