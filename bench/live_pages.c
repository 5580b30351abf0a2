/*
 * live_pages: pre-serialise the paged LIST answers of a snapshot for the
 * live benchmark (bench/live.sh), so that nginx serves them as static
 * files and serving is not what is measured.
 *
 *   live_pages [--limit N] [--keep-ns NS]... -o DIR SNAPSHOT...
 *
 * Reads the snapshot with the project's own reader (source/files.h: one
 * object at a time, never the whole file in memory) and writes:
 *
 *   DIR/pages/<list path>/l<N>-first.json    first page of the all-namespace LIST
 *   DIR/pages/<list path>/l<N>-c<T>.json     the page that continue=T asks for
 *   DIR/manifest.txt                         "<list path> <pages> <items> <bytes>" per list
 *   DIR/objects.jsonl                        for tests/apiserver/server.py: every
 *                                            cluster-scoped object and Secret, every
 *                                            object of a --keep-ns namespace, the kinds
 *                                            seen, __now
 *
 * <list path> is /api/v1/pods, /apis/apps/v1/deployments, ... (from each
 * object's apiVersion and kind). A page is what kube-apiserver answers to
 * GET <list path>?limit=N[&continue=T]: {"kind":"PodList","apiVersion":"v1",
 * "metadata":{"resourceVersion":"1000","continue":"T","remainingItemCount":R},
 * "items":[...]}, items without kind and apiVersion, compact; the last page
 * has no continue. Items keep the snapshot's order. Tokens are p1, p2, ...
 * (opaque to the clients). The objects go through a spool file per list
 * (DIR/spool/, removed at the end) so memory stays small.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "../src/json/json_write.h"
#include "../src/model/model.h"
#include "../src/source/files.h"
#include "../src/util/xalloc.h"

#include "../src/util/banned.h"

#define MAX_LISTS 64
#define MAX_KEEP 16

struct list {
	char *path;        /* /api/v1/pods */
	char *kind;        /* Pod */
	char *api_version; /* v1 */
	char *spool;       /* DIR/spool/N.jsonl */
	FILE *f;
	unsigned long items;
};

struct pages {
	const char *dir;
	unsigned long limit;
	const char *keep[MAX_KEEP];
	size_t nkeep;
	struct list lists[MAX_LISTS];
	size_t nlists;
	char *seen[K__COUNT];
	FILE *objects;     /* DIR/objects.jsonl */
	struct model *m;
};

