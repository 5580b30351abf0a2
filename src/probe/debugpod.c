/*
 * debugpod: the runbook's connectivity check from a short-lived pod in the
 * controller's namespace (probe.h, probe_debugpod()):
 *
 *   1. POST the pod (debugpod_script.c builds it and its script);
 *   2. poll it until Succeeded or Failed, recognising a pod that cannot
 *      start (Unschedulable, image pull errors);
 *   3. GET its log and read the IDPROBE lines into the results;
 *   4. DELETE it (gracePeriodSeconds=0) whatever happened: success, error,
 *      timeout, Ctrl-C. The POST and the DELETE are never interrupted (an
 *      interrupted POST could leave a pod whose name we never learnt).
 *
 * It also says which NetworkPolicies select the debug pod, since they may
 * differ from the controller's. RBAC it needs in the namespace: create,
 * get and delete on pods, get on pods/log.
 */
#include "probe.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "debugpod_int.h"
#include "../json/json.h"
#include "../live/client.h"
#include "../model/model.h"
#include "../netpol/netpol.h"
#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include "../util/banned.h"

#define DP_POLL_S 0.5
#define DP_RBAC_HINT "grant verbs create, get and delete on pods and get on pods/log"

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep s seconds; true when *stop became set meanwhile. */
static bool nap(double s, volatile const int *stop)
{
	double end = mono_s() + s;

	for (;;) {
		double left = end - mono_s();
		struct timespec ts;
		if (stop && *stop)
			return true;
		if (left <= 0)
			return false;
		if (left > 0.05)
			left = 0.05;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(left * 1e9);
		nanosleep(&ts, NULL);
	}
}

/* ---- one request at a time ---- */

struct dp_resp {
	long status;
	struct buf body;
	char msg[512];      /* the Status message (kc_status_message) when not 2xx */
};

static void resp_done(struct kc_client *cl, struct kc_req *r)
{
	struct dp_resp *out = r->ctx;

	(void)cl;
	out->status = r->status;
	if (r->body.len)
		buf_addn(&out->body, r->body.p, r->body.len);
	if (r->status < 200 || r->status > 299)
		kc_status_message(r, out->msg, sizeof(out->msg));
	kc_req_free(r);
}

/* Send one request and run it; send is a malloc'ed body or NULL. */
static int call(struct kc_client *cl, const char *method, const char *path, char *send,
		size_t send_len, const char *accept, long timeout_ms, struct dp_resp *out,
		struct err *err)
{
	struct kc_req *r = kc_req_new(path, resp_done, out);

	out->status = 0;
	out->msg[0] = '\0';
	buf_reset(&out->body);
	r->method = method;
	r->send = send;
	r->send_len = send_len;
	r->accept = accept;
	r->timeout_ms = timeout_ms;
	kc_client_submit(cl, r);
	return kc_client_run(cl, err);
}

/* "/api/v1/namespaces/NS/RESOURCE[/NAME][TAIL]" (malloc'ed) */
static char *res_path(const char *ns, const char *resource, const char *name, const char *tail)
{
	struct buf b;

	buf_init(&b, 0);
	buf_add(&b, "/api/v1/namespaces/");
	kc_query_escape(&b, ns);
	buf_addf(&b, "/%s", resource);
	if (name) {
		buf_addc(&b, '/');
		kc_query_escape(&b, name);
	}
	if (tail)
		buf_add(&b, tail);
	return buf_detach(&b);
}

static char *pod_path(const char *ns, const char *name, const char *tail)
{
	return res_path(ns, "pods", name, tail);
}

/* ---- what the model says about the debug pod's labels ---- */

static void dp_labels(struct kv kv[2], struct kvs *labels)
{
	/* sorted by key, as the model keeps label maps */
	kv[0].key = DP_LABEL_MANAGED;
	kv[0].val = DP_LABEL_MANAGED_VAL;
	kv[1].key = DP_LABEL_NAME;
	kv[1].val = DP_LABEL_NAME_VAL;
	labels->v = kv;
	labels->n = 2;
}

/* A Service of ns that would select the debug pod (and send it traffic), or NULL. */
static const struct service *selecting_service(const struct model *m, const char *ns)
{
	struct kv kv[2];
	struct pod p;

	memset(&p, 0, sizeof(p));
	p.meta.ns = ns;
	p.meta.name = DP_GENERATE_NAME;
	dp_labels(kv, &p.meta.labels);
	for (size_t i = 0; m && i < m->nservices; i++)
		if (service_selects(&m->services[i], &p))
			return &m->services[i];
	return NULL;
}

