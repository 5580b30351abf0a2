/*
 * test_logs_keepalive: the keepalive-timeout-mismatch verdict (judge.c)
 * on generated access and error lines. The race must be told by evidence
 * that does not depend on the machine's speed: retries answered at once
 * by the same address, or failures no slower than the upstream's fastest
 * answers, even when every time is slow (a busy node). An app that
 * crashes mid-request (after its handling time), an app that resets every
 * request, and a slow failure retried on the same address are not the race.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/logs/judge.h"
#include "../../src/logs/stats.h"

/* One scenario: the lines fed, then the findings log_judge() makes. */
struct run {
	struct log_stats s;
	struct diag d;
	unsigned n;
};

static void start(struct run *r)
{
	log_stats_init(&r->s);
	diag_init(&r->d);
	r->n = 0;
}

static void stop(struct run *r)
{
	diag_release(&r->d);
	log_stats_release(&r->s);
}

static void feed(struct run *r, const char *line)
{
	log_stats_line(&r->s, line, strlen(line), "t.log", ++r->n);
}

/* An access line of upstream shop-web-3000: method, status and the attempt lists. */
static void acc(struct run *r, const char *method, int status, const char *addr,
		const char *len, const char *tm, const char *ust)
{
	char line[1024];

	snprintf(line, sizeof(line), "10.0.0.50 - - [17/Apr/2023:20:%02u:%02u +0000] \"%s /p "
		 "HTTP/1.1\" %d 10 \"-\" \"curl/8.0\" 90 0.010 [shop-web-3000] [] %s %s %s %s "
		 "0123456789abcdef0123456789abcdef", r->n / 60 % 60, r->n % 60, method, status,
		 addr, len, tm, ust);
	feed(r, line);
}

/* An error-log line: msg for peer (an "http://IP:PORT/p" URL). */
static void err(struct run *r, const char *msg, const char *peer)
{
	char line[1024];

	snprintf(line, sizeof(line), "2023/04/17 20:31:05 [error] 31#31: *2205 %s, client: "
		 "10.0.0.50, server: shop.example.com, request: \"GET /p HTTP/1.1\", upstream: "
		 "\"http://%s/p\", host: \"shop.example.com\"", msg, peer);
	feed(r, line);
}

#define CLOSED "upstream prematurely closed connection while reading response header from " \
	"upstream"
#define RESET "recv() failed (104: Connection reset by peer) while reading response header " \
	"from upstream"

/* ok answered requests on addr, each taking ms milliseconds. */
static void answers(struct run *r, unsigned ok, const char *addr, unsigned ms)
{
	char tm[32];

	for (unsigned i = 0; i < ok; i++) {
		snprintf(tm, sizeof(tm), "%u.%03u", (ms + i % 3) / 1000, (ms + i % 3) % 1000);
		acc(r, "GET", 200, addr, "512", tm, "200");
	}
}

static bool has(struct run *r, const char *id)
{
	log_stats_finish(&r->s);
	log_judge(&r->s, &r->d);
	for (size_t i = 0; i < r->d.nfindings; i++)
		if (!strcmp(r->d.findings[i]->id, id) &&
		    !strcmp(r->d.findings[i]->name, "shop-web-3000"))
			return true;
	return false;
}

static const struct ls_upstream *web(struct run *r)
{
	return log_stats_upstream(&r->s, "shop-web-3000", 13);
}

/*
 * The rig's shape: one pod, every time 0 ms; GETs retried on the same
 * address (nginx's extra try for a cached connection), POSTs not.
 */
static void race_single_pod(void **state)
{
	struct run r;

	(void)state;
	start(&r);
	for (int k = 0; k < 4; k++) {
		answers(&r, 10, "127.0.0.1:3000", 0);
		acc(&r, "GET", 200, "127.0.0.1:3000, 127.0.0.1:3000", "0, 3", "0.000, 0.000",
		    "502, 200");
		err(&r, RESET, "127.0.0.1:3000");
		acc(&r, "POST", 502, "127.0.0.1:3000", "0", "0.000", "502");
		err(&r, CLOSED, "127.0.0.1:3000");
	}
	assert_true(has(&r, "keepalive-timeout-mismatch"));
	assert_int_equal(web(&r)->same_retry, 4);
	stop(&r);
}

/*
 * A busy node: everything is slow (answers 40-42 ms, failures 25 ms, far
 * above any fixed "instant" threshold), but each failure is answered by
 * the same address on the retry no slower than it failed.
 */
