/*
 * cmd_probe: `ingress-doctor probe [INGRESS...]`: the active check of the
 * last hops (issue 5 part 2, src/probe/probe.h).
 *
 * Reads the cluster as `diagnose` does (targeted when Ingresses are named),
 * then, with the client still connected: fetches the controller pods' logs
 * (for the refusals they record), plans the targets (each backend pod's
 * target port and readiness path, each Service port), probes them through
 * the API server's proxy subresources, or from a debug pod in the
 * controller's namespace with --from-controller-namespace (asked for on
 * the terminal unless --yes), and reports: one line per target, then the
 * findings connect-refused, connect-timeout and connect-http-error.
 */
#include "cli.h"
#include "../controller/controller.h"
#include "../json/json_write.h"
#include "../live/kubeconfig.h"
#include "../live/session.h"
#include "../logs/scan.h"
#include "../logs/stats.h"
#include "../model/model.h"
#include "../probe/probe.h"
#include "../report/report.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/banned.h"

static const struct cli_opt probe_opts[] = {
	{ 'n', "namespace", "NS", "only Ingresses in namespace NS" },
	{ 'A', "all-namespaces", NULL, "every namespace" },
	{ 'o', "output", "FORMAT", "text (default) or json" },
	{ 'v', "verbose", NULL, "log each request (never a credential); repeatable" },
	{ OPT_NO_COLOR, "no-color", NULL, "never colour" },
	{ OPT_CONTEXT, "context", "NAME", "kubeconfig context" },
	{ OPT_KUBECONFIG, "kubeconfig", "FILE", "kubeconfig file" },
	CLI_KUBE_OPTS
	{ OPT_REQUEST_TIMEOUT, "request-timeout", "DURATION",
	  "total time for reading the cluster and probing, e.g. 1m (0: none)" },
	{ OPT_TIMEOUT, "timeout", "SECONDS", "per target (default 5)" },
	{ OPT_NO_LOGS, "no-logs", NULL, "do not read the controller pods' logs" },
	{ OPT_FROM_CONTROLLER_NS, "from-controller-namespace", NULL,
	  "probe from a short-lived pod in the controller's namespace (writes to the cluster)" },
	{ OPT_IMAGE, "image", "IMAGE", "the debug pod's image (default busybox)" },
	{ OPT_YES, "yes", NULL, "do not ask before creating the debug pod" },
	{ 'h', "help", NULL, "show this help" },
	{ 0, NULL, NULL, NULL },
};

struct probe_args {
	struct cli_live live;     /* -n, -A, --context, --request-timeout, --no-logs, ... */
	double timeout_s;
	bool from_pod, yes;
	const char *image;
	struct cli_output out;
};

/* Ctrl-C: the client and the debug pod watch this flag. */
static volatile int interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

struct probe_run {
	const struct probe_args *a;
	char **names;
	size_t nnames;
	struct model *m;
	struct live_result *res;
	char **ns_scope;
	struct log_stats st;
	bool have_logs;
	struct probe_plan plan;
	struct probe_result *results;
	bool planned;
	char ctl_ns[256];
	bool debug_deleted;
	char debug_pod[64];
};

static int parse_args(const struct cli_cmd *cmd, int argc, char **argv, struct probe_args *a,
		      int *first, struct err *err)
{
	struct cli_parser p;
	const char *arg;
	char *end;
	int id, rc = 0;

	cli_parser_init(&p, cmd, argc, argv);
	while ((id = cli_next_opt(&p, &a->out, &a->live, &arg, err)) != CLI_END) {
		switch (id) {
		case CLI_ERROR:
			rc = -1;
			goto out;
		case OPT_TIMEOUT:
			errno = 0;
			a->timeout_s = strtod(arg, &end);
			if (!*arg || *end || errno || !(a->timeout_s > 0) || a->timeout_s > 3600) {
				rc = err_set(err, ERR_USAGE, "invalid --timeout '%s' (seconds per "
					     "target, e.g. 5 or 0.5)", arg);
				goto out;
			}
			break;
		case OPT_FROM_CONTROLLER_NS:
			a->from_pod = true;
			break;
		case OPT_IMAGE:
			a->image = arg;
			break;
		case OPT_YES:
			a->yes = true;
			break;
		case 'h':
			rc = 1;
			goto out;
		default:
			rc = err_set(err, ERR_INTERNAL, "option %d not handled", id);
			goto out;
		}
	}
	*first = cli_operands(&p);
	rc = cli_live_check(&a->live, argv + *first, (size_t)(argc - *first), err);
	if (!rc && (a->image || a->yes) && !a->from_pod)
		rc = err_set(err, ERR_USAGE, "--image and --yes go with "
			     "--from-controller-namespace");
out:
	cli_parser_release(&p);
	return rc;
}

