/*
 * logjoin: controller logs joined with the cluster (logjoin.h).
 *
 * Order: the log findings of src/logs/judge.c are made in a scratch
 * diagnosis, then moved onto Services, Pods and Ingress paths; the joined
 * checks (pods-ready-not-serving, upstream-unknown-endpoint, the
 * rollout-no-prestop evidence) and the controller configuration
 * (logjoin_config.c) follow.
 */
#include "logjoin.h"
#include "logjoin_int.h"
#include "../logs/judge.h"
#include "../logs/stats.h"
#include "../util/xalloc.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

#define NAME_MAX_LEN 512

/* ------------------------------------------------------------------ */
/* resolution */

/* Does port text p (number or name) name Service port sp? */
static bool port_names(const struct service_port *sp, const char *p)
{
	char *end;
	long v;

	if (!*p)
		return false;
	if (*p >= '0' && *p <= '9') {
		v = strtol(p, &end, 10);
		return !*end && v == sp->port;
	}
	return *sp->name && !strcmp(sp->name, p);
}

const struct service_port *lj_port(const struct service *svc, const char *p)
{
	for (uint32_t i = 0; i < svc->nports; i++)
		if (port_names(&svc->ports[i], p))
			return &svc->ports[i];
	return NULL;
}

/* Does an Ingress of ns route to Service sv with the port text p? */
static bool ingress_routes(const struct model *m, const char *ns, const char *sv, const char *p)
{
	char num[16];

	for (size_t i = 0; i < m->ningresses; i++) {
		const struct ingress *ing = &m->ingresses[i];
		if (strcmp(ing->meta.ns, ns))
			continue;
		for (uint32_t r = 0; r <= ing->nrules; r++) {
			uint32_t np = r < ing->nrules ? ing->rules[r].npaths : 1;
			for (uint32_t k = 0; k < np; k++) {
				const struct backend *b = r < ing->nrules ? &ing->rules[r].paths[k].backend
									  : &ing->default_backend;
				if (!b->set && r == ing->nrules)
					continue;
				if (!b->service || strcmp(b->service, sv))
					continue;
				if (b->port.kind == IS_STR && b->port.str && !strcmp(b->port.str, p))
					return true;
				snprintf(num, sizeof(num), "%d", (int)b->port.num);
				if (b->port.kind == IS_INT && !strcmp(num, p))
					return true;
			}
		}
	}
	return false;
}

bool logjoin_upstream(const struct model *m, const char *name, struct upstream_ref *out)
{
	size_t n = strlen(name), dash[64], nd = 0;
	char ns[NAME_MAX_LEN], sv[NAME_MAX_LEN];
	struct upstream_ref best = { 0 };
	int best_rank = -1;

	memset(out, 0, sizeof(*out));
	if (n >= NAME_MAX_LEN)
		return false;
	for (size_t i = 0; i < n && nd < 64; i++)
		if (name[i] == '-')
			dash[nd++] = i;
	/* port split j from the right (longest namespace+service first), namespace split i < j */
	for (size_t jj = nd; jj-- > 1;) {
		size_t j = dash[jj];
		if (j + 1 >= n)
			continue;
		for (size_t ii = 0; ii < jj; ii++) {
			size_t i = dash[ii];
			const struct service *svc;
			const struct service_port *sp;
			int rank;
			if (i == 0 || i + 1 >= j)
				continue;
			memcpy(ns, name, i);
			ns[i] = '\0';
			memcpy(sv, name + i + 1, j - i - 1);
			sv[j - i - 1] = '\0';
			svc = model_service(m, ns, sv);
			if (!svc)
				continue;
			/* rank: an Ingress routes there > the port exists > the Service exists */
			sp = lj_port(svc, name + j + 1);
			rank = sp ? 1 + ingress_routes(m, ns, sv, name + j + 1) : 0;
			if (rank > best_rank) {
				best = (struct upstream_ref){ svc, sp, name + j + 1 };
				best_rank = rank;
			}
		}
	}
	*out = best;
	return out->svc != NULL;
}

