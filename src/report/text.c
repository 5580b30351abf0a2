/*
 * text: the report for people (report.h).
 *
 *   snapshot 2026-11-02T10:04:05Z  1 Ingress, 2 paths: 1 broken, 1 ok
 *
 *   shop/web  shop.example.com/api -> api:8080  BROKEN
 *     [ok] ingress    Ingress shop/web, class nginx
 *     [XX] endpoints  0/3 endpoints ready
 *     ...
 *     error    service-no-ready-endpoints  Service shop/api
 *              Service shop/api has no ready endpoint for port 8080 (...)
 *              - pod api-1: Readiness probe failed: ... (x12)
 *              fix: ...
 *              run: kubectl describe pod api-1 -n shop
 *
 * After the header, an overview gives one line per broken or degraded path:
 * its status, the first hop that fails (or warns) and the ids of the
 * errors (or warnings) on it, so the whole outage reads in a glance:
 *
 *   BROKEN    shop/web  shop.example.com/api  at endpoints  service-no-ready-endpoints
 *
 * Paths come broken first, then degraded, then ok (each group in Ingress
 * order). Each shows its chain, then its findings worst first; a finding
 * shared by several paths is shown in full once and referenced after
 * (infos, being advice, come in a section of their own at the end). A path
 * whose every hop is ok and that has no error or warning takes one line
 * (all of it with -v). Findings on no path, infos, notes and the counts
 * close the report. Marks are ASCII: [ok] [!!] [XX] [??] (not checked) and
 * [--] (skipped). Bytes from the input that are control characters are
 * printed as '?', so a hostile event message cannot drive the terminal.
 */
#include "report.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

#define C_RED "\033[1;31m"
#define C_YEL "\033[33m"
#define C_GRN "\033[32m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"
#define C_OFF "\033[0m"

#define EVIDENCE_MAX 5   /* lines per finding without -v */
#define COMMANDS_MAX 4

struct tx {
	FILE *f;
	const struct report_opts *o;
	const struct diag *d;          /* findings sorted */
	size_t *num;                   /* by seq: 1-based position in d->findings, 0 unknown */
	const struct chain **shown;    /* by seq: the path it was shown under in full */
	bool *done;                    /* by seq: shown in full */
};

/* One finding of a path, with its order key. */
struct pf {
	const struct finding *f;
	size_t num;
};

static void put(struct tx *t, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, t->f);
}

static void color(struct tx *t, const char *code)
{
	if (t->o->color)
		fputs(code, t->f);
}

static void color_off(struct tx *t)
{
	if (t->o->color)
		fputs(C_OFF, t->f);
}

static const char *sev_color(enum severity s)
{
	return s == SEV_ERROR ? C_RED : s == SEV_WARNING ? C_YEL : C_DIM;
}

static const char *verdict_mark(enum verdict v)
{
	switch (v) {
	case V_OK: return "[ok]";
	case V_WARN: return "[!!]";
	case V_FAIL: return "[XX]";
	case V_SKIPPED: return "[--]";
	default: return "[??]";
	}
}

static const char *verdict_color(enum verdict v)
{
	switch (v) {
	case V_OK: return C_GRN;
	case V_WARN: return C_YEL;
	case V_FAIL: return C_RED;
	default: return C_DIM;
	}
}

static size_t seq_of(const struct tx *t, const struct finding *f)
{
	return f->seq < t->d->nfindings ? f->seq : SIZE_MAX;
}

/* "shop.example.com/api", "*\/api", "(default backend)" */
static void put_path(struct tx *t, const struct chain *c)
{
	if (c->default_backend && !*c->path) {
		if (*c->host)
			put(t, c->host);
		fputs(*c->host ? " (default backend)" : "(default backend)", t->f);
		return;
	}
	put(t, *c->host ? c->host : "*");
	put(t, c->path);
}

static void put_backend(struct tx *t, const struct chain *c)
{
	fputs(" -> ", t->f);
	if (!*c->service) {
		fputs("(resource backend)", t->f);
		return;
	}
	put(t, c->service);
	if (*c->port) {
		fputc(':', t->f);
		put(t, c->port);
	}
}

