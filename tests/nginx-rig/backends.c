/*
 * backends: the misbehaving upstream servers of the nginx rig
 * (tests/run-nginx-rig.sh). One process serves every case, each on its own
 * 127.0.0.1 port chosen by the kernel, one thread per connection.
 *
 *   backends PORTFILE [NAME=]MODE...
 *
 * Each argument gets a socket; once all are ready "NAME PORT" lines (NAME
 * defaults to MODE) are written to PORTFILE (atomically, by rename), then the
 * process serves until it is killed. Modes:
 *
 *   ok        HTTP/1.1 keep-alive server: 200 "ok" to every request; answers
 *             400 (and closes) to anything that is not HTTP/1.x, such as a TLS
 *             ClientHello or the HTTP/2 preface
 *   idle      the same, but its keep-alive idle timeout is 50 ms, far shorter
 *             than nginx's keepalive_timeout: the keep-alive race. To make
 *             the race certain rather than rare, the timeout is enforced when
 *             the next request arrives: a request on a connection idle for
 *             50 ms or more is not answered, the connection is closed (FIN
 *             after reading the request, or RST with the request unread,
 *             alternately), exactly what nginx sees when its request crosses
 *             the server's close on the wire. A connection idle for 5 s is
 *             closed by the timer.
 *   close     accepts and closes at once, without reading
 *   reset     reads the request, then resets the connection (SO_LINGER 0)
 *   slow      reads the request and answers only after 3 s
 *   bighdr    answers with a 32 KB response header
 *   refused   binds the port but never listens: connections are refused
 *   free      binds a port and releases it: a free port for nginx itself
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "../../src/util/banned.h"

#define IDLE_MS 50
#define IDLE_HARD_MS 5000
#define SLOW_MS 3000
#define BIG_HEADER 32768
#define REQ_MAX 65536

enum mode { M_OK, M_IDLE, M_CLOSE, M_RESET, M_SLOW, M_BIGHDR, M_REFUSED, M_FREE };

static const char *const mode_names[] = {
	"ok", "idle", "close", "reset", "slow", "bighdr", "refused", "free",
};

struct conn {
	int fd;
	enum mode mode;
};

struct listener {
	int fd;
	enum mode mode;
};

static void die(const char *what)
{
	fprintf(stderr, "backends: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int parse_mode(const char *s, enum mode *m)
{
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++) {
		if (strcmp(s, mode_names[i]) == 0) {
			*m = (enum mode)i;
			return 0;
		}
	}
	return -1;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Wait up to ms for fd to be readable: 1 readable, 0 timed out, -1 error. */
static int wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, ms);
	while (r < 0 && errno == EINTR);
	return r;
}

/* Case-insensitive search for "content-length:" in the header block. */
static size_t content_length(const char *h, size_t n)
{
	static const char key[] = "\ncontent-length:";
	size_t k = sizeof(key) - 1;

	for (size_t i = 0; i + k <= n; i++) {
		if (strncasecmp(h + i, key, k) == 0) {
			size_t v = 0;

			for (i += k; i < n && h[i] == ' '; i++)
				;
			for (; i < n && h[i] >= '0' && h[i] <= '9'; i++)
				v = v * 10 + (size_t)(h[i] - '0');
			return v;
		}
	}
	return 0;
}

/*
 * Read one request (headers and a Content-Length body) into buf.
 * Returns 1 for an HTTP/1.x request, 0 on EOF before any byte, 2 for
 * something that is not HTTP/1.x, -1 on error.
 */