const char *addr_state_name(enum addr_state s)
{
	static const char *const names[] = { "current", "terminating", "service IP", "gone",
					     "never known" };
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

bool logjoin_addr_ip(const char *addr, char *out, size_t outlen)
{
	const char *end;
	unsigned char buf[16];
	size_t n;

	if (addr[0] == '[') {
		end = strchr(addr, ']');
		if (!end)
			return false;
		addr++;
	} else {
		end = strrchr(addr, ':');
		if (!end || strchr(addr, ':') != end)
			end = addr + strlen(addr);
	}
	n = (size_t)(end - addr);
	if (!n || n >= outlen)
		return false;
	memcpy(out, addr, n);
	out[n] = '\0';
	return inet_pton(AF_INET, out, buf) == 1 || inet_pton(AF_INET6, out, buf) == 1;
}

static void endpoint_of(const struct model *m, const struct service *svc, const char *ip,
			struct addr_ref *out)
{
	const struct endpointslice **sl;
	const struct endpoints *ep;
	size_t n = model_slices_for(m, svc->meta.ns, svc->meta.name, &sl);

	for (size_t i = 0; i < n; i++)
		for (uint32_t k = 0; k < sl[i]->nendpoints; k++) {
			const struct eps_endpoint *e = &sl[i]->endpoints[k];
			for (uint32_t a = 0; a < e->naddresses; a++)
				if (e->addresses[a] && !strcmp(e->addresses[a], ip)) {
					out->endpoint = true;
					out->ready |= eps_ready(e) && !eps_terminating(e);
				}
		}
	if (n || m->present[K_ENDPOINTSLICE])
		return;
	ep = model_endpoints(m, svc->meta.ns, svc->meta.name);
	for (uint32_t s = 0; ep && s < ep->nsubsets; s++) {
		const struct ep_subset *sub = &ep->subsets[s];
		for (uint32_t a = 0; a < sub->nready; a++)
			if (sub->ready[a].ip && !strcmp(sub->ready[a].ip, ip))
				out->endpoint = out->ready = true;
		for (uint32_t a = 0; a < sub->nnot_ready; a++)
			if (sub->not_ready[a].ip && !strcmp(sub->not_ready[a].ip, ip))
				out->endpoint = true;
	}
}

void logjoin_addr(const struct model *m, const struct service *svc, const char *ip,
		  struct addr_ref *out)
{
	const struct pod *p = model_pod_by_ip(m, ip);

	memset(out, 0, sizeof(*out));
	if (svc)
		endpoint_of(m, svc, ip, out);
	if (p) {
		out->pod = p;
		out->state = pod_is_terminating(p) ? AS_TERMINATING : AS_CURRENT;
		return;
	}
	for (size_t i = 0; i < m->nservices; i++)
		if (m->services[i].cluster_ip && !strcmp(m->services[i].cluster_ip, ip)) {
			out->state = AS_SERVICE_IP;
			return;
		}
	out->state = m->present[K_POD] && !m->forbidden[K_POD] ? AS_GONE : AS_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* chains */

bool lj_chain_routes(const struct chain *ch, const struct service *svc,
		     const struct service_port *sp)
{
	if (strcmp(ch->ns, svc->meta.ns) || strcmp(ch->service, svc->meta.name))
		return false;
	return !sp || port_names(sp, ch->port);
}

size_t lj_link(struct diag *d, struct finding *f, const struct service *svc,
	       const struct service_port *sp)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nchains; i++) {
		struct chain *ch = d->chains[i];
		if (!lj_chain_routes(ch, svc, sp))
			continue;
		finding_link(d, f, ch->ns, ch->ingress, ch);
		n++;
	}
	return n;
}

