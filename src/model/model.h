/*
 * model: typed, indexed Kubernetes objects for the checks.
 *
 * The decoder (decode_*.c) reads only the fields the checks need from each
 * object a source hands over, copies them into the model's arena (strings
 * interned), and drops the rest; a check never sees JSON. After the last
 * object, model_finish() sorts and indexes everything; from then on the
 * model is read-only and lookups are cheap:
 *
 *   struct model m;
 *   model_init(&m);
 *   source_files_read("dump/", &sink_from_model(&m), &err);  // see model_sink()
 *   model_finish(&m);
 *   const struct service *s = model_service(&m, "shop", "api");
 *   model_release(&m);
 *
 * Conventions: a string field never NULL after decode unless documented
 * ("" when absent); counts are uint32_t; times are ktime (0 = unset);
 * tri-state booleans are int8_t with -1 = unset. Pointers returned by
 * lookups stay valid until model_release().
 *
 * Secret data is never decoded: a Secret is kept as metadata only.
 */
#ifndef ID_MODEL_H
#define ID_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../source/source.h"
#include "../util/arena.h"
#include "../util/ktime.h"
#include "../util/warn.h"

/* ------------------------------------------------------------------ */
/* kinds */

enum kind {
	K_INGRESS,
	K_INGRESSCLASS,
	K_SERVICE,
	K_ENDPOINTSLICE,
	K_ENDPOINTS,
	K_POD,
	K_NODE,
	K_EVENT,
	K_NETWORKPOLICY,
	K_CONFIGMAP,
	K_DEPLOYMENT,
	K_STATEFULSET,
	K_DAEMONSET,
	K_REPLICASET,
	K_NAMESPACE,
	K_SECRET,
	K__COUNT,
	K_UNKNOWN = -1,
};

/* "Pod" -> K_POD; unknown -> K_UNKNOWN. */
enum kind kind_from_name(const char *name);
/* K_POD -> "Pod". */
const char *kind_name(enum kind k);
/* K_POD -> "pods" (the resource name kubectl uses). */
const char *kind_resource(enum kind k);

/* ------------------------------------------------------------------ */
/* shared pieces */

struct kv {
	const char *key, *val;
};

/* A label or annotation map, sorted by key after decode. */
struct kvs {
	struct kv *v;
	uint32_t n;
};

/* Value of key, or NULL. */
const char *kvs_get(const struct kvs *m, const char *key);

enum sel_op { SEL_IN, SEL_NOTIN, SEL_EXISTS, SEL_DOESNOTEXIST };

struct sel_expr {
	const char *key;
	enum sel_op op;
	const char **values;
	uint32_t nvalues;
};

/* metav1.LabelSelector (matchLabels + matchExpressions). */
struct selector {
	bool set;                   /* the field was present */
	struct kvs match;           /* matchLabels */
	struct sel_expr *expr;
	uint32_t nexpr;
	bool invalid;               /* unknown operator etc.: matches nothing */
};

/*
 * LabelSelector semantics: every matchLabels pair equal AND every
 * expression true. An empty (or unset) selector matches everything; an
 * invalid one matches nothing. For a Service's plain map selector see
 * service_selects().
 */
bool selector_matches(const struct selector *s, const struct kvs *labels);

/* int-or-string (ports): kind says which member is meaningful. */
enum intstr_kind { IS_UNSET = 0, IS_INT, IS_STR };
struct intstr {
	uint8_t kind;
	int32_t num;
	const char *str;
};

struct objref {
	const char *kind, *ns, *name, *uid;   /* "" when absent */
};

struct owner {
	const char *kind, *name, *uid;
	bool controller;
};

/* Where an object came from, for messages. */
struct origin {
	const char *file;
	unsigned line;
};

struct meta {
	const char *name, *ns, *uid;
	const char *api_version;
	struct kvs labels;
	struct kvs annotations;        /* without kubectl last-applied-configuration */
	ktime created;
	ktime deleted;                 /* deletionTimestamp: terminating when set */
	struct owner *owners;
	uint32_t nowners;
	struct origin origin;
};

