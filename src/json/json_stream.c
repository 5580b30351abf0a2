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
 * A regular file is read ahead (struct ahead): the next chunk is read
 * into a second buffer while the current one is parsed. It is also parsed
 * in a pipeline (struct pipe): a parser thread runs the stream and queues
 * the parsed items in small batches (each with its own arena; the window
 * buffer their strings point into is freed after the last batch using
 * it); the caller's thread runs the callbacks on them in input order, so
 * callbacks see exactly the sequence, values and errors of a sequential
 * run, and between batches it does the reads the parser asks for. Pipes,
 * or no thread: the read-ahead has a helper thread of its own, or none.
 */
#include "json_stream.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <pthread.h>
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

__attribute__((format(printf, 3, 4)))
static int serr(struct stream *S, size_t off, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(S->err, ERR_INPUT, "%s:%u:%lld: %s", S->name, S->line,
		       (long long)off - S->ls + 1, msg);
}

/* Serve the pending request (busy set, mu held; mu is released meanwhile). */
static void ahead_read(struct ahead *A)
{
	char *p = A->buf + A->head;
	size_t want = A->want, got = 0;
	int e = 0;
	bool eof = false;

	A->taken = true;
	pthread_mutex_unlock(A->mu);
	while (got < want) {
		ssize_t r = read(A->fd, p + got, want - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			break;
		}
		if (r == 0) {
			eof = true;
			break;
		}
		got += (size_t)r;
	}
	pthread_mutex_lock(A->mu);
	A->got = got;
	A->eof = eof;
	A->err_no = e;
	A->busy = false;
	A->taken = false;
	pthread_cond_broadcast(A->cv);
}

static void *ahead_main(void *arg)
{
	struct ahead *A = arg;

	pthread_mutex_lock(A->mu);
	for (;;) {
		while (!A->busy && !A->quit)
			pthread_cond_wait(A->cv, A->mu);
		if (A->quit)
			break;
		ahead_read(A);
	}
	pthread_mutex_unlock(A->mu);
	return NULL;
}

/* Ask for want bytes at A->buf[head..) (A->buf has room for them). */
static void ahead_request(struct ahead *A, size_t head, size_t want)
{
	pthread_mutex_lock(A->mu);
	A->head = head;
	A->want = want;
	A->busy = true;
	pthread_cond_broadcast(A->cv);
	pthread_mutex_unlock(A->mu);
}

static void ahead_wait(struct ahead *A)
{
	pthread_mutex_lock(A->mu);
	while (A->busy) {
		if (A->shared && !A->taken)
			ahead_read(A); /* nobody has started it: read it here */
		else
			pthread_cond_wait(A->cv, A->mu);
	}
	pthread_mutex_unlock(A->mu);
}

/* Set A up for the first chunk of S->cap / 2 (requested, not read yet). */
static void ahead_init(struct stream *S, struct ahead *A)
{
	size_t chunk = S->cap / 2;

	memset(A, 0, sizeof(*A));
	A->fd = S->fd;
	A->cap = S->cap;
	A->buf = xmalloc(A->cap);
	A->head = A->cap - chunk;
	A->want = chunk;
	A->busy = true;
}

/* Start reading ahead from fd in a helper thread; false if no thread. */
static bool ahead_start(struct stream *S, struct ahead *A)
{
	ahead_init(S, A);
	pthread_mutex_init(&A->own_mu, NULL);
	pthread_cond_init(&A->own_cv, NULL);
	A->mu = &A->own_mu;
	A->cv = &A->own_cv;
	if (pthread_create(&A->thread, NULL, ahead_main, A) != 0) {
		pthread_mutex_destroy(&A->own_mu);
		pthread_cond_destroy(&A->own_cv);
		free(A->buf);
		return false;
	}
	S->ahead = A;
	return true;
}

static void ahead_stop(struct ahead *A)
{
	pthread_mutex_lock(A->mu);
	while (A->busy)
		pthread_cond_wait(A->cv, A->mu);
	A->quit = true;
	pthread_cond_broadcast(A->cv);
	pthread_mutex_unlock(A->mu);
	pthread_join(A->thread, NULL);
	pthread_mutex_destroy(&A->own_mu);
	pthread_cond_destroy(&A->own_cv);
	free(A->buf);
}