/*
 * The same question asked of the cluster: the model may hold only the
 * Ingresses' namespaces. Fills name (cap bytes) with a selecting Service's
 * name; returns 1 found, 0 none (or the list is not allowed: nothing to
 * go by), -1 error (interrupted, API server failure).
 */
static int cluster_selecting_service(struct kc_client *cl, const char *ns, char *name,
				     size_t cap, struct err *err)
{
	char *path = res_path(ns, "services", NULL, NULL);
	struct dp_resp r;
	struct arena a;
	struct json root;
	struct json_error je;
	const struct json *items;
	char *copy = NULL;
	int rc = -1;

	arena_init(&a, 0);
	buf_init(&r.body, KC_MAX_BODY);
	if (call(cl, NULL, path, NULL, 0, NULL, 30000, &r, err) < 0)
		goto out;
	rc = 0;
	if (r.status != 200)
		goto out;
	copy = xstrndup(r.body.p ? r.body.p : "", r.body.len);
	if (json_parse(copy, r.body.len, &a, &root, &je) < 0)
		goto out;
	items = json_get(&root, "items");
	for (size_t i = 0; json_is(items, JSON_ARRAY) && i < items->n; i++) {
		const struct json *it = json_at(items, i);
		const struct json *sel = json_path(it, "spec", "selector", NULL);
		const char *nm = json_str(json_path(it, "metadata", "name", NULL));
		bool all = json_is(sel, JSON_OBJECT) && sel->n > 0;
		for (uint32_t k = 0; all && k < sel->n; k++) {
			const char *key = sel->u.members[k].key;
			const char *val = json_str(&sel->u.members[k].val);
			bool name_ok = !strcmp(key, DP_LABEL_NAME) && val &&
				       !strcmp(val, DP_LABEL_NAME_VAL);
			bool managed_ok = !strcmp(key, DP_LABEL_MANAGED) && val &&
					  !strcmp(val, DP_LABEL_MANAGED_VAL);
			all = name_ok || managed_ok;
		}
		if (all && nm) {
			snprintf(name, cap, "%s", nm);
			rc = 1;
			break;
		}
	}
out:
	free(copy);
	free(path);
	buf_release(&r.body);
	arena_release(&a);
	return rc;
}

/* "debug pod ns/name: selected by NetworkPolicy a (egress), b (ingress, egress)" */
static void say_policies(const struct model *m, const char *ns, const char *name, FILE *f)
{
	struct np_index x;
	struct np_policy *pols;
	struct kv kv[2];
	struct kvs labels;
	struct buf b;
	size_t n, nsel = 0;

	if (!f || !m)
		return;
	dp_labels(kv, &labels);
	np_index_init(&x, m);
	n = np_index_ns(&x, ns, &pols);
	buf_init(&b, 0);
	for (size_t i = 0; i < n; i++) {
		const struct networkpolicy *np = pols[i].np;
		if (!selector_matches(&np->pod_selector, &labels))
			continue;
		buf_addf(&b, "%s%s (%s%s%s)", nsel++ ? ", " : "", np->meta.name,
			 np->ingress_type ? "ingress" : "",
			 np->ingress_type && np->egress_type ? ", " : "",
			 np->egress_type ? "egress" : "");
	}
	if (nsel)
		fprintf(f, "debug pod %s/%s: selected by NetworkPolicy %s\n", ns, name, b.p);
	else
		fprintf(f, "debug pod %s/%s: no NetworkPolicy selects it\n", ns, name);
	for (size_t i = 0; i < m->nforeign_pols; i++) {
		const struct foreign_policy *fp = &m->foreign_pols[i];
		if (!*fp->ns || !strcmp(fp->ns, ns))
			fprintf(f, "debug pod %s/%s: %s %s%s%s present, not evaluated: it may "
				"apply\n", ns, name, fp->kind, fp->ns, *fp->ns ? "/" : "",
				fp->name);
	}
	buf_release(&b);
	np_index_release(&x);
}

/* ---- the pod's state ---- */

struct dp_state {
	char phase[32];
	char node[128];
	char why[400];      /* why it does not start, "" nothing known */
	bool hopeless;      /* it will not start by waiting (image cannot be pulled) */
};

