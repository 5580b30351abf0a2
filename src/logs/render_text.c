/*
 * render_text: the text report of `ingress-doctor logs` (render.h), and
 * the sparkline.
 */
#include "render.h"
#include "../util/buf.h"
#include "../util/ktime.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

#define TOP 15                     /* rows per table without -v */
#define SPARK_WIDTH 60

typedef unsigned long long ull;

void log_sparkline(char *out, size_t outlen, const uint64_t *v, size_t n, uint64_t max,
		   bool utf8)
{
	static const char *const blocks[8] = {
		"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588",
	};
	static const char ascii[] = "_.-=+*#@";
	size_t at = 0;

	if (!outlen)
		return;
	for (size_t i = 0; i < n; i++) {
		const char *c;
		char one[2] = { ' ', 0 };
		size_t cl;
		if (v[i] && max) {
			size_t lv = max > 1 ? (size_t)((v[i] - 1) * 7 / (max - 1)) : 7;
			if (lv > 7)
				lv = 7;
			if (utf8) {
				c = blocks[lv];
			} else {
				one[0] = ascii[lv];
				c = one;
			}
		} else {
			c = one;
		}
		cl = strlen(c);
		if (at + cl + 1 > outlen)
			break;
		memcpy(out + at, c, cl);
		at += cl;
	}
	out[at] = '\0';
}

/* "connect-refused 280, reset 3" for the non-zero classes of cls (5xx-causing first). */
static void classes(struct buf *b, const uint64_t *cls, size_t max_items)
{
	size_t k = 0;

	buf_reset(b);
	for (int pass = 0; pass < 2; pass++)
		for (int c = 1; c < LC__COUNT; c++) {
			const struct log_class_info *ci = log_class_info(c);
			if (!cls[c] || (pass == 0) != (ci->status != 0))
				continue;
			if (k++ == max_items) {
				buf_add(b, ", ...");
				return;
			}
			buf_addf(b, "%s%s %llu", k > 1 ? ", " : "", ci->name, (ull)cls[c]);
		}
	if (!k)
		buf_add(b, "-");
}

static void minute_str(int64_t minute, char *out, size_t n)
{
	char t[32];

	ktime_format(minute * 60, t, sizeof(t));
	/* 2026-11-02T10:04:00Z -> 2026-11-02 10:04 */
	t[10] = ' ';
	t[16] = '\0';
	snprintf(out, n, "%s", t);
}

static uint64_t peak_col(const uint64_t *col, size_t n)
{
	uint64_t max = 0;

	for (size_t c = 0; c < n; c++)
		if (col[c] > max)
			max = col[c];
	return max;
}

/* Upstreams from up_sorted[i] on that have a timeline. */
static size_t rows_left(const struct log_stats *s, size_t i)
{
	size_t n = 0;

	for (; i < s->nup; i++)
		n += s->up_sorted[i]->ntimeline > 0;
	return n;
}

/*
 * One sparkline of 502+503+504 per failing upstream (the TOP_SPARK with
 * the most, every one with -v), on the columns of the global timeline.
 */
#define TOP_SPARK 5

