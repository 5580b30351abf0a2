/*
 * cmd_diagnose: `ingress-doctor diagnose [INGRESS...] --from PATH...`.
 *
 * Reads every --from input into one model, diagnoses the Ingresses in
 * scope and renders the result. Without --from the live cluster is read.
 * Controller logs (--logs files, and the logs.txt of controller pods in a
 * cluster-info dump) are analysed (src/logs/) and joined with the
 * cluster (checks/logjoin.h). Live, the controller pods' logs are fetched
 * through pods/log after the objects are read (--log-since, --log-tail,
 * --no-logs) and joined the same way.
 */
#include "cli.h"
#include "../checks/check.h"
#include "../controller/controller.h"
#include "../logs/scan.h"
#include "../model/model.h"
#include "../live/kubeconfig.h"
#include "../live/session.h"
#include "../live/snapshot.h"
#include "../source/files.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/banned.h"

#define SNAPSHOT_HINT \
	"kubectl get ingress,ingressclass,svc,endpointslices,endpoints,pods,nodes,events,cm," \
	"deploy,rs -A -o json >snapshot.json"

static const struct cli_opt diagnose_opts[] = {
	{ 'n', "namespace", "NS", "only Ingresses in namespace NS" },
	{ 'A', "all-namespaces", NULL, "every namespace (the default with --from)" },
	{ OPT_FROM, "from", "PATH", "read a snapshot: file, directory or - (repeatable)" },
	{ OPT_LOGS, "logs", "FILE", "controller logs; .gz, - (repeatable; live: instead of pods/log)" },
	{ 'o', "output", "FORMAT", "text (default) or json" },
	{ 'v', "verbose", NULL, "show all evidence and every hop; repeatable" },
	{ OPT_NO_COLOR, "no-color", NULL, "never colour (also NO_COLOR=1; only on a terminal)" },
	{ OPT_CONTEXT, "context", "NAME", "kubeconfig context (live cluster)" },
	{ OPT_KUBECONFIG, "kubeconfig", "FILE", "kubeconfig file (live cluster)" },
	{ OPT_REQUEST_TIMEOUT, "request-timeout", "DURATION",
	  "total time for reading the cluster, e.g. 30s, 2m (0: none)" },
	CLI_KUBE_OPTS
	{ OPT_LOG_SINCE, "log-since", "DURATION",
	  "live: controller logs of the last DURATION (default 1h; 0: all)" },
	{ OPT_LOG_TAIL, "log-tail", "N", "live: at most the last N lines per controller pod "
	  "(default 10000; 0: all)" },
	{ OPT_NO_LOGS, "no-logs", NULL, "live: do not fetch the controller pods' logs" },
	{ 'h', "help", NULL, "show this help" },
	{ 0, NULL, NULL, NULL },
};

struct diag_args {
	const char *ns;
	bool all_ns;
	const char **from;
	size_t nfrom, capfrom;
	const char **logs;
	size_t nlogs, caplogs;
	const char *live_flag;     /* first live-only flag given, for messages */
	const char *context, *kubeconfig, *timeout;
	struct live_log_opts log_opts;   /* --log-since, --log-tail (live) */
	bool no_logs;                    /* --no-logs (live) */
	struct kc_flags kube;            /* --cluster, --user, --server, ... (live) */
	struct cli_output out;
};

static int count_object(void *ctx, const struct src_obj *o, struct err *err)
{
	struct cli_counter *c = ctx;
	c->objects++;
	return c->inner.object(c->inner.ctx, o, err);
}

static void count_kind(void *ctx, const char *kind)
{
	struct cli_counter *c = ctx;
	c->kinds++;
	if (c->inner.kind_seen)
		c->inner.kind_seen(c->inner.ctx, kind);
}

static int count_log(void *ctx, const char *ns, const char *pod, const char *path,
		     struct err *err)
{
	struct cli_counter *c = ctx;
	return c->inner.log ? c->inner.log(c->inner.ctx, ns, pod, path, err) : 0;
}