static int mkdirs(const char *path, struct err *err)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; ; s++) {
		if (*s == '/' || !*s) {
			char c = *s;
			*s = 0;
			if (mkdir(p, 0755) < 0 && errno != EEXIST) {
				rc = err_set(err, ERR_INPUT, "mkdir %s: %s", p, strerror(errno));
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

static bool cluster_scoped(const char *kind)
{
	return !strcmp(kind, "Node") || !strcmp(kind, "IngressClass") ||
	       !strcmp(kind, "Namespace");
}

/* One object as dump_objects writes it: kind, apiVersion, then the rest. */
static void write_object(FILE *f, const struct src_obj *o, const char *av, bool typed)
{
	struct json_w w;

	json_w_init(&w, f, 0);
	json_w_obj(&w);
	if (!typed) {
		json_w_key(&w, "kind");
		json_w_str(&w, o->kind);
		json_w_key(&w, "apiVersion");
		json_w_str(&w, av);
	}
	for (size_t i = 0; i < o->obj->n; i++) {
		const struct json_member *mb = &o->obj->u.members[i];
		if (!strcmp(mb->key, "kind") || !strcmp(mb->key, "apiVersion"))
			continue;
		json_w_key(&w, mb->key);
		json_w_value(&w, &mb->val);
	}
	json_w_end(&w);
	/* a newline, no flush per object: json_w_finish would flush */
	putc('\n', f);
}

static struct list *list_for(struct pages *pg, const char *kind, const char *av,
			     struct err *err)
{
	enum kind k = kind_from_name(kind);
	char *path;
	struct list *l;

	if (k == K_UNKNOWN)
		return NULL;
	path = strchr(av, '/') ? xasprintf("/apis/%s/%s", av, kind_resource(k))
			       : xasprintf("/api/%s/%s", av, kind_resource(k));
	for (size_t i = 0; i < pg->nlists; i++)
		if (!strcmp(pg->lists[i].path, path)) {
			free(path);
			return &pg->lists[i];
		}
	if (pg->nlists == MAX_LISTS) {
		free(path);
		err_set(err, ERR_INPUT, "more than %d lists", MAX_LISTS);
		return NULL;
	}
	l = &pg->lists[pg->nlists];
	l->spool = xasprintf("%s/spool/%zu.jsonl", pg->dir, pg->nlists);
	l->f = fopen(l->spool, "w");
	if (!l->f) {
		err_set(err, ERR_INPUT, "%s: %s", l->spool, strerror(errno));
		free(l->spool);
		free(path);
		return NULL;
	}
	pg->nlists++;
	l->path = path;
	l->kind = xstrdup(kind);
	l->api_version = xstrdup(av);
	return l;
}

static void note_seen(struct pages *pg, const char *kind)
{
	enum kind k = kind_from_name(kind);

	if (k != K_UNKNOWN && !pg->seen[k])
		pg->seen[k] = xstrdup(kind);
}

static void on_seen(void *ctx, const char *kind)
{
	note_seen(ctx, kind);
}

static int on_object(void *ctx, const struct src_obj *o, struct err *err)
{
	struct pages *pg = ctx;
	const char *av = o->api_version && *o->api_version ? o->api_version : "v1";
	const char *ns = json_str(json_get(json_get(o->obj, "metadata"), "namespace"));
	struct list *l;
	bool keep = cluster_scoped(o->kind);

	if (model_add(pg->m, o, err) < 0)
		return -1;
	if (!strcmp(o->kind, "Secret")) {
		/* never a static page: server.py answers metadata-only lists as asked */
		note_seen(pg, o->kind);
		write_object(pg->objects, o, av, false);
		return 0;
	}
	l = list_for(pg, o->kind, av, err);
	if (!l)
		return err->code ? -1 : 0;   /* a kind the checks do not use: skipped */
	note_seen(pg, o->kind);
	write_object(l->f, o, av, true);
	l->items++;
	for (size_t i = 0; ns && i < pg->nkeep && !keep; i++)
		keep = !strcmp(ns, pg->keep[i]);
	if (keep)
		write_object(pg->objects, o, av, false);
	return 0;
}

/* Split one spool into pages of limit items. */
static int write_pages(struct pages *pg, struct list *l, FILE *manifest, struct err *err)
{
	char *dir = xasprintf("%s/pages%s", pg->dir, l->path);
	char *line = NULL, *name = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long page = 0, in_page = 0, done = 0;
	unsigned long long bytes = 0;
	FILE *in = NULL, *out = NULL;
	int rc = -1;

	if (mkdirs(dir, err) < 0)
		goto out;
	in = fopen(l->spool, "r");
	if (!in) {
		err_set(err, ERR_INPUT, "%s: %s", l->spool, strerror(errno));
		goto out;
	}
	for (;;) {
		n = getline(&line, &cap, in);
		if (!out) {
			free(name);
			name = page ? xasprintf("%s/l%lu-cp%lu.json", dir, pg->limit, page)
				    : xasprintf("%s/l%lu-first.json", dir, pg->limit);
			out = fopen(name, "w");
			if (!out) {
				err_set(err, ERR_INPUT, "%s: %s", name, strerror(errno));
				goto out;
			}
			fprintf(out, "{\"kind\":\"%sList\",\"apiVersion\":\"%s\",\"metadata\":"
				"{\"resourceVersion\":\"1000\"", l->kind, l->api_version);
			if (done + pg->limit < l->items)
				fprintf(out, ",\"continue\":\"p%lu\",\"remainingItemCount\":%lu",
					page + 1, l->items - done - pg->limit);
			fputs("},\"items\":[", out);
			in_page = 0;
		}
		if (n > 0) {
			if (line[n - 1] == '\n')
				line[--n] = 0;
			if (in_page)
				putc(',', out);
			fwrite(line, 1, (size_t)n, out);
			in_page++;
			done++;
		}
		if (n < 0 || in_page == pg->limit) {
			fputs("]}\n", out);
			bytes += (unsigned long long)ftello(out);
			if (fclose(out) != 0) {
				out = NULL;
				err_set(err, ERR_INPUT, "%s: %s", name, strerror(errno));
				goto out;
			}
			out = NULL;
			page++;
			if (n < 0 || done == l->items)
				break;
		}
	}
	if (done != l->items) {
		err_set(err, ERR_INPUT, "%s: %lu items spooled, %lu read back", l->spool,
			l->items, done);
		goto out;
	}
	fprintf(manifest, "%s %lu %lu %llu\n", l->path, page, l->items, bytes);
	rc = 0;
out:
	if (out)
		fclose(out);
	if (in)
		fclose(in);
	free(line);
	free(name);
	free(dir);
	return rc;
}

static int usage(void)
{
	fputs("usage: live_pages [--limit N] [--keep-ns NS]... -o DIR SNAPSHOT...\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct pages pg;
	struct warnings w;
	struct model m;
	struct source_sink sink = { NULL, on_object, on_seen, NULL, NULL };
	struct err err = ERR_INIT;
	FILE *manifest = NULL;
	char *p = NULL, now[40];
	int i, rc = 1;

	memset(&pg, 0, sizeof(pg));
	pg.limit = 500;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--limit") && i + 1 < argc) {
			char *end;
			pg.limit = strtoul(argv[++i], &end, 10);
			if (*end || !pg.limit)
				return usage();
		} else if (!strcmp(argv[i], "--keep-ns") && i + 1 < argc && pg.nkeep < MAX_KEEP) {
			pg.keep[pg.nkeep++] = argv[++i];
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			pg.dir = argv[++i];
		} else {
			return usage();
		}
	}
	if (!pg.dir || i == argc)
		return usage();
	warnings_init(&w);
	model_init(&m, &w);
	pg.m = &m;
	sink.ctx = &pg;
	sink.warn = &w;
	p = xasprintf("%s/spool", pg.dir);
	if (mkdirs(p, &err) < 0)
		goto out;
	free(p);
	p = xasprintf("%s/objects.jsonl", pg.dir);
	pg.objects = fopen(p, "w");
	if (!pg.objects) {
		err_set(&err, ERR_INPUT, "%s: %s", p, strerror(errno));
		goto out;
	}
	for (; i < argc; i++)
		if (source_files_read(argv[i], &sink, &err) < 0)
			goto out;
	model_finish(&m);
	for (int k = 0; k < K__COUNT; k++)
		if (pg.seen[k])
			fprintf(pg.objects, "{\"__kind_seen\":\"%s\"}\n", pg.seen[k]);
	if (m.now) {
		ktime_format(m.now, now, sizeof(now));
		fprintf(pg.objects, "{\"__now\":\"%s\"}\n", now);
	}
	free(p);
	p = xasprintf("%s/manifest.txt", pg.dir);
	manifest = fopen(p, "w");
	if (!manifest) {
		err_set(&err, ERR_INPUT, "%s: %s", p, strerror(errno));
		goto out;
	}
	for (size_t j = 0; j < pg.nlists; j++) {
		if (fclose(pg.lists[j].f) != 0) {
			pg.lists[j].f = NULL;
			err_set(&err, ERR_INPUT, "%s: %s", pg.lists[j].spool, strerror(errno));
			goto out;
		}
		pg.lists[j].f = NULL;
		if (write_pages(&pg, &pg.lists[j], manifest, &err) < 0)
			goto out;
		unlink(pg.lists[j].spool);
	}
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "live_pages: %s\n", err.msg);
	if (manifest && fclose(manifest) != 0 && !rc) {
		fprintf(stderr, "live_pages: manifest: %s\n", strerror(errno));
		rc = 1;
	}
	if (pg.objects && fclose(pg.objects) != 0 && !rc) {
		fprintf(stderr, "live_pages: objects: %s\n", strerror(errno));
		rc = 1;
	}
	for (size_t j = 0; j < pg.nlists; j++) {
		if (pg.lists[j].f)
			fclose(pg.lists[j].f);
		free(pg.lists[j].path);
		free(pg.lists[j].kind);
		free(pg.lists[j].api_version);
		free(pg.lists[j].spool);
	}
	for (int k = 0; k < K__COUNT; k++)
		free(pg.seen[k]);
	if (!rc) {
		free(p);
		p = xasprintf("%s/spool", pg.dir);
		rmdir(p);
	}
	free(p);
	model_release(&m);
	warnings_release(&w);
	return rc;
}
