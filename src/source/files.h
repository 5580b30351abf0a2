/*
 * files: the offline source. Reads snapshot files and directories.
 *
 * Accepted (interface.md, kubernetes-api.md section 7):
 *   - JSON: a kubectl "List" (items carry their kind), a typed list
 *     ("PodList" whose items may lack kind/apiVersion), a single object,
 *     several concatenated documents (cluster-info dump on stdout, with
 *     its "==== START logs ..." blocks skipped);
 *   - YAML: one or many documents ("---"), each a List or an object,
 *     with YAML 1.1 typing as kubectl reads it (yaml/yaml.h);
 *   - a directory, read recursively in name order (hidden entries and
 *     non-snapshot files skipped with a warning), including the layout of
 *     `kubectl cluster-info dump --output-directory` and its
 *     <ns>/<pod>/logs.txt files;
 *   - "-" for standard input.
 * Big JSON lists are streamed item by item: memory stays bounded by the
 * largest item, not the file.
 *
 * Errors: an unreadable path, or a file that is not valid JSON/YAML,
 * fails with ERR_INPUT and "file:line:col: what" in err. Objects without
 * a kind, or of kinds nobody uses, are skipped (counted, not fatal).
 */
#ifndef ID_FILES_H
#define ID_FILES_H

#include "source.h"

/* Read one PATH (file, directory or "-") into the sink. */
int source_files_read(const char *path, const struct source_sink *sink,
		      struct err *err);

/*
 * Read a snapshot already in memory (JSON or YAML, sniffed as for a file;
 * used for the demo cluster embedded in the binary). name is used in
 * messages. buf is not modified (it may be read-only); len excludes any
 * trailing NUL.
 */
int source_buffer_read(const char *name, const char *buf, size_t len,
		       const struct source_sink *sink, struct err *err);

#endif
