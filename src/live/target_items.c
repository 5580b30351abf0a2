/*
 * target_items: what each object answered during the named-Ingress read
 * (target.c) adds to its state (target_int.h): the backend Services of
 * the Ingresses, their selectors, Endpoints and slices seen, the pods they
 * select and their nodes, the controller pods (their namespace, node and
 * ConfigMap), and the scratch model of round 1 that says whether a
 * controller was found.
 */
#include "target_int.h"
#include "../controller/controller.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

bool tg_pairs_add(struct pairs *p, const char *ns, const char *name)
{
	if (!name || !*name)
		return false;
	ns = ns ? ns : "";
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].ns, ns) && !strcmp(p->v[i].name, name))
			return false;
	XGROW(p->v, p->cap, p->n + 1);
	p->v[p->n].ns = xstrdup(ns);
	p->v[p->n].name = xstrdup(name);
	p->n++;
	return true;
}

void tg_pairs_release(struct pairs *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].ns);
		free(p->v[i].name);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static void add_service(struct target *t, const char *ns, const char *name)
{
	struct tsvc *s;

	if (!name || !*name)
		return;
	for (size_t i = 0; i < t->nsvcs; i++)
		if (!strcmp(t->svcs[i]->ns, ns) && !strcmp(t->svcs[i]->name, name))
			return;
	s = xcalloc(1, sizeof(*s));
	s->ns = xstrdup(ns);
	s->name = xstrdup(name);
	XGROW(t->svcs, t->capsvcs, t->nsvcs + 1);
	t->svcs[t->nsvcs++] = s;
}

/* A backend: v1 service.name, v1beta1 serviceName. */
static void add_backend(struct target *t, const char *ns, const struct json *b)
{
	const char *n = json_str(json_path(b, "service", "name", NULL));

	if (!n)
		n = json_str(json_get(b, "serviceName"));
	if (n)
		add_service(t, ns, n);
}

static void on_ingress(struct target *t, const struct json *o)
{
	const char *ns = json_str(json_path(o, "metadata", "namespace", NULL));
	const struct json *spec = json_get(o, "spec");
	const struct json *rules = json_get(spec, "rules");
	const struct json *tls = json_get(spec, "tls");

	if (!ns)
		return;
	tg_pairs_add(&t->nss, "", ns);
	add_backend(t, ns, json_get(spec, "defaultBackend"));
	add_backend(t, ns, json_get(spec, "backend"));
	for (size_t i = 0; json_is(rules, JSON_ARRAY) && i < rules->n; i++) {
		const struct json *paths = json_path(&rules->u.items[i], "http", "paths", NULL);
		for (size_t k = 0; json_is(paths, JSON_ARRAY) && k < paths->n; k++)
			add_backend(t, ns, json_get(&paths->u.items[k], "backend"));
	}
	for (size_t i = 0; json_is(tls, JSON_ARRAY) && i < tls->n; i++)
		tg_pairs_add(&t->secrets, ns, json_str(json_get(&tls->u.items[i], "secretName")));
}

static void on_service(struct tsvc *s, const struct json *o)
{
	const struct json *sel = json_path(o, "spec", "selector", NULL);
	const char *type = json_str(json_path(o, "spec", "type", NULL));
	struct buf b;

	s->found = true;
	if (type && !strcmp(type, "ExternalName"))
		return;
	if (!json_is(sel, JSON_OBJECT) || !sel->n) {
		s->want_ns_pods = true;
		return;
	}
	buf_init(&b, 0);
	for (size_t i = 0; i < sel->n; i++) {
		const char *v = json_str(&sel->u.members[i].val);
		buf_addf(&b, "%s%s=%s", i ? "," : "", sel->u.members[i].key, v ? v : "");
	}
	free(s->selector);
	s->selector = buf_detach(&b);
}

static bool has_prefix(const char *s, const char *p)
{
	return s && !strncmp(s, p, strlen(p));
}

