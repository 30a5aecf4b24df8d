/* Prints status events, one line each, as aligned text or compact JSON. */
#include "status.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "lifeboat/json.h"
#include "lifeboat/strbuf.h"

static pthread_mutex_t status_lock = PTHREAD_MUTEX_INITIALIZER;
static bool status_json;

void status_set_json(bool json)
{
	status_json = json;
}

/* lb_json indents; a status line is one line, so each line break and its
 * indentation becomes one space after a comma, nothing elsewhere (a raw
 * newline never occurs inside a JSON string). */
static void print_compact(const char *text)
{
	char last = '\0';
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			while (p[1] == ' ')
				p++;
			if (last == ',')
				putchar(' ');
			continue;
		}
		putchar(*p);
		last = *p;
	}
	putchar('\n');
}

void status_emit(const struct status_event *ev)
{
	pthread_mutex_lock(&status_lock);
	if (status_json) {
		struct lb_strbuf sb;
		struct lb_json j;
		lb_strbuf_init(&sb);
		lb_json_init(&j, &sb);
		lb_json_begin_object(&j, NULL);
		lb_json_string(&j, "event", ev->event);
		lb_json_string(&j, "client", ev->client);
		lb_json_string(&j, "mac", ev->mac);
		lb_json_string(&j, "detail", ev->detail);
		lb_json_end_object(&j);
		print_compact(lb_strbuf_str(&sb));
		lb_strbuf_free(&sb);
	} else {
		printf("%-9s %-15s %-17s %s\n", ev->event, ev->client ? ev->client : "-", ev->mac ? ev->mac : "-",
		       ev->detail);
	}
	fflush(stdout);
	pthread_mutex_unlock(&status_lock);
}

void status_server(const char *fmt, ...)
{
	char detail[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	status_emit(&(struct status_event){ .event = "server", .detail = detail });
}
