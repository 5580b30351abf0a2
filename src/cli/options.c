/*
 * options: option tables to getopt_long and to --help text, usage errors.
 *
 * Each command declares one table (struct cli_opt); cli_next() parses argv
 * with getopt_long built from it and turns getopt's failures into one-line
 * messages; cli_help() prints the same table as the command's help.
 * GNU permutation is kept: operands (Ingress names) may come before or
 * after options, as with kubectl. cli_kube_option() handles kubectl's
 * connection flags (CLI_KUBE_OPTS) for every command that reads a cluster.
 */
#include "cli.h"
#include "../live/kubeconfig.h"
#include "../util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

const char *cli_prog = "ingress-doctor";

const struct cli_cmd *const cli_commands[] = {
	&cmd_diagnose, &cmd_probe, &cmd_demo, &cmd_logs, &cmd_snapshot, &cmd_version, NULL,
};

void cli_set_prog(const char *argv0)
{
	const char *base = argv0 ? strrchr(argv0, '/') : NULL;

	base = base ? base + 1 : argv0;
	/* kubectl runs plugin "kubectl-ingress_doctor" for `kubectl ingress-doctor` */
	if (base && !strncmp(base, "kubectl-", 8))
		cli_prog = "kubectl ingress-doctor";
	else
		cli_prog = "ingress-doctor";
}

static bool has_short(int id)
{
	return id > 0 && id < 128 && isalnum(id);
}

void cli_parser_init(struct cli_parser *p, const struct cli_cmd *cmd, int argc, char **argv)
{
	size_t n = 0, k = 0;

	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	p->argc = argc;
	p->argv = argv;
	while (cmd->opts[n].id)
		n++;
	p->lopts = xcalloc(n + 1, sizeof(*p->lopts));
	/* ':' first: a missing value returns ':' instead of printing */
	p->shorts[k++] = ':';
	for (size_t i = 0; i < n; i++) {
		const struct cli_opt *o = &cmd->opts[i];
		p->lopts[i].name = o->lng;
		p->lopts[i].has_arg = o->arg ? required_argument : no_argument;
		p->lopts[i].flag = NULL;
		p->lopts[i].val = o->id;
		if (has_short(o->id) && k + 3 < sizeof(p->shorts)) {
			p->shorts[k++] = (char)o->id;
			if (o->arg)
				p->shorts[k++] = ':';
		}
	}
	p->shorts[k] = '\0';
	opterr = 0;
	optind = 0;   /* glibc: full re-initialisation, also of the permutation state */
}

void cli_parser_release(struct cli_parser *p)
{
	free(p->lopts);
	p->lopts = NULL;
}

static const struct cli_opt *find_opt(const struct cli_cmd *cmd, int id)
{
	for (const struct cli_opt *o = cmd->opts; o->id; o++)
		if (o->id == id)
			return o;
	return NULL;
}

/* "-n/--namespace" or "--from". */
static void opt_label(const struct cli_opt *o, char *out, size_t n)
{
	if (has_short(o->id))
		snprintf(out, n, "-%c/--%s", o->id, o->lng);
	else
		snprintf(out, n, "--%s", o->lng);
}

int cli_next(struct cli_parser *p, const char **arg, struct err *err)
{
	const struct cli_opt *o;
	char label[64];
	int c;

	*arg = NULL;
	c = getopt_long(p->argc, p->argv, p->shorts, p->lopts, NULL);
	if (c == -1)
		return CLI_END;
	if (c == ':') {
		o = find_opt(p->cmd, optopt);
		if (!o)
			return err_set(err, ERR_USAGE, "option needs a value");
		opt_label(o, label, sizeof(label));
		return err_set(err, ERR_USAGE, "option '%s' needs a value (%s)", label, o->arg);
	}
	if (c == '?') {
		const char *tok = optind > 0 && optind <= p->argc ? p->argv[optind - 1] : "";
		o = optopt ? find_opt(p->cmd, optopt) : NULL;
		if (o && !o->arg) {
			opt_label(o, label, sizeof(label));
			return err_set(err, ERR_USAGE, "option '%s' takes no value", label);
		}
		if (optopt && optopt < 128 && isprint(optopt))
			return err_set(err, ERR_USAGE, "unknown option '-%c'", optopt);
		if (tok && !strncmp(tok, "--", 2)) {
			size_t len = strcspn(tok, "=");
			return err_set(err, ERR_USAGE, "unknown option '%.*s'", (int)len, tok);
		}
		return err_set(err, ERR_USAGE, "unknown option '%s'", tok ? tok : "");
	}
	*arg = optarg;
	return c;
}

int cli_operands(const struct cli_parser *p)
{
	(void)p;
	return optind;
}

/* ---- help ---- */

static size_t opt_left(const struct cli_opt *o, char *out, size_t n)
{
	int len;

	if (has_short(o->id))
		len = snprintf(out, n, "  -%c, --%s%s%s", o->id, o->lng, o->arg ? " " : "",
			       o->arg ? o->arg : "");
	else
		len = snprintf(out, n, "      --%s%s%s", o->lng, o->arg ? " " : "",
			       o->arg ? o->arg : "");
	return len < 0 ? 0 : (size_t)len;
}

