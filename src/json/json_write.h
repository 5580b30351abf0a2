/*
 * json_write: streaming JSON writer for reports and snapshots.
 *
 * Writes to a stdio stream with correct escaping (control characters as
 * \u00XX, '"' and '\\' escaped, other bytes passed through), optional
 * indentation, and commas placed automatically. Nesting is tracked so
 * json_w_key()/value calls need no bookkeeping from the caller.
 *
 *   struct json_w w;
 *   json_w_init(&w, stdout, 2);
 *   json_w_obj(&w);
 *     json_w_key(&w, "id"); json_w_str(&w, "pod-crashloop");
 *     json_w_key(&w, "n");  json_w_int(&w, 3);
 *   json_w_end(&w);
 *   json_w_finish(&w);     // newline, flush; returns -1 on I/O error
 *
 * One thread per stream: the writer uses unlocked stdio (putc_unlocked).
 */
#ifndef ID_JSON_WRITE_H
#define ID_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"

#define JSON_W_MAX_DEPTH 64

struct json_w {
	FILE *f;
	int indent;                     /* spaces per level; 0 = compact */
	int depth;
	bool first[JSON_W_MAX_DEPTH];   /* no member/item written yet at this level */
	bool after_key;
	uint64_t is_arr;                /* bit d: level d is an array (added by H1) */
};

void json_w_init(struct json_w *w, FILE *f, int indent);
void json_w_obj(struct json_w *w);      /* { */
void json_w_arr(struct json_w *w);      /* [ */
void json_w_end(struct json_w *w);      /* } or ] */
void json_w_key(struct json_w *w, const char *key);
void json_w_str(struct json_w *w, const char *s);       /* NULL writes null */
void json_w_strn(struct json_w *w, const char *s, size_t n);
void json_w_int(struct json_w *w, int64_t v);
void json_w_double(struct json_w *w, double v);
void json_w_bool(struct json_w *w, bool v);
void json_w_null(struct json_w *w);
/* Write a DOM value (as parsed) verbatim in structure. */
void json_w_value(struct json_w *w, const struct json *v);
/* Terminate with a newline and flush; -1 if the stream had an error. */
int json_w_finish(struct json_w *w);

#endif
