/*
 * test_yaml: the YAML walk (yaml/yaml.h): kubectl typing, multi-document
 * streams, anchors and merge keys, alias bombs, error positions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/yaml/yaml.h"
#include "../../src/util/buf.h"

static struct arena A;

static int setup(void **state)
{
	(void)state;
	arena_init(&A, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_release(&A);
	return 0;
}

static struct json parse_ok(const char *text)
{
	struct json j;
	struct err e = ERR_INIT;

	if (yaml_parse("t.yaml", text, strlen(text), &A, &j, &e) < 0)
		fail_msg("unexpected error: %s", e.msg);
	return j;
}

static void parse_fail(const char *text, const char *want)
{
	struct json j;
	struct err e = ERR_INIT;

	if (yaml_parse("t.yaml", text, strlen(text), &A, &j, &e) == 0)
		fail_msg("no error for: %s", text);
	assert_int_equal(e.code, ERR_INPUT);
	if (!strstr(e.msg, want))
		fail_msg("error '%s' does not contain '%s'", e.msg, want);
}

/* Render a scalar for comparison: null, true, false, n:TEXT, s:TEXT. */
static const char *show(const struct json *j)
{
	static char out[256];

	if (!j)
		return "missing";
	switch (j->type) {
	case JSON_NULL:
		return "null";
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_NUMBER:
		snprintf(out, sizeof(out), "n:%s", j->u.s);
		return out;
	case JSON_STRING:
		snprintf(out, sizeof(out), "s:%s", j->u.s);
		return out;
	default:
		return json_type_name(j);
	}
}

static void test_typing_table(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "yes", "true" }, { "Yes", "true" }, { "YES", "true" }, { "y", "true" },
		{ "Y", "true" }, { "on", "true" }, { "On", "true" }, { "ON", "true" },
		{ "true", "true" }, { "True", "true" }, { "TRUE", "true" },
		{ "no", "false" }, { "No", "false" }, { "n", "false" }, { "off", "false" },
		{ "OFF", "false" }, { "false", "false" }, { "False", "false" },
		{ "yEs", "s:yEs" }, { "oN", "s:oN" },
		{ "~", "null" }, { "null", "null" }, { "Null", "null" }, { "NULL", "null" },
		{ "", "null" }, { "nULL", "s:nULL" },
		{ "0", "n:0" }, { "42", "n:42" }, { "+42", "n:42" }, { "-7", "n:-7" },
		{ "0644", "n:420" }, { "0x1F", "n:31" }, { "0X1f", "n:31" }, { "-0x10", "n:-16" },
		{ "0o17", "n:15" }, { "0b101", "n:5" }, { "1_000", "n:1000" },
		{ "0_644", "n:420" }, { "1__0", "n:10" },
		{ "9223372036854775807", "n:9223372036854775807" },
		{ "18446744073709551615", "n:18446744073709551615" },
		{ "18446744073709551616", "n:18446744073709552000" },
		{ "08", "n:8" }, { "1.5", "n:1.5" }, { "1.", "n:1" }, { "1e3", "n:1000" },
		{ "-.5", "n:-0.5" }, { ".5", "n:0.5" }, { "1e21", "n:1e+21" },
		{ "1.5e-7", "n:1.5e-7" }, { "0.1", "n:0.1" }, { "1e400", "s:1e400" },
		{ ".inf", "s:.inf" }, { "-.Inf", "s:-.Inf" }, { ".NaN", "s:.NaN" },
		{ "0x", "s:0x" }, { "12abc", "s:12abc" }, { "1.2.3", "s:1.2.3" },
		{ "2024-01-02", "s:2024-01-02" }, { "10.0.0.1", "s:10.0.0.1" },
		{ "_1", "s:_1" }, { "'yes'", "s:yes" }, { "\"0644\"", "s:0644" },
		{ "'~'", "s:~" }, { "\"\"", "s:" }, { "!!str 5", "s:5" },
		{ "!!int \"0x1F\"", "n:31" }, { "!!float 1", "n:1" }, { "!!bool 'on'", "true" },
		{ "!custom 5", "s:5" }, { "80Mi", "s:80Mi" }, { "'-'", "s:-" },
	};
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "v: %s\n", cases[i].in);
		struct json j = parse_ok(text);
		const struct json *v = json_get(&j, "v");
		if (strcmp(show(v), cases[i].want) != 0)
			fail_msg("'%s' became %s, want %s", cases[i].in, show(v), cases[i].want);
		if (v)
			assert_true(v->flags & JSON_F_FROM_YAML);
	}
}

