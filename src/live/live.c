/*
 * live: discovery, then one paged LIST per kind, into a source sink
 * (live.h).
 */
#include "live_int.h"
#include "../json/json_stream.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

#define LIST_LIMIT 500
#define MAX_RESTARTS 3
#define PMD_ACCEPT "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, " \
	"application/json"
#define PMD_ACCEPT_ONE "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1, " \
	"application/json"

static const struct kind_api default_api[K__COUNT] = {
	[K_INGRESS] = { "networking.k8s.io", "v1", false },
	[K_INGRESSCLASS] = { "networking.k8s.io", "v1", true },
	[K_SERVICE] = { "", "v1", false },
	[K_ENDPOINTSLICE] = { "discovery.k8s.io", "v1", false },
	[K_ENDPOINTS] = { "", "v1", false },
	[K_POD] = { "", "v1", false },
	[K_NODE] = { "", "v1", true },
	[K_EVENT] = { "", "v1", false },
	[K_NETWORKPOLICY] = { "networking.k8s.io", "v1", false },
	[K_CONFIGMAP] = { "", "v1", false },
	[K_DEPLOYMENT] = { "apps", "v1", false },
	[K_STATEFULSET] = { "apps", "v1", false },
	[K_DAEMONSET] = { "apps", "v1", false },
	[K_REPLICASET] = { "apps", "v1", false },
	[K_NAMESPACE] = { "", "v1", true },
	[K_SECRET] = { "", "v1", false },
};

/* one LIST of one kind (all its pages) */
struct list_job {
	struct live *l;
	enum kind k;
	char *base;                 /* path with query, without continue */
	char *api_version;
	unsigned restarts;
	size_t index;               /* items so far */
	char *next_continue;
	bool partial;               /* a selector list: proves nothing about the kind */
	bool targeted;              /* part of a named-Ingress read (target.c) */
	bool get;                   /* GET of one object, not a list */
	char *ns;                   /* namespace asked, NULL all */
	bool one_page;              /* never continued (live_req_opts.limit) */
	bool *more;                 /* set when one_page dropped a continue */
	int role;
	void *tag;
};

static void fail(struct kc_client *cl, const struct err *e)
{
	if (!cl->fatal.code)
		cl->fatal = *e;
}

/* ---------------------------------------------------------------- */
/* discovery                                                         */

static void version_done(struct kc_client *cl, struct kc_req *r)
{
	struct live *l = r->ctx;
	struct arena a;
	struct json root;
	struct json_error je;
	const char *gv;

	arena_init(&a, 0);
	if (r->status == 200 && r->body.p &&
	    json_parse(r->body.p, r->body.len, &a, &root, &je) == 0 &&
	    (gv = json_str(json_get(&root, "gitVersion"))) && *gv)
		snprintf(l->res->cluster_version, sizeof(l->res->cluster_version), "%s", gv);
	else if (r->status != 200)
		warn_add(cl->warn, "%s/version: could not read the cluster version (HTTP %ld)",
			 cl->cfg->cluster.server, r->status);
	arena_release(&a);
	kc_req_free(r);
}

static void apis_done(struct kc_client *cl, struct kc_req *r)
{
	struct live *l = r->ctx;
	struct arena a;
	struct json root;
	struct json_error je;
	const struct json *groups;
	struct buf b;

	(void)cl;
	arena_init(&a, 0);
	buf_init(&b, 0);
	if (r->status == 200 && r->body.p &&
	    json_parse(r->body.p, r->body.len, &a, &root, &je) == 0 &&
	    json_is(groups = json_get(&root, "groups"), JSON_ARRAY)) {
		for (size_t i = 0; i < groups->n; i++) {
			const struct json *vs = json_get(&groups->u.items[i], "versions");
			for (size_t j = 0; json_is(vs, JSON_ARRAY) && j < vs->n; j++) {
				const char *gv = json_str(json_get(&vs->u.items[j], "groupVersion"));
				if (gv)
					buf_addf(&b, ";%s;", gv);
			}
		}
		l->groups = buf_detach(&b);
		l->have_groups = true;
	}
	buf_release(&b);
	arena_release(&a);
	kc_req_free(r);
}

