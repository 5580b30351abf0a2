/*
 * model_int.h: private helpers shared by the model's .c files (decoder
 * context, typed field readers that warn on a wrong type, string
 * interning, the index structure). Not for use outside src/model/.
 */
#ifndef ID_MODEL_INT_H
#define ID_MODEL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../json/json.h"
#include "model.h"

/* ---- interning and indexes (model.c, index.c) ---- */

/* One entry of the generic hash table: up to three string keys. */
struct hent {
	uint64_t h;
	const char *k1, *k2, *k3;
	void *val;
};

struct htab {
	struct hent *slots;
	size_t cap, n;
};

/* A group of objects sharing a key (slices of a Service, events of an object...). */
struct group {
	void *items;               /* array of typed pointers (const struct pod **, ...) */
	uint32_t n, fill;
	/* model_events_for: last uid-filtered result, cached */
	const char *cache_uid;
	const struct event **cache;
	uint32_t ncache;
};

struct model_index {
	/* string interning (arena strings) */
	const char **istr;
	uint64_t *ihash;
	size_t icap, in;

	struct arena arena;    /* index-only memory (groups, item arrays) */
	struct htab by_name[K__COUNT];   /* (ns, name[, kind]) -> object */
	struct htab pod_ip;              /* ip -> pod */
	struct htab slices_by_svc;       /* (ns, service) -> group */
	struct htab pods_by_ns;          /* ns -> group */
	struct htab events_by_obj;       /* (kind, ns, name) -> group */
	struct htab logs_by_pod;         /* (ns, pod) -> group */
};

uint64_t str_hash3(const char *a, const char *b, const char *c);
void htab_init(struct htab *t, size_t n);
void htab_release(struct htab *t);
/* Insert or find; returns the entry (val NULL when new). */
struct hent *htab_put(struct htab *t, const char *k1, const char *k2, const char *k3);
struct hent *htab_get(const struct htab *t, const char *k1, const char *k2, const char *k3);

/* Build every index (index.c); called by model_finish after sorting. */
void index_build(struct model *m);
void index_release(struct model_index *x);

/* Interned copy of s[0..n) in m->arena ("" for n == 0). */
const char *intern(struct model *m, const char *s, size_t n);
/* Plain copy of s[0..n) in m->arena ("" for n == 0). */
const char *mcopy(struct model *m, const char *s, size_t n);

/* ---- decoder context (decode_meta.c) ---- */

struct dec {
	struct model *m;
	const struct src_obj *o;
	enum kind kind;
	const char *ns, *name;     /* for messages, once known */
	char path[256];            /* current field path, e.g. "spec.containers[0]" */
	size_t plen;
};

/* Append a path segment (".key" or "[i]" style, printf format); returns a mark for dec_pop. */
size_t dec_push(struct dec *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dec_pop(struct dec *d, size_t mark);
/* Warning about field (relative to the current path). */
void dec_warn(struct dec *d, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "expected <want>, got <type of j>" */
void dec_warn_type(struct dec *d, const char *field, const char *want, const struct json *j);

/*
 * Typed readers of o[key]. A missing member or JSON null is "absent"
 * (silently); a wrong type warns and counts as absent. o may be NULL.
 */
const struct json *d_obj(struct dec *d, const struct json *o, const char *key);
const struct json *d_arr(struct dec *d, const struct json *o, const char *key);
/* String copied ("" absent); d_istr interns it. */
const char *d_str(struct dec *d, const struct json *o, const char *key);
const char *d_istr(struct dec *d, const struct json *o, const char *key);
/* String or number text (quantities), interned; "" absent. */
const char *d_quantity(struct dec *d, const struct json *o, const char *key);
/* Integers: true when present and valid. */
bool d_int64(struct dec *d, const struct json *o, const char *key, int64_t *out);
bool d_int32(struct dec *d, const struct json *o, const char *key, int32_t *out);
/* -1 absent, 0 false, 1 true */
int8_t d_bool(struct dec *d, const struct json *o, const char *key);
/* RFC 3339 time (0 absent); updates m->now. */
ktime d_time(struct dec *d, const struct json *o, const char *key);
/* int-or-string; int 0 and "" count as unset. */
void d_intstr(struct dec *d, const struct json *o, const char *key, struct intstr *out);
/* Same, read from a value rather than a member. */
void d_intstr_val(struct dec *d, const struct json *v, const char *field, struct intstr *out);
/* int-or-string kept as text ("25%", "1"), "" absent. */
const char *d_intstr_text(struct dec *d, const struct json *o, const char *key);

#define KVS_INTERN_VALUES 0x01
#define KVS_DROP_LAST_APPLIED 0x02
void d_kvs(struct dec *d, const struct json *o, const char *key, struct kvs *out, int flags);
/* Array of strings (interned when intern is set). */
const char **d_strlist(struct dec *d, const struct json *o, const char *key, uint32_t *n,
		       bool intern_them);
/* Array of strings joined with spaces ("" absent). */
const char *d_strjoin(struct dec *d, const struct json *o, const char *key);
/* metav1.LabelSelector */
void d_selector(struct dec *d, const struct json *o, const char *key, struct selector *out);
void d_conditions(struct dec *d, const struct json *o, const char *key,
		  struct condition **out, uint32_t *n);
void d_objref(struct dec *d, const struct json *o, const char *key, struct objref *out);
/* Element i of an array when it is an object, else warn and NULL. */
const struct json *d_item_obj(struct dec *d, const struct json *arr, size_t i, const char *field);

/* Metadata; returns -1 (after a warning) when the object has no name. */
int d_meta(struct dec *d, const struct json *obj, struct meta *meta);

/* ---- per-kind decoders: fill *out; 0 ok, -1 skip ---- */

int decode_ingress(struct dec *d, const struct json *obj, struct ingress *out);
int decode_ingressclass(struct dec *d, const struct json *obj, struct ingressclass *out);
int decode_service(struct dec *d, const struct json *obj, struct service *out);
int decode_endpointslice(struct dec *d, const struct json *obj, struct endpointslice *out);
int decode_endpoints(struct dec *d, const struct json *obj, struct endpoints *out);
int decode_pod(struct dec *d, const struct json *obj, struct pod *out);
int decode_node(struct dec *d, const struct json *obj, struct node *out);
int decode_event(struct dec *d, const struct json *obj, struct event *out);
int decode_networkpolicy(struct dec *d, const struct json *obj, struct networkpolicy *out);
int decode_configmap(struct dec *d, const struct json *obj, struct configmap *out);
int decode_workload(struct dec *d, const struct json *obj, struct workload *out);
int decode_namespace(struct dec *d, const struct json *obj, struct namespace_ *out);
int decode_secret(struct dec *d, const struct json *obj, struct secret_meta *out);

/* Kinds without a namespace. */
bool kind_cluster_scoped(enum kind k);

#endif