struct condition {
	const char *type, *status, *reason, *message;  /* status "True"/"False"/"Unknown" */
	ktime transition;
};

/* ------------------------------------------------------------------ */
/* Ingress, IngressClass */

struct backend {
	bool set;
	const char *service;           /* "" for a resource backend */
	struct intstr port;            /* IS_INT: port.number, IS_STR: port.name */
	const char *resource_kind;     /* resource backend, else "" */
	const char *resource_name;
};

struct ingress_path {
	const char *path;              /* "" when absent */
	const char *path_type;         /* "Prefix" / "Exact" / "ImplementationSpecific" ("" absent) */
	struct backend backend;
};

struct ingress_rule {
	const char *host;              /* "" = any host */
	struct ingress_path *paths;
	uint32_t npaths;
};

struct ingress_tls {
	const char **hosts;
	uint32_t nhosts;
	const char *secret;            /* "" when absent */
};

struct ingress {
	struct meta meta;
	const char *class_name;        /* spec.ingressClassName, "" when absent */
	const char *class_annotation;  /* kubernetes.io/ingress.class, "" when absent */
	struct backend default_backend;
	struct ingress_rule *rules;
	uint32_t nrules;
	struct ingress_tls *tls;
	uint32_t ntls;
	const char **lb_addresses;     /* status.loadBalancer.ingress ip/hostname */
	uint32_t nlb;
};

struct ingressclass {
	struct meta meta;
	const char *controller;        /* spec.controller */
	bool is_default;               /* ingressclass.kubernetes.io/is-default-class: "true" */
	const char *params_kind, *params_name, *params_ns;  /* spec.parameters, "" absent */
};

/* ------------------------------------------------------------------ */
/* Service, EndpointSlice, Endpoints */

struct service_port {
	const char *name;              /* "" when unnamed */
	const char *protocol;          /* default "TCP" */
	int32_t port;
	struct intstr target;          /* IS_UNSET means "same as port" */
	const char *app_protocol;      /* "" when absent */
	int32_t node_port;
};

struct service {
	struct meta meta;
	const char *type;              /* default "ClusterIP" */
	const char *external_name;
	const char *cluster_ip;
	struct kvs selector;           /* plain map; n == 0: no selector */
	struct service_port *ports;
	uint32_t nports;
	bool publish_not_ready;
};

struct eps_port {
	const char *name;              /* "" when absent */
	int32_t port;                  /* -1 when absent ("all ports") */
	const char *protocol;
	const char *app_protocol;
};

struct eps_endpoint {
	const char **addresses;
	uint32_t naddresses;
	int8_t ready, serving, terminating;  /* -1 unset: read with the helpers below */
	const char *node;
	const char *hostname;
	struct objref target;
};

/* EndpointSlice condition semantics: ready/serving nil = true, terminating nil = false. */
static inline bool eps_ready(const struct eps_endpoint *e) { return e->ready != 0; }
static inline bool eps_serving(const struct eps_endpoint *e) { return e->serving != 0; }
static inline bool eps_terminating(const struct eps_endpoint *e) { return e->terminating == 1; }

struct endpointslice {
	struct meta meta;
	const char *service;           /* label kubernetes.io/service-name, "" absent */
	const char *managed_by;        /* label endpointslice.kubernetes.io/managed-by */
	const char *address_type;
	struct eps_endpoint *endpoints;
	uint32_t nendpoints;
	struct eps_port *ports;
	uint32_t nports;
};

struct ep_address {
	const char *ip;
	const char *node;
	const char *hostname;
	struct objref target;
};

struct ep_subset {
	struct ep_address *ready;
	uint32_t nready;
	struct ep_address *not_ready;
	uint32_t nnot_ready;
	struct eps_port *ports;
	uint32_t nports;
};

struct endpoints {
	struct meta meta;
	struct ep_subset *subsets;
	uint32_t nsubsets;
};

