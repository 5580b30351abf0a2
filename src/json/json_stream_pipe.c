/*
 * json_stream_pipe: the read-ahead and the parser-thread pipeline of
 * json_stream.c (private to it: json_stream_int.h).
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
#include "json_stream_int.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/banned.h"

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
bool js_ahead_start(struct stream *S, struct ahead *A)
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

void js_ahead_stop(struct ahead *A)
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
int js_pipe_sync(struct stream *S)
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

static void *pipe_main(void *arg)
{
	struct stream *S = arg;
	struct pipe *P = S->pipe;
	int rc = js_stream(S);

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
int js_pipe_stream(struct stream *S, struct ahead *A, int *rc)
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

/* call_item() in a pipeline: queue the item, hand the batch over when full. */
int js_pipe_item(struct stream *S, const struct json_item *it)
{
	pipe_push(S, EV_ITEM, it, it->value);
	if (S->pipe->cur && S->pipe->cur->nev >= PIPE_ITEMS)
		return pipe_handoff(S, NULL, 0);
	return 0;
}

/* Queue the end of document doc, with its envelope. */
void js_pipe_end(struct stream *S, size_t doc, const struct json *envelope)
{
	struct json_item end = { .doc = doc };
	pipe_push(S, EV_END, &end, envelope);
}

/* The arena of the batch being filled (an item's DOM goes there). */
struct arena *js_pipe_arena(struct stream *S)
{
	return &S->pipe->cur->a;
}

/*
 * fill() with read-ahead: take the chunk the helper read, put the window's
 * unparsed tail right in front of it, make that buffer the window, and
 * hand the old one to the helper for the next chunk (at least twice the
 * tail, so a value much bigger than a chunk is re-parsed only log(n) times).
 */
int js_fill_ahead(struct stream *S)
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
		return js_serr(S, S->pos, "a single value is larger than %u MiB",
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
