/*
 * classify: error-log messages -> classes -> catalogue ids (classify.h).
 * The strings matched are nginx's, from nginx-502.md section 2.3.
 */
#include "classify.h"
#include "logline_int.h"

#include <string.h>

#include "../util/banned.h"

static const struct log_class_info infos[LC__COUNT] = {
	[LC_NONE] = { "none", NULL, 0, "not an upstream error" },
	[LC_CONNECT_REFUSED] = { "connect-refused", "upstream-connect-refused", 502,
		"connect() failed (111: Connection refused): nothing listens on the address" },
	[LC_CONNECT_UNREACHABLE] = { "connect-unreachable", "upstream-connect-refused", 502,
		"connect() failed (113/101: host or network unreachable): the address is gone "
		"or not routed" },
	[LC_CONNECT_RESET] = { "connect-reset", "upstream-connect-refused", 502,
		"connect() failed (104: Connection reset by peer): the connection was rejected" },
	[LC_CONNECT_OTHER] = { "connect-failed", "upstream-connect-refused", 502,
		"connect() failed with another error" },
	[LC_CONNECT_TIMEOUT] = { "connect-timeout", "upstream-connect-timeout", 504,
		"upstream timed out (110) while connecting: SYNs unanswered" },
	[LC_READ_TIMEOUT] = { "read-timeout", "upstream-read-timeout", 504,
		"upstream timed out (110) while reading response header: the app is too slow" },
	[LC_SEND_TIMEOUT] = { "send-timeout", "upstream-read-timeout", 504,
		"upstream timed out (110) while sending request: the app does not read the body" },
	[LC_PREMATURE_CLOSE] = { "premature-close", "upstream-premature-close", 502,
		"upstream prematurely closed connection before the response header" },
	[LC_RESET] = { "reset", "upstream-premature-close", 502,
		"recv() failed (104: Connection reset by peer) before the response header" },
	[LC_BROKEN_PIPE] = { "broken-pipe", "upstream-premature-close", 502,
		"writev()/send() failed (32: Broken pipe / 104) while sending the request" },
	[LC_HEADER_TOO_BIG] = { "header-too-big", "upstream-header-too-big", 502,
		"upstream sent too big header (over proxy-buffer-size)" },
	[LC_INVALID_HEADER] = { "invalid-header", NULL, 502,
		"upstream sent an invalid header or response framing" },
	[LC_SSL] = { "ssl-error", "upstream-ssl-error", 502,
		"TLS handshake to the upstream failed" },
	[LC_HTTP2_FRAME] = { "http2-frame", "ingress-backend-protocol-mismatch", 502,
		"upstream sent too large http2 frame: gRPC route, HTTP/1 (or TLS) backend" },
	[LC_NO_VALID_HEADER] = { "no-valid-header", "ingress-backend-protocol-mismatch", 0,
		"upstream sent no valid HTTP/1.0 header: not HTTP on that port (TLS, gRPC, other)" },
	[LC_GRPC_RESET] = { "grpc-reset", "upstream-premature-close", 502,
		"the gRPC upstream rejected the request, sent GOAWAY or closed the stream" },
	[LC_NO_LIVE] = { "no-live-upstreams", "no-live-upstreams", 502,
		"no live upstreams: every peer was marked failed" },
	[LC_NO_PEER] = { "balancer-no-peer", NULL, 502,
		"the Lua balancer returned no peer" },
	[LC_RESOLVE] = { "resolve-failed", NULL, 502,
		"the upstream name could not be resolved, or its port is invalid" },
	[LC_CLIENT_CLOSED] = { "client-closed", NULL, 0,
		"the client closed the connection first (499)" },
	[LC_TRUNCATED] = { "after-headers", NULL, 0,
		"failure after the response header was sent: truncated body, not a 5xx" },
	[LC_DUP_HEADER] = { "duplicate-header", NULL, 0,
		"upstream sent duplicate header line (warning only)" },
	[LC_OTHER] = { "other", NULL, 0, "another upstream error" },
	[LC_A_NO_ENDPOINTS] = { "no-endpoints", "service-no-ready-endpoints", 503,
		"503 without contacting any upstream: no endpoints (or a rate limit)" },
	[LC_A_CONNECT_FAILED] = { "access-connect-failed", "upstream-connect-refused", 502,
		"every attempt failed without a response (connect refused/reset/unreachable)" },
	[LC_A_NO_RESPONSE] = { "access-no-response", "upstream-premature-close", 502,
		"a single attempt ended without a response (closed or reset, not retried)" },
	[LC_A_CONNECT_TIMEOUT] = { "access-connect-timeout", "upstream-connect-timeout", 504,
		"attempts timed out in under 30 s each (proxy-connect-timeout)" },
	[LC_A_READ_TIMEOUT] = { "access-read-timeout", "upstream-read-timeout", 504,
		"an attempt timed out after 30 s or more (proxy-read-timeout)" },
	[LC_A_APP_5XX] = { "app-5xx", NULL, 0,
		"the application itself answered 502/503/504 (a body came back)" },
	[LC_A_RECOVERED] = { "retried-ok", NULL, 0,
		"an attempt failed and a retry on another attempt answered" },
};

const struct log_class_info *log_class_info(int cls)
{
	if (cls < 0 || cls >= LC__COUNT)
		cls = LC_NONE;
	return &infos[cls];
}

