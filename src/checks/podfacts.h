/*
 * podfacts: small facts about pods, containers and their events shared by
 * the step-2/6 checks (probes.c, pods.c, nodes.c) and the controller
 * checks (controller_checks.c). Implemented in pods.c.
 */
#ifndef ID_PODFACTS_H
#define ID_PODFACTS_H

#include "check.h"

/* A digest of the events about one pod that match a filter. */
struct evdigest {
	const struct event *newest;  /* newest matching event, NULL when none */
	long count;                  /* sum of their counts */
	ktime first, last;           /* oldest first / newest last timestamp (0 unknown) */
};

/*
 * Events about pod p (kind Pod + namespace + name + uid, never by name
 * alone) with this reason (NULL: any), whose message starts with prefix
 * (NULL: any) and contains substr (NULL: any), and that concern container
 * (NULL: any; an event without a fieldPath concerns every container).
 */
void pod_events(const struct model *m, const struct pod *p, const char *reason,
		const char *prefix, const char *substr, const char *container,
		struct evdigest *out);
/* "<message> (x12, last 2m ago)" for a digest with an event. */
const char *evdigest_text(struct diag *d, const struct evdigest *e);
/* "2m ago", "" when t is unset. */
const char *ago_text(struct diag *d, ktime t);

/* One word for the pod's state: Ready, NotReady, CrashLoopBackOff, Pending... */
const char *pod_state_word(const struct pod *p);
/* Phase Failed or Succeeded: the pod will not run again. */
bool pod_is_done(const struct pod *p);
/* Waiting in CrashLoopBackOff. */
bool cstatus_crashloop(const struct container_status *cs);
/* Last (or current) termination reason OOMKilled. */
bool cstatus_oomkilled(const struct container_status *cs);
/*
 * Running for a day or more since its last start: its last termination
 * (an OOMKill) and restart count are history, not a cause of 502s now.
 */
bool cstatus_stable(const struct container_status *cs, ktime now);
/* "exit code 1 (Error) 3m ago" for the last termination, "" when none. */
const char *cstatus_last_exit(struct diag *d, const struct container_status *cs);
/* The pod's spec container of that name (containers and init containers), or NULL. */
const struct container *pod_container(const struct pod *p, const char *name);

/* Set the pods hop of the current chain: "3 pods: 1 Ready, 2 CrashLoopBackOff". */
void pods_hop(struct check_ctx *c);

#endif
