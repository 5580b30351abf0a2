/*
 * fuzz_yaml: libFuzzer target for the YAML walk (yaml/yaml.h) and the
 * offline source's sniffing and dispatch (source_buffer_read) with a
 * sink that accepts everything.
 */
#include <stddef.h>
#include <stdint.h>

#include "../src/source/files.h"
#include "../src/yaml/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_doc(void *ctx, const struct yaml_doc *d, struct err *err)
{
	size_t *n = ctx;

	(void)d;
	(void)err;
	(*n)++;
	return 0;
}

static int accept_obj(void *ctx, const struct src_obj *o, struct err *err)
{
	size_t *n = ctx;

	(void)err;
	if (o->kind && o->obj)
		(*n)++;
	return 0;
}

static void seen(void *ctx, const char *kind)
{
	(void)ctx;
	(void)kind;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct err e = ERR_INIT;
	struct warnings w;
	size_t n = 0;
	struct source_sink sink = { &n, accept_obj, seen, NULL, &w };

	arena_init(&a, 0);
	yaml_parse_stream("fuzz", (const char *)data, size, &a, count_doc, &n, &e);
	arena_release(&a);

	warnings_init(&w);
	err_clear(&e);
	source_buffer_read("fuzz", (const char *)data, size, &sink, &e);
	warnings_release(&w);
	return 0;
}
