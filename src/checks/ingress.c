/*
 * ingress: runbook step 5, the Ingress object itself. Resolves the
 * Ingress's class (spec.ingressClassName, else the legacy annotation, else
 * the default IngressClass) into c->cls and checks the class exists, the
 * TLS Secrets exist (metadata only, never data) and the API version and
 * class annotation are not deprecated. Ids: ingress-class-missing,
 * ingress-tls-secret-missing, ingress-deprecated-api.
 */
#include "check.h"
#include "h4_util.h"
#include "../controller/controller.h"

#include <stdlib.h>
#include <string.h>

#define CLASS_ANNOTATION "kubernetes.io/ingress.class"

/*
 * Controllers that serve an annotation class without any IngressClass
 * object: GKE's ingress controllers run outside the cluster and read
 * kubernetes.io/ingress.class "gce" / "gce-internal".
 */
static bool classless_controller(const char *name)
{
	return !strcmp(name, "gce") || !strcmp(name, "gce-internal");
}

/*
 * The default IngressClass the DefaultIngressClass admission plugin would
 * pick: with several, the newest by creationTimestamp, ties by name.
 * Sets *ndefault to how many classes are marked default.
 */
static const struct ingressclass *default_class(const struct model *m, size_t *ndefault)
{
	const struct ingressclass *best = NULL;

	*ndefault = 0;
	for (size_t i = 0; i < m->nclasses; i++) {
		const struct ingressclass *k = &m->classes[i];
		if (!k->is_default)
			continue;
		(*ndefault)++;
		if (!best || k->meta.created > best->meta.created ||
		    (k->meta.created == best->meta.created &&
		     strcmp(k->meta.name, best->meta.name) < 0))
			best = k;
	}
	return best;
}

/* "nginx (default), traefik" into the diag arena; "none" when empty. */
static const char *class_list(struct check_ctx *c)
{
	struct buf b;
	const char *s;

	buf_init(&b, 4096);
	for (size_t i = 0; i < c->m->nclasses && i < 10; i++) {
		const struct ingressclass *k = &c->m->classes[i];
		buf_addf(&b, "%s%s%s", i ? ", " : "", k->meta.name,
			 k->is_default ? " (default)" : "");
	}
	if (c->m->nclasses > 10)
		buf_addf(&b, ", ... (%zu in all)", c->m->nclasses);
	s = diag_strdup(c->d, b.p && *b.p ? b.p : "none");
	buf_release(&b);
	return s;
}

static void all_hops(struct check_ctx *c, enum verdict v, const char *text)
{
	for (size_t i = 0; i < c->ning_chains; i++)
		chain_hop(c->d, c->ing_chains[i], HOP_INGRESS, v, "%s", text);
}

static void class_missing(struct check_ctx *c, const char *name, const char *from)
{
	const struct ingress *ing = c->ing;
	const char *ns = ing->meta.ns, *n = ing->meta.name;
	struct finding *f = check_finding(c, "ingress-class-missing", SEV_ERROR, HOP_INGRESS,
					  "Ingress", ns, n, NULL);

	if (name) {
		finding_message(c->d, f, "Ingress %s/%s names IngressClass %s, which does "
				"not exist", ns, n, name);
		finding_evidence(c->d, f, "%s: %s", from, name);
		finding_fix(c->d, f, "set spec.ingressClassName of Ingress %s/%s to an existing "
			    "IngressClass, or create IngressClass %s for its controller",
			    ns, n, name);
	} else {
		finding_message(c->d, f, "Ingress %s/%s has no class and no IngressClass is marked "
				"default: no controller serves it", ns, n);
		finding_evidence(c->d, f, "spec.ingressClassName unset, no %s annotation",
				 CLASS_ANNOTATION);
		finding_evidence(c->d, f, "no IngressClass has annotation "
				 "ingressclass.kubernetes.io/is-default-class: \"true\"");
		finding_fix(c->d, f, "set spec.ingressClassName of Ingress %s/%s to the "
			    "IngressClass of your controller", ns, n);
	}
	finding_evidence(c->d, f, "IngressClasses in the input: %s", class_list(c));
	finding_command(c->d, f, "kubectl get ingressclass");
	finding_command(c->d, f, "kubectl get ingress %s -n %s -o yaml", n, ns);
	all_hops(c, V_FAIL, name ? diag_printf(c->d, "class %s: no such IngressClass", name)
			   : "no class and no default IngressClass");
}