/* Link f to the chains of every Service of the pod's namespace that selects it. */
static size_t link_pod(const struct model *m, struct diag *d, struct finding *f,
		       const struct pod *p)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nchains; i++) {
		struct chain *ch = d->chains[i];
		const struct service *svc;
		if (strcmp(ch->ns, p->meta.ns) || !*ch->service)
			continue;
		svc = model_service(m, ch->ns, ch->service);
		if (svc && service_selects(svc, p)) {
			finding_link(d, f, ch->ns, ch->ingress, ch);
			n++;
		}
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* moving the log findings */

struct lj {
	struct check_ctx *c;
	const struct log_stats *s;
	bool scoped;
	size_t untied, dropped;
	const char *untied_example;
};

/* Ids whose cause is one pod when one address carries the failures. */
static bool pod_level(const char *id)
{
	static const char *const ids[] = { "upstream-connect-refused", "upstream-connect-timeout",
					   "upstream-read-timeout", "upstream-premature-close",
					   NULL };
	for (size_t i = 0; ids[i]; i++)
		if (!strcmp(ids[i], id))
			return true;
	return false;
}

/* Ids fixed on the Ingress (an annotation), when a single Ingress routes there. */
static bool ingress_level(const char *id)
{
	return !strcmp(id, "upstream-header-too-big") ||
	       !strcmp(id, "ingress-backend-protocol-mismatch");
}

/* A chain of the only Ingress routing to svc/sp, or NULL (none, or several Ingresses). */
static const struct chain *only_ingress(const struct diag *d, const struct service *svc,
					const struct service_port *sp)
{
	const struct chain *one = NULL;

	for (size_t i = 0; i < d->nchains; i++) {
		const struct chain *ch = d->chains[i];
		if (!lj_chain_routes(ch, svc, sp))
			continue;
		if (one && (strcmp(one->ns, ch->ns) || strcmp(one->ingress, ch->ingress)))
			return NULL;
		one = ch;
	}
	return one;
}

/*
 * The address carrying at least 80% of upstream name's failures (failed
 * attempts plus error-log lines of id's classes), as a pod; NULL if none.
 */
static const struct pod *dominant_pod(const struct lj *j, const char *name, const char *id,
				      const char **addr)
{
	const struct ls_addr *top = NULL;
	uint64_t total = 0, best = 0;
	char ip[64];
	struct addr_ref ar;

	for (size_t i = 0; i < j->s->naddr; i++) {
		const struct ls_addr *a = j->s->addr_sorted[i];
		uint64_t w = a->failed;
		if (!a->upstream || strcmp(a->upstream, name))
			continue;
		for (int c = 1; c < LC__COUNT; c++) {
			const struct log_class_info *ci = log_class_info(c);
			if (!log_class_is_access(c) && ci->id && !strcmp(ci->id, id))
				w += a->cls[c];
		}
		total += w;
		if (w > best) {
			best = w;
			top = a;
		}
	}
	if (!top || best * 5 < total * 4 || !logjoin_addr_ip(top->addr, ip, sizeof(ip)))
		return NULL;
	logjoin_addr(j->c->m, NULL, ip, &ar);
	*addr = top->addr;
	return ar.pod;
}

/*
 * Copy src onto (kind, ns, name). The message's prefix `from` (the log
 * object as judge.c wrote it) becomes `to`; when the finding already
 * existed (a cluster check made it), the log message becomes evidence.
 */
static struct finding *move(struct diag *d, const struct finding *src, const char *kind,
			    const char *ns, const char *name, const char *from, const char *to)
{
	struct finding *f = finding_get(d, src->id, src->sev, src->hop, kind, ns, name, src->key);
	const char *msg = src->message ? src->message : "";
	size_t nf = strlen(from);

	if (!strncmp(msg, from, nf))
		msg = diag_printf(d, "%s%s", to, msg + nf);
	if (f->message)
		finding_evidence(d, f, "controller logs: %s", msg);
	else
		finding_message(d, f, "%s", msg);
	for (size_t i = 0; i < src->evidence.n; i++)
		finding_evidence(d, f, "%s", src->evidence.v[i]);
	if (src->fix)
		finding_fix(d, f, "%s", src->fix);
	for (size_t i = 0; i < src->commands.n; i++)
		finding_command(d, f, "%s", src->commands.v[i]);
	return f;
}

static void keep_untied(struct lj *j, const struct finding *src, const char *why)
{
	struct diag *d = j->c->d;
	struct finding *f;

	if (j->scoped) {
		j->dropped++;
		return;
	}
	f = move(d, src, src->kind, src->ns, src->name, "", "");
	finding_evidence(d, f, "not tied to the cluster: %s", why);
	finding_link(d, f, NULL, NULL, NULL);
	if (!j->untied++)
		j->untied_example = diag_strdup(d, src->name);
}

static void move_upstream(struct lj *j, const struct finding *src)
{
	struct diag *d = j->c->d;
	struct upstream_ref ref;
	const struct pod *p = NULL;
	const struct chain *ing;
	const char *addr = NULL, *from, *to;
	struct finding *f;

	if (!strcmp(src->name, "-")) {
		keep_untied(j, src, "the log lines name no upstream");
		return;
	}
	if (!logjoin_upstream(j->c->m, src->name, &ref)) {
		keep_untied(j, src, diag_printf(d, "no Service of the input matches the upstream "
						"name %s (<namespace>-<service>-<port>)",
						src->name));
		return;
	}
	if (j->scoped && !lj_link_count(d, ref.svc, ref.sport)) {
		j->dropped++;
		return;
	}
	from = diag_printf(d, "Upstream %s", src->name);
	if (pod_level(src->id))
		p = dominant_pod(j, src->name, src->id, &addr);
	if (!p && ingress_level(src->id) && (ing = only_ingress(d, ref.svc, ref.sport)) != NULL) {
		to = diag_printf(d, "Ingress %s/%s -> Service %s port %s (upstream %s)",
				 ing->ns, ing->ingress, ref.svc->meta.name, ref.port, src->name);
		f = move(d, src, "Ingress", ing->ns, ing->ingress, from, to);
	} else if (p) {
		to = diag_printf(d, "Pod %s/%s (upstream %s, address %s)", p->meta.ns,
				 p->meta.name, src->name, addr);
		f = move(d, src, "Pod", p->meta.ns, p->meta.name, from, to);
		finding_evidence(d, f, "address %s is pod %s (%s): it carries most of the "
				 "upstream's failures", addr, p->meta.name,
				 pod_is_terminating(p) ? "terminating" : "current");
	} else {
		to = diag_printf(d, "Service %s/%s port %s (upstream %s)", ref.svc->meta.ns,
				 ref.svc->meta.name, ref.port, src->name);
		f = move(d, src, "Service", ref.svc->meta.ns, ref.svc->meta.name, from, to);
	}
	if (!ref.sport)
		finding_evidence(d, f, "upstream %s: Service %s/%s has no port %s", src->name,
				 ref.svc->meta.ns, ref.svc->meta.name, ref.port);
	if (!lj_link(d, f, ref.svc, ref.sport))
		finding_link(d, f, NULL, NULL, NULL);
}

static void move_address(struct lj *j, const struct finding *src)
{
	struct diag *d = j->c->d;
	struct addr_ref ar;
	char ip[64];
	struct finding *f;

	if (!logjoin_addr_ip(src->name, ip, sizeof(ip))) {
		keep_untied(j, src, "the address is no IP");
		return;
	}
	logjoin_addr(j->c->m, NULL, ip, &ar);
	if (!ar.pod) {
		keep_untied(j, src, diag_printf(d, "no pod has IP %s (%s)", ip,
						addr_state_name(ar.state)));
		return;
	}
	if (j->scoped && !lj_pod_routed(j->c->m, d, ar.pod)) {
		j->dropped++;
		return;
	}
	f = move(d, src, "Pod", ar.pod->meta.ns, ar.pod->meta.name,
		 diag_printf(d, "Address %s", src->name),
		 diag_printf(d, "Pod %s/%s (address %s)", ar.pod->meta.ns, ar.pod->meta.name,
			     src->name));
	if (!link_pod(j->c->m, d, f, ar.pod))
		finding_link(d, f, NULL, NULL, NULL);
}

static void move_service(struct lj *j, const struct finding *src)
{
	struct diag *d = j->c->d;
	const struct service *svc = model_service(j->c->m, src->ns, src->name);
	struct finding *f;

	if (!svc) {
		keep_untied(j, src, "the Service is not in the input");
		return;
	}
	if (j->scoped && !lj_link_count(d, svc, NULL)) {
		j->dropped++;
		return;
	}
	f = move(d, src, "Service", src->ns, src->name, "", "");
	if (!lj_link(d, f, svc, NULL))
		finding_link(d, f, NULL, NULL, NULL);
}

size_t lj_link_count(const struct diag *d, const struct service *svc,
		     const struct service_port *sp)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nchains; i++)
		n += lj_chain_routes(d->chains[i], svc, sp);
	return n;
}

