/* Results of the TUI's operations: a scrolling text screen (engine reports,
 * what to do next), the error screen, the engine's warnings, and the JSON
 * report each operation saves in the logs folder. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_env.h"
#include "lifeboat/error.h"
#include "lifeboat/job.h"
#include "lifeboat/report.h"
#include "lifeboat/strbuf.h"
#include "tui.h"
#include "tui_pick.h"

void tui_fmt(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, size, fmt, ap);
	va_end(ap);
}

/* Length of the next screen line of a text line of n characters: up to
 * width, broken after the last space that fits. */
static int wrap_length(const char *p, int n, int width)
{
	if (n <= width)
		return n;
	for (int k = width; k > width / 2; k--)
		if (p[k] == ' ')
			return k + 1;
	return width;
}

void tui_show_text(const char *title, const char *text)
{
	int first = 0;
	for (;;) {
		bool ok = tui_frame(title, " Up/Down: scroll   Enter or Esc: continue");
		int lines = 0, width = COLS - 4, room = tui_bottom() - tui_top();
		for (const char *p = text; ok && *p;) {
			const char *nl = strchr(p, '\n');
			int n = nl ? (int)(nl - p) : (int)strlen(p);
			do {
				int len = wrap_length(p, n, width);
				if (lines >= first && lines - first < room)
					tui_textf(tui_top() + lines - first, false, "%.*s", len, p);
				lines++;
				p += len;
				n -= len;
			} while (n > 0);
			p += nl != NULL;
		}
		int k = tui_key();
		if (k == TUI_KEY_INTERRUPT || tui_is_enter(k) || k == TUI_KEY_ESC || (!ok && k == 'q'))
			return;
		if ((k == KEY_DOWN || k == 'j') && first + room < lines)
			first++;
		else if ((k == KEY_UP || k == 'k') && first > 0)
			first--;
	}
}

void tui_show_error(const char *title, const char *what)
{
	char text[1200];
	tui_fmt(text, sizeof text, "%s\n\n%s\n\nEnter goes back; nothing more was changed.", what, lb_error_message());
	tui_show_text(title, text);
}

void tui_report_image(struct lb_report_op *op, const struct lb_image *img)
{
	lb_report_set_image_id(op, lb_image_get_info(img)->uuid);
	if (lb_image_digest(img, op->digest, sizeof op->digest) < 0) {
		op->digest[0] = '\0';
		lb_error_clear();
	}
}

void tui_take_warnings(struct lb_strbuf *text)
{
	char **warnings;
	int n = lb_warnings_take(&warnings);
	for (int i = 0; i < n; i++)
		lb_strbuf_printf(text, "Warning: %s\n", warnings[i]);
	if (n > 0)
		lb_warnings_free(warnings, n);
}

struct lb_report *tui_report_start(const char *what, struct lb_report_op **op)
{
	struct lb_report *report = lb_report_new(what);
	if (!report)
		return NULL;
	struct lb_job_facts facts;
	if (lb_job_facts_gather(app_sysroot(), &facts) == 0)
		app_report_machine(report, &facts);
	*op = lb_report_add_op(report, what);
	if (!*op) {
		lb_report_free(report);
		return NULL;
	}
	return report;
}

void tui_report_finish(struct lb_report *report, int rc, const char *logs_dir, struct lb_strbuf *text)
{
	char message[600] = "";
	if (rc < 0)
		snprintf(message, sizeof message, "%s", lb_error_message());
	lb_report_end(report, rc, message);
	char *where = NULL;
	if (lb_report_save(report, logs_dir, &where) == 0)
		lb_strbuf_printf(text, "\nReport: %s\n", where);
	else
		lb_strbuf_printf(text, "\nThe report could not be saved: %s\n", lb_error_message());
	free(where);
	lb_report_free(report);
}
