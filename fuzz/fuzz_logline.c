/*
 * fuzz_logline: libFuzzer target for the log line parsers and the
 * counting behind `ingress-doctor logs` (src/logs/): any bytes, split into
 * lines, must parse, count, judge and render without a crash, and the
 * slices of a parsed line must lie inside the line. The same lines are
 * also fed as CRI container-log lines, partial ("P") or full ("F") by
 * their first byte, so that rejoining parts is fuzzed too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/logs/judge.h"
#include "../src/logs/render.h"
#include "../src/logs/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(struct ll_str v, const char *p, size_t n)
{
	if (v.n && (v.p < p || v.p + v.n > p + n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct log_stats s;
	struct log_line l;
	struct diag d;
	FILE *null;

	/* the whole input as one line */
	memset(&l, 0, sizeof(l));
	logline_parse(p, size, &l);
	inside(l.body, p, size);
	inside(l.a.upstream, p, size);
	inside(l.a.addr, p, size);
	inside(l.a.ustatus, p, size);
	inside(l.a.utime, p, size);
	inside(l.a.ulen, p, size);
	inside(l.e.msg, p, size);
	inside(l.e.peer, p, size);
	inside(l.e.action, p, size);
	inside(l.k.service, p, size);
	{
		struct ll_str part;
		int stream;
		if (ll_cri_split(p, size, &stream, &part)) {
			inside(part, p, size);
			if (stream != 0 && stream != 1)
				abort();
		}
	}
	/* as CRI lines: parts rejoined, whatever their order */
	log_stats_init(&s);
	for (size_t at = 0; at < size;) {
		const char *nl = memchr(p + at, '\n', size - at);
		size_t n = nl ? (size_t)(nl - (p + at)) : size - at;
		char line[4200];
		int k = snprintf(line, sizeof(line), "2024-01-01T00:00:00.5Z %s %s ",
				 p[at] & 2 ? "stderr" : "stdout", p[at] & 1 ? "P" : "F");
		if (n > sizeof(line) - (size_t)k)
			n = sizeof(line) - (size_t)k;
		memcpy(line + k, p + at, n);
		log_stats_line(&s, line, (size_t)k + n, "fuzz", 1);
		at = nl ? (size_t)(nl - p) + 1 : size;
	}
	log_stats_finish(&s);
	log_stats_release(&s);
	/* and as a log: count, judge, render */
	log_stats_init(&s);
	log_scan_buffer(&s, p, size, "fuzz", 1, 4096);
	log_stats_finish(&s);
	diag_init(&d);
	log_judge(&s, &d);
	diag_sort(&d);
	null = fopen("/dev/null", "w");
	if (null) {
		struct log_render_opts o = { false, true, 1 };
		struct log_input in = { "fuzz", size, s.lines, false, false };
		log_render_text(null, &s, &in, 1, &d, &o);
		log_render_json(null, &s, &in, 1, &d);
		fclose(null);
	}
	diag_release(&d);
	log_stats_release(&s);
	return 0;
}
