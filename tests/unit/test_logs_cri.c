/*
 * test_logs_cri: CRI partial lines rejoined before parsing (kubelet splits
 * lines above 16 KiB into "P" parts ended by an "F" part, per stream), in
 * memory, at the end of an input, and in a file split across threads; and
 * the year of klog lines inferred from the log's dated lines (across the
 * December -> January turn) so they join the timeline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/logs/scan.h"
#include "../../src/util/buf.h"
#include "../../src/util/xalloc.h"

#define ACC "10.0.0.50 - - [17/Apr/2023:20:31:05 +0000] \"GET /p HTTP/1.1\" 502 10 \"-\" " \
	"\"curl/8.0\" 90 0.010 [shop-web-80] [] 10.244.1.5:3000 0 0.001 502 " \
	"0123456789abcdef0123456789abcdef"
#define ERR "2023/04/17 20:31:05 [error] 31#31: *2205 upstream prematurely closed " \
	"connection while reading response header from upstream, client: 1.2.3.4, server: _, " \
	"request: \"GET /p HTTP/1.1\", upstream: \"http://10.244.1.5:3000/p\", host: \"a\""
#define TS "2023-04-17T20:31:05.123456789Z "

/* "<TS>stream TAG <ACC[from, from + n)>\n" appended to b */
static void part(struct buf *b, const char *stream, const char *tag, size_t from, size_t n)
{
	buf_addf(b, TS "%s %s %.*s\n", stream, tag, (int)n, &ACC[from]);
}

static void scan(struct log_stats *s, const char *text, size_t n)
{
	log_stats_init(s);
	log_scan_text("t", text, n, s, NULL, NULL);
	log_stats_finish(s);
}

static uint64_t web502(const struct log_stats *s)
{
	const struct ls_upstream *u = log_stats_upstream(s, "shop-web-80", 11);
	return u ? u->s502 : 0;
}

/* P, P:tag and F on stdout, a complete stderr line between them */
static void joins_parts(void **state)
{
	struct buf b;
	struct log_stats s;
	size_t n = strlen(ACC);

	(void)state;
	buf_init(&b, 0);
	part(&b, "stdout", "P", 0, 30);
	buf_addf(&b, TS "stderr F " ERR "\n");
	part(&b, "stdout", "P:x", 30, 40);
	part(&b, "stdout", "F", 70, n - 70);
	scan(&s, b.p, b.len);
	assert_int_equal(s.lines, 4);
	assert_int_equal(s.access, 1);
	assert_int_equal(s.errors, 1);
	assert_int_equal(s.unknown, 0);
	assert_int_equal(s.cri_parts, 2);
	assert_int_equal(web502(&s), 1);
	assert_int_equal(s.cls[LC_PREMATURE_CLOSE], 1);
	log_stats_release(&s);
	buf_release(&b);
}

/* An empty first part (the kubelet may split right at a boundary) holds nothing. */
static void empty_first_part(void **state)
{
	struct buf b;
	struct log_stats s;

	(void)state;
	buf_init(&b, 0);
	buf_addf(&b, TS "stdout P \n");
	buf_addf(&b, TS "stdout F %s\n", ACC);
	scan(&s, b.p, b.len);
	assert_int_equal(s.access, 1);
	assert_int_equal(s.unknown, 0);
	assert_int_equal(web502(&s), 1);
	log_stats_release(&s);
	/* a line of empty parts only: one empty line */
	buf_reset(&b);
	buf_addf(&b, TS "stdout P \n");
	buf_addf(&b, TS "stdout F \n");
	scan(&s, b.p, b.len);
	assert_int_equal(s.empty, 1);
	assert_int_equal(s.unknown, 0);
	log_stats_release(&s);
	buf_release(&b);
}

/* A last P with no F: parsed as it is at the end of the input (here: unknown). */
static void flushes_at_end(void **state)
{
	struct buf b;
	struct log_stats s;

	(void)state;
	buf_init(&b, 0);
	buf_addf(&b, TS "stdout F " ACC "\n");
	part(&b, "stdout", "P", 0, 30);
	scan(&s, b.p, b.len);
	assert_int_equal(s.lines, 2);
	assert_int_equal(s.access, 1);
	assert_int_equal(s.unknown, 1);
	assert_non_null(s.unknown_sample[0].text);
	assert_int_equal(s.unknown_sample[0].line, 2);
	log_stats_release(&s);
	buf_release(&b);
}

/* Parts adding up to more than LS_CRI_MAX: one too-long line, memory bounded. */
static void too_long_joined(void **state)
{
	struct buf b;
	struct log_stats s;
	size_t chunk = 16384, parts = LS_CRI_MAX / chunk + 2;
	char *x = xmalloc(chunk + 1);

	(void)state;
	memset(x, 'x', chunk);
	x[chunk] = '\0';
	buf_init(&b, 0);
	for (size_t i = 0; i < parts; i++)
		buf_addf(&b, TS "stdout P %s\n", x);
	buf_addf(&b, TS "stdout F end\n");
	buf_addf(&b, TS "stdout F " ACC "\n");
	scan(&s, b.p, b.len);
	assert_int_equal(s.too_long, 1);
	assert_int_equal(s.access, 1);
	assert_true(s.cri[0].cap <= LS_CRI_MAX);
	log_stats_release(&s);
	buf_release(&b);
	free(x);
}