/* ------------------------------------------------------------------ */
/* Pod */

enum probe_type { PROBE_NONE = 0, PROBE_HTTP, PROBE_TCP, PROBE_GRPC, PROBE_EXEC };

struct probe {
	enum probe_type type;          /* PROBE_NONE: no probe */
	struct intstr port;            /* http/tcp/grpc port */
	const char *path, *scheme, *host;   /* httpGet; "" absent (scheme default "HTTP") */
	const char *command;           /* exec: arguments joined with spaces */
	/* defaults applied: 0 / 10 / 1 / 1 / 3 */
	int32_t initial_delay, period, timeout, success, failure;
};

struct container_port {
	const char *name;              /* "" unnamed */
	int32_t port;
	const char *protocol;          /* default "TCP" */
};

struct container {
	const char *name;
	const char *image;
	bool init;                     /* from spec.initContainers */
	bool sidecar;                  /* init container with restartPolicy: Always */
	const char **args;             /* command + args, in order */
	uint32_t nargs;
	struct container_port *ports;
	uint32_t nports;
	struct probe readiness, liveness, startup;
	bool has_prestop;
	const char *prestop;           /* short description: "exec: sleep 5", "sleep 10s", "httpGet /quit" */
	const char *cpu_request, *cpu_limit, *mem_request, *mem_limit;  /* quantities, "" absent */
};

enum cstate_kind { CS_NONE = 0, CS_WAITING, CS_RUNNING, CS_TERMINATED };

struct cstate {
	enum cstate_kind kind;
	const char *reason, *message;  /* "" absent */
	int32_t exit_code, signal;
	ktime started, finished;
};

struct container_status {
	const char *name;
	bool init;                     /* from initContainerStatuses */
	bool ready;
	int8_t started;                /* -1 unset */
	int32_t restarts;
	struct cstate state, last;
	const char *image;
};

struct pod {
	struct meta meta;
	const char *node;              /* spec.nodeName, "" unscheduled */
	const char *phase;             /* "Pending"... ("" absent) */
	const char *reason, *message;  /* status.reason/message ("Evicted", ...) */
	const char *pod_ip;
	const char **pod_ips;
	uint32_t npod_ips;
	const char *host_ip;
	bool host_network;
	int64_t grace_seconds;         /* terminationGracePeriodSeconds, default 30 */
	const char *service_account;
	struct container *containers;  /* spec.containers then spec.initContainers */
	uint32_t ncontainers;
	struct container_status *statuses;  /* containerStatuses then initContainerStatuses */
	uint32_t nstatuses;
	struct condition *conditions;
	uint32_t nconditions;
	const char **readiness_gates;
	uint32_t nreadiness_gates;
	ktime start_time;
	const char *qos;
};

/* The condition of a type, or NULL. */
const struct condition *pod_condition(const struct pod *p, const char *type);
/* Ready condition True. */
bool pod_is_ready(const struct pod *p);
/* deletionTimestamp set. */
static inline bool pod_is_terminating(const struct pod *p) { return p->meta.deleted != 0; }
/* Status of a container by name (NULL if none). */
const struct container_status *pod_status(const struct pod *p, const char *container);

/* ------------------------------------------------------------------ */
/* Node, Event, NetworkPolicy, ConfigMap, workloads, Namespace, Secret */

struct taint {
	const char *key, *value, *effect;
};

struct node {
	struct meta meta;
	struct condition *conditions;
	uint32_t nconditions;
	bool unschedulable;
	struct taint *taints;
	uint32_t ntaints;
	const char *internal_ip;
	const char *kubelet_version;
};

const struct condition *node_condition(const struct node *n, const char *type);

struct event {
	struct meta meta;
	struct objref involved;
	const char *field_path;        /* involvedObject.fieldPath, e.g. spec.containers{app} */
	const char *reason, *message, *type;   /* type "Normal"/"Warning" */
	const char *source;            /* source.component or reportingComponent */
	int32_t count;                 /* count or series.count, at least 1 */
	ktime first, last;             /* best available times (see kubernetes-api.md 5.8) */
};

