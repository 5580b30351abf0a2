/*
 * ctl_logs: which controller pods' logs a live command fetches, and the
 * fetch. Shared by `diagnose` (which joins them), `probe` (which scans
 * them for refusals) and `snapshot` (which saves them): one request per
 * controller pod found in the model, for its log container.
 */
#include "cli.h"
#include "../controller/controller.h"
#include "../live/live.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

size_t cli_controller_log_reqs(const struct model *m, bool joinable_only,
			       struct live_log_req **out)
{
	struct live_log_req *reqs = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; controller_impls[i]; i++) {
		const struct pod **pods;
		size_t np;
		if (joinable_only && !controller_impls[i]->nginx_logs)
			continue;
		np = controller_impls[i]->find_pods(m, "", &pods);
		for (size_t k = 0; k < np; k++) {
			const char *c = live_log_container(pods[k]);
			bool dup = false;
			for (size_t j = 0; j < n && !dup; j++)
				dup = !strcmp(reqs[j].ns, pods[k]->meta.ns) &&
				      !strcmp(reqs[j].pod, pods[k]->meta.name);
			if (dup || !c)
				continue;
			XGROW(reqs, cap, n + 1);
			reqs[n].ns = pods[k]->meta.ns;
			reqs[n].pod = pods[k]->meta.name;
			reqs[n].container = c;
			n++;
		}
		free(pods);
	}
	*out = reqs;
	return n;
}

int cli_fetch_controller_logs(struct kc_client *cl, const struct model *m, bool joinable_only,
			      const struct live_log_opts *lo, cli_log_fn fn, void *ctx,
			      struct err *err)
{
	struct live_log_req *reqs = NULL;
	struct live_log *logs = NULL;
	size_t n = cli_controller_log_reqs(m, joinable_only, &reqs);
	int rc = -1;

	if (n && live_fetch_logs(cl, reqs, n, lo, &logs, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (fn(ctx, cl, &logs[i], err) < 0)
			goto out;
	rc = (int)n;
out:
	live_logs_free(logs, n);
	free(reqs);
	return rc;
}
