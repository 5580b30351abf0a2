/*
 * scan: inputs -> lines -> log_stats (scan.h): mapped files split across
 * threads, streamed pipes, gzip inflated with zlib, bounded lines. Each
 * input ends with log_stats_flush() (CRI partial lines are not joined
 * across inputs), and a file is never split between a CRI partial line
 * and its continuation.
 */
#include "scan.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "../util/banned.h"

#define CHUNK (1u << 20)          /* read/inflate granule */
/* the head of a too-long line kept as its sample: never past the line (max_line may be small) */
#define HEAD(len) ((len) < LS_SAMPLE_MAX ? (len) : LS_SAMPLE_MAX)
#define MAX_THREADS 8

uint64_t log_scan_buffer(struct log_stats *s, const char *p, size_t n, const char *file,
			 uint64_t line, size_t max_line)
{
	const char *end = p + n;
	uint64_t first = line;

	if (!max_line)
		max_line = LOG_LINE_MAX;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t len = (size_t)(le - p);
		if (len > max_line)
			log_stats_too_long(s, p, HEAD(len), file, line);
		else
			log_stats_line(s, p, len, file, line);
		line++;
		p = nl ? nl + 1 : end;
	}
	return line - first;
}

/* ---- streaming (pipes, gzip, files that cannot be mapped) ---- */

struct stream {
	struct log_stats *s;
	const char *file;
	size_t max_line;
	char *buf;                 /* pending partial line, then new data */
	size_t len, cap;
	bool skipping;             /* inside a too-long line: drop until '\n' */
	uint64_t line, bytes;
};

/* Feed n new bytes (already at buf + len). */
static void stream_feed(struct stream *st, size_t n)
{
	char *p = st->buf, *end;
	char *nl;

	st->len += n;
	st->bytes += n;
	end = st->buf + st->len;
	if (st->skipping) {
		nl = memchr(p, '\n', st->len);
		if (!nl) {
			st->len = 0;
			return;
		}
		st->skipping = false;
		p = nl + 1;
	}
	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		size_t len = (size_t)(nl - p);
		if (len > st->max_line)
			log_stats_too_long(st->s, p, HEAD(len), st->file, ++st->line);
		else
			log_stats_line(st->s, p, len, st->file, ++st->line);
		p = nl + 1;
	}
	st->len = (size_t)(end - p);
	if (st->len > st->max_line) {
		log_stats_too_long(st->s, p, HEAD(st->len), st->file, ++st->line);
		st->skipping = true;
		st->len = 0;
	} else if (st->len && p != st->buf) {
		memmove(st->buf, p, st->len);
	}
}

static void stream_end(struct stream *st)
{
	if (st->len && !st->skipping)
		log_stats_line(st->s, st->buf, st->len, st->file, ++st->line);
	st->len = 0;
	log_stats_flush(st->s);
}

/* Room for the next read: at least CHUNK bytes free. */
static char *stream_room(struct stream *st, size_t *room)
{
	*room = st->cap - st->len;
	return st->buf + st->len;
}

static int read_plain(int fd, struct stream *st, const char *first, size_t nfirst,
		      struct err *err)
{
	size_t room;
	char *p;

	if (nfirst) {
		p = stream_room(st, &room);
		memcpy(p, first, nfirst);
		stream_feed(st, nfirst);
	}
	for (;;) {
		ssize_t r;
		p = stream_room(st, &room);
		r = read(fd, p, room);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return err_set(err, ERR_INPUT, "cannot read '%s': %s", st->file,
				       strerror(errno));
		if (r == 0)
			break;
		stream_feed(st, (size_t)r);
	}
	stream_end(st);
	return 0;
}

