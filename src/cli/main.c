/*
 * main: ingress-doctor's entry point. Picks the command from argv[1] and
 * runs it; the command returns the exit status (cli.h). Installed also as
 * the kubectl plugin kubectl-ingress_doctor, which behaves the same.
 *
 * SIGPIPE is ignored so that `ingress-doctor demo | head -1` ends quietly:
 * the renderers see EPIPE and stop (output.c).
 */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

static const struct cli_cmd *find_cmd(const char *name)
{
	for (size_t i = 0; cli_commands[i]; i++)
		if (!strcmp(cli_commands[i]->name, name))
			return cli_commands[i];
	return NULL;
}

static bool is_help(const char *a)
{
	return !strcmp(a, "-h") || !strcmp(a, "--help") || !strcmp(a, "help");
}

/* Flush stdout; a closed pipe is normal, another failure is exit 4. */
static int finish(int rc)
{
	if (fflush(stdout) != 0 && errno != EPIPE) {
		fprintf(stderr, "ingress-doctor: cannot write to standard output: %s\n",
			strerror(errno));
		return 4;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const struct cli_cmd *cmd;
	char msg[256];
	const char *a;

	signal(SIGPIPE, SIG_IGN);
	cli_set_prog(argc > 0 ? argv[0] : NULL);

	if (argc < 2) {
		cli_help_main(stderr);
		return 2;
	}
	a = argv[1];
	if (is_help(a)) {
		/* `ingress-doctor help diagnose` is `ingress-doctor diagnose --help` */
		if (argc > 2 && (cmd = find_cmd(argv[2]))) {
			cli_help(cmd, stdout);
			return finish(0);
		}
		if (argc > 2) {
			snprintf(msg, sizeof(msg), "unknown command '%s'", argv[2]);
			return cli_usage_error(NULL, msg);
		}
		cli_help_main(stdout);
		return finish(0);
	}
	if (!strcmp(a, "--version"))
		return finish(cmd_version.run(&cmd_version, 1, (char *[]){ "version", NULL }));
	cmd = find_cmd(a);
	if (!cmd) {
		if (a[0] == '-')
			snprintf(msg, sizeof(msg), "unknown option '%.100s' (options follow the "
				 "command, e.g. '%s diagnose -n NS')", a, cli_prog);
		else
			snprintf(msg, sizeof(msg), "unknown command '%.100s'", a);
		return cli_usage_error(NULL, msg);
	}
	return finish(cmd->run(cmd, argc - 1, argv + 1));
}
