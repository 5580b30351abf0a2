/*
 * quantity: Kubernetes resource.Quantity parsing
 * (apimachinery/pkg/api/resource/quantity.go):
 *
 *   <quantity> ::= <sign>? <number> <suffix>
 *   <number>   ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <suffix>   ::= Ki | Mi | Gi | Ti | Pi | Ei          (binary)
 *                | n | u | m | "" | k | M | G | T | P | E   (decimal)
 *                | (e|E) <sign>? <digits>              (decimal exponent)
 *
 * The value is returned as a double of base units (bytes, cores).
 */
#include <math.h>
#include <string.h>

#include "model_int.h"

#include "../util/banned.h"

static const struct {
	const char *s;
	int base, exp;   /* base^exp */
} suffixes[] = {
	{ "Ki", 2, 10 }, { "Mi", 2, 20 }, { "Gi", 2, 30 }, { "Ti", 2, 40 },
	{ "Pi", 2, 50 }, { "Ei", 2, 60 },
	{ "n", 10, -9 }, { "u", 10, -6 }, { "m", 10, -3 }, { "", 10, 0 },
	{ "k", 10, 3 }, { "M", 10, 6 }, { "G", 10, 9 }, { "T", 10, 12 },
	{ "P", 10, 15 }, { "E", 10, 18 },
};

int quantity_parse(const char *s, double *out)
{
	double mant = 0;
	long exp10 = 0;
	int ndigits = 0, base = 10, bexp = 0;
	bool neg = false, found = false;
	const char *p = s;

	if (!s || !*s)
		return -1;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (; *p >= '0' && *p <= '9'; p++, ndigits++) {
		if (mant < 1e300)
			mant = mant * 10 + (*p - '0');
		else
			exp10++;
	}
	if (*p == '.') {
		p++;
		for (; *p >= '0' && *p <= '9'; p++, ndigits++) {
			if (mant < 1e300) {
				mant = mant * 10 + (*p - '0');
				exp10--;
			}
		}
	}
	if (!ndigits)
		return -1;
	/* decimal exponent: e/E followed by an optionally signed integer (not "E" = exa) */
	if ((*p == 'e' || *p == 'E') && p[1] &&
	    ((p[1] >= '0' && p[1] <= '9') ||
	     ((p[1] == '+' || p[1] == '-') && p[2] >= '0' && p[2] <= '9'))) {
		long e = 0;
		bool eneg = false;
		p++;
		if (*p == '+' || *p == '-')
			eneg = *p++ == '-';
		for (; *p >= '0' && *p <= '9'; p++)
			if (e < 100000)
				e = e * 10 + (*p - '0');
		if (*p)
			return -1;
		exp10 += eneg ? -e : e;
	} else {
		for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
			if (!strcmp(p, suffixes[i].s)) {
				base = suffixes[i].base;
				bexp = suffixes[i].exp;
				found = true;
				break;
			}
		if (!found)
			return -1;
		if (base == 10)
			exp10 += bexp;
	}
	if (exp10 < -400 || exp10 > 400)
		return -1;
	if (mant != 0)
		mant = exp10 < 0 ? mant / pow(10, (double)-exp10) : mant * pow(10, (double)exp10);
	if (base == 2)
		mant = ldexp(mant, bexp);
	if (!isfinite(mant))
		return -1;
	*out = neg ? -mant : mant;
	return 0;
}
