/*
 * yaml_resolve: internal to the YAML walk. Typing of plain scalars as
 * go-yaml v2.4.0 resolve.go does, and number texts as Go prints them
 * (see yaml.h for the rules).
 */
#ifndef ID_YAML_RESOLVE_H
#define ID_YAML_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"

enum yres { Y_STR, Y_NULL, Y_TRUE, Y_FALSE, Y_INT, Y_UINT, Y_FLOAT, Y_SPECIAL };

struct yval {
	enum yres t;
	int64_t i;
	uint64_t u;
	double d;       /* Y_FLOAT, Y_SPECIAL */
};

/* Resolve the plain scalar s[0..n) (NUL-terminated); scratch from a. */
void yaml_resolve_plain(const char *s, size_t n, struct arena *a, struct yval *v);
/* encoding/json's text of a float64 ("1000", "1.5e-7", "1e+21"). */
void yaml_fmt_json_float(double d, char *out, size_t cap);
/* strconv.FormatFloat(d, 'g', -1, 32), ".inf"/"-.inf"/".nan" for specials. */
void yaml_fmt_key_float(double d, char *out, size_t cap);

#endif
