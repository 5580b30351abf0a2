/*
 * test_json_stream: streamed reading (json_stream_fd / json_stream_buf):
 * windows of every small size, pipes, List envelopes, concatenated
 * documents, log blocks and exact error positions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/json/json_stream.h"
#include "../../src/json/json_write.h"

/* Everything the callbacks saw, as text. */
struct trace {
	char *text;
	size_t len;
	FILE *f;
	int fail_at;   /* item number whose callback fails, -1 never */
	int n;
};

static int on_item(void *ctx, const struct json_item *it, struct err *err)
{
	struct trace *t = ctx;
	struct json_w w;

	if (t->n++ == t->fail_at)
		return err_set(err, ERR_INPUT, "callback says no");
	fprintf(t->f, "item doc=%zu list=%d idx=%zu line=%u kind=%s api=%s: ", it->doc,
		it->in_list, it->index, it->line, it->list_kind ? it->list_kind : "-",
		it->list_api_version ? it->list_api_version : "-");
	json_w_init(&w, t->f, 0);
	json_w_value(&w, it->value);
	fputc('\n', t->f);
	return 0;
}

static int on_end(void *ctx, const struct json *env, size_t doc, struct err *err)
{
	struct trace *t = ctx;
	struct json_w w;

	(void)err;
	fprintf(t->f, "end doc=%zu: ", doc);
	json_w_init(&w, t->f, 0);
	json_w_value(&w, env);
	fputc('\n', t->f);
	return 0;
}

enum mode { M_BUF, M_FILE, M_PIPE };

/* Stream text through one of the modes; returns rc, *out the trace. */
static int run(const char *text, enum mode m, size_t window, unsigned flags, int fail_at,
	       char **out, struct err *err)
{
	struct trace t = { .fail_at = fail_at };
	size_t n = strlen(text);
	int rc = -1;

	t.f = open_memstream(&t.text, &t.len);
	err_clear(err);
	json_stream_set_window(window);
	if (m == M_BUF) {
		char *b = malloc(n + 1);
		memcpy(b, text, n + 1);
		rc = json_stream_buf(b, n, "in", flags, on_item, on_end, &t, err);
		free(b);
	} else if (m == M_FILE) {
		FILE *f = tmpfile();
		assert_non_null(f);
		assert_int_equal(fwrite(text, 1, n, f), n);
		fflush(f);
		rewind(f);
		rc = json_stream_fd(fileno(f), "in", flags, on_item, on_end, &t, err);
		fclose(f);
	} else {
		int p[2];
		pid_t pid;
		assert_int_equal(pipe(p), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			/* child: write in small pieces so reads come back short */
			close(p[0]);
			for (size_t o = 0; o < n; o += 7) {
				size_t k = n - o < 7 ? n - o : 7;
				if (write(p[1], text + o, k) != (ssize_t)k)
					_exit(1);
			}
			_exit(0);
		}
		close(p[1]);
		rc = json_stream_fd(p[0], "in", flags, on_item, on_end, &t, err);
		close(p[0]);
		waitpid(pid, NULL, 0);
	}
	json_stream_set_window(0);
	fclose(t.f);
	*out = t.text;
	return rc;
}

static const char list_doc[] =
	"{\n"
	"    \"apiVersion\": \"v1\",\n"
	"    \"items\": [\n"
	"        {\"kind\": \"Pod\", \"metadata\": {\"name\": \"a\\n\\\"b\\\"\", \"n\": -1.5e3}},\n"
	"        {\"kind\": \"Pod\", \"s\": \"\\u00e9\\ud83d\\ude00\\u0041\",\n"
	"         \"t\": [true, false, null]},\n"
	"        \"scalar item\",\n"
	"        12345,\n"
	"        {}\n"
	"    ],\n"
	"    \"kind\": \"List\",\n"
	"    \"metadata\": {\"resourceVersion\": \"\"}\n"
	"}\n";

static const char list_want[] =
	"item doc=0 list=1 idx=0 line=4 kind=- api=v1: "
	"{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\\n\\\"b\\\"\",\"n\":-1.5e3}}\n"
	"item doc=0 list=1 idx=1 line=5 kind=- api=v1: "
	"{\"kind\":\"Pod\",\"s\":\"\xc3\xa9\xf0\x9f\x98\x80" "A\",\"t\":[true,false,null]}\n"
	"item doc=0 list=1 idx=2 line=7 kind=- api=v1: \"scalar item\"\n"
	"item doc=0 list=1 idx=3 line=8 kind=- api=v1: 12345\n"
	"item doc=0 list=1 idx=4 line=9 kind=- api=v1: {}\n"
	"end doc=0: {\"apiVersion\":\"v1\",\"kind\":\"List\","
	"\"metadata\":{\"resourceVersion\":\"\"}}\n";

