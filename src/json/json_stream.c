/*
 * json_stream: big JSON inputs one item at a time (see json_stream.h).
 *
 * The input is read through a window that starts small and grows only to
 * fit the largest single value. A small tokenizer walks the top level of
 * each document (the List envelope); every item and every envelope member
 * is parsed by json.c. Values are parsed optimistically: if one is cut by
 * the window end, the text is restored (json.c decoded escaped strings
 * into the arena and only replaced closing quotes by NUL), the window is
 * refilled and the value parsed again. Lines are counted by the parser and
 * the tokenizer over all text they consume, so positions stay exact.
 *
 * A regular file is read ahead and parsed in a pipeline (a parser thread,
 * the callbacks on the caller's thread): json_stream_pipe.c.
 */
#include "json_stream.h"
#include "json_stream_int.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/banned.h"

#define DEFAULT_WINDOW (4u << 20)

static size_t window_size = DEFAULT_WINDOW;

void json_stream_set_window(size_t bytes)
{
	window_size = bytes ? bytes : DEFAULT_WINDOW;
}

__attribute__((format(printf, 3, 4)))
int js_serr(struct stream *S, size_t off, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(S->err, ERR_INPUT, "%s:%u:%lld: %s", S->name, S->line,
		       (long long)off - S->ls + 1, msg);
}

/* Read more input: compact the window, grow it if full, read until full. */
static int fill(struct stream *S)
{
	if (S->ahead && !S->eof)
		return js_fill_ahead(S);
	if (S->fd < 0 || S->eof) {
		S->eof = true;
		return 0;
	}
	if (S->pos > 0) {
		memmove(S->buf, S->buf + S->pos, S->len - S->pos);
		S->len -= S->pos;
		S->ls -= (long long)S->pos;
		S->pos = 0;
	}
	if (S->len == S->cap) {
		size_t nc = S->cap * 2;
		if (S->cap >= (size_t)JSON_STREAM_MAX_ITEM + 4096)
			return js_serr(S, S->pos, "a single value is larger than %u MiB",
				       JSON_STREAM_MAX_ITEM >> 20);
		if (nc > (size_t)JSON_STREAM_MAX_ITEM + 4096)
			nc = (size_t)JSON_STREAM_MAX_ITEM + 4096;
		S->buf = xrealloc(S->buf, nc);
		S->cap = nc;
	}
	while (S->len < S->cap) {
		ssize_t r = read(S->fd, S->buf + S->len, S->cap - S->len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return err_set(S->err, ERR_INPUT, "%s: read error: %s", S->name,
				       strerror(errno));
		}
		if (r == 0) {
			S->eof = true;
			break;
		}
		S->len += (size_t)r;
	}
	return 0;
}

/* Make at least one byte available at pos; 0 = ok, 1 = end of input. */
static int more(struct stream *S)
{
	while (S->pos == S->len) {
		if (S->eof)
			return 1;
		if (fill(S) < 0)
			return -1;
	}
	return 0;
}

/* Skip whitespace (across windows). 0, 1 at end of input, -1 error. */
static int skip_ws(struct stream *S)
{
	for (;;) {
		int rc = more(S);
		if (rc)
			return rc;
		while (S->pos < S->len) {
			char c = S->buf[S->pos];
			if (c == '\n') {
				S->line++;
				S->ls = (long long)S->pos + 1;
			} else if (c != ' ' && c != '\t' && c != '\r') {
				return 0;
			}
			S->pos++;
		}
	}
}

static bool is_cut(const struct json_error *e, size_t len)
{
	return e->offset == len && strncmp(e->msg, "unexpected end of input", 23) == 0;
}

/*
 * Parse one value at pos into S->a, or for an item (given to the callback)
 * in a pipeline into the current batch (retrying over refills when the
 * window cut it). 0 ok, -1 error (err set).
 */
