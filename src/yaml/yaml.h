/*
 * yaml: YAML streams read into the project's JSON DOM (json/json.h).
 *
 * libfyaml parses; we walk its node tree and build struct json nodes in
 * an arena (every node flagged JSON_F_FROM_YAML, strings copied and
 * NUL-terminated). libfyaml's JSON emitter is never used: typing follows
 * what kubectl does, i.e. sigs.k8s.io/yaml over go-yaml v2.4.0
 * (resolve.go), YAML 1.1 style:
 *
 *   plain scalar                                   becomes
 *   ""  ~  null Null NULL                          null
 *   y Y yes Yes YES  true True TRUE  on On ON      true
 *   n N no No NO  false False FALSE  off Off OFF   false
 *   12  +12  -3  0x1F  0o17  0b101  0644  1_000     integer, decimal text ("31", "15",
 *                                                   "5", "420", "1000"); '_' anywhere
 *                                                   in a number is dropped, as go-yaml
 *                                                   does; up to uint64
 *   1.5  1e3  .5  -.5  08  1.                      float, text as encoding/json
 *                                                   prints a float64 ("1000", "8")
 *   .inf -.inf +.inf .nan (and .Inf .INF ...)      kept as the STRING of its text:
 *                                                   JSON cannot hold them (kubectl
 *                                                   itself fails on them)
 *   anything else (timestamps included)            string
 *
 * Quoted ('..', "..") and block (|, >) scalars are always strings. Tags:
 * !!str/!!binary/!!timestamp give a string (binary is not decoded),
 * !!int/!!float/!!bool/!!null resolve the text with the rules above and
 * fail when it does not fit ("cannot decode !!str `abc` as a !!int");
 * any other tag is ignored (scalars become strings).
 *
 * Mappings: keys become strings the way sigs.k8s.io/yaml converts them:
 * a string as is, an integer in decimal, a bool "true"/"false", a float
 * with Go's %g at float32 precision (".inf"/"-.inf"/".nan" for the
 * specials); a null or collection key is an error. Duplicate keys written
 * twice in the text are an error (as kubectl's strict decoding); two keys
 * that only become equal after conversion ("1" and 0x1, y and true): the
 * later wins, like go-yaml. Member order is document order.
 *
 * Merge keys (plain "<<" or !!merge): the value must be a mapping or a
 * sequence of mappings (aliases allowed); like go-yaml v2 keys are set in
 * document order, later settings win, and in a sequence the earlier
 * mapping wins.
 *
 * Anchors/aliases: an alias shares the DOM of its anchor (no copy), so the
 * DOM is a DAG: treat it as read-only (json_clone makes a tree). The
 * logical size added by aliases per document is capped at
 * YAML_MAX_ALIAS_NODES: an alias bomb ("billion laughs") is rejected with
 * "excessive aliasing". An alias to an unknown anchor or to an enclosing
 * node (a cycle) is an error.
 *
 * Errors: ERR_INPUT, "NAME:LINE:COL: message" (1-based), libfyaml's own
 * diagnostics routed into struct err; libfyaml never prints to stderr.
 */
#ifndef ID_YAML_H
#define ID_YAML_H

#include <stddef.h>

#include "../json/json.h"
#include "../util/arena.h"
#include "../util/err.h"

/* Cap on the nodes that aliases add to one document (see above). */
#define YAML_MAX_ALIAS_NODES (1u << 20)
/* Nesting deeper than this is an error (as JSON_MAX_DEPTH). */
#define YAML_MAX_DEPTH JSON_MAX_DEPTH

/* One document of a stream, as handed to the callback. */
struct yaml_doc {
	const struct json *root;   /* JSON_NULL for an empty document */
	size_t index;              /* 0-based index of the document in the stream */
	unsigned line;             /* 1-based line where its content starts, 0 if none */
	/*
	 * When root is a mapping with an "items" sequence (a List): the
	 * 1-based line of each item, item_lines[i] for items[i]; else NULL.
	 */
	const unsigned *item_lines;
	size_t n_item_lines;
};

typedef int (*yaml_doc_fn)(void *ctx, const struct yaml_doc *doc, struct err *err);

/*
 * Parse the YAML stream buf[0..len) (not modified, need not be
 * NUL-terminated) and call fn once per document, in order. Each
 * document's DOM is built in arena a, which is arena_reset() before every
 * document: the DOM is valid only during the callback (json_clone it to
 * keep it). name is used in messages. fn returning -1 stops the stream
 * (its err is passed through). Returns 0 or -1.
 */
int yaml_parse_stream(const char *name, const char *buf, size_t len, struct arena *a,
		      yaml_doc_fn fn, void *ctx, struct err *err);

/*
 * Parse a stream that must hold at most one document into *out (JSON_NULL
 * if empty), allocated from a (not reset). More than one document is an
 * error. Returns 0 or -1.
 */
int yaml_parse(const char *name, const char *buf, size_t len, struct arena *a,
	       struct json *out, struct err *err);

#endif
