/*
 * cmd_snapshot: `ingress-doctor snapshot -o DIR [-n NS | -A]` reads the
 * live cluster the way diagnose does and writes what a diagnosis uses
 * into DIR (live/snapshot.h), so that `diagnose --from DIR` finds the
 * same. Secret data is never written; DIR is 0700, its files 0600.
 */
#include "cli.h"
#include "../live/session.h"
#include "../live/snapshot.h"

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
	{ 'v', "verbose", NULL, "log every request (never credentials)" },
	{ 'h', "help", NULL, "show this help" },
	{ 0, NULL, NULL, NULL },
};

static int run_snapshot(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_parser p;
	struct live_opts lo = { 0 };
	struct live_result res;
	struct snap_writer sw;
	struct source_sink sink;
	struct warnings w;
	struct err err = ERR_INIT;
	const char *dir = NULL, *arg;
	char *ns = NULL;
	int id, rc = 0;
	bool open_ok = false;

	memset(&res, 0, sizeof(res));
	warnings_init(&w);
	cli_parser_init(&p, cmd, argc, argv);
	while ((id = cli_next(&p, &arg, &err)) != CLI_END) {
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
	sink = snap_sink(&sw, NULL);
	sink.warn = &w;
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
		fprintf(stderr, "ingress-doctor: wrote %llu objects of %s to %s; diagnose them with: "
			"%s diagnose --from %s\n", n, ns ? ns : "all namespaces", dir, cli_prog,
			dir);
	}
out:
	if (open_ok)
		snap_abort(&sw);
	live_result_release(&res);
	free(ns);
	cli_parser_release(&p);
	warnings_release(&w);
	return rc;
}

const struct cli_cmd cmd_snapshot = {
	.name = "snapshot",
	.args = "-o DIR [-n NS | -A] [--context NAME] [--kubeconfig FILE]",
	.summary = "save what diagnose needs from a live cluster, for offline use",
	.description =
		"Reads the cluster like `diagnose` (same kubeconfig rules) and writes one\n"
		"JSON list per kind into DIR, plus the cluster version and the kinds that\n"
		"could not be read (DIR/.ingress-doctor/). `diagnose --from DIR` gives the\n"
		"same findings later. Secrets are saved as metadata only, never their data;\n"
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
