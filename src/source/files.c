/*
 * files: the offline source (files.h). Sniffs JSON or YAML, streams JSON
 * lists item by item, reads YAML streams, walks directories (cluster-info
 * dump layout included) and standard input, and hands each object with
 * its kind to the sink.
 *
 * Callers that need to know whether anything usable was read count the
 * objects in their own sink->object callback: this reader only reports
 * errors (fatal) and warnings (sink->warn).
 */
#include "files.h"
#include "../json/json_stream.h"
#include "../util/buf.h"
#include "../util/xalloc.h"
#include "../yaml/yaml.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/banned.h"

/* A YAML file is read whole: refuse bigger ones. */
#define FILES_MAX_YAML (256u << 20)
/* Bytes looked at to tell JSON, YAML and binary junk apart. */
#define SNIFF_BYTES 4096
/* Lists inside lists, directories inside directories. */
#define MAX_NEST 8
#define MAX_DIR_DEPTH 32

struct pending {
	struct json obj;
	unsigned line;
	size_t index;
};

struct reader {
	const struct source_sink *sink;
	const char *file;
	/* items of a list whose kind comes after them */
	struct arena pend_arena;
	struct pending *pend;
	size_t npend, cappend;
};

enum fmt { FMT_EMPTY, FMT_JSON, FMT_YAML };

/* ---------------------------------------------------------------- */
/* objects                                                           */

/* "PodList" -> "Pod" in buf; NULL when kind is not a typed list. */
static const char *typed_item_kind(const char *kind, char *buf, size_t cap)
{
	size_t n = kind ? strlen(kind) : 0;

	if (n <= 4 || n - 4 >= cap || strcmp(kind + n - 4, "List") != 0)
		return NULL;
	memcpy(buf, kind, n - 4);
	buf[n - 4] = '\0';
	return buf;
}

static int handle_value(struct reader *r, const struct json *v, const char *dflt_kind,
			const char *dflt_api, unsigned line, size_t index, unsigned nest,
			struct err *err);

/* A list found as a value (YAML document or nested list): expand it. */
static int handle_list(struct reader *r, const struct json *v, const char *kind,
		       const char *api, const unsigned *lines, size_t nlines, unsigned line0,
		       unsigned nest, struct err *err)
{
	const struct json *items = json_get(v, "items");
	char ibuf[128];
	const char *ikind = typed_item_kind(kind, ibuf, sizeof(ibuf));

	if (nest > MAX_NEST) {
		warn_add(r->sink->warn, "%s: lists nested too deep, skipped", r->file);
		return 0;
	}
	if (ikind && r->sink->kind_seen)
		r->sink->kind_seen(r->sink->ctx, ikind);
	for (uint32_t i = 0; i < items->n; i++) {
		unsigned line = i < nlines ? lines[i] : line0;
		if (handle_value(r, &items->u.items[i], ikind, ikind ? api : NULL, line, i,
				 nest + 1, err) < 0)
			return -1;
	}
	return 0;
}

static bool is_list(const struct json *v, const char *kind)
{
	size_t n = kind ? strlen(kind) : 0;

	return json_is(json_get(v, "items"), JSON_ARRAY) &&
	       (!kind || (n >= 4 && strcmp(kind + n - 4, "List") == 0));
}

/*
 * An object serialised from kubectl's internal Go types, without JSON tags:
 * a list with "Items", or an item whose "Spec"/"Status" are capitalised
 * (metadata fields inline). The API never writes these names.
 */
static bool internal_format(const struct json *v)
{
	return json_is(json_get(v, "Items"), JSON_ARRAY) ||
	       json_is(json_get(v, "Spec"), JSON_OBJECT) ||
	       json_is(json_get(v, "Status"), JSON_OBJECT);
}

static void where(const struct reader *r, unsigned line, char *buf, size_t cap)
{
	if (line)
		snprintf(buf, cap, "%s:%u", r->file, line);
	else
		snprintf(buf, cap, "%s", r->file);
}

static int handle_value(struct reader *r, const struct json *v, const char *dflt_kind,
			const char *dflt_api, unsigned line, size_t index, unsigned nest,
			struct err *err)
{
	const char *kind, *api;
	const struct json *md;
	struct src_obj o;
	char at[600];

