/*
 * snapshot: typed-list files per kind plus version and forbidden kinds
 * (snapshot.h).
 */
#include "snapshot.h"
#include "../json/json_write.h"
#include "../util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/banned.h"

#define META_DIR ".ingress-doctor"

static bool dir_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool empty = true;

	if (!d)
		return false;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

int snap_open(struct snap_writer *s, const char *dir, struct err *err)
{
	memset(s, 0, sizeof(*s));
	if (mkdir(dir, 0700) < 0) {
		if (errno != EEXIST || !dir_empty(dir))
			return err_set(err, ERR_INPUT, "snapshot directory '%s': %s", dir,
				       errno == EEXIST ? "exists and is not empty" : strerror(errno));
	}
	if (chmod(dir, 0700) < 0)
		return err_set(err, ERR_INPUT, "snapshot directory '%s': %s", dir, strerror(errno));
	s->dir = xstrdup(dir);
	return 0;
}

static FILE *create(struct snap_writer *s, const char *name, struct err *err)
{
	char *path = xasprintf("%s/%s", s->dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f) {
		err_set(err, ERR_INPUT, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	free(path);
	return f;
}

/* A name usable as one path component. */
static bool plain_name(const char *n)
{
	return *n && strcmp(n, ".") && strcmp(n, "..") && !strchr(n, '/');
}

static int mkdir_0700(const char *path, struct err *err)
{
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return err_set(err, ERR_INPUT, "%s: %s", path, strerror(errno));
	return 0;
}

int snap_write_log(struct snap_writer *s, const char *ns, const char *pod, const char *text,
		   size_t len, struct err *err)
{
	char *d1, *d2, *rel;
	FILE *f = NULL;
	int rc = -1;

	if (!plain_name(ns) || !plain_name(pod))
		return err_set(err, ERR_INPUT, "pod %s/%s: not a usable file name", ns, pod);
	d1 = xasprintf("%s/%s", s->dir, ns);
	d2 = xasprintf("%s/%s/%s", s->dir, ns, pod);
	rel = xasprintf("%s/%s/logs.txt", ns, pod);
	if (mkdir_0700(d1, err) < 0 || mkdir_0700(d2, err) < 0)
		goto out;
	f = create(s, rel, err);
	if (!f)
		goto out;
	if (len && fwrite(text, 1, len, f) != len) {
		err_set(err, ERR_INPUT, "%s/%s: %s", s->dir, rel, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (f && fclose(f) != 0 && rc == 0)
		rc = err_set(err, ERR_INPUT, "%s/%s: %s", s->dir, rel, strerror(errno));
	free(d1);
	free(d2);
	free(rel);
	return rc;
}

static FILE *kind_file(struct snap_writer *s, enum kind k)
{
	char *name;

	if (s->f[k])
		return s->f[k];
	name = xasprintf("%s.json", kind_resource(k));
	s->f[k] = create(s, name, &s->err);
	free(name);
	if (s->f[k])
		fprintf(s->f[k], "{\"apiVersion\":\"v1\",\"kind\":\"%sList\",\"metadata\":{},"
			"\"items\":[", kind_name(k));
	return s->f[k];
}

static int snap_object(void *ctx, const struct src_obj *o, struct err *err)
{
	struct snap_writer *s = ctx;
	enum kind k = kind_from_name(o->kind);
	struct json_w w;
	FILE *f;

	if (k != K_UNKNOWN) {
		f = kind_file(s, k);
		if (!f) {
			*err = s->err;
			return -1;
		}
		fputs(s->items[k]++ ? ",\n" : "\n", f);
		json_w_init(&w, f, 0);
		json_w_obj(&w);
		json_w_key(&w, "apiVersion");
		json_w_str(&w, o->api_version);
		json_w_key(&w, "kind");
		json_w_str(&w, o->kind);
		for (size_t i = 0; i < o->obj->n; i++) {
			const struct json_member *mm = &o->obj->u.members[i];
			if (!strcmp(mm->key, "kind") || !strcmp(mm->key, "apiVersion"))
				continue;
			if (k == K_SECRET && strcmp(mm->key, "metadata") && strcmp(mm->key, "type"))
				continue;   /* never data */
			json_w_key(&w, mm->key);
			json_w_value(&w, &mm->val);
		}
		json_w_end(&w);
	}
	return s->inner.object ? s->inner.object(s->inner.ctx, o, err) : 0;
}

static void snap_kind_seen(void *ctx, const char *kind)
{
	struct snap_writer *s = ctx;
	enum kind k = kind_from_name(kind);

	if (k != K_UNKNOWN)
		kind_file(s, k);
	if (s->inner.kind_seen)
		s->inner.kind_seen(s->inner.ctx, kind);
}

struct source_sink snap_sink(struct snap_writer *s, const struct source_sink *inner)
{
	struct source_sink k;

	memset(&s->inner, 0, sizeof(s->inner));
	if (inner)
		s->inner = *inner;
	memset(&k, 0, sizeof(k));
	k.ctx = s;
	k.object = snap_object;
	k.kind_seen = snap_kind_seen;
	k.warn = inner ? inner->warn : NULL;
	return k;
}

static int finish_file(FILE *f, const char *what, struct err *err)
{
	int bad = ferror(f);

	if (fclose(f) != 0 || bad)
		return err_set(err, ERR_INPUT, "writing %s failed", what);
	return 0;
}

int snap_close(struct snap_writer *s, const struct live_result *res, struct err *err)
{
	struct json_w w;
	FILE *f;
	char *meta;
	int rc = 0;

	for (int k = 0; k < K__COUNT; k++) {
		if (!s->f[k])
			continue;
		fputs("\n]}\n", s->f[k]);
		if (finish_file(s->f[k], kind_resource((enum kind)k), err) < 0)
			rc = -1;
		s->f[k] = NULL;
	}
	if (rc < 0)
		goto out;
	meta = xasprintf("%s/%s", s->dir, META_DIR);
	if (mkdir(meta, 0700) < 0 && errno != EEXIST) {
		rc = err_set(err, ERR_INPUT, "%s: %s", meta, strerror(errno));
		free(meta);
		goto out;
	}
	free(meta);
	if (!(f = create(s, META_DIR "/version.json", err))) {
		rc = -1;
		goto out;
	}
	json_w_init(&w, f, 2);
	json_w_obj(&w);
	json_w_key(&w, "gitVersion");
	json_w_str(&w, res->cluster_version);
	json_w_end(&w);
	json_w_finish(&w);
	if (finish_file(f, "version.json", err) < 0 ||
	    !(f = create(s, META_DIR "/forbidden.json", err))) {
		rc = -1;
		goto out;
	}
	json_w_init(&w, f, 2);
	json_w_obj(&w);
	json_w_key(&w, "forbidden");
	json_w_arr(&w);
	for (int k = 0; k < K__COUNT; k++) {
		if (!res->forbidden[k])
			continue;
		json_w_obj(&w);
		json_w_key(&w, "kind");
		json_w_str(&w, kind_name((enum kind)k));
		json_w_key(&w, "fix");
		json_w_str(&w, res->forbidden_msg[k] ? res->forbidden_msg[k] : "");
		json_w_end(&w);
	}
	json_w_end(&w);
	json_w_end(&w);
	json_w_finish(&w);
	rc = finish_file(f, "forbidden.json", err);
out:
	free(s->dir);
	s->dir = NULL;
	return rc;
}

void snap_abort(struct snap_writer *s)
{
	for (int k = 0; k < K__COUNT; k++)
		if (s->f[k])
			fclose(s->f[k]);
	free(s->dir);
	memset(s, 0, sizeof(*s));
}

static int read_json(const char *path, struct arena *a, struct json *out, bool *found,
		     struct err *err)
{
	struct kc_blob b;
	struct json_error je;
	struct err e2 = ERR_INIT;

	*found = false;
	if (access(path, F_OK) != 0)
		return 0;
	if (kc_read_file(a, path, 1u << 20, "snapshot", &b, &e2) < 0)
		return err_set(err, ERR_INPUT, "%s", e2.msg);
	if (json_parse((char *)b.p, b.n, a, out, &je) < 0)
		return err_set(err, ERR_INPUT, "%s:%u:%u: %s", path, je.line, je.col, je.msg);
	*found = true;
	return 0;
}

int snap_meta_read(const char *dir, struct model *m, struct err *err)
{
	struct stat st;
	struct arena a;
	struct json root;
	bool found;
	char *p;
	int rc = -1;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	arena_init(&a, 0);
	p = xasprintf("%s/" META_DIR "/version.json", dir);
	if (read_json(p, &a, &root, &found, err) < 0)
		goto out;
	if (found && json_str(json_get(&root, "gitVersion")) &&
	    *json_str(json_get(&root, "gitVersion")))
		m->cluster_version = arena_strdup(&m->arena, json_str(json_get(&root, "gitVersion")));
	free(p);
	p = xasprintf("%s/" META_DIR "/forbidden.json", dir);
	if (read_json(p, &a, &root, &found, err) < 0)
		goto out;
	if (found) {
		const struct json *l = json_get(&root, "forbidden");
		for (size_t i = 0; json_is(l, JSON_ARRAY) && i < l->n; i++) {
			enum kind k = kind_from_name(json_str(json_get(&l->u.items[i], "kind")));
			if (k != K_UNKNOWN)
				m->forbidden[k] = true;
		}
	}
	rc = 0;
out:
	free(p);
	arena_release(&a);
	return rc;
}
