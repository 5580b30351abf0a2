/*
 * test_logtext: logs held in memory, as a live diagnosis fetches them
 * (pods/log): model_add_log_text() copies the text into the model and
 * model_logs_for() returns it beside file logs; log_scan_text() counts a
 * buffer exactly as log_scan_path() counts the same bytes in a file
 * (CRLF, kubectl --timestamps and CRI prefixes, a last line without
 * '\n', too-long lines, whose sample never reaches past the line), and
 * its samples cite the name given.
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
#include "../../src/model/model.h"
#include "../../src/util/xalloc.h"

#define ACC(st, addr, ust) "1.2.3.4 - - [17/Apr/2023:20:24:55 +0000] \"GET / HTTP/1.1\" " st \
	" 0 \"-\" \"x\" 1 0.0 [ns-a-80] [] " addr " 0 0.000 " ust \
	" 0123456789abcdef0123456789abcdef"

#define REFUSED "2023/04/17 20:24:55 [error] 31#31: *5 connect() failed (111: Connection " \
	"refused) while connecting to upstream, client: 1.2.3.4, server: _, request: \"GET / " \
	"HTTP/1.1\", upstream: \"http://10.0.0.1:80/\", host: \"a\""

/* CRLF, a kubectl --timestamps prefix, a CRI prefix, junk, a blank line, no final '\n' */
static const char text[] =
	ACC("502", "10.0.0.1:80, 10.0.0.2:80", "502, 502") "\r\n"
	"2023-04-17T20:24:55.123456789Z " ACC("200", "10.0.0.3:80", "200") "\n"
	"2023-04-17T20:24:55.123456789Z stderr F " REFUSED "\n"
	"junk\n"
	"\n"
	REFUSED;

static void check_counts(const struct log_stats *s)
{
	assert_int_equal(s->lines, 6);
	assert_int_equal(s->access, 2);
	assert_int_equal(s->errors, 2);
	assert_int_equal(s->unknown, 1);
	assert_int_equal(s->empty, 1);
	assert_int_equal(s->status[502], 1);
	assert_int_equal(s->status[200], 1);
	assert_int_equal(s->cls[LC_CONNECT_REFUSED], 2);
}

static void test_text_equals_file(void **state)
{
	char tmpl[] = "/tmp/test_logtext.XXXXXX";
	struct log_stats sf, st;
	struct log_input in;
	struct warnings w;
	struct err err = ERR_INIT;
	char *name = xstrdup("ingress-nginx/ctl-0");
	int fd;

	(void)state;
	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	warnings_init(&w);
	log_stats_init(&sf);
	log_stats_init(&st);
	assert_int_equal(log_scan_path(tmpl, &sf, &w, NULL, NULL, &err), 0);
	log_scan_text(name, text, sizeof(text) - 1, &st, NULL, &in);
	unlink(tmpl);
	check_counts(&sf);
	check_counts(&st);
	assert_int_equal(in.lines, 6);
	assert_int_equal(in.bytes, sizeof(text) - 1);
	assert_false(in.gzip);
	/* the samples cite the name given, copied: the caller's string may go */
	memset(name, 'x', strlen(name));
	free(name);
	assert_non_null(st.cls_sample[LC_CONNECT_REFUSED].file);
	assert_string_equal(st.cls_sample[LC_CONNECT_REFUSED].file, "ingress-nginx/ctl-0");
	assert_string_equal(in.name, "ingress-nginx/ctl-0");
	assert_string_equal(sf.cls_sample[LC_CONNECT_REFUSED].file, tmpl);
	assert_int_equal(st.cls_sample[LC_CONNECT_REFUSED].line,
			 sf.cls_sample[LC_CONNECT_REFUSED].line);
	assert_string_equal(st.cls_sample[LC_CONNECT_REFUSED].text,
			    sf.cls_sample[LC_CONNECT_REFUSED].text);
	log_stats_finish(&sf);
	log_stats_finish(&st);
	assert_int_equal(st.nup, sf.nup);
	assert_int_equal(st.naddr, sf.naddr);
	assert_int_equal(w.total, 0);
	log_stats_release(&sf);
	log_stats_release(&st);
	warnings_release(&w);
}

static void test_text_edges(void **state)
{
	struct log_scan_opts o = { .max_line = 10 };
	struct log_stats s;
	struct log_input in;

	(void)state;
	log_stats_init(&s);
	log_scan_text("a/b", "", 0, &s, NULL, &in);
	log_scan_text("a/b", NULL, 0, &s, NULL, NULL);
	assert_int_equal(s.lines, 0);
	assert_int_equal(in.lines, 0);
	/* too long: counted, never parsed; the short line after it still is */
	log_scan_text("a/b", "0123456789abcdef\nshort\n", 23, &s, &o, &in);
	assert_int_equal(in.lines, 2);
	assert_int_equal(s.lines, 2);
	assert_int_equal(s.too_long, 1);
	/* its sample is its head, never the bytes after it */
	assert_int_equal(s.nunknown_sample, 2);
	assert_string_equal(s.unknown_sample[0].text, "0123456789abcdef");
	assert_string_equal(s.unknown_sample[0].file, "a/b");
	assert_string_equal(s.unknown_sample[1].text, "short");
	assert_int_equal(s.unknown_sample[1].line, 2);
	/* len bounds the buffer: bytes after it are not read */
	log_scan_text("a/b", "one\ntwo\nthree\n", 4, &s, NULL, &in);
	assert_int_equal(in.lines, 1);
	assert_int_equal(s.lines, 3);
	log_stats_release(&s);
}

static void test_model_log_text(void **state)
{
	struct warnings w;
	struct model m;
	const struct pod_log **logs;
	char *buf = xstrdup("line one\nline two\n");
	size_t n = strlen(buf);

	(void)state;
	warnings_init(&w);
	model_init(&m, &w);
	model_add_log(&m, "ns", "ctl-0", "/snap/ns/ctl-0/logs.txt");
	model_add_log_text(&m, "ns", "ctl-0", buf, n);
	model_add_log_text(&m, "ns", "ctl-1", "", 0);
	model_add_log_text(&m, NULL, "ctl-2", "x", 1);       /* ignored */
	/* the model holds its own copy */
	memset(buf, 'z', n);
	free(buf);
	model_finish(&m);
	model_add_log_text(&m, "ns", "ctl-3", "late", 4);     /* after finish: ignored */
	assert_int_equal(m.nlogs, 3);
	assert_int_equal(model_logs_for(&m, "ns", "ctl-0", &logs), 2);
	assert_string_equal(logs[0]->path, "/snap/ns/ctl-0/logs.txt");
	assert_null(logs[0]->text);
	assert_null(logs[1]->path);
	assert_int_equal(logs[1]->len, n);
	assert_memory_equal(logs[1]->text, "line one\nline two\n", n);
	assert_int_equal(logs[1]->text[n], '\0');
	assert_string_equal(logs[1]->ns, "ns");
	assert_string_equal(logs[1]->pod, "ctl-0");
	assert_int_equal(model_logs_for(&m, "ns", "ctl-1", &logs), 1);
	assert_null(logs[0]->path);
	assert_int_equal(logs[0]->len, 0);
	assert_string_equal(logs[0]->text, "");
	assert_int_equal(model_logs_for(&m, "ns", "ctl-2", &logs), 0);
	assert_int_equal(model_logs_for(&m, "ns", "ctl-3", &logs), 0);
	model_release(&m);
	warnings_release(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_equals_file),
		cmocka_unit_test(test_text_edges),
		cmocka_unit_test(test_model_log_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