bool lj_pod_routed(const struct model *m, const struct diag *d, const struct pod *p)
{
	for (size_t i = 0; i < d->nchains; i++) {
		const struct chain *ch = d->chains[i];
		const struct service *svc;
		if (strcmp(ch->ns, p->meta.ns) || !*ch->service)
			continue;
		svc = model_service(m, ch->ns, ch->service);
		if (svc && service_selects(svc, p))
			return true;
	}
	return false;
}

static void move_all(struct lj *j)
{
	struct diag ld;

	diag_init(&ld);
	log_judge(j->s, &ld);
	for (size_t i = 0; i < ld.nfindings; i++) {
		const struct finding *f = ld.findings[i];
		if (!strcmp(f->kind, "Upstream"))
			move_upstream(j, f);
		else if (!strcmp(f->kind, "Address"))
			move_address(j, f);
		else if (!strcmp(f->kind, "Service"))
			move_service(j, f);
		else
			keep_untied(j, f, "unknown object kind");
	}
	for (size_t i = 0; i < ld.notes.n; i++)
		diag_note(j->c->d, "controller logs: %s", ld.notes.v[i]);
	diag_release(&ld);
}

/* ------------------------------------------------------------------ */
/* the joined checks */

static uint64_t refused(const struct ls_addr *a)
{
	return a->cls[LC_CONNECT_REFUSED] + a->cls[LC_CONNECT_RESET];
}

