/* The Capture screen: choose the disk or partition (for a whole disk,
 * which of its partitions' data to keep), the folder and file name of the
 * image, the compression and a comment; confirm; then capture with
 * progress (a cancel removes the partial image) and save the report. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lifeboat/disk.h"
#include "lifeboat/error.h"
#include "lifeboat/report.h"
#include "lifeboat/strbuf.h"
#include "tui.h"
#include "tui_pick.h"
#include "tui_screens.h"

#define TITLE "Capture an image"
#define MAX_PARTS 128

struct capture {
	struct tui_system *sys;
	struct pick_item source;
	unsigned part_count;            /* partitions of a whole-disk source */
	unsigned numbers[MAX_PARTS];
	char part_text[MAX_PARTS][100];
	bool keep[MAX_PARTS];
	unsigned chosen[MAX_PARTS];     /* what --partitions would say; */
	unsigned chosen_count;          /* 0 when every partition is kept */
	char folder[400];
	char file[100];
	char path[512];
	char comment[200];
	int codec, level;
};

static const struct {
	const char *label, *spec;
} codecs[] = {
	{ "zstd level 3 (fast, good size; the usual choice)", "zstd:3" },
	{ "zstd level 19 (smaller, much slower to capture)", "zstd:19" },
	{ "zlib level 6", "zlib:6" },
	{ "bzip2 (small, slow to capture and restore)", "bzip2" },
	{ "none (largest, fastest)", "none" },
};
#define CODEC_COUNT (int)(sizeof codecs / sizeof codecs[0])

/* Reads the partitions of a whole-disk source, each kept to begin with. */
static void load_partitions(struct capture *c)
{
	c->part_count = 0;
	struct lb_dev *dev;
	struct lb_disk *disk;
	if (lb_dev_open_spec(c->source.spec, LB_DEV_READ, &dev) < 0)
		return;
	if (!dev->parent && lb_disk_read(dev, &disk) == 0) {
		for (unsigned i = 0; i < disk->partition_count && c->part_count < MAX_PARTS; i++) {
			const struct lb_partition *p = &disk->partitions[i];
			if (p->is_extended)
				continue;
			char size[32];
			tui_size(p->size_bytes, size, sizeof size);
			c->numbers[c->part_count] = p->number;
			c->keep[c->part_count] = true;
			tui_fmt(c->part_text[c->part_count++], sizeof c->part_text[0], "partition %u  %s %s%s%s  %s",
				p->number, lb_fs_type_name(p->fs.type), p->fs.label[0] ? "'" : "", p->fs.label,
				p->fs.label[0] ? "'" : "", size);
		}
		lb_disk_free(disk);
	}
	lb_dev_close(dev);
	lb_warnings_take(NULL);
}

/* Step 1b, for a whole disk: which partitions' data the image keeps (the
 * table, boot code and gaps always). Nothing to ask for anything else. */
static int choose_partitions(struct capture *c, bool going_back)
{
	if (!going_back)
		load_partitions(c);
	if (c->part_count < 2)
		return going_back ? TUI_BACK : 0;
	struct tui_row rows[MAX_PARTS + 1];
	int selected = (int)c->part_count;
	const char *intro = "Enter switches a partition; the table and boot code are always kept.";
	for (;;) {
		memset(rows, 0, sizeof rows);
		for (unsigned i = 0; i < c->part_count; i++) {
			tui_fmt(rows[i].text, sizeof rows[i].text, "[%c] %s", c->keep[i] ? 'x' : ' ', c->part_text[i]);
			tui_fmt(rows[i].note, sizeof rows[i].note, "%s",
				c->keep[i] ? "Its data goes into the image." :
					     "Left out: a restore of the image leaves this partition on the target alone.");
		}
		tui_fmt(rows[c->part_count].text, sizeof rows[c->part_count].text, "Continue");
		struct tui_list_spec spec = { .title = TITLE ": 1b. partitions", .intro = intro, .rows = rows,
					      .count = (int)c->part_count + 1, .selected = selected };
		int choice = tui_list(&spec);
		if (choice < 0)
			return choice;
		selected = choice;
		if (choice < (int)c->part_count) {
			c->keep[choice] = !c->keep[choice];
			continue;
		}
		c->chosen_count = 0;
		for (unsigned i = 0; i < c->part_count; i++)
			if (c->keep[i])
				c->chosen[c->chosen_count++] = c->numbers[i];
		if (c->chosen_count == 0) {
			intro = "Keep at least one partition: an image of the table alone restores nothing.";
			continue;
		}
		if (c->chosen_count == c->part_count)
			c->chosen_count = 0;
		return 0;
	}
}