/*
 * The pipeline. The parser thread fills the batch cur: every item (or
 * envelope) becomes an event whose DOM lives in the batch's arena. After
 * PIPE_ITEMS items, and at each window refill, cur is queued and the
 * parser takes a done batch (or a new one, at most PIPE_BATCHES: then it
 * waits). A refill queues the old window buffer with cur, the last batch
 * pointing into it; batches run in order, so it is free (and reused for a
 * later read) once cur has run. At a document boundary and at the end the
 * parser waits until the caller has run every queued event (the
 * envelope's arena is reset there). If a callback fails, the caller sets
 * stop, runs no more callbacks and the parser gives up at its next
 * hand-over; its own error, if any, comes after the callback's in the
 * input and is dropped, as a sequential run would never have reached it.
 * Small batches keep the DOMs in cache; the reads on the callbacks' side
 * balance the two threads (parsing is the heavier side) on two cores.
 */
#define PIPE_BATCHES 32
#define PIPE_ITEMS 8             /* items per batch (few: their DOMs are still in cache) */
#define PIPE_BUFS 4              /* window buffers kept for reuse */
#define PIPE_READ_QUEUE 8        /* the callbacks' side reads while fewer batches wait */

enum ev_kind { EV_ITEM, EV_END };

struct ev {
	enum ev_kind kind;
	struct json_item it;     /* EV_END: it.doc only */
	struct json v;           /* the item's value, or the envelope */
};

struct batch {
	struct batch *next;
	struct arena a;          /* the events' DOMs */
	struct ev *ev;
	size_t nev, cev;
	char *buf;               /* a window buffer retired with it (NULL: none) */
	size_t cap;
};

struct pbuf {
	char *p;
	size_t cap;
};

struct pipe {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *cur;               /* being filled by the parser */
	struct batch *qhead, *qtail;     /* queued for the callbacks */
	unsigned nq;                     /* how many */
	struct batch *spare;             /* done, for reuse */
	unsigned nbatch;                 /* batches allocated */
	struct pbuf bufs[PIPE_BUFS];     /* retired window buffers, for reuse */
	unsigned nbufs;
	size_t keep_cap;                 /* ... if not bigger than this */
	bool busy;                       /* the caller is running a batch */
	bool stop;                       /* a callback failed */
	bool done;                       /* the parser has finished */
	int prc;                         /* its result */
	struct err perr;                 /* its error */
	struct err *uerr;                /* the caller's err */
};

/* A window buffer for the read-ahead: a retired one, else NULL (*cap 0). */
static char *pipe_buf(struct pipe *P, size_t *cap)
{
	char *p = NULL;

	*cap = 0;
	pthread_mutex_lock(&P->mu);
	if (P->nbufs) {
		P->nbufs--;
		p = P->bufs[P->nbufs].p;
		*cap = P->bufs[P->nbufs].cap;
	}
	pthread_mutex_unlock(&P->mu);
	return p;
}

static void batch_free(struct batch *b)
{
	if (!b)
		return;
	arena_release(&b->a);
	free(b->ev);
	free(b->buf);
	free(b);
}

static void batch_free_list(struct batch *b)
{
	for (struct batch *n; b; b = n) {
		n = b->next;
		batch_free(b);
	}
}

/*
 * Queue cur and take another batch (cur is NULL after a stop). buf, if not
 * NULL, is the window buffer just retired: cur is the last batch pointing
 * into it, and batches run in order, so it is free once cur has run.
 */
static int pipe_handoff(struct stream *S, char *buf, size_t cap)
{
	struct pipe *P = S->pipe;
	struct batch *b = P->cur;
	bool stop;

	if (!b) {
		free(buf);
		return err_set(S->err, ERR_INTERNAL, "%s: stopped", S->name);
	}
	b->buf = buf;
	b->cap = cap;
	pthread_mutex_lock(&P->mu);
	if (b->nev || b->buf) {
		b->next = NULL;
		if (P->qtail)
			P->qtail->next = b;
		else
			P->qhead = b;
		P->qtail = b;
		P->nq++;
		b = NULL;
		pthread_cond_broadcast(&P->cv);
	}
	while (!b && !P->stop) {
		if (P->spare) {
			b = P->spare;
			P->spare = b->next;
		} else if (P->nbatch < PIPE_BATCHES) {
			b = xcalloc(1, sizeof(*b));
			arena_init(&b->a, 1u << 20);
			P->nbatch++;
		} else if (S->ahead->busy && !S->ahead->taken) {
			ahead_read(S->ahead); /* the callbacks are behind: read here */
		} else {
			pthread_cond_wait(&P->cv, &P->mu);
		}
	}
	stop = P->stop;
	pthread_mutex_unlock(&P->mu);
	P->cur = b;
	if (stop)
		return err_set(S->err, ERR_INTERNAL, "%s: stopped", S->name);
	return 0;
}

