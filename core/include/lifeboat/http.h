/* A minimal HTTP/1.0 client over a plain socket, for what the rescue system
 * fetches and sends by itself: job files (GET) and reports (POST). Only
 * http:// URLs; no redirects, proxies or TLS. */
#ifndef LIFEBOAT_HTTP_H
#define LIFEBOAT_HTTP_H

#include <stddef.h>

#include "lifeboat/strbuf.h"

/* Fetches url into body. Fails unless the server answers 200. */
int lb_http_get(const char *url, struct lb_strbuf *body);

/* POSTs len bytes of body with content_type. Fails unless the server
 * answers 2xx. */
int lb_http_post(const char *url, const char *content_type, const char *body, size_t len);

#endif
