/*
 * logjoin_int: helpers shared by logjoin.c and logjoin_config.c (not used
 * elsewhere).
 */
#ifndef ID_LOGJOIN_INT_H
#define ID_LOGJOIN_INT_H

#include "logjoin.h"
#include "../logs/stats.h"

/* The port of svc that p (number or name) names, or NULL. */
const struct service_port *lj_port(const struct service *svc, const char *p);
/* Does chain ch route to svc (and port sp, any port when NULL)? */
bool lj_chain_routes(const struct chain *ch, const struct service *svc,
		     const struct service_port *sp);
/* Link f to every chain routing to svc/sp; returns how many. */
size_t lj_link(struct diag *d, struct finding *f, const struct service *svc,
	       const struct service_port *sp);
/* How many chains route to svc/sp. */
size_t lj_link_count(const struct diag *d, const struct service *svc,
		     const struct service_port *sp);
/* Does a chain route to a Service that selects p? */
bool lj_pod_routed(const struct model *m, const struct diag *d, const struct pod *p);

/*
 * rollout-no-prestop evidence: `failed` failures to `addrs` addresses of
 * svc that were no current endpoint (logjoin_config.c).
 */
void lj_prestop_evidence(struct check_ctx *c, const struct log_stats *s,
			 const struct service *svc, uint64_t failed, uint64_t addrs);
/* rollout-no-prestop evidence: 502s in the minutes of pod kills and terminations. */
void lj_prestop_bursts(struct check_ctx *c, const struct log_stats *s);
/* controller-config-retries / controller-config-connect-timeout. */
void lj_config(struct check_ctx *c, const struct log_stats *s, bool scoped);

#endif
