/*
 * logline_int: parsers shared between logline.c (dispatch, access text
 * lines) and logline_err.c (error log, klog, JSON lines). Private to
 * src/logs/.
 */
#ifndef ID_LOGS_LOGLINE_INT_H
#define ID_LOGS_LOGLINE_INT_H

#include "logline.h"

/* Each returns true and fills its part of *out when b is of that format. */
bool ll_parse_error(struct ll_str b, struct log_line *out);
bool ll_parse_klog(struct ll_str b, struct log_line *out);
bool ll_parse_json(struct ll_str b, struct log_line *out);

/*
 * The first lit[0..litn) (litn > 0) in p[0..n), or NULL: memmem for short
 * haystacks and needles, cheaper (memchr on the needle's first byte that is
 * not a space, then memcmp).
 */
const char *ll_find(const char *p, size_t n, const char *lit, size_t litn);

/* End of a quoted field starting after its opening '"' (backslash-aware). */
const char *ll_quote_end(const char *p, const char *end);

static inline bool ll_digit(char c)
{
	return c >= '0' && c <= '9';
}

#endif