/* A controller pod's log: scanned for the refusals it records. */
static int scan_log(void *ctx, struct kc_client *cl, const struct live_log *lg, struct err *err)
{
	struct probe_run *pr = ctx;
	char name[320];

	if (!lg->text) {
		warn_add(cl->warn, "the log of controller pod %s/%s could not be read: %s", lg->ns,
			 lg->pod, lg->error);
		return 0;
	}
	snprintf(name, sizeof(name), "%s/%s", lg->ns, lg->pod);
	log_scan_text(name, lg->text, lg->len, &pr->st, NULL, NULL);
	pr->have_logs = true;
	return 0;
}

/* The controller logs: fetched (pods/log) and scanned; not read is a warning. */
static void read_logs(struct probe_run *pr, struct kc_client *cl)
{
	struct err err = ERR_INIT;

	if (cli_fetch_controller_logs(cl, pr->m, true, &pr->a->live.logs, scan_log, pr, &err) < 0 &&
	    err.code != ERR_INTERRUPTED)
		warn_add(cl->warn, "the controller logs could not be read: %s", err.msg);
	if (pr->have_logs)
		log_stats_finish(&pr->st);
}

/* The namespace of the controller serving the Ingresses in scope (first found). */
static bool controller_ns(struct probe_run *pr)
{
	const struct model *m = pr->m;

	for (size_t k = 0; k < m->ningresses; k++) {
		const struct ingress *ing = &m->ingresses[k];
		const struct ingressclass *cls = NULL;
		const struct controller_impl *ci;
		const struct pod **pods;
		size_t np;
		bool used = false;

		for (size_t i = 0; i < pr->plan.n && !used; i++)
			used = !strcmp(pr->plan.t[i].ingress_ns, ing->meta.ns) &&
			       !strcmp(pr->plan.t[i].ingress_name, ing->meta.name);
		if (!used)
			continue;
		if (*ing->class_name)
			cls = model_ingressclass(m, ing->class_name);
		for (size_t i = 0; !cls && i < m->nclasses; i++)
			if (m->classes[i].is_default)
				cls = &m->classes[i];
		if (!cls || !(ci = controller_for(cls->controller)))
			continue;
		np = ci->find_pods(m, cls->controller, &pods);
		if (np)
			snprintf(pr->ctl_ns, sizeof(pr->ctl_ns), "%s", pods[0]->meta.ns);
		free(pods);
		if (np)
			return true;
	}
	return false;
}

/* Ask on the terminal. true: go ahead. */
static bool confirm(const struct probe_run *pr)
{
	char line[32];

	fprintf(stderr, "ingress-doctor: about to create a pod in namespace %s (image %s) that "
		"connects to %zu target(s), then delete it.\nProceed? [y/N] ", pr->ctl_ns,
		pr->a->image ? pr->a->image : "busybox", pr->plan.n);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return line[0] == 'y' || line[0] == 'Y';
}