/* The same result whatever the mode and window size. */
static void test_list_windows(void **state)
{
	struct err err;
	char *out;

	(void)state;
	assert_int_equal(run(list_doc, M_BUF, 0, 0, -1, &out, &err), 0);
	assert_string_equal(out, list_want);
	free(out);
	for (size_t w = 16; w < sizeof(list_doc) + 8; w++) {
		for (int m = M_FILE; m <= M_PIPE; m++) {
			if (run(list_doc, (enum mode)m, w, 0, -1, &out, &err) != 0)
				fail_msg("window %zu mode %d: %s", w, m, err.msg);
			if (strcmp(out, list_want) != 0)
				fail_msg("window %zu mode %d: got\n%s", w, m, out);
			free(out);
		}
	}
}

static void test_kind_first(void **state)
{
	struct err err;
	char *out;
	const char *doc = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[{\"a\":1}],"
			  "\"metadata\":{}}";

	(void)state;
	assert_int_equal(run(doc, M_FILE, 16, 0, -1, &out, &err), 0);
	assert_string_equal(out,
		"item doc=0 list=1 idx=0 line=1 kind=PodList api=v1: {\"a\":1}\n"
		"end doc=0: {\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{}}\n");
	free(out);
	/* an object whose "items" is not an array is a plain document */
	assert_int_equal(run("{\"items\": null, \"x\": [1]}", M_PIPE, 16, 0, -1, &out, &err), 0);
	assert_string_equal(out, "item doc=0 list=0 idx=0 line=1 kind=- api=-: "
				 "{\"items\":null,\"x\":[1]}\n");
	free(out);
}

static const char concat_doc[] =
	"{\"kind\": \"Service\", \"spec\": {\"ports\": [80]}}\n"
	"==== START logs for container app of pod shop/api-1 ====\n"
	"log line { not json\n"
	"last line without newline"
	"==== END logs for container app of pod shop/api-1 ====\n"
	"[1,\n 2]\n"
	"==== START logs for container c of pod ns/p ====\n"
	"==== END logs for container c of pod ns/p ====\n"
	"  {\"items\": []}  \"x\" 7\n";

static const char concat_want[] =
	"item doc=0 list=0 idx=0 line=1 kind=- api=-: "
	"{\"kind\":\"Service\",\"spec\":{\"ports\":[80]}}\n"
	"item doc=1 list=0 idx=0 line=5 kind=- api=-: [1,2]\n"
	"end doc=2: {}\n"
	"item doc=3 list=0 idx=0 line=9 kind=- api=-: \"x\"\n"
	"item doc=4 list=0 idx=0 line=9 kind=- api=-: 7\n";

static void test_concat_logs(void **state)
{
	struct err err;
	char *out;

	(void)state;
	for (size_t w = 16; w < 200; w += 13) {
		for (int m = M_BUF; m <= M_PIPE; m++) {
			if (run(concat_doc, (enum mode)m, w, JSON_STREAM_SKIP_LOG_BLOCKS, -1, &out,
				&err) != 0)
				fail_msg("window %zu mode %d: %s", w, m, err.msg);
			if (strcmp(out, concat_want) != 0)
				fail_msg("window %zu mode %d: got\n%s", w, m, out);
			free(out);
		}
	}
	/* without the flag the log block is a syntax error at its first byte */
	assert_int_equal(run(concat_doc, M_FILE, 32, 0, -1, &out, &err), -1);
	free(out);
	assert_string_equal(err.msg, "in:2:1: expected a value, found '='");
	/* a log block without its END line */
	assert_int_equal(run("1\n==== START logs for container c of pod a/b ====\nx\n", M_PIPE,
			     16, JSON_STREAM_SKIP_LOG_BLOCKS, -1, &out, &err), -1);
	free(out);
	assert_string_equal(err.msg, "in:2:1: log block has no END line");
	/* a header line longer than 512 bytes is not a log block header */
	{
		char doc[1200];
		int k = snprintf(doc, sizeof(doc), "1\n==== START logs for container ");
		memset(doc + k, 'c', 600);
		snprintf(doc + k + 600, sizeof(doc) - (size_t)k - 600, " of pod a/b ====\n");
		for (int m = M_BUF; m <= M_PIPE; m++) {
			assert_int_equal(run(doc, (enum mode)m, 16, JSON_STREAM_SKIP_LOG_BLOCKS, -1,
					     &out, &err), -1);
			free(out);
			assert_string_equal(err.msg, "in:2:1: malformed log block header");
		}
	}
}

struct bad {
	const char *text;
	const char *msg;
};

static void test_errors(void **state)
{
	static const struct bad cases[] = {
		{ "", "in:1:1: no JSON value" },
		{ " \n\n  ", "in:3:3: no JSON value" },
		{ "{\"items\": [\n  {\"a\": 1},\n  {\"b\": 2,}\n]}",
		  "in:3:11: trailing comma in object" },
		{ "{\"items\": [\n  {\"a\": 1},\n  {\"b\": 2", "in:3:10: unexpected end of input" },
		{ "{\"items\": [\n  {\"a\": 1},\n", "in:3:1: unexpected end of input" },
		{ "{\"items\": [1,]}", "in:1:14: trailing comma in array" },
		{ "{\"items\": [1 2]}",
		  "in:1:14: expected ',' or ']' after array item, found '2'" },
		{ "{\"items\": [1], \"kind\" \"x\"}",
		  "in:1:23: expected ':' after object key, found '\"'" },
		{ "{\"items\": [1], }", "in:1:16: trailing comma in object" },
		{ "{\"items\": [1] \"kind\"}",
		  "in:1:15: expected ',' or '}' after object member, found '\"'" },
		{ "{\"a\": 1}\n{\"b\": \"x\\qy\"}", "in:2:9: invalid escape '\\q' in string" },
		{ "[1]\n\n   ]", "in:3:4: expected a value, found ']'" },
		{ "{\"items\":[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\n\"b\" x]}",
		  "in:2:5: expected ',' or ']' after array item, found 'x'" },
	};
	struct err err;
	char *out;

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		for (int m = M_BUF; m <= M_PIPE; m++) {
			for (size_t w = 16; w <= 64; w += 48) {
				if (run(cases[k].text, (enum mode)m, w, 0, -1, &out, &err) != -1)
					fail_msg("case %zu mode %d accepted", k, m);
				free(out);
				if (strcmp(err.msg, cases[k].msg) != 0)
					fail_msg("case %zu mode %d window %zu: got '%s' want '%s'",
						 k, m, w, err.msg, cases[k].msg);
				assert_int_equal(err.code, ERR_INPUT);
			}
		}
	}
}

/* Error positions far into a big input, across many window refills. */
static void test_error_far(void **state)
{
	size_t cap = 1 << 20, n = 0;
	char *b = malloc(cap), *out, want[64];
	struct err err;
	int lines = 3;

	(void)state;
	n += (size_t)snprintf(b + n, cap - n, "{\n\"items\": [\n");
	for (int k = 0; k < 5000; k++, lines++)
		n += (size_t)snprintf(b + n, cap - n, "  {\"n\": %d, \"s\": \"x\\ty\"},\n", k);
	n += (size_t)snprintf(b + n, cap - n, "  {\"n\": tru}]}\n");
	snprintf(want, sizeof(want), "in:%d:9: invalid literal (expected 'true')", lines);
	for (int m = M_BUF; m <= M_PIPE; m++) {
		assert_int_equal(run(b, (enum mode)m, 4096, 0, -1, &out, &err), -1);
		assert_string_equal(err.msg, want);
		assert_int_equal(strlen(out) > 5000 * 20, 1);
		free(out);
	}
	free(b);
}

static void test_callback_error(void **state)
{
	struct err err;
	char *out;

	(void)state;
	assert_int_equal(run(list_doc, M_FILE, 32, 0, 2, &out, &err), -1);
	assert_string_equal(err.msg, "callback says no");
	/* two items were delivered before */
	assert_non_null(strstr(out, "idx=1"));
	assert_null(strstr(out, "idx=2"));
	free(out);
}

/* A value bigger than the initial window makes the window grow. */
static void test_big_item(void **state)
{
	size_t n = 300000;
	char *b = malloc(n + 64), *out;
	struct err err;

	(void)state;
	memcpy(b, "[\"", 2);
	memset(b + 2, 'z', n);
	memcpy(b + 2 + n, "\\n\", 1]", 8);
	for (int m = M_FILE; m <= M_PIPE; m++) {
		assert_int_equal(run(b, (enum mode)m, 16, 0, -1, &out, &err), 0);
		size_t head = strlen("item doc=0 list=0 idx=0 line=1 kind=- api=-: ");
		assert_int_equal(strlen(out), head + n + 9);
		free(out);
	}
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_windows),
		cmocka_unit_test(test_kind_first),
		cmocka_unit_test(test_concat_logs),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_far),
		cmocka_unit_test(test_callback_error),
		cmocka_unit_test(test_big_item),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
