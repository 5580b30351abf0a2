/*
 * cli: the command line. One descriptor per command (cmd_*.c), each with
 * the table of its options; the same table drives getopt_long and the
 * --help text (options.c), so the two cannot drift apart.
 *
 * main.c picks the command from argv[1] and calls cmd->run(cmd, argc, argv)
 * with argv[0] being the command's name. A command returns the process exit
 * status (interface.md): 0 no error finding, 1 an error finding, 2 bad
 * usage or input, 3 cluster unreachable, 4 internal error (output failed).
 */
#ifndef ID_CLI_H
#define ID_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../live/kubeconfig.h"
#include "../live/live.h"
#include "../live/session.h"
#include "../report/report.h"
#include "../source/source.h"
#include "../util/err.h"

/* Option ids above any character, for long-only options. */
enum {
	OPT_FROM = 256,
	OPT_LOGS,
	OPT_NO_COLOR,
	OPT_CONTEXT,
	OPT_KUBECONFIG,
	OPT_REQUEST_TIMEOUT,
	OPT_LOG_SINCE,
	OPT_LOG_TAIL,
	OPT_NO_LOGS,
	/* kubectl's connection overrides (cli_kube_option) */
	OPT_CLUSTER,
	OPT_USER,
	OPT_TOKEN,
	OPT_CA_FILE,
	OPT_INSECURE,
	OPT_TLS_SERVER_NAME,
	OPT_PROXY_URL,
	OPT_CLIENT_CERT,
	OPT_CLIENT_KEY,
	OPT_USERNAME,
	OPT_PASSWORD,
	OPT_AS,
	OPT_AS_GROUP,
	OPT_AS_UID,
	/* probe (cmd_probe.c) */
	OPT_TIMEOUT,
	OPT_FROM_CONTROLLER_NS,
	OPT_IMAGE,
	OPT_YES,
};

/*
 * One option. id is what the parser returns: a printable character for an
 * option with a short form ('n' for -n/--namespace), or an OPT_* value for a
 * long-only one. arg names the value in the help ("NS"); NULL means the
 * option takes none. Tables end with an entry whose id is 0.
 */
struct cli_opt {
	int id;
	const char *lng;
	const char *arg;
	const char *help;
};

struct cli_cmd {
	const char *name;
	const char *args;          /* synopsis after the name */
	const char *summary;       /* one line, for the command list */
	const char *description;   /* text of --help after the synopsis, may be NULL */
	const struct cli_opt *opts;
	bool available;            /* false: announced, built in a later version */
	int (*run)(const struct cli_cmd *cmd, int argc, char **argv);
};

extern const struct cli_cmd cmd_diagnose, cmd_demo, cmd_version, cmd_logs, cmd_snapshot;
extern const struct cli_cmd cmd_probe;

/* Every command, in the order of the help, NULL-terminated. */
extern const struct cli_cmd *const cli_commands[];

/* "ingress-doctor", or "kubectl ingress-doctor" when run as a kubectl plugin. */
extern const char *cli_prog;
/* Decide cli_prog from argv[0]. */
void cli_set_prog(const char *argv0);

/* ---- parsing (options.c) ---- */

struct cli_parser {
	const struct cli_cmd *cmd;
	int argc;
	char **argv;
	struct option *lopts;      /* built from cmd->opts */
	char shorts[96];
};

#define CLI_END 0         /* no more options: operands are argv[optind..argc) */
#define CLI_ERROR (-1)    /* usage error, err set */

/* Prepare to parse argv (argv[0] is the command name). Resets getopt. */
void cli_parser_init(struct cli_parser *p, const struct cli_cmd *cmd, int argc, char **argv);
void cli_parser_release(struct cli_parser *p);
/*
 * The next option's id, with *arg its value (NULL when it takes none);
 * CLI_END when done (operands are permuted to argv[optind..argc));
 * CLI_ERROR with err (ERR_USAGE) for an unknown option or a missing value.
 */
int cli_next(struct cli_parser *p, const char **arg, struct err *err);
/* Index of the first operand, valid after CLI_END. */
int cli_operands(const struct cli_parser *p);

/* Print the --help of a command, generated from its table. */
void cli_help(const struct cli_cmd *cmd, FILE *f);
/* Print the overall help (commands and their summaries). */
void cli_help_main(FILE *f);
/*
 * Report a usage error: "ingress-doctor: MSG" then "try '... CMD --help'"
 * on stderr. cmd may be NULL (the overall help). Returns 2.
 */