	where(r, line, at, sizeof(at));
	if (!v || v->type == JSON_NULL)
		return 0;       /* empty document or null item */
	if (v->type == JSON_ARRAY && nest == 0) {
		/* a bare top-level array of objects: read each */
		for (uint32_t i = 0; i < v->n; i++)
			if (handle_value(r, &v->u.items[i], NULL, NULL, line, i, nest + 1,
					 err) < 0)
				return -1;
		return 0;
	}
	if (v->type != JSON_OBJECT) {
		warn_add(r->sink->warn, "%s: %s is not a Kubernetes object, skipped", at,
			 json_type_name(v));
		return 0;
	}
	kind = json_str(json_get(v, "kind"));
	api = json_str(json_get(v, "apiVersion"));
	if (kind && !*kind)
		kind = NULL;
	if (is_list(v, kind) && (kind || !dflt_kind))
		return handle_list(r, v, kind, api, NULL, 0, line, nest, err);
	if (!kind) {
		kind = dflt_kind;
		if (!api)
			api = dflt_api;
	}
	if (!kind) {
		if (internal_format(v))
			warn_add(r->sink->warn, "%s: object without kind skipped: its capitalised "
				 "fields (Items, Spec, Status) are kubectl's internal object format, "
				 "which some old kubectl releases wrote in `cluster-info dump`; "
				 "take the snapshot again with a current kubectl", at);
		else
			warn_add(r->sink->warn, "%s: object without kind skipped", at);
		return 0;
	}
	md = json_get(v, "metadata");
	if (md && md->type != JSON_OBJECT) {
		warn_add(r->sink->warn, "%s: %s: metadata is a %s, not an object; skipped", at,
			 kind, json_type_name(md));
		return 0;
	}
	memset(&o, 0, sizeof(o));
	o.obj = v;
	o.kind = kind;
	o.api_version = api ? api : "";
	o.file = r->file;
	o.line = line;
	o.index = index;
	return r->sink->object(r->sink->ctx, &o, err);
}

/* ---------------------------------------------------------------- */
/* JSON                                                              */

static void pend_clear(struct reader *r)
{
	r->npend = 0;
	arena_reset(&r->pend_arena);
}

static int json_item_cb(void *ctx, const struct json_item *it, struct err *err)
{
	struct reader *r = ctx;
	const struct json *v = it->value;
	char ibuf[128];
	const char *ikind;

	if (!it->in_list)
		return handle_value(r, v, NULL, NULL, it->line, 0, 0, err);
	if (it->list_kind) {
		ikind = typed_item_kind(it->list_kind, ibuf, sizeof(ibuf));
		return handle_value(r, v, ikind, ikind ? it->list_api_version : NULL, it->line,
				    it->index, 1, err);
	}
	/* the list's kind is not known yet: keep items that need it */
	if (v->type == JSON_OBJECT && json_str(json_get(v, "kind")) &&
	    *json_str(json_get(v, "kind")))
		return handle_value(r, v, NULL, NULL, it->line, it->index, 1, err);
	if (v->type != JSON_OBJECT)
		return handle_value(r, v, NULL, NULL, it->line, it->index, 1, err);
	XGROW(r->pend, r->cappend, r->npend + 1);
	json_clone(&r->pend_arena, v, &r->pend[r->npend].obj);
	r->pend[r->npend].line = it->line;
	r->pend[r->npend].index = it->index;
	r->npend++;
	return 0;
}

static int json_end_cb(void *ctx, const struct json *env, size_t doc, struct err *err)
{
	struct reader *r = ctx;
	const char *kind = json_str(json_get(env, "kind"));
	const char *api = json_str(json_get(env, "apiVersion"));
	char ibuf[128];
	const char *ikind = typed_item_kind(kind, ibuf, sizeof(ibuf));
	int ret = 0;

	(void)doc;
	if (ikind && r->sink->kind_seen)
		r->sink->kind_seen(r->sink->ctx, ikind);
	for (size_t i = 0; i < r->npend && ret == 0; i++)
		ret = handle_value(r, &r->pend[i].obj, ikind, ikind ? api : NULL,
				   r->pend[i].line, r->pend[i].index, 1, err);
	pend_clear(r);
	return ret;
}

/* ---------------------------------------------------------------- */
/* YAML                                                              */

static int yaml_doc_cb(void *ctx, const struct yaml_doc *d, struct err *err)
{
	struct reader *r = ctx;
	const struct json *v = d->root;
	const char *kind = json_str(json_get(v, "kind"));

	if (v->type == JSON_OBJECT && kind && !*kind)
		kind = NULL;
	if (v->type == JSON_OBJECT && is_list(v, kind))
		return handle_list(r, v, kind, json_str(json_get(v, "apiVersion")),
				   d->item_lines, d->n_item_lines, d->line, 0, err);
	return handle_value(r, v, NULL, NULL, d->line, 0, 0, err);
}

static int read_yaml_buf(struct reader *r, const char *buf, size_t len, struct err *err)
{
	struct arena a;
	int ret;

	arena_init(&a, 0);
	ret = yaml_parse_stream(r->file, buf, len, &a, yaml_doc_cb, r, err);
	arena_release(&a);
	return ret;
}

/* ---------------------------------------------------------------- */
/* sniffing                                                          */