static void read_state(const struct dp_resp *r, struct dp_state *st)
{
	struct arena a;
	struct json root;
	struct json_error je;
	char *copy = xstrndup(r->body.p ? r->body.p : "", r->body.len);
	const struct json *status, *conds, *cs;

	memset(st, 0, sizeof(*st));
	arena_init(&a, 0);
	if (json_parse(copy, r->body.len, &a, &root, &je) < 0)
		goto out;
	status = json_get(&root, "status");
	snprintf(st->phase, sizeof(st->phase), "%s",
		 json_str(json_get(status, "phase")) ? json_str(json_get(status, "phase")) : "");
	if (json_str(json_path(&root, "spec", "nodeName", NULL)))
		snprintf(st->node, sizeof(st->node), "%s",
			 json_str(json_path(&root, "spec", "nodeName", NULL)));
	conds = json_get(status, "conditions");
	for (size_t i = 0; conds && i < conds->n && json_is(conds, JSON_ARRAY); i++) {
		const struct json *c = json_at(conds, i);
		const char *type = json_str(json_get(c, "type"));
		const char *cst = json_str(json_get(c, "status"));
		const char *reason = json_str(json_get(c, "reason"));
		const char *msg = json_str(json_get(c, "message"));
		if (type && !strcmp(type, "PodScheduled") && cst && !strcmp(cst, "False"))
			snprintf(st->why, sizeof(st->why), "not scheduled: %s%s%s",
				 reason ? reason : "pending", msg ? ": " : "", msg ? msg : "");
	}
	cs = json_get(status, "containerStatuses");
	for (size_t i = 0; cs && i < cs->n && json_is(cs, JSON_ARRAY); i++) {
		const struct json *w = json_path(json_at(cs, i), "state", "waiting", NULL);
		const char *reason = json_str(json_get(w, "reason"));
		const char *msg = json_str(json_get(w, "message"));
		if (!reason || !strcmp(reason, "ContainerCreating"))
			continue;
		snprintf(st->why, sizeof(st->why), "container waiting: %s%s%s", reason,
			 msg ? ": " : "", msg ? msg : "");
		st->hopeless = !strcmp(reason, "ImagePullBackOff") ||
			       !strcmp(reason, "InvalidImageName") ||
			       !strcmp(reason, "ErrImageNeverPull") ||
			       !strcmp(reason, "CreateContainerConfigError") ||
			       !strcmp(reason, "CreateContainerError") ||
			       !strcmp(reason, "RunContainerError");
	}
	if (!strcmp(st->phase, "Failed") && json_str(json_get(status, "reason")))
		snprintf(st->why, sizeof(st->why), "%s%s%s", json_str(json_get(status, "reason")),
			 json_str(json_get(status, "message")) ? ": " : "",
			 json_str(json_get(status, "message")) ?
			 json_str(json_get(status, "message")) : "");
out:
	free(copy);
	arena_release(&a);
}

/* The created pod's name from the POST answer. */
static bool created_name(const struct dp_resp *r, char *out, size_t cap)
{
	struct arena a;
	struct json root;
	struct json_error je;
	char *copy = xstrndup(r->body.p ? r->body.p : "", r->body.len);
	const char *name = NULL;
	bool ok = false;

	arena_init(&a, 0);
	if (json_parse(copy, r->body.len, &a, &root, &je) == 0)
		name = json_str(json_path(&root, "metadata", "name", NULL));
	if (name && *name && strlen(name) < cap) {
		snprintf(out, cap, "%s", name);
		ok = true;
	}
	free(copy);
	arena_release(&a);
	return ok;
}

/* Every result that has none yet says why the probe could not be made. */
static void fail_all(const struct probe_plan *plan, struct probe_result *res, const char *why)
{
	for (size_t i = 0; i < plan->n; i++) {
		if (res[i].outcome != PO_NOT_RUN)
			continue;
		res[i].outcome = PO_PROBE_FAILED;
		snprintf(res[i].detail, sizeof(res[i].detail), "debug pod: %.240s", why);
	}
}

static bool rbac_denied(const struct dp_resp *r)
{
	/* RBAC says 'User "u" cannot create resource "pods"'; admission says other things */
	return r->status == 403 && strstr(r->msg, " cannot ");
}

/* ---- the steps ---- */

/* "ingress-doctor-probe-" and 5 random characters of the alphabet generateName uses. */
static void pick_name(char *out, size_t cap)
{
	static const char alnum[] = "bcdfghjklmnpqrstvwxz2456789";
	unsigned char rnd[5];
	char sfx[6];

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		/* no entropy source: time and pid still make a clash unlikely */
		unsigned long long v = (unsigned long long)mono_s() * 1000003ULL ^
				       (unsigned long long)getpid();
		for (size_t i = 0; i < sizeof(rnd); i++, v >>= 8)
			rnd[i] = (unsigned char)v;
	}
	for (size_t i = 0; i < sizeof(rnd); i++)
		sfx[i] = alnum[rnd[i] % (sizeof(alnum) - 1)];
	sfx[5] = '\0';
	snprintf(out, cap, "%s%s", DP_GENERATE_NAME, sfx);
}

