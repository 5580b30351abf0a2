/*
 * test_logline: one ingress controller log line -> struct (src/logs/):
 * every line format of shared/reference/nginx-502.md (current and old
 * upstreaminfo layouts, multi-attempt lists, JSON, error-log messages of
 * the catalogue with glibc and musl errno texts, klog), the kubectl and
 * CRI prefixes, CRLF, and the small number/time helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/logs/classify.h"
#include "../../src/logs/logline.h"

static struct log_line L;

static void parse(const char *s)
{
	logline_parse(s, strlen(s), &L);
}

static void assert_str(struct ll_str v, const char *want)
{
	char got[512];
	size_t n = v.n < sizeof(got) - 1 ? v.n : sizeof(got) - 1;

	memcpy(got, v.p ? v.p : "", n);
	got[n] = '\0';
	assert_string_equal(got, want);
}

static size_t count_items(struct ll_str list, size_t *groups)
{
	struct ll_iter it;
	struct ll_str item;
	bool g;
	size_t n = 0;

	*groups = 0;
	ll_iter_init(&it, list);
	while (ll_iter_next(&it, &item, &g)) {
		n++;
		*groups += g;
	}
	return n;
}

/* ingress-nginx#9877: the current default format */
static void test_current_format(void **state)
{
	(void)state;
	parse("3.18.201.127 - - [17/Apr/2023:20:24:55 +0000] \"POST /api/authentication/token "
	      "HTTP/1.1\" 502 150 \"-\" \"axios/0.23.0\" 340 0.016 [XXX] [] XXX 0 0.000 502 "
	      "baef50777d0f3651f32233c609ad0e7e");
	assert_int_equal(L.kind, LL_ACCESS);
	assert_int_equal(L.a.status, 502);
	assert_true(L.a.upstream_fields);
	assert_str(L.a.upstream, "XXX");
	assert_str(L.a.addr, "XXX");
	assert_str(L.a.ulen, "0");
	assert_str(L.a.utime, "0.000");
	assert_str(L.a.ustatus, "502");
	assert_str(L.a.method, "POST");
	assert_str(L.a.time, "17/Apr/2023:20:24:55 +0000");
}

static void test_canary_alternative(void **state)
{
	(void)state;
	parse("10.0.0.9 - - [17/Apr/2023:20:24:55 +0000] \"GET / HTTP/2.0\" 200 5 \"-\" \"curl\" "
	      "30 0.003 [shop-web-80] [shop-web-canary-80] 10.244.1.5:80 5 0.003 200 "
	      "0123456789abcdef0123456789abcdef");
	assert_int_equal(L.kind, LL_ACCESS);
	assert_str(L.a.upstream, "shop-web-80");
	assert_str(L.a.addr, "10.244.1.5:80");
	assert_str(L.a.ustatus, "200");
}

/* ingress-nginx#3610, controller 0.21.0: [$the_real_ip], no alternative upstream */
static void test_old_021_layout(void **state)
{
	size_t g;

	(void)state;
	parse("223.65.108.109 - [223.65.108.109] - - [29/Dec/2018:16:02:02 +0000] \"GET "
	      "/actuator/health HTTP/1.1\" 502 157 \"-\" \"PostmanRuntime/7.4.0\" 240 0.002 "
	      "[dop-gateway-server-14523] 10.36.0.1:8888, 10.36.0.1:8888, 10.36.0.1:8888 0, 0, 0 "
	      "0.000, 0.001, 0.000 502, 502, 502 d22a768555620d053d72cfc24178e3b4");
	assert_int_equal(L.kind, LL_ACCESS);
	assert_int_equal(L.a.status, 502);
	assert_str(L.a.time, "29/Dec/2018:16:02:02 +0000");
	assert_str(L.a.upstream, "dop-gateway-server-14523");
	assert_str(L.a.addr, "10.36.0.1:8888, 10.36.0.1:8888, 10.36.0.1:8888");
	assert_str(L.a.ulen, "0, 0, 0");
	assert_str(L.a.utime, "0.000, 0.001, 0.000");
	assert_str(L.a.ustatus, "502, 502, 502");
	assert_int_equal(count_items(L.a.addr, &g), 3);
	assert_int_equal(g, 0);
}

