/*
 * nodes: runbook step 6, the nodes hosting the backend pods:
 * node-not-ready (Ready False/Unknown) and node-pressure
 * (MemoryPressure, DiskPressure, PIDPressure True). Only nodes that host
 * a pod of the current path are looked at, and only when the input holds
 * Node objects.
 */
#include "podfacts.h"
#include "../util/buf.h"

#include <string.h>

#include "../util/banned.h"

static bool seen_before(const struct check_ctx *c, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (!strcmp(c->pods[k]->node, c->pods[i]->node))
			return true;
	return false;
}

/* "api-1, api-2": the path's pods on this node. */
static const char *pods_on(struct check_ctx *c, const char *node)
{
	const char *s = "";

	for (size_t i = 0; i < c->npods; i++)
		if (!strcmp(c->pods[i]->node, node))
			s = diag_printf(c->d, "%s%s%s", s, *s ? ", " : "", c->pods[i]->meta.name);
	return s;
}

/* Returns true when the node is Ready. */
static bool check_node(struct check_ctx *c, const struct node *n)
{
	static const char *const pressure[] = { "MemoryPressure", "DiskPressure", "PIDPressure" };
	const struct condition *rc = node_condition(n, "Ready");
	bool ready = rc && !strcmp(rc->status, "True");
	struct finding *f;

	if (rc && !ready) {
		f = check_finding(c, "node-not-ready", SEV_ERROR, HOP_NODES, "Node", "",
				  n->meta.name, NULL);
		finding_message(c->d, f, "Node %s is %s, hosting backend pods %s", n->meta.name,
				!strcmp(rc->status, "Unknown") ? "unreachable (Ready=Unknown)"
				: "NotReady", pods_on(c, n->meta.name));
		finding_evidence(c->d, f, "node %s: condition Ready=%s (%s): %s, since %s",
				 n->meta.name, rc->status, rc->reason, rc->message,
				 ago_text(c->d, rc->transition));
		for (uint32_t t = 0; t < n->ntaints; t++)
			if (!strncmp(n->taints[t].key, "node.kubernetes.io/", 19))
				finding_evidence(c->d, f, "node %s: taint %s:%s", n->meta.name,
						 n->taints[t].key, n->taints[t].effect);
		finding_fix(c->d, f, "Bring node %s back (kubelet, network, resources) or drain it so "
			    "its pods are rescheduled", n->meta.name);
		finding_command(c->d, f, "kubectl describe node %s", n->meta.name);
		finding_command(c->d, f, "kubectl get pods -A -o wide --field-selector spec.nodeName=%s",
				n->meta.name);
	} else if (!rc) {
		diag_note(c->d, "node %s reports no Ready condition", n->meta.name);
	}
	for (size_t k = 0; k < 3; k++) {
		const struct condition *pc = node_condition(n, pressure[k]);
		if (!pc || strcmp(pc->status, "True"))
			continue;
		f = check_finding(c, "node-pressure", SEV_WARNING, HOP_NODES, "Node", "",
				  n->meta.name, NULL);
		finding_message(c->d, f, "Node %s reports %s, hosting backend pods %s", n->meta.name,
				pressure[k], pods_on(c, n->meta.name));
		finding_evidence(c->d, f, "node %s: condition %s=True (%s): %s, since %s",
				 n->meta.name, pressure[k], pc->reason, pc->message,
				 ago_text(c->d, pc->transition));
		finding_fix(c->d, f, "Relieve node %s (evictions follow): free memory/disk/PIDs or "
			    "move workloads, and set requests that match use", n->meta.name);
		finding_command(c->d, f, "kubectl describe node %s", n->meta.name);
		finding_command(c->d, f, "kubectl top node %s", n->meta.name);
	}
	return ready;
}

void check_nodes(struct check_ctx *c)
{
	struct buf b;
	size_t nnodes = 0, nready = 0;

	if (!c->chain)
		return;
	if (!c->m->present[K_NODE] || c->m->forbidden[K_NODE]) {
		diag_note(c->d, "Node objects are %s: node checks (node-not-ready, node-pressure) "
			  "could not run", c->m->forbidden[K_NODE] ? "forbidden (grant list on nodes)"
			  : "absent from the input");
		chain_hop(c->d, c->chain, HOP_NODES, c->m->forbidden[K_NODE] ? V_SKIPPED : V_UNKNOWN,
			  "nodes not in the input");
		return;
	}
	buf_init(&b, 4096);
	for (size_t i = 0; i < c->npods; i++) {
		const char *name = c->pods[i]->node;
		const struct node *n;
		if (!name || !*name || pod_is_done(c->pods[i]) || seen_before(c, i))
			continue;
		nnodes++;
		n = model_node(c->m, name);
		if (!n) {
			buf_addf(&b, "%s%s absent", b.len ? ", " : "nodes: ", name);
			continue;
		}
		if (check_node(c, n)) {
			nready++;
			buf_addf(&b, "%s%s Ready", b.len ? ", " : "nodes: ", name);
		} else {
			const struct condition *rc = node_condition(n, "Ready");
			buf_addf(&b, "%s%s %s", b.len ? ", " : "nodes: ", name,
				 rc && !strcmp(rc->status, "Unknown") ? "Unknown" : "NotReady");
		}
	}
	if (!nnodes)
		chain_hop(c->d, c->chain, HOP_NODES, V_SKIPPED, "no scheduled pods");
	else
		chain_hop(c->d, c->chain, HOP_NODES, nready == nnodes ? V_OK
			  : nready ? V_WARN : V_FAIL, "%s", b.p ? b.p : "");
	buf_release(&b);
}
