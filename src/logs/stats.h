/*
 * stats: what a set of ingress controller log lines adds up to.
 *
 * Per upstream ($proxy_upstream_name, "<namespace>-<service>-<port>") and
 * per upstream address (pod IP:port): requests or attempts, status counts,
 * failed attempts, the error classes behind them (classify.h), a sample
 * line per class, attempt times; a per-minute timeline of 502/503/504
 * (in all and per upstream); controller (klog) facts such as Services
 * without active endpoints; counts of unknown and too long lines with the
 * first few kept.
 *
 * Memory is flat in the input size: one entry per distinct upstream,
 * address, minute and Service. Scanners (scan.h) feed lines; two halves
 * of a file are counted in two log_stats and merged. The structs are
 * public so a later join with the cluster model (upstream -> Service,
 * address -> pod) can walk them.
 */
#ifndef ID_LOGS_STATS_H
#define ID_LOGS_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"
#include "classify.h"
#include "logline.h"

#define LS_SAMPLES 5          /* unknown lines kept */
#define LS_SAMPLE_MAX 400     /* bytes of a sample line kept */

struct ls_sample {
	const char *file;         /* as given ("-" for stdin) */
	uint64_t line;            /* 1-based */
	const char *text;         /* truncated to LS_SAMPLE_MAX */
};

/* An open-addressing table of pointers, keyed by a hash (internal). */
struct ls_table {
	void **slot;
	size_t nslot, n;
};

struct ls_minute {
	int64_t minute;           /* minutes since the epoch, UTC */
	uint64_t s502, s503, s504;
	/* controller (klog) lines of that minute, once their year is known */
	uint64_t noep;            /* "does not have any active Endpoint" */
	uint64_t reload_failed;   /* failed reconfigurations */
	uint64_t ctl_errors;      /* other E and F lines */
};

/*
 * Attempt times ($upstream_response_time) in buckets: 0..7 ms one each,
 * then four per power of two (8-9, 10-11, 12-13, 14-15, 16-19, ...), so
 * neighbours differ by at most 25%; the last bucket (from 114,688 ms) is
 * open. ls_tbucket_max() is a bucket's highest ms.
 */
#define LS_TBUCKETS 64

static inline unsigned ls_tbucket(long ms)
{
	unsigned e;

	if (ms < 8)
		return ms < 0 ? 0 : (unsigned)ms;
	e = 63 - (unsigned)__builtin_clzll((unsigned long long)ms);   /* floor(log2(ms)) */
	e = 8 + (e - 3) * 4 + (unsigned)((ms >> (e - 2)) & 3);
	return e < LS_TBUCKETS ? e : LS_TBUCKETS - 1;
}

static inline long ls_tbucket_max(unsigned b)
{
	unsigned e = (b - 8) / 4 + 3;

	if (b < 8)
		return (long)b;
	return ((long)(4 + (b - 8) % 4) << (e - 2)) + (1L << (e - 2)) - 1;
}

struct ls_upstream {
	/* the fields most lines touch first, the histograms and samples last */
	uint64_t hash;
	const char *name;         /* "" when the line had none */
	uint64_t requests;        /* access lines naming it */
	uint64_t status[6];       /* [1..5] = 1xx..5xx, [0] other */
	uint64_t s499, s502, s503, s504;
	uint64_t attempts;        /* upstream attempts (one line may hold several) */
	uint64_t failed;          /* attempts that got no response (502/504, length 0) */
	/*
	 * Failed attempts whose retry went to the same address and was answered
	 * no slower than the failure took (1 ms, the log's resolution, of slack):
	 * the peer was alive, the connection was not (keep-alive race evidence).
	 */
	uint64_t same_retry;
	uint64_t timed_ok;        /* answers in t_ok: the first 1024, then of 1 request in 8 */
	uint64_t nonidem;         /* final 502 without response on POST/PATCH/LOCK (not retried) */
	uint64_t slow_ms;         /* longest failed attempt, ms */
	struct ls_minute *last_minute;  /* the entry of minutes used last */
	uint64_t cls[LC__COUNT];  /* access classes, and error classes once attributed */
	uint64_t t_ok[LS_TBUCKETS];   /* answered attempts per time bucket (ls_tbucket) */
	uint64_t t_fail[LS_TBUCKETS]; /* failed attempts per time bucket */
	struct ls_table minutes;  /* its own per-minute 502/503/504 (struct ls_minute) */
	struct ls_minute **timeline;  /* after log_stats_finish(): by minute */
	size_t ntimeline;
	struct ls_sample sample[LC__COUNT];
};

