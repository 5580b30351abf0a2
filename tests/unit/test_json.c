/*
 * test_json: the JSON reader (json_parse, json_parse_next) and accessors.
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

/* Parse a copy of text (not NUL-terminated beyond len: copied exactly). */
static int parse(struct arena *a, const char *text, struct json *out, struct json_error *e)
{
	size_t n = strlen(text);
	char *b = arena_alloc(a, n ? n : 1);
	memcpy(b, text, n);
	return json_parse(b, n, a, out, e);
}

static void test_scalars(void **state)
{
	struct arena a;
	struct json j;
	struct json_error e;
	int64_t i;
	double d;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(parse(&a, "null", &j, &e), 0);
	assert_int_equal(j.type, JSON_NULL);
	assert_int_equal(parse(&a, " true ", &j, &e), 0);
	assert_int_equal(j.type, JSON_TRUE);
	assert_true(json_is_bool(&j));
	assert_int_equal(parse(&a, "\n\tfalse\r\n", &j, &e), 0);
	assert_int_equal(j.type, JSON_FALSE);
	assert_int_equal(parse(&a, "-12", &j, &e), 0);
	assert_int_equal(j.type, JSON_NUMBER);
	assert_int_equal(j.n, 3);
	assert_memory_equal(j.u.s, "-12", 3);
	assert_int_equal(json_get_int(&j, &i), 0);
	assert_int_equal(i, -12);
	assert_int_equal(parse(&a, "\"hi\"", &j, &e), 0);
	assert_string_equal(json_str(&j), "hi");
	assert_int_equal(j.n, 2);
	assert_int_equal(parse(&a, "2.5e-3", &j, &e), 0);
	assert_int_equal(json_get_double(&j, &d), 0);
	assert_true(d > 0.0024999 && d < 0.0025001);
	assert_int_equal(json_get_int(&j, &i), -1);
	arena_release(&a);
}

