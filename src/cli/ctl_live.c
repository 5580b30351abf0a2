/*
 * ctl_live: what the commands that read a live cluster (diagnose, probe,
 * snapshot) share: their options (-n, -A, --context, --kubeconfig,
 * --request-timeout, kubectl's connection flags, --log-since, --log-tail,
 * --no-logs), the check of the INGRESS operands, the live_opts of a read
 * and the namespace the named Ingresses are looked for in. Also the option
 * loop every command runs (cli_next_opt), output options included.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

void cli_live_init(struct cli_live *l)
{
	memset(l, 0, sizeof(*l));
	l->logs.tail_lines = 10000;
	l->logs.since_seconds = 3600;
}

void cli_live_release(struct cli_live *l)
{
	cli_kube_release(&l->kube);
}

/* A namespace name is a DNS-1123 label. */
static bool valid_ns(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* The options that need a cluster, by id, for l->first. */
static const char *live_only_name(int id)
{
	switch (id) {
	case OPT_CONTEXT: return "--context";
	case OPT_KUBECONFIG: return "--kubeconfig";
	case OPT_REQUEST_TIMEOUT: return "--request-timeout";
	case OPT_LOG_SINCE: return "--log-since";
	case OPT_LOG_TAIL: return "--log-tail";
	case OPT_NO_LOGS: return "--no-logs";
	default: return NULL;
	}
}

int cli_live_option(struct cli_live *l, int id, const char *arg, struct err *err)
{
	const char *name = live_only_name(id);
	char *end;
	double since;
	int rc;

	rc = cli_kube_option(&l->kube, id, arg, &name, err);
	if (rc < 0)
		return -1;
	if (rc == 0 && !name && id != 'n' && id != 'A')
		return 0;
	if (!l->first)
		l->first = name;
	switch (id) {
	case 'n':
		if (!valid_ns(arg))
			return err_set(err, ERR_USAGE, "invalid namespace '%s' (a namespace is "
				       "lower-case letters, digits and '-')", arg);
		l->ns = arg;
		break;
	case 'A':
		l->all_ns = true;
		break;
	case OPT_CONTEXT:
		l->context = arg;
		break;
	case OPT_KUBECONFIG:
		l->kubeconfig = arg;
		break;
	case OPT_REQUEST_TIMEOUT:
		l->timeout = arg;
		break;
	case OPT_LOG_SINCE:
		if (live_parse_timeout(arg, &since) < 0)
			return err_set(err, ERR_USAGE, "invalid --log-since '%s' (e.g. 10m, 1h, "
				       "0 for all)", arg);
		l->logs.since_seconds = since > 0 && since < 1 ? 1 : (long)since;
		break;
	case OPT_LOG_TAIL:
		errno = 0;
		l->logs.tail_lines = strtol(arg, &end, 10);
		if (!*arg || *end || errno || l->logs.tail_lines < 0)
			return err_set(err, ERR_USAGE, "invalid --log-tail '%s' (a number of "
				       "lines, 0 for all)", arg);
		break;
	case OPT_NO_LOGS:
		l->no_logs = true;
		break;
	default:
		break;     /* one of CLI_KUBE_OPTS, applied above */
	}
	return 1;
}

int cli_next_opt(struct cli_parser *p, struct cli_output *out, struct cli_live *live,
		 const char **arg, struct err *err)
{
	int id, rc;

	while ((id = cli_next(p, arg, err)) != CLI_END && id != CLI_ERROR) {
		rc = out ? cli_output_option(out, id, *arg, err) : 0;
		if (rc == 0 && live)
			rc = cli_live_option(live, id, *arg, err);
		if (rc < 0)
			return CLI_ERROR;
		if (rc == 0)
			return id;
	}
	return id;
}

int cli_live_check(const struct cli_live *l, char **names, size_t n, struct err *err)
{
	if (l->ns && l->all_ns)
		return err_set(err, ERR_USAGE, "-n/--namespace and -A/--all-namespaces cannot be "
			       "used together");
	for (size_t i = 0; i < n; i++) {
		const char *nm = names[i], *slash = strchr(nm, '/');
		if (!*nm || (slash && (slash == nm || !slash[1] || strchr(slash + 1, '/'))))
			return err_set(err, ERR_USAGE, "invalid Ingress '%s': give NAME or NS/NAME",
				       nm);
		if (slash && l->ns && (strlen(l->ns) != (size_t)(slash - nm) ||
				       strncmp(l->ns, nm, (size_t)(slash - nm))))
			return err_set(err, ERR_USAGE, "Ingress '%s' is not in namespace '%s' "
				       "given with -n", nm, l->ns);
	}
	return 0;
}

void cli_live_opts(const struct cli_live *l, char **names, size_t nnames, int verbose,
		   struct live_opts *lo)
{
	memset(lo, 0, sizeof(*lo));
	lo->kubeconfig = l->kubeconfig;
	lo->context = l->context;
	lo->ns = l->ns;
	lo->all_ns = l->all_ns;
	lo->timeout = l->timeout;
	lo->kube = &l->kube;
	lo->verbose = verbose;
	lo->names = (const char *const *)names;
	lo->nnames = nnames;
}

const char *cli_live_scope_ns(const struct cli_live *l, const char *read_ns, char **names,
			      size_t nnames)
{
	if (l->ns || !nnames)
		return read_ns;
	/* NS/NAME operands name their namespace: the context's does not narrow them */
	for (size_t i = 0; i < nnames; i++)
		if (!strchr(names[i], '/'))
			return read_ns;
	return NULL;
}
