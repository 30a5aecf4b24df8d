/* The pickers of the wizards: an image of the image folders (each opened to
 * show its header: date, what was captured, size, comment), and a disk,
 * partition or Windows installation with what it holds now. Disks that
 * must never be written are listed with the reason and cannot be chosen. */
#include "tui_pick.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lifeboat/disk.h"
#include "lifeboat/error.h"
#include "tui.h"

void tui_image_summary(const struct lb_image_info *info, char *out, size_t size)
{
	char date[32], total[32], used[32];
	time_t created = (time_t)info->created;
	strftime(date, sizeof date, "%Y-%m-%d %H:%M", localtime(&created));
	tui_size(info->source_size, total, sizeof total);
	tui_size(info->used_bytes, used, sizeof used);
	if (info->kind == LB_IMAGE_DISK)
		tui_fmt(out, size, "%s, whole disk %s (%s, %u partitions), %s of data", date, total,
			 info->table_type == 2 ? "gpt" : "dos", info->part_count, used);
	else
		tui_fmt(out, size, "%s, %s file system %s, %s of data", date,
			 info->part_count && info->parts[0].fs[0] ? info->parts[0].fs : "one", total, used);
}

static void image_row(const struct sys_image *si, struct tui_row *row)
{
	struct lb_image *img;
	if (lb_image_open(si->path, &img) < 0) {
		tui_fmt(row->text, sizeof row->text, "%-26.26s unreadable", si->name);
		tui_fmt(row->note, sizeof row->note, "%.150s", lb_error_message());
		return;
	}
	const struct lb_image_info *info = lb_image_get_info(img);
	char summary[160];
	tui_image_summary(info, summary, sizeof summary);
	tui_fmt(row->text, sizeof row->text, "%-26.26s %s", si->name, summary);
	tui_fmt(row->note, sizeof row->note, "Source: %.40s  Comment: %.100s", info->model[0] ? info->model : "-",
		 info->comment[0] ? info->comment : "-");
	lb_image_close(img);
}

/* Asks for a folder and adds it to the image folders; shows why not. */
static void add_folder(struct tui_system *sys, const char *title)
{
	char dir[sizeof sys->added_dirs[0]] = "", error[200] = "";
	for (;;) {
		const char *const lines[] = { "A folder holding .lbi images: a disk mounted from the Shell, a share.", "",
					      error, NULL };
		if (tui_input(title, lines, "Folder:", dir, sizeof dir) != 0)
			return;
		struct stat st;
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
			tui_fmt(error, sizeof error, "%s is not a folder.", dir);
		else if (tui_system_add_image_dir(sys, dir) < 0)
			tui_fmt(error, sizeof error, "No room for more image folders.");
		else
			return;
	}
}

int tui_pick_image(struct tui_system *sys, const char *title, struct lb_image **img, char *path, size_t size)
{
	int choice = 0;
	for (;;) {
		struct tui_row *rows = calloc((size_t)sys->image_count + 1, sizeof *rows);
		if (!rows)
			return TUI_BACK;
		for (int i = 0; i < sys->image_count; i++)
			image_row(&sys->images[i], &rows[i]);
		struct tui_row *other = &rows[sys->image_count];
		tui_fmt(other->text, sizeof other->text, "Look in another folder...");
		tui_fmt(other->note, sizeof other->note, "For images on a disk mounted from the Shell, or elsewhere.");
		struct tui_list_spec spec = {
			.title = title,
			.intro = sys->image_count ? "Choose the image:"
						  : "No .lbi image was found in the image folders (see also Network).",
			.header = sys->image_count ? "  file                       created, what it holds" : NULL,
			.rows = rows,
			.count = sys->image_count + 1,
			.selected = choice,
		};
		choice = tui_list(&spec);
		free(rows);
		if (choice < 0)
			return choice;
		if (choice == sys->image_count) {
			add_folder(sys, title);
			continue;
		}
		if (lb_image_open(sys->images[choice].path, img) == 0) {
			tui_fmt(path, size, "%s", sys->images[choice].path);
			return 0;
		}
		tui_show_error(title, "This image cannot be used.");
	}
}

