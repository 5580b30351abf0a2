/*
 * debugpod: the runbook's connectivity check from a short-lived pod in the
 * controller's namespace (probe.h). Placeholder until it is written: it
 * refuses with a clear message and creates nothing.
 */
#include "probe.h"

#include "../util/banned.h"

int probe_debugpod(struct kc_client *cl, const struct model *m, const struct probe_plan *plan,
		   struct probe_debugpod_opts *o, struct probe_result *res, struct err *err)
{
	(void)cl;
	(void)m;
	(void)plan;
	(void)res;
	o->deleted = true;
	return err_set(err, ERR_USAGE, "--from-controller-namespace is not available yet");
}
