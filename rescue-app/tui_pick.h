/* What the wizards share: choosing an image (its header shown), a disk,
 * partition or Windows installation (with what it holds now), showing a
 * long text, and the JSON report every TUI operation leaves in the logs
 * folder. */
#ifndef LIFEBOAT_TUI_PICK_H
#define LIFEBOAT_TUI_PICK_H

#include <stddef.h>
#include <stdint.h>

#include "lifeboat/image.h"
#include "tui_system.h"

struct lb_report;
struct lb_report_op;
struct lb_strbuf;

/* snprintf that cuts silently (screen text is cut to the width anyway). */
void tui_fmt(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* "2026-12-01 10:00, whole disk 1.1 GB (gpt, 2 partitions), 300 MB of data" */
void tui_image_summary(const struct lb_image_info *info, char *out, size_t size);

struct lb_disk;
/* What a disk holds: "gpt: 1 vfat 'ESP' 105 MB, 2 ntfs (Windows) 50 GB". */
void tui_disk_content(const struct lb_disk *disk, char *out, size_t size);

/* Lets the user choose an image of the image folders and opens it. A bad
 * image shows its error and the list again. 0 with *img open (path filled),
 * TUI_BACK or TUI_QUIT. */
int tui_pick_image(struct tui_system *sys, const char *title, struct lb_image **img, char *path, size_t size);

enum pick_kind {
	PICK_DISK,          /* whole disks */
	PICK_PARTITION,     /* partitions */
	PICK_ANY,           /* both */
	PICK_WINDOWS,       /* partitions holding a Windows installation */
};

struct pick_item {
	char spec[300];         /* "/dev/sdb", "disk.img", "disk.img:3" */
	char disk[256];         /* the whole disk it is on */
	char name[300];         /* what the user types to confirm: "sdb", "disk.img:3" */
	char label[200];        /* "sdb Samsung SSD (500.1 GB)" */
	char content[400];      /* what it holds now */
	uint64_t size;
};

/* Lets the user choose a disk or partition. for_writing: the disks that
 * must not be written (image folder, rescue medium, and the disk holding
 * image_path when not NULL) are shown but cannot be chosen.
 * 0 with *out filled, TUI_BACK or TUI_QUIT. */
int tui_pick_device(struct tui_system *sys, const char *title, const char *intro, enum pick_kind kind,
		    bool for_writing, const char *image_path, struct pick_item *out);

/* Shows a text of several lines (a result, an engine's report); Enter or Esc
 * leaves. Long texts scroll with Up/Down. */
void tui_show_text(const char *title, const char *text);

/* Error message screen: "what failed" and the engine's message. */
void tui_show_error(const char *title, const char *what);

/* A report with one operation, started now. NULL when out of memory. */
struct lb_report *tui_report_start(const char *what, struct lb_report_op **op);
/* Ends the report (result from rc; ops must be ended already), saves it in
 * the logs folder and appends "Report: PATH" (or why it was not saved) to
 * text, then frees it. */
void tui_report_finish(struct lb_report *report, int rc, const char *logs_dir, struct lb_strbuf *text);

/* Sets the operation's image ID and digest from img. */
void tui_report_image(struct lb_report_op *op, const struct lb_image *img);

/* Appends the calling thread's pending engine warnings to text. */
void tui_take_warnings(struct lb_strbuf *text);

#endif
