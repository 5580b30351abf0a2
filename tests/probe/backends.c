/*
 * backends: the pods of the probe tests (tests/run-probe.sh). One process
 * serves every case, each on its own loopback address and a port the kernel
 * chooses, one thread per connection.
 *
 *   backends PORTFILE [--cert FILE --key FILE] NAME=MODE@IP...
 *
 * Once every socket is ready, "NAME PORT" lines are written to PORTFILE
 * (atomically, by rename); then it serves until killed. Modes:
 *
 *   ok        200 "ok" to every request
 *   e503      503 "backend sick" (the app's own error)
 *   e403      403 "forbidden by the app" (the app's own 403, not RBAC)
 *   refused   binds the port, never listens: connections are refused
 *   full      listens with a backlog of 0 and fills its accept queue with
 *             its own connections, never accepting: further SYNs are
 *             dropped and connects time out, as behind a dropping firewall
 *   slow      reads the request, answers 200 after 3 s
 *   reset     reads the request, then resets the connection (SO_LINGER 0)
 *   close     reads the request, then closes without an answer (EOF)
 *   silent    accepts and reads the request, then says nothing until the
 *             client goes away (or 120 s): a hung app
 *   tls       HTTPS (OpenSSL, --cert/--key): 200 "ok" over TLS; a plain
 *             HTTP request gets what Go's net/http server answers then:
 *             400 "Client sent an HTTP request to an HTTPS server."
 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "../../src/util/banned.h"

enum mode { M_OK, M_E503, M_E403, M_REFUSED, M_FULL, M_SLOW, M_RESET, M_CLOSE, M_TLS, M_SILENT };

static const char *const mode_names[] = {
	"ok", "e503", "e403", "refused", "full", "slow", "reset", "close", "tls", "silent",
};

struct listener {
	int fd;
	enum mode mode;
	const char *name;
	struct sockaddr_in addr;
};

struct conn {
	int fd;
	enum mode mode;
};

static SSL_CTX *tls_ctx;

static void answer(int fd, SSL *ssl, int code, const char *reason, const char *body)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", code, reason,
			 strlen(body), body);

	if (n < 0 || (size_t)n >= sizeof(buf))
		return;
	if (ssl)
		SSL_write(ssl, buf, n);
	else if (write(fd, buf, (size_t)n) < 0)
		return;
}

/*
 * Read until the end of the request head (or 5 s of silence, or EOF).
 * false: the first bytes were no HTTP request.
 */
static bool read_request(int fd, SSL *ssl)
{
	char buf[8192];
	size_t have = 0;
	struct timeval tv = { 5, 0 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (have < sizeof(buf) - 1) {
		int n = ssl ? SSL_read(ssl, buf + have, (int)(sizeof(buf) - 1 - have))
			    : (int)read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			return true;
		/* not HTTP (a TLS ClientHello): a real server does not wait for more */
		if (!have && !ssl && !(buf[0] >= 'A' && buf[0] <= 'Z'))
			return false;
		have += (size_t)n;
		buf[have] = '\0';
		if (strstr(buf, "\r\n\r\n"))
			return true;
	}
	return true;
}

static void serve_tls(int fd)
{
	char peek[8];
	ssize_t n;
	SSL *ssl;

	n = recv(fd, peek, sizeof(peek), MSG_PEEK);
	if (n >= 4 && (!memcmp(peek, "GET ", 4) || !memcmp(peek, "HEAD", 4) ||
		       !memcmp(peek, "POST", 4))) {
		/* as Go's net/http server answers a plain request on a TLS port */
		static const char msg[] = "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP "
					  "request to an HTTPS server.\n";
		read_request(fd, NULL);
		if (write(fd, msg, sizeof(msg) - 1) < 0)
			return;
		return;
	}
	ssl = SSL_new(tls_ctx);
	SSL_set_fd(ssl, fd);
	if (SSL_accept(ssl) == 1) {
		read_request(fd, ssl);
		answer(fd, ssl, 200, "OK", "ok\n");
		SSL_shutdown(ssl);
	}
	SSL_free(ssl);
}

static void *serve(void *arg)
{
	struct conn c = *(struct conn *)arg;
	struct linger lg = { 1, 0 };
	struct timespec ts = { 3, 0 };

	free(arg);
	switch (c.mode) {
	case M_OK:
		if (read_request(c.fd, NULL))
			answer(c.fd, NULL, 200, "OK", "ok\n");
		else
			answer(c.fd, NULL, 400, "Bad Request", "not HTTP\n");
		break;
	case M_E503:
		read_request(c.fd, NULL);
		answer(c.fd, NULL, 503, "Service Unavailable", "backend sick\n");
		break;
	case M_E403:
		read_request(c.fd, NULL);
		answer(c.fd, NULL, 403, "Forbidden", "forbidden by the app\n");
		break;
	case M_SLOW:
		read_request(c.fd, NULL);
		nanosleep(&ts, NULL);
		answer(c.fd, NULL, 200, "OK", "ok, slowly\n");
		break;
	case M_RESET:
		read_request(c.fd, NULL);
		setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		break;
	case M_CLOSE:
		read_request(c.fd, NULL);
		break;
	case M_TLS:
		serve_tls(c.fd);
		break;
	case M_SILENT: {
		struct timeval tv = { 120, 0 };
		char b[256];
		read_request(c.fd, NULL);
		setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		while (read(c.fd, b, sizeof(b)) > 0)
			;
		break;
	}
	default:
		break;
	}
	close(c.fd);
	return NULL;
}

static void *accept_loop(void *arg)
{
	struct listener *l = arg;

	for (;;) {
		int fd = accept(l->fd, NULL, NULL);
		struct conn *c;
		pthread_t t;
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return NULL;
		}
		c = malloc(sizeof(*c));
		if (!c)
			abort();
		c->fd = fd;
		c->mode = l->mode;
		if (pthread_create(&t, NULL, serve, c) != 0) {
			close(fd);
			free(c);
			continue;
		}
		pthread_detach(t);
	}
}

