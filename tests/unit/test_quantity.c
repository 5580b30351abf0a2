/*
 * test_quantity: resource.Quantity parsing (decimal and binary SI
 * suffixes, exponents, fractions, signs) and rejection of junk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>

#include <cmocka.h>

#include "../../src/model/model.h"

static const struct {
	const char *s;
	double want;
} good[] = {
	{ "0", 0 }, { "1", 1 }, { "100m", 0.1 }, { "1500m", 1.5 }, { "0.5", 0.5 },
	{ ".5", 0.5 }, { "5.", 5 }, { "+2", 2 }, { "-1", -1 },
	{ "1k", 1e3 }, { "1M", 1e6 }, { "1G", 1e9 }, { "2T", 2e12 }, { "1P", 1e15 },
	{ "1E", 1e18 }, { "1Ki", 1024 }, { "512Mi", 512.0 * 1048576 },
	{ "1Gi", 1073741824.0 }, { "1.5Gi", 1.5 * 1073741824.0 }, { "1Ti", 1099511627776.0 },
	{ "1Pi", 1125899906842624.0 }, { "1Ei", 1152921504606846976.0 },
	{ "1e3", 1e3 }, { "1E3", 1e3 }, { "1e-3", 1e-3 }, { "1e+3", 1e3 }, { "2.5e2", 250 },
	{ "100n", 1e-7 }, { "5u", 5e-6 }, { "128974848", 128974848 }, { "129e6", 129e6 },
	{ "123Mi", 123.0 * 1048576 }, { "0.1Ki", 102.4 },
};

static const char *const bad[] = {
	"", "m", "Mi", "1.2.3", "1x", "1 Mi", " 1", "1Mi ", "1MI", "1mi", "1KB", "1kb",
	"--1", "+-1", "1e", "1e+", "1ee3", "1Mi2", "0x10", "inf", "nan", "1,5", "1e3Mi",
	".", "-", "1K", "1i", "e3", "1.5.m",
};

static void test_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		double v = -12345;
		if (quantity_parse(good[i].s, &v) < 0)
			fail_msg("%s rejected", good[i].s);
		if (fabs(v - good[i].want) > fabs(good[i].want) * 1e-12 + 1e-15)
			fail_msg("%s: got %.17g want %.17g", good[i].s, v, good[i].want);
	}
}

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double v = 42;
		if (quantity_parse(bad[i], &v) == 0)
			fail_msg("\"%s\" accepted as %g", bad[i], v);
		assert_true(v == 42);   /* untouched */
	}
	assert_int_equal(quantity_parse(NULL, NULL), -1);
}

static void test_extremes(void **state)
{
	double v;
	(void)state;
	assert_int_equal(quantity_parse("1e999", &v), -1);
	assert_int_equal(quantity_parse("1e-999", &v), -1);
	assert_int_equal(quantity_parse("99999999999999999999999999999999Ei", &v), 0);
	assert_true(v > 1e49);
	assert_int_equal(quantity_parse("0e999999999999", &v), -1);
	assert_int_equal(quantity_parse("0.000000000000000000000000000001", &v), 0);
	assert_true(v > 0 && v < 1e-29);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_extremes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