struct ls_addr {
	const char *addr;         /* "10.244.0.21:8080" */
	const char *upstream;     /* first upstream name seen with it, NULL if none */
	uint64_t attempts;        /* access-log attempts */
	uint64_t failed;          /* of them without response */
	uint64_t s502, s503, s504;  /* attempt statuses */
	uint64_t cls[LC__COUNT];  /* error-log classes for this peer */
	struct ls_sample sample[LC__COUNT];
	uint64_t hash;
};

struct ls_service {
	const char *service;      /* "ns/name" from the controller's klog */
	uint64_t no_endpoints;    /* "does not have any active Endpoint" lines */
	uint64_t errors;          /* "Error obtaining Endpoints" lines */
	struct ls_sample sample;
	uint64_t hash;
};

/* A CRI partial line being rejoined (one per stream, stdout and stderr). */
struct ls_cri {
	char *buf;                /* the parts so far (at most LS_CRI_MAX bytes kept) */
	size_t len, cap;
	size_t total;             /* bytes of all parts, kept or not */
	const char *file;         /* of the first part */
	uint64_t line;
	bool pending;
};

#define LS_CRI_MAX (2u << 20)     /* longest rejoined line parsed (= LOG_LINE_MAX) */

struct log_stats {
	struct arena arena;
	uint64_t lines, empty, access, errors, controller, unknown, too_long;
	uint64_t json_access;
	uint64_t cri_parts;               /* CRI partial lines rejoined with what followed */
	struct ls_cri cri[2];             /* stdout, stderr */
	uint64_t requests;                /* access lines */
	uint64_t status[600];             /* client status; others in [0] */
	uint64_t level[LV__COUNT];        /* error lines per level */
	uint64_t klog[4];                 /* I W E F */
	uint64_t reload_failed, reload_ok;
	uint64_t cls[LC__COUNT];          /* every class, however attributed */
	struct ls_sample cls_sample[LC__COUNT];
	uint64_t unattributed;            /* error-class lines naming no peer */
	struct ls_sample unknown_sample[LS_SAMPLES];
	size_t nunknown_sample;
	struct ls_table upstreams, addrs, minutes, errminutes, services;
	/*
	 * klog lines by their year-less time (minute = MMDDhhmm, ll_klog_mdhm),
	 * placed on the timeline by log_stats_finish() in the year nearest to
	 * ref_minute, the earliest dated 502/503/504 line; klog_undated counts
	 * those that could not be (no such line).
	 */
	struct ls_table kminutes;
	struct ls_minute *last_minute;    /* the entry of minutes used last */
	int64_t ref_minute;
	bool have_ref;
	uint64_t klog_undated;
	/* after log_stats_finish(): sorted views */
	struct ls_upstream **up_sorted;   /* by 5xx desc, requests desc, name */
	size_t nup;
	struct ls_addr **addr_sorted;     /* by failures desc, attempts desc, address */
	size_t naddr;
	struct ls_minute **timeline;      /* by minute; from error lines when no access line */
	size_t ntimeline;
	bool timeline_from_errors;
	struct ls_service **svc_sorted;
	size_t nsvc;
};

void log_stats_init(struct log_stats *s);
void log_stats_release(struct log_stats *s);

/*
 * Parse and count one line (no '\n'); file/lineno are for samples. A CRI
 * partial line ("<time> stdout P <text>") is held until the next line of
 * its stream that is not partial, and the parts are parsed as one line
 * (cited by the first part's number); every physical line counts in lines.
 */
void log_stats_line(struct log_stats *s, const char *p, size_t n, const char *file,
		    uint64_t lineno);
/* End of an input: parse what CRI partial lines are still held, as they are. */
void log_stats_flush(struct log_stats *s);
/* A line longer than the scanner's maximum: counted, a head kept as a sample. */
void log_stats_too_long(struct log_stats *s, const char *head, size_t n, const char *file,
			uint64_t lineno);

/*
 * Add src into dst. src's line numbers are shifted by line_offset (when
 * src counted the second half of a file). Samples of dst come first.
 */
void log_stats_merge(struct log_stats *dst, const struct log_stats *src, uint64_t line_offset);

/*
 * Parse CRI parts still held (log_stats_flush), place klog lines on the
 * timeline, attribute error-log classes (per address) to upstreams; build
 * sorted views.
 */
void log_stats_finish(struct log_stats *s);

/* Lookups (NULL when absent). */
struct ls_upstream *log_stats_upstream(const struct log_stats *s, const char *name, size_t n);
struct ls_addr *log_stats_addr(const struct log_stats *s, const char *addr, size_t n);

/* 5xx of an upstream: status[5]. */
static inline uint64_t ls_5xx(const struct ls_upstream *u)
{
	return u->status[5];
}

#endif
