/*
 * yaml_resolve: plain scalar typing (go-yaml v2.4.0 resolve.go) and Go's
 * number formatting for the YAML walk. See yaml_resolve.h.
 */
#include "yaml_resolve.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/banned.h"

/* ---------------------------------------------------------------- */
/* scalar resolution (go-yaml v2.4.0 resolve.go)                     */

static const struct {
	const char *s;
	enum yres t;
	double d;
} resolve_words[] = {
	{ "y", Y_TRUE, 0 }, { "Y", Y_TRUE, 0 }, { "yes", Y_TRUE, 0 }, { "Yes", Y_TRUE, 0 },
	{ "YES", Y_TRUE, 0 }, { "true", Y_TRUE, 0 }, { "True", Y_TRUE, 0 },
	{ "TRUE", Y_TRUE, 0 }, { "on", Y_TRUE, 0 }, { "On", Y_TRUE, 0 }, { "ON", Y_TRUE, 0 },
	{ "n", Y_FALSE, 0 }, { "N", Y_FALSE, 0 }, { "no", Y_FALSE, 0 }, { "No", Y_FALSE, 0 },
	{ "NO", Y_FALSE, 0 }, { "false", Y_FALSE, 0 }, { "False", Y_FALSE, 0 },
	{ "FALSE", Y_FALSE, 0 }, { "off", Y_FALSE, 0 }, { "Off", Y_FALSE, 0 },
	{ "OFF", Y_FALSE, 0 },
	{ "~", Y_NULL, 0 }, { "null", Y_NULL, 0 }, { "Null", Y_NULL, 0 }, { "NULL", Y_NULL, 0 },
	{ ".nan", Y_SPECIAL, NAN }, { ".NaN", Y_SPECIAL, NAN }, { ".NAN", Y_SPECIAL, NAN },
	{ ".inf", Y_SPECIAL, INFINITY }, { ".Inf", Y_SPECIAL, INFINITY },
	{ ".INF", Y_SPECIAL, INFINITY }, { "+.inf", Y_SPECIAL, INFINITY },
	{ "+.Inf", Y_SPECIAL, INFINITY }, { "+.INF", Y_SPECIAL, INFINITY },
	{ "-.inf", Y_SPECIAL, -INFINITY }, { "-.Inf", Y_SPECIAL, -INFINITY },
	{ "-.INF", Y_SPECIAL, -INFINITY },
};