/* Does a pod look like an ingress controller (for the whole-cluster fallback)? */
static bool looks_like_controller(const struct json *o)
{
	const struct json *labels = json_path(o, "metadata", "labels", NULL);
	const struct json *cs = json_path(o, "spec", "containers", NULL);
	const char *comp = json_str(json_get(labels, "app.kubernetes.io/component"));
	const char *name = json_str(json_get(labels, "app.kubernetes.io/name"));

	if ((comp && !strcmp(comp, "controller")) || (name && strstr(name, "ingress")))
		return true;
	for (size_t i = 0; json_is(cs, JSON_ARRAY) && i < cs->n; i++) {
		const char *img = json_str(json_get(&cs->u.items[i], "image"));
		const char *arg0 = json_str(json_at(json_get(&cs->u.items[i], "args"), 0));
		if ((img && (strstr(img, "ingress") || strstr(img, "traefik") ||
			     strstr(img, "haproxy") || strstr(img, "contour") ||
			     strstr(img, "envoy") || strstr(img, "kong"))) ||
		    (arg0 && strstr(arg0, "ingress")))
			return true;
	}
	return false;
}

/*
 * The namespace part of --configmap=NS/NAME: "$(VAR)" is expanded by the
 * kubelet from the container's env; the charts set POD_NAMESPACE from the
 * downward API (fieldRef metadata.namespace). NULL when unresolvable.
 */
static char *arg_ns(const struct json *c, const char *pod_ns, const char *v, size_t n)
{
	const struct json *env = json_get(c, "env");

	if (n < 4 || strncmp(v, "$(", 2) || v[n - 1] != ')')
		return xstrndup(v, n);
	for (size_t i = 0; json_is(env, JSON_ARRAY) && i < env->n; i++) {
		const struct json *e = &env->u.items[i];
		const char *name = json_str(json_get(e, "name"));
		const char *val = json_str(json_get(e, "value"));
		const char *fp = json_str(json_path(e, "valueFrom", "fieldRef", "fieldPath", NULL));
		if (!name || strlen(name) != n - 3 || strncmp(name, v + 2, n - 3))
			continue;
		if (val)
			return xstrdup(val);
		if (fp && !strcmp(fp, "metadata.namespace"))
			return xstrdup(pod_ns);
	}
	return NULL;
}

/* A controller pod: its node, its namespace (events, policies), its ConfigMap. */
static void on_controller(struct target *t, const struct json *o)
{
	const char *ns = json_str(json_path(o, "metadata", "namespace", NULL));
	const struct json *cs = json_path(o, "spec", "containers", NULL);

	t->nctl++;
	tg_pairs_add(&t->nodes, "", json_str(json_path(o, "spec", "nodeName", NULL)));
	if (!ns)
		return;
	tg_pairs_add(&t->nss, "", ns);
	for (size_t i = 0; json_is(cs, JSON_ARRAY) && i < cs->n; i++) {
		const struct json *args = json_get(&cs->u.items[i], "args");
		for (size_t k = 0; json_is(args, JSON_ARRAY) && k < args->n; k++) {
			const char *a = json_str(&args->u.items[k]), *v, *slash;
			if (!has_prefix(a, "--configmap="))
				continue;
			v = a + strlen("--configmap=");
			slash = strchr(v, '/');
			if (!slash) {
				tg_pairs_add(&t->cms, ns, v);
			} else if (slash > v) {
				char *cns = arg_ns(&cs->u.items[i], ns, v, (size_t)(slash - v));
				if (cns && *cns)
					tg_pairs_add(&t->cms, cns, slash + 1);
				free(cns);
			}
		}
	}
}

/* Keep an object in the scratch model (round 1 only). */
static void keep(struct target *t, enum kind k, const struct json *o)
{
	const struct kind_api *a = &t->l->api[k];
	char av[96];
	struct src_obj so;
	struct err err = ERR_INIT;

	if (t->scratch.finished)
		return;
	snprintf(av, sizeof(av), "%s%s%s", a->group, *a->group ? "/" : "", a->version);
	memset(&so, 0, sizeof(so));
	so.obj = o;
	so.kind = kind_name(k);
	so.api_version = av;
	so.file = "(targeted read)";
	model_add(&t->scratch, &so, &err);
}

