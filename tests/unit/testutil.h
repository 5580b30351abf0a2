/*
 * testutil.h: fixtures shared by the model-based unit tests (test_model,
 * test_ports, test_selector, test_netpol): JSON test text with ' for ",
 * and a model built from such texts, object by object.
 *
 * Header-only (static inline) so that each test stays one source file, as
 * the Makefile's $(B)/tests/% rule builds it. Include after <cmocka.h>.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <string.h>

#include "../../src/json/json.h"
#include "../../src/model/model.h"

/* A model with its warnings and the arena holding the input documents. */
struct tu_model {
	struct arena a;          /* input documents */
	struct warnings w;
	struct model m;
};

static inline void tu_model_init(struct tu_model *t)
{
	arena_init(&t->a, 0);
	warnings_init(&t->w);
	model_init(&t->m, &t->w);
}

static inline void tu_model_release(struct tu_model *t)
{
	model_release(&t->m);
	warnings_release(&t->w);
	arena_release(&t->a);
}

/* Parses JSON text written with ' for " (easier in C) into a; fails the test on bad JSON. */
static inline struct json *tu_parse(struct arena *a, const char *text)
{
	char *buf = arena_strdup(a, text);
	struct json *j = arena_zalloc(a, sizeof(*j));
	struct json_error e;

	for (char *p = buf; *p; p++)
		if (*p == '\'')
			*p = '"';
	if (json_parse(buf, strlen(buf), a, j, &e) < 0)
		fail_msg("bad test JSON: %s at %u:%u (offset %zu): %s", e.msg, e.line, e.col,
			 e.offset, text);
	return j;
}

/* Adds one parsed object (file "t.json", line 3: warnings name that place). */
static inline void tu_add_obj(struct model *m, const struct json *o, const char *kind,
			      const char *api)
{
	struct src_obj so = { .obj = o, .kind = kind, .api_version = api, .file = "t.json",
			      .line = 3 };
	struct err e = ERR_INIT;

	assert_int_equal(model_add(m, &so, &e), 0);
}

/* Adds one object of that kind and apiVersion from JSON text (' for "). */
static inline void tu_add(struct tu_model *t, const char *kind, const char *api,
			  const char *text)
{
	tu_add_obj(&t->m, tu_parse(&t->a, text), kind, api);
}

#endif
