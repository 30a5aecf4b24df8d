/* Running a restore from the wizard: the image written with progress (the
 * stage names the partition being written) and a clean stop on cancel, then
 * the chosen Windows changes on every Windows installation the target now
 * holds, the report saved, and the result with what to do next. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/disk.h"
#include "lifeboat/error.h"
#include "lifeboat/report.h"
#include "lifeboat/strbuf.h"
#include "tui.h"
#include "tui_restore.h"
#include "win_ops.h"

struct restore_job {
	struct restore_wizard *w;
	struct tui_work *work;
	struct lb_report *report;
	struct lb_report_op *op;
	struct lb_strbuf text;
	int rc;                  /* of the restore itself */
	uint64_t written;        /* bytes of the image written so far */
};

/* The partition being written: partitions are stored in disk order, so the
 * bytes done so far fall in the first partition whose data ends after them. */
static void stage_text(const struct restore_job *j, const struct lb_progress *p, char *out, size_t size)
{
	const struct lb_image_info *info = j->w->info;
	if (strcmp(p->stage, "restore") != 0) {
		tui_fmt(out, size, "%s: checking the whole image before writing", p->stage);
		return;
	}
	unsigned number = j->w->o.partition;
	uint64_t end = 0;
	for (unsigned i = 0; !number && i < info->part_count; i++) {
		end += info->parts[i].used_bytes;
		if (p->done < end || i + 1 == info->part_count)
			number = info->parts[i].number;
	}
	if (number)
		tui_fmt(out, size, "writing partition %u of %u", number, info->part_count);
	else
		tui_fmt(out, size, "writing the file system");
}

static void on_progress(const struct lb_progress *p, void *ctx)
{
	struct restore_job *j = ctx;
	char stage[96];
	stage_text(j, p, stage, sizeof stage);
	if (strcmp(p->stage, "restore") == 0)
		j->written = p->done;
	tui_work_progress(j->work, stage, p->done, p->total);
}

static int write_image(struct restore_job *j)
{
	struct restore_wizard *w = j->w;
	struct lb_dev *dev;
	int rc = lb_target_check_not_mounted(w->target.disk);
	if (rc == 0)
		rc = lb_dev_open_spec(w->target.spec, LB_DEV_WRITE | LB_DEV_EXCLUSIVE, &dev);
	if (rc < 0)
		return rc;
	struct lb_restore_opts o = w->o;
	o.progress = on_progress;
	o.progress_ctx = j;
	o.cancel = &j->work->cancel;
	rc = lb_restore_check(w->img, dev, &o, &w->plan);
	if (rc == 0)
		rc = lb_image_restore(w->img, dev, &o, &w->plan);
	char message[1024];
	snprintf(message, sizeof message, "%s", lb_error_message());
	lb_dev_close(dev);
	return rc < 0 ? lb_fail(rc, "%s", message) : 0;
}

/* The Windows installations on the restored target (specs, at most max). */
static int windows_targets(const struct restore_wizard *w, char specs[][300], int max)
{
	if (w->o.partition || w->info->kind != LB_IMAGE_DISK) {
		tui_fmt(specs[0], sizeof specs[0], "%s", w->target.spec);
		return 1;
	}
	struct lb_dev *dev;
	struct lb_disk *disk;
	if (lb_dev_open(w->target.spec, LB_DEV_READ, &dev) < 0)
		return 0;
	int n = 0;
	if (lb_disk_read(dev, &disk) == 0) {
		for (unsigned i = 0; i < disk->partition_count && n < max; i++)
			if (disk->partitions[i].fs.windows_present)
				tui_fmt(specs[n++], sizeof specs[0], "%s:%u", w->target.spec, disk->partitions[i].number);
		lb_disk_free(disk);
	}
	lb_dev_close(dev);
	return n;
}

/* One Windows change: its own report operation and a line in the result. */
static int windows_step(struct restore_job *j, const char *what, const char *spec)
{
	struct restore_wizard *w = j->w;
	struct lb_report_op *op = lb_report_add_op(j->report, what);
	if (!op)
		return LB_E_NOMEM;
	tui_fmt(op->target, sizeof op->target, "%s", spec);
	char stage[96];
	tui_fmt(stage, sizeof stage, "Windows on %s: %s", spec, what);
	tui_work_progress(j->work, stage, j->work->total, j->work->total);
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	const char *drivers[] = { w->drivers };
	int rc;
	if (strcmp(what, "mir") == 0)
		rc = win_op_mir(spec, drivers, w->drivers[0] ? 1 : 0, NULL, &out);
	else if (strcmp(what, "inject") == 0)
		rc = win_op_inject(spec, drivers, 1, &out);
	else if (strcmp(what, "rename") == 0)
		rc = win_op_rename(spec, w->computer_name, false, &out);
	else
		rc = win_op_newsid(spec, NULL, false, &out);
	lb_report_op_end(op, rc);
	bool naming = strcmp(what, "rename") == 0;
	bool with_drivers = w->drivers[0] && (strcmp(what, "mir") == 0 || strcmp(what, "inject") == 0);
	tui_fmt(op->detail, sizeof op->detail, "%s target=%s%s%s%s%s", what, spec, naming ? " name=" : "",
		naming ? w->computer_name : "", with_drivers ? " drivers=" : "", with_drivers ? w->drivers : "");
	lb_strbuf_printf(&j->text, "\nWindows on %s, %s: %s\n%s", spec, what, rc == 0 ? "done" : "FAILED",
			 rc == 0 ? lb_strbuf_str(&out) : lb_error_message());
	if (rc < 0)
		lb_strbuf_puts(&j->text, "\n");
	lb_strbuf_free(&out);
	return rc;
}