/* before 0.14: no req_id; no alternative upstream either */
static void test_no_reqid(void **state)
{
	(void)state;
	parse("1.2.3.4 - - [01/Jan/2018:00:00:01 +0000] \"GET / HTTP/1.1\" 504 0 \"-\" \"x\" 10 "
	      "15.001 [ns-svc-80] 10.0.0.1:80, 10.0.0.2:80 0, 0 5.000, 5.001 504, 504");
	assert_int_equal(L.kind, LL_ACCESS);
	assert_int_equal(L.a.status, 504);
	assert_str(L.a.addr, "10.0.0.1:80, 10.0.0.2:80");
	assert_str(L.a.utime, "5.000, 5.001");
	assert_str(L.a.ustatus, "504, 504");
}

/* " : " between upstream groups (custom-http-errors), "-" values */
static void test_group_separator(void **state)
{
	size_t g;

	(void)state;
	parse("1.2.3.4 - - [17/Apr/2023:20:24:55 +0000] \"GET /x HTTP/1.1\" 404 10 \"-\" \"x\" 10 "
	      "0.002 [ns-app-80] [] 10.0.0.1:80 : 10.0.0.9:8080 0 : 150 0.000 : 0.001 502 : 404 "
	      "0123456789abcdef0123456789abcdef");
	assert_str(L.a.addr, "10.0.0.1:80 : 10.0.0.9:8080");
	assert_str(L.a.ulen, "0 : 150");
	assert_str(L.a.ustatus, "502 : 404");
	assert_int_equal(count_items(L.a.ustatus, &g), 2);
	assert_int_equal(g, 1);
	parse("1.2.3.4 - - [17/Apr/2023:20:24:55 +0000] \"GET / HTTP/1.1\" 503 190 \"-\" \"x\" 80 "
	      "0.000 [shop-web-80] [] - - - - 0123456789abcdef0123456789abcdef");
	assert_int_equal(L.a.status, 503);
	assert_str(L.a.addr, "-");
	assert_str(L.a.ustatus, "-");
}

/* When a list is one item, iterating it yields exactly the whole list. */
static bool iterates_to_itself(struct ll_str l)
{
	struct ll_iter it;
	struct ll_str item;
	bool g;
	int k = 0;

	ll_iter_init(&it, l);
	while (ll_iter_next(&it, &item, &g))
		if (k++ || item.p != l.p || item.n != l.n)
			return false;
	return l.n ? k == 1 : k == 0;
}

/*
 * The `single` shortcut of the access parser (the counting code skips the
 * list walk when it is set) must agree with the lists themselves: set for
 * one-attempt lines, unset for multi-attempt and grouped ones, and never
 * set where a list would iterate to anything but itself, also on lines
 * whose tail separators are mutated (a seeded generator, so it repeats).
 */
static void test_single_lists(void **state)
{
	static const char *const lines[] = {
		"10.0.0.9 - - [17/Apr/2023:20:24:55 +0000] \"GET / HTTP/2.0\" 200 5 \"-\" \"curl\" "
		"30 0.003 [shop-web-80] [] 10.244.1.5:80 5 0.003 200 "
		"0123456789abcdef0123456789abcdef",
		"1.2.3.4 - - [01/Jan/2018:00:00:01 +0000] \"GET / HTTP/1.1\" 504 0 \"-\" \"x\" 10 "
		"15.001 [ns-svc-80] 10.0.0.1:80, 10.0.0.2:80 0, 0 5.000, 5.001 504, 504",
		"1.2.3.4 - - [17/Apr/2023:20:24:55 +0000] \"GET /x HTTP/1.1\" 404 10 \"-\" \"x\" 10 "
		"0.002 [ns-app-80] [] 10.0.0.1:80 : 10.0.0.9:8080 0 : 150 0.000 : 0.001 502 : 404 "
		"0123456789abcdef0123456789abcdef",
		"1.2.3.4 - - [17/Apr/2023:20:24:55 +0000] \"GET / HTTP/1.1\" 502 150 \"-\" \"x\" 80 "
		"0.001 [shop-api-8080] [] 10.0.0.7:8080, - 0, - 0.001, - 502, - "
		"0123456789abcdef0123456789abcdef",
	};
	static const char seps[] = ", :-[]\t";
	unsigned long long rnd = 1;
	int nsingle = 0, nmulti = 0;

	(void)state;
	parse(lines[0]);
	assert_true(L.a.single);
	parse(lines[1]);
	assert_false(L.a.single);
	parse(lines[2]);
	assert_false(L.a.single);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		size_t n = strlen(lines[i]);
		for (int m = 0; m < 400; m++) {
			char t[512];
			memcpy(t, lines[i], n);
			for (int j = 0; m && j < 2; j++) {
				rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
				size_t pos = n - 1 - (size_t)(rnd >> 33) % 80;
				t[pos] = seps[(rnd >> 20) % 7];
			}
			logline_parse(t, n, &L);
			if (L.kind != LL_ACCESS || !L.a.addr.n)
				continue;
			if (!L.a.single) {
				nmulti++;
				continue;
			}
			nsingle++;
			assert_true(iterates_to_itself(L.a.addr));
			assert_true(iterates_to_itself(L.a.ustatus));
			assert_true(iterates_to_itself(L.a.utime));
			assert_true(iterates_to_itself(L.a.ulen));
		}
	}
	assert_true(nsingle > 100);
	assert_true(nmulti > 100);
}

