/*
 * test_logscan: reading log inputs (src/logs/scan.c) and counting them
 * (stats, judge): gzip (whole, concatenated, truncated, corrupt), long
 * lines on the mapped and streamed paths, empty input, binary junk,
 * splitting a file across threads, unreadable inputs, and the findings
 * a small mixed log yields.
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
#include <zlib.h>

#include "../../src/logs/judge.h"
#include "../../src/logs/scan.h"

static char dir[64];

#define ACC(st, addr, ust) "1.2.3.4 - - [17/Apr/2023:20:24:55 +0000] \"GET / HTTP/1.1\" " st \
	" 0 \"-\" \"x\" 1 0.0 [ns-a-80] [] " addr " 0 0.000 " ust \
	" 0123456789abcdef0123456789abcdef\n"

static const char mixed[] =
	ACC("502", "10.0.0.1:80, 10.0.0.2:80", "502, 502")
	ACC("200", "10.0.0.3:80", "200")
	"2023/04/17 20:24:55 [error] 31#31: *5 connect() failed (111: Connection refused) while "
	"connecting to upstream, client: 1.2.3.4, server: _, request: \"GET / HTTP/1.1\", "
	"upstream: \"http://10.0.0.1:80/\", host: \"a\"\r\n"
	"junk\n"
	"\n";

static const char *path(const char *name)
{
	static char p[128];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static void write_file(const char *name, const void *data, size_t n)
{
	FILE *f = fopen(path(name), "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void write_gz(const char *name, const char *data, size_t n)
{
	gzFile g = gzopen(path(name), "wb");
	assert_non_null(g);
	assert_int_equal(gzwrite(g, data, (unsigned)n), (int)n);
	gzclose(g);
}

static size_t file_size(const char *name)
{
	FILE *f = fopen(path(name), "rb");
	long n;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return (size_t)n;
}

static int scan(const char *name, struct log_stats *s, struct warnings *w,
		const struct log_scan_opts *o, struct log_input *in)
{
	struct err err = ERR_INIT;
	return log_scan_path(path(name), s, w, o, in, &err);
}

static void check_mixed(const struct log_stats *s)
{
	assert_int_equal(s->lines, 5);
	assert_int_equal(s->access, 2);
	assert_int_equal(s->errors, 1);
	assert_int_equal(s->unknown, 1);
	assert_int_equal(s->empty, 1);
	assert_int_equal(s->status[502], 1);
	assert_int_equal(s->cls[LC_CONNECT_REFUSED], 1);
	assert_int_equal(s->cls[LC_A_CONNECT_FAILED], 1);
}

static void test_plain_and_gzip(void **state)
{
	struct log_stats s;
	struct warnings w;
	struct log_input in;

	(void)state;
	write_file("mixed.log", mixed, sizeof(mixed) - 1);
	write_gz("mixed.log.gz", mixed, sizeof(mixed) - 1);
	for (int i = 0; i < 2; i++) {
		log_stats_init(&s);
		warnings_init(&w);
		assert_int_equal(scan(i ? "mixed.log.gz" : "mixed.log", &s, &w, NULL, &in), 0);
		assert_int_equal(in.gzip, i == 1);
		assert_false(in.damaged);
		assert_int_equal(in.lines, 5);
		assert_int_equal(w.total, 0);
		check_mixed(&s);
		warnings_release(&w);
		log_stats_release(&s);
	}
}

static void test_gzip_concatenated(void **state)
{
	char *two = malloc(2 * sizeof(mixed));
	size_t n1;
	struct log_stats s;
	struct warnings w;
	FILE *f;

	(void)state;
	write_gz("a.gz", mixed, sizeof(mixed) - 1);
	n1 = file_size("a.gz");
	f = fopen(path("a.gz"), "rb");
	assert_int_equal(fread(two, 1, n1, f), n1);
	fclose(f);
	memcpy(two + n1, two, n1);
	write_file("two.gz", two, 2 * n1);
	log_stats_init(&s);
	warnings_init(&w);
	assert_int_equal(scan("two.gz", &s, &w, NULL, NULL), 0);
	assert_int_equal(s.lines, 10);
	assert_int_equal(s.access, 4);
	assert_int_equal(w.total, 0);
	warnings_release(&w);
	log_stats_release(&s);
	free(two);
}

static void test_gzip_truncated_and_corrupt(void **state)
{
	size_t big = 200000, n;
	char *data = malloc(big * (sizeof(mixed) - 1)), *gz;
	struct log_stats s;
	struct warnings w;
	struct log_input in;
	FILE *f;

	(void)state;
	for (size_t i = 0; i < big; i++)
		memcpy(data + i * (sizeof(mixed) - 1), mixed, sizeof(mixed) - 1);
	write_gz("big.gz", data, big * (sizeof(mixed) - 1));
	n = file_size("big.gz");
	gz = malloc(n);
	f = fopen(path("big.gz"), "rb");
	assert_int_equal(fread(gz, 1, n, f), n);
	fclose(f);
	/* truncated in the middle */
	write_file("cut.gz", gz, n / 2);
	log_stats_init(&s);
	warnings_init(&w);
	assert_int_equal(scan("cut.gz", &s, &w, NULL, &in), 0);
	assert_true(in.damaged);
	assert_int_equal(w.total, 1);
	assert_non_null(strstr(w.msg[0], "truncated gzip"));
	assert_true(s.lines > 1000 && s.lines < big * 5);
	warnings_release(&w);
	log_stats_release(&s);
	/* only the header */
	write_file("head.gz", gz, 5);
	log_stats_init(&s);
	warnings_init(&w);
	assert_int_equal(scan("head.gz", &s, &w, NULL, &in), 0);
	assert_true(in.damaged);
	assert_int_equal(s.lines, 0);
	warnings_release(&w);
	log_stats_release(&s);
	/* corrupt bytes in the middle */
	for (size_t i = n / 3; i < n / 3 + 64; i++)
		gz[i] ^= 0x5a;
	write_file("bad.gz", gz, n);
	log_stats_init(&s);
	warnings_init(&w);
	assert_int_equal(scan("bad.gz", &s, &w, NULL, &in), 0);
	assert_true(in.damaged);
	assert_int_equal(w.total, 1);
	warnings_release(&w);
	log_stats_release(&s);
	free(gz);
	free(data);
}

