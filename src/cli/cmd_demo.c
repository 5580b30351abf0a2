/*
 * cmd_demo: `ingress-doctor demo` diagnoses the example cluster bundled
 * in the binary (examples/demo/, embedded by demo_blob.S as one YAML
 * stream between the symbols demo_yaml and demo_yaml_end). Only src/cli/
 * refers to those symbols.
 */
#include "cli.h"
#include "../checks/check.h"
#include "../model/model.h"
#include "../source/files.h"

#include <string.h>

#include "../util/banned.h"

extern const char demo_yaml[], demo_yaml_end[];

static const struct cli_opt demo_opts[] = {
	{ 'o', "output", "FORMAT", "text (default) or json" },
	{ 'v', "verbose", NULL, "show all evidence and every hop; repeatable" },
	{ OPT_NO_COLOR, "no-color", NULL, "never colour (also NO_COLOR=1; only on a terminal)" },
	{ 'h', "help", NULL, "show this help" },
	{ 0, NULL, NULL, NULL },
};

static int run_demo(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_output out = { .format = FMT_TEXT };
	struct err err = ERR_INIT;
	struct cli_parser p;
	struct cli_counter cnt;
	struct source_sink sink;
	struct warnings w;
	struct model m;
	struct scope s = { 0 };
	const char *arg;
	size_t len = (size_t)(demo_yaml_end - demo_yaml);
	int id, rc = 0;

	cli_parser_init(&p, cmd, argc, argv);
	while ((id = cli_next(&p, &arg, &err)) != CLI_END) {
		if (id == CLI_ERROR)
			break;
		if (id == 'h') {
			cli_parser_release(&p);
			cli_help(cmd, stdout);
			return 0;
		}
		if (cli_output_option(&out, id, arg, &err) <= 0) {
			if (!err.code)
				err_set(&err, ERR_USAGE, "option %d not handled", id);
			break;
		}
	}
	if (!err.code && cli_operands(&p) < argc)
		err_set(&err, ERR_USAGE, "demo takes no arguments ('%s')", argv[cli_operands(&p)]);
	cli_parser_release(&p);
	if (err.code)
		return cli_usage_error(cmd, err.msg);

	/* the Makefile ends the stream with a NUL that is not YAML */
	while (len && demo_yaml[len - 1] == '\0')
		len--;
	warnings_init(&w);
	model_init(&m, &w);
	sink = cli_counting_sink(&cnt, &m);
	if (source_buffer_read("demo", demo_yaml, len, &sink, &err) < 0) {
		warnings_print(&w, stderr);
		rc = cli_fail(&err);
		goto out;
	}
	if (!cnt.objects) {
		err_set(&err, ERR_INTERNAL, "the bundled demo cluster is empty (built without "
			"examples/demo/)");
		rc = cli_fail(&err);
		goto out;
	}
	rc = cli_diagnose_model(&m, &w, &s, &out, 0);
	/* the example is broken on purpose: finding its errors is success */
	if (rc == 1)
		rc = 0;
out:
	model_release(&m);
	warnings_release(&w);
	return rc;
}

const struct cli_cmd cmd_demo = {
	.name = "demo",
	.args = "[-o text|json] [-v] [--no-color]",
	.summary = "diagnose the example cluster bundled in the binary",
	.description =
		"Runs the same diagnosis as 'diagnose --from' on a small example cluster\n"
		"with broken Ingress paths, to show what a report looks like. It exits\n"
		"0 when the diagnosis ran, although the example has error findings\n"
		"(diagnose exits 1 for those); 2 on a usage error.\n",
	.opts = demo_opts,
	.available = true,
	.run = run_demo,
};
