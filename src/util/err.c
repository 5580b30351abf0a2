/*
 * err: recording and prefixing error messages (see err.h).
 */
#include "err.h"

#include <stdio.h>
#include <string.h>

int err_vset(struct err *e, int code, const char *fmt, va_list ap)
{
	if (!e)
		return -1;
	e->code = code;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return -1;
}

int err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(e, code, fmt, ap);
	va_end(ap);
	return -1;
}

void err_prefix(struct err *e, const char *fmt, ...)
{
	char pre[512], old[sizeof(e->msg)];
	size_t pl, ol, room;
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	/* "pre: old", cut to fit, always NUL-terminated */
	pl = strlen(pre);
	if (pl > sizeof(e->msg) - 3)
		pl = sizeof(e->msg) - 3;
	memcpy(e->msg, pre, pl);
	memcpy(e->msg + pl, ": ", 2);
	room = sizeof(e->msg) - pl - 3;
	ol = strnlen(old, sizeof(old));
	if (ol > room)
		ol = room;
	memcpy(e->msg + pl + 2, old, ol);
	e->msg[pl + 2 + ol] = '\0';
}

void err_clear(struct err *e)
{
	e->code = 0;
	e->msg[0] = '\0';
}
