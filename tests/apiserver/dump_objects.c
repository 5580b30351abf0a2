/*
 * dump_objects: print every object of a snapshot (any form the offline
 * reader accepts: JSON/YAML lists, typed lists, dump layouts) as one JSON
 * object per line, with its kind and apiVersion. The test API server
 * serves these, so the live and the offline diagnosis read exactly the
 * same objects. A last line {"__now": TIME} gives the snapshot's time as
 * the model computes it: the server's clock (Date:) is frozen there.
 * Built by tests/run-live.sh against build/libid.a.
 *
 *   dump_objects PATH... > objects.jsonl
 */
#include <stdio.h>
#include <string.h>

#include "../../src/json/json_write.h"
#include "../../src/model/model.h"
#include "../../src/source/files.h"

static int dump(void *ctx, const struct src_obj *o, struct err *err)
{
	struct json_w w;

	if (model_add(ctx, o, err) < 0)
		return -1;
	json_w_init(&w, stdout, 0);
	json_w_obj(&w);
	json_w_key(&w, "kind");
	json_w_str(&w, o->kind);
	json_w_key(&w, "apiVersion");
	json_w_str(&w, o->api_version && *o->api_version ? o->api_version : "v1");
	for (size_t i = 0; i < o->obj->n; i++) {
		const struct json_member *m = &o->obj->u.members[i];
		if (!strcmp(m->key, "kind") || !strcmp(m->key, "apiVersion"))
			continue;
		json_w_key(&w, m->key);
		json_w_value(&w, &m->val);
	}
	json_w_end(&w);
	return json_w_finish(&w);
}

static void seen(void *ctx, const char *kind)
{
	(void)ctx;
	printf("{\"__kind_seen\":\"%s\"}\n", kind);
}

int main(int argc, char **argv)
{
	struct warnings w;
	struct model m;
	struct source_sink sink = { NULL, dump, seen, NULL, NULL };
	struct err err = ERR_INIT;
	char now[40];
	int rc = 0;

	warnings_init(&w);
	model_init(&m, &w);
	sink.ctx = &m;
	sink.warn = &w;
	for (int i = 1; i < argc && !rc; i++)
		if (source_files_read(argv[i], &sink, &err) < 0) {
			fprintf(stderr, "dump_objects: %s\n", err.msg);
			rc = 1;
		}
	model_finish(&m);
	if (!rc && m.now) {
		ktime_format(m.now, now, sizeof(now));
		printf("{\"__now\":\"%s\"}\n", now);
	}
	model_release(&m);
	warnings_release(&w);
	return rc;
}
