/*
 * logs_gen: seeded generator of a mixed ingress-nginx controller log
 * (upstreaminfo access lines and error-log lines) for bench/logs.sh.
 *
 *   logs_gen BYTES [SEED] >file.log
 *
 * About 60 upstreams with realistic names ("<namespace>-<service>-<port>"),
 * 2-6 pod addresses each, about 3% 5xx: 502 after refused connects
 * (multi-attempt "502, 502, 502" lists with the matching error lines),
 * 504 after connect timeouts, 503 without an upstream (no endpoints),
 * application 5xx passed through, and retried-then-answered requests
 * ("502, 200"). Deterministic for a seed. (Named logs_gen.c, not
 * gen_logs.c: bench/run.sh compiles bench/gen_*.c into one program.)
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static const char *const nss[] = { "shop", "payments", "auth", "default", "monitoring",
				   "search", "media", "internal-tools", "checkout", "catalog" };
static const char *const svcs[] = { "api", "web", "frontend", "backend", "cart", "orders",
				    "keycloak-keycloakx-http", "grafana", "image-resizer",
				    "recommendations", "gateway", "admin", "graphql", "static" };
static const int ports[] = { 80, 8080, 3000, 443, 8443, 9090, 5000 };
static const char *const paths[] = { "/", "/api/v1/orders", "/api/v1/cart/items", "/login",
				     "/static/js/app.4f3c2a.js", "/healthz", "/graphql",
				     "/images/product/12345.webp", "/api/v2/search?q=shoes&page=2",
				     "/auth/realms/main/protocol/openid-connect/token" };
static const char *const uas[] = {
	("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
	 "Chrome/120.0.0.0 Safari/537.36"),
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15",
	"curl/8.4.0", "axios/1.6.2", "kube-probe/1.28", "okhttp/4.12.0",
};
static const char *const mons[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
				    "Sep", "Oct", "Nov", "Dec" };

struct up {
	char name[96];
	char addr[6][32];
	int naddr;
};

#define NUP 60

int main(int argc, char **argv)
{
	static struct up ups[NUP];
	static char out[1 << 16];
	uint64_t want, written = 0, sec = 0;
	char line[2048];

	if (argc < 2) {
		fprintf(stderr, "usage: logs_gen BYTES [SEED]\n");
		return 2;
	}
	want = strtoull(argv[1], NULL, 10);
	rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	setvbuf(stdout, out, _IOFBF, sizeof(out));
	for (int i = 0; i < NUP; i++) {
		int port = ports[pick(7)];
		snprintf(ups[i].name, sizeof(ups[i].name), "%s-%s-%d", nss[pick(10)],
			 svcs[pick(14)], port);
		ups[i].naddr = 2 + (int)pick(5);
		for (int k = 0; k < ups[i].naddr; k++)
			snprintf(ups[i].addr[k], sizeof(ups[i].addr[k]), "10.244.%u.%u:%d",
				 pick(40), 2 + pick(250), port == 443 || port == 80 ? 8080 : port);
	}
	while (written < want) {
		const struct up *u = &ups[pick(NUP) % (pick(4) ? 20 : NUP)];
		uint64_t t = 1700000000 + sec / 40;
		unsigned r = pick(10000), day = 14 + (unsigned)(t / 86400 % 14);
		unsigned hh = (unsigned)(t / 3600 % 24), mm = (unsigned)(t / 60 % 60);
		unsigned ss = (unsigned)(t % 60);
		const char *a0 = u->addr[pick((unsigned)u->naddr)];
		const char *a1 = u->addr[pick((unsigned)u->naddr)];
		const char *method = pick(5) ? "GET" : "POST";
		char tl[40], ups_f[256];
		int status, n, errs = 0;
		unsigned rt = pick(300);

		sec++;
		snprintf(tl, sizeof(tl), "%02u/%s/2023:%02u:%02u:%02u +0000", day, mons[10], hh, mm,
			 ss);
		if (r < 120) {            /* 502: refused x3 */
			status = 502;
			snprintf(ups_f, sizeof(ups_f), "%s, %s, %s 0, 0, 0 0.000, 0.001, 0.000 "
				 "502, 502, 502", a0, a0, a0);
			errs = 3;
		} else if (r < 170) {     /* 504: connect timeouts */
			status = 504;
			snprintf(ups_f, sizeof(ups_f), "%s, %s 0, 0 5.001, 5.000 504, 504", a0, a1);
			errs = 2;
		} else if (r < 230) {     /* 503: no endpoints */
			status = 503;
			snprintf(ups_f, sizeof(ups_f), "- - - -");
		} else if (r < 300) {     /* the app's own 5xx */
			status = 500 + (int)pick(4);
			snprintf(ups_f, sizeof(ups_f), "%s 157 0.%03u %d", a0, rt, status);
		} else if (r < 360) {     /* failed once, then answered */
			status = 200;
			snprintf(ups_f, sizeof(ups_f), "%s, %s 0, %u 0.000, 0.%03u 502, 200", a0, a1,
				 200 + pick(5000), rt);
			errs = 1;
		} else {
			status = r < 1200 ? 304 : r < 1800 ? 404 : 200;
			snprintf(ups_f, sizeof(ups_f), "%s %u 0.%03u %d", a0, 100 + pick(20000), rt,
				 status);
		}
		n = snprintf(line, sizeof(line), "10.%u.%u.%u - - [%s] \"%s %s HTTP/1.1\" %d %u "
			     "\"https://shop.example.com/\" \"%s\" %u 0.%03u [%s] [] %s "
			     "%016" PRIx64 "%016" PRIx64 "\n", pick(255), pick(255), pick(255), tl,
			     method, paths[pick(10)], status, 100 + pick(20000), uas[pick(6)],
			     200 + pick(900), rt, u->name, ups_f, rnd(), rnd());
		fwrite(line, 1, (size_t)n, stdout);
		written += (uint64_t)n;
		for (int e = 0; e < errs; e++) {
			const char *msg = status == 504
				? "upstream timed out (110: Operation timed out) while connecting to "
				  "upstream"
				: "connect() failed (111: Connection refused) while connecting to upstream";
			n = snprintf(line, sizeof(line), "2023/11/%02u %02u:%02u:%02u [error] 31#31: "
				     "*%u %s, client: 10.0.0.1, server: shop.example.com, request: "
				     "\"%s / HTTP/1.1\", upstream: \"http://%s/\", host: "
				     "\"shop.example.com\"\n", day, hh, mm, ss, pick(1000000), msg,
				     method, e == 1 && status == 504 ? a1 : a0);
			fwrite(line, 1, (size_t)n, stdout);
			written += (uint64_t)n;
		}
	}
	return fflush(stdout) ? 1 : 0;
}