static int read_gzip(int fd, struct stream *st, const char *first, size_t nfirst,
		     struct warnings *w, bool *damaged, struct err *err)
{
	unsigned char *in = xmalloc(CHUNK);
	z_stream z;
	int zr = Z_OK, rc = 0;
	bool eof = false, ended = false;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 32) != Z_OK) {
		free(in);
		return err_set(err, ERR_INTERNAL, "zlib: cannot initialise");
	}
	memcpy(in, first, nfirst);
	z.next_in = in;
	z.avail_in = (uInt)nfirst;
	for (;;) {
		size_t room;
		char *out;
		if (!z.avail_in && !eof) {
			ssize_t r = read(fd, in, CHUNK);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				rc = err_set(err, ERR_INPUT, "cannot read '%s': %s", st->file,
					     strerror(errno));
				goto out;
			}
			if (r == 0)
				eof = true;
			z.next_in = in;
			z.avail_in = (uInt)r;
		}
		if (ended) {
			/* another gzip member may follow (cat a.gz b.gz) */
			if (!z.avail_in && eof)
				break;
			if (!z.avail_in)
				continue;
			inflateReset(&z);
			ended = false;
		}
		out = stream_room(st, &room);
		z.next_out = (unsigned char *)out;
		z.avail_out = (uInt)(room < CHUNK ? room : CHUNK);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr == Z_NEED_DICT || zr == Z_DATA_ERROR || zr == Z_MEM_ERROR) {
			stream_feed(st, (size_t)((char *)z.next_out - out));
			stream_end(st);
			warn_add(w, "%s: corrupt gzip data after %llu lines (%s); the rest is "
				 "skipped", st->file, (unsigned long long)st->line,
				 z.msg ? z.msg : "inflate error");
			*damaged = true;
			goto out;
		}
		stream_feed(st, (size_t)((char *)z.next_out - out));
		if (zr == Z_STREAM_END) {
			ended = true;
			continue;
		}
		if (eof && !z.avail_in && zr == Z_BUF_ERROR) {
			stream_end(st);
			warn_add(w, "%s: truncated gzip data: the stream ends early, after %llu "
				 "lines (the last one may be cut)", st->file,
				 (unsigned long long)st->line);
			*damaged = true;
			goto out;
		}
		if (eof && !z.avail_in && z.avail_out) {
			/* inflate made no progress and nothing more will come */
			stream_end(st);
			warn_add(w, "%s: truncated gzip data: the stream ends early, after %llu "
				 "lines (the last one may be cut)", st->file,
				 (unsigned long long)st->line);
			*damaged = true;
			goto out;
		}
	}
	stream_end(st);
out:
	inflateEnd(&z);
	free(in);
	return rc;
}

/* ---- mapped files, split across threads ---- */

struct part {
	struct log_stats st;
	const char *p;
	size_t n;
	const char *file;
	size_t max_line;
	uint64_t lines;
};

/*
 * Count a mapped range in windows of WINDOW bytes (ending at a line end),
 * and drop each window's pages from the mapping once counted, so the
 * resident size stays flat however big the file (the page cache keeps them).
 */
#define WINDOW (8u << 20)

static uint64_t scan_range(struct log_stats *s, const char *p, size_t n, const char *file,
			   size_t max_line)
{
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t mask = (uintptr_t)(pg > 0 ? pg : 4096) - 1;
	uint64_t lines = 0;
	size_t at = 0;

	while (at < n) {
		size_t w = n - at > WINDOW ? WINDOW : n - at;
		const char *nl = at + w < n ? memchr(p + at + w, '\n', n - at - w) : NULL;
		uintptr_t lo, hi;
		if (at + w < n)
			w = nl ? (size_t)(nl - (p + at)) + 1 : n - at;
		lines += log_scan_buffer(s, p + at, w, file, lines + 1, max_line);
		lo = ((uintptr_t)(p + at) + mask) & ~mask;
		hi = (uintptr_t)(p + at + w) & ~mask;
		if (hi > lo)
			madvise((void *)lo, hi - lo, MADV_DONTNEED);
		at += w;
	}
	log_stats_flush(s);
	return lines;
}

/* Does the line ending just before p[cut] (cut after a '\n') hold a CRI partial line? */
static bool cri_partial_before(const char *p, size_t cut)
{
	const char *ls, *le = p + cut - 1;
	struct ll_str part;
	int stream;

	ls = memrchr(p, '\n', (size_t)(le - p));
	ls = ls ? ls + 1 : p;
	return ll_cri_split(ls, (size_t)(le - ls), &stream, &part) == 'P';
}

static void *part_run(void *arg)
{
	struct part *pt = arg;
	pt->lines = scan_range(&pt->st, pt->p, pt->n, pt->file, pt->max_line);
	return NULL;
}

static unsigned want_threads(const struct log_scan_opts *o)
{
	long n = o && o->threads ? (long)o->threads : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	return n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
}

