/*
 * render: the report of `ingress-doctor logs`.
 *
 * Text (for people): totals, status counts, 5xx per upstream and per
 * address, error classes, controller facts, a per-minute timeline of
 * 502/503/504 as a sparkline (UTF-8 blocks, or ASCII), the findings and
 * notes. JSON (for programs, interface.md): { "findings": [same shape as
 * diagnose], "statistics": {...}, "notes": [...], "summary": {...} }.
 */
#ifndef ID_LOGS_RENDER_H
#define ID_LOGS_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "../findings/findings.h"
#include "scan.h"
#include "stats.h"

struct log_render_opts {
	bool color;
	bool utf8;                 /* sparkline with block characters */
	int verbose;               /* -v: every upstream, address and evidence line */
};

/* d must be sorted (diag_sort). Return 0, or -1 when writing failed. */
int log_render_text(FILE *f, const struct log_stats *s, const struct log_input *in, size_t nin,
		    const struct diag *d, const struct log_render_opts *o);
int log_render_json(FILE *f, const struct log_stats *s, const struct log_input *in, size_t nin,
		    const struct diag *d);

/*
 * The sparkline of v[0..n) into out (NUL-terminated, truncated to fit):
 * one column per value, ' ' for 0, then 8 levels up to max: U+2581..U+2588
 * when utf8, else "_.-=+*#@".
 */
void log_sparkline(char *out, size_t outlen, const uint64_t *v, size_t n, uint64_t max,
		   bool utf8);

#endif