static int choose_folder(struct capture *c)
{
	struct tui_row rows[17];
	memset(rows, 0, sizeof rows);
	int n = 0;
	for (; n < c->sys->image_dir_count && n < 16; n++)
		tui_fmt(rows[n].text, sizeof rows[n].text, "%s", c->sys->image_dirs[n]);
	tui_fmt(rows[n].text, sizeof rows[n].text, "Another folder...");
	struct tui_list_spec spec = { .title = TITLE ": 2. folder", .intro = "Where to write the image:",
				      .rows = rows, .count = n + 1 };
	int choice = tui_list(&spec);
	if (choice < 0)
		return choice;
	if (choice < n) {
		tui_fmt(c->folder, sizeof c->folder, "%s", c->sys->image_dirs[choice]);
		return 0;
	}
	char error[460] = "";
	for (;;) {
		const char *const lines[] = { "An existing folder (on a stick, a second disk or a share).", "", error, NULL };
		int rc = tui_input(TITLE ": 2. folder", lines, "Folder:", c->folder, sizeof c->folder);
		if (rc < 0)
			return rc;
		struct stat st;
		if (stat(c->folder, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
		tui_fmt(error, sizeof error, "%s is not a folder.", c->folder);
	}
}

static int choose_file(struct capture *c)
{
	if (!c->file[0]) {
		char date[16];
		time_t now = time(NULL);
		strftime(date, sizeof date, "%Y%m%d", localtime(&now));
		const char *base = strrchr(c->source.name, '/') ? strrchr(c->source.name, '/') + 1 : c->source.name;
		tui_fmt(c->file, sizeof c->file, "%.60s-%s.lbi", base, date);
		for (char *p = c->file; *p; p++)
			if (*p == ':')
				*p = '-';
	}
	char error[600] = "";
	for (;;) {
		const char *const lines[] = { "The image's file name (.lbi is added when missing).", "", error, NULL };
		int rc = tui_input(TITLE ": 3. file name", lines, "File name:", c->file, sizeof c->file - 4);
		if (rc < 0)
			return rc;
		size_t len = strlen(c->file);
		if (len && (len < 4 || strcmp(c->file + len - 4, ".lbi") != 0))
			strcat(c->file, ".lbi");
		tui_fmt(c->path, sizeof c->path, "%s/%s", c->folder, c->file);
		struct stat st;
		if (!c->file[0] || strchr(c->file, '/'))
			tui_fmt(error, sizeof error, "Give a file name without '/'.");
		else if (stat(c->path, &st) == 0)
			tui_fmt(error, sizeof error, "%s already exists; choose another name.", c->path);
		else
			return 0;
	}
}

static int choose_codec(struct capture *c)
{
	struct tui_row rows[CODEC_COUNT];
	memset(rows, 0, sizeof rows);
	for (int i = 0; i < CODEC_COUNT; i++)
		tui_fmt(rows[i].text, sizeof rows[i].text, "%s", codecs[i].label);
	struct tui_list_spec spec = { .title = TITLE ": 4. compression", .intro = "Compression:", .rows = rows,
				      .count = CODEC_COUNT };
	int choice = tui_list(&spec);
	if (choice < 0)
		return choice;
	return lb_codec_parse(codecs[choice].spec, &c->codec, &c->level) < 0 ? TUI_BACK : 0;
}

static void draw_lines(void *ctx, int top, int height)
{
	const char *const *lines = ctx;
	for (int i = 0; lines[i] && i < height; i++)
		tui_text(top + i, lines[i], i == 0);
}

static int confirm(struct capture *c)
{
	int rc = tui_input(TITLE ": 5. comment", NULL, "A comment stored in the image (optional):", c->comment,
			   sizeof c->comment);
	if (rc < 0)
		return rc;
	char from[500], to[600], how[300], which[300] = "";
	tui_fmt(from, sizeof from, "  from: %s, which holds: %s", c->source.label, c->source.content);
	for (unsigned i = 0; i < c->chosen_count; i++)
		tui_fmt(which + strlen(which), sizeof which - strlen(which), "%s%u", i ? ", " : "  only partitions ",
			c->chosen[i]);
	tui_fmt(to, sizeof to, "  into: %s", c->path);
	tui_fmt(how, sizeof how, "  compression %s, comment: %s", lb_codec_name(c->codec),
		c->comment[0] ? c->comment : "none");
	const char *lines[] = { "Capture (the source is only read):", from, to, how, which, NULL };
	static const struct tui_row rows[] = { { "Start the capture", false, "" }, { "Back", false, "" } };
	struct tui_list_spec spec = { .title = TITLE ": 6. start", .rows = rows, .count = 2,
				      .panel = draw_lines, .panel_ctx = lines, .panel_height = 6 };
	int choice = tui_list(&spec);
	return choice == 0 ? 0 : choice == TUI_QUIT ? TUI_QUIT : TUI_BACK;
}

static void on_progress(const struct lb_progress *p, void *ctx)
{
	tui_work_progress(ctx, "reading the used blocks and compressing", p->done, p->total);
}

struct capture_job {
	struct capture *c;
	struct lb_report_op *op;
};

static int run(void *ctx, struct tui_work *work)
{
	struct capture_job *j = ctx;
	struct capture *c = j->c;
	struct lb_dev *src;
	int rc = lb_dev_open_spec(c->source.spec, LB_DEV_READ, &src);
	if (rc < 0)
		return rc;
	struct lb_capture_opts o = {
		.codec = c->codec, .level = c->level, .comment = c->comment,
		.partitions = c->chosen, .partition_count = c->chosen_count,
		.progress = on_progress, .progress_ctx = work, .cancel = &work->cancel,
	};
	rc = lb_image_capture(src, c->path, &o);
	lb_dev_close(src);
	struct lb_image *img;
	if (rc == 0 && (rc = lb_image_open(c->path, &img)) == 0) {
		tui_report_image(j->op, img);
		j->op->bytes = lb_image_get_info(img)->used_bytes;
		lb_image_close(img);
	}
	return rc;
}

static void capture_run(struct capture *c)
{
	struct capture_job j = { .c = c };
	struct lb_report *report = tui_report_start("capture", &j.op);
	if (!report) {
		tui_show_error(TITLE, "The capture could not start:");
		return;
	}
	tui_fmt(j.op->source, sizeof j.op->source, "%s", c->source.spec);
	tui_fmt(j.op->image, sizeof j.op->image, "%s", c->path);
	tui_fmt(j.op->detail, sizeof j.op->detail, "capture source=%s image=%s compress=%s:%d%s", c->source.spec,
		c->path, lb_codec_name(c->codec), c->level, c->chosen_count ? " (some partitions left out)" : "");
	struct tui_work work = { .run = run, .ctx = &j };
	double seconds = 0;
	int rc = tui_progress(TITLE ": 7. capturing", &work, &seconds);
	lb_report_op_end(j.op, rc);
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	char data[32];
	tui_size(j.op->bytes, data, sizeof data);
	if (rc == 0)
		lb_strbuf_printf(&text, "Captured %s into %s: %s of data in %.0f s.\n\n"
			"What next: Verify checks the image; Restore writes it back onto a disk.\n",
			c->source.name, c->path, data, seconds);
	else if (rc == LB_E_CANCELLED)
		lb_strbuf_printf(&text, "The capture was CANCELLED; the partial image was removed.\n"
			"Nothing on %s was changed.\n", c->source.name);
	else
		lb_strbuf_printf(&text, "The capture FAILED:\n%s\n\nThe partial image was removed; the source was not changed.\n",
				 lb_error_message());
	tui_take_warnings(&text);
	tui_report_finish(report, rc, c->sys->logs_dir, &text);
	tui_show_text(rc == 0 ? TITLE ": done" : rc == LB_E_CANCELLED ? TITLE ": cancelled" : TITLE ": FAILED",
		      lb_strbuf_str(&text));
	lb_strbuf_free(&text);
}

void tui_capture_screen(struct tui_system *sys)
{
	struct capture c = { .sys = sys };
	int step = 0;
	bool going_back = false;
	while (step >= 0 && step < 6 && !tui_interrupted) {
		int rc;
		if (step == 0)
			rc = tui_pick_device(sys, TITLE ": 1. source", "Choose the disk or partition to capture:", PICK_ANY,
					     false, NULL, &c.source);
		else if (step == 1)
			rc = choose_partitions(&c, going_back);
		else if (step == 2)
			rc = choose_folder(&c);
		else if (step == 3)
			rc = choose_file(&c);
		else if (step == 4)
			rc = choose_codec(&c);
		else
			rc = confirm(&c);
		if (rc == TUI_QUIT)
			return;
		going_back = rc != 0;
		step += rc == 0 ? 1 : -1;
	}
	if (step == 6)
		capture_run(&c);
}