static void upstream_timelines(FILE *f, const struct log_stats *s,
			       const struct log_render_opts *o, int64_t first, int64_t per,
			       size_t ncol)
{
	uint64_t *col = xcalloc(ncol, sizeof(uint64_t));
	char line[SPARK_WIDTH * 4 + 1], at[32];
	size_t shown = 0, width = 0, rows = 0;

	for (size_t i = 0; i < s->nup; i++) {
		size_t l = strlen(s->up_sorted[i]->name);
		if (!s->up_sorted[i]->ntimeline)
			continue;
		if (l > width)
			width = l;
		if (++rows == TOP_SPARK && !o->verbose)
			break;
	}
	if (width > 40)
		width = 40;
	for (size_t i = 0; i < s->nup; i++) {
		const struct ls_upstream *u = s->up_sorted[i];
		uint64_t max = 0, tot = 0, peak = 0;
		int64_t peak_at = 0;
		if (!u->ntimeline)
			continue;
		if (shown == TOP_SPARK && !o->verbose) {
			fprintf(f, "  (%zu more upstream(s) with 502/503/504: -v shows them)\n",
				rows_left(s, i));
			break;
		}
		if (!shown)
			fprintf(f, "Per upstream (502+503+504, each row to its own "
				"peak):\n");
		memset(col, 0, ncol * sizeof(uint64_t));
		for (size_t k = 0; k < u->ntimeline; k++) {
			const struct ls_minute *m = u->timeline[k];
			uint64_t v = m->s502 + m->s503 + m->s504;
			int64_t c = (m->minute - first) / per;
			if (c < 0 || (size_t)c >= ncol)
				continue;
			col[c] += v;
			tot += v;
			if (v > peak) {
				peak = v;
				peak_at = m->minute;
			}
		}
		for (size_t c = 0; c < ncol; c++)
			if (col[c] > max)
				max = col[c];
		log_sparkline(line, sizeof(line), col, ncol, max, o->utf8);
		minute_str(peak_at, at, sizeof(at));
		fprintf(f, "  %-*.*s |%s| %llu, peak %llu/min at %s\n", (int)width, (int)width,
			u->name, line, (ull)tot, (ull)peak, at + 11);
		shown++;
	}
	free(col);
}

static void timeline(FILE *f, const struct log_stats *s, const struct log_render_opts *o)
{
	int64_t first, last, span, per;
	size_t ncol;
	uint64_t *col[4], max = 0, tot[4] = { 0 }, peak[4] = { 0 };
	int64_t peak_at[4] = { 0 };
	char a[32], z[32], line[SPARK_WIDTH * 4 + 1];
	static const char *const labels[4] = { "502", "503", "504", "ctl" };

	if (!s->ntimeline) {
		fprintf(f, "\nTimeline: no 502/503/504 with a readable time\n");
		return;
	}
	first = s->timeline[0]->minute;
	last = s->timeline[s->ntimeline - 1]->minute;
	span = last - first + 1;
	per = (span + SPARK_WIDTH - 1) / SPARK_WIDTH;
	ncol = (size_t)((span + per - 1) / per);
	for (int k = 0; k < 4; k++)
		col[k] = xcalloc(ncol, sizeof(uint64_t));
	for (size_t i = 0; i < s->ntimeline; i++) {
		const struct ls_minute *m = s->timeline[i];
		size_t c = (size_t)((m->minute - first) / per);
		uint64_t v[4] = { m->s502, m->s503, m->s504,
				  m->noep + m->reload_failed + m->ctl_errors };
		for (int k = 0; k < 4; k++) {
			col[k][c] += v[k];
			tot[k] += v[k];
			if (v[k] > peak[k]) {
				peak[k] = v[k];
				peak_at[k] = m->minute;
			}
		}
	}
	max = 0;
	for (int k = 0; k < 3; k++)
		if (peak_col(col[k], ncol) > max)
			max = peak_col(col[k], ncol);
	minute_str(first, a, sizeof(a));
	minute_str(last, z, sizeof(z));
	fprintf(f, "\nTimeline of 502/503/504 (UTC%s), %s .. %s, 1 column = %lld min\n",
		s->timeline_from_errors ? ", from error-log lines" : "", a, z, (long long)per);
	for (int k = 0; k < 4; k++) {
		uint64_t top = k < 3 ? max : peak_col(col[k], ncol);
		if (!tot[k])
			continue;
		log_sparkline(line, sizeof(line), col[k], ncol, top, o->utf8);
		minute_str(peak_at[k], a, sizeof(a));
		fprintf(f, "  %s |%s| %llu, peak %llu/min at %s%s\n", labels[k], line, (ull)tot[k],
			(ull)peak[k], a + 11,
			k < 3 ? "" : " (controller: no active endpoint, failed reloads, errors)");
	}
	for (int k = 0; k < 4; k++)
		free(col[k]);
	upstream_timelines(f, s, o, first, per, ncol);
}

static void upstreams(FILE *f, const struct log_stats *s, const struct log_render_opts *o,
		      struct buf *b)
{
	size_t shown = 0, hidden = 0;

