/* The Verify screen: choose an image, check every chunk, the index and the
 * whole-image digest with progress (cancel stops), show the result and save
 * the report. */
#include <stdio.h>

#include "lifeboat/error.h"
#include "lifeboat/report.h"
#include "lifeboat/strbuf.h"
#include "tui.h"
#include "tui_pick.h"
#include "tui_screens.h"

#define TITLE "Verify an image"

static void on_progress(const struct lb_progress *p, void *ctx)
{
	tui_work_progress(ctx, "reading and checking every chunk", p->done, p->total);
}

static int run(void *ctx, struct tui_work *work)
{
	return lb_image_verify(ctx, on_progress, work, &work->cancel);
}

void tui_verify_screen(struct tui_system *sys)
{
	struct lb_image *img;
	char path[512];
	if (tui_pick_image(sys, TITLE, &img, path, sizeof path) != 0)
		return;
	const struct lb_image_info *info = lb_image_get_info(img);
	struct lb_report_op *op;
	struct lb_report *report = tui_report_start("verify", &op);
	if (!report) {
		lb_image_close(img);
		tui_show_error(TITLE, "The check could not start:");
		return;
	}
	tui_fmt(op->image, sizeof op->image, "%s", path);
	tui_fmt(op->detail, sizeof op->detail, "verify image=%s", path);
	tui_report_image(op, img);
	op->bytes = info->used_bytes;
	struct tui_work work = { .run = run, .ctx = img };
	double seconds = 0;
	int rc = tui_progress(TITLE, &work, &seconds);
	lb_report_op_end(op, rc);
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	char used[32];
	tui_size(info->used_bytes, used, sizeof used);
	if (rc == 0)
		lb_strbuf_printf(&text, "%s is GOOD: %s of data in every chunk, the index and the digest checked (%.0f s).\n"
			"It can be restored.\n", path, used, seconds);
	else if (rc == LB_E_CANCELLED)
		lb_strbuf_printf(&text, "The check of %s was cancelled; nothing is known about the rest.\n", path);
	else
		lb_strbuf_printf(&text, "%s is DAMAGED:\n%s\n\nDo not restore it; use another copy of the image.\n",
				 path, lb_error_message());
	lb_image_close(img);
	tui_report_finish(report, rc, sys->logs_dir, &text);
	tui_show_text(rc == 0 ? TITLE ": good" : rc == LB_E_CANCELLED ? TITLE ": cancelled" : TITLE ": DAMAGED",
		      lb_strbuf_str(&text));
	lb_strbuf_free(&text);
}
