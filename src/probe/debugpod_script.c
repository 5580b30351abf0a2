/*
 * debugpod_script: what the debug pod runs and how its answer is read
 * (debugpod_int.h): the POSIX sh script built from the plan, the Pod
 * object, and the parse of the IDPROBE lines of its log.
 *
 * The script relies on busybox's applets (the default image) and keeps
 * to what both the full busybox (nc -z) and the small one (nc -e) offer.
 * Error texts it maps, from busybox's networking/wget.c, nc.c and
 * libbb/xconnect.c: "can't connect to remote host (IP): Connection
 * refused" / "No route to host" / "Network is unreachable", "timed out"
 * (nc -w), "download timed out" (wget -T), "server returned error: HTTP/1.1
 * 503 ...", "error getting response: Connection reset by peer", "bad header
 * line", and the TLS client's "TLS error from peer ..." / "got bad TLS
 * record ...". A bounded wait uses timeout(1) when present (busybox wget
 * -T crashes in some builds), whose kill is exit status 124 or 143.
 * nc connecting before wget tells a port that never accepts (tcp=timeout)
 * from a pod that accepts and stays silent (tcp=ok http=timeout:
 * PO_NO_ANSWER); without nc the two look alike.
 */
#include "debugpod_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../json/json_write.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include "../util/banned.h"

bool dp_target_ok(const struct probe_target *t, const char **why)
{
	const char *ip = t->ip;
	bool colon = false;

	if (!ip || !*ip) {
		*why = "no IP address known";
		return false;
	}
	if (!strcmp(ip, "None")) {
		*why = "headless Service: no ClusterIP";
		return false;
	}
	for (const char *p = ip; *p; p++) {
		if (*p == ':')
			colon = true;
		else if (!strchr("0123456789abcdefABCDEF.", *p)) {
			*why = "not an IP address";
			return false;
		}
	}
	if (strlen(ip) > 45 || (!colon && !strchr(ip, '.'))) {
		*why = "not an IP address";
		return false;
	}
	if (t->port < 1 || t->port > 65535) {
		*why = "no port number";
		return false;
	}
	return true;
}

/* The path as the script may quote it: "/" first, safe bytes, others %XX. */
static void add_path(struct buf *b, const char *path)
{
	static const char safe[] = "-._~!$&'()*+,;=:@%/?";
	size_t start = b->len;

	if (!path || !*path || strlen(path) > 512) {
		buf_addc(b, '/');
		return;
	}
	if (*path != '/')
		buf_addc(b, '/');
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(safe, *p))
			buf_addc(b, (char)*p);
		else
			buf_addf(b, "%%%02X", *p);
	}
	if (b->len == start)
		buf_addc(b, '/');
}

