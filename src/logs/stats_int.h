/*
 * stats_int: the tables behind struct log_stats, shared by stats.c
 * (tables, merge, finish) and tally.c (counting one parsed line).
 * Private to src/logs/.
 */
#ifndef ID_LOGS_STATS_INT_H
#define ID_LOGS_STATS_INT_H

#include "stats.h"

uint64_t ls_hash(const char *p, size_t n);

/*
 * The entry for a key, created when new. Keys that are not printable ASCII
 * are junk: upstreams map to "?", addresses and services to NULL.
 */
struct ls_upstream *ls_get_upstream(struct log_stats *s, const char *name, size_t n);
struct ls_addr *ls_get_addr(struct log_stats *s, const char *addr, size_t n);
/* t is &s->minutes or &s->errminutes */
struct ls_minute *ls_get_minute(struct log_stats *s, struct ls_table *t, int64_t minute);
struct ls_service *ls_get_service(struct log_stats *s, const char *name, size_t n);

/* Replace control bytes and invalid UTF-8 in t[0..n) by '?', in place. */
void ls_clean(char *t, size_t n);

/* Keep a sample in *sm when it is empty. */
void ls_keep(struct log_stats *s, struct ls_sample *sm, const char *p, size_t n,
	     const char *file, uint64_t line);

#endif