static int digit_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* strconv.ParseUint(s, 0, 64): 0 ok, -1 syntax, -2 range. */
static int go_parse_uint(const char *s, size_t n, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (n == 0)
		return -1;
	if (s[0] == '0') {
		char c = n >= 3 ? (char)(s[1] | 0x20) : 0;
		if (c == 'b' || c == 'o' || c == 'x') {
			base = c == 'b' ? 2 : c == 'o' ? 8 : 16;
			s += 2;
			n -= 2;
		} else {
			base = 8;
			s++;
			n--;
		}
	}
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)digit_val(s[i]);
		if (d >= base)
			return -1;
		if (v > (UINT64_MAX - d) / base) {
			/* keep checking the syntax: a later bad digit is a syntax error */
			for (size_t j = i + 1; j < n; j++)
				if ((unsigned)digit_val(s[j]) >= base)
					return -1;
			return -2;
		}
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* strconv.ParseInt(s, 0, 64). */
static int go_parse_int(const char *s, size_t n, int64_t *out)
{
	bool neg = false;
	uint64_t u;
	int r;

	if (n && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++;
		n--;
	}
	r = go_parse_uint(s, n, &u);
	if (r < 0)
		return r;
	if (!neg && u > (uint64_t)INT64_MAX)
		return -2;
	if (neg && u > (uint64_t)INT64_MAX + 1)
		return -2;
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

static size_t skip_digits(const char *s, size_t i, size_t n)
{
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

/* ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool yaml_style_float(const char *s, size_t n)
{
	size_t i = 0, j;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i < n && s[i] == '.') {
		j = skip_digits(s, i + 1, n);
		if (j == i + 1)
			return false;
		i = j;
	} else {
		j = skip_digits(s, i, n);
		if (j == i)
			return false;
		i = j;
		if (i < n && s[i] == '.')
			i = skip_digits(s, i + 1, n);
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		j = skip_digits(s, i, n);
		if (j == i)
			return false;
		i = j;
	}
	return i == n;
}

/* strconv.ParseFloat on an already validated decimal text; false on overflow. */
static bool parse_float(const char *s, double *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (*end || isinf(d))
		return false;
	*out = d;
	return true;
}

/* Resolve a plain scalar s[0..n) (NUL-terminated) as go-yaml v2 does. */
void yaml_resolve_plain(const char *s, size_t n, struct arena *a, struct yval *v)
{
	char hint;

	memset(v, 0, sizeof(*v));
	v->t = Y_STR;
	if (n == 0) {
		v->t = Y_NULL;
		return;
	}
	hint = 0;
	if (s[0] == '+' || s[0] == '-')
		hint = 'S';
	else if (s[0] >= '0' && s[0] <= '9')
		hint = 'D';
	else if (strchr("yYnNtTfFoO~", s[0]))
		hint = 'M';
	else if (s[0] == '.')
		hint = '.';
	if (!hint)
		return;
	for (size_t k = 0; k < sizeof(resolve_words) / sizeof(resolve_words[0]); k++) {
		if (strcmp(s, resolve_words[k].s) == 0) {
			v->t = resolve_words[k].t;
			v->d = resolve_words[k].d;
			return;
		}
	}
	if (hint == '.') {
		/* ParseFloat(in): only ".digits[e..]" can start with '.' */
		if (yaml_style_float(s, n) && parse_float(s, &v->d))
			v->t = Y_FLOAT;
		return;
	}
	if (hint == 'D' || hint == 'S') {
		/* timestamps stay strings (go-yaml v2 keeps them as text for
		 * interface{} targets); they never parse as numbers below */
		char *plain = arena_alloc(a, n + 1);
		size_t m = 0;

		for (size_t i = 0; i < n; i++)
			if (s[i] != '_')
				plain[m++] = s[i];
		plain[m] = '\0';
		if (go_parse_int(plain, m, &v->i) == 0) {
			v->t = Y_INT;
			return;
		}
		if (go_parse_uint(plain, m, &v->u) == 0) {
			v->t = Y_UINT;
			return;
		}
		if (yaml_style_float(plain, m) && parse_float(plain, &v->d)) {
			v->t = Y_FLOAT;
			return;
		}
	}
}

/* ---------------------------------------------------------------- */
/* number formatting as Go prints it                                 */

/* Shortest digits that round-trip: digits (no dot) and decimal exponent. */
static void shortest(double d, bool single, char *digs, size_t cap, int *exp10)
{
	char tmp[40];
	int maxp = single ? 9 : 17;

	for (int p = 1; p <= maxp; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p - 1, d);
		double back = strtod(tmp, NULL);
		if (p == maxp || (single ? (float)back == (float)d : back == d))
			break;
	}
	/* tmp: [-]D[.DDD]e[+-]XX */
	const char *p = tmp;
	size_t k = 0;
	if (*p == '-')
		p++;
	for (; *p && *p != 'e'; p++)
		if (*p != '.' && k + 1 < cap)
			digs[k++] = *p;
	while (k > 1 && digs[k - 1] == '0')
		k--;
	digs[k] = '\0';
	*exp10 = *p == 'e' ? (int)strtol(p + 1, NULL, 10) : 0;
}

/* Append digits in %f style (decimal exponent x: value = 0.D * 10^(x+1)). */
static void fmt_fixed(char *out, size_t cap, bool neg, const char *digs, int x)
{
	size_t o = 0, nd = strlen(digs);
	int dp = x + 1; /* digits before the point */

	if (neg)
		out[o++] = '-';
	if (dp <= 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (int i = 0; i < -dp && o + 2 < cap; i++)
			out[o++] = '0';
		for (size_t i = 0; i < nd && o + 1 < cap; i++)
			out[o++] = digs[i];
	} else {
		for (int i = 0; i < dp && o + 1 < cap; i++)
			out[o++] = (size_t)i < nd ? digs[i] : '0';
		if ((size_t)dp < nd) {
			out[o++] = '.';
			for (size_t i = (size_t)dp; i < nd && o + 1 < cap; i++)
				out[o++] = digs[i];
		}
	}
	out[o] = '\0';
}

static void fmt_exp(char *out, size_t cap, bool neg, const char *digs, int x, bool two)
{
	size_t nd = strlen(digs);
	int o = snprintf(out, cap, "%s%c", neg ? "-" : "", digs[0]);

	if (nd > 1)
		o += snprintf(out + o, cap - (size_t)o, ".%s", digs + 1);
	snprintf(out + o, cap - (size_t)o, two ? "e%c%02d" : "e%c%d", x < 0 ? '-' : '+',
		 x < 0 ? -x : x);
}

/* encoding/json's float64 text. */
void yaml_fmt_json_float(double d, char *out, size_t cap)
{
	char digs[40];
	int x;
	double ad = fabs(d);

	if (d == 0) {
		snprintf(out, cap, "%s", signbit(d) ? "-0" : "0");
		return;
	}
	shortest(d, false, digs, sizeof(digs), &x);
	if (ad < 1e-6 || ad >= 1e21)
		fmt_exp(out, cap, d < 0, digs, x, false);
	else
		fmt_fixed(out, cap, d < 0, digs, x);
}

/* strconv.FormatFloat(d, 'g', -1, 32), with go-yaml's names for specials. */
void yaml_fmt_key_float(double d, char *out, size_t cap)
{
	char digs[40];
	int x, eprec = 6;
	size_t nd;

	if (isnan(d)) {
		snprintf(out, cap, ".nan");
		return;
	}
	if (isinf(d)) {
		snprintf(out, cap, "%s", d > 0 ? ".inf" : "-.inf");
		return;
	}
	if ((float)d == 0) {
		snprintf(out, cap, "%s", signbit(d) ? "-0" : "0");
		return;
	}
	shortest((float)d, true, digs, sizeof(digs), &x);
	nd = strlen(digs);
	if (eprec > (int)nd && (int)nd >= x + 1)
		eprec = (int)nd;
	if (x < -4 || x >= eprec)
		fmt_exp(out, cap, d < 0, digs, x, true);
	else
		fmt_fixed(out, cap, d < 0, digs, x);
}