struct networkpolicy {
	struct meta meta;
	struct selector pod_selector;
	bool ingress_type, egress_type;     /* effective policyTypes (defaulting applied) */
	const struct json *raw;        /* full spec, copied, for the policy evaluator (issue 5) */
};

struct configmap {
	struct meta meta;
	struct kvs data;
};

struct workload {                  /* Deployment, StatefulSet, DaemonSet, ReplicaSet */
	struct meta meta;
	enum kind kind;
	struct selector selector;
	int32_t replicas;              /* spec.replicas (-1 unset; DaemonSet: desiredNumberScheduled) */
	int32_t ready_replicas;        /* status.readyReplicas / numberReady */
	int32_t available_replicas;
	const char *max_unavailable, *max_surge;  /* rolling update, "" absent */
};

struct namespace_ {
	struct meta meta;
	const char *phase;
};

struct secret_meta {
	struct meta meta;              /* metadata only; data is never read */
	const char *type;              /* "" when absent (PartialObjectMetadata) */
};

/*
 * A policy object of a kind the NetworkPolicy evaluator does not implement
 * (CiliumNetworkPolicy, Calico NetworkPolicy/GlobalNetworkPolicy,
 * AdminNetworkPolicy, ...): kept so that a diagnosis can say "present, not
 * evaluated" for the pods it may select instead of calling traffic allowed.
 */
struct foreign_policy {
	const char *kind, *api_version;
	const char *ns;                /* "" for cluster-wide kinds */
	const char *name;
};

/* Is (kind, apiVersion) a policy kind the evaluator does not implement? */
bool foreign_policy_kind(const char *kind, const char *api_version);

/*
 * A container log: a file found beside the snapshot (path), or text read
 * from the cluster (pods/log: text[0..len), path NULL).
 */
struct pod_log {
	const char *ns, *pod;
	const char *path;              /* NULL for a log held as text */
	const char *text;              /* in the model's arena, NUL-terminated; NULL for a file */
	size_t len;
};

/* ------------------------------------------------------------------ */
/* the model */

struct model_index;

struct model {
	struct arena arena;

	struct ingress *ingresses;         size_t ningresses, cap_ingresses;
	struct ingressclass *classes;      size_t nclasses, cap_classes;
	struct service *services;          size_t nservices, cap_services;
	struct endpointslice *slices;      size_t nslices, cap_slices;
	struct endpoints *endpoints;       size_t nendpoints, cap_endpoints;
	struct pod *pods;                  size_t npods, cap_pods;
	struct node *nodes;                size_t nnodes, cap_nodes;
	struct event *events;              size_t nevents, cap_events;
	struct networkpolicy *netpols;     size_t nnetpols, cap_netpols;
	struct configmap *configmaps;      size_t nconfigmaps, cap_configmaps;
	struct workload *workloads;        size_t nworkloads, cap_workloads;
	struct namespace_ *namespaces;     size_t nnamespaces, cap_namespaces;
	struct secret_meta *secrets;       size_t nsecrets, cap_secrets;
	struct pod_log *logs;              size_t nlogs, cap_logs;

	/* Kinds the input proves were collected (objects or typed lists). */
	bool present[K__COUNT];
	/* Kinds the source could not read (live 403): never "missing". */
	bool forbidden[K__COUNT];
	/* Objects skipped: kinds nobody uses, or no kind at all. */
	size_t skipped;

	/* Cluster version ("v1.31.2"), "" if unknown (nodes' kubelet version used then). */
	const char *cluster_version;
	/* Newest timestamp seen in any object: "now" for time-based checks. */
	ktime now;

	struct warnings *warn;
	struct model_index *idx;       /* built by model_finish() */
	bool finished;

	/* Policies of kinds the evaluator does not implement, in input order. */
	struct foreign_policy *foreign_pols;
	size_t nforeign_pols, cap_foreign_pols;
};