	fprintf(f, "\n5xx by upstream\n");
	for (size_t i = 0; i < s->nup; i++) {
		const struct ls_upstream *u = s->up_sorted[i];
		bool errs = false;
		for (int c = 1; c < LC__COUNT; c++)
			errs |= u->cls[c] && log_class_info(c)->status;
		if (!ls_5xx(u) && !errs)
			continue;
		if (!o->verbose && shown == TOP) {
			hidden++;
			continue;
		}
		if (!shown++)
			fprintf(f, "  %-36s %9s %7s %7s %7s %7s  %s\n", "UPSTREAM", "REQUESTS", "5XX",
				"502", "503", "504", "ERROR CLASSES");
		classes(b, u->cls, o->verbose ? LC__COUNT : 4);
		fprintf(f, "  %-36s %9llu %7llu %7llu %7llu %7llu  %s\n", *u->name ? u->name : "-",
			(ull)u->requests, (ull)ls_5xx(u), (ull)u->s502, (ull)u->s503,
			(ull)u->s504, b->p);
	}
	if (!shown)
		fprintf(f, "  none: no upstream answered or caused a 5xx\n");
	if (hidden)
		fprintf(f, "  ... %zu more (-v shows all)\n", hidden);
}

static void addresses(FILE *f, const struct log_stats *s, const struct log_render_opts *o,
		      struct buf *b)
{
	size_t shown = 0, hidden = 0;

	for (size_t i = 0; i < s->naddr; i++) {
		const struct ls_addr *a = s->addr_sorted[i];
		bool errs = false;
		for (int c = 1; c < LC__COUNT; c++)
			errs |= a->cls[c] && log_class_info(c)->status;
		if (!a->failed && !errs && !a->s502 && !a->s503 && !a->s504)
			continue;
		if (!o->verbose && shown == TOP) {
			hidden++;
			continue;
		}
		if (!shown++)
			fprintf(f, "\nFailing upstream addresses\n  %-24s %-32s %9s %7s %7s  %s\n",
				"ADDRESS", "UPSTREAM", "ATTEMPTS", "FAILED", "5XX", "ERROR CLASSES");
		classes(b, a->cls, o->verbose ? LC__COUNT : 3);
		fprintf(f, "  %-24s %-32s %9llu %7llu %7llu  %s\n", a->addr,
			a->upstream ? (*a->upstream ? a->upstream : "-") : "(not in access log)",
			(ull)a->attempts, (ull)a->failed, (ull)(a->s502 + a->s503 + a->s504),
			b->p);
	}
	if (hidden)
		fprintf(f, "  ... %zu more (-v shows all)\n", hidden);
}

static void error_classes(FILE *f, const struct log_stats *s)
{
	bool any = false;

	for (int c = 1; c < LC__COUNT; c++) {
		const struct log_class_info *ci = log_class_info(c);
		if (!s->cls[c])
			continue;
		if (!any)
			fprintf(f, "\nError classes\n  %-24s %9s  %-34s %s\n", "CLASS", "COUNT",
				"CATALOGUE ID", "MEANING");
		any = true;
		fprintf(f, "  %-24s %9llu  %-34s %s\n", ci->name, (ull)s->cls[c],
			ci->id ? ci->id : "-", ci->what);
	}
}

static void controller(FILE *f, const struct log_stats *s)
{
	if (!s->controller)
		return;
	fprintf(f, "\nController (klog): %llu lines (I %llu, W %llu, E %llu, F %llu)",
		(ull)s->controller, (ull)s->klog[0], (ull)s->klog[1], (ull)s->klog[2],
		(ull)s->klog[3]);
	if (s->reload_failed || s->reload_ok)
		fprintf(f, "; reconfiguration ok %llu, failed %llu", (ull)s->reload_ok,
			(ull)s->reload_failed);
	fputc('\n', f);
	for (size_t i = 0; i < s->nsvc; i++) {
		const struct ls_service *v = s->svc_sorted[i];
		if (v->no_endpoints)
			fprintf(f, "  Service %s: no active endpoint (x%llu)\n", v->service,
				(ull)v->no_endpoints);
		if (v->errors)
			fprintf(f, "  Service %s: error obtaining endpoints (x%llu)\n", v->service,
				(ull)v->errors);
	}
}