static void test_block_scalars(void **state)
{
	struct json j = parse_ok("a: |-\n  yes\nb: >\n  0644\n  x\nc: |\n  1\n");

	(void)state;
	assert_string_equal(show(json_get(&j, "a")), "s:yes");
	assert_string_equal(show(json_get(&j, "b")), "s:0644 x\n");
	assert_string_equal(show(json_get(&j, "c")), "s:1\n");
}

static void test_keys(void **state)
{
	struct json j = parse_ok("1: a\n0x10: b\nyes: c\n1.5: d\n\"q\": e\n.inf: f\n");

	(void)state;
	assert_int_equal(j.type, JSON_OBJECT);
	assert_string_equal(show(json_get(&j, "1")), "s:a");
	assert_string_equal(show(json_get(&j, "16")), "s:b");
	assert_string_equal(show(json_get(&j, "true")), "s:c");
	assert_string_equal(show(json_get(&j, "1.5")), "s:d");
	assert_string_equal(show(json_get(&j, "q")), "s:e");
	assert_string_equal(show(json_get(&j, ".inf")), "s:f");
	/* keys equal only after conversion: the later wins */
	j = parse_ok("y: 1\ntrue: 2\n");
	assert_int_equal(j.n, 1);
	assert_string_equal(show(json_get(&j, "true")), "n:2");
	parse_fail("~: 1\n", "t.yaml:1:1: mapping key is null");
	parse_fail("[a]: 1\n", "mapping key is a sequence");
}

static void test_duplicate_key(void **state)
{
	(void)state;
	parse_fail("a: 1\nb: 2\na: 3\n", "t.yaml:3:1: duplicate key");
}

struct docs {
	size_t n;
	char seen[512];
};

static int record_doc(void *ctx, const struct yaml_doc *d, struct err *err)
{
	struct docs *ds = ctx;
	size_t l = strlen(ds->seen);

	(void)err;
	snprintf(ds->seen + l, sizeof(ds->seen) - l, "[%zu@%u %s]", d->index, d->line,
		 d->root->type == JSON_OBJECT ? show(json_get(d->root, "kind")) :
						show(d->root));
	if (d->item_lines) {
		for (size_t i = 0; i < d->n_item_lines; i++) {
			l = strlen(ds->seen);
			snprintf(ds->seen + l, sizeof(ds->seen) - l, "(%u)", d->item_lines[i]);
		}
	}
	ds->n++;
	return 0;
}

static void test_multi_doc(void **state)
{
	const char *text = "kind: A\n---\n# only a comment\n---\nkind: B\n---\n"
			   "kind: List\nitems:\n- kind: C\n- kind: D\n...\n";
	struct docs ds = { 0, "" };
	struct err e = ERR_INIT;

	(void)state;
	assert_int_equal(yaml_parse_stream("m.yaml", text, strlen(text), &A, record_doc, &ds,
					   &e), 0);
	assert_int_equal(ds.n, 4);
	assert_string_equal(ds.seen, "[0@1 s:A][1@0 null][2@5 s:B][3@7 s:List](9)(10)");
	/* empty input: no documents, no error */
	ds.n = 0;
	ds.seen[0] = 0;
	assert_int_equal(yaml_parse_stream("e.yaml", "", 0, &A, record_doc, &ds, &e), 0);
	assert_int_equal(ds.n, 0);
	parse_fail("a: 1\n---\nb: 2\n", "more than one YAML document");
}

