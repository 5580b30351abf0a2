/*
 * gen_fields.c: the managedFields "fieldsV1" trees of the generator.
 *
 * fieldsV1 is the server-side-apply field set: an object per field
 * ("f:name"), per list item keyed by its merge key ("k:{\"name\":\"app\"}"),
 * "." for the field itself, {} at the leaves. The trees here mirror what
 * gen_pods.c writes in the specs, so each manager owns exactly the fields
 * that exist.
 */
#include "gen.h"

#include <stdio.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void fields_leaves(struct jw *w, const char *const *keys, size_t n)
{
	jw_leaf(w, ".");
	for (size_t i = 0; i < n; i++)
		jw_leaf(w, keys[i]);
}

static void fields_probe(struct jw *w, const char *key)
{
	static const char *const k1[] = { "f:path", "f:port", "f:scheme" };

	jw_obj(w, key);
	jw_leaf(w, ".");
	jw_leaf(w, "f:failureThreshold");
	jw_obj(w, "f:httpGet");
	fields_leaves(w, k1, NELEM(k1));
	jw_end(w);
	jw_leaf(w, "f:initialDelaySeconds");
	jw_leaf(w, "f:periodSeconds");
	jw_leaf(w, "f:successThreshold");
	jw_leaf(w, "f:timeoutSeconds");
	jw_end(w);
}

static void fields_resources(struct jw *w)
{
	static const char *const lim[] = { "f:memory" };
	static const char *const req[] = { "f:cpu", "f:memory" };

	jw_obj(w, "f:resources");
	jw_leaf(w, ".");
	jw_obj(w, "f:limits");
	fields_leaves(w, lim, NELEM(lim));
	jw_end(w);
	jw_obj(w, "f:requests");
	fields_leaves(w, req, NELEM(req));
	jw_end(w);
	jw_end(w);
}

static void fields_port(struct jw *w, unsigned port)
{
	static const char *const k[] = { "f:containerPort", "f:name", "f:protocol" };
	char key[64];

	snprintf(key, sizeof(key), "k:{\"containerPort\":%u,\"protocol\":\"TCP\"}", port);
	jw_obj(w, key);
	fields_leaves(w, k, NELEM(k));
	jw_end(w);
}

static void fields_mount(struct jw *w, const char *path, bool ro)
{
	static const char *const k[] = { "f:mountPath", "f:name", "f:readOnly" };
	char key[96];

	snprintf(key, sizeof(key), "k:{\"mountPath\":\"%s\"}", path);
	jw_obj(w, key);
	fields_leaves(w, k, ro ? 3 : 2);
	jw_end(w);
}

static void fields_env(struct jw *w, const struct env *e, size_t n, unsigned mask, bool port)
{
	char key[96];

	jw_obj(w, "f:env");
	jw_leaf(w, ".");
	for (size_t i = 0; i < n; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (port && strcmp(e[i].name, "PORT") > 0) {
			jw_obj(w, "k:{\"name\":\"PORT\"}");
			jw_leaf(w, ".");
			jw_leaf(w, "f:name");
			jw_leaf(w, "f:value");
			jw_end(w);
			port = false;
		}
		snprintf(key, sizeof(key), "k:{\"name\":\"%s\"}", e[i].name);
		jw_obj(w, key);
		jw_leaf(w, ".");
		jw_leaf(w, "f:name");
		if (e[i].value) {
			jw_leaf(w, "f:value");
		} else {
			jw_obj(w, "f:valueFrom");
			jw_leaf(w, ".");
			jw_leaf(w, "f:fieldRef");
			jw_end(w);
		}
		jw_end(w);
	}
	if (port) {
		jw_obj(w, "k:{\"name\":\"PORT\"}");
		jw_leaf(w, ".");
		jw_leaf(w, "f:name");
		jw_leaf(w, "f:value");
		jw_end(w);
	}
	jw_end(w);
}

