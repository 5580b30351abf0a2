/*
 * buf: growable byte buffer with a hard maximum (after curl's dynbuf).
 *
 * Always NUL-terminated once anything was added; b->p is NULL before.
 * Every buffer has a maximum size: an append that would pass it fails
 * with -1 and leaves the buffer as it was, so a runaway or hostile input
 * cannot grow memory without bound.
 *
 *   struct buf b;
 *   buf_init(&b, 1 << 20);
 *   if (buf_addf(&b, "%d", 42) < 0) ...too big...
 *   puts(b.p);
 *   buf_release(&b);
 */
#ifndef ID_BUF_H
#define ID_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *p;
	size_t len, cap, max;
};

/* max 0 means SIZE_MAX / 2. */
void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
/* Empty the buffer, keep its memory. */
void buf_reset(struct buf *b);
int buf_add(struct buf *b, const char *s);
int buf_addn(struct buf *b, const void *s, size_t n);
int buf_addc(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Hand the malloc'ed string to the caller ("" if empty); buffer is reset. */
char *buf_detach(struct buf *b);

#endif
