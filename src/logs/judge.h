/*
 * judge: findings from log statistics (checks.md section 6).
 *
 * One finding per (catalogue id, upstream). The object is the upstream
 * (kind "Upstream", name "<namespace>-<service>-<port>", namespace ""),
 * or the peer address (kind "Address") when no access line tied it to an
 * upstream, or a Service named by the controller's own klog lines. A
 * later join with the cluster (diagnose --logs) maps these objects to
 * Ingress/Service/Pod.
 *
 * Which evidence counts: with nginx error-log lines in the input, the
 * error-log classes decide (they name the failure exactly); without any,
 * the access-log patterns of nginx-502.md section 1.4 do, and a note
 * says so. 503s with no upstream contacted count in both cases.
 */
#ifndef ID_LOGS_JUDGE_H
#define ID_LOGS_JUDGE_H

#include "../findings/findings.h"
#include "stats.h"

/* s must be finished (log_stats_finish). Adds findings and notes to d. */
void log_judge(const struct log_stats *s, struct diag *d);

#endif
