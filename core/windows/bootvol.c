/* The BCD stores of an offline Windows: Boot/BCD and EFI/Microsoft/Boot/BCD
 * on its own volume and on the partitions of its disk that may hold the
 * boot manager (TARGET given as DISK:N or a partition device): every EFI
 * system partition and the MBR active partition other than TARGET. */
#include "lifeboat/disk.h"
#include "lifeboat/error.h"
#include "lifeboat/winoffline.h"
#include "winvol_backend.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_BOOT_PARTS 4

struct boot_parts {
	size_t n;
	unsigned number[MAX_BOOT_PARTS];
	char spec[MAX_BOOT_PARTS][300];
};

static const char *const bcd_paths[] = { "Boot/BCD", "EFI/Microsoft/Boot/BCD" };

/* None when TARGET is not a partition of a readable disk. */
static void boot_partitions(struct lb_win *win, struct boot_parts *out)
{
	char *disk_path = NULL;
	unsigned number = 0;
	struct lb_dev *dev = NULL;
	struct lb_disk *disk = NULL;
	out->n = 0;
	if (lb_dev_spec_locate(lb_winvol_target(win->vol), &disk_path, &number) < 0 ||
	    lb_dev_open(disk_path, LB_DEV_READ, &dev) < 0 || lb_disk_read(dev, &disk) < 0) {
		lb_error_clear();
		lb_dev_close(dev);
		free(disk_path);
		return;
	}
	lb_dev_close(dev);
	for (unsigned i = 0; i < disk->partition_count && out->n < MAX_BOOT_PARTS; i++) {
		const struct lb_partition *p = &disk->partitions[i];
		if (p->number == number || !(lb_partition_is_esp(disk, p) || p->bootable))
			continue;
		out->number[out->n] = p->number;
		snprintf(out->spec[out->n], sizeof out->spec[0], "%s:%u", disk_path, p->number);
		out->n++;
	}
	lb_disk_free(disk);
	free(disk_path);
}

static int each_on(struct lb_winvol *vol, const char *prefix, lb_win_bcd_fn fn, void *ctx, int *stores)
{
	int rc = 0;
	for (size_t i = 0; i < sizeof bcd_paths / sizeof *bcd_paths && rc == 0; i++) {
		if (!lb_winvol_exists(vol, bcd_paths[i]))
			continue;
		rc = fn(vol, bcd_paths[i], prefix, ctx);
		(*stores)++;
	}
	lb_error_clear();
	return rc;
}

int lb_win_each_bcd(struct lb_win *win, lb_win_bcd_fn fn, void *ctx, struct lb_strbuf *report, int *stores)
{
	struct boot_parts parts;
	*stores = 0;
	boot_partitions(win, &parts);
	int rc = each_on(win->vol, "", fn, ctx, stores);
	for (size_t i = 0; i < parts.n && rc == 0; i++) {
		struct lb_winvol *vol;
		char prefix[64];
		snprintf(prefix, sizeof prefix, "partition %u: ", parts.number[i]);
		if (lb_winvol_open(parts.spec[i], win->vol->writable ? LB_WINVOL_WRITE : LB_WINVOL_READ, &vol) < 0) {
			lb_strbuf_printf(report, "%scannot be read (%s): a BCD store there is not checked\n", prefix,
					 lb_error_message());
			lb_error_clear();
			continue;
		}
		rc = each_on(vol, prefix, fn, ctx, stores);
		int close_rc = lb_winvol_close(vol);
		rc = rc < 0 ? rc : close_rc;
	}
	return rc;
}
