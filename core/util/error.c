/* Thread-local last-error message and pending warnings for libcore. */
#include "lifeboat/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LB_MSG_MAX 1024
#define LB_WARN_MAX 64

static _Thread_local char last_message[LB_MSG_MAX];
static _Thread_local char *warnings[LB_WARN_MAX];
static _Thread_local int warning_count;

/* Appends src to dst (holding *len bytes) without overflowing LB_MSG_MAX. */
static void append_bounded(char *dst, size_t *len, const char *src)
{
	size_t n = strlen(src);
	if (n > LB_MSG_MAX - 1 - *len)
		n = LB_MSG_MAX - 1 - *len;
	memcpy(dst + *len, src, n);
	*len += n;
	dst[*len] = '\0';
}

/* last_message = "head: tail", truncated to fit. */
static void set_joined(const char *head, const char *tail)
{
	char joined[LB_MSG_MAX];
	size_t len = 0;
	append_bounded(joined, &len, head);
	append_bounded(joined, &len, ": ");
	append_bounded(joined, &len, tail);
	memcpy(last_message, joined, len + 1);
}

int lb_fail(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_message, sizeof last_message, fmt, ap);
	va_end(ap);
	return code;
}

int lb_fail_errno(int code, const char *fmt, ...)
{
	int saved = errno;
	char head[LB_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	set_joined(head, strerror(saved));
	return code;
}

int lb_fail_context(int code, const char *fmt, ...)
{
	char head[LB_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	set_joined(head, last_message);
	return code;
}

const char *lb_error_message(void)
{
	return last_message;
}

void lb_error_clear(void)
{
	last_message[0] = '\0';
}

void lb_warn(const char *fmt, ...)
{
	char buf[LB_MSG_MAX];
	va_list ap;
	if (warning_count >= LB_WARN_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char *copy = strdup(buf);
	if (copy)
		warnings[warning_count++] = copy;
}

int lb_warnings_take(char ***out)
{
	int n = warning_count;
	if (out) {
		*out = NULL;
		if (n > 0) {
			*out = malloc(sizeof(char *) * (size_t)n);
			if (!*out)
				n = 0;
			else
				memcpy(*out, warnings, sizeof(char *) * (size_t)n);
		}
	}
	if (!out || n == 0)
		for (int i = 0; i < warning_count; i++)
			free(warnings[i]);
	warning_count = 0;
	return n;
}

void lb_warnings_free(char **list, int count)
{
	for (int i = 0; i < count; i++)
		free(list[i]);
	free(list);
}
