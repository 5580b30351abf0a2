/*
 * rusage: run a command, then report its wall time and peak RSS (and,
 * with --cpu, its CPU time).
 *
 *   rusage [--cpu] OUT CMD [ARG...]
 *
 * Runs CMD with the same stdin/stdout/stderr, waits for it with wait4(2)
 * and writes one line to the file OUT ("-" for stderr):
 *
 *   <wall seconds> <peak RSS in KiB> <status>
 *   <wall s> <user s> <sys s> <peak RSS KiB> <status>          (--cpu)
 *
 * status is the exit code, or 128 + the signal number if it was killed
 * (what a shell shows). rusage exits with the same status. CPU and RSS are
 * CMD's own (and its waited-for children's). This is /usr/bin/time -f
 * '%e %M' without the dependency, with more digits.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUSAGE_NAME "rusage"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double secs(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	double t0, t1;
	pid_t pid;
	int status, code;
	bool cpu = false;
	FILE *out;

	if (argc > 1 && !strcmp(argv[1], "--cpu")) {
		cpu = true;
		argv++;
		argc--;
	}
	if (argc < 3) {
		fputs("usage: " RUSAGE_NAME " [--cpu] OUT CMD [ARG...]\n", stderr);
		return 2;
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror(RUSAGE_NAME ": fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, RUSAGE_NAME ": %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror(RUSAGE_NAME ": wait4");
			return 2;
		}
	}
	t1 = now();
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	out = strcmp(argv[1], "-") ? fopen(argv[1], "w") : stderr;
	if (!out) {
		perror(argv[1]);
		return 2;
	}
	if (cpu)
		fprintf(out, "%.3f %.3f %.3f %ld %d\n", t1 - t0, secs(ru.ru_utime),
			secs(ru.ru_stime), ru.ru_maxrss, code);
	else
		fprintf(out, "%.3f %ld %d\n", t1 - t0, ru.ru_maxrss, code);
	if (out != stderr)
		fclose(out);
	return code;
}