static void put_object(struct tx *t, const struct finding *f)
{
	put(t, f->kind);
	fputc(' ', t->f);
	if (*f->ns) {
		put(t, f->ns);
		fputc('/', t->f);
	}
	put(t, f->name);
	if (*f->key) {
		fputs(" (", t->f);
		put(t, f->key);
		fputc(')', t->f);
	}
}

/* "  error    pod-crashloop  Pod shop/api-1 (api)" without the newline */
static void finding_head(struct tx *t, const struct finding *f)
{
	color(t, sev_color(f->sev));
	fprintf(t->f, "  %-7s  ", severity_name(f->sev));
	color_off(t);
	if (f->sev != SEV_INFO)
		color(t, C_BOLD);
	put(t, f->id);
	color_off(t);
	fputs("  ", t->f);
	put_object(t, f);
}

#define DETAIL "           "   /* aligns details under the id */

static void list_lines(struct tx *t, const struct strlist *l, const char *prefix, size_t max,
		       const char *more)
{
	size_t n = t->o->verbose ? l->n : (l->n < max ? l->n : max);

	for (size_t i = 0; i < n; i++) {
		fputs(DETAIL, t->f);
		fputs(prefix, t->f);
		put(t, l->v[i]);
		fputc('\n', t->f);
	}
	if (n < l->n)
		fprintf(t->f, DETAIL "... %zu more %s (-v shows all)\n", l->n - n, more);
}

/* The full finding; `here` is the Ingress "ns/name" it is shown under, or NULL. */
static void finding_full(struct tx *t, const struct finding *f, const char *here_ns,
			 const char *here_name)
{
	bool first = true;

	finding_head(t, f);
	fputc('\n', t->f);
	if (f->sev == SEV_INFO)
		color(t, C_DIM);
	if (f->message) {
		fputs(DETAIL, t->f);
		put(t, f->message);
		fputc('\n', t->f);
	}
	list_lines(t, &f->evidence, "- ", EVIDENCE_MAX, "evidence lines");
	if (f->fix) {
		fputs(DETAIL "fix: ", t->f);
		put(t, f->fix);
		fputc('\n', t->f);
	}
	list_lines(t, &f->commands, "run: ", COMMANDS_MAX, "commands");
	for (size_t i = 0; i < f->ingresses.n; i++) {
		const char *ing = f->ingresses.v[i];
		size_t nl = here_ns ? strlen(here_ns) : 0;
		if (here_ns && !strncmp(ing, here_ns, nl) && ing[nl] == '/' &&
		    !strcmp(ing + nl + 1, here_name))
			continue;
		if (first)
			fprintf(t->f, DETAIL "%s%s: ", here_ns ? "also " : "",
				f->sev == SEV_ERROR ? "breaks" : "affects");
		else
			fputs(", ", t->f);
		put(t, ing);
		first = false;
	}
	if (!first)
		fputc('\n', t->f);
	if (f->sev == SEV_INFO)
		color_off(t);
}

static int cmp_pf(const void *a, const void *b)
{
	const struct pf *x = a, *y = b;

	if (x->f->sev != y->f->sev)
		return x->f->sev > y->f->sev ? -1 : 1;
	if (x->f->hop != y->f->hop)
		return x->f->hop < y->f->hop ? -1 : 1;
	return x->num < y->num ? -1 : x->num > y->num;
}

static bool chain_has(const struct chain *c, const struct finding *f)
{
	for (size_t i = 0; i < c->nfindings; i++)
		if (c->findings[i] == f)
			return true;
	return false;
}

static bool all_ok(const struct chain *c)
{
	for (int h = 0; h < HOP__COUNT; h++)
		if (c->hops[h].verdict != V_OK)
			return false;
	return true;
}

/* True when f was shown in full under an earlier path. */
static bool shown_before(const struct tx *t, const struct finding *f)
{
	size_t s = seq_of(t, f);
	return s != SIZE_MAX && t->done[s];
}

