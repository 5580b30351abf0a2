/*
 * warn: non-fatal problems found while reading input.
 *
 * A field of the wrong type, an unknown kind, a file that is not a
 * Kubernetes object: the diagnosis goes on, and the user is told where
 * ("dump/pods.json:1204:17: Pod shop/api-1: spec.containers[0].ports[0]
 * .containerPort: expected an integer, got a string"). The list keeps the
 * first WARN_KEEP messages and counts the rest, so a 2 GB file of junk
 * cannot flood memory or the terminal.
 */
#ifndef ID_WARN_H
#define ID_WARN_H

#include <stddef.h>
#include <stdio.h>

#define WARN_KEEP 50

struct warnings {
	char *msg[WARN_KEEP];
	size_t n;        /* messages kept */
	size_t total;    /* messages reported, kept or not */
};

void warnings_init(struct warnings *w);
void warnings_release(struct warnings *w);
/* Record one warning (printf format, no trailing newline). */
void warn_add(struct warnings *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print "warning: <msg>" lines, then "... and N more" if any were dropped. */
void warnings_print(const struct warnings *w, FILE *f);

#endif
