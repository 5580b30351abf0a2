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
	const char **from;
	size_t nfrom, capfrom;
	const char **logs;
	size_t nlogs, caplogs;
	struct cli_live live;      /* -n, -A and the live-only options */
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

static int parse_args(const struct cli_cmd *cmd, int argc, char **argv, struct diag_args *a,
		      int *first_operand, struct err *err)
{
	struct cli_parser p;
	const char *arg;
	int id, rc = 0;

	cli_parser_init(&p, cmd, argc, argv);
	while ((id = cli_next_opt(&p, &a->out, &a->live, &arg, err)) != CLI_END) {
		switch (id) {
		case CLI_ERROR:
			rc = -1;
			goto out;
		case OPT_FROM:
			XGROW(a->from, a->capfrom, a->nfrom + 1);
			a->from[a->nfrom++] = arg;
			break;
		case OPT_LOGS:
			XGROW(a->logs, a->caplogs, a->nlogs + 1);
			a->logs[a->nlogs++] = arg;
			break;
		case 'h':
			rc = 1;
			goto out;
		default:
			rc = err_set(err, ERR_INTERNAL, "option %d not handled", id);
			goto out;
		}
	}
	*first_operand = cli_operands(&p);
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
	unsigned long long bytes;
	size_t got;
};

/*
 * A controller pod's log, fetched after the live read: recorded in the
 * model. A log that cannot be read is a warning (403: the RBAC rule),
 * never the end of the diagnosis.
 */
static int add_log(void *ctx, struct kc_client *cl, const struct live_log *lg, struct err *err)
{
	struct live_logs *ll = ctx;

	if (!lg->text && lg->status == 403) {
		warn_add(cl->warn, "the log of controller pod %s/%s could not be read: %s; "
			 "grant get on pods/log in API group \"\" (core) in namespace %s; "
			 "the diagnosis goes on without it", lg->ns, lg->pod, lg->error, lg->ns);
		return 0;
	}
	if (!lg->text) {
		warn_add(cl->warn, "the log of controller pod %s/%s (container %s) could not "
			 "be read: %s; the diagnosis goes on without it", lg->ns, lg->pod,
			 lg->container, lg->error);
		return 0;
	}
	model_add_log_text(ll->m, lg->ns, lg->pod, lg->text, lg->len);
	ll->bytes += lg->len;
	ll->got++;
	return 0;
}

/* After the live read, with the client still connected: the logs the join reads (nginx lines). */
static int fetch_logs(void *ctx, struct kc_client *cl, struct err *err)
{
	struct live_logs *ll = ctx;
	int n = cli_fetch_controller_logs(cl, ll->m, true, ll->lo, add_log, ll, err);

	if (n < 0)
		return -1;
	if (n && ll->verbose)
		fprintf(stderr, "ingress-doctor: read the logs of %zu of %d controller pod(s), "
			"%llu bytes\n", ll->got, n, ll->bytes);
	return 0;
}

/* The live path: read the cluster (live/session.h), then diagnose as for files. */
static int run_live(const struct diag_args *a, char **names, size_t nnames)
{
	struct live_opts lo;
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
	cli_live_opts(&a->live, names, nnames, a->out.verbose, &lo);
	if (!a->live.no_logs && !a->nlogs) {
		ll.m = &m;
		ll.lo = &a->live.logs;
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
	s.ns = cli_live_scope_ns(&a->live, ns, names, nnames);
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
	cli_live_init(&a.live);
	warnings_init(&w);
	rc = parse_args(cmd, argc, argv, &a, &first, &err);
	if (rc > 0) {
		cli_help(cmd, stdout);
		rc = 0;
		goto out;
	}
	if (rc < 0 || cli_live_check(&a.live, argv + first, (size_t)(argc - first), &err) < 0 ||
	    check_stdin(&a, &err) < 0) {
		/* ERR_INTERNAL: an option in the table the code does not handle */
		rc = err.code == ERR_INTERNAL ? cli_fail(&err) : cli_usage_error(cmd, err.msg);
		goto out;
	}
	if (!a.nfrom) {
		rc = run_live(&a, argv + first, (size_t)(argc - first));
		goto out;
	}
	if (a.live.first)
		fprintf(stderr, "warning: %s is ignored with --from: the snapshot is read, "
			"not a cluster\n", a.live.first);
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
	s.ns = a.live.ns;
	s.names = (const char **)(argv + first);
	s.nnames = (size_t)(argc - first);
	rc = diagnose_model(&m, &w, &s, &a.out, a.logs, a.nlogs, NULL);
out:
	if (have_model)
		model_release(&m);
	warnings_release(&w);
	free(a.from);
	free(a.logs);
	cli_live_release(&a.live);
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
		CLI_KUBE_HELP
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