static int after_read(void *ctx, struct kc_client *cl, struct err *err)
{
	struct probe_run *pr = ctx;
	struct probe_opts po = { 0 };
	struct sigaction sa;
	const char *scope_ns;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* from here on Ctrl-C ends any request in flight, the log fetch included */
	kc_client_set_stop(cl, &interrupted);
	live_result_apply(pr->res, pr->m);
	if (!pr->a->live.no_logs)
		read_logs(pr, cl);
	model_finish(pr->m);
	scope_ns = cli_live_scope_ns(&pr->a->live, *pr->ns_scope, pr->names, pr->nnames);
	if (probe_plan(pr->m, scope_ns, (const char *const *)pr->names, pr->nnames, &pr->plan,
		       err) < 0)
		return -1;
	pr->planned = true;
	pr->results = xcalloc(pr->plan.n ? pr->plan.n : 1, sizeof(*pr->results));
	if (interrupted)
		return err_set(err, ERR_INTERRUPTED, "interrupted");
	if (pr->a->from_pod) {
		struct probe_debugpod_opts dp = { 0 };
		int rc;
		if (!controller_ns(pr))
			return err_set(err, ERR_USAGE, "--from-controller-namespace: no "
				       "controller pod serving these Ingresses was found, so its "
				       "namespace is unknown");
		if (!pr->a->yes && !confirm(pr))
			return interrupted ? err_set(err, ERR_INTERRUPTED, "interrupted: nothing "
						     "was created")
					   : err_set(err, ERR_USAGE, "not confirmed: nothing was "
						     "created");
		dp.ns = pr->ctl_ns;
		dp.image = pr->a->image;
		dp.timeout_s = probe_debugpod_budget(pr->plan.n, pr->a->timeout_s);
		dp.target_timeout_s = pr->a->timeout_s;
		dp.stop = &interrupted;
		dp.progress = stderr;
		kc_client_set_stop(cl, &interrupted);
		rc = probe_debugpod(cl, pr->m, &pr->plan, &dp, pr->results, err);
		pr->debug_deleted = dp.deleted;
		snprintf(pr->debug_pod, sizeof(pr->debug_pod), "%s", dp.pod_name);
		return rc;
	}
	po.timeout_s = pr->a->timeout_s;
	po.concurrency = 16;
	po.stop = &interrupted;
	return probe_apiserver(cl, &pr->plan, &po, pr->results, err);
}

/* ---- output ---- */