static int create_pod(struct kc_client *cl, struct probe_debugpod_opts *o,
		      const struct probe_plan *plan, struct dp_resp *r, struct err *err)
{
	char *script = dp_script(plan, o->target_timeout_s > 0 ? o->target_timeout_s : 5);
	size_t len;
	long deadline = (long)o->timeout_s + 30;
	char *body, *path = pod_path(o->ns, NULL, NULL);
	double saved_deadline = cl->deadline;
	int rc;

	/*
	 * The name is ours (not generateName): whatever happens to the POST (a
	 * timeout while an admission webhook is slow, a cut connection after the
	 * API server stored the pod), the clean-up can DELETE it by name; a 404
	 * then just means it was never created.
	 */
	pick_name(o->pod_name, sizeof(o->pod_name));
	body = dp_pod_json(o->ns, o->pod_name, o->image, script, deadline, &len);
	free(script);
	o->deleted = false;
	/* neither interruptible nor cut by the run's deadline: its 30 s limit is its own */
	kc_client_set_stop(cl, NULL);
	cl->deadline = 0;
	rc = call(cl, "POST", path, body, len, NULL, 30000, r, err);
	cl->deadline = saved_deadline;
	free(path);
	if (rc < 0)
		return -1;
	if (r->status == 201 || r->status == 200) {
		if (!created_name(r, o->pod_name, sizeof(o->pod_name)))
			return err_set(err, ERR_CLUSTER, "creating the debug pod in namespace %s: "
				       "the answer holds no pod name", o->ns);
		return 0;
	}
	if (r->status == 409) {
		/*
		 * AlreadyExists for the random name just picked: our own POST got
		 * there first and its answer was lost (libcurl sends a request
		 * again when its reused connection died without an answer). The
		 * pod is ours: go on with it, and delete it at the end.
		 */
		if (o->progress)
			fprintf(o->progress, "debug pod %s/%s: the answer to its creation was "
				"lost; it exists, going on with it\n", o->ns, o->pod_name);
		return 0;
	}
	/* refused: nothing of ours exists */
	o->deleted = true;
	if (rbac_denied(r))
		return err_set(err, ERR_CLUSTER, "cannot create pods in namespace %s: %s (%s)",
			       o->ns, r->msg, DP_RBAC_HINT);
	if (r->status == 403 || r->status == 422 || r->status == 400)
		return err_set(err, ERR_CLUSTER, "the API server refused the debug pod in "
			       "namespace %s: %s (HTTP %ld; an admission policy may require "
			       "another image or security settings: --image)", o->ns, r->msg,
			       r->status);
	return err_set(err, ERR_CLUSTER, "creating the debug pod in namespace %s: %s", o->ns,
		       r->msg);
}

/* Poll until the pod ends. 1: it ended, 0: it will not (why in st), -1 error. */
static int wait_pod(struct kc_client *cl, struct probe_debugpod_opts *o, double deadline,
		    struct dp_state *st, struct err *err)
{
	char *path = pod_path(o->ns, o->pod_name, NULL);
	struct dp_resp r;
	bool said_running = false;
	double t0 = mono_s();
	int rc = -1;

