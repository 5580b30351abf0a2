/*
 * render_json: the JSON report of `ingress-doctor logs` (render.h):
 * findings in the shape of diagnose's report, plus "statistics".
 */
#include "render.h"
#include "../json/json_write.h"
#include "../report/report.h"
#include "../util/ktime.h"

#include <stdio.h>
#include <string.h>

#include "../util/banned.h"

static void kstr(struct json_w *w, const char *k, const char *v)
{
	json_w_key(w, k);
	json_w_str(w, v ? v : "");
}

static void kint(struct json_w *w, const char *k, uint64_t v)
{
	json_w_key(w, k);
	json_w_int(w, (int64_t)v);
}

static void strs(struct json_w *w, const char *k, const struct strlist *l)
{
	json_w_key(w, k);
	json_w_arr(w);
	for (size_t i = 0; i < l->n; i++)
		json_w_str(w, l->v[i]);
	json_w_end(w);
}

static void sample(struct json_w *w, const char *k, const struct ls_sample *sm)
{
	json_w_key(w, k);
	if (!sm->text) {
		json_w_null(w);
		return;
	}
	json_w_obj(w);
	kstr(w, "file", sm->file);
	kint(w, "line", sm->line);
	kstr(w, "text", sm->text);
	json_w_end(w);
}

static void class_counts(struct json_w *w, const char *k, const uint64_t *cls)
{
	json_w_key(w, k);
	json_w_obj(w);
	for (int c = 1; c < LC__COUNT; c++)
		if (cls[c])
			kint(w, log_class_info(c)->name, cls[c]);
	json_w_end(w);
}

/*
 * [{"time": "2023-04-17T20:24:00Z", "502": n, "503": n, "504": n}, ...], with
 * "noEndpoint", "reloadFailed" and "controllerErrors" (klog lines) when not 0.
 */
static void minutes(struct json_w *w, struct ls_minute *const *m, size_t n)
{
	char t[32];

	json_w_arr(w);
	for (size_t i = 0; i < n; i++) {
		json_w_obj(w);
		ktime_format(m[i]->minute * 60, t, sizeof(t));
		kstr(w, "time", t);
		kint(w, "502", m[i]->s502);
		kint(w, "503", m[i]->s503);
		kint(w, "504", m[i]->s504);
		if (m[i]->noep)
			kint(w, "noEndpoint", m[i]->noep);
		if (m[i]->reload_failed)
			kint(w, "reloadFailed", m[i]->reload_failed);
		if (m[i]->ctl_errors)
			kint(w, "controllerErrors", m[i]->ctl_errors);
		json_w_end(w);
	}
	json_w_end(w);
}

static void upstream(struct json_w *w, const struct ls_upstream *u)
{
	static const char *const cl[6] = { "other", "1xx", "2xx", "3xx", "4xx", "5xx" };

	json_w_obj(w);
	kstr(w, "name", u->name);
	kint(w, "requests", u->requests);
	json_w_key(w, "statuses");
	json_w_obj(w);
	for (int i = 0; i < 6; i++)
		if (u->status[i])
			kint(w, cl[i], u->status[i]);
	json_w_end(w);
	kint(w, "5xx", ls_5xx(u));
	kint(w, "499", u->s499);
	kint(w, "502", u->s502);
	kint(w, "503", u->s503);
	kint(w, "504", u->s504);
	kint(w, "attempts", u->attempts);
	kint(w, "failedAttempts", u->failed);
	kint(w, "failedRetriedSameAddress", u->same_retry);
	class_counts(w, "errors", u->cls);
	json_w_key(w, "timeline");
	minutes(w, u->timeline, u->ntimeline);
	json_w_end(w);
}

static void address(struct json_w *w, const struct ls_addr *a)
{
	json_w_obj(w);
	kstr(w, "address", a->addr);
	json_w_key(w, "upstream");
	json_w_str(w, a->upstream);
	kint(w, "attempts", a->attempts);
	kint(w, "failed", a->failed);
	kint(w, "502", a->s502);
	kint(w, "503", a->s503);
	kint(w, "504", a->s504);
	class_counts(w, "errors", a->cls);
	json_w_end(w);
}

