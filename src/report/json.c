/*
 * json: the report for programs (report.h), the shape fixed by
 * interface.md:
 *
 *   { "snapshotTime": "2026-11-02T10:04:05Z" | null,
 *     "findings": [ { id, severity, kind, namespace, name, hop, ingresses,
 *                     message, evidence, fix, commands } ],
 *     "ingresses": [ { namespace, name, paths: [ { host, path,
 *                     defaultBackend, service, port, status,
 *                     hops: [ { hop, verdict, text } ], findings: [i] } ] } ],
 *     "notes": [ "..." ],
 *     "summary": { errors, warnings, infos } }
 *
 * Findings are in diag_sort() order (severity, then id and object); a
 * path's "findings" are indexes into that array. Strings the checks left
 * unset are written as "" (message, fix) or null (a hop's text).
 */
#include "report.h"
#include "../json/json_write.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

static void str_list(struct json_w *w, const char *key, const struct strlist *l)
{
	json_w_key(w, key);
	json_w_arr(w);
	for (size_t i = 0; i < l->n; i++)
		json_w_str(w, l->v[i]);
	json_w_end(w);
}

static void kv_str(struct json_w *w, const char *key, const char *val)
{
	json_w_key(w, key);
	json_w_str(w, val ? val : "");
}

void report_json_finding(struct json_w *w, const struct finding *f)
{
	json_w_obj(w);
	kv_str(w, "id", f->id);
	kv_str(w, "severity", severity_name(f->sev));
	kv_str(w, "kind", f->kind);
	kv_str(w, "namespace", f->ns);
	kv_str(w, "name", f->name);
	kv_str(w, "hop", hop_name(f->hop));
	str_list(w, "ingresses", &f->ingresses);
	kv_str(w, "message", f->message);
	str_list(w, "evidence", &f->evidence);
	kv_str(w, "fix", f->fix);
	str_list(w, "commands", &f->commands);
	json_w_end(w);
}

/* pos: by finding seq, the finding's index in the sorted array (+1; 0 = unknown). */
static void path(struct json_w *w, const struct chain *c, const size_t *pos, size_t npos)
{
	size_t *idx;
	size_t n = 0;

	json_w_obj(w);
	kv_str(w, "host", c->host);
	kv_str(w, "path", c->path);
	json_w_key(w, "defaultBackend");
	json_w_bool(w, c->default_backend);
	kv_str(w, "service", c->service);
	kv_str(w, "port", c->port);
	kv_str(w, "status", chain_status(c));
	json_w_key(w, "hops");
	json_w_arr(w);
	for (int h = 0; h < HOP__COUNT; h++) {
		json_w_obj(w);
		kv_str(w, "hop", hop_name((enum hop)h));
		kv_str(w, "verdict", verdict_name(c->hops[h].verdict));
		json_w_key(w, "text");
		json_w_str(w, c->hops[h].text);
		json_w_end(w);
	}
	json_w_end(w);

	/* indexes into "findings", ascending */
	idx = xcalloc(c->nfindings ? c->nfindings : 1, sizeof(*idx));
	for (size_t i = 0; i < c->nfindings; i++) {
		size_t s = c->findings[i]->seq;
		if (s < npos && pos[s])
			idx[n++] = pos[s] - 1;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && idx[k - 1] > idx[k]; k--) {
			size_t tmp = idx[k];
			idx[k] = idx[k - 1];
			idx[k - 1] = tmp;
		}
	json_w_key(w, "findings");
	json_w_arr(w);
	for (size_t i = 0; i < n; i++)
		json_w_int(w, (int64_t)idx[i]);
	json_w_end(w);
	free(idx);
	json_w_end(w);
}

static bool same_ingress(const struct chain *a, const struct chain *b)
{
	return !strcmp(a->ns, b->ns) && !strcmp(a->ingress, b->ingress);
}

void report_json_notes_summary(struct json_w *w, const struct diag *d)
{
	size_t e, wn, in;

	str_list(w, "notes", &d->notes);
	diag_counts(d, &e, &wn, &in);
	json_w_key(w, "summary");
	json_w_obj(w);
	json_w_key(w, "errors");
	json_w_int(w, (int64_t)e);
	json_w_key(w, "warnings");
	json_w_int(w, (int64_t)wn);
	json_w_key(w, "infos");
	json_w_int(w, (int64_t)in);
	json_w_end(w);
}

int report_json(FILE *f, const struct diag *d, const struct report_opts *o)
{
	struct diag sorted = *d;
	size_t n = d->nfindings;
	size_t *pos;
	struct json_w w;
	char when[32];

	(void)o;
	/* sort a copy of the finding list; d itself stays untouched */
	sorted.findings = xcalloc(n ? n : 1, sizeof(*sorted.findings));
	if (n)
		memcpy(sorted.findings, d->findings, n * sizeof(*d->findings));
	diag_sort(&sorted);
	pos = xcalloc(n ? n : 1, sizeof(*pos));
	for (size_t k = 0; k < n; k++)
		if (sorted.findings[k]->seq < n)
			pos[sorted.findings[k]->seq] = k + 1;

	json_w_init(&w, f, 2);
	json_w_obj(&w);
	json_w_key(&w, "snapshotTime");
	if (d->now) {
		ktime_format(d->now, when, sizeof(when));
		json_w_str(&w, when);
	} else {
		json_w_null(&w);
	}

	json_w_key(&w, "findings");
	json_w_arr(&w);
	for (size_t k = 0; k < n; k++)
		report_json_finding(&w, sorted.findings[k]);
	json_w_end(&w);

	/* chains come grouped by Ingress, in Ingress then path order */
	json_w_key(&w, "ingresses");
	json_w_arr(&w);
	for (size_t k = 0; k < d->nchains;) {
		const struct chain *first = d->chains[k];
		json_w_obj(&w);
		kv_str(&w, "namespace", first->ns);
		kv_str(&w, "name", first->ingress);
		json_w_key(&w, "paths");
		json_w_arr(&w);
		for (; k < d->nchains && same_ingress(first, d->chains[k]); k++)
			path(&w, d->chains[k], pos, n);
		json_w_end(&w);
		json_w_end(&w);
	}
	json_w_end(&w);

	report_json_notes_summary(&w, d);
	json_w_end(&w);

	free(sorted.findings);
	free(pos);
	return json_w_finish(&w);
}