/* escaped bytes in the request: \xHH (escape=default) and \" (escape=json) */
static void test_escaped_request(void **state)
{
	(void)state;
	parse("1.2.3.4 - - [17/Apr/2023:20:24:55 +0000] \"GET /a\\x22b\\x0A HTTP/1.1\" 502 0 \"-\" "
	      "\"ua \\\"quoted\\\"\" 10 0.001 [ns-a-80] [] 10.0.0.1:80 0 0.001 502 "
	      "0123456789abcdef0123456789abcdef");
	assert_int_equal(L.kind, LL_ACCESS);
	assert_str(L.a.request, "GET /a\\x22b\\x0A HTTP/1.1");
	assert_str(L.a.upstream, "ns-a-80");
	parse("1.2.3.4 - - [17/Apr/2023:20:24:55 +0000] \"GET /a\\\"b HTTP/1.1\" 200 0 \"-\" \"x\" "
	      "10 0.001 [ns-a-80] [] 10.0.0.1:80 0 0.001 200 0123456789abcdef0123456789abcdef");
	assert_str(L.a.request, "GET /a\\\"b HTTP/1.1");
	assert_str(L.a.ustatus, "200");
}

/* NGINX Inc controller: combined + "$http_x_forwarded_for", no upstream fields */
static void test_combined(void **state)
{
	(void)state;
	parse("1.2.3.4 - - [17/Apr/2023:20:24:55 +0000] \"GET / HTTP/1.1\" 502 559 \"-\" \"UA\" "
	      "\"-\"");
	assert_int_equal(L.kind, LL_ACCESS);
	assert_int_equal(L.a.status, 502);
	assert_false(L.a.upstream_fields);
	parse("1.2.3.4 - - [17/Apr/2023:20:24:55 +0000] \"GET / HTTP/1.1\" 200 5");
	assert_int_equal(L.kind, LL_ACCESS);
	assert_int_equal(L.a.status, 200);
}