int cli_usage_error(const struct cli_cmd *cmd, const char *msg);

/* ---- output options shared by diagnose and demo (output.c) ---- */

enum cli_format { FMT_TEXT, FMT_JSON };

struct cli_output {
	enum cli_format format;
	int verbose;
	bool no_color;
};

/*
 * Apply -o/-v/--no-color. Returns 1 when id was one of them, 0 when it is
 * not an output option, -1 (err set) for a bad value.
 */
int cli_output_option(struct cli_output *o, int id, const char *arg, struct err *err);

/* Colour on: stdout is a terminal, no --no-color, NO_COLOR unset or empty, TERM not dumb. */
bool cli_want_color(const struct cli_output *o);

/*
 * Sort and render d on stdout in the chosen format and return the exit
 * status: 0 or 1 by the error findings, or 4 when stdout could not be
 * written (a closed pipe is not reported: `| head` is normal use).
 */
int cli_render(struct diag *d, const struct cli_output *o);

/* ---- kubectl's connection flags, shared by the live commands (options.c) ---- */

/*
 * The entries of kubectl's override flags for an option table:
 * --cluster, --user, -s/--server, --token, --certificate-authority,
 * --insecure-skip-tls-verify, --tls-server-name, --proxy-url,
 * --client-certificate, --client-key, --username, --password, --as,
 * --as-group (repeatable), --as-uid. Put it in a table (it ends with a
 * comma) and hand every option to cli_kube_option().
 */
#define CLI_KUBE_OPTS \
	{ OPT_CLUSTER, "cluster", "NAME", "kubeconfig cluster to use (instead of the context's)" }, \
	{ OPT_USER, "user", "NAME", "kubeconfig user to use (instead of the context's)" }, \
	{ 's', "server", "URL", "API server address (overrides the kubeconfig's)" }, \
	{ OPT_TOKEN, "token", "TOKEN", "bearer token for the API server" }, \
	{ OPT_CA_FILE, "certificate-authority", "FILE", "CA certificate file for the server" }, \
	{ OPT_INSECURE, "insecure-skip-tls-verify", NULL, \
	  "do not check the server's certificate (insecure)" }, \
	{ OPT_TLS_SERVER_NAME, "tls-server-name", "NAME", \
	  "name to check the server's certificate against" }, \
	{ OPT_PROXY_URL, "proxy-url", "URL", "reach the server through this proxy" }, \
	{ OPT_CLIENT_CERT, "client-certificate", "FILE", "client certificate file for TLS" }, \
	{ OPT_CLIENT_KEY, "client-key", "FILE", "client key file for TLS" }, \
	{ OPT_USERNAME, "username", "NAME", "user name for basic authentication" }, \
	{ OPT_PASSWORD, "password", "PASSWORD", "password for basic authentication" }, \
	{ OPT_AS, "as", "USER", "impersonate this user" }, \
	{ OPT_AS_GROUP, "as-group", "GROUP", "impersonate this group (repeatable; needs --as)" }, \
	{ OPT_AS_UID, "as-uid", "UID", "impersonate this UID (needs --as)" },

/* The paragraph of a live command's --help about CLI_KUBE_OPTS (ends with a newline). */
#define CLI_KUBE_HELP \
	"kubectl's connection flags override the kubeconfig as in kubectl: --cluster,\n" \
	"--user, -s/--server, --token, --certificate-authority, --tls-server-name,\n" \
	"--insecure-skip-tls-verify, --proxy-url, --client-certificate, --client-key,\n" \
	"--username/--password, --as/--as-group/--as-uid (impersonation).\n"

struct kc_flags;

/*
 * Apply one of CLI_KUBE_OPTS to f (kubeconfig.h; --as-group grows
 * f->impersonate_groups: free it with cli_kube_release()). Returns 1 when
 * id was one of them (*name: its "--long" name, for messages), 0 when
 * not, -1 (err, ERR_USAGE) for a bad value.
 */
int cli_kube_option(struct kc_flags *f, int id, const char *arg, const char **name,
		    struct err *err);
void cli_kube_release(struct kc_flags *f);

/* Print "ingress-doctor: MSG" on stderr. Returns the exit status for err. */
int cli_fail(const struct err *err);

/* ---- reading and diagnosing (cmd_diagnose.c) ---- */