static void test_long_lines(void **state)
{
	size_t big = (1u << 20) + 17;
	char *data = malloc(big + 3 * sizeof(mixed));
	struct log_scan_opts o = { 1, 0, 0 };
	struct log_stats s;
	struct warnings w;

	(void)state;
	/* a 1 MB line is parsed (as unknown), the lines around it count normally */
	memcpy(data, mixed, sizeof(mixed) - 1);
	memset(data + sizeof(mixed) - 1, 'x', big);
	data[sizeof(mixed) - 1 + big] = '\n';
	memcpy(data + sizeof(mixed) + big, mixed, sizeof(mixed) - 1);
	{
		size_t n = 2 * (sizeof(mixed) - 1) + big + 1;
		write_file("long.log", data, n);
		write_gz("long.log.gz", data, n);
	}
	for (int i = 0; i < 2; i++) {
		log_stats_init(&s);
		warnings_init(&w);
		assert_int_equal(scan(i ? "long.log.gz" : "long.log", &s, &w, &o, NULL), 0);
		assert_int_equal(s.lines, 11);
		assert_int_equal(s.access, 4);
		assert_int_equal(s.unknown, 3);
		assert_int_equal(s.too_long, 0);
		log_stats_release(&s);
		/* with a 64 KiB limit it is counted as too long, never buffered whole */
		o.max_line = 1 << 16;
		log_stats_init(&s);
		assert_int_equal(scan(i ? "long.log.gz" : "long.log", &s, &w, &o, NULL), 0);
		assert_int_equal(s.lines, 11);
		assert_int_equal(s.too_long, 1);
		assert_int_equal(s.access, 4);
		assert_int_equal(s.unknown, 2);
		o.max_line = 0;
		warnings_release(&w);
		log_stats_release(&s);
	}
	free(data);
}