static void fs_text(const struct lb_fs_info *fs, char *out, size_t size)
{
	const char *type = lb_fs_type_name(fs->type);
	tui_fmt(out, size, "%s%s%.40s%s%s", type ? type : "unknown content", fs->label[0] ? " '" : "", fs->label,
		 fs->label[0] ? "'" : "", fs->windows_present ? " (Windows)" : "");
}

void tui_disk_content(const struct lb_disk *disk, char *out, size_t size)
{
	if (disk->table == LB_TABLE_NONE) {
		if (disk->whole_fs.type == LB_FS_UNKNOWN)
			tui_fmt(out, size, "no partition table, no known file system");
		else
			fs_text(&disk->whole_fs, out, size);
		return;
	}
	size_t len = (size_t)snprintf(out, size, "%s:", lb_table_type_name(disk->table));
	if (disk->partition_count == 0)
		tui_fmt(out + len, size - len, " no partitions");
	for (unsigned i = 0; i < disk->partition_count && len < size; i++) {
		const struct lb_partition *p = &disk->partitions[i];
		if (p->is_extended)
			continue;
		char fs[96], sz[32];
		fs_text(&p->fs, fs, sizeof fs);
		tui_size(p->size_bytes, sz, sizeof sz);
		len += (size_t)snprintf(out + len, size - len, "%s %u %s %s", i ? "," : "", p->number, fs, sz);
	}
}

/* Rows and their headings share these formats (the headings get "  " more:
 * the list puts "> " before each row). */
#define DISK_ROW "%-12.12s %-16.16s %9s  %.100s"
#define PART_ROW "  %-18.18s %9s  %.100s"

struct picker {
	struct tui_row *rows;
	struct pick_item *items;
	int count;
};

static struct tui_row *add_row(struct picker *pk, struct pick_item **item)
{
	struct tui_row *rows = realloc(pk->rows, (size_t)(pk->count + 1) * sizeof *rows);
	if (rows)
		pk->rows = rows;
	struct pick_item *items = realloc(pk->items, (size_t)(pk->count + 1) * sizeof *items);
	if (items)
		pk->items = items;
	if (!rows || !items)
		return NULL;
	memset(&rows[pk->count], 0, sizeof *rows);
	memset(&items[pk->count], 0, sizeof *items);
	*item = &items[pk->count];
	return &rows[pk->count++];
}

static void add_partitions(struct picker *pk, const struct sys_disk *d, const struct lb_disk *disk,
			   enum pick_kind kind, const char *blocked)
{
	const char *base = strrchr(d->path, '/') ? strrchr(d->path, '/') + 1 : d->path;
	for (unsigned i = 0; i < disk->partition_count; i++) {
		const struct lb_partition *p = &disk->partitions[i];
		if (p->is_extended || (kind == PICK_WINDOWS && !p->fs.windows_present))
			continue;
		struct pick_item *it;
		struct tui_row *row = add_row(pk, &it);
		if (!row)
			return;
		tui_fmt(it->spec, sizeof it->spec, "%.290s:%u", d->path, p->number);
		tui_fmt(it->disk, sizeof it->disk, "%s", d->path);
		tui_fmt(it->name, sizeof it->name, "%.290s:%u", base, p->number);
		fs_text(&p->fs, it->content, sizeof it->content);
		it->size = p->size_bytes;
		char sz[32];
		tui_size(p->size_bytes, sz, sizeof sz);
		tui_fmt(it->label, sizeof it->label, "%.100s partition %u (%s)%s%.60s", base, p->number, sz,
			d->model[0] ? " of " : "", d->model);
		char shown[300];
		tui_fmt(shown, sizeof shown, "%s%s", blocked ? "NOT OFFERED: " : "", blocked ? blocked : it->content);
		tui_fmt(row->text, sizeof row->text, PART_ROW, it->name, sz, shown);
		if (blocked) {
			row->disabled = true;
			tui_fmt(row->note, sizeof row->note, "Not offered: %.140s", blocked);
		} else {
			tui_fmt(row->note, sizeof row->note, "%.150s", it->label);
		}
	}
}

