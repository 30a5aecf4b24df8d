/* Scanning what the TUI works with: block devices from /sys/block (or the
 * files named on the command line), *.lbi images in the image folders, and
 * the disks that hold those folders or the rescue medium ($LIFEBOAT_MEDIA),
 * which are never offered as targets. */
#include "tui_system.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "app_env.h"
#include "lifeboat/disk.h"
#include "lifeboat/error.h"
#include "lifeboat/io.h"
#include "tui.h"
#include "tui_pick.h"

static bool skip_block_device(const char *name)
{
	static const char *const skipped[] = { "loop", "ram", "zram", "fd", "dm-", "md", NULL };
	for (const char *const *p = skipped; *p; p++)
		if (strncmp(name, *p, strlen(*p)) == 0)
			return true;
	return false;
}

static void add_disk(struct tui_system *sys, const char *path)
{
	struct sys_disk *grown = realloc(sys->disks, (size_t)(sys->disk_count + 1) * sizeof *grown);
	if (!grown)
		return;
	sys->disks = grown;
	struct sys_disk *d = &grown[sys->disk_count++];
	memset(d, 0, sizeof *d);
	snprintf(d->path, sizeof d->path, "%s", path);
	struct lb_dev *dev;
	if (lb_dev_open(path, LB_DEV_READ, &dev) < 0) {
		snprintf(d->error, sizeof d->error, "%s", lb_error_message());
		snprintf(d->protect, sizeof d->protect, "cannot be opened: %.130s", d->error);
		return;
	}
	d->size = dev->size;
	snprintf(d->model, sizeof d->model, "%s", dev->model);
	struct lb_disk *disk;
	if (lb_disk_read(dev, &disk) == 0) {
		tui_disk_content(disk, d->content, sizeof d->content);
		lb_disk_free(disk);
	} else {
		tui_fmt(d->content, sizeof d->content, "unreadable: %s", lb_error_message());
	}
	lb_dev_close(dev);
}

/* Whether sysfs says the block device is read-only (a CD, a locked card). */
static bool read_only(const char *dir, const char *name)
{
	char path[4400], value[8] = "";
	snprintf(path, sizeof path, "%s/%s/ro", dir, name);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	bool ro = fgets(value, sizeof value, f) && value[0] == '1';
	fclose(f);
	return ro;
}

/* The disks of /sys/block, by name. */
static void scan_block_devices(struct tui_system *sys)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/sys/block", app_sysroot());
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return;
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (name[0] != '.' && !skip_block_device(name)) {
			char path[300];
			snprintf(path, sizeof path, "/dev/%s", name);
			int before = sys->disk_count;
			add_disk(sys, path);
			struct sys_disk *d = &sys->disks[sys->disk_count - 1];
			if (sys->disk_count > before && !d->protect[0] && read_only(dir, name))
				snprintf(d->protect, sizeof d->protect, "read-only");
		}
		free(names[i]);
	}
	free(names);
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);
	return n > s && strcmp(name + n - s, suffix) == 0;
}

static void scan_image_dir(struct tui_system *sys, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!has_suffix(e->d_name, ".lbi"))
			continue;
		struct sys_image *grown = realloc(sys->images, (size_t)(sys->image_count + 1) * sizeof *grown);
		if (!grown)
			break;
		sys->images = grown;
		struct sys_image *img = &grown[sys->image_count];
		memset(img, 0, sizeof *img);
		snprintf(img->path, sizeof img->path, "%s/%s", dir, e->d_name);
		snprintf(img->name, sizeof img->name, "%s", e->d_name);
		struct stat st;
		if (stat(img->path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		img->size = (uint64_t)st.st_size;
		img->mtime = st.st_mtime;
		sys->image_count++;
	}
	closedir(d);
}

/* The whole-disk name ("sda") of the block device holding path, "" if none. */
static void disk_of_path(const char *path, char *out, size_t size)
{
	out[0] = '\0';
	struct stat st;
	if (stat(path, &st) < 0)
		return;
	char link[128], target[PATH_MAX];
	snprintf(link, sizeof link, "%s/sys/dev/block/%u:%u", app_sysroot(), major(st.st_dev), minor(st.st_dev));
	if (!realpath(link, target))
		return;
	char partition[PATH_MAX + 16];
	snprintf(partition, sizeof partition, "%s/partition", target);
	if (access(partition, F_OK) == 0) {
		char *slash = strrchr(target, '/');
		if (slash)
			*slash = '\0';
	}
	const char *name = strrchr(target, '/');
	snprintf(out, size, "%.100s", name ? name + 1 : target);
}

/* Marks the disk (a device, or an image file) that holds path. */
static void protect_holder(struct tui_system *sys, const char *path, const char *why)
{
	char holder[128];
	disk_of_path(path, holder, sizeof holder);
	char real_path[PATH_MAX];
	bool have_real = realpath(path, real_path) != NULL;
	for (int i = 0; i < sys->disk_count; i++) {
		struct sys_disk *d = &sys->disks[i];
		const char *base = strrchr(d->path, '/');
		base = base ? base + 1 : d->path;
		char real_disk[PATH_MAX];
		bool same_file = have_real && realpath(d->path, real_disk) && strcmp(real_disk, real_path) == 0;
		if (d->protect[0] || !(same_file || (holder[0] && strcmp(base, holder) == 0)))
			continue;
		snprintf(d->protect, sizeof d->protect, "%s", why);
	}
}

static int by_image_name(const void *a, const void *b)
{
	return strcmp(((const struct sys_image *)a)->name, ((const struct sys_image *)b)->name);
}

void tui_system_free(struct tui_system *sys)
{
	free(sys->disks);
	free(sys->images);
	sys->disks = NULL;
	sys->images = NULL;
	sys->disk_count = sys->image_count = 0;
}

void tui_system_scan(struct tui_system *sys)
{
	tui_system_free(sys);
	if (sys->disk_args)
		for (int i = 0; i < sys->disk_arg_count; i++)
			add_disk(sys, sys->disk_args[i]);
	else
		scan_block_devices(sys);
	for (int i = 0; i < sys->image_dir_count; i++) {
		scan_image_dir(sys, sys->image_dirs[i]);
		protect_holder(sys, sys->image_dirs[i], "holds the image folder");
	}
	if (sys->image_count > 1)
		qsort(sys->images, (size_t)sys->image_count, sizeof *sys->images, by_image_name);
	const char *media = getenv("LIFEBOAT_MEDIA");
	if (media && *media)
		protect_holder(sys, media, "the rescue system runs from it");
}

int tui_system_add_image_dir(struct tui_system *sys, const char *dir)
{
	if (sys->image_dir_count >= sys->image_dir_capacity || sys->added_dir_count >= 4)
		return -1;
	char *slot = sys->added_dirs[sys->added_dir_count++];
	snprintf(slot, sizeof sys->added_dirs[0], "%s", dir);
	sys->image_dirs[sys->image_dir_count++] = slot;
	tui_system_scan(sys);
	return 0;
}

void sys_disk_label(const struct sys_disk *disk, char *out, int size)
{
	char sz[32];
	tui_size(disk->size, sz, sizeof sz);
	const char *base = strrchr(disk->path, '/');
	snprintf(out, (size_t)size, "%s%s%s (%s)", base ? base + 1 : disk->path,
		 disk->model[0] ? " " : "", disk->model, sz);
}
