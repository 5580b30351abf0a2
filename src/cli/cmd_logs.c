/*
 * cmd_logs: `ingress-doctor logs FILE... [-o text|json]` analyses ingress
 * controller logs (interface.md): access, error and controller lines,
 * mixed or apart, plain or gzip, '-' for standard input. Prints the
 * statistics and the findings of checks.md section 6 (src/logs/).
 *
 * Exit: 0 no error finding, 1 an error finding, 2 bad usage or an input
 * that cannot be opened or read, 4 the report could not be written.
 */
#include "cli.h"
#include "../logs/judge.h"
#include "../logs/render.h"
#include "../logs/scan.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

static const struct cli_opt logs_opts[] = {
	{ 'o', "output", "FORMAT", "text (default) or json" },
	{ 'v', "verbose", NULL, "show every upstream, address and evidence line" },
	{ OPT_NO_COLOR, "no-color", NULL, "never colour (also NO_COLOR=1; only on a terminal)" },
	{ 'h', "help", NULL, "show this help" },
	{ 0, NULL, NULL, NULL },
};

/* A UTF-8 locale by the usual variables (LC_ALL, then LC_CTYPE, then LANG). */
static bool utf8_locale(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };

	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strcasestr(v, "utf-8") || strcasestr(v, "utf8");
	}
	return false;
}

static int parse(const struct cli_cmd *cmd, int argc, char **argv, struct cli_output *out,
		 int *first, struct err *err)
{
	struct cli_parser p;
	const char *arg;
	int id, rc = 0;

	cli_parser_init(&p, cmd, argc, argv);
	id = cli_next_opt(&p, out, NULL, &arg, err);
	if (id == CLI_ERROR)
		rc = -1;
	else if (id == 'h')
		rc = 1;
	else if (id != CLI_END)
		rc = err_set(err, ERR_INTERNAL, "option %d not handled", id);
	else
		*first = cli_operands(&p);
	cli_parser_release(&p);
	return rc;
}

static int run_logs(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_output out = { FMT_TEXT, 0, false };
	struct err err = ERR_INIT;
	struct log_input *in = NULL;
	struct log_stats st;
	struct warnings w;
	struct diag d;
	size_t n = 0, nstdin = 0, errors = 0;
	int first = argc, rc;

	log_stats_init(&st);
	warnings_init(&w);
	diag_init(&d);
	rc = parse(cmd, argc, argv, &out, &first, &err);
	if (rc > 0) {
		cli_help(cmd, stdout);
		rc = 0;
		goto out;
	}
	if (rc < 0) {
		rc = err.code == ERR_INTERNAL ? cli_fail(&err) : cli_usage_error(cmd, err.msg);
		goto out;
	}
	if (first >= argc) {
		rc = cli_usage_error(cmd, "no log file given (use - for standard input)");
		goto out;
	}
	for (int i = first; i < argc; i++)
		nstdin += !strcmp(argv[i], "-");
	if (nstdin > 1) {
		rc = cli_usage_error(cmd, "standard input ('-') can be given only once");
		goto out;
	}
	n = (size_t)(argc - first);
	in = xcalloc(n, sizeof(*in));
	for (size_t i = 0; i < n; i++) {
		if (log_scan_path(argv[first + (int)i], &st, &w, NULL, &in[i], &err) < 0) {
			warnings_print(&w, stderr);
			rc = cli_fail(&err);
			goto out;
		}
	}
	warnings_print(&w, stderr);
	if (st.lines && !st.access && !st.errors && !st.controller)
		fprintf(stderr, "warning: no ingress controller log line recognised in %llu "
			"line(s)\n", (unsigned long long)st.lines);
	log_stats_finish(&st);
	log_judge(&st, &d);
	diag_sort(&d);
	errno = 0;
	if (out.format == FMT_JSON) {
		rc = log_render_json(stdout, &st, in, n, &d);
	} else {
		struct log_render_opts ro = { cli_want_color(&out), utf8_locale(), out.verbose };
		rc = log_render_text(stdout, &st, in, n, &d, &ro);
	}
	if (rc == 0 && fflush(stdout) != 0)
		rc = -1;
	diag_counts(&d, &errors, NULL, NULL);
	if (rc < 0 && errno != EPIPE) {
		fprintf(stderr, "ingress-doctor: cannot write the report: %s\n",
			errno ? strerror(errno) : "write error");
		rc = 4;
		goto out;
	}
	rc = errors ? 1 : 0;
out:
	free(in);
	diag_release(&d);
	warnings_release(&w);
	log_stats_release(&st);
	return rc;
}

const struct cli_cmd cmd_logs = {
	.name = "logs",
	.args = "FILE... [-o text|json]",
	.summary = "analyse ingress controller logs ('-' for stdin, .gz read too)",
	.description =
		"Reads ingress-nginx log lines: access (upstreaminfo, combined or JSON),\n"
		"error and the controller's own klog lines, mixed or apart, as kubectl logs\n"
		"prints them (with or without --prefix/--timestamps), with the CRI prefix of\n"
		"node log files (long lines split into partial lines rejoined), plain or\n"
		"gzip. Reports requests, status counts, 5xx per upstream and per upstream\n"
		"address, the error classes behind them, a per-minute timeline of\n"
		"502/503/504 in all and per upstream (with the controller's klog events,\n"
		"their year taken from the dated lines around them), and findings\n"
		"(upstream-connect-refused,\n"
		"upstream-read-timeout, keepalive-timeout-mismatch, ...: docs/checks.md\n"
		"section 6) with evidence, fix and commands. A finding names the upstream\n"
		"(<namespace>-<service>-<port>), else the pod address or the Service.\n"
		"\n"
		"examples:\n"
		"  kubectl logs -n ingress-nginx deploy/ingress-nginx-controller --since=1h | \\\n"
		"    ingress-doctor logs -\n"
		"  ingress-doctor logs access.log.gz error.log -o json\n"
		"\n"
		"exit status: 0 no error finding, 1 at least one error finding, 2 bad usage or\n"
		"unreadable input, 4 the report could not be written.\n",
	.opts = logs_opts,
	.available = true,
	.run = run_logs,
};