/* log-format-escape-json, ingress-nginx#10852, and custom keys */
static void test_json(void **state)
{
	(void)state;
	parse("{\"timestamp\":\"2023-12-01T10:00:00+00:00\",\"requestID\":\"abc\","
	      "\"proxyUpstreamName\":\"default-keycloak-keycloakx-http-http\","
	      "\"proxyAlternativeUpstreamName\":\"\",\"upstreamStatus\":\"-\","
	      "\"upstreamAddr\":\"10.244.1.51:8080\",\"request\":\"GET /x HTTP/1.1\","
	      "\"status\":\"499\",\"nested\":{\"status\":\"1\"}}");
	assert_int_equal(L.kind, LL_ACCESS);
	assert_true(L.a.json);
	assert_int_equal(L.a.status, 499);
	assert_str(L.a.upstream, "default-keycloak-keycloakx-http-http");
	assert_str(L.a.addr, "10.244.1.51:8080");
	assert_str(L.a.ustatus, "-");
	assert_str(L.a.method, "GET");
	assert_int_equal(ll_minute_any(L.a.time), ll_minute_any((struct ll_str){
		"01/Dec/2023:10:00:00 +0000", 26 }));
	parse("{ \"time_local\": \"17/Apr/2023:20:24:55 +0000\", \"status\": 502, "
	      "\"upstream_addr\": \"10.0.0.1:80, 10.0.0.2:80\", \"upstream_status\": \"502, 502\", "
	      "\"upstream_response_time\": \"0.000, 0.001\", \"upstream_connect_time\": \"0.000\", "
	      "\"proxy_upstream_name\": \"ns-svc-80\", \"method\": \"POST\" }");
	assert_int_equal(L.kind, LL_ACCESS);
	assert_int_equal(L.a.status, 502);
	assert_str(L.a.addr, "10.0.0.1:80, 10.0.0.2:80");
	assert_str(L.a.utime, "0.000, 0.001");
	assert_str(L.a.upstream, "ns-svc-80");
	assert_str(L.a.method, "POST");
	/* JSON that is not an access line: an AWS LB controller log */
	parse("{\"level\":\"info\",\"msg\":\"registering targets\"}");
	assert_int_equal(L.kind, LL_UNKNOWN);
	parse("{\"status\": 200, \"broken");
	assert_int_equal(L.kind, LL_UNKNOWN);
}