static uint64_t connect_errors(const struct ls_addr *a)
{
	return a->cls[LC_CONNECT_REFUSED] + a->cls[LC_CONNECT_RESET] +
	       a->cls[LC_CONNECT_UNREACHABLE] + a->cls[LC_CONNECT_OTHER] +
	       a->cls[LC_CONNECT_TIMEOUT];
}

/* The Service (of the pod's namespace) that has the pod's IP as a ready endpoint, or NULL. */
static const struct service *ready_endpoint_of(const struct model *m, const struct pod *p,
					       const char *ip)
{
	for (size_t i = 0; i < m->nservices; i++) {
		const struct service *svc = &m->services[i];
		struct addr_ref ar = { 0 };
		if (strcmp(svc->meta.ns, p->meta.ns) || !service_selects(svc, p))
			continue;
		endpoint_of(m, svc, ip, &ar);
		if (ar.ready)
			return svc;
	}
	return NULL;
}

/* What the readiness probe checks, when it is not the port nginx connects to. */
static void probe_evidence(struct diag *d, struct finding *f, const struct pod *p, long port)
{
	for (uint32_t i = 0; i < p->ncontainers; i++) {
		const struct container *k = &p->containers[i];
		int32_t pp;
		if (k->init)
			continue;
		if (k->readiness.type == PROBE_NONE) {
			finding_evidence(d, f, "container %s has no readiness probe: Ready only says "
					 "the process started", k->name);
			continue;
		}
		if (k->readiness.type == PROBE_EXEC) {
			finding_evidence(d, f, "container %s: the readiness probe is an exec command "
					 "(%s), it does not connect to port %ld", k->name,
					 k->readiness.command ? k->readiness.command : "", port);
			continue;
		}
		pp = probe_port_resolve(&k->readiness, k);
		if (pp > 0 && pp != port)
			finding_evidence(d, f, "container %s: the readiness probe checks port %d, "
					 "not port %ld that nginx connects to", k->name, pp, port);
	}
}