static const char script_head[] =
	"# ingress-doctor debug pod: TCP, then HTTP, to each target; one IDPROBE line each\n"
	"now() {\n"
	"\tread -r u _ </proc/uptime\n"
	"\ts=${u%.*}; c=${u#*.}; c=${c#0}\n"
	"\techo $((s * 1000 + c * 10))\n"
	"}\n"
	"TO=\n"
	"WT=\"-T $T\"\n"
	"if timeout 1 true >/dev/null 2>&1; then TO=\"timeout $((T + 1))\"; WT=; fi\n"
	"NC=\n"
	"if command -v nc >/dev/null 2>&1; then\n"
	"\tif nc --help 2>&1 | grep -q -e ' -z'; then NC=z; else NC=e; fi\n"
	"fi\n"
	"last() {\n"
	"\tprintf '%s\\n' \"$1\" | grep -v -e '^  ' -e '^Connecting to' -e '^Terminated' |\n"
	"\t\tgrep ':' | tail -n 1 | tr -d '\\r' | cut -c1-160\n"
	"}\n"
	"cls() {\n"
	"\tcase $2 in\n"
	"\t*refused*) echo refused ;;\n"
	"\t*'timed out'*|*timeout*) echo timeout ;;\n"
	"\t*'No route'*|*nreachable*) echo unreachable ;;\n"
	"\t*) if [ \"$1\" -eq 0 ]; then echo ok; elif [ \"$1\" -ge 124 ]; then echo timeout;\n"
	"\t   else echo error; fi ;;\n"
	"\tesac\n"
	"}\n"
	"get() {\n"
	"\tw=$( { $TO wget -q -S $WT --no-check-certificate -O /dev/null \\\n"
	"\t\t\"$1://$2:$3$4\"; } 2>&1)\n"
	"\trc=$?\n"
	"\tst=$(printf '%s\\n' \"$w\" |\n"
	"\t\tsed -n 's/^  HTTP\\/[0-9.]* \\([0-9][0-9][0-9]\\).*/\\1/p' |\n"
	"\t\ttail -n 1)\n"
	"\tsl=$(printf '%s\\n' \"$w\" | sed -n 's/^  \\(HTTP\\/[0-9.]* [0-9].*\\)/\\1/p' |\n"
	"\t\ttail -n 1 |\n"
	"\t\ttr -d '\\r')\n"
	"}\n"
	"hcls() {\n"
	"\tif [ -n \"$st\" ]; then echo \"$st\"; return; fi\n"
	"\tcase $w in\n"
	"\t*refused*) echo refused ;;\n"
	"\t*'timed out'*) echo timeout ;;\n"
	"\t*'No route'*|*nreachable*) echo unreachable ;;\n"
	"\t*TLS*|*tls*|*'bad header'*|*handshake*|*record*) echo not-http ;;\n"
	"\t*reset*|*'error getting response'*) echo reset ;;\n"
	"\t*) if [ \"$rc\" -ge 124 ]; then echo timeout; else echo error; fi ;;\n"
	"\tesac\n"
	"}\n"
	"probe() {\n"
	"\ti=$1; ip=$2; port=$3; scheme=$4; path=$5\n"
	"\tt0=$(now)\n"
	"\tcase $ip in *:*) host=\"[$ip]\" ;; *) host=$ip ;; esac\n"
	"\ttcp=-; http=-; msg=\n"
	"\tif [ \"$NC\" = z ]; then\n"
	"\t\tw=$( { $TO nc -z -w \"$T\" \"$ip\" \"$port\" </dev/null; } 2>&1); rc=$?\n"
	"\telif [ \"$NC\" = e ]; then\n"
	"\t\tw=$( { $TO nc -w \"$T\" \"$ip\" \"$port\" -e true </dev/null; } 2>&1); rc=$?\n"
	"\tfi\n"
	"\tif [ -n \"$NC\" ]; then\n"
	"\t\ttcp=$(cls \"$rc\" \"$w\")\n"
	"\t\t[ \"$tcp\" = ok ] || msg=$(last \"$w\")\n"
	"\t\t[ \"$tcp\" = timeout ] && [ -z \"$msg\" ] && msg=\"no connection within ${T}s\"\n"
	"\tfi\n"
	"\tif [ \"$tcp\" = ok ] || [ \"$tcp\" = - ]; then\n"
	"\t\tget \"$scheme\" \"$host\" \"$port\" \"$path\"\n"
	"\t\thttp=$(hcls)\n"
	"\t\tif [ -n \"$st\" ]; then msg=$sl; else msg=$(last \"$w\"); fi\n"
	"\t\tcase $http in\n"
	"\t\treset|not-http|error)\n"
	"\t\t\tif [ \"$scheme\" = http ]; then o=https; else o=http; fi\n"
	"\t\t\tm1=$msg\n"
	"\t\t\tget \"$o\" \"$host\" \"$port\" \"$path\"\n"
	"\t\t\tif [ -n \"$st\" ]; then\n"
	"\t\t\t\thttp=not-http; msg=\"answers $o ($sl), not $scheme: $m1\"\n"
	"\t\t\telse\n"
	"\t\t\t\tmsg=$m1\n"
	"\t\t\tfi ;;\n"
	"\t\tesac\n"
	"\t\t[ \"$http\" = timeout ] && [ -z \"$msg\" ] &&\n"
	"\t\t\tmsg=\"connected, no HTTP answer within ${T}s\"\n"
	"\tfi\n"
	"\tprintf 'IDPROBE %s tcp=%s http=%s ms=%s msg=%s\\n' \"$i\" \"$tcp\" \"$http\" \\\n"
	"\t\t\"$(($(now) - t0))\" \"$msg\"\n"
	"}\n"
	"echo \"IDPROBE-BEGIN nc=${NC:--} timeout=${TO:+yes}\"\n"
	"n=0\n"
	"while read -r i ip port scheme path; do\n"
	"\tprobe \"$i\" \"$ip\" \"$port\" \"$scheme\" \"$path\" &\n"
	"\tn=$((n + 1))\n"
	"\tif [ \"$n\" -ge \"$P\" ]; then wait; n=0; fi\n"
	"done <<'IDPROBE_TARGETS'\n";