/* A file split across threads: no cut between a P line and its F line. */
static void split_file(void **state)
{
	char path[] = "/tmp/test_logs_cri.XXXXXX";
	struct log_scan_opts o = { .threads = 4, .split_min = 1 };
	struct log_stats s;
	struct err e = { 0 };
	struct warnings w;
	struct buf b;
	size_t n = strlen(ACC);
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	buf_init(&b, 0);
	for (int i = 0; i < 200; i++) {
		part(&b, "stdout", "P", 0, 50);
		part(&b, "stdout", "P", 50, 50);
		part(&b, "stdout", "F", 100, n - 100);
	}
	assert_int_equal(write(fd, b.p, b.len), (ssize_t)b.len);
	close(fd);
	warnings_init(&w);
	log_stats_init(&s);
	assert_int_equal(log_scan_path(path, &s, &w, &o, NULL, &e), 0);
	log_stats_finish(&s);
	assert_int_equal(s.lines, 600);
	assert_int_equal(s.access, 200);
	assert_int_equal(s.unknown, 0);
	assert_int_equal(web502(&s), 200);
	log_stats_release(&s);
	warnings_release(&w);
	buf_release(&b);
	unlink(path);
}

static int64_t minute_of(int y, int mo, int d, int h, int mi)
{
	char t[64];
	struct ll_str s;

	snprintf(t, sizeof(t), "%04d/%02d/%02d %02d:%02d:00", y, mo, d, h, mi);
	s.p = t;
	s.n = strlen(t);
	return ll_minute_errlog(s);
}

static int mdhm(const char *t)
{
	struct ll_str s = { t, strlen(t) };
	return ll_klog_mdhm(s);
}

static void klog_year(void **state)
{
	int64_t ref = minute_of(2025, 12, 31, 23, 59);

	(void)state;
	assert_int_equal(mdhm("1128 05:31:25.123456"), 11280531);
	assert_int_equal(mdhm("1328 05:31:25.123456"), -1);
	assert_int_equal(ll_minute_mdhm(mdhm("0101 00:02:00.000000"), ref),
			 minute_of(2026, 1, 1, 0, 2));
	assert_int_equal(ll_minute_mdhm(mdhm("1231 23:58:00.000000"), ref),
			 minute_of(2025, 12, 31, 23, 58));
	assert_int_equal(ll_minute_mdhm(mdhm("1230 10:00:00.000000"),
					minute_of(2026, 1, 2, 0, 0)),
			 minute_of(2025, 12, 30, 10, 0));
	assert_int_equal(ll_minute_mdhm(mdhm("0229 12:00:00.000000"),
					minute_of(2024, 3, 1, 0, 0)),
			 minute_of(2024, 2, 29, 12, 0));
	assert_int_equal(ll_minute_mdhm(mdhm("0101 00:02:00.000000"), -1), -1);
}

/* klog lines join the timeline once a dated line gives the year; undated otherwise. */
static void klog_timeline(void **state)
{
	static const char text[] =
		"W1231 23:58:10.000000       7 controller.go:1110] Service \"shop/cart\" does not "
		"have any active Endpoint.\n"
		"10.0.0.50 - - [31/Dec/2025:23:59:05 +0000] \"GET /p HTTP/1.1\" 503 10 \"-\" "
		"\"curl/8.0\" 90 0.010 [shop-cart-80] [] - - - - 0123456789abcdef0123456789abcdef\n"
		"E0101 00:02:10.000000       7 controller.go:100] Dynamic reconfiguration failed\n";
	struct log_stats s;

	(void)state;
	scan(&s, text, sizeof(text) - 1);
	assert_int_equal(s.ntimeline, 3);
	assert_int_equal(s.timeline[0]->minute, minute_of(2025, 12, 31, 23, 58));
	assert_int_equal(s.timeline[0]->noep, 1);
	assert_int_equal(s.timeline[1]->s503, 1);
	assert_int_equal(s.timeline[2]->minute, minute_of(2026, 1, 1, 0, 2));
	assert_int_equal(s.timeline[2]->reload_failed, 1);
	assert_int_equal(s.klog_undated, 0);
	log_stats_release(&s);
	/* no dated line: nothing to place them by */
	scan(&s, text + 0, strchr(text, '\n') + 1 - text);
	assert_int_equal(s.ntimeline, 0);
	assert_int_equal(s.klog_undated, 1);
	log_stats_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(joins_parts),
		cmocka_unit_test(empty_first_part),
		cmocka_unit_test(flushes_at_end),
		cmocka_unit_test(too_long_joined),
		cmocka_unit_test(split_file),
		cmocka_unit_test(klog_year),
		cmocka_unit_test(klog_timeline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