static void ready_not_serving(struct lj *j, const struct ls_addr *a, const char *ip,
			      const struct pod *p, const struct service *svc)
{
	struct diag *d = j->c->d;
	uint64_t r = refused(a);
	const char *colon = strrchr(a->addr, ':');
	long port = colon ? strtol(colon + 1, NULL, 10) : 0;
	struct finding *f;

	if (r < 3 && !(r && a->attempts && a->failed == a->attempts))
		return;
	if (j->scoped && !lj_pod_routed(j->c->m, d, p))
		return;
	f = finding_get(d, "pods-ready-not-serving", SEV_WARNING, HOP_PODS, "Pod", p->meta.ns,
			p->meta.name, NULL);
	finding_message(d, f, "Pod %s/%s is Ready and an endpoint of Service %s, yet the "
			"controller's connections to %s were refused or reset %llu time(s)",
			p->meta.ns, p->meta.name, svc->meta.name, a->addr, (unsigned long long)r);
	finding_evidence(d, f, "address %s: connect-refused x%llu, reset at connect x%llu; %llu "
			 "of %llu attempts failed without a response", a->addr,
			 (unsigned long long)a->cls[LC_CONNECT_REFUSED],
			 (unsigned long long)a->cls[LC_CONNECT_RESET],
			 (unsigned long long)a->failed, (unsigned long long)a->attempts);
	finding_evidence(d, f, "pod %s: Ready, IP %s is a ready endpoint of Service %s/%s",
			 p->meta.name, ip, svc->meta.ns, svc->meta.name);
	probe_evidence(d, f, p, port);
	if (a->sample[LC_CONNECT_REFUSED].text)
		finding_evidence(d, f, "%s:%llu: %s", a->sample[LC_CONNECT_REFUSED].file,
				 (unsigned long long)a->sample[LC_CONNECT_REFUSED].line,
				 a->sample[LC_CONNECT_REFUSED].text);
	finding_fix(d, f, "make the app listen on 0.0.0.0 (not 127.0.0.1) on port %ld, and point "
		    "the readiness probe at that port", port);
	finding_command(d, f, "kubectl exec -n %s %s -- sh -c 'ss -ltn || netstat -ltn'",
			p->meta.ns, p->meta.name);
	finding_command(d, f, "kubectl get pod %s -n %s -o jsonpath='{.spec.containers[*].ports}'",
			p->meta.name, p->meta.ns);
	if (!link_pod(j->c->m, d, f, p))
		finding_link(d, f, NULL, NULL, NULL);
}

/* Per Service: failures to addresses that are no current endpoint. */
struct stale {
	const struct service *svc;
	const struct service_port *sport;
	const char *upstream;
	uint64_t failed, addrs;
	struct finding *f;
};

static struct stale *stale_for(struct lj *j, struct stale **v, size_t *n, size_t *cap,
			       const struct upstream_ref *ref, const char *upstream)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].svc == ref->svc)
			return &(*v)[i];
	XGROW(*v, *cap, *n + 1);
	(*v)[*n] = (struct stale){ .svc = ref->svc, .sport = ref->sport, .upstream = upstream };
	(void)j;
	return &(*v)[(*n)++];
}

