/* HTTP/1.0 GET and POST over a plain TCP socket (IP address hosts,
 * 10-second timeouts), for job files and reports in the rescue system. */
#include "lifeboat/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "lifeboat/error.h"

#define HTTP_TIMEOUT_S 10
#define HTTP_MAX_BODY (64u << 20)

struct http_url {
	char host[256];
	char port[8];
	const char *path;   /* points into the URL; "/" when absent */
};

static int parse_url(const char *url, struct http_url *u)
{
	if (strncmp(url, "http://", 7) != 0)
		return lb_fail(LB_E_INVALID, "%s: only http:// URLs are supported", url);
	const char *host = url + 7;
	const char *end = host + strcspn(host, "/");
	u->path = *end ? end : "/";
	const char *port = NULL;
	const char *host_end = end;
	if (*host == '[') {
		const char *close = memchr(host, ']', (size_t)(end - host));
		if (!close)
			return lb_fail(LB_E_INVALID, "%s: bad IPv6 address", url);
		host_end = close;
		host++;
		if (close + 1 < end && close[1] == ':')
			port = close + 2;
	} else {
		const char *colon = memchr(host, ':', (size_t)(end - host));
		if (colon) {
			host_end = colon;
			port = colon + 1;
		}
	}
	size_t host_len = (size_t)(host_end - host);
	if (host_len == 0 || host_len >= sizeof u->host)
		return lb_fail(LB_E_INVALID, "%s: no host in the URL", url);
	memcpy(u->host, host, host_len);
	u->host[host_len] = '\0';
	size_t port_len = port ? (size_t)(end - port) : 0;
	if (port && (port_len == 0 || port_len >= sizeof u->port || strspn(port, "0123456789") < port_len))
		return lb_fail(LB_E_INVALID, "%s: bad port", url);
	if (port) {
		memcpy(u->port, port, port_len);
		u->port[port_len] = '\0';
	} else {
		strcpy(u->port, "80");
	}
	return 0;
}

/* The address of u: an IPv4 or IPv6 literal, or localhost. The static rescue
 * app has no name resolver, so host names are refused with a clear message. */
static int resolve(const char *url, const struct http_url *u, struct sockaddr_storage *addr, socklen_t *len)
{
	const char *host = strcmp(u->host, "localhost") == 0 ? "127.0.0.1" : u->host;
	unsigned long port = strtoul(u->port, NULL, 10);
	if (port == 0 || port > 65535)
		return lb_fail(LB_E_INVALID, "%s: bad port", url);
	memset(addr, 0, sizeof *addr);
	struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*len = sizeof *v4;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*len = sizeof *v6;
		return 0;
	}
	return lb_fail(LB_E_INVALID, "%s: give the server as an IP address (no name resolution in the rescue system)", url);
}

static int connect_to(const char *url, const struct http_url *u)
{
	struct sockaddr_storage addr;
	socklen_t len = 0;
	int rc = resolve(url, u, &addr, &len);
	if (rc < 0)
		return rc;
	int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return lb_fail_errno(LB_E_IO, "%s: socket", url);
	struct timeval tv = { .tv_sec = HTTP_TIMEOUT_S };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&addr, len) < 0) {
		lb_fail_errno(LB_E_IO, "%s: no answer", url);
		close(fd);
		return LB_E_IO;
	}
	return fd;
}

static int send_all(int fd, const char *url, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return lb_fail_errno(LB_E_IO, "%s: sending the request", url);
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads the whole answer (HTTP/1.0: the server closes the connection). */
static int read_answer(int fd, const char *url, struct lb_strbuf *answer)
{
	char buf[16384];
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return lb_fail_errno(LB_E_IO, "%s: reading the answer", url);
		if (n == 0)
			break;
		lb_strbuf_append(answer, buf, (size_t)n);
		if (answer->len > HTTP_MAX_BODY)
			return lb_fail(LB_E_INVALID, "%s: the answer is larger than %u MiB", url, HTTP_MAX_BODY >> 20);
	}
	return answer->failed ? lb_fail(LB_E_NOMEM, "out of memory") : 0;
}

/* Sends the request and returns the status code; *body_at is where the body
 * starts in answer. */
static int exchange(const char *url, const char *method, const char *content_type,
		    const char *body, size_t len, struct lb_strbuf *answer, size_t *body_at)
{
	struct http_url u;
	int rc = parse_url(url, &u);
	if (rc < 0)
		return rc;
	struct lb_strbuf req;
	lb_strbuf_init(&req);
	lb_strbuf_printf(&req, "%s %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: lifeboat\r\n", method, u.path, u.host);
	if (body)
		lb_strbuf_printf(&req, "Content-Type: %s\r\nContent-Length: %zu\r\n", content_type, len);
	lb_strbuf_puts(&req, "\r\n");
	if (body)
		lb_strbuf_append(&req, body, len);
	if (req.failed) {
		lb_strbuf_free(&req);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	int fd = connect_to(url, &u);
	if (fd < 0) {
		lb_strbuf_free(&req);
		return fd;
	}
	rc = send_all(fd, url, req.data, req.len);
	lb_strbuf_free(&req);
	if (rc == 0)
		rc = read_answer(fd, url, answer);
	close(fd);
	if (rc < 0)
		return rc;
	const char *text = lb_strbuf_str(answer);
	int status;
	if (sscanf(text, "HTTP/%*d.%*d %d", &status) != 1)
		return lb_fail(LB_E_INVALID, "%s: not an HTTP answer", url);
	const char *end = strstr(text, "\r\n\r\n");
	*body_at = end ? (size_t)(end - text) + 4 : answer->len;
	return status;
}

int lb_http_get(const char *url, struct lb_strbuf *body)
{
	struct lb_strbuf answer;
	lb_strbuf_init(&answer);
	size_t at = 0;
	int status = exchange(url, "GET", NULL, NULL, 0, &answer, &at);
	if (status >= 0 && status != 200)
		status = lb_fail(LB_E_NOTFOUND, "%s: the server answered %d", url, status);
	if (status >= 0) {
		lb_strbuf_append(body, answer.data + at, answer.len - at);
		status = body->failed ? lb_fail(LB_E_NOMEM, "out of memory") : 0;
	}
	lb_strbuf_free(&answer);
	return status;
}

int lb_http_post(const char *url, const char *content_type, const char *body, size_t len)
{
	struct lb_strbuf answer;
	lb_strbuf_init(&answer);
	size_t at = 0;
	int status = exchange(url, "POST", content_type, body, len, &answer, &at);
	lb_strbuf_free(&answer);
	if (status < 0)
		return status;
	if (status < 200 || status > 299)
		return lb_fail(LB_E_IO, "%s: the server answered %d", url, status);
	return 0;
}
