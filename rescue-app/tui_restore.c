/* The restore wizard, in the order of the tools people know: choose the
 * image, what of it (whole disk or one partition), the target (never the
 * disk holding the image or the rescue medium), options, a summary that must
 * be confirmed by typing, then progress and the result. */
#include "tui_restore.h"

#include <stdio.h>
#include <string.h>

#include "lifeboat/disk.h"
#include "lifeboat/error.h"
#include "tui.h"
#include "tui_screens.h"

bool restore_has_ntfs(const struct restore_wizard *w)
{
	for (unsigned i = 0; i < w->info->part_count; i++)
		if ((!w->o.partition || w->info->parts[i].number == w->o.partition) && strcmp(w->info->parts[i].fs, "ntfs") == 0)
			return true;
	return false;
}

static int choose_image(struct restore_wizard *w)
{
	if (w->img)
		lb_image_close(w->img);
	w->img = NULL;
	int rc = tui_pick_image(w->sys, RESTORE_TITLE ": 1. image", &w->img, w->image_path, sizeof w->image_path);
	if (rc == 0)
		w->info = lb_image_get_info(w->img);
	return rc;
}

static void part_text(const struct lb_image_part *p, char *out, size_t size)
{
	char sz[32], used[32];
	tui_size(p->size, sz, sizeof sz);
	tui_size(p->used_bytes, used, sizeof used);
	tui_fmt(out, size, "Partition %u: %s%s%s%s %s (%s used)%s", p->number, p->fs[0] ? p->fs : "unknown",
		p->label[0] ? " '" : "", p->label, p->label[0] ? "'" : "", sz, used,
		p->flags & LB_IMAGE_PART_SECTOR_COPY ? ", every sector" : "");
}

static int choose_what(struct restore_wizard *w)
{
	int count = (int)w->info->part_count + 1;
	struct tui_row rows[65];
	memset(rows, 0, sizeof rows);
	if (count > 65)
		count = 65;
	char summary[160];
	tui_image_summary(w->info, summary, sizeof summary);
	tui_fmt(rows[0].text, sizeof rows[0].text, "Whole disk: %s", summary);
	tui_fmt(rows[0].note, sizeof rows[0].note, "The partition table, boot code and every partition.");
	for (int i = 1; i < count; i++) {
		part_text(&w->info->parts[i - 1], rows[i].text, sizeof rows[i].text);
		tui_fmt(rows[i].note, sizeof rows[i].note, "Only this partition, onto a partition you choose next.");
	}
	char intro[300];
	tui_fmt(intro, sizeof intro, "What to restore from %s (comment: %s):", w->image_path,
		w->info->comment[0] ? w->info->comment : "none");
	int selected = 0;
	for (int i = 1; i < count; i++)
		if (w->info->parts[i - 1].number == w->o.partition)
			selected = i;
	struct tui_list_spec spec = {
		.title = RESTORE_TITLE ": 2. what", .intro = intro, .rows = rows, .count = count, .selected = selected,
	};
	int choice = tui_list(&spec);
	if (choice < 0)
		return choice;
	w->o.partition = choice == 0 ? 0 : w->info->parts[choice - 1].number;
	if (w->o.partition)
		w->o.new_identity = false;
	return 0;
}

/* Where the last cancelled restore stopped: choosing the same again
 * switches on Resume. */
static char cancelled_image[512], cancelled_target[300];

void restore_note_cancel(const struct restore_wizard *w)
{
	tui_fmt(cancelled_image, sizeof cancelled_image, "%s", w->image_path);
	tui_fmt(cancelled_target, sizeof cancelled_target, "%s", w->target.spec);
}

/* Checks the chosen target against the image; shows why when it does not fit. */
static int check_target(struct restore_wizard *w)
{
	struct lb_dev *dev;
	int rc = lb_target_check_not_mounted(w->target.disk);
	if (rc == 0 && (rc = lb_dev_open_spec(w->target.spec, LB_DEV_READ, &dev)) == 0) {
		rc = lb_restore_check(w->img, dev, &w->o, &w->plan);
		lb_dev_close(dev);
	}
	if (rc < 0)
		tui_show_error(RESTORE_TITLE, "This target cannot be used:");
	return rc;
}

static int choose_target(struct restore_wizard *w)
{
	enum pick_kind kind = w->o.partition ? PICK_PARTITION : w->info->kind == LB_IMAGE_DISK ? PICK_DISK : PICK_ANY;
	uint64_t need = w->info->source_size;
	for (unsigned i = 0; w->o.partition && i < w->info->part_count; i++)
		if (w->info->parts[i].number == w->o.partition)
			need = w->info->parts[i].size;
	char size[32], intro[160];
	tui_size(need, size, sizeof size);
	tui_fmt(intro, sizeof intro, "Choose the %s to overwrite (the image needs up to %s):",
		kind == PICK_DISK ? "disk" : kind == PICK_PARTITION ? "partition" : "disk or partition", size);
	for (;;) {
		int rc = tui_pick_device(w->sys, RESTORE_TITLE ": 3. target", intro, kind, true, w->image_path, &w->target);
		if (rc < 0)
			return rc;
		if (check_target(w) == 0)
			break;
	}
	if (strcmp(w->image_path, cancelled_image) == 0 && strcmp(w->target.spec, cancelled_target) == 0)
		w->o.resume = true;
	return 0;
}

void tui_restore_screen(struct tui_system *sys)
{
	struct restore_wizard w = { .sys = sys, .o.verify_first = true };
	int step = 0, dir = 1;
	while (step >= 0 && step < 5 && !tui_interrupted) {
		int rc;
		if (step == 1 && w.info->kind != LB_IMAGE_DISK) {
			w.o.partition = 0;
			step += dir;
			continue;
		}
		if (step == 0)
			rc = choose_image(&w);
		else if (step == 1)
			rc = choose_what(&w);
		else if (step == 2)
			rc = choose_target(&w);
		else if (step == 3)
			rc = restore_options(&w);
		else
			rc = restore_summary(&w);
		if (rc == TUI_QUIT)
			break;
		dir = rc == 0 ? 1 : -1;
		step += dir;
	}
	if (step == 5)
		restore_run(&w);
	if (w.img)
		lb_image_close(w.img);
}
