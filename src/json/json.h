/*
 * json: the project's JSON reader (DOM) and the value accessors.
 *
 * The reader parses a mutable buffer in place: strings are unescaped
 * inside the buffer and NUL-terminated there (zero copy), nodes come from
 * an arena. The buffer and the arena must outlive the DOM.
 *
 * The YAML walk (yaml/yaml.h) builds the same DOM, so everything above
 * the sources sees one tree type. Numbers keep their source text; use
 * json_get_int()/json_get_double() to read them.
 *
 *   struct arena a; struct json root; struct json_error e;
 *   arena_init(&a, 0);
 *   if (json_parse(buf, len, &a, &root, &e) < 0)
 *           fprintf(stderr, "%s:%u:%u: %s\n", file, e.line, e.col, e.msg);
 *   const struct json *name = json_path(&root, "metadata", "name", NULL);
 *   arena_release(&a);
 */
#ifndef ID_JSON_H
#define ID_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"

enum json_type {
	JSON_NULL = 0, /* also the type of a missing value (see json_get) */
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,   /* u.s holds the number's text, n its length */
	JSON_STRING,   /* u.s holds the decoded bytes (NUL-terminated), n its length */
	JSON_ARRAY,    /* u.items[0..n) */
	JSON_OBJECT,   /* u.members[0..n), in document order; keys may repeat */
};

struct json_member;

struct json {
	uint8_t type;     /* enum json_type */
	uint8_t flags;    /* JSON_F_* */
	uint32_t n;       /* string/number length, item or member count */
	union {
		const char *s;
		struct json *items;
		struct json_member *members;
	} u;
};

/* flags */
#define JSON_F_FROM_YAML 0x01   /* node built by the YAML walk */

struct json_member {
	const char *key;   /* NUL-terminated */
	uint32_t klen;
	struct json val;
};

struct json_error {
	size_t offset;     /* byte offset of the error in the buffer */
	unsigned line;     /* 1-based */
	unsigned col;      /* 1-based, in bytes */
	char msg[128];     /* e.g. "expected ',' or '}' after object member" */
};

/* Limits that make hostile input fail cleanly instead of exhausting the stack. */
#define JSON_MAX_DEPTH 512

/*
 * Parse exactly one JSON value from buf[0..len) (surrounding whitespace
 * allowed). buf is modified (strings decoded in place); buf[len] need not
 * be readable. Returns 0, or -1 with *e filled (line/col computed).
 * Strict RFC 8259: no comments, no trailing commas, no NaN; invalid UTF-8
 * inside strings is accepted as bytes (as encoding/json does, it is not
 * our job to police it), invalid escapes are errors.
 */
int json_parse(char *buf, size_t len, struct arena *a, struct json *out,
	       struct json_error *e);

/*
 * Parse one value starting at buf[*pos], for concatenated documents.
 * On success *pos is just after the value (whitespace not skipped).
 * Returns 0, 1 when only whitespace remains (no value), -1 on error.
 */
int json_parse_next(char *buf, size_t len, size_t *pos, struct arena *a,
		    struct json *out, struct json_error *e);

/*
 * Low-level entry used by json_stream.c (added by the json owner): parse
 * one value at buf[*pos] like json_parse_next(), with line tracking.
 * *line is the 1-based line at buf[*pos] and *line_start the offset of
 * that line's first byte (negative if it began before buf); both advance
 * with *pos. With JSON_PF_COPY_ESCAPED, strings holding escapes are
 * decoded into the arena, so buf changes only where a closing quote is
 * overwritten by NUL (a caller can restore the text by turning NULs back
 * into '"'). An error at offset len whose message starts with
 * "unexpected end of input" means the value was cut off at len.
 */
#define JSON_PF_COPY_ESCAPED 0x01
/* flags |= JSON_PF_DEPTH(n): the value sits inside n open containers
 * (the nesting limit counts them) */
#define JSON_PF_DEPTH(n) ((unsigned)(n) << 8)
int json_parse_lines(char *buf, size_t len, size_t *pos, unsigned flags, unsigned *line,
		     long long *line_start, struct arena *a, struct json *out,
		     struct json_error *e);

/*
 * Free the calling thread's scratch stacks (kept between parses): for a
 * thread that parsed and is about to end (added by P2 for json_stream.c).
 */
void json_scratch_release(void);

/* Fill e->line/e->col from e->offset by scanning buf. */
void json_error_locate(const char *buf, size_t len, struct json_error *e);

/* ---- accessors: all accept NULL and return NULL / false on a mismatch ---- */

/* Member of an object by key (first match), or NULL. */
const struct json *json_get(const struct json *obj, const char *key);
/* Walk nested object keys: json_path(obj, "spec", "template", NULL). */
const struct json *json_path(const struct json *obj, ...);
/* Item i of an array, or NULL. */
const struct json *json_at(const struct json *arr, size_t i);

static inline bool json_is(const struct json *j, enum json_type t)
{
	return j && j->type == t;
}
static inline bool json_is_bool(const struct json *j)
{
	return j && (j->type == JSON_TRUE || j->type == JSON_FALSE);
}
/* String value or NULL (NULL also for non-strings). */
const char *json_str(const struct json *j);
/* Integer value of a NUMBER that is an integer within int64; -1 on mismatch. */
int json_get_int(const struct json *j, int64_t *out);
/* Any NUMBER as double; -1 on mismatch. */
int json_get_double(const struct json *j, double *out);
/* Name of a type for messages: "string", "object", ... */
const char *json_type_name(const struct json *j);

/* Deep copy of a DOM into another arena (strings copied too). */
void json_clone(struct arena *a, const struct json *src, struct json *dst);

#endif
