/*
 * json_reader_bench: the project's JSON reader alone, on one big file.
 *
 *   json_reader_bench [-r RUNS] FILE
 *
 * Streams FILE with json_stream_fd() (src/json/json_stream.h), the way the
 * files source reads a snapshot, and touches every item (its kind and
 * metadata.name) so nothing can be skipped. Prints one line per run:
 *
 *   <bytes> <items> <seconds> <MB/s>
 *
 * (MB = 10^6 bytes) and exits 1 on a read or parse error. Built by
 * bench/run.sh against the sources in src/util and src/json.
 */
#include "../src/json/json.h"
#include "../src/json/json_stream.h"
#include "../src/util/err.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct tally {
	size_t items;
	size_t name_bytes;
	size_t kinds;
};

static int touch(void *ctx, const struct json_item *it, struct err *err)
{
	struct tally *t = ctx;
	const char *name = json_str(json_path(it->value, "metadata", "name", NULL));
	const char *kind = json_str(json_get(it->value, "kind"));

	(void)err;
	t->items++;
	if (name)
		t->name_bytes += strlen(name);
	if (kind)
		t->kinds += (unsigned char)kind[0];
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *file;
	long runs = 1;
	int rc = 0;

	if (argc == 4 && !strcmp(argv[1], "-r")) {
		char *end;
		runs = strtol(argv[2], &end, 10);
		if (*end || runs < 1 || runs > 100)
			runs = -1;
		file = argv[3];
	} else if (argc == 2) {
		file = argv[1];
	} else {
		runs = -1;
		file = NULL;
	}
	if (runs < 0) {
		fputs("usage: json_reader_bench [-r RUNS] FILE\n", stderr);
		return 2;
	}
	for (long r = 0; r < runs; r++) {
		struct tally t = { 0 };
		struct err err = ERR_INIT;
		struct stat st;
		double t0, t1;
		int fd = open(file, O_RDONLY);

		if (fd < 0 || fstat(fd, &st) < 0) {
			perror(file);
			return 1;
		}
		t0 = now();
		if (json_stream_fd(fd, file, 0, touch, NULL, &t, &err) < 0) {
			fprintf(stderr, "json_reader_bench: %s\n", err.msg);
			rc = 1;
		}
		t1 = now();
		close(fd);
		if (rc)
			break;
		printf("%lld %zu %.3f %.1f\n", (long long)st.st_size, t.items, t1 - t0,
		       (double)st.st_size / 1e6 / (t1 - t0));
		fflush(stdout);
	}
	return rc;
}
