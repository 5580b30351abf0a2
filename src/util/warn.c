/*
 * warn: bounded list of input warnings (see warn.h).
 */
#include "warn.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void warnings_init(struct warnings *w)
{
	w->n = w->total = 0;
}

void warnings_release(struct warnings *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->msg[i]);
	w->n = w->total = 0;
}

void warn_add(struct warnings *w, const char *fmt, ...)
{
	va_list ap;
	char tmp[1024];

	if (!w)
		return;
	w->total++;
	if (w->n >= WARN_KEEP)
		return;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	w->msg[w->n++] = xstrdup(tmp);
}

void warnings_print(const struct warnings *w, FILE *f)
{
	for (size_t i = 0; i < w->n; i++)
		fprintf(f, "warning: %s\n", w->msg[i]);
	if (w->total > w->n)
		fprintf(f, "warning: ... and %zu more warnings\n", w->total - w->n);
}