static const struct {
	const char *msg;           /* after "*CID " */
	int cls;
	int err_no;
} errs[] = {
	{ "connect() failed (111: Connection refused) while connecting to upstream",
	  LC_CONNECT_REFUSED, 111 },
	{ "connect() to 10.1.2.3:80 failed (111: Connection refused) while connecting to upstream",
	  LC_CONNECT_REFUSED, 111 },
	{ "connect() failed (113: Host is unreachable) while connecting to upstream",
	  LC_CONNECT_UNREACHABLE, 113 },
	{ "connect() failed (113: No route to host) while connecting to upstream",
	  LC_CONNECT_UNREACHABLE, 113 },
	{ "connect() failed (101: Network unreachable) while connecting to upstream",
	  LC_CONNECT_UNREACHABLE, 101 },
	{ "connect() failed (101: Network is unreachable) while connecting to upstream",
	  LC_CONNECT_UNREACHABLE, 101 },
	{ "connect() failed (104: Connection reset by peer) while connecting to upstream",
	  LC_CONNECT_RESET, 104 },
	{ "connect() to unix:/tmp/x.sock failed (11: Resource temporarily unavailable) while "
	  "connecting to upstream", LC_CONNECT_OTHER, 11 },
	{ "upstream timed out (110: Operation timed out) while connecting to upstream",
	  LC_CONNECT_TIMEOUT, 110 },
	{ "upstream timed out (110: Connection timed out) while connecting to upstream",
	  LC_CONNECT_TIMEOUT, 110 },
	{ "upstream timed out (110: Operation timed out) while reading response header from "
	  "upstream", LC_READ_TIMEOUT, 110 },
	{ "upstream timed out (110: Connection timed out) while reading response header from "
	  "upstream", LC_READ_TIMEOUT, 110 },
	{ "upstream timed out (110: Operation timed out) while sending request to upstream",
	  LC_SEND_TIMEOUT, 110 },
	{ "upstream timed out (110: Operation timed out) while reading upstream", LC_TRUNCATED,
	  110 },
	{ "upstream prematurely closed connection while reading response header from upstream",
	  LC_PREMATURE_CLOSE, -1 },
	{ "recv() failed (104: Connection reset by peer) while reading response header from "
	  "upstream", LC_RESET, 104 },
	{ "recv() failed (111: Connection refused) while reading response header from upstream",
	  LC_CONNECT_REFUSED, 111 },
	{ "readv() failed (104: Connection reset by peer) while reading upstream", LC_TRUNCATED,
	  104 },
	{ "writev() failed (32: Broken pipe) while sending request to upstream", LC_BROKEN_PIPE,
	  32 },
	{ "send() failed (104: Connection reset by peer) while sending request to upstream",
	  LC_BROKEN_PIPE, 104 },
	{ "writev() failed (32: Broken pipe) while sending to client", LC_CLIENT_CLOSED, 32 },
	{ "upstream sent too big header while reading response header from upstream",
	  LC_HEADER_TOO_BIG, -1 },
	{ "upstream sent invalid header: \"x\\x20y...\" while reading response header from "
	  "upstream", LC_INVALID_HEADER, -1 },
	{ "upstream sent \"Content-Length\" and \"Transfer-Encoding\" headers at the same time "
	  "while reading response header from upstream", LC_INVALID_HEADER, -1 },
	{ "upstream sent invalid \"Content-Length\" header: \"x\" while reading response header "
	  "from upstream", LC_INVALID_HEADER, -1 },
	{ "upstream sent duplicate header line: \"a: b\", previous value: \"a: c\", ignored "
	  "while reading response header from upstream", LC_DUP_HEADER, -1 },
	{ "upstream sent no valid HTTP/1.0 header while reading response header from upstream",
	  LC_NO_VALID_HEADER, -1 },
	{ "upstream sent too large http2 frame: 4740180 while reading response header from "
	  "upstream", LC_HTTP2_FRAME, -1 },
	{ "upstream rejected request with error 2 while reading response header from upstream",
	  LC_GRPC_RESET, -1 },
	{ "upstream sent goaway with error 0 while reading response header from upstream",
	  LC_GRPC_RESET, -1 },
	{ "no live upstreams while connecting to upstream", LC_NO_LIVE, -1 },
	{ "SSL_do_handshake() failed (SSL: error:1408F10B:SSL routines:ssl3_get_record:wrong "
	  "version number) while SSL handshaking to upstream", LC_SSL, -1 },
	{ "SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) "
	  "while SSL handshaking to upstream", LC_SSL, -1 },
	{ "SSL_do_handshake() failed (SSL: error:14094458:SSL routines:ssl3_read_bytes:tlsv1 "
	  "unrecognized name:SSL alert number 112) while SSL handshaking to upstream", LC_SSL, -1 },
	{ "peer closed connection in SSL handshake (104: Connection reset by peer) while SSL "
	  "handshaking to upstream", LC_SSL, 104 },
	{ "upstream SSL certificate verify error: (20:unable to get local issuer certificate) "
	  "while SSL handshaking to upstream", LC_SSL, -1 },
	{ "upstream SSL certificate does not match \"upstream_balancer\" while SSL handshaking "
	  "to upstream", LC_SSL, -1 },
	{ "shop.example could not be resolved (3: Host not found)", LC_RESOLVE, 3 },
	{ "invalid port while connecting to upstream", LC_RESOLVE, -1 },
	{ "epoll_wait() reported that client prematurely closed connection, so upstream "
	  "connection is closed too while sending request to upstream", LC_CLIENT_CLOSED, -1 },
	{ "upstream prematurely closed connection while reading upstream", LC_TRUNCATED, -1 },
	{ "[lua] balancer.lua:339: balance(): no peer was returned, balancer: shop-api-8080 "
	  "while connecting to upstream", LC_NO_PEER, -1 },
	{ "open() \"/x/favicon.ico\" failed (2: No such file or directory)", LC_NONE, 2 },
};

static void test_error_catalogue(void **state)
{
	char line[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		snprintf(line, sizeof(line), "2023/04/17 20:24:55 [error] 31#31: *4102 %s, client: "
			 "3.18.201.127, server: shop.example.com, request: \"GET /x HTTP/1.1\", "
			 "upstream: \"http://10.244.0.21:8080/x\", host: \"shop.example.com\"",
			 errs[i].msg);
		parse(line);
		assert_int_equal(L.kind, LL_ERROR);
		if (L.e.cls != errs[i].cls)
			fail_msg("%s: class %s, want %s", errs[i].msg, log_class_info(L.e.cls)->name,
				 log_class_info(errs[i].cls)->name);
		assert_int_equal(L.e.err_no, errs[i].err_no);
		assert_int_equal(L.e.cid, 4102);
		assert_int_equal(L.e.level, LV_ERROR);
		assert_str(L.e.peer, "10.244.0.21:8080");
		assert_str(L.e.scheme, "http");
		assert_str(L.e.request, "GET /x HTTP/1.1");
	}
	parse("2023/04/17 20:24:55 [error] 31#31: *9 [lua] balancer.lua:339: balance(): no peer "
	      "was returned, balancer: shop-api-8080 while connecting to upstream, client: 1.2.3.4");
	assert_str(L.e.upstream, "shop-api-8080");
	/* " while " starting inside "balancer: " itself: an empty name, not a wrap-around */
	parse("2023/04/17 20:26:11 [error] 31#31: *7388 upstream timed out (110: Connection "
	      "timed out) balancer: while connecting to upstream, client: 10.0.0.50");
	assert_int_equal(L.kind, LL_ERROR);
	assert_int_equal(L.e.upstream.n, 0);
}