static bool served(const struct live *l, const char *group, const char *version)
{
	char *key = xasprintf(";%s/%s;", group, version);
	bool ok = strstr(l->groups, key) != NULL;
	free(key);
	return ok;
}

/* The legacy versions of a kind, in the order to try after v1 answered 404. */
static const char *const legacy[][3] = {
	[K_INGRESS] = { "networking.k8s.io/v1beta1", "extensions/v1beta1", NULL },
	[K_INGRESSCLASS] = { "networking.k8s.io/v1beta1", NULL, NULL },
	[K_ENDPOINTSLICE] = { "discovery.k8s.io/v1beta1", NULL, NULL },
};

/*
 * Job j's kind answered 404 as a resource (not served at this version):
 * move it to the next legacy version the cluster may serve (any, when
 * discovery was unreadable). Returns true when j's path was changed.
 */
static bool next_version(struct live *l, struct list_job *j)
{
	const char *const *v = (size_t)j->k < sizeof(legacy) / sizeof(legacy[0]) ?
			       legacy[j->k] : NULL;
	size_t i = 0;
	char *old_prefix, *new_prefix = NULL, *nb;
	const char *slash;

	if (!v || !v[0])
		return false;
	/* the version j used is j->api_version: try the ones after it */
	while (i < 3 && v[i] && strcmp(v[i], j->api_version))
		i++;
	i = i < 3 && v[i] ? i + 1 : 0;
	for (; i < 3 && v[i]; i++) {
		char *g;
		bool ok;
		slash = strchr(v[i], '/');
		g = xstrndup(v[i], (size_t)(slash - v[i]));
		ok = !l->have_groups || served(l, g, slash + 1);
		free(g);
		if (ok)
			break;
	}
	if (i >= 3 || !v[i])
		return false;
	old_prefix = xasprintf("/apis/%s/", j->api_version);
	if (strncmp(j->base, old_prefix, strlen(old_prefix))) {
		free(old_prefix);
		return false;
	}
	new_prefix = xasprintf("/apis/%s/", v[i]);
	nb = xasprintf("%s%s", new_prefix, j->base + strlen(old_prefix));
	free(j->base);
	j->base = nb;
	free(j->api_version);
	j->api_version = xstrdup(v[i]);
	/* later requests of the kind use it too */
	slash = strchr(v[i], '/');
	if (!strncmp(l->api[j->k].group, v[i], (size_t)(slash - v[i])) &&
	    strlen(l->api[j->k].group) == (size_t)(slash - v[i]) &&
	    strcmp(l->api[j->k].version, slash + 1)) {
		l->api[j->k].version = slash + 1;   /* points into the static table */
		if (!l->warned_legacy[j->k])
			warn_add(l->cl->warn, "%s: %s is not served; reading %s",
				 kind_resource(j->k), old_prefix, v[i]);
		l->warned_legacy[j->k] = true;
	}
	free(old_prefix);
	free(new_prefix);
	return true;
}

/* Pick the first served version of each group kind (legacy on old clusters). */
static void pick_versions(struct live *l)
{
	static const struct { enum kind k; const char *gv[3][2]; } pref[] = {
		{ K_INGRESS, { { "networking.k8s.io", "v1" }, { "networking.k8s.io", "v1beta1" },
			       { "extensions", "v1beta1" } } },
		{ K_INGRESSCLASS, { { "networking.k8s.io", "v1" },
				    { "networking.k8s.io", "v1beta1" }, { NULL, NULL } } },
		{ K_ENDPOINTSLICE, { { "discovery.k8s.io", "v1" }, { "discovery.k8s.io", "v1beta1" },
				     { NULL, NULL } } },
		{ K_NETWORKPOLICY, { { "networking.k8s.io", "v1" }, { NULL, NULL },
				     { NULL, NULL } } },
		{ K_DEPLOYMENT, { { "apps", "v1" }, { NULL, NULL }, { NULL, NULL } } },
		{ K_STATEFULSET, { { "apps", "v1" }, { NULL, NULL }, { NULL, NULL } } },
		{ K_DAEMONSET, { { "apps", "v1" }, { NULL, NULL }, { NULL, NULL } } },
		{ K_REPLICASET, { { "apps", "v1" }, { NULL, NULL }, { NULL, NULL } } },
	};

	memcpy(l->api, default_api, sizeof(l->api));
	if (!l->have_groups)
		return;      /* /apis unreadable: assume current versions */
	for (size_t i = 0; i < sizeof(pref) / sizeof(pref[0]); i++) {
		bool found = false;
		for (size_t j = 0; j < 3 && pref[i].gv[j][0] && !found; j++) {
			if (served(l, pref[i].gv[j][0], pref[i].gv[j][1])) {
				l->api[pref[i].k].group = pref[i].gv[j][0];
				l->api[pref[i].k].version = pref[i].gv[j][1];
				found = true;
			}
		}
		l->skip[pref[i].k] = !found;
	}
}

