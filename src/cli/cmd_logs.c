/*
 * cmd_logs: `ingress-doctor logs FILE...` will analyse ingress controller
 * logs (interface.md). Not built yet: the table documents the interface
 * and the command says it is not yet supported.
 */
#include "cli.h"

#include "../util/banned.h"

static const struct cli_opt logs_opts[] = {
	{ 'o', "output", "FORMAT", "text (default) or json" },
	{ OPT_NO_COLOR, "no-color", NULL, "never colour (also NO_COLOR=1; only on a terminal)" },
	{ 'h', "help", NULL, "show this help" },
	{ 0, NULL, NULL, NULL },
};

const struct cli_cmd cmd_logs = {
	.name = "logs",
	.args = "FILE... [-o text|json]",
	.summary = "analyse ingress controller logs ('-' for stdin, .gz read too)",
	.description = NULL,
	.opts = logs_opts,
	.available = false,
	.run = cli_run_unavailable,
};