static void unknown_endpoint(struct lj *j, struct stale *st, const struct ls_addr *a,
			     const struct addr_ref *ar)
{
	struct diag *d = j->c->d;
	const struct service *svc = st->svc;
	const char *what;

	if (j->scoped && !lj_link_count(d, svc, st->sport))
		return;
	switch (ar->state) {
	case AS_TERMINATING:
		what = diag_printf(d, "pod %s is terminating", ar->pod->meta.name);
		break;
	case AS_CURRENT:
		what = diag_printf(d, "pod %s exists but is %s", ar->pod->meta.name,
				   ar->endpoint ? "a not-ready endpoint" : "no endpoint of the Service");
		break;
	case AS_GONE:
		what = "no pod has this IP any more (gone)";
		break;
	default:
		what = "the pods are not in the input (never known)";
		break;
	}
	if (!st->f) {
		st->f = finding_get(d, "upstream-unknown-endpoint", SEV_WARNING, HOP_ENDPOINTS,
				    "Service", svc->meta.ns, svc->meta.name, NULL);
		finding_fix(d, st->f, "add a preStop sleep (5-15 s) and a graceful shutdown to the "
			    "backend pods; if the addresses stay in use, check the controller's "
			    "endpoint updates (its logs, or restart it)");
		finding_command(d, st->f, "kubectl get endpointslices -n %s -l "
				"kubernetes.io/service-name=%s -o wide", svc->meta.ns,
				svc->meta.name);
		if (!lj_link(d, st->f, svc, st->sport))
			finding_link(d, st->f, NULL, NULL, NULL);
	}
	st->addrs++;
	/* an access-log attempt and its error-log line are one failure */
	st->failed += a->failed > connect_errors(a) ? a->failed : connect_errors(a);
	finding_evidence(d, st->f, "address %s: %s; %llu of %llu attempts failed, %llu connect "
			 "error(s) in the error log", a->addr, what, (unsigned long long)a->failed,
			 (unsigned long long)a->attempts, (unsigned long long)connect_errors(a));
}

static void join_addresses(struct lj *j)
{
	const struct model *m = j->c->m;
	struct stale *st = NULL;
	size_t nst = 0, capst = 0;
	bool have_eps = (m->present[K_ENDPOINTSLICE] && !m->forbidden[K_ENDPOINTSLICE]) ||
			(m->present[K_ENDPOINTS] && !m->forbidden[K_ENDPOINTS]);

	for (size_t i = 0; i < j->s->naddr; i++) {
		const struct ls_addr *a = j->s->addr_sorted[i];
		struct upstream_ref ref = { 0 };
		struct addr_ref ar;
		char ip[64];
		if (!logjoin_addr_ip(a->addr, ip, sizeof(ip)))
			continue;
		if (a->upstream)
			logjoin_upstream(m, a->upstream, &ref);
		logjoin_addr(m, ref.svc, ip, &ar);
		if (ar.state == AS_CURRENT && pod_is_ready(ar.pod) && refused(a)) {
			const struct service *svc = ref.svc && ar.ready ? ref.svc
					: ready_endpoint_of(m, ar.pod, ip);
			if (svc)
				ready_not_serving(j, a, ip, ar.pod, svc);
		}
		if (!ref.svc || !have_eps || ar.state == AS_SERVICE_IP || ar.ready)
			continue;
		if (!a->failed && !connect_errors(a))
			continue;
		unknown_endpoint(j, stale_for(j, &st, &nst, &capst, &ref, a->upstream), a, &ar);
	}
	for (size_t i = 0; i < nst; i++) {
		if (!st[i].f)
			continue;
		finding_message(j->c->d, st[i].f, "Service %s/%s: the controller sent requests to "
				"%llu address(es) that are no current ready endpoint (%llu failed "
				"attempt(s)): pods that were gone or going",
				st[i].svc->meta.ns, st[i].svc->meta.name,
				(unsigned long long)st[i].addrs, (unsigned long long)st[i].failed);
		lj_prestop_evidence(j->c, j->s, st[i].svc, st[i].failed, st[i].addrs);
	}
	if (!have_eps && j->s->naddr)
		diag_note(j->c->d, "EndpointSlices and Endpoints are absent from the input: "
			  "upstream-unknown-endpoint could not run");
	free(st);
}

void check_logs(struct check_ctx *c, bool scoped)
{
	struct lj j = { .c = c, .s = c->logs, .scoped = scoped };

	if (!c->logs)
		return;
	move_all(&j);
	join_addresses(&j);
	lj_prestop_bursts(c, c->logs);
	lj_config(c, c->logs, scoped);
	if (j.untied)
		diag_note(c->d, "controller logs: %zu finding(s) could not be tied to an object of "
			  "the input (e.g. %s) and stay on the log's own names", j.untied,
			  j.untied_example);
	if (j.dropped)
		diag_note(c->d, "controller logs: %zu finding(s) concern backends outside the "
			  "diagnosed Ingresses and were left out", j.dropped);
}