/* Queue cur and wait until the caller has run every event. */
static int pipe_sync(struct stream *S)
{
	struct pipe *P = S->pipe;
	bool stop;

	if (pipe_handoff(S, NULL, 0) < 0)
		return -1;
	pthread_mutex_lock(&P->mu);
	while ((P->qhead || P->busy) && !P->stop)
		pthread_cond_wait(&P->cv, &P->mu);
	stop = P->stop;
	pthread_mutex_unlock(&P->mu);
	if (stop)
		return err_set(S->err, ERR_INTERNAL, "%s: stopped", S->name);
	return 0;
}

static void pipe_push(struct stream *S, enum ev_kind kind, const struct json_item *it,
		      const struct json *v)
{
	struct batch *b = S->pipe->cur;
	struct ev *e;

	if (!b)
		return;
	XGROW(b->ev, b->cev, b->nev + 1);
	e = &b->ev[b->nev++];
	e->kind = kind;
	e->it = *it;
	e->v = *v;
}

/* Run the callbacks of one batch (the caller's thread); false if one failed. */
static bool pipe_run(struct stream *S, struct batch *b)
{
	struct err *err = S->pipe->uerr;

	for (size_t i = 0; i < b->nev; i++) {
		struct ev *e = &b->ev[i];
		if (e->kind == EV_ITEM) {
			e->it.value = &e->v;
			if ((S->item ? S->item(S->ctx, &e->it, err) : 0) < 0) {
				if (err && !err->code)
					err_set(err, ERR_INTERNAL, "%s: item callback failed",
						S->name);
				return false;
			}
		} else if (S->end && S->end(S->ctx, &e->v, e->it.doc, err) < 0) {
			if (err && !err->code)
				err_set(err, ERR_INTERNAL, "%s: end callback failed", S->name);
			return false;
		}
	}
	return true;
}

/* The caller's side: run queued batches until the parser is done. 0 or -1. */
static int pipe_consume(struct stream *S)
{
	struct pipe *P = S->pipe;
	struct ahead *A = S->ahead;
	bool ok = true;

	pthread_mutex_lock(&P->mu);
	for (;;) {
		struct batch *b;
		/* the parser's reads, unless the callbacks are behind */
		if (A->busy && !A->taken && P->nq < PIPE_READ_QUEUE) {
			ahead_read(A);
			continue;
		}
		if (!P->qhead) {
			if (P->done)
				break;
			pthread_cond_wait(&P->cv, &P->mu);
			continue;
		}
		b = P->qhead;
		P->qhead = b->next;
		if (!P->qhead)
			P->qtail = NULL;
		P->nq--;
		P->busy = true;
		pthread_mutex_unlock(&P->mu);
		/* after a failed callback the parser stops at its next hand-over
		 * (reads are still served until then) */
		if (ok)
			ok = pipe_run(S, b);
		arena_reset(&b->a);
		b->nev = 0;
		pthread_mutex_lock(&P->mu);
		if (b->buf && P->nbufs < PIPE_BUFS && b->cap <= P->keep_cap) {
			P->bufs[P->nbufs].p = b->buf;
			P->bufs[P->nbufs++].cap = b->cap;
		} else {
			free(b->buf);
		}
		b->buf = NULL;
		b->cap = 0;
		b->next = P->spare;
		P->spare = b;
		P->busy = false;
		if (!ok)
			P->stop = true;
		pthread_cond_broadcast(&P->cv);
	}
	pthread_mutex_unlock(&P->mu);
	return ok ? 0 : -1;
}

static int stream(struct stream *S);

static void *pipe_main(void *arg)
{
	struct stream *S = arg;
	struct pipe *P = S->pipe;
	int rc = stream(S);

	json_scratch_release();
	pthread_mutex_lock(&P->mu);
	P->prc = rc;
	P->done = true;
	pthread_cond_broadcast(&P->cv);
	pthread_mutex_unlock(&P->mu);
	return NULL;
}