static int windows_changes(struct restore_job *j)
{
	struct restore_wizard *w = j->w;
	if (!w->mir && !w->newsid && !w->computer_name[0] && !w->drivers[0])
		return 0;
	char specs[8][300];
	int n = windows_targets(w, specs, 8);
	if (n == 0) {
		lb_strbuf_puts(&j->text, "\nNo Windows installation was found on the target: the Windows changes were not made.\n");
		return lb_fail(LB_E_NOTFOUND, "no Windows installation on %s", w->target.spec);
	}
	int first = 0;
	for (int i = 0; i < n; i++) {
		const char *steps[] = { w->mir ? "mir" : NULL, w->drivers[0] ? "inject" : NULL,
					w->computer_name[0] ? "rename" : NULL, w->newsid ? "newsid" : NULL };
		for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
			int rc = steps[s] ? windows_step(j, steps[s], specs[i]) : 0;
			if (rc < 0 && first == 0)
				first = rc;
		}
	}
	return first;
}

static int run(void *ctx, struct tui_work *work)
{
	struct restore_job *j = ctx;
	j->work = work;
	j->rc = write_image(j);
	lb_report_op_end(j->op, j->rc);
	j->op->bytes = j->rc == 0 ? j->w->plan.write_bytes : j->written;
	tui_take_warnings(&j->text);
	if (j->rc < 0)
		return j->rc;
	int rc = windows_changes(j);
	tui_take_warnings(&j->text);
	return rc;
}

static void result_text(struct restore_job *j, int rc, double seconds)
{
	struct restore_wizard *w = j->w;
	struct lb_strbuf head;
	lb_strbuf_init(&head);
	char data[32];
	tui_size(w->plan.write_bytes, data, sizeof data);
	if (j->rc == LB_E_CANCELLED) {
		restore_note_cancel(w);
		lb_strbuf_printf(&head, "The restore onto %s was CANCELLED after %.0f s.\n\n"
			"The target is incomplete and will not start as it is; it is not in use any more.\n"
			"To carry on where it stopped: choose Restore again with the same image and\n"
			"target; Resume is then switched on and only what differs is written.\n",
			w->target.name, seconds);
	} else if (j->rc < 0) {
		lb_strbuf_printf(&head, "The restore onto %s FAILED:\n%s\n\n"
			"Everything written before the error is correct; the rest is not restored.\n"
			"Check the image with Verify, or choose another image or target.\n",
			w->target.name, lb_error_message());
	} else {
		lb_strbuf_printf(&head, "Restored %s onto %s: %s in %.0f s (%.1f MB/s).\n", w->image_path,
				 w->target.name, data, seconds, seconds > 0 ? (double)w->plan.write_bytes / seconds / 1e6 : 0);
	}
	lb_strbuf_puts(&head, lb_strbuf_str(&j->text));
	if (j->rc == 0)
		lb_strbuf_printf(&head, "\nWhat next: %s\n"
			"Remove the rescue stick, then choose Reboot / Power off on the main menu.\n"
			"A larger disk keeps the free space after the last partition (grow it from the Shell).\n",
			rc == 0 ? "the disk is ready." : "the restore is done, but a Windows change failed (above).");
	lb_strbuf_free(&j->text);
	j->text = head;
}

void restore_run(struct restore_wizard *w)
{
	struct restore_job j = { .w = w };
	lb_strbuf_init(&j.text);
	j.report = tui_report_start("restore", &j.op);
	if (!j.report) {
		tui_show_error(RESTORE_TITLE, "The restore could not start:");
		return;
	}
	tui_fmt(j.op->image, sizeof j.op->image, "%s", w->image_path);
	tui_fmt(j.op->target, sizeof j.op->target, "%s", w->target.spec);
	tui_fmt(j.op->detail, sizeof j.op->detail, "restore image=%s target=%s partition=%u verify_first=%s resume=%s",
		w->image_path, w->target.spec, w->o.partition, w->o.verify_first ? "yes" : "no", w->o.resume ? "yes" : "no");
	tui_report_image(j.op, w->img);
	struct tui_work work = { .run = run, .ctx = &j };
	double seconds = 0;
	int rc = tui_progress(RESTORE_TITLE ": 6. restoring", &work, &seconds);
	result_text(&j, rc, seconds);
	tui_report_finish(j.report, rc, w->sys->logs_dir, &j.text);
	const char *title = j.rc == LB_E_CANCELLED ? RESTORE_TITLE ": cancelled"
			    : j.rc < 0		 ? RESTORE_TITLE ": FAILED"
			    : rc < 0		 ? RESTORE_TITLE ": done, with a failed Windows change"
						 : RESTORE_TITLE ": done";
	tui_show_text(title, lb_strbuf_str(&j.text));
	lb_strbuf_free(&j.text);
}