/* ---------------------------------------------------------------- */
/* lists                                                             */

/* Hand one object of job j to the hook and the sink. */
static int emit(struct list_job *j, const struct json *value, struct err *err)
{
	struct live *l = j->l;
	struct src_obj o;
	struct json reduced;
	struct json_member mem[4];

	if (l->on_item && j->targeted)
		l->on_item(l, j->k, j->role, j->tag, value);
	memset(&o, 0, sizeof(o));
	o.obj = value;
	o.kind = kind_name(j->k);
	o.api_version = j->api_version;
	o.file = j->base;
	o.index = j->index++;
	if (j->k == K_SECRET) {
		/* metadata only, whatever the server sent (never data) */
		const struct json *md = json_get(value, "metadata");
		const struct json *type = json_get(value, "type");
		struct json mdc;
		uint32_t n = 0;
		if (json_is(md, JSON_OBJECT)) {
			size_t keep = 0;
			struct json_member *mm = xcalloc(md->n + 1, sizeof(*mm));
			for (size_t i = 0; i < md->n; i++) {
				if (!strcmp(md->u.members[i].key, "annotations"))
					continue;   /* last-applied-configuration can hold the data */
				mm[keep++] = md->u.members[i];
			}
			mdc = *md;
			mdc.u.members = mm;
			mdc.n = (uint32_t)keep;
			mem[n++] = (struct json_member){ "metadata", 8, mdc };
		}
		if (json_is(type, JSON_STRING))
			mem[n++] = (struct json_member){ "type", 4, *type };
		memset(&reduced, 0, sizeof(reduced));
		reduced.type = JSON_OBJECT;
		reduced.n = n;
		reduced.u.members = mem;
		o.obj = &reduced;
		int rc = l->sink->object(l->sink->ctx, &o, err);
		if (json_is(md, JSON_OBJECT))
			free(mem[0].val.u.members);
		return rc;
	}
	return l->sink->object(l->sink->ctx, &o, err);
}

static int list_item(void *ctx, const struct json_item *it, struct err *err)
{
	if (!it->in_list)
		return 0;
	return emit(ctx, it->value, err);
}

static int list_end(void *ctx, const struct json *env, size_t doc, struct err *err)
{
	struct list_job *j = ctx;
	const char *c = json_str(json_path(env, "metadata", "continue", NULL));

	(void)doc;
	(void)err;
	free(j->next_continue);
	j->next_continue = c && *c ? xstrdup(c) : NULL;
	return 0;
}

static void job_free(void *ctx)
{
	struct list_job *j = ctx;

	free(j->base);
	free(j->api_version);
	free(j->next_continue);
	free(j->ns);
	free(j);
}

static const char *rbac_group(const char *g)
{
	return *g ? g : "\"\" (core)";
}

/* A 404 Status naming the object asked for: the object does not exist (the kind is served). */
static bool object_not_found(const struct kc_req *r)
{
	struct arena a;
	struct json root;
	struct json_error je;
	char *copy;
	bool named = false;

	if (!r->body.p || !r->body.len)
		return false;
	arena_init(&a, 0);
	copy = xmalloc(r->body.len + 1);
	memcpy(copy, r->body.p, r->body.len);
	if (json_parse(copy, r->body.len, &a, &root, &je) == 0) {
		const char *reason = json_str(json_get(&root, "reason"));
		const char *name = json_str(json_path(&root, "details", "name", NULL));
		named = reason && !strcmp(reason, "NotFound") && name && *name;
	}
	free(copy);
	arena_release(&a);
	return named;
}

