/*
 * output: the output options shared by diagnose and demo (-o, -v,
 * --no-color), the colour decision, and rendering a diagnosis to stdout
 * with the exit status it implies.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/banned.h"

int cli_output_option(struct cli_output *o, int id, const char *arg, struct err *err)
{
	switch (id) {
	case 'o':
		if (!strcmp(arg, "text")) {
			o->format = FMT_TEXT;
		} else if (!strcmp(arg, "json")) {
			o->format = FMT_JSON;
		} else {
			return err_set(err, ERR_USAGE, "unknown output format '%s' (use text or json)",
				       arg);
		}
		return 1;
	case 'v':
		if (o->verbose < 9)
			o->verbose++;
		return 1;
	case OPT_NO_COLOR:
		o->no_color = true;
		return 1;
	default:
		return 0;
	}
}

bool cli_want_color(const struct cli_output *o)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (o->no_color || o->format != FMT_TEXT)
		return false;
	if (nc && *nc)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(STDOUT_FILENO) == 1;
}

int cli_render(struct diag *d, const struct cli_output *o)
{
	struct report_opts ro = { .color = cli_want_color(o), .verbose = o->verbose };
	size_t errors = 0;
	int rc;

	diag_sort(d);
	errno = 0;
	if (o->format == FMT_JSON)
		rc = report_json(stdout, d, &ro);
	else
		rc = report_text(stdout, d, &ro);
	if (rc == 0 && fflush(stdout) != 0)
		rc = -1;
	diag_counts(d, &errors, NULL, NULL);
	if (rc < 0) {
		/* the reader went away (`| head`): nothing to tell anyone */
		if (errno == EPIPE)
			return errors ? 1 : 0;
		fprintf(stderr, "ingress-doctor: cannot write the report: %s\n",
			errno ? strerror(errno) : "write error");
		return 4;
	}
	return errors ? 1 : 0;
}
