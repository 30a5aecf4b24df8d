/* The HTTP/1.1 server loop: a listening socket on the interface address, an
 * accept thread, and one detached thread per connection that reads one
 * request, answers it (Connection: close) and reports it. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"
#include "lifeboat/error.h"
#include "status.h"

#define HTTP_MAX_HEAD 8192
/* A client has this long to send its request. */
#define HTTP_REQUEST_SECONDS 30
/* A PC that takes no byte of a file for this long is given up and its thread
 * freed. A PC on a busy network or host can stall for tens of seconds and
 * still finish, so this is generous. */
#define HTTP_STALL_MINUTES 5

struct http_server {
	int fd;
	struct http_roots roots;
};

struct http_conn {
	const struct http_server *server;
	int fd;
	char client[INET_ADDRSTRLEN];
};

struct http_request {
	char method[8];
	char target[1024];
	const char *range;   /* the Range header's value, or NULL */
};

/* Reads the request head (up to the empty line) into buf. */
static int read_head(int fd, char *buf, size_t size)
{
	size_t len = 0;
	while (len < size - 1) {
		ssize_t n = recv(fd, buf + len, size - 1 - len, 0);
		if (n <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			return 0;
	}
	return -1;
}

/* Splits the request line and finds the Range header; 0 when well formed. */
static int parse_request(char *head, struct http_request *req)
{
	char version[16];
	if (sscanf(head, "%7s %1023s %15s", req->method, req->target, version) != 3 ||
	    strncmp(version, "HTTP/1.", 7) != 0)
		return -1;
	char *query = strchr(req->target, '?');
	if (query)
		*query = '\0';
	req->range = NULL;
	char *line = strchr(head, '\n');
	while (line) {
		line++;
		size_t n = strcspn(line, "\r\n");
		if (n == 0)
			break;
		char *end = line + n;
		bool more = *end != '\0';
		*end = '\0';
		if (strncasecmp(line, "Range:", 6) == 0)
			req->range = line + 6;
		line = !more ? NULL : end[1] == '\n' ? end + 1 : end;
	}
	return 0;
}

static int send_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static void send_error(int fd, int code, const char *reason, const char *extra)
{
	char head[512];
	int n = snprintf(head, sizeof head,
			 "HTTP/1.1 %d %s\r\nContent-Length: 0\r\n%sConnection: close\r\n\r\n", code, reason, extra);
	send_all(fd, head, (size_t)n);
}

/* Sends [first, last] of the open file; returns the bytes sent. When it
 * stops short, *why says why (an errno value, 0 when the file got shorter). */
static uint64_t send_body(int sock, int file, uint64_t first, uint64_t last, int *why)
{
	off_t offset = (off_t)first;
	uint64_t left = last - first + 1, sent = 0;
	*why = 0;
	while (left) {
		ssize_t n = sendfile(sock, file, &offset, left > (1u << 30) ? (1u << 30) : left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*why = n < 0 ? errno : 0;
			break;
		}
		sent += (uint64_t)n;
		left -= (uint64_t)n;
	}
	return sent;
}

/* Says in words, into buf, why a body was cut off (errno value from
 * send_body or send_all); returns buf. */
static const char *cut_off_reason(int why, char *buf, size_t size)
{
	if (why == 0)
		snprintf(buf, size, "the file got shorter while it was sent");
	else if (why == EAGAIN)
		snprintf(buf, size, "the PC took nothing for the last %d minutes", HTTP_STALL_MINUTES);
	else if (why == EPIPE || why == ECONNRESET)
		snprintf(buf, size, "the PC closed the connection");
	else
		snprintf(buf, size, "%s", strerror(why));
	return buf;
}

/* Answers a GET or HEAD of a file; writes what happened into detail. */
static void serve_file(struct http_conn *c, const struct http_request *req, char *detail, size_t size)
{
	bool head_only = strcmp(req->method, "HEAD") == 0;
	char *path = http_resolve(&c->server->roots, req->target);
	int file = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	free(path);
	struct stat st;
	if (file < 0 || fstat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
		send_error(c->fd, 404, "Not Found", "");
		snprintf(detail, size, "%s %s 404", req->method, req->target);
		if (file >= 0)
			close(file);
		return;
	}
	uint64_t total = (uint64_t)st.st_size, first = 0, last = total ? total - 1 : 0;
	enum http_range_result range = req->range ? http_range_parse(req->range, total, &first, &last) : HTTP_RANGE_NONE;
	if (range == HTTP_RANGE_UNSATISFIABLE) {
		char extra[64];
		snprintf(extra, sizeof extra, "Content-Range: bytes */%" PRIu64 "\r\n", total);
		send_error(c->fd, 416, "Range Not Satisfiable", extra);
		snprintf(detail, size, "%s %s 416 (%s)", req->method, req->target, req->range);
		close(file);
		return;
	}
	uint64_t length = total ? last - first + 1 : 0;
	char head[512];
	int n = snprintf(head, sizeof head, "HTTP/1.1 %s\r\nContent-Type: application/octet-stream\r\n"
			 "Content-Length: %" PRIu64 "\r\nAccept-Ranges: bytes\r\n",
			 range == HTTP_RANGE_OK ? "206 Partial Content" : "200 OK", length);
	if (range == HTTP_RANGE_OK)
		n += snprintf(head + n, sizeof head - (size_t)n, "Content-Range: bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64 "\r\n",
			      first, last, total);
	n += snprintf(head + n, sizeof head - (size_t)n, "Connection: close\r\n\r\n");
	uint64_t sent = 0;
	int why = 0;
	if (send_all(c->fd, head, (size_t)n) != 0)
		why = errno;
	else if (!head_only && length)
		sent = send_body(c->fd, file, first, last, &why);
	close(file);
	const char *code = range == HTTP_RANGE_OK ? "206" : "200";
	if (head_only)
		snprintf(detail, size, "HEAD %s %s", req->target, code);
	else if (sent < length) {
		char reason[128];
		snprintf(detail, size, "GET %s %s cut off after %" PRIu64 " of %" PRIu64 " bytes: %s", req->target, code,
			 sent, length, cut_off_reason(why, reason, sizeof reason));
	}
	else if (range == HTTP_RANGE_OK)
		snprintf(detail, size, "GET %s 206 bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, req->target, first, last, total);
	else
		snprintf(detail, size, "GET %s 200 %" PRIu64 " bytes", req->target, sent);
}

static void *connection_thread(void *arg)
{
	struct http_conn *c = arg;
	char head[HTTP_MAX_HEAD], detail[1400];
	struct http_request req;
	struct timeval request_timeout = { .tv_sec = HTTP_REQUEST_SECONDS };
	struct timeval stall_timeout = { .tv_sec = HTTP_STALL_MINUTES * 60 };
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &request_timeout, sizeof request_timeout);
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &stall_timeout, sizeof stall_timeout);
	detail[0] = '\0';
	if (read_head(c->fd, head, sizeof head) != 0 || parse_request(head, &req) != 0) {
		send_error(c->fd, 400, "Bad Request", "");
		snprintf(detail, sizeof detail, "bad request");
	} else if (strcmp(req.method, "GET") != 0 && strcmp(req.method, "HEAD") != 0) {
		send_error(c->fd, 405, "Method Not Allowed", "Allow: GET, HEAD\r\n");
		snprintf(detail, sizeof detail, "%s %s 405", req.method, req.target);
	} else {
		serve_file(c, &req, detail, sizeof detail);
	}
	status_emit(&(struct status_event){ .event = "http", .client = c->client, .detail = detail });
	close(c->fd);
	free(c);
	return NULL;
}