struct source_sink cli_counting_sink(struct cli_counter *c, struct model *m)
{
	struct source_sink s;

	memset(c, 0, sizeof(*c));
	c->inner = model_sink(m);
	s.ctx = c;
	s.object = count_object;
	s.kind_seen = count_kind;
	s.log = c->inner.log ? count_log : NULL;
	s.warn = c->inner.warn;
	return s;
}

/*
 * Scan the controller logs: the files given, then the logs recorded beside
 * the snapshot (cluster-info dump) for pods of controllers whose logs are
 * nginx lines. Returns the number of inputs read, or -1 with err when a
 * given file cannot be read (a dump log that cannot be read is a warning).
 */
static int read_logs(const struct model *m, const char **files, size_t nfiles,
		     struct log_stats *st, struct warnings *w, struct err *err)
{
	int n = 0;

	for (size_t i = 0; i < nfiles; i++) {
		if (log_scan_path(files[i], st, w, NULL, NULL, err) < 0)
			return -1;
		n++;
	}
	for (size_t i = 0; controller_impls[i]; i++) {
		const struct pod **pods;
		size_t np;
		if (!controller_impls[i]->nginx_logs)
			continue;
		np = controller_impls[i]->find_pods(m, "", &pods);
		for (size_t k = 0; k < np; k++) {
			const struct pod_log **logs;
			size_t nl = model_logs_for(m, pods[k]->meta.ns, pods[k]->meta.name, &logs);
			for (size_t l = 0; l < nl; l++) {
				struct err e2 = ERR_INIT;
				if (!logs[l]->path) {
					/* fetched live: cited as NS/POD */
					char name[320];
					snprintf(name, sizeof(name), "%s/%s", logs[l]->ns, logs[l]->pod);
					log_scan_text(name, logs[l]->text, logs[l]->len, st, NULL,
						      NULL);
					n++;
					continue;
				}
				if (log_scan_path(logs[l]->path, st, w, NULL, NULL, &e2) < 0) {
					warn_add(w, "%s", e2.msg);
					continue;
				}
				n++;
			}
		}
		free(pods);
	}
	return n;
}

