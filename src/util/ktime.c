/*
 * ktime: RFC 3339 parsing and formatting without libc time zones
 * (days-from-civil arithmetic), and kubectl-style durations.
 */
#include "ktime.h"

#include <stdio.h>

static int digits(const char *s, size_t n, size_t at, size_t cnt, int *out)
{
	int v = 0;
	if (at + cnt > n)
		return -1;
	for (size_t i = 0; i < cnt; i++) {
		char c = s[at + i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*out = v;
	return 0;
}

/* days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant) */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int ktime_parse(const char *s, size_t n, ktime *out)
{
	int Y, M, D, h, m, sec, oh = 0, om = 0;
	size_t i = 19;
	int64_t t;

	if (digits(s, n, 0, 4, &Y) || n < 20 || s[4] != '-' ||
	    digits(s, n, 5, 2, &M) || s[7] != '-' || digits(s, n, 8, 2, &D) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s, n, 11, 2, &h) || s[13] != ':' ||
	    digits(s, n, 14, 2, &m) || s[16] != ':' ||
	    digits(s, n, 17, 2, &sec))
		return -1;
	if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60)
		return -1;
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return -1;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i >= n)
		return -1;
	if (s[i] == 'Z' || s[i] == 'z') {
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		int sign = s[i] == '-' ? -1 : 1;
		if (digits(s, n, i + 1, 2, &oh) || i + 3 >= n || s[i + 3] != ':' ||
		    digits(s, n, i + 4, 2, &om))
			return -1;
		oh *= sign;
		om *= sign;
		i += 6;
	} else {
		return -1;
	}
	if (i != n)
		return -1;
	t = days_from_civil(Y, M, D) * 86400 + h * 3600 + m * 60 + sec;
	t -= (int64_t)oh * 3600 + (int64_t)om * 60;
	*out = t;
	return 0;
}

void ktime_format(ktime t, char *out, size_t outlen)
{
	int64_t z = t / 86400, secs = t % 86400, era, doe, yoe, y, doy, mp, d, m;
	if (secs < 0) {
		secs += 86400;
		z--;
	}
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	snprintf(out, outlen, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
		 (long long)y, (long long)m, (long long)d,
		 (long long)(secs / 3600), (long long)(secs / 60 % 60),
		 (long long)(secs % 60));
}

void ktime_ago(int64_t s, char *out, size_t outlen)
{
	if (s < 0)
		s = 0;
	if (s < 120)
		snprintf(out, outlen, "%llds", (long long)s);
	else if (s < 600)
		snprintf(out, outlen, "%lldm%llds", (long long)(s / 60), (long long)(s % 60));
	else if (s < 3 * 3600)
		snprintf(out, outlen, "%lldm", (long long)(s / 60));
	else if (s < 8 * 3600)
		snprintf(out, outlen, "%lldh%lldm", (long long)(s / 3600), (long long)(s / 60 % 60));
	else if (s < 2 * 86400)
		snprintf(out, outlen, "%lldh", (long long)(s / 3600));
	else if (s < 8 * 86400)
		snprintf(out, outlen, "%lldd%lldh", (long long)(s / 86400), (long long)(s / 3600 % 24));
	else
		snprintf(out, outlen, "%lldd", (long long)(s / 86400));
}