/* Fill the accept queue of a backlog-0 listener: later SYNs are dropped. */
static void fill_queue(const struct listener *l)
{
	for (int i = 0; i < 4; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fd < 0)
			return;
		if (connect(fd, (const struct sockaddr *)&l->addr, sizeof(l->addr)) < 0 &&
		    errno != EINPROGRESS)
			close(fd);
		/* kept open on purpose: the queue stays full */
	}
	sleep(1);
}

static int setup(struct listener *l, const char *spec)
{
	const char *eq = strchr(spec, '='), *at = strchr(spec, '@');
	char mode[32];
	socklen_t len = sizeof(l->addr);
	size_t i, n;
	int one = 1;

	if (!eq || !at || at < eq || (n = (size_t)(at - eq - 1)) >= sizeof(mode))
		return -1;
	memcpy(mode, eq + 1, n);
	mode[n] = '\0';
	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (!strcmp(mode, mode_names[i]))
			break;
	if (i == sizeof(mode_names) / sizeof(mode_names[0]))
		return -1;
	l->mode = (enum mode)i;
	l->name = strndup(spec, (size_t)(eq - spec));
	memset(&l->addr, 0, sizeof(l->addr));
	l->addr.sin_family = AF_INET;
	if (inet_pton(AF_INET, at + 1, &l->addr.sin_addr) != 1)
		return -1;
	l->fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l->fd < 0 || bind(l->fd, (struct sockaddr *)&l->addr, sizeof(l->addr)) < 0)
		return -1;
	getsockname(l->fd, (struct sockaddr *)&l->addr, &len);
	if (l->mode == M_REFUSED)
		return 0;
	if (listen(l->fd, l->mode == M_FULL ? 0 : 64) < 0)
		return -1;
	if (l->mode == M_FULL)
		fill_queue(l);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cert = NULL, *key = NULL, *portfile;
	struct listener *ls;
	char tmp[4096];
	FILE *f;
	int first = 2, n;

	if (argc < 3) {
		fprintf(stderr, "usage: backends PORTFILE [--cert F --key F] NAME=MODE@IP...\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	portfile = argv[1];
	while (first + 1 < argc && argv[first][0] == '-') {
		if (!strcmp(argv[first], "--cert"))
			cert = argv[first + 1];
		else if (!strcmp(argv[first], "--key"))
			key = argv[first + 1];
		first += 2;
	}
	if (cert && key) {
		tls_ctx = SSL_CTX_new(TLS_server_method());
		if (!tls_ctx || SSL_CTX_use_certificate_chain_file(tls_ctx, cert) != 1 ||
		    SSL_CTX_use_PrivateKey_file(tls_ctx, key, SSL_FILETYPE_PEM) != 1) {
			ERR_print_errors_fp(stderr);
			return 1;
		}
	}
	n = argc - first;
	ls = calloc((size_t)n, sizeof(*ls));
	if (!ls)
		return 1;
	for (int i = 0; i < n; i++) {
		if (setup(&ls[i], argv[first + i]) < 0) {
			fprintf(stderr, "backends: cannot set up %s: %s\n", argv[first + i],
				strerror(errno));
			return 1;
		}
		if (ls[i].mode == M_TLS && !tls_ctx) {
			fprintf(stderr, "backends: tls needs --cert and --key\n");
			return 2;
		}
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", portfile);
	f = fopen(tmp, "w");
	if (!f)
		return 1;
	for (int i = 0; i < n; i++)
		fprintf(f, "%s %d\n", ls[i].name, ntohs(ls[i].addr.sin_port));
	if (fclose(f) != 0 || rename(tmp, portfile) != 0)
		return 1;
	for (int i = 0; i < n; i++) {
		pthread_t t;
		if (ls[i].mode == M_REFUSED || ls[i].mode == M_FULL)
			continue;
		pthread_create(&t, NULL, accept_loop, &ls[i]);
		pthread_detach(t);
	}
	for (;;)
		pause();
}