static void race_busy_node(void **state)
{
	struct run r;

	(void)state;
	start(&r);
	for (int k = 0; k < 3; k++) {
		answers(&r, 12, "10.244.1.5:3000", 40);
		acc(&r, "GET", 200, "10.244.1.5:3000, 10.244.1.5:3000", "0, 512", "0.025, 0.041",
		    "502, 200");
		err(&r, CLOSED, "10.244.1.5:3000");
	}
	assert_true(has(&r, "keepalive-timeout-mismatch"));
	assert_int_equal(web(&r)->same_retry, 3);
	stop(&r);
}

/*
 * Several pods: the retry goes to another pod (no same-address evidence),
 * but the failures (0-1 ms) are faster than any answer (20 ms).
 */
static void race_several_pods(void **state)
{
	struct run r;

	(void)state;
	start(&r);
	answers(&r, 60, "10.244.1.5:3000", 20);
	answers(&r, 40, "10.244.1.6:3000", 20);
	for (int k = 0; k < 3; k++) {
		acc(&r, "GET", 200, "10.244.1.5:3000, 10.244.1.6:3000", "0, 512", "0.000, 0.019",
		    "502, 200");
		err(&r, CLOSED, "10.244.1.5:3000");
	}
	acc(&r, "POST", 502, "10.244.1.6:3000", "0", "0.001", "502");
	err(&r, CLOSED, "10.244.1.6:3000");
	assert_true(has(&r, "keepalive-timeout-mismatch"));
	assert_int_equal(web(&r)->same_retry, 0);
	stop(&r);
}

/*
 * An app crashing mid-request now and then: it fails after its handling
 * time (as slow as its answers), and the retry goes to another pod.
 */
static void crash_intermittent(void **state)
{
	struct run r;

	(void)state;
	start(&r);
	answers(&r, 60, "10.244.1.5:3000", 20);
	answers(&r, 40, "10.244.1.6:3000", 20);
	for (int k = 0; k < 5; k++) {
		acc(&r, "GET", 200, "10.244.1.5:3000, 10.244.1.6:3000", "0, 512", "0.028, 0.020",
		    "502, 200");
		err(&r, RESET, "10.244.1.5:3000");
	}
	assert_false(has(&r, "keepalive-timeout-mismatch"));
	assert_true(has(&r, "upstream-premature-close"));
	stop(&r);
}

/*
 * A worker killed after a long request (gunicorn timeout): retried on the
 * same address, but the failure took far longer than the answer.
 */
static void slow_failure_same_address(void **state)
{
	struct run r;

	(void)state;
	start(&r);
	answers(&r, 40, "10.244.1.5:3000", 0);
	for (int k = 0; k < 3; k++) {
		acc(&r, "GET", 200, "10.244.1.5:3000, 10.244.1.5:3000", "0, 512", "30.001, 0.002",
		    "502, 200");
		err(&r, CLOSED, "10.244.1.5:3000");
	}
	assert_false(has(&r, "keepalive-timeout-mismatch"));
	assert_int_equal(web(&r)->same_retry, 0);
	stop(&r);
}

/* The rig's reset backend: every request reset at once. Not intermittent. */
static void reset_every_request(void **state)
{
	struct run r;

	(void)state;
	start(&r);
	for (int k = 0; k < 25; k++) {
		acc(&r, "GET", 502, "127.0.0.1:4000", "0", "0.000", "502");
		err(&r, RESET, "127.0.0.1:4000");
	}
	assert_false(has(&r, "keepalive-timeout-mismatch"));
	assert_true(has(&r, "upstream-premature-close"));
	stop(&r);
}

/* The same lines counted in two halves and merged give the same verdict and counts. */
static void merged_halves(void **state)
{
	struct run a, b;

	(void)state;
	start(&a);
	start(&b);
	answers(&a, 15, "127.0.0.1:3000", 0);
	acc(&a, "GET", 200, "127.0.0.1:3000, 127.0.0.1:3000", "0, 3", "0.000, 0.000", "502, 200");
	err(&a, CLOSED, "127.0.0.1:3000");
	answers(&b, 15, "127.0.0.1:3000", 0);
	acc(&b, "GET", 200, "127.0.0.1:3000, 127.0.0.1:3000", "0, 3", "0.000, 0.000", "502, 200");
	err(&b, CLOSED, "127.0.0.1:3000");
	log_stats_merge(&a.s, &b.s, b.n);
	assert_true(has(&a, "keepalive-timeout-mismatch"));
	assert_int_equal(web(&a)->same_retry, 2);
	/* answers at 0, 1, 2 ms in turn: 5 + 5 at 0 ms, and the 2 retries */
	assert_int_equal(web(&a)->t_ok[0], 12);
	stop(&b);
	stop(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(race_single_pod),
		cmocka_unit_test(race_busy_node),
		cmocka_unit_test(race_several_pods),
		cmocka_unit_test(crash_intermittent),
		cmocka_unit_test(slow_failure_same_address),
		cmocka_unit_test(reset_every_request),
		cmocka_unit_test(merged_halves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