/*
 * Run S (a regular file) in a parser thread, and its callbacks and reads
 * here: two threads for two cores, the reads beside the callbacks (the
 * lighter side). -1 if no thread.
 */
static int pipe_stream(struct stream *S, struct ahead *A, int *rc)
{
	struct pipe P;
	struct err *uerr = S->err;

	memset(&P, 0, sizeof(P));
	P.uerr = uerr;
	P.cur = xcalloc(1, sizeof(*P.cur));
	arena_init(&P.cur->a, 1u << 20);
	P.nbatch = 1;
	P.keep_cap = 2 * S->cap; /* grown for a big value: freed after use */
	pthread_mutex_init(&P.mu, NULL);
	pthread_cond_init(&P.cv, NULL);
	ahead_init(S, A);
	A->mu = &P.mu;
	A->cv = &P.cv;
	A->shared = true;
	S->ahead = A;
	S->pipe = &P;
	S->err = &P.perr;
	if (pthread_create(&P.thread, NULL, pipe_main, S) != 0) {
		S->ahead = NULL;
		S->pipe = NULL;
		S->err = uerr;
		free(A->buf);
		*rc = -1;
		goto out;
	}
	*rc = pipe_consume(S);
	pthread_join(P.thread, NULL);
	if (*rc == 0 && P.prc < 0) {
		if (uerr)
			*uerr = P.perr;
		*rc = -1;
	}
	S->ahead = NULL;
	S->pipe = NULL;
	S->err = uerr;
	*rc = *rc < 0 ? -1 : 0;
	free(A->buf); /* a request left at the end is never served */
	pthread_mutex_destroy(&P.mu);
	pthread_cond_destroy(&P.cv);
	/* every batch is in one place: cur, the queue (after a stop) or spare */
	batch_free(P.cur);
	batch_free_list(P.qhead);
	batch_free_list(P.spare);
	for (unsigned i = 0; i < P.nbufs; i++)
		free(P.bufs[i].p);
	return 0;
out:
	pthread_mutex_destroy(&P.mu);
	pthread_cond_destroy(&P.cv);
	batch_free(P.cur);
	return -1;
}

/*
 * fill() with read-ahead: take the chunk the helper read, put the window's
 * unparsed tail right in front of it, make that buffer the window, and
 * hand the old one to the helper for the next chunk (at least twice the
 * tail, so a value much bigger than a chunk is re-parsed only log(n) times).
 */
static int fill_ahead(struct stream *S)
{
	struct ahead *A = S->ahead;
	size_t tail = S->len - S->pos, head, chunk;
	char *old = S->buf, *nb;
	size_t oldcap = S->cap, ncap;

	ahead_wait(A);
	if (A->err_no)
		return err_set(S->err, ERR_INPUT, "%s: read error: %s", S->name,
			       strerror(A->err_no));
	if (tail >= (size_t)JSON_STREAM_MAX_ITEM + 4096)
		return serr(S, S->pos, "a single value is larger than %u MiB",
			    JSON_STREAM_MAX_ITEM >> 20);
	nb = A->buf;
	ncap = A->cap;
	head = A->head;
	if (tail > head) {
		/* the tail does not fit in front: make room (rare, big values) */
		ncap = tail + A->want;
		nb = xrealloc(nb, ncap);
		memmove(nb + tail, nb + head, A->got);
		head = tail;
	}
	memcpy(nb + head - tail, S->buf + S->pos, tail);
	S->ls += (long long)(head - tail) - (long long)S->pos;
	S->buf = nb;
	S->cap = ncap;
	S->pos = head - tail;
	S->len = head + A->got;
	S->eof = A->eof;

	if (S->pipe) {
		/* the items parsed from old go with it; its batch's buffer comes back */
		if (pipe_handoff(S, old, oldcap) < 0)
			return -1;
		A->buf = pipe_buf(S->pipe, &A->cap);
	} else {
		A->buf = old;
		A->cap = oldcap;
	}
	if (S->eof)
		return 0;
	chunk = oldcap / 2;
	if (chunk < 2 * tail)
		chunk = 2 * tail;
	if (A->cap < 2 * chunk) {
		free(A->buf);
		A->cap = 2 * chunk;
		A->buf = xmalloc(A->cap);
	}
	ahead_request(A, A->cap - chunk, chunk);
	return 0;
}

