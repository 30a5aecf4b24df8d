/* lifeboat-pxe's HTTP server: GET and HEAD of the boot files, images and
 * the job file, with single byte ranges (Range: bytes=...), one thread per
 * connection, each answered request reported as a status event. */
#ifndef LIFEBOAT_PXE_HTTP_H
#define LIFEBOAT_PXE_HTTP_H

#include <stdint.h>

/* What the server serves: /job is the job file, /images/NAME a file of the
 * images folder, every other path a file below the boot tree. */
struct http_roots {
	const char *tree;
	const char *images;   /* NULL: no /images/ */
	const char *job;      /* NULL: no /job */
};

/* A request target mapped to a file path (newly allocated), or NULL when
 * it names nothing served (bad characters, "..", unknown root). */
char *http_resolve(const struct http_roots *roots, const char *target);

enum http_range_result { HTTP_RANGE_NONE, HTTP_RANGE_OK, HTTP_RANGE_UNSATISFIABLE };

/* Parses a Range header value for a file of size bytes into the inclusive
 * byte range [*first, *last]. A malformed value or several ranges give
 * HTTP_RANGE_NONE (the whole file is sent, as RFC 9110 allows). */
enum http_range_result http_range_parse(const char *value, uint64_t size, uint64_t *first, uint64_t *last);

/* Binds and listens on addr:port (fails with a clear message when the port
 * is taken), then answers requests on a thread of its own. */
int http_server_start(const char *addr, int port, const struct http_roots *roots);

#endif
