/*
 * netpol: NetworkPolicy (networking.k8s.io/v1) compiled for evaluation.
 *
 * The model keeps each policy's spec as a JSON DOM (struct networkpolicy
 * .raw). np_compile() turns it into peers, ports and rules with label
 * selectors and CIDRs parsed once; struct np_index finds the policies of
 * a namespace by binary search (the model sorts them by namespace) and
 * compiles a policy's rules the first time its podSelector selects a pod
 * of a connection, which keeps 5,000 policies x 100,000 pods cheap.
 *
 * Semantics (kubernetes-api.md 5.9, pkg/apis/networking/v1 types.go and
 * validation.go): a peer holds podSelector, namespaceSelector, both (one
 * AND-ed peer) or ipBlock (exclusive with the selectors; except must be
 * strict subsets); an absent or empty from/to list means every peer, an
 * absent or empty ports list every port; endPort only with a numeric
 * port; protocol defaults to TCP. A peer the API server would reject
 * (no field, ipBlock with a selector, bad CIDR, endPort with a named
 * port) is kept but marked invalid: it admits nothing.
 *
 *   struct np_index x;
 *   np_index_init(&x, m);
 *   size_t n = np_index_ns(&x, "shop", &pols);   // name order
 *   np_index_rules(&x, &pols[0]);                 // compile one on demand
 *   np_index_release(&x);
 */
#ifndef ID_NETPOL_H
#define ID_NETPOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/model.h"
#include "../util/arena.h"

/* An address block: family 4 or 6 (0 = unparsable), prefix bits, network bytes. */
struct np_cidr {
	const char *text;
	uint8_t family;
	uint8_t bits;
	uint8_t addr[16];
};

/* Parse "10.0.0.0/8" or "fd00::/64" (host bits allowed, as ParseCIDRSloppy). */
bool np_cidr_parse(const char *s, struct np_cidr *out);
/* Parse an address and test it against a block (false for another family). */
bool np_cidr_contains(const struct np_cidr *c, const char *ip);

enum np_peer_kind {
	NP_PEER_POD,        /* podSelector alone: pods of the policy's namespace */
	NP_PEER_NS,         /* namespaceSelector alone: every pod of those namespaces */
	NP_PEER_NS_POD,     /* both in ONE item: those pods in those namespaces (AND) */
	NP_PEER_IPBLOCK,    /* ipBlock cidr minus except */
	NP_PEER_INVALID,    /* rejected by validation: admits nothing */
};

struct np_peer {
	enum np_peer_kind kind;
	struct selector pod, ns;       /* set as decoded */
	struct np_cidr cidr;
	struct np_cidr *except;
	uint32_t nexcept;
	const char *why_invalid;       /* NP_PEER_INVALID: what validation would say */
};

struct np_port {
	const char *protocol;          /* "TCP" when absent */
	struct intstr port;            /* IS_UNSET: every port of the protocol */
	int32_t end_port;              /* 0: none */
	bool invalid;                  /* admits nothing (bad endPort, bad type) */
};

struct np_rule {
	struct np_peer *peers;         /* npeers 0: every peer */
	uint32_t npeers;
	struct np_port *ports;         /* nports 0: every port */
	uint32_t nports;
};

struct np_policy {
	const struct networkpolicy *np;   /* meta, pod_selector, effective types */
	bool compiled;                    /* rules below filled (np_index_rules) */
	struct np_rule *ingress;          /* spec.ingress: ningress 0 = denies all */
	uint32_t ningress;
	struct np_rule *egress;
	uint32_t negress;
};

/* Compile one policy into arena a (strings point into the model). */
void np_compile(struct arena *a, const struct networkpolicy *np, struct np_policy *out);

/* Describe a peer / a port into arena a: "namespaceSelector {a=b} AND podSelector {c=d}". */
const char *np_peer_text(struct arena *a, const struct np_peer *p);
const char *np_port_text(struct arena *a, const struct np_port *p);
/* A selector as "{k=v, k2 in (a,b)}" ("{}" for every label set). */
const char *np_selector_text(struct arena *a, const struct selector *s);

struct np_index {
	const struct model *m;
	struct arena arena;
	struct np_nsent *ns;           /* compiled namespaces, sorted by name */
	size_t nns, capns;
};

void np_index_init(struct np_index *x, const struct model *m);
void np_index_release(struct np_index *x);
/*
 * The policies of one namespace, in name order (array owned by x). Their
 * rules are compiled on demand: call np_index_rules() on a policy once its
 * podSelector (np->pod_selector, decoded by the model) selects a pod, so
 * a policy that selects nothing on the path is never compiled.
 */
size_t np_index_ns(struct np_index *x, const char *ns, struct np_policy **out);
void np_index_rules(struct np_index *x, struct np_policy *p);

/*
 * A namespace's labels: the Namespace object's, with the label
 * kubernetes.io/metadata.name=<ns> the API server sets on every namespace
 * added when missing. When the Namespace object is not in the input,
 * *derived is set and the map holds that one label only: other labels are
 * unknown (np_ns_match answers "maybe" for them).
 */
const struct kvs *np_ns_labels(struct np_index *x, const char *ns, bool *derived);

/* Three-valued answers: a fact the input cannot decide is NP_MAYBE. */
enum np_tri { NP_NO = 0, NP_MAYBE = 1, NP_YES = 2 };

/*
 * A namespaceSelector against a namespace's labels; with derived labels a
 * requirement on any key but kubernetes.io/metadata.name is NP_MAYBE.
 */
enum np_tri np_ns_match(const struct selector *s, const struct kvs *labels, bool derived);

#define NP_NS_NAME_LABEL "kubernetes.io/metadata.name"

#endif
