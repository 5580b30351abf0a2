/*
 * debugpod_int: the pieces of the debug-pod probe (debugpod.c) that need
 * no cluster: the shell script the pod runs, the Pod object it is created
 * from, and the reading of its report (debugpod_script.c). Internal to
 * src/probe/; exposed for tests.
 */
#ifndef ID_DEBUGPOD_INT_H
#define ID_DEBUGPOD_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "probe.h"

#define DP_IMAGE_DEFAULT "busybox:1.36"
#define DP_GENERATE_NAME "ingress-doctor-probe-"
#define DP_CONTAINER "probe"
#define DP_LABEL_NAME "app.kubernetes.io/name"
#define DP_LABEL_NAME_VAL "ingress-doctor-probe"
#define DP_LABEL_MANAGED "app.kubernetes.io/managed-by"
#define DP_LABEL_MANAGED_VAL "ingress-doctor"
#define DP_UID 65534              /* nobody: runAsNonRoot needs a numeric uid */
#define DP_PARALLEL 8             /* targets probed at once inside the pod */

/*
 * Can target t be probed from a pod? Its IP must be a plain IPv4/IPv6
 * address and its port 1..65535. When not, *why says so (static text).
 */
bool dp_target_ok(const struct probe_target *t, const char **why);

/* The per-target limit the script uses: timeout_s rounded up to whole seconds, 1..300. */
long dp_script_timeout(double timeout_s);

/*
 * The POSIX sh script: for every probe-able target i, a TCP connect (nc)
 * then an HTTP GET (wget, https when t->https, no verification), each
 * bounded by dp_script_timeout(timeout_s) (+1 s for timeout(1)), DP_PARALLEL at a
 * time; one line per target
 *   IDPROBE <i> tcp=<ok|refused|timeout|unreachable|error|-> \
 *           http=<status|refused|reset|timeout|not-http|unreachable|error|-> ms=<n> msg=<text>
 * then "IDPROBE-END". Returns a malloc'ed string.
 */
char *dp_script(const struct probe_plan *plan, double timeout_s);

/*
 * The Pod to POST to /api/v1/namespaces/ns/pods (JSON, malloc'ed, its
 * length in *len): named name (the caller picks it, so that a POST whose
 * answer is lost can still be followed by a DELETE), labels no Service should select,
 * restartPolicy Never, activeDeadlineSeconds deadline_s, no service
 * account token, grace period 0, non-root with a restricted-profile
 * security context, a small resources request/limit, command sh -c script.
 */
char *dp_pod_json(const char *ns, const char *name, const char *image, const char *script,
		  long deadline_s, size_t *len);

/*
 * Read the pod's log: each "IDPROBE" line fills res[i] (outcome, status,
 * ms, detail). Lines with a bad index or form are skipped. *ended is set
 * when "IDPROBE-END" was seen (the script ran to its end). Returns the
 * number of targets reported (a target reported twice counts once; its
 * last line wins).
 */
size_t dp_parse_log(const char *log, size_t len, const struct probe_plan *plan,
		    struct probe_result *res, bool *ended);

/* Outcome of one report line's fields (exposed for tests). */
enum probe_outcome dp_outcome(const char *tcp, const char *http, int *status);

#endif