static int parse_value(struct stream *S, struct json *out, unsigned depth, bool item)
{
	for (;;) {
		struct json_error e;
		size_t p = S->pos;
		unsigned line = S->line;
		long long ls = S->ls;
		bool batch = item && S->pipe;
		struct arena *a = batch ? js_pipe_arena(S) : &S->a;
		int rc = json_parse_lines(S->buf, S->len, &p, S->pflags | JSON_PF_DEPTH(depth),
					  &line, &ls, a, out, &e);
		bool cut = rc == 1 || (rc == 0 && p == S->len) || (rc < 0 && is_cut(&e, S->len));

		if (cut && !S->eof) {
			/* restore the closing quotes json.c overwrote, then refill */
			for (char *z = S->buf + S->pos, *end = S->buf + S->len;
			     (z = memchr(z, '\0', (size_t)(end - z))) != NULL; z++)
				*z = '"';
			if (!batch)
				arena_reset(&S->a);
			if (fill(S) < 0)
				return -1;
			continue;
		}
		if (rc == 1)
			return js_serr(S, S->len, "unexpected end of input");
		if (rc < 0)
			return err_set(S->err, ERR_INPUT, "%s:%u:%u: %s", S->name, e.line, e.col,
				       e.msg);
		S->pos = p;
		S->line = line;
		S->ls = ls;
		return 0;
	}
}

/* Expect byte c at pos (after whitespace); what names the context. */
static int expect(struct stream *S, char c, const char *what)
{
	int rc = skip_ws(S);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return js_serr(S, S->pos, "unexpected end of input");
	if (S->buf[S->pos] != c) {
		unsigned char b = (unsigned char)S->buf[S->pos];
		if (b >= 0x20 && b < 0x7f)
			return js_serr(S, S->pos, "%s, found '%c'", what, b);
		return js_serr(S, S->pos, "%s, found byte 0x%02x", what, b);
	}
	S->pos++;
	return 0;
}

/*
 * Skip one log block of `kubectl cluster-info dump` if one starts at pos.
 * Returns 0 (skipped or none), -1 on error.
 */
static int skip_log_block(struct stream *S, bool *skipped)
{
	static const char start[] = "==== START logs for container ";
	const size_t sl = sizeof(start) - 1;
	char marker[1024];
	size_t ml, nl;
	unsigned start_line;
	long long start_col;

	*skipped = false;
	while (S->len - S->pos < sl && !S->eof)
		if (fill(S) < 0)
			return -1;
	if (S->len - S->pos < sl || memcmp(S->buf + S->pos, start, sl) != 0)
		return 0;
	/* the START line, whole */
	for (;;) {
		/* at most 512 bytes before the newline (the same in any window) */
		size_t avail = S->len - S->pos;
		char *e = memchr(S->buf + S->pos, '\n', avail < 513 ? avail : 513);
		if (e) {
			nl = (size_t)(e - S->buf);
			break;
		}
		if (avail >= 513 || S->eof)
			return js_serr(S, S->pos, "malformed log block header");
		if (fill(S) < 0)
			return -1;
	}
	/* END marker: "==== END" + the rest of the START line */
	ml = (size_t)snprintf(marker, sizeof(marker), "==== END%.*s",
			      (int)(nl - S->pos - 10), S->buf + S->pos + 10);
	if (ml >= sizeof(marker))
		return js_serr(S, S->pos, "malformed log block header");
	start_line = S->line;
	start_col = (long long)S->pos - S->ls + 1;
	S->line++;
	S->pos = nl + 1;
	S->ls = (long long)S->pos;
	for (;;) {
		char *hit = memmem(S->buf + S->pos, S->len - S->pos, marker, ml);
		size_t upto = hit ? (size_t)(hit - S->buf) + ml
				  : (S->len - S->pos >= ml ? S->len - ml + 1 : S->pos);
		/* count the newlines of the text skipped */
		for (char *z = S->buf + S->pos, *e = S->buf + upto;
		     (z = memchr(z, '\n', (size_t)(e - z))) != NULL; z++) {
			S->line++;
			S->ls = (long long)(z - S->buf) + 1;
		}
		S->pos = upto;
		if (hit)
			break;
		if (S->eof)
			return err_set(S->err, ERR_INPUT, "%s:%u:%lld: log block has no END line",
				       S->name, start_line, start_col);
		if (fill(S) < 0)
			return -1;
	}
	*skipped = true;
	return 0;
}

/* Whitespace and (optionally) log blocks between documents. 1 at end. */
static int skip_between(struct stream *S)
{
	for (;;) {
		bool skipped;
		int rc = skip_ws(S);
		if (rc)
			return rc;
		if (!(S->flags & JSON_STREAM_SKIP_LOG_BLOCKS) || S->buf[S->pos] != '=')
			return 0;
		if (skip_log_block(S, &skipped) < 0)
			return -1;
		if (!skipped)
			return 0;
	}
}

