/*
 * err: the one error idiom of the project.
 *
 * A function that can fail for a reason the user can act on (bad input,
 * I/O, network, credentials) returns int: 0 on success, -1 on failure,
 * and fills a caller-owned struct err:
 *
 *     if (thing_parse(buf, &out, err) < 0)
 *             goto out;                      // err already says why
 *     ...
 *     return err_set(err, ERR_INPUT, "%s:%u:%u: expected ':'", file, l, c);
 *
 * Messages follow git's rules: lower-case start, no full stop, subject
 * first ("dump.json:3:7: ..."). main.c alone maps err->code to the exit
 * status (interface.md): ERR_USAGE and ERR_INPUT -> 2, ERR_CLUSTER -> 3.
 * Messages never contain tokens, keys or certificate material.
 */
#ifndef ID_ERR_H
#define ID_ERR_H

#include <stdarg.h>

enum err_code {
	ERR_NONE = 0,
	ERR_USAGE = 2,   /* bad command line */
	ERR_INPUT = 2,   /* unreadable or invalid input file */
	ERR_CLUSTER = 3, /* cluster unreachable or credentials refused */
	ERR_INTERNAL = 4,
	ERR_INTERRUPTED = 130, /* a signal (Ctrl-C) ended the run, 128 + SIGINT */
};

struct err {
	int code;        /* enum err_code; 0 while nothing failed */
	char msg[1024];
};

#define ERR_INIT { 0, { 0 } }

/* Record an error and return -1. */
int err_set(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int err_vset(struct err *e, int code, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Prefix the current message with "prefix: " (e.g. a file name). */
void err_prefix(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Forget a recorded error. */
void err_clear(struct err *e);

#endif
