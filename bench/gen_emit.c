/*
 * gen_emit.c: the generator's JSON writer and formatting helpers.
 *
 * Output matches Go's json.MarshalIndent(v, "", "    ") as kubectl uses
 * it: "{" then one member per line indented by four spaces per level,
 * ": " after keys, empty objects and arrays as "{}" and "[]", and the
 * characters <, > and & escaped as \u003c, \u003e, \u0026. Bytes go
 * through a 1 MiB buffer straight to write(2). Also the object shapes
 * every writer repeats (object head, metadata tail, managedFields
 * entries, the controller's labels, a LoadBalancer status).
 */
#include "gen.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JW_BUF (1u << 20)

static const char spaces[] =
	"                                                                "
	"                                                                "
	"                                                                "
	"                                                                ";

static int write_err;

static void flush(struct jw *w)
{
	size_t off = 0;

	while (off < w->len) {
		ssize_t n = write(w->fd, w->buf + off, w->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			write_err = errno;
			break;
		}
		off += (size_t)n;
	}
	w->total += w->len;
	w->len = 0;
}

static inline void room(struct jw *w, size_t n)
{
	if (w->len + n > w->cap)
		flush(w);
}

static inline void put(struct jw *w, const char *s, size_t n)
{
	if (n > w->cap / 2) {
		flush(w);
		w->len = n;
		memcpy(w->buf, s, n);   /* never happens for our values */
		return;
	}
	room(w, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

void jw_init(struct jw *w, int fd, bool check)
{
	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->cap = JW_BUF;
	w->buf = malloc(w->cap);
	if (!w->buf) {
		fputs("gen_snapshot: out of memory\n", stderr);
		exit(70);
	}
	w->check = check;
	w->empty[0] = true;
}

int jw_finish(struct jw *w)
{
	put(w, "\n", 1);
	flush(w);
	free(w->buf);
	w->buf = NULL;
	if (write_err) {
		fprintf(stderr, "gen_snapshot: write: %s\n", strerror(write_err));
		return -1;
	}
	return 0;
}

/* Escape like encoding/json with HTML escaping (ASCII input). */
static void put_quoted(struct jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	put(w, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&')
			continue;
		put(w, run, (size_t)(s - run));
		run = s + 1;
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			put(w, e, 2);
		} else if (c == '\n') {
			put(w, "\\n", 2);
		} else if (c == '\t') {
			put(w, "\\t", 2);
		} else if (c == '\r') {
			put(w, "\\r", 2);
		} else {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			put(w, e, 6);
		}
	}
	put(w, run, (size_t)(s - run));
	put(w, "\"", 1);
}

static void member(struct jw *w, const char *key)
{
	unsigned d = w->depth;
	size_t ind = (size_t)d * 4;

	if (ind > sizeof(spaces) - 1)
		ind = sizeof(spaces) - 1;
	room(w, ind + 2);
	if (w->empty[d]) {
		w->buf[w->len++] = '\n';
		w->empty[d] = false;
	} else {
		w->buf[w->len++] = ',';
		w->buf[w->len++] = '\n';
	}
	memcpy(w->buf + w->len, spaces, ind);
	w->len += ind;
	if (!key)
		return;
	if (w->check) {
		if (w->last[d][0] && strcmp(w->last[d], key) >= 0) {
			fprintf(stderr, "gen_snapshot: key order: \"%s\" after \"%s\"\n", key,
				w->last[d]);
			abort();
		}
		snprintf(w->last[d], sizeof(w->last[d]), "%s", key);
	}
	put_quoted(w, key);
	put(w, ": ", 2);
}

static void open_(struct jw *w, const char *key, char c)
{
	member(w, key);
	put(w, &c, 1);
	if (++w->depth >= JW_MAX_DEPTH) {
		fputs("gen_snapshot: too deep\n", stderr);
		abort();
	}
	w->empty[w->depth] = true;
	w->last[w->depth][0] = '\0';
}

static void close_(struct jw *w, char c)
{
	unsigned d = w->depth--;

	if (!w->empty[d]) {
		size_t ind = (size_t)w->depth * 4;
		room(w, ind + 1);
		w->buf[w->len++] = '\n';
		memcpy(w->buf + w->len, spaces, ind);
		w->len += ind;
	}
	put(w, &c, 1);
}

void jw_obj(struct jw *w, const char *key)
{
	open_(w, key, '{');
}

void jw_end(struct jw *w)
{
	close_(w, '}');
}

void jw_arr(struct jw *w, const char *key)
{
	open_(w, key, '[');
}

void jw_end_arr(struct jw *w)
{
	close_(w, ']');
}

void jw_leaf(struct jw *w, const char *key)
{
	member(w, key);
	put(w, "{}", 2);
}

void jw_str(struct jw *w, const char *key, const char *val)
{
	member(w, key);
	put_quoted(w, val);
}

void jw_strf(struct jw *w, const char *key, const char *fmt, ...)
{
	char tmp[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	jw_str(w, key, tmp);
}

void jw_int(struct jw *w, const char *key, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	member(w, key);
	put(w, p, (size_t)(tmp + sizeof(tmp) - p));
}

void jw_bool(struct jw *w, const char *key, bool v)
{
	member(w, key);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void jw_null(struct jw *w, const char *key)
{
	member(w, key);
	put(w, "null", 4);
}

void jw_time(struct jw *w, const char *key, int64_t epoch)
{
	char t[24];

	fmt_time(t, epoch);
	jw_str(w, key, t);
}

/* ---- hashing and formatting ---- */

uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static void put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
void fmt_time(char *out, int64_t epoch)
{
	int64_t days = epoch / 86400, secs = epoch % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	put2(out, (unsigned)(y / 100));
	put2(out + 2, (unsigned)(y % 100));
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '-';
	put2(out + 8, d);
	out[10] = 'T';
	put2(out + 11, (unsigned)(secs / 3600));
	out[13] = ':';
	put2(out + 14, (unsigned)(secs / 60 % 60));
	out[16] = ':';
	put2(out + 17, (unsigned)(secs % 60));
	out[19] = 'Z';
	out[20] = '\0';
}

void fmt_hex(char *out, uint64_t h, unsigned n)
{
	static const char hex[] = "0123456789abcdef";

	for (unsigned i = 0; i < n; i++) {
		if (i && i % 16 == 0)
			h = mix64(h);
		out[i] = hex[(h >> ((i % 16) * 4)) & 15];
	}
	out[n] = '\0';
}

void fmt_uid(char *out, uint64_t a, uint64_t b)
{
	char h[33];

	fmt_hex(h, a, 16);
	fmt_hex(h + 16, b, 16);
	h[12] = '4';
	h[16] = "89ab"[b & 3];
	memcpy(out, h, 8);
	out[8] = '-';
	memcpy(out + 9, h + 8, 4);
	out[13] = '-';
	memcpy(out + 14, h + 12, 4);
	out[18] = '-';
	memcpy(out + 19, h + 16, 4);
	out[23] = '-';
	memcpy(out + 24, h + 20, 12);
	out[36] = '\0';
}

void fmt_rand_name(char *out, uint64_t h, unsigned n)
{
	/* k8s.io/apimachinery/pkg/util/rand: consonants and digits */
	static const char alnum[] = "bcdfghjklmnpqrstvwxz2456789";

	for (unsigned i = 0; i < n; i++) {
		out[i] = alnum[h % 27];
		h /= 27;
		if (i % 12 == 11)
			h = mix64(h + i);
	}
	out[n] = '\0';
}

/* ---- repeated object shapes ---- */

/* The ingress-nginx controller's load balancer (AWS NLB style). */
#define ELB "k8s-ingressn-ingressn-3f5d2b9c1e-6e1f0b8a2c4d9e7f.elb.eu-west-1.amazonaws.com"

void obj_head(struct jw *w, const char *api, const char *kind)
{
	jw_obj(w, NULL);
	jw_str(w, "apiVersion", api);
	jw_str(w, "kind", kind);
	jw_obj(w, "metadata");
}

void meta_tail(struct jw *w, const char *name, const char *ns, const char *rv, const char *uid)
{
	jw_str(w, "name", name);
	if (ns)
		jw_str(w, "namespace", ns);
	jw_str(w, "resourceVersion", rv);
	jw_str(w, "uid", uid);
	jw_end(w);
}

void owner_ref(struct jw *w, const char *api, const char *kind, const char *name,
	       const char *uid)
{
	jw_arr(w, "ownerReferences");
	jw_obj(w, NULL);
	jw_str(w, "apiVersion", api);
	jw_bool(w, "blockOwnerDeletion", true);
	jw_bool(w, "controller", true);
	jw_str(w, "kind", kind);
	jw_str(w, "name", name);
	jw_str(w, "uid", uid);
	jw_end(w);
	jw_end_arr(w);
}

void managed_head(struct jw *w, const char *api)
{
	jw_obj(w, NULL);
	jw_str(w, "apiVersion", api);
	jw_str(w, "fieldsType", "FieldsV1");
	jw_obj(w, "fieldsV1");
}

void managed_tail(struct jw *w, const char *mgr, const char *sub, int64_t t)
{
	jw_end(w);   /* fieldsV1 */
	jw_str(w, "manager", mgr);
	jw_str(w, "operation", "Update");
	if (sub)
		jw_str(w, "subresource", sub);
	jw_time(w, "time", t);
	jw_end(w);
}

void ctl_match_labels(struct jw *w)
{
	jw_str(w, "app.kubernetes.io/component", "controller");
	jw_str(w, "app.kubernetes.io/instance", "ingress-nginx");
	jw_str(w, "app.kubernetes.io/name", "ingress-nginx");
}

void ctl_helm_labels(struct jw *w)
{
	jw_str(w, "app.kubernetes.io/component", "controller");
	jw_str(w, "app.kubernetes.io/instance", "ingress-nginx");
	jw_str(w, "app.kubernetes.io/managed-by", "Helm");
	jw_str(w, "app.kubernetes.io/name", "ingress-nginx");
	jw_str(w, "app.kubernetes.io/part-of", "ingress-nginx");
	jw_str(w, "app.kubernetes.io/version", "1.11.2");
}

void lb_status(struct jw *w, bool lb)
{
	jw_obj(w, "status");
	jw_obj(w, "loadBalancer");
	if (lb) {
		jw_arr(w, "ingress");
		jw_obj(w, NULL);
		jw_str(w, "hostname", ELB);
		jw_end(w);
		jw_end_arr(w);
	}
	jw_end(w);
	jw_end(w);
}