long dp_script_timeout(double timeout_s)
{
	long t;

	if (!(timeout_s > 0))
		return 1;
	if (timeout_s >= 300)
		return 300;
	t = (long)timeout_s;
	if ((double)t < timeout_s)
		t++;
	return t < 1 ? 1 : t;
}

double probe_debugpod_budget(size_t ntargets, double target_timeout_s)
{
	size_t batches = (ntargets + DP_PARALLEL - 1) / DP_PARALLEL;
	long t = dp_script_timeout(target_timeout_s);

	if (!batches)
		batches = 1;
	return 60 + (double)batches * 3 * (double)(t + 1);
}

char *dp_script(const struct probe_plan *plan, double timeout_s)
{
	struct buf b;
	long t = dp_script_timeout(timeout_s);
	const char *why;

	buf_init(&b, 0);
	buf_addf(&b, "T=%ld\nP=%d\n", t, DP_PARALLEL);
	buf_add(&b, script_head);
	for (size_t i = 0; i < plan->n; i++) {
		const struct probe_target *pt = &plan->t[i];
		if (!dp_target_ok(pt, &why))
			continue;
		buf_addf(&b, "%zu %s %d %s ", i, pt->ip, pt->port, pt->https ? "https" : "http");
		add_path(&b, pt->http_path);
		buf_addc(&b, '\n');
	}
	buf_add(&b, "IDPROBE_TARGETS\nwait\necho IDPROBE-END\n");
	return buf_detach(&b);
}