void cli_help(const struct cli_cmd *cmd, FILE *f)
{
	char left[128];
	size_t width = 0;

	fprintf(f, "usage: %s %s%s%s\n", cli_prog, cmd->name, *cmd->args ? " " : "", cmd->args);
	fprintf(f, "\n%s\n", cmd->summary);
	if (!cmd->available)
		fprintf(f, "\nNot yet supported: this version of %s does not have this command "
			"yet.\n", cli_prog);
	for (const struct cli_opt *o = cmd->opts; o->id; o++) {
		size_t l = opt_left(o, left, sizeof(left));
		if (l > width)
			width = l;
	}
	if (width > 32)
		width = 32;
	fprintf(f, "\noptions:\n");
	for (const struct cli_opt *o = cmd->opts; o->id; o++) {
		size_t l = opt_left(o, left, sizeof(left));
		if (l > width)
			fprintf(f, "%s\n%*s  %s\n", left, (int)width, "", o->help);
		else
			fprintf(f, "%-*s  %s\n", (int)width, left, o->help);
	}
	if (cmd->description)
		fprintf(f, "\n%s", cmd->description);
}

void cli_help_main(FILE *f)
{
	fprintf(f, "usage: %s COMMAND [options]\n\n", cli_prog);
	fprintf(f, "Find out why a Kubernetes Ingress answers 502: follow each Ingress path\n"
		"Ingress -> Service port -> endpoints -> pods -> nodes and name the hop that\n"
		"breaks, with evidence, a fix and the kubectl commands that confirm it.\n\n");
	fprintf(f, "commands:\n");
	for (size_t i = 0; cli_commands[i]; i++)
		fprintf(f, "  %-10s %s%s\n", cli_commands[i]->name, cli_commands[i]->summary,
			cli_commands[i]->available ? "" : " (not yet supported)");
	fprintf(f, "\nglobal options:\n"
		"  -h, --help     show this help\n"
		"      --version  print the version\n");
	fprintf(f, "\nRun '%s COMMAND --help' for the options of a command.\n"
		"Exit status: 0 no error found, 1 an error found, 2 bad usage or input,\n"
		"3 cluster unreachable, 4 internal error.\n", cli_prog);
}

int cli_usage_error(const struct cli_cmd *cmd, const char *msg)
{
	fprintf(stderr, "ingress-doctor: %s\n", msg);
	if (cmd)
		fprintf(stderr, "try '%s %s --help'\n", cli_prog, cmd->name);
	else
		fprintf(stderr, "try '%s --help'\n", cli_prog);
	return 2;
}

int cli_fail(const struct err *err)
{
	fprintf(stderr, "ingress-doctor: %s\n", err->msg[0] ? err->msg : "failed");
	if (err->code == ERR_CLUSTER)
		return 3;
	if (err->code == ERR_INTERNAL)
		return 4;
	return 2;
}

/* ---- kubectl's connection flags ---- */

int cli_kube_option(struct kc_flags *f, int id, const char *arg, const char **name,
		    struct err *err)
{
	static const struct { int id; const char *name; } names[] = {
		{ OPT_CLUSTER, "--cluster" }, { OPT_USER, "--user" }, { 's', "--server" },
		{ OPT_TOKEN, "--token" }, { OPT_CA_FILE, "--certificate-authority" },
		{ OPT_INSECURE, "--insecure-skip-tls-verify" },
		{ OPT_TLS_SERVER_NAME, "--tls-server-name" }, { OPT_PROXY_URL, "--proxy-url" },
		{ OPT_CLIENT_CERT, "--client-certificate" }, { OPT_CLIENT_KEY, "--client-key" },
		{ OPT_USERNAME, "--username" }, { OPT_PASSWORD, "--password" }, { OPT_AS, "--as" },
		{ OPT_AS_GROUP, "--as-group" }, { OPT_AS_UID, "--as-uid" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]) && names[i].id != id; i++)
		;
	if (i == sizeof(names) / sizeof(names[0]))
		return 0;
	*name = names[i].name;
	if (id != OPT_INSECURE && (!arg || !*arg))
		return err_set(err, ERR_USAGE, "%s needs a non-empty value", names[i].name);
	switch (id) {
	case OPT_CLUSTER: f->cluster = arg; break;
	case OPT_USER: f->user = arg; break;
	case 's': f->server = arg; break;
	case OPT_TOKEN: f->token = arg; break;
	case OPT_CA_FILE: f->ca_file = arg; break;
	case OPT_INSECURE: f->insecure = true; break;
	case OPT_TLS_SERVER_NAME: f->tls_server_name = arg; break;
	case OPT_PROXY_URL: f->proxy_url = arg; break;
	case OPT_CLIENT_CERT: f->cert_file = arg; break;
	case OPT_CLIENT_KEY: f->key_file = arg; break;
	case OPT_USERNAME: f->username = arg; break;
	case OPT_PASSWORD: f->password = arg; break;
	case OPT_AS: f->impersonate = arg; break;
	case OPT_AS_UID: f->impersonate_uid = arg; break;
	case OPT_AS_GROUP: {
		const char **g = xmalloc((f->nimpersonate_groups + 1) * sizeof(*g));
		if (f->nimpersonate_groups)
			memcpy(g, f->impersonate_groups, f->nimpersonate_groups * sizeof(*g));
		g[f->nimpersonate_groups++] = arg;
		free(f->impersonate_groups);
		f->impersonate_groups = g;
		break;
	}
	default:
		break;
	}
	return 1;
}

void cli_kube_release(struct kc_flags *f)
{
	free(f->impersonate_groups);
	f->impersonate_groups = NULL;
	f->nimpersonate_groups = 0;
}