/* Finish the model, join the logs (if any), diagnose and render; note: a note to add, or NULL. */
static int diagnose_model(struct model *m, struct warnings *w, const struct scope *scope,
			  const struct cli_output *o, const char **logs, size_t nlogs,
			  const char *note)
{
	struct err err = ERR_INIT;
	struct scope s = *scope;
	struct log_stats st;
	struct diag d;
	int rc, nread;

	model_finish(m);
	log_stats_init(&st);
	diag_init(&d);
	nread = read_logs(m, logs, nlogs, &st, w, &err);
	warnings_print(w, stderr);
	if (nread < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (nread) {
		log_stats_finish(&st);
		s.logs = &st;
	}
	if (diagnose(m, &s, &d, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (note)
		diag_note(&d, "%s", note);
	if (nread)
		diag_note(&d, "controller logs: %llu line(s) from %d input(s): %llu access, %llu "
			  "error-log, %llu controller line(s); %zu upstream(s)",
			  (unsigned long long)st.lines, nread, (unsigned long long)st.access,
			  (unsigned long long)st.errors, (unsigned long long)st.controller, st.nup);
	rc = cli_render(&d, o);
out:
	diag_release(&d);
	log_stats_release(&st);
	return rc;
}

int cli_diagnose_model(struct model *m, struct warnings *w, const struct scope *s,
		       const struct cli_output *o, size_t nlogs)
{
	(void)nlogs;   /* --logs files go through diagnose_model() */
	return diagnose_model(m, w, s, o, NULL, 0, NULL);
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

/* INGRESS operands: NAME or NS/NAME, agreeing with -n. */
static int check_names(const struct diag_args *a, char **names, size_t n, struct err *err)
{
	for (size_t i = 0; i < n; i++) {
		const char *nm = names[i], *slash = strchr(nm, '/');
		if (!*nm || (slash && (slash == nm || !slash[1] || strchr(slash + 1, '/'))))
			return err_set(err, ERR_USAGE, "invalid Ingress '%s': give NAME or NS/NAME",
				       nm);
		if (slash && a->ns && (strlen(a->ns) != (size_t)(slash - nm) ||
				       strncmp(a->ns, nm, (size_t)(slash - nm))))
			return err_set(err, ERR_USAGE, "Ingress '%s' is not in namespace '%s' "
				       "given with -n", nm, a->ns);
	}
	return 0;
}

static int parse_args(const struct cli_cmd *cmd, int argc, char **argv, struct diag_args *a,
		      int *first_operand, struct err *err)
{
	struct cli_parser p;
	const char *arg, *name = NULL;
	char *end;
	double since;
	int id, rc = 0;

	cli_parser_init(&p, cmd, argc, argv);
	while ((id = cli_next(&p, &arg, err)) != CLI_END) {
		if (id == CLI_ERROR) {
			rc = -1;
			goto out;
		}
		rc = cli_output_option(&a->out, id, arg, err);
		if (rc < 0)
			goto out;
		if (rc > 0)
			continue;
		rc = cli_kube_option(&a->kube, id, arg, &name, err);
		if (rc < 0)
			goto out;
		if (rc > 0) {
			if (!a->live_flag)
				a->live_flag = name;
			continue;
		}
		switch (id) {
		case 'n':
			if (!valid_ns(arg)) {
				rc = err_set(err, ERR_USAGE, "invalid namespace '%s' (a namespace is "
					     "lower-case letters, digits and '-')", arg);
				goto out;
			}
			a->ns = arg;
			break;
		case 'A':
			a->all_ns = true;
			break;
		case OPT_FROM:
			XGROW(a->from, a->capfrom, a->nfrom + 1);
			a->from[a->nfrom++] = arg;
			break;
		case OPT_LOGS:
			XGROW(a->logs, a->caplogs, a->nlogs + 1);
			a->logs[a->nlogs++] = arg;
			break;
		case OPT_CONTEXT:
			if (!a->live_flag)
				a->live_flag = "--context";
			a->context = arg;
			break;
		case OPT_KUBECONFIG:
			if (!a->live_flag)
				a->live_flag = "--kubeconfig";
			a->kubeconfig = arg;
			break;
		case OPT_REQUEST_TIMEOUT:
			if (!a->live_flag)
				a->live_flag = "--request-timeout";
			a->timeout = arg;
			break;
		case OPT_LOG_SINCE:
			if (!a->live_flag)
				a->live_flag = "--log-since";
			if (live_parse_timeout(arg, &since) < 0) {
				rc = err_set(err, ERR_USAGE, "invalid --log-since '%s' (e.g. 10m, 1h, "
					     "0 for all)", arg);
				goto out;
			}
			a->log_opts.since_seconds = since > 0 && since < 1 ? 1 : (long)since;
			break;
		case OPT_LOG_TAIL:
			if (!a->live_flag)
				a->live_flag = "--log-tail";
			errno = 0;
			a->log_opts.tail_lines = strtol(arg, &end, 10);
			if (!*arg || *end || errno || a->log_opts.tail_lines < 0) {
				rc = err_set(err, ERR_USAGE, "invalid --log-tail '%s' (a number of "
					     "lines, 0 for all)", arg);
				goto out;
			}
			break;
		case OPT_NO_LOGS:
			if (!a->live_flag)
				a->live_flag = "--no-logs";
			a->no_logs = true;
			break;
		case 'h':
			rc = 1;
			goto out;
		default:
			rc = err_set(err, ERR_INTERNAL, "option %d not handled", id);
			goto out;
		}
	}
	rc = 0;
	*first_operand = cli_operands(&p);
	if (a->ns && a->all_ns)
		rc = err_set(err, ERR_USAGE, "-n/--namespace and -A/--all-namespaces cannot be "
			     "used together");
out:
	cli_parser_release(&p);
	return rc;
}

/* Standard input can be read once. */
static int check_stdin(const struct diag_args *a, struct err *err)
{
	size_t n = 0;

	for (size_t i = 0; i < a->nfrom; i++)
		n += !strcmp(a->from[i], "-");
	for (size_t i = 0; i < a->nlogs; i++)
		n += !strcmp(a->logs[i], "-");
	if (n > 1)
		return err_set(err, ERR_USAGE, "standard input ('-') can be given only once");
	return 0;
}

/* Every --logs file must be readable before the snapshot is read. */
static int check_logs(const struct diag_args *a, struct err *err)
{
	for (size_t i = 0; i < a->nlogs; i++)
		if (strcmp(a->logs[i], "-") && access(a->logs[i], R_OK) < 0)
			return err_set(err, ERR_INPUT, "cannot read log file '%s': %s", a->logs[i],
				       strerror(errno));
	return 0;
}

static int read_inputs(const struct diag_args *a, struct model *m, struct err *err)
{
	struct cli_counter cnt;
	struct source_sink sink = cli_counting_sink(&cnt, m);

	for (size_t i = 0; i < a->nfrom; i++) {
		const char *path = a->from[i];
		const char *shown = strcmp(path, "-") ? path : "standard input";
		if (source_files_read(path, &sink, err) < 0) {
			bool named = strcmp(path, "-") ? strstr(err->msg, path) != NULL
						       : !strncmp(err->msg, "-:", 2) ||
							 !strncmp(err->msg, shown, strlen(shown));
			if (!named)
				err_prefix(err, "%s", shown);
			if (!err->code)
				err->code = ERR_INPUT;
			return -1;
		}
		/* a directory written by `snapshot`: cluster version, forbidden kinds */
		if (strcmp(path, "-") && snap_meta_read(path, m, err) < 0)
			return -1;
	}
	if (!cnt.objects && !cnt.kinds) {
		if (a->nfrom == 1)
			return err_set(err, ERR_INPUT, "no Kubernetes objects found in '%s'",
				       strcmp(a->from[0], "-") ? a->from[0] : "standard input");
		return err_set(err, ERR_INPUT, "no Kubernetes objects found in the %zu inputs",
			       a->nfrom);
	}
	if (a->out.verbose)
		fprintf(stderr, "ingress-doctor: read %zu objects from %zu input(s)\n",
			cnt.objects, a->nfrom);
	return 0;
}

struct live_logs {
	struct model *m;
	const struct live_log_opts *lo;
	int verbose;
};

/*
 * After the live read, with the client still connected: fetch the logs of
 * the controller pods whose logs the join reads (nginx lines) and record
 * them in the model. A log that cannot be read is a warning (403: the
 * RBAC rule), never the end of the diagnosis.
 */
static int fetch_logs(void *ctx, struct kc_client *cl, struct err *err)
{
	struct live_logs *ll = ctx;
	struct live_log_req *reqs = NULL;
	struct live_log *logs = NULL;
	unsigned long long bytes = 0;
	size_t n, got = 0;
	int rc = -1;

	n = cli_controller_log_reqs(ll->m, true, &reqs);
	if (!n) {
		rc = 0;
		goto out;
	}
	if (live_fetch_logs(cl, reqs, n, ll->lo, &logs, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (!logs[i].text && logs[i].status == 403) {
			warn_add(cl->warn, "the log of controller pod %s/%s could not be read: %s; "
				 "grant get on pods/log in API group \"\" (core) in namespace %s; "
				 "the diagnosis goes on without it", logs[i].ns, logs[i].pod,
				 logs[i].error, logs[i].ns);
			continue;
		}
		if (!logs[i].text) {
			warn_add(cl->warn, "the log of controller pod %s/%s (container %s) could not "
				 "be read: %s; the diagnosis goes on without it", logs[i].ns,
				 logs[i].pod, logs[i].container, logs[i].error);
			continue;
		}
		model_add_log_text(ll->m, logs[i].ns, logs[i].pod, logs[i].text, logs[i].len);
		bytes += logs[i].len;
		got++;
	}
	if (ll->verbose)
		fprintf(stderr, "ingress-doctor: read the logs of %zu of %zu controller pod(s), "
			"%llu bytes\n", got, n, bytes);
	rc = 0;
out:
	live_logs_free(logs, n);
	free(reqs);
	return rc;
}

/* The live path: read the cluster (live/session.h), then diagnose as for files. */
static int run_live(const struct diag_args *a, char **names, size_t nnames)
{
	struct live_opts lo = { 0 };
	struct live_result res;
	struct err err = ERR_INIT;
	struct warnings w;
	struct model m;
	struct cli_counter cnt;
	struct source_sink sink;
	struct scope s = { 0 };
	struct live_logs ll = { 0 };
	char *ns = NULL;
	int rc;

	if (check_logs(a, &err) < 0)
		return cli_fail(&err);
	warnings_init(&w);
	model_init(&m, &w);
	sink = cli_counting_sink(&cnt, &m);
	lo.kubeconfig = a->kubeconfig;
	lo.context = a->context;
	lo.ns = a->ns;
	lo.all_ns = a->all_ns;
	lo.timeout = a->timeout;
	lo.kube = &a->kube;
	lo.verbose = a->out.verbose;
	lo.names = (const char *const *)names;
	lo.nnames = nnames;
	if (!a->no_logs && !a->nlogs) {
		ll.m = &m;
		ll.lo = &a->log_opts;
		ll.verbose = a->out.verbose;
		lo.after_read = fetch_logs;
		lo.after_ctx = &ll;
	}
	if (live_session_read(&lo, &sink, &res, &w, &ns, &err) < 0) {
		warnings_print(&w, stderr);
		rc = cli_fail(&err);
		goto out;
	}
	live_result_apply(&res, &m);
	if (a->out.verbose)
		fprintf(stderr, "ingress-doctor: read %zu objects from the cluster\n", cnt.objects);
	s.ns = ns;
	if (!a->ns && nnames) {
		/* NS/NAME operands name their namespace: the context's does not narrow them */
		bool all_qualified = true;
		for (size_t i = 0; i < nnames; i++)
			all_qualified = all_qualified && strchr(names[i], '/');
		if (all_qualified)
			s.ns = NULL;
	}
	s.names = (const char **)names;
	s.nnames = nnames;
	rc = diagnose_model(&m, &w, &s, &a->out, a->logs, a->nlogs, a->nlogs ?
			    "controller logs: the --logs file(s) replace the controller pods' logs "
			    "(pods/log was not read)" : NULL);
out:
	live_result_release(&res);
	free(ns);
	model_release(&m);
	warnings_release(&w);
	return rc;
}

static int run_diagnose(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct diag_args a;
	struct err err = ERR_INIT;
	struct warnings w;
	struct model m;
	struct scope s = { 0 };
	int first = argc, rc;
	bool have_model = false;

	memset(&a, 0, sizeof(a));
	a.log_opts.tail_lines = 10000;
	a.log_opts.since_seconds = 3600;
	warnings_init(&w);
	rc = parse_args(cmd, argc, argv, &a, &first, &err);
	if (rc > 0) {
		cli_help(cmd, stdout);
		rc = 0;
		goto out;
	}
	if (rc < 0 || check_names(&a, argv + first, (size_t)(argc - first), &err) < 0 ||
	    check_stdin(&a, &err) < 0) {
		/* ERR_INTERNAL: an option in the table the code does not handle */
		rc = err.code == ERR_INTERNAL ? cli_fail(&err) : cli_usage_error(cmd, err.msg);
		goto out;
	}
	if (!a.nfrom) {
		rc = run_live(&a, argv + first, (size_t)(argc - first));
		goto out;
	}
	if (a.live_flag)
		fprintf(stderr, "warning: %s is ignored with --from: the snapshot is read, "
			"not a cluster\n", a.live_flag);
	if (check_logs(&a, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}

	model_init(&m, &w);
	have_model = true;
	if (read_inputs(&a, &m, &err) < 0) {
		warnings_print(&w, stderr);
		rc = cli_fail(&err);
		goto out;
	}
	s.ns = a.ns;
	s.names = (const char **)(argv + first);
	s.nnames = (size_t)(argc - first);
	rc = diagnose_model(&m, &w, &s, &a.out, a.logs, a.nlogs, NULL);
out:
	if (have_model)
		model_release(&m);
	warnings_release(&w);
	free(a.from);
	free(a.logs);
	cli_kube_release(&a.kube);
	return rc;
}

const struct cli_cmd cmd_diagnose = {
	.name = "diagnose",
	.args = "[INGRESS...] [-n NS | -A] [--from PATH...] [--logs FILE...] [-o text|json] "
		"[--log-since D] [--log-tail N] [--no-logs]",
	.summary = "find why Ingress paths fail (502), live or from a snapshot",
	.description =
		"Follows every Ingress path in scope (or each INGRESS given, as NAME or\n"
		"NS/NAME) along Ingress -> Service port -> endpoints -> pods -> nodes, shows\n"
		"a verdict per hop and the findings: evidence, a fix, kubectl commands.\n"
		"With --from, every namespace of the input is in scope unless -n narrows it.\n"
		"\n"
		"A PATH is a JSON List (kubectl get ... -o json), a single object, YAML (one\n"
		"or many documents), a directory read recursively (including the layouts of\n"
		"kubectl cluster-info dump --output-directory and of ingress-doctor snapshot),\n"
		"or - for standard input.\n"
		"\n"
		"--logs FILE adds ingress-nginx access/error log lines (as 'logs' reads them;\n"
		"the controller pods' logs of a cluster-info dump are read too) and joins them\n"
		"with the snapshot: upstreams become Services, addresses pods, and the log\n"
		"findings land on the Ingress paths they break, with pods-ready-not-serving,\n"
		"upstream-unknown-endpoint and the controller-config-* checks.\n"
		"\n"
		"Without --from the cluster of the kubeconfig is read like kubectl does\n"
		"(--kubeconfig, KUBECONFIG, ~/.kube/config, --context; in a pod its service\n"
		"account); -n defaults to the context's namespace, -A reads all. It needs\n"
		"list on the kinds it reads; a kind it may not read is reported, not guessed.\n"
		"Named Ingresses in a known namespace are read with targeted requests only.\n"
		"Then the ingress-nginx controller pods' logs are fetched (get pods/log;\n"
		"--log-since, default 1h, --log-tail, default 10000 lines, --no-logs to skip)\n"
		"and joined as --logs does; a log that cannot be read is a warning.\n"
		"Live, --logs FILE replaces the controller pods' logs (pods/log is not read).\n"
		"kubectl's connection flags override the kubeconfig as in kubectl: --cluster,\n"
		"--user, -s/--server, --token, --certificate-authority, --tls-server-name,\n"
		"--insecure-skip-tls-verify, --proxy-url, --client-certificate, --client-key,\n"
		"--username/--password, --as/--as-group/--as-uid (impersonation).\n"
		"\n"
		"examples:\n"
		"  ingress-doctor diagnose -n shop web\n"
		"  ingress-doctor diagnose -A --context prod-eu -o json\n"
		"  ingress-doctor diagnose -n shop web --log-since 15m\n"
		"  ingress-doctor diagnose --from snapshot.json\n"
		"  ingress-doctor diagnose --from snapshot.json --logs controller.log.gz\n"
		"  kubectl get ingress,service,pod -A -o json | ingress-doctor diagnose --from -\n"
		"\n"
		"exit status: 0 no error finding, 1 at least one error finding, 2 bad usage or\n"
		"unreadable input, 3 cluster unreachable or credentials refused, 4 the report\n"
		"could not be written.\n",
	.opts = diagnose_opts,
	.available = true,
	.run = run_diagnose,
};
