/*
 * cmd_snapshot: `ingress-doctor snapshot -o DIR [-n NS | -A]` reads the
 * live cluster the way diagnose does and writes what a diagnosis uses
 * into DIR (live/snapshot.h), so that `diagnose --from DIR` finds the
 * same. Secret data is never written; DIR is 0700, its files 0600.
 * The logs of the ingress controllers' pods (pods/log, --log-since,
 * --log-tail) are saved beside, as DIR/<ns>/<pod>/logs.txt.
 */
#include "cli.h"
#include "../controller/controller.h"
#include "../live/kubeconfig.h"
#include "../live/session.h"
#include "../live/snapshot.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

static const struct cli_opt snapshot_opts[] = {
	{ 'o', "output", "DIR", "directory to write the snapshot to (created, or empty)" },
	{ 'n', "namespace", "NS", "only namespace NS (default: the context's namespace)" },
	{ 'A', "all-namespaces", NULL, "every namespace" },
	{ OPT_CONTEXT, "context", "NAME", "kubeconfig context to use" },
	{ OPT_KUBECONFIG, "kubeconfig", "FILE", "kubeconfig file to use" },
	{ OPT_REQUEST_TIMEOUT, "request-timeout", "DURATION",
	  "total time for reading the cluster, e.g. 30s, 2m (0: none)" },
	CLI_KUBE_OPTS
	{ OPT_LOG_SINCE, "log-since", "DURATION",
	  "controller logs of the last DURATION (default 1h; 0: all)" },
	{ OPT_LOG_TAIL, "log-tail", "N", "at most the last N lines per controller pod (default 10000; "
	  "0: all)" },
	{ 'v', "verbose", NULL, "log every request (never credentials)" },
	{ 'h', "help", NULL, "show this help" },
	{ 0, NULL, NULL, NULL },
};

struct snap_logs {
	struct model *m;
	struct snap_writer *sw;
	struct live_log_opts lo;
	unsigned written, failed;
};