static uint64_t scan_mapped(const char *p, size_t n, struct log_stats *s, const char *file,
			    const struct log_scan_opts *o, size_t max_line)
{
	size_t split_min = o && o->split_min ? o->split_min : (16u << 20);
	unsigned nt = want_threads(o);
	struct part parts[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	bool started[MAX_THREADS] = { false };
	uint64_t lines;
	size_t at = 0;
	unsigned k = 0;

	if (n < split_min || nt < 2)
		return scan_range(s, p, n, file, max_line);
	/* cut at the first '\n' after each 1/nt of the file */
	for (unsigned i = 0; i < nt && at < n; i++) {
		size_t cut = i + 1 == nt ? n : (size_t)((double)n * (i + 1) / nt);
		const char *nl;
		if (cut < at)
			cut = at;
		nl = cut < n ? memchr(p + cut, '\n', n - cut) : NULL;
		cut = nl ? (size_t)(nl - p) + 1 : n;
		/* never between a CRI partial line and its continuation */
		while (cut < n && cri_partial_before(p, cut)) {
			nl = memchr(p + cut, '\n', n - cut);
			cut = nl ? (size_t)(nl - p) + 1 : n;
		}
		memset(&parts[k], 0, sizeof(parts[k]));
		parts[k].p = p + at;
		parts[k].n = cut - at;
		parts[k].file = file;
		parts[k].max_line = max_line;
		k++;
		at = cut;
	}
	for (unsigned i = 1; i < k; i++) {
		log_stats_init(&parts[i].st);
		started[i] = pthread_create(&tid[i], NULL, part_run, &parts[i]) == 0;
	}
	lines = scan_range(s, parts[0].p, parts[0].n, file, max_line);
	for (unsigned i = 1; i < k; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			part_run(&parts[i]);
		log_stats_merge(s, &parts[i].st, lines);
		lines += parts[i].lines;
		log_stats_release(&parts[i].st);
	}
	return lines;
}

int log_scan_path(const char *path, struct log_stats *s, struct warnings *w,
		  const struct log_scan_opts *o, struct log_input *info, struct err *err)
{
	bool is_stdin = !strcmp(path, "-");
	const char *shown = is_stdin ? "standard input" : path;
	size_t max_line = o && o->max_line ? o->max_line : LOG_LINE_MAX;
	struct log_input dummy;
	struct stream st;
	struct stat sb;
	char head[2];
	size_t nhead = 0;
	int fd, rc = 0;

	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	info->name = path;
	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, ERR_INPUT, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &sb) < 0) {
		rc = err_set(err, ERR_INPUT, "cannot read '%s': %s", shown, strerror(errno));
		goto out;
	}
	if (S_ISDIR(sb.st_mode)) {
		rc = err_set(err, ERR_INPUT, "cannot read '%s': Is a directory", shown);
		goto out;
	}
	if (S_ISREG(sb.st_mode) && sb.st_size > 0) {
		void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			const unsigned char *u = m;
			if (sb.st_size < 2 || u[0] != 0x1f || u[1] != 0x8b) {
				madvise(m, (size_t)sb.st_size, MADV_SEQUENTIAL);
				info->lines = scan_mapped(m, (size_t)sb.st_size, s, path, o,
							  max_line);
				info->bytes = (uint64_t)sb.st_size;
				munmap(m, (size_t)sb.st_size);
				goto out;
			}
			munmap(m, (size_t)sb.st_size);
		}
	}
	/* peek at the first two bytes for the gzip magic */
	while (nhead < 2) {
		ssize_t r = read(fd, head + nhead, 2 - nhead);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = err_set(err, ERR_INPUT, "cannot read '%s': %s", shown, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		nhead += (size_t)r;
	}
	memset(&st, 0, sizeof(st));
	st.s = s;
	st.file = path;
	st.max_line = max_line;
	st.cap = max_line + CHUNK + 1;
	st.buf = xmalloc(st.cap);
	if (nhead == 2 && (unsigned char)head[0] == 0x1f && (unsigned char)head[1] == 0x8b) {
		info->gzip = true;
		rc = read_gzip(fd, &st, head, nhead, w, &info->damaged, err);
	} else {
		rc = read_plain(fd, &st, head, nhead, err);
	}
	info->lines = st.line;
	info->bytes = st.bytes;
	free(st.buf);
out:
	if (!is_stdin)
		close(fd);
	return rc;
}

void log_scan_text(const char *name, const char *text, size_t len, struct log_stats *s,
		   const struct log_scan_opts *o, struct log_input *info)
{
	size_t max_line = o && o->max_line ? o->max_line : LOG_LINE_MAX;
	const char *file = arena_strdup(&s->arena, name);
	uint64_t lines = 0;

	if (text && len)
		lines = log_scan_buffer(s, text, len, file, 1, max_line);
	log_stats_flush(s);
	if (info) {
		memset(info, 0, sizeof(*info));
		info->name = file;
		info->lines = lines;
		info->bytes = len;
	}
}
