/* `lifeboat-build pxe`: the network boot tree lifeboat-pxe serves (boot-media
 * study §8.1), usable with any DHCP/TFTP server as well:
 *   pxelinux.0 (lpxelinux: TFTP and HTTP), ldlinux.c32 and the menu modules,
 *   pxelinux.cfg/default, bootx64.efi (shim), mmx64.efi, grubx64.efi
 *   (Debian's signed network GRUB, prefix /grub), grub/grub.cfg,
 *   live/vmlinuz, live/initrd.
 * The tree is world-readable (dnsmasq's TFTP runs as nobody). An existing
 * output folder is replaced only when it is a tree this output made. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lifeboat/error.h"
#include "media.h"
#include "stage.h"

#define LPXELINUX "/usr/lib/PXELINUX/lpxelinux.0"
#define GRUB_NET "/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed"
#define TREE_MARK ".lifeboat-pxe-tree"

/* The signed network GRUB (from --efi-dir as grubnetx64.efi), checked like
 * the rest of the chain: signed, SBAT not below shim's revocation level. */
static int grub_net_find(const struct build_config *cfg, const struct efi_chain *chain, char **out)
{
	char *path = cfg->efi_dir ? path_join(cfg->efi_dir, "grubnetx64.efi") : xasprintf("%s", GRUB_NET);
	struct lb_strbuf levels, csv;
	lb_strbuf_init(&levels);
	lb_strbuf_init(&csv);
	int rc = 0;
	if (access(path, R_OK) != 0)
		rc = lb_fail(LB_E_NOTFOUND, "signed boot file %s is missing (Debian package grub-efi-amd64-signed)", path);
	else if (efi_signature(path, NULL) != 1)
		rc = lb_fail(LB_E_REFUSED, "%s is not signed: Secure Boot firmware would refuse it", path);
	if (!rc)
		rc = sbat_shim_level(chain->shim, &levels);
	if (!rc)
		rc = efi_sbat(path, &csv);
	if (!rc)
		rc = sbat_check(path, lb_strbuf_str(&csv), lb_strbuf_str(&levels));
	lb_strbuf_free(&levels);
	lb_strbuf_free(&csv);
	if (rc)
		free(path);
	else
		*out = path;
	return rc;
}

static int stage_pxe_files(struct build_config *cfg, const struct efi_chain *chain, const char *grub_net,
			   const char *tree)
{
	const struct {
		const char *src, *name;
	} files[] = {
		{ LPXELINUX, "pxelinux.0" },
		{ chain->shim, "bootx64.efi" },
		{ chain->mokmanager, "mmx64.efi" },
		{ grub_net, "grubx64.efi" },
	};
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof files / sizeof *files; i++) {
		char *dst = path_join(tree, files[i].name);
		rc = stage_copy_file(files[i].src, dst, 0644);
		if (rc && i == 0)
			rc = lb_fail_context(rc, "lpxelinux (Debian package pxelinux)");
		free(dst);
	}
	char *grub_cfg = path_join(tree, "grub/grub.cfg");
	char *pxelinux_cfg = path_join(tree, "pxelinux.cfg/default");
	char *mark = path_join(tree, TREE_MARK);
	if (!rc)
		rc = syslinux_modules_copy(tree);
	if (!rc)
		rc = menus_write(cfg, grub_cfg, pxelinux_cfg, "/live/vmlinuz", "/live/initrd");
	if (!rc)
		rc = stage_write_file(mark, "made by lifeboat-build pxe\n", 0644);
	if (!rc)
		rc = payload_install(cfg, tree, "live/vmlinuz", "live/initrd");
	free(grub_cfg);
	free(pxelinux_cfg);
	free(mark);
	return rc;
}

/* Refuses an output folder that exists and is not an earlier tree. */
static int output_check(const char *output)
{
	struct stat st;
	if (stat(output, &st) != 0)
		return errno == ENOENT ? 0 : lb_fail_errno(LB_E_IO, "%s", output);
	char *mark = path_join(output, TREE_MARK);
	int ours = S_ISDIR(st.st_mode) && access(mark, F_OK) == 0;
	free(mark);
	return ours ? 0 : lb_fail(LB_E_REFUSED, "%s exists and is not a tree made by lifeboat-build pxe; "
				  "remove it or choose another -o", output);
}

/* Copies the staged tree next to the output, then swaps it in. */
static int tree_install(const char *tree, const char *output)
{
	char *partial = xasprintf("%s.partial-%d", output, (int)getpid());
	char *old = xasprintf("%s.old-%d", output, (int)getpid());
	int rc = stage_copy_tree(tree, partial);
	if (!rc && chmod(partial, 0755) != 0)
		rc = lb_fail_errno(LB_E_IO, "cannot write %s", partial);
	int had_old = !rc && rename(output, old) == 0;
	if (!rc && rename(partial, output) != 0) {
		rc = lb_fail_errno(LB_E_IO, "cannot write %s", output);
		if (had_old)
			rename(old, output);
	}
	if (rc)
		stage_remove(partial);
	else if (had_old)
		stage_remove(old);
	free(partial);
	free(old);
	return rc;
}

int build_pxe(struct build_config *cfg)
{
	struct efi_chain chain = { 0 };
	char *grub_net = NULL, *work = NULL;
	int rc = output_check(cfg->output);
	if (!rc)
		rc = chain_prepare(cfg, &chain);
	if (!rc)
		rc = grub_net_find(cfg, &chain, &grub_net);
	if (!rc)
		rc = stage_create("pxe", &work);
	char *tree = work ? path_join(work, "tree") : NULL;
	if (!rc)
		rc = stage_pxe_files(cfg, &chain, grub_net, tree);
	if (!rc)
		rc = stage_set_times(tree, cfg->epoch);
	if (!rc)
		rc = tree_install(tree, cfg->output);
	if (work)
		stage_remove(work);
	efi_chain_free(&chain);
	free(grub_net);
	free(tree);
	free(work);
	return rc;
}