bool log_class_is_access(int cls)
{
	return cls >= LC_A_NO_ENDPOINTS && cls < LC__COUNT;
}

static bool has(struct ll_str s, const char *lit)
{
	return ll_find(s.p, s.n, lit, strlen(lit)) != NULL;
}

static bool starts(struct ll_str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n >= n && !memcmp(s.p, lit, n);
}

/* The phase of the upstream request from the action. */
enum phase { PH_NONE, PH_CONNECT, PH_SSL, PH_SEND, PH_HEADER, PH_AFTER, PH_CLIENT };

static enum phase phase_of(struct ll_str a)
{
	if (!a.n)
		return PH_NONE;
	if (starts(a, "connecting to upstream"))
		return PH_CONNECT;
	if (starts(a, "SSL handshaking to upstream"))
		return PH_SSL;
	if (starts(a, "sending request to upstream"))
		return PH_SEND;
	if (starts(a, "reading response header from upstream"))
		return PH_HEADER;
	if (starts(a, "reading upstream") || starts(a, "proxying upgraded connection"))
		return PH_AFTER;
	if (starts(a, "sending to client") || starts(a, "reading client") ||
	    starts(a, "SSL handshaking") || starts(a, "waiting for request"))
		return PH_CLIENT;
	return PH_NONE;
}

/* A connect-level errno (whatever syscall reported it). */
static int by_errno(int e)
{
	switch (e) {
	case 111:
		return LC_CONNECT_REFUSED;
	case 113:
	case 101:
		return LC_CONNECT_UNREACHABLE;
	default:
		return LC_NONE;
	}
}

static int io_failure(const struct ll_error *e, enum phase ph, bool sending)
{
	int c = by_errno(e->err_no);

	if (c)
		return c;
	if (ph == PH_CLIENT)
		return LC_CLIENT_CLOSED;
	if (ph == PH_AFTER)
		return LC_TRUNCATED;
	if (ph == PH_SSL)
		return LC_SSL;
	if (ph == PH_CONNECT && e->err_no == 104)
		return LC_CONNECT_RESET;
	if (ph == PH_NONE && !e->peer.n)
		return LC_NONE;
	return sending ? LC_BROKEN_PIPE : LC_RESET;
}

int log_classify_error(const struct ll_error *e)
{
	struct ll_str m = e->msg;
	enum phase ph = phase_of(e->action);

	if (!m.n)
		return LC_NONE;
	if (starts(m, "upstream timed out")) {
		switch (ph) {
		case PH_CONNECT:
		case PH_SSL:
			return LC_CONNECT_TIMEOUT;
		case PH_SEND:
			return LC_SEND_TIMEOUT;
		case PH_AFTER:
		case PH_CLIENT:
			return LC_TRUNCATED;
		default:
			return LC_READ_TIMEOUT;
		}
	}
	if (starts(m, "connect() ")) {
		int c = by_errno(e->err_no);
		if (c)
			return c;
		if (e->err_no == 104)
			return LC_CONNECT_RESET;
		if (e->err_no == 110)
			return LC_CONNECT_TIMEOUT;
		return LC_CONNECT_OTHER;
	}
	if (starts(m, "upstream prematurely closed connection"))
		return ph == PH_AFTER || ph == PH_CLIENT ? LC_TRUNCATED : LC_PREMATURE_CLOSE;
	if (starts(m, "upstream prematurely closed stream") ||
	    starts(m, "upstream rejected request with error") ||
	    starts(m, "upstream sent goaway"))
		return LC_GRPC_RESET;
	if (starts(m, "no live upstreams"))
		return LC_NO_LIVE;
	if (starts(m, "upstream sent too big header"))
		return LC_HEADER_TOO_BIG;
	if (starts(m, "upstream sent too large http2 frame"))
		return LC_HTTP2_FRAME;
	if (starts(m, "upstream sent no valid HTTP/1.0 header"))
		return LC_NO_VALID_HEADER;
	if (starts(m, "upstream sent duplicate header"))
		return LC_DUP_HEADER;
	if (starts(m, "upstream sent invalid") || starts(m, "upstream sent unknown") ||
	    starts(m, "upstream sent \"Content-Length\""))
		return ph == PH_AFTER ? LC_TRUNCATED : LC_INVALID_HEADER;
	if (starts(m, "SSL_do_handshake() failed") || starts(m, "upstream SSL certificate") ||
	    starts(m, "peer closed connection in SSL handshake") ||
	    (ph == PH_SSL && has(m, "SSL")))
		return ph == PH_CLIENT ? LC_NONE : LC_SSL;
	if (starts(m, "recv() failed") || starts(m, "readv() failed") ||
	    starts(m, "SSL_read() failed"))
		return io_failure(e, ph, false);
	if (starts(m, "writev() failed") || starts(m, "send() failed") ||
	    starts(m, "sendfile() failed") || starts(m, "SSL_write() failed"))
		return io_failure(e, ph, true);
	if (has(m, "client prematurely closed connection") || starts(m, "client closed"))
		return LC_CLIENT_CLOSED;
	if (has(m, "no peer was returned"))
		return LC_NO_PEER;
	if (has(m, "could not be resolved") || starts(m, "host not found in upstream") ||
	    starts(m, "invalid port"))
		return LC_RESOLVE;
	if (ph == PH_CONNECT || ph == PH_SEND || ph == PH_HEADER || ph == PH_SSL)
		return LC_OTHER;
	return LC_NONE;
}
