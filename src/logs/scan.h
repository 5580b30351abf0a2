/*
 * scan: read log inputs line by line into struct log_stats.
 *
 * An input is a path, "-" (standard input) or text in memory
 * (log_scan_text). gzip (and zlib) data in a path is recognised by its
 * magic bytes, whatever the name, and inflated as a stream (concatenated
 * members included). Regular uncompressed files are
 * mapped and, when large, split at line boundaries across threads (one
 * log_stats per part, merged in order). Lines are split with memchr;
 * '\r' before '\n' is dropped by the line parser. A line longer than
 * max_line is counted as too long (its head kept as a sample), never
 * buffered whole. A truncated or corrupt gzip stream is a warning, and
 * the lines read before the damage count.
 */
#ifndef ID_LOGS_SCAN_H
#define ID_LOGS_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/err.h"
#include "../util/warn.h"
#include "stats.h"

#define LOG_LINE_MAX (2u << 20)   /* default longest line parsed: 2 MiB */

struct log_scan_opts {
	unsigned threads;          /* 0: the number of online CPUs (at most 8) */
	size_t max_line;           /* 0: LOG_LINE_MAX */
	size_t split_min;          /* files at least this big are split; 0: 16 MiB */
};

struct log_input {
	const char *name;          /* as given; "-" for standard input */
	uint64_t bytes;            /* bytes of log text (after inflating) */
	uint64_t lines;
	bool gzip;
	bool damaged;              /* truncated or corrupt gzip: a warning was added */
};

/*
 * Read one input into s. Returns 0, or -1 with err (ERR_INPUT) when it
 * cannot be opened or read at all; damage after some data (truncated
 * gzip) is a warning in w and returns 0. info may be NULL.
 */
int log_scan_path(const char *path, struct log_stats *s, struct warnings *w,
		  const struct log_scan_opts *o, struct log_input *info, struct err *err);

/*
 * Read one log held in memory (a pod's log fetched from the cluster) into
 * s: lines are parsed as a file's are ('\r' before '\n' dropped, kubectl
 * --prefix/--timestamps and CRI prefixes stripped, a last line without '\n'
 * counted, too-long lines bounded by o->max_line). No gzip detection and
 * no threads; text is only read. name is what samples cite ("NS/POD"); it
 * is copied into s. info may be NULL.
 */
void log_scan_text(const char *name, const char *text, size_t len, struct log_stats *s,
		   const struct log_scan_opts *o, struct log_input *info);

/*
 * Count the lines of buffer p[0..n) into s (a last line without '\n'
 * included); file and the first line number are for samples. Returns the
 * number of lines.
 */
uint64_t log_scan_buffer(struct log_stats *s, const char *p, size_t n, const char *file,
			 uint64_t first_line, size_t max_line);

#endif