/* Length of a valid UTF-8 sequence at p (1..4), 0 if invalid, -1 if cut short. */
static int utf8_len(const unsigned char *p, size_t n)
{
	int len;
	unsigned c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return -1;
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	}
	return len;
}

/*
 * Decide the format from the first non-blank byte ('{' or '[' is JSON,
 * anything else YAML). Binary data in the first SNIFF_BYTES (a control
 * byte other than tab/LF/CR, e.g. NUL, or invalid UTF-8) is an error
 * naming its offset.
 */
static int sniff(const char *name, const char *p, size_t n, enum fmt *f, struct err *err)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, lim = n > SNIFF_BYTES ? SNIFF_BYTES : n;

	if (n >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		i = 3;
	for (size_t k = i; k < lim;) {
		int l;
		/* C0 controls other than tab, LF, CR: neither JSON nor YAML */
		if (u[k] < 0x20 && u[k] != '\t' && u[k] != '\n' && u[k] != '\r') {
			i = k;
			goto binary;
		}
		l = utf8_len(u + k, lim - k);
		if (l == 0) {
			i = k;
			goto binary;
		}
		if (l < 0)
			break;
		k += (size_t)l;
	}
	while (i < n && (u[i] == ' ' || u[i] == '\t' || u[i] == '\r' || u[i] == '\n'))
		i++;
	if (i >= n)
		*f = FMT_EMPTY;
	else if (u[i] == '{' || u[i] == '[')
		*f = FMT_JSON;
	else
		*f = FMT_YAML;
	return 0;
binary:
	return err_set(err, ERR_INPUT, "%s: not JSON or YAML (binary data at byte %zu)", name, i);
}

/* ---------------------------------------------------------------- */
/* files and descriptors                                             */

/* Read all of fd (at most max bytes) into *out. */
static int slurp(int fd, const char *name, size_t max, const char *prefix, size_t plen,
		 struct buf *out, struct err *err)
{
	char tmp[65536];

	buf_init(out, max + 1);
	if (plen && buf_addn(out, prefix, plen) < 0)
		goto too_big;
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof(tmp));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			buf_release(out);
			return err_set(err, ERR_INPUT, "%s: read error: %s", name, strerror(errno));
		}
		if (n == 0)
			break;
		if (buf_addn(out, tmp, (size_t)n) < 0)
			goto too_big;
	}
	return 0;
too_big:
	buf_release(out);
	return err_set(err, ERR_INPUT, "%s: too big to read as YAML (more than %u MiB)", name,
		       (unsigned)(max >> 20));
}

static int read_buffer_fmt(struct reader *r, const char *buf, size_t len, enum fmt f,
			   struct err *err)
{
	int ret;

	if (f == FMT_EMPTY) {
		warn_add(r->sink->warn, "%s: empty input", r->file);
		return 0;
	}
	if (f == FMT_YAML)
		return read_yaml_buf(r, buf, len, err);
	/* the JSON reader decodes in place: work on a copy */
	char *copy = xmalloc(len + 1);
	memcpy(copy, buf, len);
	copy[len] = '\0';
	ret = json_stream_buf(copy, len, r->file, JSON_STREAM_SKIP_LOG_BLOCKS, json_item_cb,
			      json_end_cb, r, err);
	free(copy);
	return ret;
}

/* Peek at a pipe without consuming it (tee(2)); -1 if not possible. */
static ssize_t peek_pipe(int fd, char *buf, size_t cap)
{
	int p[2];
	ssize_t n, got = 0;

	if (pipe(p) < 0)
		return -1;
	n = tee(fd, p[1], cap, 0);
	if (n > 0) {
		while (got < n) {
			ssize_t k = read(p[0], buf + got, (size_t)(n - got));
			if (k <= 0)
				break;
			got += k;
		}
	}
	close(p[0]);
	close(p[1]);
	return n < 0 ? -1 : got;
}

