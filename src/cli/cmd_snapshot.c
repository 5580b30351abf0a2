/*
 * cmd_snapshot: `ingress-doctor snapshot -o DIR` will save what diagnose
 * needs from a live cluster, for offline use (interface.md). Not built
 * yet: the table documents the interface and the command says it is not
 * yet supported.
 */
#include "cli.h"

#include "../util/banned.h"

static const struct cli_opt snapshot_opts[] = {
	{ 'o', "output", "DIR", "directory to write the snapshot to" },
	{ 'n', "namespace", "NS", "only namespace NS (default: the context's namespace)" },
	{ 'A', "all-namespaces", NULL, "every namespace" },
	{ OPT_CONTEXT, "context", "NAME", "kubeconfig context to use" },
	{ OPT_KUBECONFIG, "kubeconfig", "FILE", "kubeconfig file to use" },
	{ 'h', "help", NULL, "show this help" },
	{ 0, NULL, NULL, NULL },
};

const struct cli_cmd cmd_snapshot = {
	.name = "snapshot",
	.args = "-o DIR [-n NS | -A]",
	.summary = "save what diagnose needs from a live cluster, for offline use",
	.description = NULL,
	.opts = snapshot_opts,
	.available = false,
	.run = cli_run_unavailable,
};