/* A Go strconv.ParseBool true: 1, t, T, TRUE, true, True. */
static bool go_bool_true(const char *v)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!strcmp(v, yes[i]))
			return true;
	return false;
}

/*
 * Is a boolean flag on in a container's command + args: "--flag" or
 * "--flag=<true>" (a bool flag takes no separate value)? The last one wins.
 */
static bool bool_flag_on(const struct container *k, const char *flag)
{
	size_t n = strlen(flag);
	bool on = false;

	for (uint32_t i = 0; i < k->nargs; i++) {
		const char *a = k->args[i];
		if (!a || strncmp(a, flag, n))
			continue;
		if (!a[n])
			on = true;
		else if (a[n] == '=')
			on = go_bool_true(a + n + 1);
	}
	return on;
}

/*
 * Ingresses with no class are served by ingress-nginx pods started with
 * --watch-ingress-without-class (kubernetes-api.md 5.2). Returns the
 * IngressClass of the first such pod (the class naming the controller
 * class the pod runs), else NULL; *pod receives the pod found, if any.
 */
static const struct ingressclass *classless_served(const struct model *m,
						   const struct pod **pod)
{
	const struct controller_impl *ci = controller_for("k8s.io/ingress-nginx");
	const struct ingressclass *found = NULL;
	const struct pod **pods = NULL;
	size_t n;

	*pod = NULL;
	if (!ci || !m->present[K_POD])
		return NULL;
	n = ci->find_pods(m, NULL, &pods);
	for (size_t i = 0; i < n && !*pod; i++)
		for (uint32_t j = 0; j < pods[i]->ncontainers && !*pod; j++)
			if (!pods[i]->containers[j].init &&
			    bool_flag_on(&pods[i]->containers[j], "--watch-ingress-without-class"))
				*pod = pods[i];
	free(pods);
	for (size_t i = 0; *pod && i < m->nclasses && !found; i++) {
		const struct ingressclass *k = &m->classes[i];
		if (!ci->serves(k->controller))
			continue;
		n = ci->find_pods(m, k->controller, &pods);
		for (size_t j = 0; j < n && !found; j++)
			if (pods[j] == *pod)
				found = k;
		free(pods);
	}
	return found;
}

static void check_class(struct check_ctx *c)
{
	const struct model *m = c->m;
	const struct ingress *ing = c->ing;
	const char *name = NULL, *from = NULL;
	const struct ingressclass *k;
	size_t ndef;

	c->cls = NULL;
	if (*ing->class_name) {
		name = ing->class_name;
		from = "spec.ingressClassName";
	} else if (*ing->class_annotation) {
		name = ing->class_annotation;
		from = "annotation " CLASS_ANNOTATION;
	}

	if (!m->present[K_INGRESSCLASS] || m->forbidden[K_INGRESSCLASS]) {
		const char *why = m->forbidden[K_INGRESSCLASS]
			? "could not be read (forbidden)" : "are absent from the input";
		diag_note(c->d, "IngressClass objects %s: the class of Ingress %s/%s was not "
			  "checked (add `kubectl get ingressclass -o json` to the snapshot)",
			  why, ing->meta.ns, ing->meta.name);
		all_hops(c, V_UNKNOWN,
			 name ? diag_printf(c->d, "class %s (IngressClasses %s)", name, why)
			      : diag_printf(c->d, "no class given (IngressClasses %s)", why));
		return;
	}

	if (name) {
		k = model_ingressclass(m, name);
		if (k) {
			c->cls = k;
			all_hops(c, V_OK, diag_printf(c->d, "class %s -> %s", name, k->controller));
			return;
		}
		if (classless_controller(name)) {
			diag_note(c->d, "Ingress %s/%s uses class %s: GKE's controller runs "
				  "outside the cluster and needs no IngressClass; its health is "
				  "not visible in the input", ing->meta.ns, ing->meta.name, name);
			all_hops(c, V_OK, diag_printf(c->d, "class %s (GKE, no IngressClass "
						      "needed)", name));
			return;
		}
		class_missing(c, name, from);
		return;
	}

	k = default_class(m, &ndef);
	if (!k) {
		const struct pod *p;
		k = classless_served(m, &p);
		if (p) {
			c->cls = k;
			all_hops(c, V_OK, diag_printf(c->d, "no class, served by ingress-nginx "
						      "(--watch-ingress-without-class, pod %s/%s)",
						      p->meta.ns, p->meta.name));
			return;
		}
		class_missing(c, NULL, NULL);
		return;
	}
	c->cls = k;
	if (ndef > 1)
		diag_note(c->d, "%zu IngressClasses are marked default; Ingress %s/%s has no class "
			  "and is taken to use the newest, %s", ndef, ing->meta.ns, ing->meta.name,
			  k->meta.name);
	all_hops(c, V_OK, diag_printf(c->d, "no class, default %s -> %s", k->meta.name,
				      k->controller));
}