static void put_clean(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

static void text_finding(FILE *f, const struct finding *x)
{
	fprintf(f, "  %-7s  %s  %s ", severity_name(x->sev), x->id, x->kind);
	if (*x->ns)
		fprintf(f, "%s/", x->ns);
	put_clean(f, x->name);
	if (*x->key)
		fprintf(f, " (%s)", x->key);
	fputc('\n', f);
	if (x->message) {
		fputs("           ", f);
		put_clean(f, x->message);
		fputc('\n', f);
	}
	for (size_t i = 0; i < x->evidence.n; i++) {
		fputs("           - ", f);
		put_clean(f, x->evidence.v[i]);
		fputc('\n', f);
	}
	if (x->fix) {
		fputs("           fix: ", f);
		put_clean(f, x->fix);
		fputc('\n', f);
	}
	for (size_t i = 0; i < x->commands.n; i++) {
		fputs("           run: ", f);
		put_clean(f, x->commands.v[i]);
		fputc('\n', f);
	}
	if (x->ingresses.n) {
		fprintf(f, "           %s: ", x->sev == SEV_ERROR ? "breaks" : "affects");
		for (size_t i = 0; i < x->ingresses.n; i++)
			fprintf(f, "%s%s", i ? ", " : "", x->ingresses.v[i]);
		fputc('\n', f);
	}
}

static void target_text(char *out, size_t cap, const struct probe_target *t)
{
	if (t->pod)
		snprintf(out, cap, "pod %s", t->pod);
	else
		snprintf(out, cap, "service %s:%d", t->service, t->service_port);
}

static int render_text(FILE *f, const struct probe_run *pr, const struct diag *d)
{
	size_t e, w, i;

	fprintf(f, "%zu target(s) probed %s\n", pr->plan.n,
		pr->a->from_pod ? "from a debug pod" : "through the API server's proxy");
	if (pr->plan.n)
		fprintf(f, "\n  %-28s %-24s %-30s %-22s %-12s %7s  %s\n", "INGRESS", "PATH",
			"TARGET", "ADDRESS", "OUTCOME", "MS", "DETAIL");
	for (size_t k = 0; k < pr->plan.n; k++) {
		const struct probe_target *t = &pr->plan.t[k];
		const struct probe_result *r = &pr->results[k];
		char ing[300], path[300], tgt[300], addr[96], ms[24];
		snprintf(ing, sizeof(ing), "%s/%s%s", t->ingress_ns, t->ingress_name,
			 t->ningresses > 1 ? " (+)" : "");
		snprintf(path, sizeof(path), "%s%s", *t->host ? t->host : "*",
			 *t->path ? t->path : (t->pod || *t->path ? "" : "/"));
		target_text(tgt, sizeof(tgt), t);
		snprintf(addr, sizeof(addr), "%s:%d%s", *t->ip ? t->ip : "-", t->port,
			 t->https ? " tls" : "");
		if (r->ms >= 0)
			snprintf(ms, sizeof(ms), "%.0f", r->ms);
		else
			snprintf(ms, sizeof(ms), "-");
		fputs("  ", f);
		fprintf(f, "%-28s ", ing);
		fprintf(f, "%-24s ", path);
		fprintf(f, "%-30s %-22s %-12s %7s  ", tgt, addr, probe_outcome_name(r->outcome),
			ms);
		put_clean(f, r->detail);
		fputc('\n', f);
	}
	if (d->nfindings) {
		fputs("\nfindings:\n", f);
		for (size_t k = 0; k < d->nfindings; k++)
			text_finding(f, d->findings[k]);
	}
	if (d->notes.n) {
		fputs("\nnotes:\n", f);
		for (size_t k = 0; k < d->notes.n; k++) {
			fputs("  - ", f);
			put_clean(f, d->notes.v[k]);
			fputc('\n', f);
		}
	}
	diag_counts(d, &e, &w, &i);
	fprintf(f, "\n%zu error(s), %zu warning(s), %zu info(s)\n", e, w, i);
	return fflush(f) || ferror(f) ? -1 : 0;
}

static int render_json(FILE *f, const struct probe_run *pr, const struct diag *d)
{
	struct json_w w;

	json_w_init(&w, f, 2);
	json_w_obj(&w);
	json_w_key(&w, "findings");
	json_w_arr(&w);
	for (size_t k = 0; k < d->nfindings; k++)
		report_json_finding(&w, d->findings[k]);
	json_w_end(&w);
	json_w_key(&w, "probes");
	json_w_arr(&w);
	for (size_t k = 0; k < pr->plan.n; k++) {
		const struct probe_target *t = &pr->plan.t[k];
		const struct probe_result *r = &pr->results[k];
		json_w_obj(&w);
		json_w_key(&w, "ingresses");
		json_w_arr(&w);
		for (size_t j = 0; j < t->ningresses; j++)
			json_w_str(&w, t->ingresses[j]);
		json_w_end(&w);
		json_w_key(&w, "host");
		json_w_str(&w, t->host);
		json_w_key(&w, "path");
		json_w_str(&w, t->path);
		json_w_key(&w, "namespace");
		json_w_str(&w, t->ns);
		json_w_key(&w, "service");
		json_w_str(&w, t->service);
		json_w_key(&w, "servicePort");
		json_w_int(&w, t->service_port);
		json_w_key(&w, "kind");
		json_w_str(&w, t->pod ? "Pod" : "Service");
		json_w_key(&w, "pod");
		json_w_str(&w, t->pod);
		json_w_key(&w, "node");
		json_w_str(&w, t->node);
		json_w_key(&w, "ip");
		json_w_str(&w, t->ip);
		json_w_key(&w, "port");
		json_w_int(&w, t->port);
		json_w_key(&w, "tls");
		json_w_bool(&w, t->https);
		json_w_key(&w, "httpPath");
		json_w_str(&w, t->http_path);
		json_w_key(&w, "ready");
		json_w_bool(&w, t->ready);
		json_w_key(&w, "outcome");
		json_w_str(&w, probe_outcome_name(r->outcome));
		json_w_key(&w, "httpStatus");
		json_w_int(&w, r->http_status);
		json_w_key(&w, "ms");
		if (r->ms >= 0)
			json_w_double(&w, (double)(long long)(r->ms + 0.5));
		else
			json_w_null(&w);
		json_w_key(&w, "detail");
		json_w_str(&w, r->detail);
		json_w_end(&w);
	}
	json_w_end(&w);
	report_json_notes_summary(&w, d);
	json_w_end(&w);
	return json_w_finish(&w);
}

/*
 * Targets there were, and not one could be probed (403 on the proxy
 * subresources, API server errors): say why on stderr, once per reason.
 */
static bool no_probe_made(const struct probe_run *pr)
{
	size_t shown = 0;

	if (!pr->plan.n)
		return false;
	for (size_t i = 0; i < pr->plan.n; i++)
		if (pr->results[i].outcome != PO_PROBE_FAILED)
			return false;
	for (size_t i = 0; i < pr->plan.n && shown < 4; i++) {
		bool dup = false;
		for (size_t k = 0; k < i && !dup; k++)
			dup = !strcmp(pr->results[k].detail, pr->results[i].detail);
		if (dup)
			continue;
		fprintf(stderr, "ingress-doctor: no probe could be made: %s\n",
			pr->results[i].detail);
		shown++;
	}
	return true;
}

static int report(struct probe_run *pr)
{
	struct diag d;
	size_t errors = 0;
	int rc;

	diag_init(&d);
	d.now = pr->m->now;
	probe_judge(pr->m, &pr->plan, pr->results, pr->have_logs ? &pr->st : NULL,
		    pr->a->from_pod, &d);
	if (!pr->plan.n)
		diag_note(&d, "no target to probe: no backend pod with an IP behind the Ingress "
			  "paths in scope (run diagnose to see why)");
	diag_sort(&d);
	errno = 0;
	rc = pr->a->out.format == FMT_JSON ? render_json(stdout, pr, &d)
					   : render_text(stdout, pr, &d);
	diag_counts(&d, &errors, NULL, NULL);
	diag_release(&d);
	if (rc < 0 && errno != EPIPE) {
		fprintf(stderr, "ingress-doctor: cannot write the report: %s\n",
			errno ? strerror(errno) : "write error");
		return 4;
	}
	if (no_probe_made(pr))
		return 3;
	return errors ? 1 : 0;
}

static int run_probe(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct probe_args a;
	struct probe_run pr;
	struct live_opts lo;
	struct live_result res;
	struct err err = ERR_INIT;
	struct warnings w;
	struct model m;
	struct cli_counter cnt;
	struct source_sink sink;
	char *ns = NULL;
	int first = argc, rc;

	memset(&a, 0, sizeof(a));
	cli_live_init(&a.live);
	a.timeout_s = 5;
	rc = parse_args(cmd, argc, argv, &a, &first, &err);
	if (rc > 0) {
		cli_live_release(&a.live);
		cli_help(cmd, stdout);
		return 0;
	}
	if (rc < 0) {
		cli_live_release(&a.live);
		return err.code == ERR_INTERNAL ? cli_fail(&err) : cli_usage_error(cmd, err.msg);
	}
	if (a.from_pod && !a.yes && !isatty(STDIN_FILENO)) {
		cli_live_release(&a.live);
		return cli_usage_error(cmd, "--from-controller-namespace creates a pod in "
				       "the cluster and asks first; with no terminal to ask on, "
				       "give --yes");
	}

	memset(&pr, 0, sizeof(pr));
	pr.a = &a;
	pr.names = argv + first;
	pr.nnames = (size_t)(argc - first);
	pr.m = &m;
	pr.res = &res;
	pr.ns_scope = &ns;
	log_stats_init(&pr.st);
	warnings_init(&w);
	model_init(&m, &w);
	sink = cli_counting_sink(&cnt, &m);
	cli_live_opts(&a.live, pr.names, pr.nnames, a.out.verbose, &lo);
	lo.after_read = after_read;
	lo.after_ctx = &pr;
	rc = live_session_read(&lo, &sink, &res, &w, &ns, &err);
	warnings_print(&w, stderr);
	if (rc < 0 && err.code == ERR_INTERRUPTED) {
		fprintf(stderr, "ingress-doctor: interrupted%s%s%s\n",
			a.from_pod && *pr.debug_pod ? (pr.debug_deleted ? "; debug pod " :
						       "; could not delete debug pod ") : "",
			a.from_pod ? pr.debug_pod : "",
			a.from_pod && *pr.debug_pod ? (pr.debug_deleted ? " deleted" : "") : "");
		rc = 130;
		goto out;
	}
	if (rc < 0) {
		/* a named Ingress missing, the debug pod refused, the cluster unreachable */
		rc = cli_fail(&err);
		goto out;
	}
	rc = report(&pr);
out:
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (pr.planned)
		probe_plan_release(&pr.plan);
	free(pr.results);
	log_stats_release(&pr.st);
	live_result_release(&res);
	free(ns);
	model_release(&m);
	warnings_release(&w);
	cli_live_release(&a.live);
	return rc;
}

const struct cli_cmd cmd_probe = {
	.name = "probe",
	.args = "[INGRESS...] [-n NS | -A] [--timeout SECONDS] [-o text|json] "
		"[--from-controller-namespace [--image IMAGE] [--yes]]",
	.summary = "try each backend pod and Service port of the Ingress paths (live)",
	.description =
		"Reads the cluster like diagnose, then sends an HTTP GET to every backend pod's\n"
		"target port (on its readiness probe's path, else /) and to each Service port,\n"
		"through the API server's proxy subresources:\n"
		"  /api/v1/namespaces/NS/pods/[https:]POD:PORT/proxy/PATH\n"
		"  /api/v1/namespaces/NS/services/[https:]SVC:PORT/proxy/PATH\n"
		"(https: when the Ingress's backend-protocol is HTTPS or GRPCS). The answers\n"
		"become connect-refused, connect-timeout and connect-http-error findings. A\n"
		"pod is probed once however many paths reach it. Read-only; it needs get on\n"
		"pods/proxy and services/proxy (a 403 names the rule). The API server dials\n"
		"from the control plane, not from the controller: a pod that answers here\n"
		"while the controller's logs show refusals points at NetworkPolicy or the\n"
		"controller's node, and an app bound to 127.0.0.1 answers neither.\n"
		"Services are reached through one of their ready endpoints, not the ClusterIP.\n"
		"The API server reports a failed connect only after its 30 s dial timeout: when\n"
		"--timeout runs out before, a connect that hangs and a pod that accepted and\n"
		"stays silent look alike (a timeout naming both); with --timeout 31 or more,\n"
		"silence is no-answer: connected, no HTTP answer (the app hangs). The debug\n"
		"pod connects with nc first and tells them apart at any --timeout.\n"
		CLI_KUBE_HELP
		"\n"
		"--from-controller-namespace runs the check from a short-lived pod in the\n"
		"controller's namespace instead (the runbook's curl pod): it asks on the\n"
		"terminal first unless --yes, and deletes the pod afterwards, also on Ctrl-C.\n"
		"\n"
		"examples:\n"
		"  ingress-doctor probe -n shop web\n"
		"  ingress-doctor probe -A --timeout 2 -o json\n"
		"  ingress-doctor probe -n shop web --from-controller-namespace\n"
		"\n"
		"exit status: 0 no error finding, 1 an error finding, 2 bad usage, 3 cluster\n"
		"unreachable or credentials refused, 130 interrupted.\n",
	.opts = probe_opts,
	.available = true,
	.run = run_probe,
};