void model_init(struct model *m, struct warnings *w);
void model_release(struct model *m);

/*
 * Decode one object into the model. Unknown kinds are counted in
 * m->skipped; fields of the wrong type produce a warning naming file,
 * object and field, and the field is treated as absent. Returns 0, or -1
 * only for an object that cannot be used at all (never for a bad field).
 */
int model_add(struct model *m, const struct src_obj *o, struct err *err);
/* Record that a kind was collected (see source_sink.kind_seen). */
void model_kind_seen(struct model *m, const char *kind);
/* Record a container log file. */
void model_add_log(struct model *m, const char *ns, const char *pod, const char *path);
/* Record a container log held in memory: text[0..len) is copied into the model's arena. */
void model_add_log_text(struct model *m, const char *ns, const char *pod, const char *text,
			size_t len);
/* A sink that feeds this model. */
struct source_sink model_sink(struct model *m);

/* Sort, index and compute m->now. Call once after the last model_add(). */
void model_finish(struct model *m);

/* ---- lookups (after model_finish) ---- */

const struct ingress *model_ingress(const struct model *m, const char *ns, const char *name);
const struct ingressclass *model_ingressclass(const struct model *m, const char *name);
const struct service *model_service(const struct model *m, const char *ns, const char *name);
const struct endpoints *model_endpoints(const struct model *m, const char *ns, const char *name);
const struct pod *model_pod(const struct model *m, const char *ns, const char *name);
const struct pod *model_pod_by_ip(const struct model *m, const char *ip);
const struct node *model_node(const struct model *m, const char *name);
const struct configmap *model_configmap(const struct model *m, const char *ns, const char *name);
const struct namespace_ *model_namespace(const struct model *m, const char *name);
const struct secret_meta *model_secret(const struct model *m, const char *ns, const char *name);
const struct workload *model_workload(const struct model *m, enum kind k, const char *ns, const char *name);

/* EndpointSlices of a Service (label kubernetes.io/service-name), in name order. */
size_t model_slices_for(const struct model *m, const char *ns, const char *service,
			const struct endpointslice ***out);
/* All pods of a namespace, in name order. */
size_t model_pods_in(const struct model *m, const char *ns, const struct pod ***out);
/*
 * Events about one object: kind + namespace + name, and uid when both the
 * event and the caller know it (never by name alone). Newest first.
 */
size_t model_events_for(const struct model *m, const char *kind, const char *ns,
			const char *name, const char *uid, const struct event ***out);
/* Logs recorded for a pod. */
size_t model_logs_for(const struct model *m, const char *ns, const char *pod,
		      const struct pod_log ***out);

/* ---- Service and port semantics (model/ports.c) ---- */

/* A Service with a non-empty selector selects the pod (same namespace, all pairs equal). */
bool service_selects(const struct service *s, const struct pod *p);

/*
 * The Service port an Ingress backend names: port.number equals
 * spec.ports[].port, or port.name equals a non-empty spec.ports[].name.
 * An unnamed Service port never matches by name, and a number never
 * matches by name (peers get this wrong). NULL if none.
 */
const struct service_port *service_port_for_backend(const struct service *s,
						    const struct intstr *port);

/*
 * The container port a Service port's targetPort reaches on one pod:
 * numeric target -> that number; unset -> the Service port; named target
 * -> the containerPort of that name (containers and sidecar init
 * containers, matching protocol). Returns the number, or -1 when a named
 * target does not resolve on this pod. *owner (may be NULL) receives the
 * container declaring the port, or NULL when none declares it.
 */
int32_t port_resolve_target(const struct service_port *sp, const struct pod *p,
			    const struct container **owner);

/* A probe's port as a number on its container, -1 when a name does not resolve. */
int32_t probe_port_resolve(const struct probe *pr, const struct container *c);

/* ---- quantities ---- */

/* Parse a resource quantity ("512Mi", "1G", "100m", "0.5") to a double of base units. */
int quantity_parse(const char *s, double *out);

#endif