/* Read an open descriptor (file, pipe, terminal). */
static int read_fd(struct reader *r, int fd, struct err *err)
{
	char head[SNIFF_BYTES];
	struct stat st;
	ssize_t n;
	enum fmt f;
	struct buf all;
	int ret;

	memset(&st, 0, sizeof(st));
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		off_t off = lseek(fd, 0, SEEK_CUR);
		n = pread(fd, head, sizeof(head), off < 0 ? 0 : off);
		if (n < 0)
			return err_set(err, ERR_INPUT, "%s: read error: %s", r->file,
				       strerror(errno));
		if (sniff(r->file, head, (size_t)n, &f, err) < 0)
			return -1;
		if (f == FMT_JSON)
			return json_stream_fd(fd, r->file, JSON_STREAM_SKIP_LOG_BLOCKS,
					      json_item_cb, json_end_cb, r, err);
		/* YAML (or only blanks so far): read whole below */
		if (st.st_size > (off_t)FILES_MAX_YAML)
			return err_set(err, ERR_INPUT,
				       "%s: too big to read as YAML (%lld bytes, limit %u MiB)",
				       r->file, (long long)st.st_size, FILES_MAX_YAML >> 20);
	} else if (S_ISFIFO(st.st_mode) && (n = peek_pipe(fd, head, sizeof(head))) >= 0) {
		if (sniff(r->file, head, (size_t)n, &f, err) < 0)
			return -1;
		if (f == FMT_JSON)
			return json_stream_fd(fd, r->file, JSON_STREAM_SKIP_LOG_BLOCKS,
					      json_item_cb, json_end_cb, r, err);
	}
	/* YAML, or a descriptor we cannot peek at: read it whole (bounded) */
	if (slurp(fd, r->file, FILES_MAX_YAML, NULL, 0, &all, err) < 0)
		return -1;
	if (sniff(r->file, all.p ? all.p : "", all.len, &f, err) < 0) {
		buf_release(&all);
		return -1;
	}
	ret = read_buffer_fmt(r, all.p ? all.p : "", all.len, f, err);
	buf_release(&all);
	return ret;
}

static int read_file(const struct source_sink *sink, const char *path, struct err *err)
{
	struct reader r;
	int fd, ret;

	memset(&r, 0, sizeof(r));
	r.sink = sink;
	r.file = path;
	arena_init(&r.pend_arena, 0);
	if (strcmp(path, "-") == 0) {
		ret = read_fd(&r, STDIN_FILENO, err);
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ret = err_set(err, ERR_INPUT, "%s: %s", path, strerror(errno));
		} else {
			ret = read_fd(&r, fd, err);
			close(fd);
		}
	}
	free(r.pend);
	arena_release(&r.pend_arena);
	return ret;
}

/* ---------------------------------------------------------------- */
/* directories                                                       */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);
	return n > e && strcmp(name + n - e, ext) == 0;
}

/* parts[] are the directory names below the root, depth of them. */
static int read_dir(const struct source_sink *sink, const char *dir, const char **parts,
		    unsigned depth, struct err *err)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int ret = 0;

	if (depth > MAX_DIR_DEPTH) {
		warn_add(sink->warn, "%s: directories nested too deep, skipped", dir);
		return 0;
	}
	d = opendir(dir);
	if (!d)
		return err_set(err, ERR_INPUT, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;       /* hidden, "." and ".." */
		XGROW(names, cap, n + 1);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n && ret == 0; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		struct stat st;

		if (lstat(path, &st) < 0) {
			warn_add(sink->warn, "%s: %s, skipped", path, strerror(errno));
		} else if (S_ISLNK(st.st_mode) && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			warn_add(sink->warn, "%s: symbolic link to a directory, not followed",
				 path);
		} else if (S_ISDIR(st.st_mode)) {
			parts[depth] = names[i];
			ret = read_dir(sink, path, parts, depth + 1, err);
		} else if (!S_ISREG(st.st_mode)) {
			warn_add(sink->warn, "%s: not a regular file, skipped", path);
		} else if (has_ext(names[i], ".json") || has_ext(names[i], ".yaml") ||
			   has_ext(names[i], ".yml")) {
			ret = read_file(sink, path, err);
		} else if (strcmp(names[i], "logs.txt") == 0 && depth >= 2) {
			/* cluster-info dump: <root>/<ns>/<pod>/logs.txt */
			if (sink->log)
				ret = sink->log(sink->ctx, parts[depth - 2], parts[depth - 1],
						path, err);
		} else {
			warn_add(sink->warn, "%s: not a .json/.yaml/.yml file, skipped", path);
		}
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

int source_files_read(const char *path, const struct source_sink *sink, struct err *err)
{
	struct stat st;
	const char *parts[MAX_DIR_DEPTH + 2];

	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return read_dir(sink, path, parts, 0, err);
	if (strcmp(path, "-") != 0 && access(path, R_OK) != 0)
		return err_set(err, ERR_INPUT, "%s: %s", path, strerror(errno));
	return read_file(sink, path, err);
}

int source_buffer_read(const char *name, const char *buf, size_t len,
		       const struct source_sink *sink, struct err *err)
{
	struct reader r;
	enum fmt f;
	int ret;

	memset(&r, 0, sizeof(r));
	r.sink = sink;
	r.file = name;
	arena_init(&r.pend_arena, 0);
	ret = sniff(name, buf, len, &f, err);
	if (ret == 0)
		ret = read_buffer_fmt(&r, buf, len, f, err);
	free(r.pend);
	arena_release(&r.pend_arena);
	return ret;
}
