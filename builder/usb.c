/* `lifeboat-build usb`: a writable FAT32 stick that Windows can open and
 * edit — MBR with one bootable FAT32 partition (label LIFEBOAT) holding
 * syslinux for BIOS, shim -> signed GRUB for UEFI with Secure Boot, the
 * kernel and initramfs, lifeboat.cfg, logs/ and images/. Written into an
 * image file or straight to a block device, with sfdisk, mkfs.vfat
 * --offset, mtools and syslinux --offset: no loop device, no mount. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device.h"
#include "lifeboat/error.h"
#include "media.h"
#include "run.h"
#include "stage.h"

#define USB_PART_OFFSET (1u << 20)
#define USB_DEFAULT_SIZE (1024ull << 20)
#define USB_MIN_SIZE (64ull << 20)

struct usb_job {
	struct build_config *cfg;
	struct efi_chain chain;
	char *work, *tree, *target;
	uint64_t size;
	char uuid[37];
};

static int stage_usb_files(struct usb_job *job)
{
	const struct build_config *cfg = job->cfg;
	char *tag = xasprintf("/.disk/id/%s", job->uuid);
	char *tag_file = path_join(job->tree, tag);
	char *search_cfg = path_join(job->tree, "EFI/debian/grub.cfg");
	char *grub_cfg = path_join(job->tree, "boot/grub/grub.cfg");
	char *syslinux_dir = path_join(job->tree, "syslinux");
	char *syslinux_cfg = path_join(syslinux_dir, "syslinux.cfg");
	char *settings = path_join(job->tree, "lifeboat.cfg");
	char *logs = path_join(job->tree, "logs");
	char *images = path_join(job->tree, "images");
	const struct template_var vars[] = { { "TAG", tag }, { NULL, NULL } };
	int rc = stage_write_file(tag_file, "", 0644);
	if (!rc)
		rc = chain_install(&job->chain, job->chain.grub_disk, job->tree, "EFI/BOOT", 1);
	if (!rc)
		rc = template_write(cfg, "grub-search.cfg", vars, search_cfg, 0644);
	if (!rc)
		rc = menus_write(cfg, grub_cfg, syslinux_cfg, "/live/vmlinuz", "/live/initrd");
	if (!rc)
		rc = syslinux_modules_copy(syslinux_dir);
	if (!rc)
		rc = template_write(cfg, "lifeboat.cfg", NULL, settings, 0644);
	if (!rc)
		rc = stage_mkdir_p(logs);
	if (!rc)
		rc = stage_mkdir_p(images);
	free(tag);
	free(tag_file);
	free(search_cfg);
	free(grub_cfg);
	free(syslinux_dir);
	free(syslinux_cfg);
	free(settings);
	free(logs);
	free(images);
	return rc;
}

/* One bootable FAT32 (LBA) partition from 1 MiB to the end. */
static int write_table(struct usb_job *job)
{
	char *script = xasprintf("label: dos\nlabel-id: 0x%.8s\nstart=2048, type=c, bootable\n", job->uuid);
	int rc = run_toolv(&(struct run_io){ .stdin_text = script }, "sfdisk", "-q", "--no-reread", "--no-tell-kernel",
			   "-w", "always", "-W", "always", job->target, NULL);
	free(script);
	return rc;
}

static int write_stick(struct usb_job *job)
{
	unsigned volume_id = 0;
	sscanf(job->uuid, "%8x", &volume_id);
	struct fat_spec fat = {
		.image = job->target, .offset = USB_PART_OFFSET, .size = job->size - USB_PART_OFFSET,
		.fat_bits = 32, .label = "LIFEBOAT", .volume_id = volume_id,
	};
	int rc = write_table(job);
	if (!rc)
		rc = fat_format(&fat);
	if (!rc)
		rc = fat_copy_tree(&fat, job->tree);
	if (!rc)
		rc = syslinux_install(job->target, USB_PART_OFFSET);
	if (!rc)
		rc = fat32_copy_boot_sector(job->target, USB_PART_OFFSET);
	return rc;
}

/* An image file of job->size bytes (sparse) next to the output. */
static int create_image(struct usb_job *job)
{
	int fd = open(job->target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return lb_fail_errno(LB_E_IO, "cannot create %s", job->target);
	int rc = ftruncate(fd, (off_t)job->size) == 0 ? 0 : lb_fail_errno(LB_E_IO, "cannot size %s", job->target);
	close(fd);
	return rc;
}

static int usb_make(struct usb_job *job)
{
	struct build_config *cfg = job->cfg;
	int rc = 0;
	if (cfg->device) {
		rc = device_claim(cfg->device, cfg->assume_yes, &job->size);
		job->target = xasprintf("%s", cfg->device);
	} else {
		job->size = cfg->size_bytes ? cfg->size_bytes : USB_DEFAULT_SIZE;
		job->target = xasprintf("%s.partial-%d", cfg->output, (int)getpid());
	}
	if (!rc && job->size < USB_MIN_SIZE)
		rc = lb_fail(LB_E_INVALID, "a stick needs at least %llu MiB", USB_MIN_SIZE >> 20);
	if (!rc)
		rc = chain_prepare(cfg, &job->chain);
	if (!rc)
		rc = stage_create("usb", &job->work);
	if (rc)
		return rc;
	job->tree = path_join(job->work, "tree");
	char *kernel = path_join(job->tree, "live/vmlinuz");
	char *initrd = path_join(job->tree, "live/initrd");
	rc = payload_install(cfg, job->tree, "live/vmlinuz", "live/initrd");
	if (!rc)
		rc = medium_id(cfg, kernel, initrd, job->uuid);
	if (!rc)
		rc = stage_usb_files(job);
	if (!rc)
		rc = stage_set_times(job->tree, cfg->epoch);
	if (!rc && !cfg->device)
		rc = create_image(job);
	if (!rc)
		rc = write_stick(job);
	if (!cfg->device) {
		if (!rc && rename(job->target, cfg->output) != 0)
			rc = lb_fail_errno(LB_E_IO, "cannot write %s", cfg->output);
		if (rc)
			unlink(job->target);
	}
	free(kernel);
	free(initrd);
	return rc;
}

int build_usb(struct build_config *cfg)
{
	struct usb_job job = { .cfg = cfg };
	int rc = usb_make(&job);
	stage_remove(job.work);
	efi_chain_free(&job.chain);
	free(job.work);
	free(job.tree);
	free(job.target);
	return rc;
}
