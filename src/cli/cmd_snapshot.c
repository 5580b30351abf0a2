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
	const struct live_log_opts *lo;
	struct snap_writer *sw;
	unsigned written, failed;
};

/* A controller pod's log, fetched after the read: written beside the lists. */
static int save_log(void *ctx, struct kc_client *cl, const struct live_log *lg, struct err *err)
{
	struct snap_logs *sl = ctx;

	if (!lg->text) {
		warn_add(cl->warn, "log of pod %s/%s (container %s) could not be read: %s",
			 lg->ns, lg->pod, lg->container, lg->error);
		sl->failed++;
		return 0;
	}
	if (snap_write_log(sl->sw, lg->ns, lg->pod, lg->text, lg->len, err) < 0)
		return -1;
	sl->written++;
	return 0;
}

/* After the read: fetch the controllers' pod logs and write them beside the lists. */
static int fetch_logs(void *ctx, struct kc_client *cl, struct err *err)
{
	struct snap_logs *sl = ctx;

	return cli_fetch_controller_logs(cl, sl->m, false, sl->lo, save_log, sl, err) < 0 ? -1 : 0;
}

static int run_snapshot(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_parser p;
	struct cli_live live;
	struct live_opts lo;
	struct live_result res;
	struct snap_writer sw;
	struct source_sink sink, msink;
	struct snap_logs sl = { 0 };
	struct model m;
	struct warnings w;
	struct err err = ERR_INIT;
	const char *dir = NULL, *arg;
	char *ns = NULL;
	int id, rc = 0, verbose = 0;
	bool open_ok = false;

	memset(&res, 0, sizeof(res));
	warnings_init(&w);
	model_init(&m, &w);
	cli_live_init(&live);
	cli_parser_init(&p, cmd, argc, argv);
	while ((id = cli_next_opt(&p, NULL, &live, &arg, &err)) != CLI_END) {
		switch (id) {
		case CLI_ERROR:
			rc = cli_usage_error(cmd, err.msg);
			goto out;
		case 'o': dir = arg; break;
		case 'v': verbose++; break;
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
	if (cli_live_check(&live, NULL, 0, &err) < 0) {
		rc = cli_usage_error(cmd, err.msg);
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
	cli_live_opts(&live, NULL, 0, verbose, &lo);
	sl.m = &m;
	sl.lo = &live.logs;
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
	cli_live_release(&live);
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
