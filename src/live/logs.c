/*
 * logs: controller pod logs through the pods/log subresource (live.h).
 */
#include "live.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

const char *live_log_container(const struct pod *p)
{
	const char *first = NULL;

	for (uint32_t i = 0; i < p->ncontainers; i++) {
		const struct container *c = &p->containers[i];
		if (c->init || !c->name)
			continue;
		if (!strcmp(c->name, "controller"))
			return c->name;
		if (!first)
			first = c->name;
	}
	return first;
}

static void log_done(struct kc_client *cl, struct kc_req *r)
{
	struct live_log *lg = r->ctx;
	char msg[512];

	(void)cl;
	lg->status = r->status;
	if (r->status == 200) {
		lg->len = r->body.len;
		lg->text = xmalloc(lg->len + 1);
		if (lg->len)
			memcpy(lg->text, r->body.p, lg->len);
		lg->text[lg->len] = '\0';
	} else {
		kc_status_message(r, msg, sizeof(msg));
		lg->error = xstrdup(msg);
	}
	kc_req_free(r);
}

int live_fetch_logs(struct kc_client *cl, const struct live_log_req *reqs, size_t n,
		    const struct live_log_opts *o, struct live_log **out, struct err *err)
{
	struct live_log *v = xcalloc(n ? n : 1, sizeof(*v));

	for (size_t i = 0; i < n; i++) {
		struct buf b;
		struct kc_req *r;
		char sep = '?';

		v[i].ns = xstrdup(reqs[i].ns);
		v[i].pod = xstrdup(reqs[i].pod);
		v[i].container = xstrdup(reqs[i].container ? reqs[i].container : "");
		buf_init(&b, 0);
		buf_add(&b, "/api/v1/namespaces/");
		kc_query_escape(&b, reqs[i].ns);
		buf_add(&b, "/pods/");
		kc_query_escape(&b, reqs[i].pod);
		buf_add(&b, "/log");
		if (reqs[i].container) {
			buf_addf(&b, "%ccontainer=", sep);
			kc_query_escape(&b, reqs[i].container);
			sep = '&';
		}
		if (o && o->tail_lines > 0) {
			buf_addf(&b, "%ctailLines=%ld", sep, o->tail_lines);
			sep = '&';
		}
		if (o && o->since_seconds > 0)
			buf_addf(&b, "%csinceSeconds=%ld", sep, o->since_seconds);
		r = kc_req_new(b.p, log_done, &v[i]);
		r->accept = "text/plain, */*";
		buf_release(&b);
		kc_client_submit(cl, r);
	}
	*out = v;
	if (kc_client_run(cl, err) < 0)
		return -1;
	return 0;
}

void live_logs_free(struct live_log *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].ns);
		free(v[i].pod);
		free(v[i].container);
		free(v[i].text);
		free(v[i].error);
	}
	free(v);
}
