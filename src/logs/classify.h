/*
 * classify: the error classes behind 5xx in ingress controller logs, and
 * their catalogue ids (shared/spec/checks.md section 6).
 *
 * Error-log classes come from the nginx message catalogue of
 * nginx-502.md section 2.3 and are matched on the message prefix, the
 * errno NUMBER (glibc and musl word them differently) and the action
 * ("while connecting to upstream"...). Access-log classes (LC_A_*) are
 * what the upstreaminfo fields alone show (nginx-502.md section 1.4);
 * they are used for findings only when no error-log line was read.
 */
#ifndef ID_LOGS_CLASSIFY_H
#define ID_LOGS_CLASSIFY_H

#include <stdbool.h>

#include "../findings/findings.h"
#include "logline.h"

enum log_class {
	LC_NONE = 0,
	/* from the error log */
	LC_CONNECT_REFUSED,       /* connect() failed (111) */
	LC_CONNECT_UNREACHABLE,   /* connect() failed (113 / 101) */
	LC_CONNECT_RESET,         /* connect() failed (104) */
	LC_CONNECT_OTHER,         /* connect() failed (other errno, e.g. 11 on a unix socket) */
	LC_CONNECT_TIMEOUT,       /* upstream timed out while connecting */
	LC_READ_TIMEOUT,          /* upstream timed out while reading response header */
	LC_SEND_TIMEOUT,          /* upstream timed out while sending request */
	LC_PREMATURE_CLOSE,       /* upstream prematurely closed connection (before headers) */
	LC_RESET,                 /* recv()/readv() failed (104) before headers */
	LC_BROKEN_PIPE,           /* writev()/send() failed while sending request */
	LC_HEADER_TOO_BIG,        /* upstream sent too big header */
	LC_INVALID_HEADER,        /* invalid header / CL+TE / bad Content-Length */
	LC_SSL,                   /* SSL_do_handshake() failed, certificate errors */
	LC_HTTP2_FRAME,           /* too large http2 frame: gRPC route, HTTP/1 backend */
	LC_NO_VALID_HEADER,       /* upstream sent no valid HTTP/1.0 header */
	LC_GRPC_RESET,            /* rejected request / goaway / prematurely closed stream */
	LC_NO_LIVE,               /* no live upstreams */
	LC_NO_PEER,               /* Lua balancer: no peer was returned */
	LC_RESOLVE,               /* could not be resolved / host not found / invalid port */
	LC_CLIENT_CLOSED,         /* client prematurely closed connection (499) */
	LC_TRUNCATED,             /* failure after the headers were sent (body cut) */
	LC_DUP_HEADER,            /* duplicate header line (warn, noise) */
	LC_OTHER,                 /* another upstream-related error-log message */
	/* from the access log only */
	LC_A_NO_ENDPOINTS,        /* 503 and no upstream contacted */
	LC_A_CONNECT_FAILED,      /* 502: every attempt (>= 2) failed with no response */
	LC_A_NO_RESPONSE,         /* 502: one attempt, no response */
	LC_A_CONNECT_TIMEOUT,     /* 504: attempts timed out under 30 s each */
	LC_A_READ_TIMEOUT,        /* 504: attempt timed out after >= 30 s */
	LC_A_APP_5XX,             /* the app itself answered 502/503/504 (length > 0) */
	LC_A_RECOVERED,           /* an attempt failed, a later one answered */
	LC__COUNT,
};

struct log_class_info {
	const char *name;         /* "connect-refused" (statistics) */
	const char *id;           /* catalogue id, NULL when none */
	int status;               /* status the client gets when final (0: not a 5xx) */
	const char *what;         /* one line for people */
};

const struct log_class_info *log_class_info(int cls);
/* True for the LC_A_* classes. */
bool log_class_is_access(int cls);

/* Class of an error-log line (fields of e already parsed). */
int log_classify_error(const struct ll_error *e);

#endif
