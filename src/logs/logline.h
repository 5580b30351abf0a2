/*
 * logline: one ingress controller log line -> a struct of slices.
 *
 * Recognised (shared/reference/nginx-502.md):
 *   - the ingress-nginx "upstreaminfo" access format, current and older
 *     layouts (leading `IP - [IP] - `, no alternative upstream, no req_id),
 *     and any CLF-like line without upstream fields (combined format);
 *   - JSON access lines (log-format-escape-json, custom keys: keys holding
 *     "upstream" with "status"/"addr"/"time"/"length"/"name", "status",
 *     "time*"/"timestamp", "request"/"method");
 *   - nginx error-log lines at every level, with the errno number, the
 *     action ("while ..."), the upstream peer and the request;
 *   - klog lines of the controller itself (I1127 10:00:00.000000 ...]).
 * Prefixes are stripped first, in any order: `kubectl logs --prefix`
 * ("[pod/NAME/CONTAINER] "), `--timestamps` (RFC 3339 + space) and the CRI
 * header ("2024-03-26T16:21:04.076718973+01:00 stderr F "). A trailing CR
 * is ignored. Partial CRI lines ("... stdout P ...") are rejoined with
 * their continuation before parsing (log_stats_line, ll_cri_split).
 *
 * Parsing never allocates and never fails: slices point into the line, a
 * line that fits no format is LL_UNKNOWN. Only what the analysis needs is
 * picked out, so a line costs a few memchr calls.
 */
#ifndef ID_LOGS_LOGLINE_H
#define ID_LOGS_LOGLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A slice of the line; n == 0 means absent. */
struct ll_str {
	const char *p;
	size_t n;
};

enum ll_kind {
	LL_EMPTY = 0,      /* blank (after prefixes) */
	LL_ACCESS,         /* access log line (text or JSON) */
	LL_ERROR,          /* nginx error log line */
	LL_CONTROLLER,     /* klog line of the controller process */
	LL_UNKNOWN,
};

/* nginx error levels, in ngx_log.c's order. */
enum ll_level {
	LV_EMERG = 0, LV_ALERT, LV_CRIT, LV_ERROR, LV_WARN, LV_NOTICE, LV_INFO, LV_DEBUG,
	LV__COUNT,
};

const char *ll_level_name(int level);   /* "error" ... */

struct ll_access {
	int status;                /* what the client got; 0 when not a number */
	bool json;                 /* a JSON line */
	bool upstream_fields;      /* the line has upstream fields (upstreaminfo) */
	struct ll_str time;        /* "17/Apr/2023:20:24:55 +0000" or RFC 3339 (JSON) */
	struct ll_str request;     /* "GET /x HTTP/1.1" (raw, escapes kept) */
	struct ll_str method;      /* "GET" */
	struct ll_str upstream;    /* $proxy_upstream_name, without brackets */
	struct ll_str addr;        /* $upstream_addr list, raw */
	struct ll_str ustatus;     /* $upstream_status list */
	struct ll_str utime;       /* $upstream_response_time list */
	struct ll_str ulen;        /* $upstream_response_length list */
	/*
	 * addr, ustatus, utime and ulen each hold at most one item, the whole
	 * list (what ll_iter_next would return alone): the walk can be skipped
	 */
	bool single;
};

struct ll_error {
	int level;                 /* enum ll_level */
	struct ll_str time;        /* "2023/04/17 20:24:55" */
	long long cid;             /* *CID, -1 when absent */
	struct ll_str msg;         /* the message, up to ", client: " or the end */
	int err_no;                /* the "(N: text)" number, -1 when none */
	struct ll_str action;      /* "connecting to upstream" (after " while ") */
	struct ll_str peer;        /* "10.1.2.3:80" from upstream: "http://10.1.2.3:80/x" */
	struct ll_str scheme;      /* "http" / "https" / "grpc" / "grpcs" */
	struct ll_str request;     /* from request: "..." */
	struct ll_str upstream;    /* Lua "balancer: NAME" (no peer was returned) */
	int cls;                   /* enum log_class (classify.h), set by logline_parse */
};