static void test_anchors_merge(void **state)
{
	struct json j = parse_ok("base: &b {px: 1, py: 2}\n"
				 "use: *b\n"
				 "m: {<<: *b, py: 3}\n"
				 "late: {py: 3, <<: *b}\n"
				 "seq:\n  <<: [{px: a}, {px: b, z: c}]\n"
				 "quoted: {'<<': 1}\n"
				 "yk: {y: 1}\n");
	const struct json *m;

	(void)state;
	assert_string_equal(show(json_path(&j, "use", "px", NULL)), "n:1");
	m = json_get(&j, "m");
	assert_string_equal(show(json_get(m, "px")), "n:1");
	assert_string_equal(show(json_get(m, "py")), "n:3");
	assert_int_equal(m->n, 2);
	/* go-yaml v2: settings apply in document order, later wins */
	assert_string_equal(show(json_path(&j, "late", "py", NULL)), "n:2");
	/* a plain y key is the bool true, as in go-yaml */
	assert_string_equal(show(json_path(&j, "yk", "true", NULL)), "n:1");
	/* in a merge sequence the earlier mapping wins */
	assert_string_equal(show(json_path(&j, "seq", "px", NULL)), "s:a");
	assert_string_equal(show(json_path(&j, "seq", "z", NULL)), "s:c");
	assert_string_equal(show(json_path(&j, "quoted", "<<", NULL)), "n:1");
	parse_fail("a: {<<: 5}\n", "map merge requires map");
	parse_fail("a: *nope\n", "unknown anchor");
}

static void test_alias_bomb(void **state)
{
	struct buf b;
	struct json j;
	struct err e = ERR_INIT;
	int r;

	(void)state;
	buf_init(&b, 0);
	buf_add(&b, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (char c = 'b'; c <= 'j'; c++) {
		buf_addf(&b, "%c: &%c [", c, c);
		for (int i = 0; i < 10; i++)
			buf_addf(&b, "%s*%c", i ? ", " : "", c - 1);
		buf_add(&b, "]\n");
	}
	r = yaml_parse("bomb.yaml", b.p, b.len, &A, &j, &e);
	assert_int_equal(r, -1);
	assert_non_null(strstr(e.msg, "excessive aliasing"));
	assert_non_null(strstr(e.msg, "bomb.yaml:"));
	buf_release(&b);
	/* moderate reuse is fine */
	j = parse_ok("a: &a [1, 2]\nb: [*a, *a, *a]\n");
	assert_int_equal(json_get(&j, "b")->n, 3);
	assert_int_equal(json_at(json_at(json_get(&j, "b"), 2), 1)->type, JSON_NUMBER);
}

static void test_errors(void **state)
{
	(void)state;
	parse_fail("a: [1, 2\nb: 3\n", "t.yaml:");
	parse_fail("a: b: c\n", "t.yaml:1:");
	parse_fail("a:\n  - x\n - y\n", "t.yaml:");
	parse_fail("v: !!int abc\n", "t.yaml:1:10: cannot decode !!str `abc` as a !!int");
	parse_fail("\"unterminated\n", "t.yaml:");
	/* libfyaml 0.7.12 loops forever on this one: caught before it */
	parse_fail("%: \xa7: yya", "t.yaml:1:4: invalid UTF-8 (byte 3)");
	parse_fail("a: ok\nb: \xc3\x28\n", "t.yaml:2:4: invalid UTF-8");
	parse_fail("a: \xe2\x82", "invalid UTF-8");
}

static void test_deep(void **state)
{
	struct buf b;
	struct json j;
	struct err e = ERR_INIT;

	(void)state;
	buf_init(&b, 0);
	for (int i = 0; i < 2000; i++)
		buf_add(&b, "[");
	/* must fail cleanly, never overflow the stack */
	assert_int_equal(yaml_parse("deep.yaml", b.p, b.len, &A, &j, &e), -1);
	assert_non_null(strstr(e.msg, "deep.yaml"));
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_typing_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_scalars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multi_doc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_anchors_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_bomb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
