/*
 * fuzz_quantity: libFuzzer target for quantity_parse(): any input must be
 * accepted with a finite value or rejected, never crash.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	double v = 0;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (quantity_parse(s, &v) == 0 && !isfinite(v))
		abort();
	free(s);
	return 0;
}