/* Read more input: compact the window, grow it if full, read until full. */
static int fill(struct stream *S)
{
	if (S->ahead && !S->eof)
		return fill_ahead(S);
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
			return serr(S, S->pos, "a single value is larger than %u MiB",
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
		struct arena *a = batch ? &S->pipe->cur->a : &S->a;
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
			return serr(S, S->len, "unexpected end of input");
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
		return serr(S, S->pos, "unexpected end of input");
	if (S->buf[S->pos] != c) {
		unsigned char b = (unsigned char)S->buf[S->pos];
		if (b >= 0x20 && b < 0x7f)
			return serr(S, S->pos, "%s, found '%c'", what, b);
		return serr(S, S->pos, "%s, found byte 0x%02x", what, b);
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
			return serr(S, S->pos, "malformed log block header");
		if (fill(S) < 0)
			return -1;
	}
	/* END marker: "==== END" + the rest of the START line */
	ml = (size_t)snprintf(marker, sizeof(marker), "==== END%.*s",
			      (int)(nl - S->pos - 10), S->buf + S->pos + 10);
	if (ml >= sizeof(marker))
		return serr(S, S->pos, "malformed log block header");
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

	if (S->pipe) {
		pipe_push(S, EV_ITEM, it, it->value);
		if (S->pipe->cur && S->pipe->cur->nev >= PIPE_ITEMS)
			return pipe_handoff(S, NULL, 0);
		return 0;
	}
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
		return rc < 0 ? -1 : serr(S, S->pos, "unexpected end of input");
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
			return rc < 0 ? -1 : serr(S, S->pos, "unexpected end of input");
		if (S->buf[S->pos] == ']') {
			S->pos++;
			return 0;
		}
		if (expect(S, ',', "expected ',' or ']' after array item") < 0)
			return -1;
		if (skip_ws(S) == 0 && S->buf[S->pos] == ']')
			return serr(S, S->pos, "trailing comma in array");
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
		return rc < 0 ? -1 : serr(S, S->pos, "unexpected end of input");
	if (S->buf[S->pos] == '}') {
		S->pos++;
		goto done;
	}
	for (;;) {
		if (S->buf[S->pos] == '}')
			return serr(S, S->pos, "trailing comma in object");
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
			return rc < 0 ? -1 : serr(S, S->pos, "unexpected end of input");
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
			return rc < 0 ? -1 : serr(S, S->pos, "unexpected end of input");
		if (S->buf[S->pos] == '}') {
			S->pos++;
			break;
		}
		if (expect(S, ',', "expected ',' or '}' after object member") < 0)
			return -1;
		rc = skip_ws(S);
		if (rc)
			return rc < 0 ? -1 : serr(S, S->pos, "unexpected end of input");
	}
done:
	envelope.type = JSON_OBJECT;
	envelope.flags = 0;
	envelope.n = (uint32_t)S->nmem;
	envelope.u.members = S->nmem ? arena_memdup(&S->env, S->mem,
						    S->nmem * sizeof(*S->mem)) : NULL;
	if (list && S->pipe) {
		struct json_item end = { .doc = doc };
		pipe_push(S, EV_END, &end, &envelope);
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
		return serr(S, S->pos, "input is UTF-16, not UTF-8 (convert it first)");
	}
	for (;; doc++) {
		rc = skip_between(S);
		if (rc < 0)
			return -1;
		if (rc == 1)
			break;
		/* the callbacks are done with the previous envelope */
		if (S->pipe && pipe_sync(S) < 0)
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
		return serr(S, S->pos, "no JSON value");
	return 0;
}

static int stream(struct stream *S)
{
	int rc;

	S->line = 1;
	S->ls = 0;
	arena_init(&S->a, 256 * 1024);
	arena_init(&S->env, 0);
	rc = run(S);
	/* the callbacks run everything queued before the end or the error */
	if (S->pipe && pipe_sync(S) < 0)
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
		if (pipe_stream(&S, &A, &rc) == 0)
			goto out;
		/* no thread for the pipeline: a read-ahead helper if possible */
		ahead_start(&S, &A);
	} else {
		S.buf = xmalloc(S.cap);
	}
	rc = stream(&S);
	if (S.ahead)
		ahead_stop(S.ahead);
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

	return stream(&S);
}