static void add_disk(struct picker *pk, const struct sys_disk *d, enum pick_kind kind, bool for_writing,
		     const char *image_path)
{
	char blocked[200] = "";
	if (for_writing && d->protect[0])
		tui_fmt(blocked, sizeof blocked, "%s", d->protect);
	else if (for_writing && image_path && lb_target_check_not_image_disk(d->path, image_path) < 0)
		tui_fmt(blocked, sizeof blocked, "it holds the image");
	struct lb_dev *dev = NULL;
	struct lb_disk *disk = NULL;
	char content[400];
	if (d->error[0])
		tui_fmt(content, sizeof content, "cannot be opened: %s", d->error);
	else if (lb_dev_open(d->path, LB_DEV_READ, &dev) < 0 || lb_disk_read(dev, &disk) < 0)
		tui_fmt(content, sizeof content, "unreadable: %.380s", lb_error_message());
	else
		tui_disk_content(disk, content, sizeof content);
	if (kind == PICK_DISK || kind == PICK_ANY) {
		struct pick_item *it;
		struct tui_row *row = add_row(pk, &it);
		if (row) {
			const char *base = strrchr(d->path, '/') ? strrchr(d->path, '/') + 1 : d->path;
			tui_fmt(it->spec, sizeof it->spec, "%s", d->path);
			tui_fmt(it->disk, sizeof it->disk, "%s", d->path);
			tui_fmt(it->name, sizeof it->name, "%s", base);
			sys_disk_label(d, it->label, sizeof it->label);
			tui_fmt(it->content, sizeof it->content, "%s", content);
			it->size = d->size;
			char sz[32];
			tui_size(d->size, sz, sizeof sz);
			char shown[300];
			tui_fmt(shown, sizeof shown, "%s%s", blocked[0] ? "NOT OFFERED: " : "", blocked[0] ? blocked : content);
			tui_fmt(row->text, sizeof row->text, DISK_ROW, base, d->model, sz, shown);
			row->disabled = blocked[0] || d->error[0];
			tui_fmt(row->note, sizeof row->note, "%s%.150s", blocked[0] ? "Not offered: " : "Now: ",
				 blocked[0] ? blocked : content);
		}
	}
	if (disk && kind != PICK_DISK)
		add_partitions(pk, d, disk, kind, blocked[0] ? blocked : NULL);
	lb_disk_free(disk);
	if (dev)
		lb_dev_close(dev);
}

int tui_pick_device(struct tui_system *sys, const char *title, const char *intro, enum pick_kind kind,
		    bool for_writing, const char *image_path, struct pick_item *out)
{
	struct picker pk = { 0 };
	for (int i = 0; i < sys->disk_count; i++)
		add_disk(&pk, &sys->disks[i], kind, for_writing, image_path);
	lb_error_clear();
	int choice = TUI_BACK;
	bool any = false;
	for (int i = 0; i < pk.count; i++)
		any |= !pk.rows[i].disabled;
	if (!any) {
		const char *const lines[] = {
			kind == PICK_WINDOWS ? "No Windows installation was found on the disks."
					     : "There is no disk or partition that can be used here.",
			pk.count ? "(The disks listed before are not offered: see the main screen.)" : "",
			NULL,
		};
		tui_message(title, lines);
	} else {
		char header[120];
		if (kind == PICK_DISK || kind == PICK_ANY)
			tui_fmt(header, sizeof header, "  " DISK_ROW, "disk", "model", "size", "holds now");
		else
			tui_fmt(header, sizeof header, "  " PART_ROW, "partition", "size", "holds now");
		struct tui_list_spec spec = {
			.title = title,
			.intro = intro,
			.header = header,
			.rows = pk.rows,
			.count = pk.count,
		};
		choice = tui_list(&spec);
		if (choice >= 0) {
			*out = pk.items[choice];
			choice = 0;
		}
	}
	free(pk.rows);
	free(pk.items);
	return choice;
}