	buf_init(&r.body, KC_MAX_BODY);
	kc_client_set_stop(cl, o->stop);
	for (;;) {
		if (call(cl, NULL, path, NULL, 0, NULL, 10000, &r, err) < 0)
			goto out;
		if (r.status == 404) {
			err_set(err, ERR_CLUSTER, "debug pod %s/%s disappeared while it ran",
				o->ns, o->pod_name);
			goto out;
		}
		if (r.status == 403) {
			err_set(err, ERR_CLUSTER, "cannot get pods in namespace %s: %s (%s)", o->ns,
				r.msg, DP_RBAC_HINT);
			goto out;
		}
		if (r.status == 200) {
			read_state(&r, st);
			if (!strcmp(st->phase, "Succeeded") || !strcmp(st->phase, "Failed")) {
				rc = 1;
				goto out;
			}
			if (!strcmp(st->phase, "Running") && !said_running && o->progress) {
				fprintf(o->progress, "debug pod %s/%s: running on node %s\n", o->ns,
					o->pod_name, *st->node ? st->node : "(unknown)");
				said_running = true;
			}
			if (st->hopeless) {
				rc = 0;
				goto out;
			}
		}
		if (mono_s() + DP_POLL_S > deadline) {
			struct buf b;
			buf_init(&b, 0);
			if (!*st->why)
				buf_addf(&b, "did not finish within %.0fs (%s)", mono_s() - t0,
					 *st->phase ? st->phase : "no state");
			else
				buf_addf(&b, "did not finish within %.0fs: %s", mono_s() - t0,
					 st->why);
			snprintf(st->why, sizeof(st->why), "%s", b.p);
			buf_release(&b);
			rc = 0;
			goto out;
		}
		if (nap(DP_POLL_S, o->stop)) {
			err_set(err, ERR_INTERRUPTED, "interrupted");
			goto out;
		}
	}
out:
	free(path);
	buf_release(&r.body);
	return rc;
}

static int read_log(struct kc_client *cl, struct probe_debugpod_opts *o,
		    const struct probe_plan *plan, struct probe_result *res, bool *ended,
		    size_t *nread, struct err *err)
{
	char *path = pod_path(o->ns, o->pod_name, "/log?container=" DP_CONTAINER);
	struct dp_resp r;
	int rc = -1;

	buf_init(&r.body, 64u << 20);
	if (call(cl, NULL, path, NULL, 0, "text/plain, */*", 30000, &r, err) < 0)
		goto out;
	if (r.status == 403) {
		err_set(err, ERR_CLUSTER, "cannot get pods/log in namespace %s: %s (%s)", o->ns,
			r.msg, DP_RBAC_HINT);
		goto out;
	}
	if (r.status != 200) {
		err_set(err, ERR_CLUSTER, "reading the log of debug pod %s/%s: %s", o->ns,
			o->pod_name, r.msg);
		goto out;
	}
	*nread = dp_parse_log(r.body.p ? r.body.p : "", r.body.len, plan, res, ended);
	for (size_t i = 0; i < plan->n; i++)
		if (res[i].outcome == PO_NO_ANSWER || res[i].outcome == PO_TIMEOUT)
			res[i].limit_s = (double)dp_script_timeout(o->target_timeout_s > 0 ?
								   o->target_timeout_s : 5);
	rc = 0;
out:
	free(path);
	buf_release(&r.body);
	return rc;
}

/* DELETE with gracePeriodSeconds=0; never interrupted, never bounded by the run's deadline. */
static int delete_pod(struct kc_client *cl, struct probe_debugpod_opts *o, struct err *err)
{
	char *path = pod_path(o->ns, o->pod_name, "?gracePeriodSeconds=0");
	double saved_deadline = cl->deadline;
	struct dp_resp r;
	int rc = -1;

	buf_init(&r.body, KC_MAX_BODY);
	kc_client_set_stop(cl, NULL);
	cl->deadline = 0;
	if (call(cl, "DELETE", path, NULL, 0, NULL, 30000, &r, err) < 0)
		goto out;
	if (r.status == 200 || r.status == 202 || r.status == 404) {
		o->deleted = true;
		rc = 0;
	} else if (rbac_denied(&r)) {
		err_set(err, ERR_CLUSTER, "cannot delete pods in namespace %s: %s (%s)", o->ns,
			r.msg, DP_RBAC_HINT);
	} else {
		err_set(err, ERR_CLUSTER, "deleting the debug pod: %s", r.msg);
	}
out:
	cl->deadline = saved_deadline;
	free(path);
	buf_release(&r.body);
	return rc;
}

int probe_debugpod(struct kc_client *cl, const struct model *m, const struct probe_plan *plan,
		   struct probe_debugpod_opts *o, struct probe_result *res, struct err *err)
{
	volatile const int *saved_stop = cl->stop;
	double deadline = mono_s() + (o->timeout_s > 0 ? o->timeout_s : 60);
	const struct service *svc;
	struct dp_resp r;
	struct dp_state st;
	struct err derr = ERR_INIT;
	size_t nrun = 0, nread = 0;
	bool ended = false;
	char svc_name[256];
	int rc = -1, w, found = 0;