/*
 * The path's errors and warnings, worst first: new ones in full, ones
 * already shown as a reference line. Infos (hardening advice) explain
 * nothing about the path's status: they get their own section at the end.
 */
static size_t path_findings(struct tx *t, const struct chain *c, struct pf *pf)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nfindings; i++) {
		const struct finding *f = c->findings[i];
		size_t s = seq_of(t, f);
		if (f->sev == SEV_INFO)
			continue;
		pf[n].f = f;
		pf[n++].num = s == SIZE_MAX ? SIZE_MAX : t->num[s];
	}
	qsort(pf, n, sizeof(*pf), cmp_pf);
	return n;
}

static void chain_head(struct tx *t, const struct chain *c)
{
	const char *status = chain_status(c);
	int worst = chain_worst(c);

	fputc('\n', t->f);
	color(t, C_BOLD);
	put(t, c->ns);
	fputc('/', t->f);
	put(t, c->ingress);
	color_off(t);
	fputs("  ", t->f);
	put_path(t, c);
	put_backend(t, c);
	fputs("  ", t->f);
	color(t, worst == SEV_ERROR ? C_RED : worst == SEV_WARNING ? C_YEL : C_GRN);
	fputs(!strcmp(status, "broken") ? "BROKEN" : !strcmp(status, "degraded") ? "DEGRADED"
										 : "OK", t->f);
	color_off(t);
	fputc('\n', t->f);
}

static void chain_hops(struct tx *t, const struct chain *c)
{
	for (int h = 0; h < HOP__COUNT; h++) {
		const struct hop_state *hs = &c->hops[h];
		fputs("  ", t->f);
		color(t, verdict_color(hs->verdict));
		fputs(verdict_mark(hs->verdict), t->f);
		color_off(t);
		fprintf(t->f, " %-10s ", hop_name((enum hop)h));
		if (hs->text && *hs->text)
			put(t, hs->text);
		else
			fputs(hs->verdict == V_SKIPPED ? "skipped"
			      : hs->verdict == V_OK ? "ok"
			      : hs->verdict == V_UNKNOWN ? "not checked" : "see the findings below",
			      t->f);
		fputc('\n', t->f);
	}
}

static void chain_block(struct tx *t, const struct chain *c)
{
	struct pf *pf = xcalloc(c->nfindings ? c->nfindings : 1, sizeof(*pf));
	size_t n = path_findings(t, c, pf);

	chain_head(t, c);
	if (!n && all_ok(c) && !t->o->verbose)
		goto out;
	chain_hops(t, c);
	if (n)
		fputc('\n', t->f);
	for (size_t i = 0; i < n; i++) {
		const struct finding *f = pf[i].f;
		size_t s = seq_of(t, f);
		if (shown_before(t, f)) {
			const struct chain *o = t->shown[s];
			finding_head(t, f);
			fputs(": shown above, under ", t->f);
			put(t, o->ns);
			fputc('/', t->f);
			put(t, o->ingress);
			fputc(' ', t->f);
			put_path(t, o);
			fputc('\n', t->f);
			continue;
		}
		finding_full(t, f, c->ns, c->ingress);
		if (s != SIZE_MAX) {
			t->done[s] = true;
			t->shown[s] = c;
		}
	}
out:
	free(pf);
}

/* Print order of the paths: broken first, then degraded, then ok; stable. */
static int status_rank(const struct chain *c)
{
	int w = chain_worst(c);
	return w == SEV_ERROR ? 0 : w == SEV_WARNING ? 1 : 2;
}

