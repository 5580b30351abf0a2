/*
 * xalloc: allocation that never returns NULL.
 *
 * Out-of-memory is not an error a user can act on, so these helpers print
 * one line and exit(70) instead of returning NULL. Multiplications are
 * checked for overflow. Every other failure in the project is recoverable
 * and goes through struct err (err.h).
 */
#ifndef ID_XALLOC_H
#define ID_XALLOC_H

#include <stddef.h>

/* malloc(n), never NULL; n == 0 allocates one byte. */
void *xmalloc(size_t n);
/* calloc(nmemb, size) with overflow check, never NULL. */
void *xcalloc(size_t nmemb, size_t size);
/* realloc(p, n), never NULL. */
void *xrealloc(void *p, size_t n);
/* realloc(p, nmemb * size) with overflow check. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
/* strdup / strndup that never fail. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* asprintf that never fails; returns a malloc'ed string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *cap (starting at 8) until it is at least need; realloc *p to it. */
#define XGROW(p, cap, need)                                                   \
	do {                                                                  \
		if ((need) > (cap)) {                                         \
			size_t xg_c = (cap) ? (cap) : 8;                      \
			while (xg_c < (need))                                 \
				xg_c *= 2;                                    \
			(p) = xreallocarray((p), xg_c, sizeof(*(p)));         \
			(cap) = xg_c;                                         \
		}                                                             \
	} while (0)

#endif
