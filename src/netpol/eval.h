/*
 * eval: does NetworkPolicy admit a connection from pod A to pod B on
 * port P/protocol, and why (kubernetes-api.md 5.9).
 *
 *   allowed = ingress side (policies selecting B for Ingress admit A)
 *         AND egress side  (policies selecting A for Egress admit B)
 *
 * A side with no selecting policy is open; otherwise some rule of some
 * selecting policy must match both a peer and a port (policies are a
 * union, evaluation order is irrelevant). P is the port on B (after the
 * Service's targetPort); named ports resolve on B for both sides.
 *
 * Three facts the input cannot decide make a side NP_INDETERMINATE rather
 * than allowed or denied: ipBlock peers matching in-cluster addresses
 * (CNI-specific), hostNetwork pods (their traffic has the node IP;
 * whether selectors see them is CNI-specific), and namespace labels other
 * than kubernetes.io/metadata.name when Namespace objects are absent.
 * Policies of kinds the tool does not evaluate (Cilium, Calico,
 * AdminNetworkPolicy, ...) that may select A or B make the whole answer
 * NP_NOT_EVALUATED: never "allowed".
 *
 * The explanation is a list of struct np_why per side, cheap to build;
 * np_why_text() renders one when a message needs it.
 */
#ifndef ID_NETPOL_EVAL_H
#define ID_NETPOL_EVAL_H

#include "netpol.h"

enum np_verdict { NP_ALLOWED = 0, NP_INDETERMINATE, NP_NOT_EVALUATED, NP_DENIED };

/* "allowed" "indeterminate" "not evaluated" "denied" */
const char *np_verdict_name(enum np_verdict v);

enum np_why_code {
	NPW_NOT_ISOLATED,   /* no NetworkPolicy selects the pod for this direction */
	NPW_SELECTS,        /* pol selects the pod for this direction */
	NPW_NO_RULES,       /* pol has no rule for this direction: denies all of it */
	NPW_ADMITS,         /* rule admits: peer (-1: every peer), port (-1: every port) */
	NPW_MAYBE,          /* rule admits only if an undecidable fact holds (reason) */
	NPW_PEER_MISS,      /* no peer of the rule matches */
	NPW_PORT_MISS,      /* peer `peer` matches, no port entry does */
	NPW_SPLIT_PEER,     /* peer is a podSelector alone whose labels match, other namespace */
	NPW_AND_PEER,       /* peer is one AND-ed item: one half matches, not the other */
	NPW_LOCAL_NODE,     /* the source is the destination pod's own node: always allowed */
	NPW_HOSTNET,        /* the subject pod uses hostNetwork: enforcement is CNI-specific */
};

struct np_why {
	enum np_why_code code;
	const struct np_policy *pol;   /* NULL for pod-level entries */
	int rule, peer, port;          /* -1 when not applicable */
	enum np_tri ns_match, pod_match;   /* NPW_AND_PEER: the two halves */
	const char *reason;            /* NPW_MAYBE: static text */
};

enum np_dir { NP_INGRESS, NP_EGRESS };

struct np_side {
	enum np_dir dir;
	enum np_verdict verdict;       /* NP_ALLOWED / NP_INDETERMINATE / NP_DENIED */
	size_t nselecting;             /* policies selecting the pod for this direction */
	struct np_why *why;
	size_t nwhy, capwhy;
	const struct np_why *admit;    /* first NPW_ADMITS (or NPW_LOCAL_NODE), else NULL */
	bool ns_derived;               /* a namespace match used derived labels */
};

struct np_conn {
	const struct pod *src, *dst;
	int32_t port;                  /* on dst */
	const char *protocol;          /* NULL: "TCP" */
};

struct np_result {
	enum np_verdict verdict;       /* the answer (NP_NOT_EVALUATED when foreign may apply) */
	enum np_verdict k8s;           /* what the NetworkPolicy objects alone decide */
	struct np_side ingress;        /* of dst */
	struct np_side egress;         /* of src */
	const struct foreign_policy **foreign;   /* may select src or dst */
	size_t nforeign;
};

/*
 * Evaluate one connection. Every allocation goes to arena a (reset it
 * between connections when many are evaluated); x compiles policies on
 * first use.
 */
void np_evaluate(struct np_index *x, struct arena *a, const struct np_conn *c,
		 struct np_result *r);

/* The explanation of one entry, e.g. "NetworkPolicy shop/allow-web ingress[0] admits ...". */
const char *np_why_text(struct arena *a, const struct np_side *s, const struct np_why *w,
			const struct np_conn *c);

/* Does a named or numbered port entry match port/protocol on pod dst? (exposed for tests) */
bool np_port_matches(const struct np_port *e, const struct pod *dst, int32_t port,
		     const char *protocol);

#endif
