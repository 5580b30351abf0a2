/*
 * gen.h: shared pieces of the snapshot generator (bench/gen_*.c).
 *
 * The generator is a stand-alone benchmark tool, not part of the binary:
 * it depends on libc only. Everything it writes is derived from
 * (seed, tag, index) hashes, so any object can be produced in any order
 * and the output is byte-for-byte the same for the same options.
 *
 * The JSON writer (gen_emit.c) prints the way `kubectl get -o json`
 * does (Go's json.MarshalIndent with four spaces, map keys sorted, HTML
 * characters escaped); callers emit members in sorted order and --check
 * verifies it.
 */
#ifndef GEN_H
#define GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the JSON writer ---- */

#define JW_MAX_DEPTH 64

struct jw {
	int fd;
	char *buf;
	size_t len, cap;
	uint64_t total;                 /* bytes written so far */
	unsigned depth;
	bool empty[JW_MAX_DEPTH];       /* no member yet at this depth */
	bool check;                     /* verify key order (slower) */
	char last[JW_MAX_DEPTH][160];   /* previous key per depth, for check */
};

void jw_init(struct jw *w, int fd, bool check);
/* Flush and free; returns -1 if a write failed. */
int jw_finish(struct jw *w);

/* Members: key is NULL for array elements. */
void jw_obj(struct jw *w, const char *key);
void jw_end(struct jw *w);          /* ends an object */
void jw_arr(struct jw *w, const char *key);
void jw_end_arr(struct jw *w);
void jw_str(struct jw *w, const char *key, const char *val);
void jw_strf(struct jw *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void jw_int(struct jw *w, const char *key, int64_t v);
void jw_bool(struct jw *w, const char *key, bool v);
void jw_null(struct jw *w, const char *key);
void jw_time(struct jw *w, const char *key, int64_t epoch);
/* An empty object member: "key": {} (fieldsV1 leaves). */
void jw_leaf(struct jw *w, const char *key);

/* ---- object shapes every writer repeats (gen_emit.c) ---- */

/* Opens an object item with "apiVersion", "kind" and an open "metadata". */
void obj_head(struct jw *w, const char *api, const char *kind);
/* "name", "namespace" (ns NULL: cluster-scoped), "resourceVersion", "uid",
 * then ends the object (metadata). */
void meta_tail(struct jw *w, const char *name, const char *ns, const char *rv, const char *uid);
/* "ownerReferences": [one controller owner] (blockOwnerDeletion, controller true). */
void owner_ref(struct jw *w, const char *api, const char *kind, const char *name,
	       const char *uid);
/* Opens a managedFields entry up to its open "fieldsV1" object. */
void managed_head(struct jw *w, const char *api);
/* Ends "fieldsV1", then "manager", "operation": "Update", "subresource" (if
 * sub is not NULL) and "time", and ends the entry. */
void managed_tail(struct jw *w, const char *mgr, const char *sub, int64_t t);
/* The ingress-nginx controller's selector labels (component, instance, name). */
void ctl_match_labels(struct jw *w);
/* Its Helm chart labels (the above plus managed-by, part-of, version). */
void ctl_helm_labels(struct jw *w);
/* "status": {"loadBalancer": {}}, with the controller's hostname if lb. */
void lb_status(struct jw *w, bool lb);

/* ---- hashing and formatting ---- */

uint64_t mix64(uint64_t x);
/* A well-mixed 64-bit value for (seed, tag, i). */
static inline uint64_t hh(uint64_t seed, uint64_t tag, uint64_t i)
{
	return mix64(seed ^ mix64(tag * 0x9e3779b97f4a7c15ull + i));
}
/* "2025-06-01T12:00:00Z" (out >= 21 bytes). */
void fmt_time(char *out, int64_t epoch);
/* RFC 4122 version 4 style uid from a hash pair (out >= 37 bytes). */
void fmt_uid(char *out, uint64_t a, uint64_t b);
/* n lower-case hex digits of repeated hashes of h (out >= n + 1). */
void fmt_hex(char *out, uint64_t h, unsigned n);
/* n characters of the alphabet Kubernetes uses for generated names. */
void fmt_rand_name(char *out, uint64_t h, unsigned n);

/* ---- the simulated cluster ---- */

enum pod_state { POD_OK, POD_CRASHLOOP, POD_NOTREADY, POD_PENDING };

struct world {
	uint64_t seed;
	uint32_t pods, services, ingresses, nodes, netpols;
	uint32_t per_ns;         /* services per application namespace */
	uint32_t app_ns;         /* application namespaces (plus ingress-nginx) */
	uint32_t *svc_first;     /* pods of service s: [svc_first[s], svc_first[s+1]) */
	uint32_t *pod_svc;       /* service of each pod */
	int64_t now;             /* the snapshot's time */
};

/* hash tags */
enum {
	T_SVC = 1, T_POD, T_RS, T_STATE, T_UID, T_UID2, T_RV, T_AGE, T_IMG, T_CID,
	T_ING, T_PATH, T_EVT, T_NODE, T_SLICE, T_NETPOL, T_CM, T_DEP, T_VOL,
};

uint32_t svc_ns(const struct world *W, uint32_t s);
void ns_name(const struct world *W, uint32_t ns, char *out, size_t n);
void svc_name(const struct world *W, uint32_t s, char *out, size_t n);
void node_name(uint32_t node, char *out, size_t n);
void node_ip(uint32_t node, char *out, size_t n);
uint32_t pod_node(const struct world *W, uint32_t p);
void pod_ip(const struct world *W, uint32_t p, char *out, size_t n);
void pod_name(const struct world *W, uint32_t p, char *out, size_t n);
void rs_hash(const struct world *W, uint32_t s, char *out);   /* 10 chars */
enum pod_state pod_state(const struct world *W, uint32_t p);
bool svc_selector_broken(const struct world *W, uint32_t s);
bool svc_named_target(const struct world *W, uint32_t s);
unsigned svc_app_port(const struct world *W, uint32_t s);
bool svc_has_metrics(const struct world *W, uint32_t s);
bool svc_has_sidecar(const struct world *W, uint32_t s);
/* 0: lean (60%), 1: medium (30%), 2: rich (10%) pod templates. */
unsigned svc_profile(const struct world *W, uint32_t s);
bool svc_has_config(const struct world *W, uint32_t s);
/* Which of the app env variables (gen_pods.c) the pods set. */
unsigned svc_env_mask(const struct world *W, uint32_t s);
void obj_uid(const struct world *W, uint64_t tag, uint64_t i, char *out);
void obj_rv(const struct world *W, uint64_t tag, uint64_t i, char *out);
/* Creation time of an object: between 1 and 200 days before now. */
int64_t obj_created(const struct world *W, uint64_t tag, uint64_t i);
int64_t pod_started(const struct world *W, uint32_t p);
void zone_of_node(uint32_t node, char *out, size_t n);

/* ---- object writers ---- */

/* Environment variables of the app containers, sorted by name. */
struct env {
	const char *name, *value, *field;   /* value or fieldRef path */
};
#define APP_ENV_N 7
#define CTL_ENV_N 3
extern const struct env app_env[APP_ENV_N];
extern const struct env ctl_env[CTL_ENV_N];
/* fieldsV1 of one pod condition: "k:{\"type\":\"Ready\"}": {...} */
void fields_condition(struct jw *w, const char *type);
/* "f:ownerReferences" with the one owner of that uid. */
void fields_owner(struct jw *w, const char *uid);
/* "f:annotations" of a Helm release (release-name, release-namespace). */
void fields_helm_annotations(struct jw *w);

void write_pod(struct jw *w, const struct world *W, uint32_t p);
/* The pod template's "spec" member (containers, volumes...) of service s. */
void write_pod_spec(struct jw *w, const struct world *W, uint32_t s, int64_t p, bool tmpl);
/* The fieldsV1 of the pod spec (managedFields), shared with deployments. */
void write_spec_fields(struct jw *w, const struct world *W, uint32_t s);
/* "annotations" of the pods of service s, if they have any. */
void write_pod_annotations(struct jw *w, const struct world *W, uint32_t s);
/* "labels" of the pods of service s (rs: the pod-template-hash or NULL). */
void write_pod_labels(struct jw *w, const struct world *W, uint32_t s, const char *rs);
/* The "f:labels" of those labels. */
void fields_labels(struct jw *w, uint32_t s, bool hash);
void write_deployment(struct jw *w, const struct world *W, uint32_t s);
void write_configmap(struct jw *w, const struct world *W, uint32_t s);
void write_service(struct jw *w, const struct world *W, uint32_t s);
void write_endpointslice(struct jw *w, const struct world *W, uint32_t s);
void write_endpoints(struct jw *w, const struct world *W, uint32_t s);
void write_ingress(struct jw *w, const struct world *W, uint32_t i);
void write_ingressclass(struct jw *w, const struct world *W);
void write_node(struct jw *w, const struct world *W, uint32_t n);
void write_netpol(struct jw *w, const struct world *W, uint32_t k);
/* Events of pod p (0 to 3 objects). */
void write_pod_events(struct jw *w, const struct world *W, uint32_t p);

#endif