static void findings(FILE *f, const struct diag *d, const struct log_render_opts *o)
{
	const char *on = o->color ? "\033[1;31m" : "", *warn = o->color ? "\033[1;33m" : "";
	const char *off = o->color ? "\033[0m" : "";

	fprintf(f, "\nFindings\n");
	if (!d->nfindings)
		fprintf(f, "  none\n");
	for (size_t i = 0; i < d->nfindings; i++) {
		const struct finding *x = d->findings[i];
		size_t lim = o->verbose ? x->evidence.n : 6;
		fprintf(f, "  %s%-8s%s %s  %s %s%s%s\n", x->sev == SEV_ERROR ? on :
			x->sev == SEV_WARNING ? warn : "", severity_name(x->sev), *on ? off : "",
			x->id, x->kind, x->ns, *x->ns ? "/" : "", x->name);
		if (x->message)
			fprintf(f, "      %s\n", x->message);
		for (size_t k = 0; k < x->evidence.n && k < lim; k++)
			fprintf(f, "      - %s\n", x->evidence.v[k]);
		if (x->evidence.n > lim)
			fprintf(f, "      - ... %zu more (-v)\n", x->evidence.n - lim);
		if (x->fix)
			fprintf(f, "      fix: %s\n", x->fix);
		for (size_t k = 0; k < x->commands.n; k++)
			fprintf(f, "      $ %s\n", x->commands.v[k]);
	}
}

int log_render_text(FILE *f, const struct log_stats *s, const struct log_input *in, size_t nin,
		    const struct diag *d, const struct log_render_opts *o)
{
	size_t errors = 0, warnings = 0, infos = 0;
	uint64_t bytes = 0;
	struct buf b;

	buf_init(&b, 1 << 16);
	for (size_t i = 0; i < nin; i++)
		bytes += in[i].bytes;
	fprintf(f, "Read %zu input(s), %llu bytes, %llu lines: access %llu, error %llu, "
		"controller %llu, empty %llu, unrecognised %llu, too long %llu\n", nin, (ull)bytes,
		(ull)s->lines, (ull)s->access, (ull)s->errors, (ull)s->controller, (ull)s->empty,
		(ull)s->unknown, (ull)s->too_long);
	if (s->requests) {
		uint64_t cl[6] = { 0 };
		for (int st = 0; st < 600; st++)
			cl[st / 100 < 6 ? st / 100 : 0] += s->status[st];
		fprintf(f, "Requests %llu: 2xx %llu, 3xx %llu, 4xx %llu, 5xx %llu (499 %llu, "
			"500 %llu, 502 %llu, 503 %llu, 504 %llu)\n", (ull)s->requests, (ull)cl[2],
			(ull)cl[3], (ull)cl[4], (ull)cl[5], (ull)s->status[499],
			(ull)s->status[500], (ull)s->status[502], (ull)s->status[503],
			(ull)s->status[504]);
		upstreams(f, s, o, &b);
		addresses(f, s, o, &b);
	} else {
		fprintf(f, "Requests: no access log line\n");
		addresses(f, s, o, &b);
	}
	error_classes(f, s);
	controller(f, s);
	timeline(f, s, o);
	for (size_t i = 0; i < s->nunknown_sample && (o->verbose || i < 3); i++) {
		const struct ls_sample *sm = &s->unknown_sample[i];
		if (!i)
			fprintf(f, "\nUnrecognised lines (first %zu)\n", s->nunknown_sample);
		fprintf(f, "  %s:%llu: %.120s\n", strcmp(sm->file, "-") ? sm->file : "stdin",
			(ull)sm->line, sm->text);
	}
	findings(f, d, o);
	if (d->notes.n) {
		fprintf(f, "\nNotes\n");
		for (size_t i = 0; i < d->notes.n; i++)
			fprintf(f, "  - %s\n", d->notes.v[i]);
	}
	diag_counts(d, &errors, &warnings, &infos);
	fprintf(f, "\n%zu error(s), %zu warning(s), %zu info\n", errors, warnings, infos);
	buf_release(&b);
	return ferror(f) ? -1 : 0;
}
