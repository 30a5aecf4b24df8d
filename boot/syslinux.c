/* syslinux for BIOS boot from a FAT partition inside a disk image: the
 * loader written by `syslinux --offset` (no loop device) and syslinux's
 * MBR boot code, which starts the active partition. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "boot.h"
#include "lifeboat/error.h"
#include "lifeboat/io.h"
#include "../builder/run.h"
#include "../builder/stage.h"

#define SYSLINUX_MBR "/usr/lib/syslinux/mbr/mbr.bin"
#define SYSLINUX_BIOS_MODULES "/usr/lib/syslinux/modules/bios"
#define MBR_CODE_BYTES 440

static const char *const menu_modules[] = { "ldlinux.c32", "libcom32.c32", "libutil.c32", "menu.c32", "chain.c32" };

int syslinux_modules_copy(const char *dir)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof menu_modules / sizeof *menu_modules; i++) {
		char *src = path_join(SYSLINUX_BIOS_MODULES, menu_modules[i]);
		char *dst = path_join(dir, menu_modules[i]);
		rc = stage_copy_file(src, dst, 0644);
		free(src);
		free(dst);
	}
	return rc ? lb_fail_context(rc, "syslinux modules (Debian package syslinux-common)") : 0;
}

static int write_mbr_code(const char *image)
{
	char code[MBR_CODE_BYTES];
	FILE *f = fopen(SYSLINUX_MBR, "rb");
	if (!f)
		return lb_fail_errno(LB_E_NOTFOUND, "%s (Debian package syslinux-common)", SYSLINUX_MBR);
	size_t n = fread(code, 1, sizeof code, f);
	fclose(f);
	if (n != sizeof code)
		return lb_fail(LB_E_INVALID, "%s is shorter than %d bytes", SYSLINUX_MBR, MBR_CODE_BYTES);
	struct lb_dev *dev;
	int rc = lb_dev_open(image, LB_DEV_WRITE, &dev);
	if (rc)
		return rc;
	rc = lb_dev_write(dev, code, sizeof code, 0);
	if (!rc)
		rc = lb_dev_flush(dev);
	lb_dev_close(dev);
	return rc;
}

int syslinux_install(const char *image, uint64_t offset)
{
	char off[32];
	snprintf(off, sizeof off, "%" PRIu64, offset);
	int rc = run_toolv(NULL, "syslinux", "--install", "--offset", off, "--directory", "/syslinux", image, NULL);
	if (!rc)
		rc = write_mbr_code(image);
	return rc;
}