/* The object of a GET: parse and emit. */
static void get_ok(struct kc_client *cl, struct list_job *j, struct kc_req *r)
{
	struct arena a;
	struct json root;
	struct json_error je;
	struct err err = ERR_INIT;

	arena_init(&a, 0);
	if (!r->body.p || json_parse(r->body.p, r->body.len, &a, &root, &je) < 0 ||
	    !json_is(&root, JSON_OBJECT))
		warn_add(cl->warn, "%s: unreadable answer", j->base);
	else if (emit(j, &root, &err) < 0)
		fail(cl, &err);
	arena_release(&a);
}

static void forbidden(struct live *l, struct list_job *j, const char *msg)
{
	const struct kind_api *a = &l->api[j->k];
	const char *ns = j->targeted ? j->ns : l->scope->ns;
	bool wide = a->cluster || !ns;

	if (l->res->forbidden[j->k])
		return;
	l->res->forbidden[j->k] = true;
	free(l->res->forbidden_msg[j->k]);
	l->res->forbidden_msg[j->k] = xasprintf(
		"grant %s on %s in API group %s%s%s", j->get ? "get" : "list", kind_resource(j->k),
		rbac_group(a->group), wide ? " (cluster-wide)" : " in namespace ", wide ? "" : ns);
	warn_add(l->cl->warn, "%s could not be read: %s; %s", kind_resource(j->k), msg,
		 l->res->forbidden_msg[j->k]);
}

static void list_done(struct kc_client *cl, struct kc_req *r)
{
	struct list_job *j = r->ctx;
	struct live *l = j->l;
	struct err err = ERR_INIT;
	char msg[512];

	l->res->lists++;
	if (r->status == 200 && j->get) {
		get_ok(cl, j, r);
		goto drop;
	}
	if (r->status == 200) {
		free(j->next_continue);
		j->next_continue = NULL;
		if (json_stream_buf(r->body.p ? r->body.p : (char *)"", r->body.len, j->base, 0,
				    list_item, list_end, j, &err) < 0) {
			if (err.code != ERR_INPUT) {
				fail(cl, &err);
			} else {
				warn_add(cl->warn, "%s: unreadable answer: %s", j->base, err.msg);
				if (j->targeted && !j->partial)
					l->not_served[j->k] = true;   /* not proof of absence */
			}
			goto drop;
		}
		if (j->next_continue && j->one_page) {
			if (j->more)
				*j->more = true;
		} else if (j->next_continue) {
			free(r->path);
			struct buf b;
			buf_init(&b, 0);
			buf_addf(&b, "%s&continue=", j->base);
			kc_query_escape(&b, j->next_continue);
			r->path = buf_detach(&b);
			r->attempts = 0;
			r->auth_retried = false;
			r->not_before = 0;
			kc_client_submit(cl, r);
			return;
		}
		if (!j->partial && !j->targeted) {
			l->res->listed[j->k] = true;
			if (l->sink->kind_seen)
				l->sink->kind_seen(l->sink->ctx, kind_name(j->k));
		}
		goto drop;
	}
	kc_status_message(r, msg, sizeof(msg));
	if (r->status == 410 && !j->get && j->restarts < MAX_RESTARTS) {
		/* the continue token expired: list again from the start (the model
		 * keeps one object per name, so items seen twice are not doubled) */
		j->restarts++;
		j->index = 0;
		free(r->path);
		r->path = xstrdup(j->base);
		r->attempts = 0;
		r->not_before = 0;
		kc_client_submit(cl, r);
		return;
	}
	if (r->status == 403) {
		if (!j->partial)
			forbidden(l, j, msg);
		goto drop;
	}
	if (r->status == 404 && j->get && object_not_found(r))
		goto drop;       /* proof that the object does not exist */
	if (r->status == 404 && next_version(l, j)) {
		free(r->path);
		r->path = xstrdup(j->base);
		r->attempts = 0;
		r->not_before = 0;
		j->index = 0;
		kc_client_submit(cl, r);
		return;
	}
	if (r->status == 404) {
		if (j->targeted) {
			if (l->not_served[j->k])
				goto drop;
			l->not_served[j->k] = true;
		}
		warn_add(cl->warn, "%s are not served by this cluster (404); checks using them are "
			 "skipped", kind_resource(j->k));
		goto drop;
	}
	warn_add(cl->warn, "could not %s %s: %s", j->get ? "get" : "list", kind_resource(j->k),
		 msg);
	if (j->targeted && !j->partial)
		l->not_served[j->k] = true;   /* incomplete: not proof of absence */
drop:
	kc_req_free(r);   /* frees j */
}

