/*
 * b64: standard base64 (RFC 4648, with padding), as Go's encoding/base64
 * StdEncoding that kubeconfig "*-data" fields use.
 */
#ifndef ID_B64_H
#define ID_B64_H

#include <stddef.h>

#include "../util/buf.h"

/* Append the encoding of p[0..n) to out. Returns 0, -1 when out is full. */
int b64_encode(struct buf *out, const void *p, size_t n);

/*
 * Decode s[0..n) (padding required as Go's StdEncoding; line breaks and
 * spaces are not allowed) and append the bytes to out. Returns 0, or -1
 * on bad input or a full buffer.
 */
int b64_decode(struct buf *out, const char *s, size_t n);

#endif