/* After the read: fetch the controllers' pod logs and write them beside the lists. */
static int fetch_logs(void *ctx, struct kc_client *cl, struct err *err)
{
	struct snap_logs *sl = ctx;
	struct live_log_req *reqs = NULL;
	struct live_log *logs = NULL;
	size_t n;
	int rc = -1;

	n = cli_controller_log_reqs(sl->m, false, &reqs);
	if (!n) {
		rc = 0;
		goto out;
	}
	if (live_fetch_logs(cl, reqs, n, &sl->lo, &logs, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (!logs[i].text) {
			warn_add(cl->warn, "log of pod %s/%s (container %s) could not be read: %s",
				 logs[i].ns, logs[i].pod, logs[i].container, logs[i].error);
			sl->failed++;
			continue;
		}
		if (snap_write_log(sl->sw, logs[i].ns, logs[i].pod, logs[i].text, logs[i].len,
				   err) < 0)
			goto out;
		sl->written++;
	}
	rc = 0;
out:
	live_logs_free(logs, n);
	free(reqs);
	return rc;
}

static int run_snapshot(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_parser p;
	struct live_opts lo = { 0 };
	struct live_result res;
	struct snap_writer sw;
	struct source_sink sink, msink;
	struct snap_logs sl = { .lo = { .tail_lines = 10000, .since_seconds = 3600 } };
	struct model m;
	double since;
	char *end;
	struct warnings w;
	struct err err = ERR_INIT;
	const char *dir = NULL, *arg, *name;
	struct kc_flags kube = { 0 };
	char *ns = NULL;
	int id, rc = 0;
	bool open_ok = false;

	memset(&res, 0, sizeof(res));
	warnings_init(&w);
	model_init(&m, &w);
	cli_parser_init(&p, cmd, argc, argv);
	lo.kube = &kube;
	while ((id = cli_next(&p, &arg, &err)) != CLI_END) {
		int k = id == CLI_ERROR ? 0 : cli_kube_option(&kube, id, arg, &name, &err);
		if (k < 0) {
			rc = cli_usage_error(cmd, err.msg);
			goto out;
		}
		if (k > 0)
			continue;
		switch (id) {
		case CLI_ERROR:
			rc = cli_usage_error(cmd, err.msg);
			goto out;
		case 'o': dir = arg; break;
		case 'n': lo.ns = arg; break;
		case 'A': lo.all_ns = true; break;
		case OPT_CONTEXT: lo.context = arg; break;
		case OPT_KUBECONFIG: lo.kubeconfig = arg; break;
		case OPT_REQUEST_TIMEOUT: lo.timeout = arg; break;
		case 'v': lo.verbose++; break;
		case OPT_LOG_SINCE:
			if (live_parse_timeout(arg, &since) < 0) {
				rc = cli_usage_error(cmd, "invalid --log-since (e.g. 10m, 1h, 0 for all)");
				goto out;
			}
			sl.lo.since_seconds = since > 0 && since < 1 ? 1 : (long)since;
			break;
		case OPT_LOG_TAIL:
			sl.lo.tail_lines = strtol(arg, &end, 10);
			if (!*arg || *end || sl.lo.tail_lines < 0) {
				rc = cli_usage_error(cmd, "invalid --log-tail (a number of lines, 0 for all)");
				goto out;
			}
			break;
		case 'h':
			cli_help(cmd, stdout);
			goto out;
		default:
			err_set(&err, ERR_INTERNAL, "option %d not handled", id);
			rc = cli_fail(&err);
			goto out;
		}
	}
	if (cli_operands(&p) < argc) {
		rc = cli_usage_error(cmd, "snapshot takes no operands");
		goto out;
	}
	if (!dir) {
		rc = cli_usage_error(cmd, "-o DIR is required");
		goto out;
	}
	if (lo.ns && lo.all_ns) {
		rc = cli_usage_error(cmd, "-n/--namespace and -A/--all-namespaces cannot be used "
				     "together");
		goto out;
	}
	if (snap_open(&sw, dir, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	open_ok = true;
	/* the objects also go to a model: it finds the controllers' pods for their logs */
	msink = model_sink(&m);
	sink = snap_sink(&sw, &msink);
	sink.warn = &w;
	sl.m = &m;
	sl.sw = &sw;
	lo.after_read = fetch_logs;
	lo.after_ctx = &sl;
	if (live_session_read(&lo, &sink, &res, &w, &ns, &err) < 0) {
		warnings_print(&w, stderr);
		rc = cli_fail(&err);
		goto out;
	}
	open_ok = false;
	if (snap_close(&sw, &res, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	warnings_print(&w, stderr);
	{
		unsigned long long n = 0;
		for (int k = 0; k < K__COUNT; k++)
			n += sw.items[k];
		fprintf(stderr, "ingress-doctor: wrote %llu objects of %s and %u controller log(s) "
			"to %s; diagnose them with: %s diagnose --from %s\n", n,
			ns ? ns : "all namespaces", sl.written, dir, cli_prog, dir);
	}
out:
	if (open_ok)
		snap_abort(&sw);
	live_result_release(&res);
	model_release(&m);
	free(ns);
	cli_parser_release(&p);
	cli_kube_release(&kube);
	warnings_release(&w);
	return rc;
}

const struct cli_cmd cmd_snapshot = {
	.name = "snapshot",
	.args = "-o DIR [-n NS | -A] [--context NAME] [--kubeconfig FILE] [--log-since D] "
		"[--log-tail N]",
	.summary = "save what diagnose needs from a live cluster, for offline use",
	.description =
		"Reads the cluster like `diagnose` (same kubeconfig rules) and writes one\n"
		"JSON list per kind into DIR, plus the cluster version and the kinds that\n"
		"could not be read (DIR/.ingress-doctor/). `diagnose --from DIR` gives the\n"
		"same findings later, the controllers' pod logs included (DIR/NS/POD/logs.txt).\n"
		"Secrets are saved as metadata only, never their data;\n"
		"DIR is created 0700 and its files 0600.\n"
		"\n"
		"examples:\n"
		"  ingress-doctor snapshot -A -o ./incident-42/\n"
		"  ingress-doctor diagnose --from ./incident-42/\n"
		"\n"
		"exit status: 0 written, 2 bad usage or DIR not usable, 3 cluster unreachable\n"
		"or credentials refused.\n",
	.opts = snapshot_opts,
	.available = true,
	.run = run_snapshot,
};