char *dp_pod_json(const char *ns, const char *name, const char *image, const char *script,
		  long deadline_s, size_t *len)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	struct json_w w;

	if (!f)
		abort();   /* out of memory, as xalloc would */
	json_w_init(&w, f, 0);
	json_w_obj(&w);
	json_w_key(&w, "apiVersion");
	json_w_str(&w, "v1");
	json_w_key(&w, "kind");
	json_w_str(&w, "Pod");
	json_w_key(&w, "metadata");
	json_w_obj(&w);
	json_w_key(&w, "name");
	json_w_str(&w, name);
	json_w_key(&w, "namespace");
	json_w_str(&w, ns);
	json_w_key(&w, "labels");
	json_w_obj(&w);
	json_w_key(&w, DP_LABEL_NAME);
	json_w_str(&w, DP_LABEL_NAME_VAL);
	json_w_key(&w, DP_LABEL_MANAGED);
	json_w_str(&w, DP_LABEL_MANAGED_VAL);
	json_w_end(&w);
	json_w_key(&w, "annotations");
	json_w_obj(&w);
	json_w_key(&w, "ingress-doctor/purpose");
	json_w_str(&w, "connectivity probe of `ingress-doctor probe --from-controller-namespace`; "
		   "deleted when done");
	json_w_end(&w);
	json_w_end(&w);

	json_w_key(&w, "spec");
	json_w_obj(&w);
	json_w_key(&w, "restartPolicy");
	json_w_str(&w, "Never");
	json_w_key(&w, "activeDeadlineSeconds");
	json_w_int(&w, deadline_s);
	json_w_key(&w, "terminationGracePeriodSeconds");
	json_w_int(&w, 0);
	json_w_key(&w, "automountServiceAccountToken");
	json_w_bool(&w, false);
	json_w_key(&w, "enableServiceLinks");
	json_w_bool(&w, false);
	json_w_key(&w, "securityContext");
	json_w_obj(&w);
	json_w_key(&w, "runAsNonRoot");
	json_w_bool(&w, true);
	json_w_key(&w, "runAsUser");
	json_w_int(&w, DP_UID);
	json_w_key(&w, "runAsGroup");
	json_w_int(&w, DP_UID);
	json_w_key(&w, "seccompProfile");
	json_w_obj(&w);
	json_w_key(&w, "type");
	json_w_str(&w, "RuntimeDefault");
	json_w_end(&w);
	json_w_end(&w);

	json_w_key(&w, "containers");
	json_w_arr(&w);
	json_w_obj(&w);
	json_w_key(&w, "name");
	json_w_str(&w, DP_CONTAINER);
	json_w_key(&w, "image");
	json_w_str(&w, image && *image ? image : DP_IMAGE_DEFAULT);
	json_w_key(&w, "imagePullPolicy");
	json_w_str(&w, "IfNotPresent");
	json_w_key(&w, "command");
	json_w_arr(&w);
	json_w_str(&w, "sh");
	json_w_str(&w, "-c");
	json_w_str(&w, script);
	json_w_end(&w);
	json_w_key(&w, "resources");
	json_w_obj(&w);
	json_w_key(&w, "requests");
	json_w_obj(&w);
	json_w_key(&w, "cpu");
	json_w_str(&w, "10m");
	json_w_key(&w, "memory");
	json_w_str(&w, "16Mi");
	json_w_end(&w);
	json_w_key(&w, "limits");
	json_w_obj(&w);
	json_w_key(&w, "cpu");
	json_w_str(&w, "200m");
	json_w_key(&w, "memory");
	json_w_str(&w, "64Mi");
	json_w_end(&w);
	json_w_end(&w);
	json_w_key(&w, "securityContext");
	json_w_obj(&w);
	json_w_key(&w, "allowPrivilegeEscalation");
	json_w_bool(&w, false);
	json_w_key(&w, "readOnlyRootFilesystem");
	json_w_bool(&w, true);
	json_w_key(&w, "capabilities");
	json_w_obj(&w);
	json_w_key(&w, "drop");
	json_w_arr(&w);
	json_w_str(&w, "ALL");
	json_w_end(&w);
	json_w_end(&w);
	json_w_end(&w);
	json_w_end(&w);
	json_w_end(&w);
	json_w_end(&w);
	json_w_end(&w);
	json_w_finish(&w);
	fclose(f);
	*len = n;
	return out;
}

enum probe_outcome dp_outcome(const char *tcp, const char *http, int *status)
{
	*status = 0;
	if (!strcmp(tcp, "refused"))
		return PO_REFUSED;
	if (!strcmp(tcp, "timeout"))
		return PO_TIMEOUT;
	if (!strcmp(tcp, "unreachable"))
		return PO_UNREACHABLE;
	if (strcmp(tcp, "ok") && strcmp(tcp, "-"))
		return PO_PROBE_FAILED;
	if (http[0] >= '1' && http[0] <= '5' && strlen(http) == 3 &&
	    http[1] >= '0' && http[1] <= '9' && http[2] >= '0' && http[2] <= '9') {
		*status = (http[0] - '0') * 100 + (http[1] - '0') * 10 + (http[2] - '0');
		return *status >= 500 ? PO_HTTP_ERROR : PO_OK;
	}
	if (!strcmp(http, "refused"))
		return PO_REFUSED;
	if (!strcmp(http, "timeout"))   /* nc connected first: the app is silent */
		return strcmp(tcp, "ok") ? PO_TIMEOUT : PO_NO_ANSWER;
	if (!strcmp(http, "unreachable"))
		return PO_UNREACHABLE;
	if (!strcmp(http, "reset"))
		return PO_RESET;
	if (!strcmp(http, "not-http"))
		return PO_NOT_HTTP;
	return PO_PROBE_FAILED;
}