static void test_error_levels(void **state)
{
	(void)state;
	parse("2023/04/17 20:24:55 [crit] 40#40: *77 SSL_do_handshake() failed (SSL: "
	      "error:14094458:SSL routines:ssl3_read_bytes:tlsv1 unrecognized name:SSL alert "
	      "number 112) while SSL handshaking to upstream, client: 1.2.3.4, server: a, request: "
	      "\"GET / HTTP/1.1\", upstream: \"https://10.0.0.7:8443/\", host: \"a\"");
	assert_int_equal(L.kind, LL_ERROR);
	assert_int_equal(L.e.level, LV_CRIT);
	assert_int_equal(L.e.cls, LC_SSL);
	assert_str(L.e.scheme, "https");
	assert_str(L.e.peer, "10.0.0.7:8443");
	parse("2023/04/17 20:24:55 [warn] 40#40: *78 upstream sent duplicate header line: "
	      "\"a: b\", previous value: \"a: c\", ignored while reading response header from "
	      "upstream, client: 1.2.3.4, upstream: \"grpc://10.0.0.8:50051\"");
	assert_int_equal(L.e.level, LV_WARN);
	assert_int_equal(L.e.cls, LC_DUP_HEADER);
	assert_str(L.e.peer, "10.0.0.8:50051");
	assert_str(L.e.scheme, "grpc");
	parse("2023/04/17 20:24:55 [emerg] 1#1: host not found in upstream \"x.y\" in "
	      "/etc/nginx/nginx.conf:12");
	assert_int_equal(L.e.level, LV_EMERG);
	assert_int_equal(L.e.cls, LC_RESOLVE);
	assert_int_equal(L.e.cid, -1);
	parse("2023/04/17 20:24:55 [notice] 1#1: signal process started");
	assert_int_equal(L.kind, LL_ERROR);
	assert_int_equal(L.e.cls, LC_NONE);
	parse("2023/04/17 20:24:55 [bogus] 1#1: x");
	assert_int_equal(L.kind, LL_UNKNOWN);
}

static void test_klog(void **state)
{
	(void)state;
	parse("W1127 10:00:00.000000       7 controller.go:1110] Service \"shop/api\" does not "
	      "have any active Endpoint.");
	assert_int_equal(L.kind, LL_CONTROLLER);
	assert_int_equal(L.k.sev, 'W');
	assert_int_equal(L.k.fact, CTL_NO_ENDPOINTS);
	assert_str(L.k.service, "shop/api");
	parse("W1127 10:00:00.000000       7 controller.go:1110] \"Service does not have any active "
	      "Endpoint\" service=\"shop/web\"");
	assert_int_equal(L.k.fact, CTL_NO_ENDPOINTS);
	assert_str(L.k.service, "shop/web");
	parse("I1127 10:00:00.000000       7 controller.go:190] \"Backend successfully reloaded\"");
	assert_int_equal(L.k.fact, CTL_RELOAD_OK);
	parse("E1127 10:00:00.000000 7 controller.go:1] Dynamic reconfiguration failed: x");
	assert_int_equal(L.k.sev, 'E');
	assert_int_equal(L.k.fact, CTL_RELOAD_FAILED);
	parse("E1127 10:00:00.000000 7 store.go:1] Error obtaining Endpoints for Service "
	      "\"a/b\": no object");
	assert_int_equal(L.k.fact, CTL_ENDPOINTS_ERROR);
	assert_str(L.k.service, "a/b");
}