/* Round 1's scratch model: is a controller pod found for every Ingress? (target_int.h) */
bool tg_need_all_pods(struct target *t)
{
	struct model *m = &t->scratch;

	model_finish(m);
	for (size_t i = 0; i < m->ningresses; i++) {
		const struct ingress *ing = &m->ingresses[i];
		const char *name = *ing->class_name ? ing->class_name : ing->class_annotation;
		const struct ingressclass *cls = NULL;
		const struct controller_impl *ci;
		const struct pod **pods = NULL;
		size_t n, ndef = 0;

		for (size_t k = 0; k < m->nclasses; k++) {
			if (*name && !strcmp(m->classes[k].meta.name, name))
				cls = &m->classes[k];
			if (!*name && m->classes[k].is_default && ++ndef == 1)
				cls = &m->classes[k];
		}
		if (!cls || ndef > 1 || !(ci = controller_for(cls->controller)))
			return true;
		if (ci->external)
			continue;
		n = ci->find_pods(m, cls->controller, &pods);
		free(pods);
		if (!n)
			return true;
	}
	return false;
}

/* Does the Service's selector ("k=v,k2=v2") match the pod's labels? */
static bool selects(const struct tsvc *v, const struct json *pod)
{
	const struct json *labels = json_path(pod, "metadata", "labels", NULL);
	const char *p = v->selector;
	const char *ns = json_str(json_path(pod, "metadata", "namespace", NULL));

	if (!p || !ns || strcmp(ns, v->ns))
		return false;
	while (*p) {
		const char *eq = strchr(p, '='), *end = strchr(p, ',');
		const struct json *lv;
		char *key;
		bool ok;
		if (!end)
			end = p + strlen(p);
		if (!eq || eq > end)
			return false;
		key = xstrndup(p, (size_t)(eq - p));
		lv = json_get(labels, key);
		free(key);
		ok = json_is(lv, JSON_STRING) && lv->n == (size_t)(end - eq - 1) &&
		     !memcmp(lv->u.s, eq + 1, lv->n);
		if (!ok)
			return false;
		p = *end ? end + 1 : end;
	}
	return true;
}

static struct tsvc *find_svc(struct target *t, const struct json *o)
{
	const char *ns = json_str(json_path(o, "metadata", "namespace", NULL));
	const char *name = json_str(json_path(o, "metadata", "name", NULL));

	for (size_t i = 0; ns && name && i < t->nsvcs; i++)
		if (!strcmp(t->svcs[i]->ns, ns) && !strcmp(t->svcs[i]->name, name))
			return t->svcs[i];
	return NULL;
}

void tg_on_item(struct live *l, enum kind k, int role, void *tag, const struct json *o)
{
	struct target *t = l->tctx;
	struct tsvc *v;

	switch (role) {
	case R_INGRESS:
		if (k == K_INGRESS) {
			on_ingress(t, o);
			keep(t, k, o);
		}
		break;
	case R_CLASS:
		keep(t, k, o);
		break;
	case R_SLICES: {
		const char *ns = json_str(json_path(o, "metadata", "namespace", NULL));
		const char *svc = json_str(json_path(o, "metadata", "labels",
						     "kubernetes.io/service-name", NULL));
		for (size_t i = 0; ns && svc && i < t->nsvcs; i++)
			if (!strcmp(t->svcs[i]->ns, ns) && !strcmp(t->svcs[i]->name, svc))
				t->svcs[i]->nslices++;
		break;
	}
	case R_SERVICE:
		if ((v = tag ? tag : find_svc(t, o)))
			on_service(v, o);
		break;
	case R_ENDPOINTS:
		if ((v = tag ? tag : find_svc(t, o)))
			v->have_ep = true;
		break;
	case R_NODE:
		tg_pairs_add(&t->nodes_seen, "", json_str(json_path(o, "metadata", "name", NULL)));
		break;
	case R_NETPOL:
		t->any_netpol = true;
		break;
	case R_BACKEND_POD:
		for (size_t i = 0; i < t->nsvcs; i++)
			if ((!tag || tag == t->svcs[i]) && selects(t->svcs[i], o))
				t->svcs[i]->npods++;
		/* fall through */
	case R_NS_POD:
		tg_pairs_add(&t->nodes, "", json_str(json_path(o, "spec", "nodeName", NULL)));
		break;
	case R_CTL_POD:
		on_controller(t, o);
		keep(t, k, o);
		break;
	case R_ANY_POD:
		if (looks_like_controller(o))
			on_controller(t, o);
		break;
	default:
		break;
	}
}
