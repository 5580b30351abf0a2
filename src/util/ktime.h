/*
 * ktime: Kubernetes timestamps.
 *
 * The API writes RFC 3339 times ("2026-11-02T10:04:05Z", optionally with
 * fractional seconds or a numeric offset). We keep them as seconds since
 * the Unix epoch in an int64 (0 = unset). No function here reads the
 * clock: "now" for a diagnosis is the newest timestamp in the snapshot.
 */
#ifndef ID_KTIME_H
#define ID_KTIME_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t ktime;

/* Parse RFC 3339 (s of length n); returns 0 and sets *out, or -1. */
int ktime_parse(const char *s, size_t n, ktime *out);
/* Format as "2026-11-02T10:04:05Z" into out (at least 21 bytes). */
void ktime_format(ktime t, char *out, size_t outlen);
/* Human duration like kubectl's: "45s", "3m12s", "5h2m", "3d4h". */
void ktime_ago(int64_t seconds, char *out, size_t outlen);

#endif