static void check_tls(struct check_ctx *c)
{
	const struct model *m = c->m;
	const struct ingress *ing = c->ing;
	const char *ns = ing->meta.ns, *n = ing->meta.name;
	struct finding *f = NULL;
	struct buf names;

	if (!ing->ntls)
		return;
	if (!m->present[K_SECRET] || m->forbidden[K_SECRET]) {
		diag_note(c->d, "Secrets %s: the TLS secrets of Ingress %s/%s were not checked "
			  "(add `kubectl get secrets -n %s -o json` or metadata only)",
			  m->forbidden[K_SECRET] ? "could not be read (forbidden)"
						 : "are absent from the input", ns, n, ns);
		return;
	}
	buf_init(&names, 4096);
	for (uint32_t i = 0; i < ing->ntls; i++) {
		const struct ingress_tls *t = &ing->tls[i];
		if (!*t->secret || model_secret(m, ns, t->secret))
			continue;
		if (!f)
			f = check_finding(c, "ingress-tls-secret-missing", SEV_WARNING, HOP_INGRESS,
					  "Ingress", ns, n, NULL);
		buf_addf(&names, "%s%s", names.len ? ", " : "", t->secret);
		finding_evidence(c->d, f, "spec.tls[%u].secretName: %s (hosts: %s): no such "
				 "Secret in %s", i, t->secret,
				 t->nhosts ? h4_join(c->d, t->hosts, t->nhosts) : "none", ns);
		finding_command(c->d, f, "kubectl get secret %s -n %s", t->secret, ns);
	}
	if (f) {
		finding_message(c->d, f, "Ingress %s/%s references TLS Secret %s, which does not "
				"exist in %s: the controller serves its default certificate",
				ns, n, names.p, ns);
		finding_fix(c->d, f, "create the TLS Secret %s in %s (or fix "
			    "spec.tls[].secretName)", names.p, ns);
	}
	buf_release(&names);
}

static void check_deprecated(struct check_ctx *c)
{
	const struct ingress *ing = c->ing;
	const char *ns = ing->meta.ns, *n = ing->meta.name, *av = ing->meta.api_version;
	bool old_api = av && (!strcmp(av, "extensions/v1beta1") ||
			      !strcmp(av, "networking.k8s.io/v1beta1"));
	/*
	 * GKE documents kubernetes.io/ingress.class "gce" / "gce-internal" as the
	 * way to select its own controllers (no IngressClass object exists for
	 * them), so "replace it with spec.ingressClassName" would be wrong advice
	 * there: only other values of the annotation are reported.
	 */
	bool annot = *ing->class_annotation != '\0' &&
		     !classless_controller(ing->class_annotation);
	struct finding *f;

	if (!old_api && !annot)
		return;
	f = check_finding(c, "ingress-deprecated-api", SEV_WARNING, HOP_INGRESS, "Ingress",
			  ns, n, NULL);
	if (old_api) {
		finding_message(c->d, f, "Ingress %s/%s uses apiVersion %s, removed in Kubernetes "
				"1.22", ns, n, av);
		finding_evidence(c->d, f, "apiVersion: %s", av);
		finding_fix(c->d, f, "rewrite the manifest as networking.k8s.io/v1 (service.name, "
			    "port.number/name, pathType, spec.ingressClassName)");
	}
	if (annot) {
		finding_message(c->d, f, "Ingress %s/%s selects its class with the deprecated "
				"annotation %s", ns, n, CLASS_ANNOTATION);
		finding_evidence(c->d, f, "annotation %s: %s", CLASS_ANNOTATION,
				 ing->class_annotation);
		finding_fix(c->d, f, "replace annotation %s with spec.ingressClassName: %s",
			    CLASS_ANNOTATION, ing->class_annotation);
	}
	finding_command(c->d, f, "kubectl get ingress %s -n %s -o yaml", n, ns);
}

void check_ingress(struct check_ctx *c)
{
	check_class(c);
	check_tls(c);
	check_deprecated(c);
}