enum ll_ctl_fact {
	CTL_NONE = 0,
	CTL_NO_ENDPOINTS,          /* Service "ns/name" does not have any active Endpoint */
	CTL_ENDPOINTS_ERROR,       /* Error obtaining Endpoints for Service "ns/name" */
	CTL_RELOAD_FAILED,         /* Dynamic reconfiguration failed / reload error */
	CTL_RELOAD_OK,             /* Dynamic reconfiguration succeeded */
};

struct ll_klog {
	char sev;                  /* 'I' 'W' 'E' 'F' */
	struct ll_str time;        /* "1127 10:00:00.000000" (MMDD, no year) */
	struct ll_str msg;         /* after "] " */
	int fact;                  /* enum ll_ctl_fact */
	struct ll_str service;     /* "ns/name" for CTL_NO_ENDPOINTS / CTL_ENDPOINTS_ERROR */
};

struct log_line {
	enum ll_kind kind;
	struct ll_str pod;         /* from kubectl --prefix: "pod/NAME/CONTAINER" */
	struct ll_str body;        /* the line after the prefixes, without CR */
	struct ll_access a;        /* LL_ACCESS */
	struct ll_error e;         /* LL_ERROR */
	struct ll_klog k;          /* LL_CONTROLLER */
};

/*
 * Parse line p[0..n) (no '\n'). Fills kind, pod, body and the part of the
 * kind (a, e or k); the parts of other kinds are left as they were, except
 * a (zeroed unless LL_ACCESS) and e.cls / k.fact (zero unless set).
 */
void logline_parse(const char *p, size_t n, struct log_line *out);

/*
 * A line of a kubelet container log file (CRI format, Kubernetes
 * pkg/kubelet/kuberuntime/logs): "<RFC3339Nano> <stdout|stderr> <tags>
 * <content>", tags split on ':', the first "P" (a partial line: the
 * runtime split a long line, the next line of the same stream continues
 * it) or "F" (full, or the last part). Returns 'P' or 'F' and sets *stream
 * (0 stdout, 1 stderr) and *content; 0 when p[0..n) is not such a line.
 */
int ll_cri_split(const char *p, size_t n, int *stream, struct ll_str *content);

/* Strip the prefixes and the CR; returns the body (and the pod slice). */
struct ll_str logline_strip(const char *p, size_t n, struct ll_str *pod);

/*
 * Walk a multi-attempt list ("10.0.0.1:80, 10.0.0.2:80 : 10.0.0.3:80").
 * Items are split on ", " (attempts in one upstream group) and " : "
 * (a switch of group); *group is set when " : " came before the item.
 */
struct ll_iter {
	const char *p, *end;
};

void ll_iter_init(struct ll_iter *it, struct ll_str list);
bool ll_iter_next(struct ll_iter *it, struct ll_str *item, bool *group);

/* Helpers shared by the analysis. */
int ll_int(struct ll_str s);                /* decimal; -1 when not all digits */
/* Seconds with up to 3 decimals ("0.016") in milliseconds; -1 for "-" or junk. */
long ll_msec(struct ll_str s);
bool ll_eq(struct ll_str s, const char *lit);

/*
 * Times in whole minutes since the epoch (UTC), -1 when unparsable:
 * $time_local ("17/Apr/2023:20:24:55 +0000", zone applied), the error log
 * ("2023/04/17 20:24:55", taken as UTC: nginx writes local time without a
 * zone, and containers run in UTC), RFC 3339.
 */
int64_t ll_minute_clf(struct ll_str s);
int64_t ll_minute_errlog(struct ll_str s);
int64_t ll_minute_any(struct ll_str s);

/*
 * klog times have no year ("1128 05:31:25.123456", struct ll_klog.time):
 * ll_klog_mdhm() packs month, day, hour and minute as MMDDhhmm (-1 when
 * unparsable); ll_minute_mdhm() places that in the year that puts it
 * nearest to ref (minutes since the epoch of a dated line of the same
 * log), so "0101 00:02" next to 2025-12-31 23:59 is 2026-01-01. -1 when
 * mdhm or ref is -1. Feb 29 goes to the nearest leap year.
 */
int ll_klog_mdhm(struct ll_str s);
int64_t ll_minute_mdhm(int mdhm, int64_t ref);

#endif
