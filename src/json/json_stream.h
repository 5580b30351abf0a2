/*
 * json_stream: streamed reading of big JSON inputs.
 *
 * A snapshot can be a 1 GB kubectl "List". Holding its DOM would cost
 * several times the file; instead the stream reads the input through a
 * bounded window and hands over one item of the top-level "items" array at
 * a time, parsed into a DOM that lives only during the callback (the
 * arena is reset between items). Memory is bounded by the largest single
 * item, not by the file.
 *
 * The input may hold several top-level documents one after another
 * (concatenated JSON, as `kubectl cluster-info dump` prints to stdout).
 * With JSON_STREAM_SKIP_LOG_BLOCKS, text between documents of the form
 *   ==== START logs for container C of pod NS/P ====
 *   ...
 *   ==== END logs for container C of pod NS/P ====
 * is skipped.
 *
 * For each top-level document:
 *   - an object with an "items" array: item() once per element
 *     (in_list = true), then end() with the envelope: the object's other
 *     members (kind, apiVersion, metadata), items left out;
 *   - anything else: item() once with the whole document (in_list = false).
 *
 * Errors: a syntax error stops the stream with ERR_INPUT and
 * "NAME:LINE:COL: message" (line/col exact also for streamed input).
 * A callback returning -1 stops the stream and its err is passed through.
 */
#ifndef ID_JSON_STREAM_H
#define ID_JSON_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "json.h"
#include "../util/err.h"

struct json_item {
	const struct json *value;
	bool in_list;              /* an element of a top-level "items" array */
	size_t index;              /* its index there */
	size_t doc;                /* 0-based index of the top-level document */
	/* The enclosing list's "kind"/"apiVersion" when they came before
	 * "items" in the document, else NULL (kubectl sorts keys, so a
	 * generic List names its kind after the items). */
	const char *list_kind;
	const char *list_api_version;
	unsigned line;             /* 1-based line where the value starts, 0 if not tracked */
};

typedef int (*json_item_fn)(void *ctx, const struct json_item *it, struct err *err);
typedef int (*json_end_fn)(void *ctx, const struct json *envelope, size_t doc,
			   struct err *err);

#define JSON_STREAM_SKIP_LOG_BLOCKS 0x01

/* Largest single item accepted (a bigger one is an input error). */
#define JSON_STREAM_MAX_ITEM (512u << 20)

/*
 * Stream the JSON text readable from fd (a file or a pipe). name is used
 * in messages. end may be NULL. Returns 0 or -1.
 */
int json_stream_fd(int fd, const char *name, unsigned flags, json_item_fn item,
		   json_end_fn end, void *ctx, struct err *err);

/* The same over a buffer already in memory (buf is modified). */
int json_stream_buf(char *buf, size_t len, const char *name, unsigned flags,
		    json_item_fn item, json_end_fn end, void *ctx, struct err *err);

/*
 * Test hook (added by H1): the initial window size in bytes for
 * json_stream_fd() (0 restores the default of 4 MiB). Tiny windows make
 * every item cross a window boundary.
 */
void json_stream_set_window(size_t bytes);

#endif
