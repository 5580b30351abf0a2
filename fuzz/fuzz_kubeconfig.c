/*
 * fuzz_kubeconfig: kubeconfig loading and resolution (live/kubeconfig.h)
 * on arbitrary bytes: the input is the one --kubeconfig file (kept in a
 * memfd), loaded with and without a --context. Must never crash, leak or
 * read out of bounds; errors are fine.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../src/live/kubeconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *contexts[] = { NULL, "a" };
	struct kc_env env = { 0 };
	char path[64];
	int fd = memfd_create("kubeconfig", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	env.home = "/nonexistent";
	env.sa_dir = "/nonexistent";
	for (size_t i = 0; i < 2; i++) {
		struct kc_flags f = { 0 };
		struct kc_config c;
		struct warnings w;
		struct err err = ERR_INIT;
		f.kubeconfig = path;
		f.context = contexts[i];
		warnings_init(&w);
		kc_load(&env, &f, &c, &w, &err);
		kc_release(&c);
		warnings_release(&w);
	}
	close(fd);
	return 0;
}