	/* the run's own deadline (--request-timeout) also bounds the wait, leaving time to
	 * read the log; the DELETE is made even after it */
	if (cl->deadline && cl->deadline - 3 < deadline)
		deadline = cl->deadline - 3;
	o->pod_name[0] = '\0';
	o->deleted = true;
	memset(&st, 0, sizeof(st));
	buf_init(&r.body, KC_MAX_BODY);
	for (size_t i = 0; i < plan->n; i++) {
		const char *why;
		memset(&res[i], 0, sizeof(res[i]));
		res[i].ms = -1;
		if (dp_target_ok(&plan->t[i], &why))
			nrun++;
		else
			snprintf(res[i].detail, sizeof(res[i].detail), "not probed: %s", why);
	}
	if (!o->ns || !*o->ns) {
		err_set(err, ERR_USAGE, "no namespace to run the debug pod in");
		goto out;
	}
	if (!nrun) {
		rc = 0;   /* nothing to probe: nothing created */
		goto out;
	}
	kc_client_set_stop(cl, o->stop);
	svc = selecting_service(m, o->ns);
	if (svc)
		snprintf(svc_name, sizeof(svc_name), "%s", svc->meta.name);
	else if ((found = cluster_selecting_service(cl, o->ns, svc_name, sizeof(svc_name),
						    err)) < 0)
		goto out;
	if (svc || found) {
		err_set(err, ERR_USAGE, "Service %s/%s selects the debug pod's labels %s=%s, "
			"%s=%s: it would receive traffic; not creating it", o->ns, svc_name,
			DP_LABEL_NAME, DP_LABEL_NAME_VAL, DP_LABEL_MANAGED, DP_LABEL_MANAGED_VAL);
		goto out;
	}
	if (o->stop && *o->stop) {
		err_set(err, ERR_INTERRUPTED, "interrupted");
		goto out;
	}
	if (o->progress)
		fprintf(o->progress, "debug pod: creating it in namespace %s (image %s, %zu "
			"targets)\n", o->ns, o->image && *o->image ? o->image : DP_IMAGE_DEFAULT,
			nrun);
	if (create_pod(cl, o, plan, &r, err) < 0)
		goto out;
	if (o->progress)
		fprintf(o->progress, "debug pod %s/%s: created\n", o->ns, o->pod_name);
	say_policies(m, o->ns, o->pod_name, o->progress);
	if (o->stop && *o->stop) {
		err_set(err, ERR_INTERRUPTED, "interrupted");
		goto out;
	}
	w = wait_pod(cl, o, deadline, &st, err);
	if (w < 0)
		goto out;
	if (w == 0) {
		if (o->progress)
			fprintf(o->progress, "debug pod %s/%s: %s\n", o->ns, o->pod_name, st.why);
		if (!strcmp(st.phase, "Running")) {
			/* what it found so far is worth having; errors here change nothing */
			struct err lerr = ERR_INIT;
			if (read_log(cl, o, plan, res, &ended, &nread, &lerr) == 0 && o->progress)
				fprintf(o->progress, "debug pod %s/%s: %zu of %zu results read "
					"before the deadline\n", o->ns, o->pod_name, nread, nrun);
		}
		fail_all(plan, res, st.why);
		if (o->stop && *o->stop) {
			err_set(err, ERR_INTERRUPTED, "interrupted");
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (read_log(cl, o, plan, res, &ended, &nread, err) < 0)
		goto out;
	if (o->progress)
		fprintf(o->progress, "debug pod %s/%s: %s on node %s, %zu of %zu results read\n",
			o->ns, o->pod_name, st.phase, *st.node ? st.node : "(unknown)", nread,
			nrun);
	if (!ended)
		fail_all(plan, res, *st.why ? st.why : "its script did not run to its end");
	rc = 0;
out:
	if (o->pod_name[0] && !o->deleted) {
		if (delete_pod(cl, o, &derr) < 0) {
			struct err first = *err;
			if (rc == 0)
				err_set(err, derr.code, "%s; the debug pod %s/%s is still there: "
					"kubectl delete pod -n %s %s", derr.msg, o->ns, o->pod_name,
					o->ns, o->pod_name);
			else    /* the first failure decides the exit status (130 after Ctrl-C) */
				err_set(err, first.code, "%s; and the debug pod %s/%s was not "
					"deleted: %s (kubectl delete pod -n %s %s)", first.msg,
					o->ns, o->pod_name, derr.msg, o->ns, o->pod_name);
			rc = -1;
		} else if (o->progress) {
			fprintf(o->progress, "debug pod %s/%s: deleted\n", o->ns, o->pod_name);
		}
	}
	kc_client_set_stop(cl, saved_stop);
	buf_release(&r.body);
	return rc;
}