static void *accept_thread(void *arg)
{
	struct http_server *server = arg;
	for (;;) {
		struct sockaddr_in peer;
		socklen_t len = sizeof peer;
		int fd = accept4(server->fd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE)
				continue;
			break;
		}
		struct http_conn *c = calloc(1, sizeof *c);
		pthread_t t;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (c) {
			c->server = server;
			c->fd = fd;
			inet_ntop(AF_INET, &peer.sin_addr, c->client, sizeof c->client);
		}
		if (!c || pthread_create(&t, &attr, connection_thread, c) != 0) {
			close(fd);
			free(c);
		}
		pthread_attr_destroy(&attr);
	}
	return NULL;
}

int http_server_start(const char *addr, int port, const struct http_roots *roots)
{
	static struct http_server server;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, addr, &sa.sin_addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	if (fd < 0)
		return lb_fail_errno(LB_E_IO, "cannot open the HTTP socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0) {
		int err = errno;
		close(fd);
		errno = err;
		if (err == EADDRINUSE)
			return lb_fail(LB_E_REFUSED, "port %d/tcp (HTTP) on %s is in use by another program; stop it or give --http-port",
				       port, addr);
		return lb_fail_errno(LB_E_IO, "cannot listen on %s port %d/tcp", addr, port);
	}
	server.fd = fd;
	server.roots = *roots;
	pthread_t t;
	if (pthread_create(&t, NULL, accept_thread, &server) != 0) {
		close(fd);
		return lb_fail(LB_E_IO, "cannot start the HTTP server thread");
	}
	pthread_detach(t);
	return 0;
}