void write_spec_fields(struct jw *w, const struct world *W, uint32_t s)
{
	static const char *const tail[] = {
		"f:dnsPolicy", "f:enableServiceLinks", "f:restartPolicy", "f:schedulerName",
		"f:securityContext",
	};

	jw_obj(w, "f:spec");
	jw_obj(w, "f:containers");
	jw_obj(w, s == 0 ? "k:{\"name\":\"controller\"}" : "k:{\"name\":\"app\"}");
	jw_leaf(w, ".");
	if (s == 0) {
		jw_leaf(w, "f:args");
		fields_env(w, ctl_env, NELEM(ctl_env), ~0u, false);
	} else {
		fields_env(w, app_env, NELEM(app_env), svc_env_mask(W, s), svc_profile(W, s) == 2);
	}
	jw_leaf(w, "f:image");
	jw_leaf(w, "f:imagePullPolicy");
	if (s == 0) {
		jw_obj(w, "f:lifecycle");
		jw_leaf(w, ".");
		jw_obj(w, "f:preStop");
		jw_leaf(w, ".");
		jw_obj(w, "f:exec");
		jw_leaf(w, ".");
		jw_leaf(w, "f:command");
		jw_end(w);
		jw_end(w);
		jw_end(w);
	}
	if (s == 0 || svc_profile(W, s) >= 1)
		fields_probe(w, "f:livenessProbe");
	jw_leaf(w, "f:name");
	jw_obj(w, "f:ports");
	jw_leaf(w, ".");
	if (s == 0) {
		fields_port(w, 443);
		fields_port(w, 80);
		fields_port(w, 8443);
	} else {
		fields_port(w, svc_app_port(W, s));
		if (svc_has_metrics(W, s))
			fields_port(w, 9090);
	}
	jw_end(w);
	fields_probe(w, "f:readinessProbe");
	fields_resources(w);
	jw_leaf(w, "f:terminationMessagePath");
	jw_leaf(w, "f:terminationMessagePolicy");
	if (svc_has_config(W, s)) {
		jw_obj(w, "f:volumeMounts");
		jw_leaf(w, ".");
		fields_mount(w, "/etc/app", true);
		if (svc_has_sidecar(W, s))
			fields_mount(w, "/var/log/app", false);
		jw_end(w);
	}
	jw_end(w);
	if (svc_has_sidecar(W, s)) {
		jw_obj(w, "k:{\"name\":\"log-shipper\"}");
		jw_leaf(w, ".");
		jw_leaf(w, "f:image");
		jw_leaf(w, "f:imagePullPolicy");
		jw_leaf(w, "f:name");
		fields_resources(w);
		jw_leaf(w, "f:terminationMessagePath");
		jw_leaf(w, "f:terminationMessagePolicy");
		jw_obj(w, "f:volumeMounts");
		jw_leaf(w, ".");
		fields_mount(w, "/var/log/app", true);
		jw_end(w);
		jw_end(w);
	}
	jw_end(w);
	for (size_t i = 0; i < NELEM(tail); i++)
		jw_leaf(w, tail[i]);
	if (s == 0)
		jw_leaf(w, "f:serviceAccount");
	if (s == 0)
		jw_leaf(w, "f:serviceAccountName");
	jw_leaf(w, "f:terminationGracePeriodSeconds");
	if (svc_has_config(W, s) || svc_has_sidecar(W, s)) {
		jw_obj(w, "f:volumes");
		jw_leaf(w, ".");
	}
	if (svc_has_config(W, s)) {
		jw_obj(w, "k:{\"name\":\"config\"}");
		jw_leaf(w, ".");
		jw_obj(w, "f:configMap");
		jw_leaf(w, ".");
		jw_leaf(w, "f:defaultMode");
		jw_leaf(w, "f:name");
		jw_end(w);
		jw_leaf(w, "f:name");
		jw_end(w);
	}
	if (svc_has_sidecar(W, s)) {
		jw_obj(w, "k:{\"name\":\"logs\"}");
		jw_leaf(w, ".");
		jw_leaf(w, "f:emptyDir");
		jw_leaf(w, "f:name");
		jw_end(w);
	}
	if (svc_has_config(W, s) || svc_has_sidecar(W, s))
		jw_end(w);
	jw_end(w);
}

void fields_labels(struct jw *w, uint32_t s, bool hash)
{
	static const char *const ctl[] = {
		"f:app.kubernetes.io/component", "f:app.kubernetes.io/instance",
		"f:app.kubernetes.io/managed-by", "f:app.kubernetes.io/name",
		"f:app.kubernetes.io/part-of", "f:app.kubernetes.io/version",
	};
	static const char *const app[] = {
		"f:app.kubernetes.io/instance", "f:app.kubernetes.io/name",
		"f:app.kubernetes.io/part-of",
	};

	jw_obj(w, "f:labels");
	if (s == 0)
		fields_leaves(w, ctl, NELEM(ctl));
	else
		fields_leaves(w, app, NELEM(app));
	if (hash)
		jw_leaf(w, "f:pod-template-hash");
	jw_end(w);
}

void fields_condition(struct jw *w, const char *type)
{
	static const char *const k[] = {
		"f:lastProbeTime", "f:lastTransitionTime", "f:status", "f:type",
	};
	char key[64];

	snprintf(key, sizeof(key), "k:{\"type\":\"%s\"}", type);
	jw_obj(w, key);
	fields_leaves(w, k, NELEM(k));
	jw_end(w);
}

void fields_owner(struct jw *w, const char *uid)
{
	char key[64];

	snprintf(key, sizeof(key), "k:{\"uid\":\"%s\"}", uid);
	jw_obj(w, "f:ownerReferences");
	jw_leaf(w, ".");
	jw_leaf(w, key);
	jw_end(w);
}

void fields_helm_annotations(struct jw *w)
{
	jw_obj(w, "f:annotations");
	jw_leaf(w, ".");
	jw_leaf(w, "f:meta.helm.sh/release-name");
	jw_leaf(w, "f:meta.helm.sh/release-namespace");
	jw_end(w);
}