static int read_request(int fd, char *buf, size_t cap)
{
	size_t n = 0;

	for (;;) {
		ssize_t r;
		char *end;

		r = recv(fd, buf + n, cap - 1 - n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return n == 0 && r == 0 ? 0 : -1;
		n += (size_t)r;
		buf[n] = '\0';
		if (buf[0] < 'A' || buf[0] > 'Z')
			return 2;
		if (strncmp(buf, "PRI * HTTP/2.0", n < 14 ? n : 14) == 0 && n >= 3)
			return 2;
		end = memmem(buf, n, "\r\n\r\n", 4);
		if (end) {
			size_t hdr = (size_t)(end - buf) + 4;
			size_t body = content_length(buf, hdr);

			while (n < hdr + body && n < cap - 1) {
				r = recv(fd, buf + n, cap - 1 - n, 0);
				if (r < 0 && errno == EINTR)
					continue;
				if (r <= 0)
					return -1;
				n += (size_t)r;
			}
			return 1;
		}
		if (n >= cap - 1)
			return -1;
	}
}

static void reply_ok(int fd)
{
	static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
		"Content-Length: 3\r\nConnection: keep-alive\r\n\r\nok\n";

	(void)write_all(fd, resp, sizeof(resp) - 1);
}

static void reply_bad(int fd)
{
	static const char resp[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
		"Connection: close\r\n\r\n";

	(void)write_all(fd, resp, sizeof(resp) - 1);
}

static void reply_bighdr(int fd)
{
	static char resp[BIG_HEADER + 256];
	static const char head[] = "HTTP/1.1 200 OK\r\nSet-Cookie: session=";
	static const char tail[] = "\r\nContent-Length: 3\r\n\r\nok\n";
	size_t n = 0;

	memcpy(resp, head, sizeof(head) - 1);
	n = sizeof(head) - 1;
	memset(resp + n, 'x', BIG_HEADER);
	n += BIG_HEADER;
	memcpy(resp + n, tail, sizeof(tail) - 1);
	n += sizeof(tail) - 1;
	(void)write_all(fd, resp, n);
}

/* Close with RST instead of FIN. */
static void reset_close(int fd)
{
	struct linger lg = { 1, 0 };

	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The idle mode's late close: the connection has been idle past IDLE_MS and
 * a request has just arrived on it. Close without answering.
 */
static void idle_close(int fd, char *buf)
{
	static unsigned counter;
	unsigned n = __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);

	if (n % 2 == 0) {
		(void)read_request(fd, buf, REQ_MAX);
		close(fd);
	} else {
		close(fd);	/* unread data: the kernel answers RST */
	}
}

static void serve_http(int fd, int idle_ms, enum mode mode)
{
	char *buf = malloc(REQ_MAX);
	long last = 0;

	if (!buf)
		abort();
	for (;;) {
		int r;

		if (mode == M_IDLE && last > 0) {
			if (wait_readable(fd, idle_ms) <= 0)
				break;
			if (now_ms() - last >= IDLE_MS) {
				idle_close(fd, buf);
				free(buf);
				return;
			}
		}
		r = read_request(fd, buf, REQ_MAX);

		if (r == 2)
			reply_bad(fd);
		if (r != 1)
			break;
		if (mode == M_BIGHDR) {
			reply_bighdr(fd);
			continue;
		}
		if (mode == M_SLOW)
			sleep_ms(SLOW_MS);
		reply_ok(fd);
		last = now_ms();
	}
	free(buf);
	close(fd);
}

static void *conn_main(void *arg)
{
	struct conn c = *(struct conn *)arg;
	char buf[4096];

	free(arg);
	switch (c.mode) {
	case M_OK:
	case M_SLOW:
	case M_BIGHDR:
		serve_http(c.fd, 0, c.mode);
		break;
	case M_IDLE:
		serve_http(c.fd, IDLE_HARD_MS, c.mode);
		break;
	case M_CLOSE:
		close(c.fd);
		break;
	case M_RESET:
		if (read_request(c.fd, buf, sizeof(buf)) >= 0)
			sleep_ms(5);
		reset_close(c.fd);
		break;
	case M_REFUSED:
	case M_FREE:
		close(c.fd);
		break;
	}
	return NULL;
}

static void *accept_main(void *arg)
{
	struct listener *l = arg;

	for (;;) {
		int fd = accept(l->fd, NULL, NULL);
		struct conn *c;
		pthread_t t;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		if (l->mode == M_CLOSE) {
			close(fd);
			continue;
		}
		c = malloc(sizeof(*c));
		if (!c)
			abort();
		c->fd = fd;
		c->mode = l->mode;
		if (pthread_create(&t, NULL, conn_main, c) != 0)
			die("pthread_create");
		pthread_detach(t);
	}
	return NULL;
}

static int bind_loopback(unsigned short *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	if (getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		die("getsockname");
	*port = ntohs(a.sin_port);
	return fd;
}

int main(int argc, char **argv)
{
	struct listener *ls;
	char tmpname[4096];
	FILE *pf;
	int nl = argc - 2;

	if (argc < 3) {
		fprintf(stderr, "usage: backends PORTFILE [NAME=]MODE...\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	ls = calloc((size_t)nl, sizeof(*ls));
	if (!ls)
		abort();
	if (snprintf(tmpname, sizeof(tmpname), "%s.tmp", argv[1]) >= (int)sizeof(tmpname))
		return 2;
	pf = fopen(tmpname, "w");
	if (!pf)
		die(tmpname);
	for (int i = 0; i < nl; i++) {
		const char *name = argv[i + 2];
		const char *eq = strchr(name, '=');
		const char *mode = eq ? eq + 1 : name;
		int namelen = eq ? (int)(eq - name) : (int)strlen(name);
		unsigned short port;

		if (parse_mode(mode, &ls[i].mode) < 0) {
			fprintf(stderr, "backends: unknown mode %s\n", mode);
			return 2;
		}
		ls[i].fd = bind_loopback(&port);
		if (ls[i].mode != M_REFUSED && ls[i].mode != M_FREE && listen(ls[i].fd, 512) < 0)
			die("listen");
		fprintf(pf, "%.*s %u\n", namelen, name, port);
	}
	/* Free ports are released only now, so that no two of them are the same. */
	for (int i = 0; i < nl; i++) {
		if (ls[i].mode == M_FREE) {
			close(ls[i].fd);
			ls[i].fd = -1;
		}
	}
	if (fclose(pf) != 0 || rename(tmpname, argv[1]) < 0)
		die(argv[1]);
	for (int i = 0; i < nl; i++) {
		pthread_t t;

		if (ls[i].mode == M_REFUSED || ls[i].mode == M_FREE)
			continue;
		if (pthread_create(&t, NULL, accept_main, &ls[i]) != 0)
			die("pthread_create");
		pthread_detach(t);
	}
	for (;;)
		pause();
}