static void test_numbers(void **state)
{
	static const char *const ok[] = {
		"0", "-0", "1", "10", "-10", "0.5", "-0.0", "1e5", "1E5", "1e+5", "1e-5",
		"123456789012345678901234567890", "1.5e300", "0e0",
	};
	static const char *const bad[] = {
		"01", "-01", "+1", ".5", "1.", "1.e5", "1e", "1e+", "-", "--1", "0x10",
		"NaN", "Infinity", "-Infinity", "1 2", "00",
	};
	struct arena a;
	struct json j;
	struct json_error e;
	int64_t v;

	(void)state;
	arena_init(&a, 0);
	for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
		assert_int_equal(parse(&a, ok[k], &j, &e), 0);
		assert_int_equal(j.type, JSON_NUMBER);
		assert_int_equal(j.n, strlen(ok[k]));
	}
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		if (parse(&a, bad[k], &j, &e) == 0)
			fail_msg("accepted invalid number %s", bad[k]);
	}
	/* int64 limits */
	assert_int_equal(parse(&a, "9223372036854775807", &j, &e), 0);
	assert_int_equal(json_get_int(&j, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse(&a, "-9223372036854775808", &j, &e), 0);
	assert_int_equal(json_get_int(&j, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(parse(&a, "9223372036854775808", &j, &e), 0);
	assert_int_equal(json_get_int(&j, &v), -1);
	assert_int_equal(parse(&a, "1e400", &j, &e), 0);
	{
		double d;
		assert_int_equal(json_get_double(&j, &d), -1);
	}
	arena_release(&a);
}

static void test_strings(void **state)
{
	struct arena a;
	struct json j;
	struct json_error e;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(parse(&a, "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", &j, &e), 0);
	assert_string_equal(j.u.s, "a\"b\\c/d\b\f\n\r\t");
	assert_int_equal(j.n, 12);
	/* \u escapes: 1, 2, 3 byte UTF-8 and a surrogate pair */
	assert_int_equal(parse(&a, "\"\\u0041\\u00e9\\u20AC\\ud83d\\ude00\"", &j, &e), 0);
	assert_string_equal(j.u.s, "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	/* lone surrogates become U+FFFD; a high one followed by a non-low one too */
	assert_int_equal(parse(&a, "\"x\\ud800y\"", &j, &e), 0);
	assert_string_equal(j.u.s, "x\xef\xbf\xbdy");
	assert_int_equal(parse(&a, "\"\\udc00\"", &j, &e), 0);
	assert_string_equal(j.u.s, "\xef\xbf\xbd");
	assert_int_equal(parse(&a, "\"\\ud800\\u0041\"", &j, &e), 0);
	assert_string_equal(j.u.s, "\xef\xbf\xbd" "A");
	/* \u0000 is kept: n counts it */
	assert_int_equal(parse(&a, "\"a\\u0000b\"", &j, &e), 0);
	assert_int_equal(j.n, 3);
	assert_memory_equal(j.u.s, "a\0b", 3);
	/* raw UTF-8 and even invalid UTF-8 pass through as bytes */
	assert_int_equal(parse(&a, "\"\xc3\xa9\xff\"", &j, &e), 0);
	assert_string_equal(j.u.s, "\xc3\xa9\xff");
	/* long strings exercise the vector scanner and its tail */
	{
		char text[200], want[200];
		for (int len = 0; len < 60; len++) {
			text[0] = '"';
			for (int k = 0; k < len; k++)
				text[1 + k] = want[k] = (char)('a' + k % 26);
			text[1 + len] = '"';
			text[2 + len] = '\0';
			want[len] = '\0';
			assert_int_equal(parse(&a, text, &j, &e), 0);
			assert_string_equal(j.u.s, want);
			/* with an escape at every position */
			if (len > 0) {
				text[1 + len / 2] = '\\';
				memmove(text + 3 + len / 2, text + 2 + len / 2,
					(size_t)len - len / 2 + 1);
				text[2 + len / 2] = 'n';
				want[len / 2] = '\n';
				assert_int_equal(parse(&a, text, &j, &e), 0);
				assert_string_equal(j.u.s, want);
			}
		}
	}
	arena_release(&a);
}

static void test_containers(void **state)
{
	struct arena a;
	struct json j;
	struct json_error e;
	const struct json *v;
	int64_t i;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(parse(&a, "{\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"x\"}},"
				   "\"spec\":{\"ports\":[{\"port\":80},{\"port\":443}]},"
				   "\"e\":{},\"f\":[],\"k\":1,\"k\":2}", &j, &e), 0);
	assert_int_equal(j.type, JSON_OBJECT);
	assert_int_equal(j.n, 6);
	assert_string_equal(json_str(json_path(&j, "metadata", "name", NULL)), "web");
	assert_string_equal(json_str(json_path(&j, "metadata", "labels", "app", NULL)), "x");
	assert_null(json_path(&j, "metadata", "nope", "x", NULL));
	v = json_path(&j, "spec", "ports", NULL);
	assert_true(json_is(v, JSON_ARRAY));
	assert_int_equal(v->n, 2);
	assert_int_equal(json_get_int(json_get(json_at(v, 1), "port"), &i), 0);
	assert_int_equal(i, 443);
	assert_null(json_at(v, 2));
	assert_null(json_at(&j, 0));
	assert_int_equal(json_path(&j, "e", NULL)->n, 0);
	assert_true(json_is(json_get(&j, "f"), JSON_ARRAY));
	/* repeated keys: first match */
	assert_int_equal(json_get_int(json_get(&j, "k"), &i), 0);
	assert_int_equal(i, 1);
	/* members in document order */
	assert_string_equal(j.u.members[0].key, "metadata");
	assert_string_equal(j.u.members[5].key, "k");
	/* escaped key */
	assert_int_equal(parse(&a, "{\"a\\u0062\": [true, null, [[]]]}", &j, &e), 0);
	assert_non_null(json_get(&j, "ab"));
	assert_int_equal(json_get(&j, "ab")->u.items[2].u.items[0].type, JSON_ARRAY);
	/* NULL-safe accessors */
	assert_null(json_get(NULL, "a"));
	assert_null(json_str(NULL));
	assert_null(json_str(&j));
	assert_int_equal(json_get_int(NULL, &i), -1);
	assert_string_equal(json_type_name(&j), "object");
	assert_string_equal(json_type_name(json_get(&j, "ab")), "array");
	assert_string_equal(json_type_name(NULL), "null");
	arena_release(&a);
}

static void test_depth(void **state)
{
	struct arena a;
	struct json j;
	struct json_error e;
	size_t n = JSON_MAX_DEPTH;
	char *b = malloc(2 * n + 10);

	(void)state;
	arena_init(&a, 0);
	memset(b, '[', n);
	memset(b + n, ']', n);
	assert_int_equal(json_parse(b, 2 * n, &a, &j, &e), 0);
	memset(b, '[', n + 1);
	memset(b + n + 1, ']', n + 1);
	assert_int_equal(json_parse(b, 2 * n + 2, &a, &j, &e), -1);
	assert_non_null(strstr(e.msg, "nesting deeper"));
	assert_int_equal(e.offset, n);
	assert_int_equal(e.col, n + 1);
	free(b);
	arena_release(&a);
}

struct bad {
	const char *text;
	unsigned line, col;
	const char *msg;
};

static void test_errors(void **state)
{
	static const struct bad cases[] = {
		{ "", 1, 1, "no JSON value" },
		{ " \n  ", 2, 3, "no JSON value" },
		{ "[1,2,]", 1, 6, "trailing comma in array" },
		{ "{\"a\":1,}", 1, 8, "trailing comma in object" },
		{ "{\n  \"a\" 1}", 2, 7, "expected ':' after object key" },
		{ "{\"a\":1 \"b\":2}", 1, 8, "expected ',' or '}' after object member" },
		{ "[1 2]", 1, 4, "expected ',' or ']' after array item" },
		{ "{a:1}", 1, 2, "expected '\"' to start an object key" },
		{ "[\n\n   01]", 3, 4, "leading zero" },
		{ "[1.]", 1, 4, "expected digit after '.'" },
		{ "-x", 1, 2, "expected digit after '-'" },
		{ "1e+x", 1, 4, "expected digit in exponent" },
		{ "\"abc", 1, 5, "unexpected end of input" },
		{ "[\"a\\qb\"]", 1, 4, "invalid escape '\\q'" },
		{ "\"\\u12G4\"", 1, 2, "invalid \\u escape" },
		{ "\"a\tb\"", 1, 3, "control character 0x09" },
		{ "{\"a\":[1,\n{\"b\":\n", 3, 1, "unexpected end of input" },
		{ "[tru]", 1, 2, "invalid literal" },
		{ "nul", 1, 4, "unexpected end of input" },
		{ "[1] x", 1, 5, "unexpected 'x' after the JSON value" },
		{ "// c\n1", 1, 1, "comments are not allowed" },
		{ "['a']", 1, 2, "strings must use double quotes" },
		{ "[NaN]", 1, 2, "invalid number or literal" },
		{ "[}", 1, 2, "expected a value, found '}'" },
		{ "\x01", 1, 1, "expected a value, found byte 0x01" },
		/* line counting is right after decoded "\n" escapes */
		{ "[\"a\\nb\\nc\",\n \"\\n\", x]", 2, 8, "expected a value" },
	};
	struct arena a;
	struct json j;
	struct json_error e;

	(void)state;
	arena_init(&a, 0);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct bad *c = &cases[k];
		memset(&e, 0, sizeof(e));
		if (parse(&a, c->text, &j, &e) != -1)
			fail_msg("case %zu accepted", k);
		if (e.line != c->line || e.col != c->col || !strstr(e.msg, c->msg))
			fail_msg("case %zu: got %u:%u: %s, want %u:%u: %s", k, e.line, e.col,
				 e.msg, c->line, c->col, c->msg);
		/* offset and line/col agree */
		{
			struct json_error l = { .offset = e.offset };
			json_error_locate(c->text, strlen(c->text), &l);
			assert_int_equal(l.line, e.line);
			assert_int_equal(l.col, e.col);
		}
	}
	arena_release(&a);
}

static void test_bom_utf16(void **state)
{
	struct arena a;
	struct json j;
	struct json_error e;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(parse(&a, "\xef\xbb\xbf{\"a\":1}", &j, &e), 0);
	assert_int_equal(parse(&a, "\xff\xfe{\0", &j, &e), -1);
	assert_non_null(strstr(e.msg, "UTF-16"));
	arena_release(&a);
}

static void test_next(void **state)
{
	struct arena a;
	struct json j;
	struct json_error e;
	char text[] = "{\"a\":1} [2]\n\"s\"  \n";
	char bad[] = "1\n2\n [x]";
	size_t pos = 0, len = strlen(text);

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(json_parse_next(text, len, &pos, &a, &j, &e), 0);
	assert_int_equal(j.type, JSON_OBJECT);
	assert_int_equal(pos, 7);
	assert_int_equal(json_parse_next(text, len, &pos, &a, &j, &e), 0);
	assert_int_equal(j.type, JSON_ARRAY);
	assert_int_equal(json_parse_next(text, len, &pos, &a, &j, &e), 0);
	assert_string_equal(json_str(&j), "s");
	assert_int_equal(json_parse_next(text, len, &pos, &a, &j, &e), 1);
	/* errors carry the position in the whole buffer */
	pos = 0;
	len = strlen(bad);
	assert_int_equal(json_parse_next(bad, len, &pos, &a, &j, &e), 0);
	assert_int_equal(json_parse_next(bad, len, &pos, &a, &j, &e), 0);
	assert_int_equal(json_parse_next(bad, len, &pos, &a, &j, &e), -1);
	assert_int_equal(e.line, 3);
	assert_int_equal(e.col, 3);
	assert_int_equal(e.offset, 6);
	arena_release(&a);
}

static void test_clone(void **state)
{
	struct arena a, b;
	struct json j, c;
	struct json_error e;
	int64_t i;

	(void)state;
	arena_init(&a, 0);
	arena_init(&b, 0);
	assert_int_equal(parse(&a, "{\"x\":[1,\"t\\n\",{\"y\":null}],\"z\":true}", &j, &e), 0);
	json_clone(&b, &j, &c);
	arena_release(&a); /* the clone must not depend on the original */
	assert_int_equal(c.n, 2);
	assert_string_equal(json_str(json_at(json_get(&c, "x"), 1)), "t\n");
	assert_int_equal(json_get_int(json_at(json_get(&c, "x"), 0), &i), 0);
	assert_int_equal(i, 1);
	assert_int_equal(json_path(&c, "z", NULL)->type, JSON_TRUE);
	assert_int_equal(json_get(json_at(json_get(&c, "x"), 2), "y")->type, JSON_NULL);
	arena_release(&b);
}

/* A big generated document: many members, deep-ish, long strings. */
static void test_big(void **state)
{
	struct arena a;
	struct json j;
	struct json_error e;
	size_t cap = 1 << 20, n = 0;
	char *b = malloc(cap);
	int count = 20000;

	(void)state;
	arena_init(&a, 0);
	n += (size_t)snprintf(b + n, cap - n, "{\"items\": [\n");
	for (int k = 0; k < count; k++)
		n += (size_t)snprintf(b + n, cap - n, "%s {\"i\": %d, \"s\": \"v%d\\\"q\"}\n",
				      k ? "," : "", k, k);
	n += (size_t)snprintf(b + n, cap - n, "]}");
	assert_true(n < cap);
	assert_int_equal(json_parse(b, n, &a, &j, &e), 0);
	const struct json *it = json_get(&j, "items");
	assert_int_equal(it->n, (unsigned)count);
	for (int k = 0; k < count; k += 997) {
		int64_t v;
		char want[32];
		assert_int_equal(json_get_int(json_get(json_at(it, (size_t)k), "i"), &v), 0);
		assert_int_equal(v, k);
		snprintf(want, sizeof(want), "v%d\"q", k);
		assert_string_equal(json_str(json_get(json_at(it, (size_t)k), "s")), want);
	}
	free(b);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_containers),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bom_utf16),
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_clone),
		cmocka_unit_test(test_big),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