struct model;
struct scope;

/* A sink that counts what passes through to the model's sink. */
struct cli_counter {
	struct source_sink inner;
	size_t objects;            /* objects handed over */
	size_t kinds;              /* kinds proven collected (typed lists) */
};

/* A sink feeding m through c (c must outlive the read). */
struct source_sink cli_counting_sink(struct cli_counter *c, struct model *m);

/*
 * Finish the model, diagnose the scope, add nlogs' note, render, and
 * return the exit status (0/1 by error findings, 2 for a named Ingress not
 * found, 4 when output failed). Input warnings are printed first.
 */
int cli_diagnose_model(struct model *m, struct warnings *w, const struct scope *s,
		       const struct cli_output *o, size_t nlogs);

struct live_log_req;

/*
 * The log requests for the controller pods in m: one per pod (its log
 * container, live_log_container()), in controller then pod order. With
 * joinable_only, only controllers whose logs the log analysis reads
 * (controller_impl.nginx_logs). *out is malloc'ed (free it); the strings
 * point into m.
 */
size_t cli_controller_log_reqs(const struct model *m, bool joinable_only,
			       struct live_log_req **out);

/*
 * Called by cli_fetch_controller_logs() for each controller pod's log:
 * log->text is NULL when it could not be read (log->error, log->status
 * say why). Returns 0, or -1 (err set) to stop.
 */
typedef int (*cli_log_fn)(void *ctx, struct kc_client *cl, const struct live_log *log,
			  struct err *err);

/*
 * Fetch the logs of cli_controller_log_reqs(m, joinable_only) with cl
 * (pods/log, lo) and hand each to fn. Returns the number of pods asked
 * for, or -1 with err when the fetch failed as a whole or fn said stop.
 */
int cli_fetch_controller_logs(struct kc_client *cl, const struct model *m, bool joinable_only,
			      const struct live_log_opts *lo, cli_log_fn fn, void *ctx,
			      struct err *err);

/* ---- the options and set-up of the live commands: diagnose, probe, snapshot (ctl_live.c) ---- */

struct cli_live {
	const char *ns;                  /* -n (a valid namespace name), NULL none */
	bool all_ns;                     /* -A */
	const char *context, *kubeconfig;
	const char *timeout;             /* --request-timeout text, NULL none */
	struct kc_flags kube;            /* kubectl's connection flags (CLI_KUBE_OPTS) */
	struct live_log_opts logs;       /* --log-since, --log-tail */
	bool no_logs;                    /* --no-logs */
	const char *first;               /* the first option given that needs a cluster
					  * (not -n, -A), "--context"..., for messages */
};

/* Empty, with the log defaults: --log-since 1h, --log-tail 10000. */
void cli_live_init(struct cli_live *l);
void cli_live_release(struct cli_live *l);

/*
 * Apply -n, -A, --context, --kubeconfig, --request-timeout, --log-since,
 * --log-tail, --no-logs or one of CLI_KUBE_OPTS (only those in the
 * command's table can reach it). Returns 1 when id was one of them, 0 when
 * not, -1 (err, ERR_USAGE) for a bad value.
 */
int cli_live_option(struct cli_live *l, int id, const char *arg, struct err *err);

/*
 * cli_next(), with the output options applied to out and the live ones to
 * live (either may be NULL): returns the id of the next option neither
 * handles, CLI_END, or CLI_ERROR (err set).
 */
int cli_next_opt(struct cli_parser *p, struct cli_output *out, struct cli_live *live,
		 const char **arg, struct err *err);

/*
 * After parsing: -n and -A not both, and the INGRESS operands (NAME or
 * NS/NAME) agree with -n. Returns 0, or -1 with err (ERR_USAGE).
 */
int cli_live_check(const struct cli_live *l, char **names, size_t n, struct err *err);

/* The live_opts of a read of the cluster by l, for the named Ingresses (after_read unset). */
void cli_live_opts(const struct cli_live *l, char **names, size_t nnames, int verbose,
		   struct live_opts *lo);

/*
 * The namespace the Ingresses in scope are looked for in, after a read that
 * was limited to read_ns: NULL (every namespace) when no -n was given and
 * every operand is NS/NAME, as those name their own namespace.
 */
const char *cli_live_scope_ns(const struct cli_live *l, const char *read_ns, char **names,
			      size_t nnames);

#endif