static const struct chain **chains_by_status(const struct diag *d)
{
	const struct chain **v = xcalloc(d->nchains ? d->nchains : 1, sizeof(*v));
	size_t k = 0;

	for (int rank = 0; rank < 3; rank++)
		for (size_t i = 0; i < d->nchains; i++)
			if (status_rank(d->chains[i]) == rank)
				v[k++] = d->chains[i];
	return v;
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void header(struct tx *t)
{
	const struct diag *d = t->d;
	size_t broken = 0, degraded = 0, ok = 0;
	char when[32];

	for (size_t i = 0; i < d->nchains; i++) {
		const char *s = chain_status(d->chains[i]);
		if (!strcmp(s, "broken"))
			broken++;
		else if (!strcmp(s, "degraded"))
			degraded++;
		else
			ok++;
	}
	if (d->now) {
		ktime_format(d->now, when, sizeof(when));
		fprintf(t->f, "snapshot %s  ", when);
	} else {
		fputs("snapshot time unknown  ", t->f);
	}
	fprintf(t->f, "%zu %s, %zu %s", d->ningresses, plural(d->ningresses, "Ingress", "Ingresses"),
		d->nchains, plural(d->nchains, "path", "paths"));
	if (d->nchains) {
		fputs(": ", t->f);
		if (broken) {
			color(t, C_RED);
			fprintf(t->f, "%zu broken", broken);
			color_off(t);
			fputs(degraded || ok ? ", " : "", t->f);
		}
		if (degraded) {
			color(t, C_YEL);
			fprintf(t->f, "%zu degraded", degraded);
			color_off(t);
			fputs(ok ? ", " : "", t->f);
		}
		if (ok)
			fprintf(t->f, "%zu ok", ok);
	}
	fputc('\n', t->f);
}

#define OVERVIEW_MAX 30   /* lines without -v */
#define OVERVIEW_IDS 3

/* The first hop with the path's worst verdict (fail, else warn), or -1. */
static int first_bad_hop(const struct chain *c)
{
	enum verdict want = chain_worst(c) == SEV_ERROR ? V_FAIL : V_WARN;
	for (int h = 0; h < HOP__COUNT; h++)
		if (c->hops[h].verdict == want)
			return h;
	return -1;
}

/* Width of "ns/ingress" and of the path text, for alignment (capped). */
static size_t path_text_len(const struct chain *c)
{
	if (c->default_backend && !*c->path)
		return strlen(c->host) + (*c->host ? 18 : 17);
	return (*c->host ? strlen(c->host) : 1) + strlen(c->path);
}

static void overview(struct tx *t, const struct chain **order, size_t n)
{
	size_t wi = 0, wp = 0, shown = 0, bad = 0;

	for (size_t k = 0; k < n; k++) {
		size_t li = strlen(order[k]->ns) + 1 + strlen(order[k]->ingress);
		size_t lp = path_text_len(order[k]);
		if (status_rank(order[k]) == 2)
			continue;
		bad++;
		wi = li > wi ? li : wi;
		wp = lp > wp ? lp : wp;
	}
	if (!bad)
		return;
	wi = wi > 40 ? 40 : wi;
	wp = wp > 50 ? 50 : wp;
	fputc('\n', t->f);
	for (size_t k = 0; k < n && status_rank(order[k]) < 2; k++) {
		const struct chain *c = order[k];
		enum severity want = status_rank(c) == 0 ? SEV_ERROR : SEV_WARNING;
		int hop = first_bad_hop(c);
		size_t ids = 0, li, lp;

		if (shown == OVERVIEW_MAX && !t->o->verbose) {
			fprintf(t->f, "  ... %zu more (-v shows all)\n", bad - shown);
			break;
		}
		shown++;
		fputs("  ", t->f);
		color(t, want == SEV_ERROR ? C_RED : C_YEL);
		fputs(want == SEV_ERROR ? "BROKEN  " : "DEGRADED", t->f);
		color_off(t);
		fputs("  ", t->f);
		put(t, c->ns);
		fputc('/', t->f);
		put(t, c->ingress);
		li = strlen(c->ns) + 1 + strlen(c->ingress);
		fprintf(t->f, "%*s  ", (int)(li < wi ? wi - li : 0), "");
		put_path(t, c);
		lp = path_text_len(c);
		fprintf(t->f, "%*s  ", (int)(lp < wp ? wp - lp : 0), "");
		if (hop >= 0)
			fprintf(t->f, "at %-9s  ", hop_name((enum hop)hop));
		/* the ids of the worst findings on the path, in report order */
		for (size_t i = 0; i < t->d->nfindings && ids < OVERVIEW_IDS; i++) {
			const struct finding *f = t->d->findings[i];
			bool on = false, dup = false;
			if (f->sev != want)
				continue;
			for (size_t j = 0; j < c->nfindings && !on; j++)
				on = c->findings[j] == f;
			for (size_t j = 0; j < i && on && !dup; j++)
				dup = t->d->findings[j]->sev == want &&
				      !strcmp(t->d->findings[j]->id, f->id) &&
				      chain_has(c, t->d->findings[j]);
			if (!on || dup)
				continue;
			fputs(ids ? ", " : "", t->f);
			put(t, f->id);
			ids++;
		}
		fputc('\n', t->f);
	}
}

static void footer(struct tx *t)
{
	const struct diag *d = t->d;
	size_t e, w, i;
	bool any = false;

	/* errors and warnings no path showed (an Ingress without paths, cluster-wide ones) */
	for (size_t k = 0; k < d->nfindings; k++) {
		const struct finding *f = d->findings[k];
		if (f->sev == SEV_INFO || shown_before(t, f))
			continue;
		if (!any)
			fputs("\nfindings outside the paths above:\n", t->f);
		any = true;
		finding_full(t, f, NULL, NULL);
	}
	any = false;
	for (size_t k = 0; k < d->nfindings; k++) {
		const struct finding *f = d->findings[k];
		if (f->sev != SEV_INFO)
			continue;
		if (!any)
			fputs("\nadvice (info findings, no effect on the status of a path):\n", t->f);
		any = true;
		finding_full(t, f, NULL, NULL);
	}
	if (d->notes.n) {
		fputs("\nnotes (checks that could not run):\n", t->f);
		for (size_t k = 0; k < d->notes.n; k++) {
			color(t, C_DIM);
			fputs("  - ", t->f);
			put(t, d->notes.v[k]);
			color_off(t);
			fputc('\n', t->f);
		}
	}
	diag_counts(d, &e, &w, &i);
	fputc('\n', t->f);
	if (e)
		color(t, C_RED);
	fprintf(t->f, "%zu %s", e, plural(e, "error", "errors"));
	if (e)
		color_off(t);
	fputs(", ", t->f);
	if (w)
		color(t, C_YEL);
	fprintf(t->f, "%zu %s", w, plural(w, "warning", "warnings"));
	if (w)
		color_off(t);
	fprintf(t->f, ", %zu %s\n", i, plural(i, "info", "infos"));
}

int report_text(FILE *f, const struct diag *d, const struct report_opts *o)
{
	struct diag sorted = *d;
	size_t n = d->nfindings;
	struct tx t = { .f = f, .o = o, .d = &sorted };
	const struct chain **order;

	/* sort a copy of the finding list; d itself stays untouched */
	sorted.findings = xcalloc(n ? n : 1, sizeof(*sorted.findings));
	if (n)
		memcpy(sorted.findings, d->findings, n * sizeof(*d->findings));
	diag_sort(&sorted);
	t.num = xcalloc(n ? n : 1, sizeof(*t.num));
	t.shown = xcalloc(n ? n : 1, sizeof(*t.shown));
	t.done = xcalloc(n ? n : 1, sizeof(*t.done));
	for (size_t k = 0; k < n; k++) {
		size_t s = seq_of(&t, sorted.findings[k]);
		if (s != SIZE_MAX)
			t.num[s] = k + 1;
	}

	header(&t);
	if (!d->nchains)
		fputs("\nno Ingress path to diagnose\n", f);
	order = chains_by_status(d);
	overview(&t, order, d->nchains);
	for (size_t k = 0; k < d->nchains && !ferror(f); k++)
		chain_block(&t, order[k]);
	free(order);
	if (!ferror(f))
		footer(&t);

	free(sorted.findings);
	free(t.num);
	free(t.shown);
	free(t.done);
	if (fflush(f) != 0 || ferror(f))
		return -1;
	return 0;
}