void live_submit(struct live *l, enum kind k, const struct live_req_opts *o)
{
	const struct kind_api *a = &l->api[k];
	struct list_job *j = xcalloc(1, sizeof(*j));
	struct buf b;
	struct kc_req *r;

	buf_init(&b, 0);
	buf_add(&b, *a->group ? "/apis/" : "/api/");
	if (*a->group)
		buf_addf(&b, "%s/", a->group);
	buf_add(&b, a->version);
	if (o->ns && !a->cluster)
		buf_addf(&b, "/namespaces/%s", o->ns);
	buf_addf(&b, "/%s", kind_resource(k));
	if (o->name) {
		buf_add(&b, "/");
		kc_query_escape(&b, o->name);   /* also right for a path segment */
	} else {
		buf_addf(&b, "?limit=%u", o->limit ? o->limit : LIST_LIMIT);
	}
	if (!o->name && o->label) {
		buf_add(&b, "&labelSelector=");
		kc_query_escape(&b, o->label);
	}
	if (!o->name && o->field) {
		buf_add(&b, "&fieldSelector=");
		kc_query_escape(&b, o->field);
	}
	j->l = l;
	j->k = k;
	j->partial = o->partial;
	j->targeted = o->targeted;
	j->get = o->name != NULL;
	j->role = o->role;
	j->tag = o->tag;
	j->one_page = o->limit > 0;
	j->more = o->more;
	j->ns = o->ns ? xstrdup(o->ns) : NULL;
	j->base = buf_detach(&b);
	j->api_version = *a->group ? xasprintf("%s/%s", a->group, a->version)
				   : xstrdup(a->version);
	r = kc_req_new(j->base, list_done, j);
	r->free_ctx = job_free;
	if (k == K_SECRET)
		r->accept = j->get ? PMD_ACCEPT_ONE : PMD_ACCEPT;
	kc_client_submit(l->cl, r);
}

static void submit_list(struct live *l, enum kind k, const char *ns, const char *selector,
			bool partial)
{
	struct live_req_opts o = { .ns = ns, .label = selector, .partial = partial };

	live_submit(l, k, &o);
}

int live_read(struct kc_client *cl, const struct live_scope *s, const struct source_sink *sink,
	      struct live_result *res, struct err *err)
{
	struct live l;
	int rc = -1;

	memset(&l, 0, sizeof(l));
	memset(res, 0, sizeof(*res));
	l.cl = cl;
	l.scope = s;
	l.sink = sink;
	l.res = res;
	kc_client_submit(cl, kc_req_new("/version", version_done, &l));
	kc_client_submit(cl, kc_req_new("/apis", apis_done, &l));
	if (kc_client_run(cl, err) < 0)
		goto out;
	pick_versions(&l);
	if (s->nnames) {
		if (live_read_targeted(&l, err) < 0)
			goto out;
		rc = 0;
		goto out;
	}
	for (int k = 0; k < K__COUNT; k++)
		if (!l.skip[k])
			submit_list(&l, (enum kind)k, s->ns, NULL, false);
	if (s->ns)
		/* the ingress controller usually runs in another namespace */
		submit_list(&l, K_POD, NULL, "app.kubernetes.io/component=controller", true);
	if (kc_client_run(cl, err) < 0)
		goto out;
	rc = 0;
out:
	free(l.groups);
	return rc;
}

void live_result_release(struct live_result *res)
{
	for (int k = 0; k < K__COUNT; k++)
		free(res->forbidden_msg[k]);
	memset(res, 0, sizeof(*res));
}

void live_result_apply(const struct live_result *res, struct model *m)
{
	if (res->cluster_version[0])
		m->cluster_version = arena_strdup(&m->arena, res->cluster_version);
	if (res->server_time > m->now)
		m->now = (ktime)res->server_time;
	for (int k = 0; k < K__COUNT; k++)
		if (res->forbidden[k])
			m->forbidden[k] = true;
}