static void statistics(struct json_w *w, const struct log_stats *s, const struct log_input *in,
		       size_t nin)
{
	char key[16];

	json_w_obj(w);
	json_w_key(w, "inputs");
	json_w_arr(w);
	for (size_t i = 0; i < nin; i++) {
		json_w_obj(w);
		kstr(w, "file", in[i].name);
		kint(w, "bytes", in[i].bytes);
		kint(w, "lines", in[i].lines);
		json_w_key(w, "gzip");
		json_w_bool(w, in[i].gzip);
		json_w_key(w, "damaged");
		json_w_bool(w, in[i].damaged);
		json_w_end(w);
	}
	json_w_end(w);
	json_w_key(w, "lines");
	json_w_obj(w);
	kint(w, "total", s->lines);
	kint(w, "access", s->access);
	kint(w, "accessJson", s->json_access);
	kint(w, "error", s->errors);
	kint(w, "controller", s->controller);
	kint(w, "empty", s->empty);
	kint(w, "unknown", s->unknown);
	kint(w, "tooLong", s->too_long);
	kint(w, "criPartsJoined", s->cri_parts);
	json_w_end(w);
	json_w_key(w, "unknownSamples");
	json_w_arr(w);
	for (size_t i = 0; i < s->nunknown_sample; i++) {
		json_w_obj(w);
		kstr(w, "file", s->unknown_sample[i].file);
		kint(w, "line", s->unknown_sample[i].line);
		kstr(w, "text", s->unknown_sample[i].text);
		json_w_end(w);
	}
	json_w_end(w);
	kint(w, "requests", s->requests);
	json_w_key(w, "statuses");
	json_w_obj(w);
	for (int st = 0; st < 600; st++) {
		if (!s->status[st])
			continue;
		snprintf(key, sizeof(key), "%d", st);
		kint(w, st ? key : "other", s->status[st]);
	}
	json_w_end(w);
	json_w_key(w, "upstreams");
	json_w_arr(w);
	for (size_t i = 0; i < s->nup; i++)
		upstream(w, s->up_sorted[i]);
	json_w_end(w);
	json_w_key(w, "addresses");
	json_w_arr(w);
	for (size_t i = 0; i < s->naddr; i++)
		address(w, s->addr_sorted[i]);
	json_w_end(w);
	json_w_key(w, "errorClasses");
	json_w_arr(w);
	for (int c = 1; c < LC__COUNT; c++) {
		const struct log_class_info *ci = log_class_info(c);
		if (!s->cls[c])
			continue;
		json_w_obj(w);
		kstr(w, "class", ci->name);
		json_w_key(w, "id");
		json_w_str(w, ci->id);
		kstr(w, "source", log_class_is_access(c) ? "access" : "error");
		kint(w, "count", s->cls[c]);
		kstr(w, "meaning", ci->what);
		sample(w, "sample", &s->cls_sample[c]);
		json_w_end(w);
	}
	json_w_end(w);
	json_w_key(w, "errorLevels");
	json_w_obj(w);
	for (int l = 0; l < LV__COUNT; l++)
		if (s->level[l])
			kint(w, ll_level_name(l), s->level[l]);
	json_w_end(w);
	json_w_key(w, "timeline");
	json_w_obj(w);
	kstr(w, "source", s->timeline_from_errors ? "error" : "access");
	json_w_key(w, "minutes");
	minutes(w, s->timeline, s->ntimeline);
	json_w_end(w);
	json_w_key(w, "controller");
	json_w_obj(w);
	kint(w, "lines", s->controller);
	kint(w, "info", s->klog[0]);
	kint(w, "warning", s->klog[1]);
	kint(w, "error", s->klog[2]);
	kint(w, "fatal", s->klog[3]);
	kint(w, "reloadOk", s->reload_ok);
	kint(w, "reloadFailed", s->reload_failed);
	kint(w, "undatedEvents", s->klog_undated);
	json_w_key(w, "services");
	json_w_arr(w);
	for (size_t i = 0; i < s->nsvc; i++) {
		json_w_obj(w);
		kstr(w, "service", s->svc_sorted[i]->service);
		kint(w, "noActiveEndpoint", s->svc_sorted[i]->no_endpoints);
		kint(w, "endpointErrors", s->svc_sorted[i]->errors);
		json_w_end(w);
	}
	json_w_end(w);
	json_w_end(w);
	json_w_end(w);
}

int log_render_json(FILE *f, const struct log_stats *s, const struct log_input *in, size_t nin,
		    const struct diag *d)
{
	size_t errors = 0, warnings = 0, infos = 0;
	struct json_w w;

	json_w_init(&w, f, 2);
	json_w_obj(&w);
	json_w_key(&w, "findings");
	json_w_arr(&w);
	for (size_t i = 0; i < d->nfindings; i++)
		report_json_finding(&w, d->findings[i]);
	json_w_end(&w);
	json_w_key(&w, "statistics");
	statistics(&w, s, in, nin);
	strs(&w, "notes", &d->notes);
	diag_counts(d, &errors, &warnings, &infos);
	json_w_key(&w, "summary");
	json_w_obj(&w);
	kint(&w, "errors", errors);
	kint(&w, "warnings", warnings);
	kint(&w, "infos", infos);
	json_w_end(&w);
	json_w_end(&w);
	return json_w_finish(&w);
}
