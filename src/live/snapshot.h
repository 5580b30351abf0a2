/*
 * snapshot: write what a live read delivered as a directory that
 * `diagnose --from DIR` reads back to the same findings.
 *
 * Layout: DIR/<resource>.json, one kubectl-style typed list per kind
 * ({"kind":"PodList","apiVersion":"v1","metadata":{},"items":[...]},
 * items with their kind and apiVersion), written for every kind listed
 * (empty lists too: they prove the kind was collected); and
 * DIR/.ingress-doctor/version.json (cluster gitVersion) and
 * DIR/.ingress-doctor/forbidden.json (kinds that could not be read and
 * the RBAC rule that would fix it); the logs of the controllers' pods as
 * DIR/<ns>/<pod>/logs.txt. The hidden folder is skipped by the
 * file reader. The directory is created 0700, files 0600; Secrets are
 * already reduced to metadata by the live source.
 */
#ifndef ID_SNAPSHOT_H
#define ID_SNAPSHOT_H

#include <stdio.h>

#include "live.h"

struct snap_writer {
	char *dir;
	FILE *f[K__COUNT];
	unsigned long long items[K__COUNT];
	struct source_sink inner;   /* objects also go there (ctx NULL: nowhere) */
	struct err err;
};

/* Create DIR (it must not exist, or be empty). Returns 0 or -1. */
int snap_open(struct snap_writer *s, const char *dir, struct err *err);
/* A sink writing into s and then passing on to inner (may be NULL). */
struct source_sink snap_sink(struct snap_writer *s, const struct source_sink *inner);
/* Finish the lists, write the metadata files. Returns 0 or -1. */
int snap_close(struct snap_writer *s, const struct live_result *res, struct err *err);
/*
 * Write a controller pod's log as DIR/<ns>/<pod>/logs.txt (the layout of
 * kubectl cluster-info dump, which the file reader maps to the pod; 0700
 * directories, 0600 file). Returns 0 or -1.
 */
int snap_write_log(struct snap_writer *s, const char *ns, const char *pod, const char *text,
		   size_t len, struct err *err);
/* Release without finishing (after an error). */
void snap_abort(struct snap_writer *s);

/*
 * For `diagnose --from DIR`: read DIR/.ingress-doctor/ if present into the
 * model (cluster version, forbidden kinds). Not a directory or no such
 * folder: nothing. Returns 0 or -1 (a damaged file).
 */
int snap_meta_read(const char *dir, struct model *m, struct err *err);

#endif