static void test_empty_and_junk(void **state)
{
	unsigned char junk[65536];
	struct log_stats s;
	struct warnings w;
	struct log_input in;
	uint32_t x = 12345;

	(void)state;
	write_file("empty.log", "", 0);
	log_stats_init(&s);
	warnings_init(&w);
	assert_int_equal(scan("empty.log", &s, &w, NULL, &in), 0);
	assert_int_equal(s.lines, 0);
	assert_int_equal(in.bytes, 0);
	log_stats_release(&s);
	for (size_t i = 0; i < sizeof(junk); i++) {
		x = x * 1103515245 + 12345;
		junk[i] = (unsigned char)(x >> 16);
	}
	write_file("junk.bin", junk, sizeof(junk));
	log_stats_init(&s);
	assert_int_equal(scan("junk.bin", &s, &w, NULL, &in), 0);
	assert_true(s.lines > 0);
	assert_int_equal(s.unknown + s.empty, s.lines);
	assert_true(s.nunknown_sample <= LS_SAMPLES);
	log_stats_finish(&s);
	warnings_release(&w);
	log_stats_release(&s);
}

static void test_threads_agree(void **state)
{
	size_t reps = 5000, n = reps * (sizeof(mixed) - 1);
	char *data = malloc(n);
	struct log_scan_opts one = { 1, 0, 0 }, two = { 2, 0, 4096 }, many = { 7, 0, 4096 };
	struct log_stats a, b, c;
	struct warnings w;

	(void)state;
	for (size_t i = 0; i < reps; i++)
		memcpy(data + i * (sizeof(mixed) - 1), mixed, sizeof(mixed) - 1);
	write_file("rep.log", data, n);
	warnings_init(&w);
	log_stats_init(&a);
	log_stats_init(&b);
	log_stats_init(&c);
	assert_int_equal(scan("rep.log", &a, &w, &one, NULL), 0);
	assert_int_equal(scan("rep.log", &b, &w, &two, NULL), 0);
	assert_int_equal(scan("rep.log", &c, &w, &many, NULL), 0);
	log_stats_finish(&a);
	log_stats_finish(&b);
	log_stats_finish(&c);
	assert_int_equal(a.lines, reps * 5);
	assert_int_equal(b.lines, a.lines);
	assert_int_equal(c.lines, a.lines);
	assert_int_equal(b.access, a.access);
	assert_int_equal(c.cls[LC_CONNECT_REFUSED], a.cls[LC_CONNECT_REFUSED]);
	assert_int_equal(b.nup, a.nup);
	assert_int_equal(b.up_sorted[0]->requests, a.up_sorted[0]->requests);
	assert_int_equal(c.up_sorted[0]->cls[LC_CONNECT_REFUSED], reps);
	assert_int_equal(b.naddr, a.naddr);
	/* the first unknown sample is the first junk line of the file, in any case */
	assert_int_equal(b.unknown_sample[0].line, 4);
	assert_int_equal(c.unknown_sample[1].line, a.unknown_sample[1].line);
	log_stats_release(&a);
	log_stats_release(&b);
	log_stats_release(&c);
	warnings_release(&w);
	free(data);
}

static void test_unreadable(void **state)
{
	struct log_stats s;
	struct warnings w;
	struct err err = ERR_INIT;

	(void)state;
	log_stats_init(&s);
	warnings_init(&w);
	assert_int_equal(log_scan_path(path("no-such.log"), &s, &w, NULL, NULL, &err), -1);
	assert_int_equal(err.code, ERR_INPUT);
	assert_non_null(strstr(err.msg, "no-such.log"));
	err_clear(&err);
	assert_int_equal(log_scan_path(dir, &s, &w, NULL, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "directory"));
	warnings_release(&w);
	log_stats_release(&s);
}

static void test_findings(void **state)
{
	struct log_stats s;
	struct diag d;
	bool refused = false;

	(void)state;
	log_stats_init(&s);
	log_scan_buffer(&s, mixed, sizeof(mixed) - 1, "m", 1, 0);
	log_stats_finish(&s);
	diag_init(&d);
	log_judge(&s, &d);
	for (size_t i = 0; i < d.nfindings; i++) {
		const struct finding *f = d.findings[i];
		if (!strcmp(f->id, "upstream-connect-refused")) {
			refused = true;
			assert_string_equal(f->kind, "Upstream");
			assert_string_equal(f->name, "ns-a-80");
			assert_int_equal(f->sev, SEV_ERROR);
		}
	}
	assert_true(refused);
	diag_release(&d);
	log_stats_release(&s);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/id-logscan.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_gzip),
		cmocka_unit_test(test_gzip_concatenated),
		cmocka_unit_test(test_gzip_truncated_and_corrupt),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_empty_and_junk),
		cmocka_unit_test(test_threads_agree),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_findings),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
