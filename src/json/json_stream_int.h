/*
 * json_stream_int.h: private to src/json/json_stream*.c. The state of a
 * stream, shared by the tokenizer (json_stream.c) and the read-ahead and
 * pipeline (json_stream_pipe.c), and what each file calls in the other.
 */
#ifndef ID_JSON_STREAM_INT_H
#define ID_JSON_STREAM_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "json_stream.h"

/*
 * Read-ahead: the helper reads want bytes (fewer at end of file) into
 * buf[head..) whenever busy is set, then clears it. The caller touches buf
 * only while busy is false. Used for regular files only, where a read
 * never blocks for long, so the helper can always be joined. In a
 * pipeline the helper is the callbacks' thread (pipe_consume()), and mu/cv
 * are the pipeline's.
 */
struct ahead {
	pthread_t thread;
	pthread_mutex_t own_mu;
	pthread_cond_t own_cv;
	pthread_mutex_t *mu;
	pthread_cond_t *cv;
	int fd;
	char *buf;               /* the buffer not holding the window */
	size_t cap, head, want;
	size_t got;              /* result of the last request */
	bool eof;
	int err_no;
	bool busy, quit;
	bool taken;              /* a thread is serving the request */
	bool shared;             /* pipeline: either thread may serve it */
};

struct pipe;

struct stream {
	int fd;                  /* -1: the whole input is in buf */
	struct ahead *ahead;     /* NULL: fill() reads fd itself */
	struct pipe *pipe;       /* NULL: callbacks are called from the parsing thread */
	const char *name;
	unsigned flags;
	json_item_fn item;
	json_end_fn end;
	void *ctx;
	struct err *err;

	char *buf;
	size_t cap, len, pos;
	bool eof;
	unsigned line;
	long long ls;            /* offset of the current line's start in buf */
	unsigned pflags;         /* flags for json_parse_lines() */

	struct arena a;          /* one item (reset after each) */
	struct arena env;        /* the current document's envelope */
	struct json_member *mem; /* envelope members */
	size_t nmem, cmem;
};

/* json_stream.c */

/* Set an ERR_INPUT "NAME:LINE:COL: message" error at offset off of buf; -1. */
__attribute__((format(printf, 3, 4)))
int js_serr(struct stream *S, size_t off, const char *fmt, ...);
/* Run the stream S (callbacks or pipeline events); 0 or -1 (err set). */
int js_stream(struct stream *S);

/* json_stream_pipe.c */

/* Start reading ahead from fd in a helper thread; false if no thread. */
bool js_ahead_start(struct stream *S, struct ahead *A);
/* Wait for the pending read, stop and join the helper, free A's buffer. */
void js_ahead_stop(struct ahead *A);
/*
 * Run S (a regular file, S->buf allocated) in a parser thread, and its
 * callbacks and reads here; *rc is the result. -1 if no thread.
 */
int js_pipe_stream(struct stream *S, struct ahead *A, int *rc);
/* Queue the current batch and wait until the caller has run every event. */
int js_pipe_sync(struct stream *S);
/* In a pipeline: queue item it (its value in js_pipe_arena()); 0 or -1. */
int js_pipe_item(struct stream *S, const struct json_item *it);
/* In a pipeline: queue the end of document doc with its envelope. */
void js_pipe_end(struct stream *S, size_t doc, const struct json *envelope);
/* In a pipeline: the arena an item's DOM is parsed into. */
struct arena *js_pipe_arena(struct stream *S);
/* fill() with read-ahead (S->ahead set, not at end of input). */
int js_fill_ahead(struct stream *S);

#endif
