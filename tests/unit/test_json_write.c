/*
 * test_json_write: the JSON writer: layout, escaping, and round trips
 * through the reader.
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
#include "../../src/json/json_write.h"

struct mem {
	char *p;
	size_t n;
	FILE *f;
};

static struct json_w *open_w(struct mem *m, struct json_w *w, int indent)
{
	m->f = open_memstream(&m->p, &m->n);
	json_w_init(w, m->f, indent);
	return w;
}

static void test_compact(void **state)
{
	struct mem m;
	struct json_w w;

	(void)state;
	open_w(&m, &w, 0);
	json_w_obj(&w);
	json_w_key(&w, "id");
	json_w_str(&w, "pod-crashloop");
	json_w_key(&w, "n");
	json_w_int(&w, -3);
	json_w_key(&w, "d");
	json_w_double(&w, 0.5);
	json_w_key(&w, "whole");
	json_w_double(&w, 2.0);
	json_w_key(&w, "list");
	json_w_arr(&w);
	json_w_bool(&w, true);
	json_w_null(&w);
	json_w_str(&w, NULL);
	json_w_arr(&w);
	json_w_end(&w);
	json_w_obj(&w);
	json_w_end(&w);
	json_w_strn(&w, "ab", 1);
	json_w_end(&w);
	json_w_key(&w, "big");
	json_w_int(&w, INT64_MIN);
	json_w_end(&w);
	assert_int_equal(json_w_finish(&w), 0);
	fclose(m.f);
	assert_string_equal(m.p, "{\"id\":\"pod-crashloop\",\"n\":-3,\"d\":0.5,\"whole\":2,"
				 "\"list\":[true,null,null,[],{},\"a\"],"
				 "\"big\":-9223372036854775808}\n");
	free(m.p);
}

static void test_indent(void **state)
{
	struct mem m;
	struct json_w w;

	(void)state;
	open_w(&m, &w, 2);
	json_w_obj(&w);
	json_w_key(&w, "a");
	json_w_arr(&w);
	json_w_int(&w, 1);
	json_w_obj(&w);
	json_w_key(&w, "b");
	json_w_str(&w, "c");
	json_w_end(&w);
	json_w_end(&w);
	json_w_key(&w, "e");
	json_w_obj(&w);
	json_w_end(&w);
	json_w_end(&w);
	json_w_finish(&w);
	fclose(m.f);
	assert_string_equal(m.p, "{\n"
				 "  \"a\": [\n"
				 "    1,\n"
				 "    {\n"
				 "      \"b\": \"c\"\n"
				 "    }\n"
				 "  ],\n"
				 "  \"e\": {}\n"
				 "}\n");
	free(m.p);
}

static void test_escaping(void **state)
{
	struct mem m;
	struct json_w w;
	struct arena a;
	struct json j;
	struct json_error e;
	char all[256];

	(void)state;
	for (int i = 0; i < 255; i++)
		all[i] = (char)(i + 1);
	all[255] = '\0';
	open_w(&m, &w, 0);
	json_w_arr(&w);
	json_w_str(&w, "q\"b\\s/\n\t\r\b\f\x01\x1f\x7f\xc3\xa9");
	json_w_str(&w, all);
	json_w_strn(&w, "x\0y", 3);
	json_w_end(&w);
	json_w_finish(&w);
	fclose(m.f);
	assert_non_null(strstr(m.p, "[\"q\\\"b\\\\s/\\n\\t\\r\\b\\f\\u0001\\u001f\x7f\xc3\xa9\""));
	assert_non_null(strstr(m.p, "\"x\\u0000y\""));
	/* read it back */
	arena_init(&a, 0);
	assert_int_equal(json_parse(m.p, m.n, &a, &j, &e), 0);
	assert_string_equal(json_str(json_at(&j, 0)), "q\"b\\s/\n\t\r\b\f\x01\x1f\x7f\xc3\xa9");
	assert_string_equal(json_str(json_at(&j, 1)), all);
	assert_int_equal(json_at(&j, 2)->n, 3);
	assert_memory_equal(json_at(&j, 2)->u.s, "x\0y", 3);
	arena_release(&a);
	free(m.p);
}

/* parse -> write (compact and indented) -> parse -> write: same text. */
static void test_roundtrip(void **state)
{
	static const char *const docs[] = {
		("{\"a\":[1,-2.5e+3,0,true,false,null,\"s\\u00e9\\n\\\"\"],\"b\":{},\"c\":[],"
		 "\"d\":{\"e\":{\"f\":[[[]]]}},\"\\u0000k\":\"v\\u001f\"}"),
		"\"just a string\"",
		"[]",
		"-0.0e-0",
	};
	(void)state;
	for (size_t k = 0; k < sizeof(docs) / sizeof(docs[0]); k++) {
		for (int indent = 0; indent <= 4; indent += 4) {
			struct arena a;
			struct json j, j2;
			struct json_error e;
			struct mem m1, m2;
			struct json_w w;
			char *b = strdup(docs[k]);

			arena_init(&a, 0);
			assert_int_equal(json_parse(b, strlen(b), &a, &j, &e), 0);
			open_w(&m1, &w, indent);
			json_w_value(&w, &j);
			json_w_finish(&w);
			fclose(m1.f);
			char *copy = strdup(m1.p);
			assert_int_equal(json_parse(m1.p, m1.n, &a, &j2, &e), 0);
			open_w(&m2, &w, indent);
			json_w_value(&w, &j2);
			json_w_finish(&w);
			fclose(m2.f);
			assert_string_equal(copy, m2.p);
			free(copy);
			free(m1.p);
			free(m2.p);
			free(b);
			arena_release(&a);
		}
	}
}

/* Values written inside writer-built containers get the right commas. */
static void test_value_inside(void **state)
{
	struct arena a;
	struct json j;
	struct json_error e;
	struct mem m;
	struct json_w w;
	char doc[] = "{\"x\":[1,2]}";

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(json_parse(doc, strlen(doc), &a, &j, &e), 0);
	open_w(&m, &w, 0);
	json_w_arr(&w);
	json_w_value(&w, &j);
	json_w_value(&w, json_get(&j, "x"));
	json_w_value(&w, NULL);
	json_w_end(&w);
	json_w_finish(&w);
	fclose(m.f);
	assert_string_equal(m.p, "[{\"x\":[1,2]},[1,2],null]\n");
	free(m.p);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_indent),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_value_inside),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
