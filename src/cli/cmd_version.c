/*
 * cmd_version: `ingress-doctor version` (and `--version`) prints the
 * version the build was made from (ID_VERSION, from the VERSION file).
 */
#include "cli.h"

#include "../util/banned.h"

#ifndef ID_VERSION
#define ID_VERSION "0.0.0-unknown"
#endif

static const struct cli_opt version_opts[] = {
	{ 'h', "help", NULL, "show this help" },
	{ 0, NULL, NULL, NULL },
};

static int run_version(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct err err = ERR_INIT;
	struct cli_parser p;
	const char *arg;
	int id;

	cli_parser_init(&p, cmd, argc, argv);
	while ((id = cli_next(&p, &arg, &err)) != CLI_END) {
		if (id == 'h') {
			cli_parser_release(&p);
			cli_help(cmd, stdout);
			return 0;
		}
		if (id == CLI_ERROR)
			break;
	}
	if (!err.code && cli_operands(&p) < argc)
		err_set(&err, ERR_USAGE, "version takes no arguments ('%s')",
			argv[cli_operands(&p)]);
	cli_parser_release(&p);
	if (err.code)
		return cli_usage_error(cmd, err.msg);
	printf("ingress-doctor %s\n", ID_VERSION);
	return 0;
}

const struct cli_cmd cmd_version = {
	.name = "version",
	.args = "",
	.summary = "print the version",
	.description = "Prints 'ingress-doctor VERSION', as 'ingress-doctor --version' does.\n",
	.opts = version_opts,
	.available = true,
	.run = run_version,
};