#define ACCESS "1.2.3.4 - - [17/Apr/2023:20:24:55 +0000] \"GET / HTTP/1.1\" 502 0 \"-\" \"x\" " \
	"1 0.0 [ns-a-80] [] 10.0.0.1:80 0 0.000 502 0123456789abcdef0123456789abcdef"

static void test_prefixes(void **state)
{
	static const char *const pre[] = {
		"[pod/ingress-nginx-controller-abc/controller] ",
		"2024-03-26T16:21:04.076718973Z ",
		"2024-03-26T16:21:04.076718973+01:00 stderr F ",
		"2024-03-26T16:21:04.076718973+01:00 stdout P ",
		"[pod/ingress-nginx-controller-abc/controller] 2024-03-26T16:21:04.076718973Z ",
		"2024-03-26T16:21:04.076718973Z [pod/x/y] ",
	};
	char line[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		snprintf(line, sizeof(line), "%s%s\r", pre[i], ACCESS);
		parse(line);
		assert_int_equal(L.kind, LL_ACCESS);
		assert_str(L.a.upstream, "ns-a-80");
		assert_str(L.a.ustatus, "502");
		assert_str(L.body, ACCESS);
	}
	parse("[pod/ingress-nginx-controller-abc/controller] W1127 10:00:00.000000 7 c.go:1] x");
	assert_int_equal(L.kind, LL_CONTROLLER);
	assert_str(L.pod, "pod/ingress-nginx-controller-abc/controller");
	parse("2024-03-26T16:21:04.076718973+01:00 stderr F 2023/04/17 20:24:55 [error] 31#31: "
	      "*1 no live upstreams while connecting to upstream, client: 1.2.3.4\r");
	assert_int_equal(L.kind, LL_ERROR);
	assert_int_equal(L.e.cls, LC_NO_LIVE);
	parse("\r");
	assert_int_equal(L.kind, LL_EMPTY);
	parse("");
	assert_int_equal(L.kind, LL_EMPTY);
	parse("garbage \x01\xff line");
	assert_int_equal(L.kind, LL_UNKNOWN);
}

static void test_helpers(void **state)
{
	(void)state;
	assert_int_equal(ll_msec((struct ll_str){ "0.016", 5 }), 16);
	assert_int_equal(ll_msec((struct ll_str){ "14.997", 6 }), 14997);
	assert_int_equal(ll_msec((struct ll_str){ "5", 1 }), 5000);
	assert_int_equal(ll_msec((struct ll_str){ "-", 1 }), -1);
	assert_int_equal(ll_msec((struct ll_str){ "1.x", 3 }), -1);
	assert_int_equal(ll_int((struct ll_str){ "502", 3 }), 502);
	assert_int_equal(ll_int((struct ll_str){ "-", 1 }), -1);
	/* 2023-04-17 20:24 UTC = 1681763040 s */
	assert_int_equal(ll_minute_clf((struct ll_str){ "17/Apr/2023:20:24:55 +0000", 26 }),
			 1681763040 / 60);
	assert_int_equal(ll_minute_clf((struct ll_str){ "17/Apr/2023:22:24:55 +0200", 26 }),
			 1681763040 / 60);
	assert_int_equal(ll_minute_errlog((struct ll_str){ "2023/04/17 20:24:55", 19 }),
			 1681763040 / 60);
	assert_int_equal(ll_minute_any((struct ll_str){ "2023-04-17T20:24:55Z", 20 }),
			 1681763040 / 60);
	assert_int_equal(ll_minute_clf((struct ll_str){ "17/Foo/2023:20:24:55 +0000", 26 }), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_current_format),
		cmocka_unit_test(test_canary_alternative),
		cmocka_unit_test(test_old_021_layout),
		cmocka_unit_test(test_no_reqid),
		cmocka_unit_test(test_group_separator),
		cmocka_unit_test(test_single_lists),
		cmocka_unit_test(test_escaped_request),
		cmocka_unit_test(test_combined),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_error_catalogue),
		cmocka_unit_test(test_error_levels),
		cmocka_unit_test(test_klog),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