static int call_item(struct stream *S, const struct json_item *it)
{
	int rc;

	if (S->pipe)
		return js_pipe_item(S, it);
	rc = S->item ? S->item(S->ctx, it, S->err) : 0;
	arena_reset(&S->a);
	if (rc < 0 && S->err && !S->err->code)
		err_set(S->err, ERR_INTERNAL, "%s: item callback failed", S->name);
	return rc < 0 ? -1 : 0;
}

static const char *env_str(struct stream *S, const char *key)
{
	for (size_t i = 0; i < S->nmem; i++)
		if (strcmp(S->mem[i].key, key) == 0 && S->mem[i].val.type == JSON_STRING)
			return S->mem[i].val.u.s;
	return NULL;
}

/* The elements of a top-level "items" array; pos is after '['. */
static int stream_items(struct stream *S, size_t doc, size_t *index)
{
	struct json_item it = {
		.in_list = true, .doc = doc,
		.list_kind = env_str(S, "kind"), .list_api_version = env_str(S, "apiVersion"),
	};
	struct json v;
	int rc = skip_ws(S);

	if (rc)
		return rc < 0 ? -1 : js_serr(S, S->pos, "unexpected end of input");
	if (S->buf[S->pos] == ']') {
		S->pos++;
		return 0;
	}
	for (;;) {
		it.line = S->line;
		if (parse_value(S, &v, 2, true) < 0)
			return -1;
		it.value = &v;
		it.index = (*index)++;
		if (call_item(S, &it) < 0)
			return -1;
		rc = skip_ws(S);
		if (rc)
			return rc < 0 ? -1 : js_serr(S, S->pos, "unexpected end of input");
		if (S->buf[S->pos] == ']') {
			S->pos++;
			return 0;
		}
		if (expect(S, ',', "expected ',' or ']' after array item") < 0)
			return -1;
		if (skip_ws(S) == 0 && S->buf[S->pos] == ']')
			return js_serr(S, S->pos, "trailing comma in array");
	}
}

/* A top-level object: stream its "items" array, keep the rest. */
static int stream_object(struct stream *S, size_t doc)
{
	unsigned start_line = S->line;
	bool list = false;
	size_t index = 0;
	struct json key, v, envelope;
	struct json_item it = { .doc = doc, .line = start_line };
	int rc;

	S->nmem = 0;
	S->pos++; /* '{' */
	rc = skip_ws(S);
	if (rc)
		return rc < 0 ? -1 : js_serr(S, S->pos, "unexpected end of input");
	if (S->buf[S->pos] == '}') {
		S->pos++;
		goto done;
	}
	for (;;) {
		if (S->buf[S->pos] == '}')
			return js_serr(S, S->pos, "trailing comma in object");
		if (S->buf[S->pos] != '"')
			return expect(S, '"', "expected '\"' to start an object key");
		if (parse_value(S, &key, 1, false) < 0)
			return -1;
		XGROW(S->mem, S->cmem, S->nmem + 1);
		S->mem[S->nmem].key = arena_strndup(&S->env, key.u.s, key.n);
		S->mem[S->nmem].klen = key.n;
		arena_reset(&S->a);
		if (expect(S, ':', "expected ':' after object key") < 0)
			return -1;
		rc = skip_ws(S);
		if (rc)
			return rc < 0 ? -1 : js_serr(S, S->pos, "unexpected end of input");
		if (S->buf[S->pos] == '[' && strcmp(S->mem[S->nmem].key, "items") == 0) {
			list = true;
			S->pos++;
			if (stream_items(S, doc, &index) < 0)
				return -1;
		} else {
			if (parse_value(S, &v, 1, false) < 0)
				return -1;
			json_clone(&S->env, &v, &S->mem[S->nmem].val);
			arena_reset(&S->a);
			S->nmem++;
		}
		rc = skip_ws(S);
		if (rc)
			return rc < 0 ? -1 : js_serr(S, S->pos, "unexpected end of input");
		if (S->buf[S->pos] == '}') {
			S->pos++;
			break;
		}
		if (expect(S, ',', "expected ',' or '}' after object member") < 0)
			return -1;
		rc = skip_ws(S);
		if (rc)
			return rc < 0 ? -1 : js_serr(S, S->pos, "unexpected end of input");
	}
done:
	envelope.type = JSON_OBJECT;
	envelope.flags = 0;
	envelope.n = (uint32_t)S->nmem;
	envelope.u.members = S->nmem ? arena_memdup(&S->env, S->mem,
						    S->nmem * sizeof(*S->mem)) : NULL;
	if (list && S->pipe) {
		js_pipe_end(S, doc, &envelope);
		return 0;
	}
	if (list) {
		if (S->end && S->end(S->ctx, &envelope, doc, S->err) < 0) {
			if (S->err && !S->err->code)
				err_set(S->err, ERR_INTERNAL, "%s: end callback failed", S->name);
			return -1;
		}
		return 0;
	}
	it.value = &envelope;
	return call_item(S, &it);
}