/* Where the free text "msg=" starts in a line (a field at a token start), or end. */
static const char *msg_start(const char *line, const char *end)
{
	for (const char *p = line; p + 4 <= end; p++)
		if ((p == line || p[-1] == ' ') && !memcmp(p, "msg=", 4))
			return p;
	return end;
}

/*
 * The value of "key=" among the space-separated fields before "msg=" (or,
 * for "msg=", the rest of the line), copied into out.
 */
static bool field(const char *line, const char *end, const char *key, char *out, size_t cap)
{
	const char *m = msg_start(line, end), *v = NULL, *e;
	size_t kl = strlen(key), n;

	if (!strcmp(key, "msg=")) {
		if (m == end)
			return false;
		v = m + 4;
		e = end;
	} else {
		for (const char *p = line; p + kl <= m; p++) {
			if ((p == line || p[-1] == ' ') && !memcmp(p, key, kl)) {
				v = p + kl;
				break;
			}
		}
		if (!v)
			return false;
		for (e = v; e < m && *e != ' '; e++)
			;
	}
	n = (size_t)(e - v);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, v, n);
	out[n] = '\0';
	return true;
}

size_t dp_parse_log(const char *log, size_t len, const struct probe_plan *plan,
		    struct probe_result *res, bool *ended)
{
	const char *p = log, *end = log + len;
	bool *seen = xcalloc(plan->n ? plan->n : 1, sizeof(*seen));
	size_t filled = 0;

	*ended = false;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		char tcp[16], http[16], ms[24], msg[200];

		if (le > p && le[-1] == '\r')
			le--;
		if ((size_t)(le - p) >= 11 && !memcmp(p, "IDPROBE-END", 11)) {
			*ended = true;
		} else if (le - p > 8 && !memcmp(p, "IDPROBE ", 8)) {
			const char *q = p + 8;
			size_t idx = 0;
			bool digits = false;
			while (q < le && *q >= '0' && *q <= '9' && idx < (size_t)1 << 40) {
				idx = idx * 10 + (size_t)(*q - '0');
				digits = true;
				q++;
			}
			if (digits && q < le && *q == ' ' && idx < plan->n &&
			    field(q + 1, le, "tcp=", tcp, sizeof(tcp)) &&
			    field(q + 1, le, "http=", http, sizeof(http))) {
				struct probe_result *r = &res[idx];
				int status;
				if (!field(q + 1, le, "msg=", msg, sizeof(msg)))
					msg[0] = '\0';
				r->outcome = dp_outcome(tcp, http, &status);
				r->http_status = status;
				/* no nc: wget's timeout covers the connect and the answer */
				r->connect_unknown = r->outcome == PO_TIMEOUT && !strcmp(tcp, "-");
				r->ms = -1;
				if (field(q + 1, le, "ms=", ms, sizeof(ms))) {
					char *e;
					double v = strtod(ms, &e);
					if (e != ms && !*e && v >= 0)
						r->ms = v;
				}
				for (char *c = msg; *c; c++)
					if ((unsigned char)*c < 0x20 || *c == 0x7f)
						*c = ' ';
				if (msg[0])
					snprintf(r->detail, sizeof(r->detail), "%s", msg);
				else if (status)
					snprintf(r->detail, sizeof(r->detail), "HTTP %d", status);
				else
					snprintf(r->detail, sizeof(r->detail), "tcp %s, http %s",
						 tcp, http);
				/* a target reported twice (a restarted script) counts once */
				filled += !seen[idx];
				seen[idx] = true;
			}
		}
		p = nl ? nl + 1 : end;
	}
	free(seen);
	return filled;
}