static int run(struct stream *S)
{
	size_t doc = 0;
	int rc = 0;

	if (more(S) < 0)
		return -1;
	if (S->len - S->pos >= 3 && memcmp(S->buf + S->pos, "\xef\xbb\xbf", 3) == 0) {
		S->pos += 3;
		S->ls = (long long)S->pos;
	} else if (S->len - S->pos >= 2 && ((unsigned char)S->buf[S->pos] | 1) == 0xff &&
		   ((unsigned char)S->buf[S->pos + 1] | 1) == 0xff &&
		   S->buf[S->pos] != S->buf[S->pos + 1]) {
		return js_serr(S, S->pos, "input is UTF-16, not UTF-8 (convert it first)");
	}
	for (;; doc++) {
		rc = skip_between(S);
		if (rc < 0)
			return -1;
		if (rc == 1)
			break;
		/* the callbacks are done with the previous envelope */
		if (S->pipe && js_pipe_sync(S) < 0)
			return -1;
		arena_reset(&S->env);
		if (S->buf[S->pos] == '{') {
			if (stream_object(S, doc) < 0)
				return -1;
		} else {
			struct json v;
			struct json_item it = { .doc = doc, .line = S->line };
			if (parse_value(S, &v, 0, true) < 0)
				return -1;
			it.value = &v;
			if (call_item(S, &it) < 0)
				return -1;
		}
	}
	if (doc == 0)
		return js_serr(S, S->pos, "no JSON value");
	return 0;
}

int js_stream(struct stream *S)
{
	int rc;

	S->line = 1;
	S->ls = 0;
	arena_init(&S->a, 256 * 1024);
	arena_init(&S->env, 0);
	rc = run(S);
	/* the callbacks run everything queued before the end or the error */
	if (S->pipe && js_pipe_sync(S) < 0)
		rc = -1;
	arena_release(&S->a);
	arena_release(&S->env);
	free(S->mem);
	return rc;
}

int json_stream_fd(int fd, const char *name, unsigned flags, json_item_fn item,
		   json_end_fn end, void *ctx, struct err *err)
{
	struct stream S = {
		.fd = fd, .name = name, .flags = flags, .item = item, .end = end,
		.ctx = ctx, .err = err, .pflags = JSON_PF_COPY_ESCAPED,
	};
	struct ahead A;
	struct stat st;
	int rc;

	S.cap = window_size < 16 ? 16 : window_size;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		/* two buffers of twice the window: a window-sized chunk after a reserve */
		S.cap *= 2;
		S.buf = xmalloc(S.cap);
		if (js_pipe_stream(&S, &A, &rc) == 0)
			goto out;
		/* no thread for the pipeline: a read-ahead helper if possible */
		js_ahead_start(&S, &A);
	} else {
		S.buf = xmalloc(S.cap);
	}
	rc = js_stream(&S);
	if (S.ahead)
		js_ahead_stop(S.ahead);
out:
	free(S.buf);
	return rc;
}

int json_stream_buf(char *buf, size_t len, const char *name, unsigned flags,
		    json_item_fn item, json_end_fn end, void *ctx, struct err *err)
{
	struct stream S = {
		.fd = -1, .name = name, .flags = flags, .item = item, .end = end,
		.ctx = ctx, .err = err, .buf = buf, .cap = len, .len = len, .eof = true,
	};

	return js_stream(&S);
}
