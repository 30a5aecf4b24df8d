/* Builds and removes the run folder of a serving lifeboat-pxe. */
#include "runroot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lifeboat/error.h"

int runroot_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return lb_fail_errno(LB_E_IO, "cannot write %s", path);
	size_t len = strlen(text);
	ssize_t n = write(fd, text, len);
	int rc = n == (ssize_t)len ? 0 : lb_fail_errno(LB_E_IO, "cannot write %s", path);
	if (close(fd) != 0 && !rc)
		rc = lb_fail_errno(LB_E_IO, "cannot write %s", path);
	return rc;
}

/* The menus this run writes replace the tree's own. */
static int is_menu_dir(const char *name)
{
	return strcmp(name, "pxelinux.cfg") == 0 || strcmp(name, "grub") == 0;
}

/* A symlink in tftp/ for each entry of the tree (by absolute path). */
static int link_tree(const char *tree, const char *tftp)
{
	char abs_tree[PATH_MAX];
	if (!realpath(tree, abs_tree))
		return lb_fail_errno(LB_E_NOTFOUND, "tree %s", tree);
	DIR *d = opendir(abs_tree);
	if (!d)
		return lb_fail_errno(LB_E_IO, "cannot read the tree %s", tree);
	int rc = 0;
	struct dirent *e;
	while (!rc && (e = readdir(d))) {
		if (e->d_name[0] == '.' || is_menu_dir(e->d_name))
			continue;
		char target[PATH_MAX * 2], link[PATH_MAX * 2];
		snprintf(target, sizeof target, "%s/%s", abs_tree, e->d_name);
		snprintf(link, sizeof link, "%s/%s", tftp, e->d_name);
		if (symlink(target, link) != 0)
			rc = lb_fail_errno(LB_E_IO, "cannot link %s", link);
	}
	closedir(d);
	return rc;
}

/* Makes dir/sub/ and writes the file dir/sub/name. */
static int write_menu(const char *tftp, const char *sub, const char *name, const char *text)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", tftp, sub);
	if (mkdir(path, 0755) != 0)
		return lb_fail_errno(LB_E_IO, "cannot make %s", path);
	snprintf(path, sizeof path, "%s/%s/%s", tftp, sub, name);
	return runroot_write(path, text);
}

static int write_menus(const char *tftp, const struct menu_setup *menus)
{
	struct lb_strbuf pxelinux, grub;
	lb_strbuf_init(&pxelinux);
	lb_strbuf_init(&grub);
	menu_pxelinux(&pxelinux, menus);
	menu_grub(&grub, menus);
	int rc = write_menu(tftp, "pxelinux.cfg", "default", lb_strbuf_str(&pxelinux));
	if (!rc)
		rc = write_menu(tftp, "grub", "grub.cfg", lb_strbuf_str(&grub));
	lb_strbuf_free(&pxelinux);
	lb_strbuf_free(&grub);
	return rc;
}

int runroot_create(struct runroot *r, const char *tree, const struct menu_setup *menus)
{
	memset(r, 0, sizeof *r);
	const char *tmp = getenv("TMPDIR");
	if (asprintf(&r->dir, "%s/lifeboat-pxe.XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
		return lb_fail(LB_E_NOMEM, "out of memory");
	if (!mkdtemp(r->dir)) {
		int rc = lb_fail_errno(LB_E_IO, "cannot make a run folder in %s", tmp && *tmp ? tmp : "/tmp");
		free(r->dir);
		r->dir = NULL;
		return rc;
	}
	if (asprintf(&r->tftp, "%s/tftp", r->dir) < 0 || asprintf(&r->conf, "%s/dnsmasq.conf", r->dir) < 0 ||
	    asprintf(&r->leases, "%s/dnsmasq.leases", r->dir) < 0)
		return lb_fail(LB_E_NOMEM, "out of memory");
	if (chmod(r->dir, 0755) != 0 || mkdir(r->tftp, 0755) != 0)
		return lb_fail_errno(LB_E_IO, "cannot prepare the run folder %s", r->dir);
	int rc = link_tree(tree, r->tftp);
	if (!rc)
		rc = write_menus(r->tftp, menus);
	return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

void runroot_remove(struct runroot *r)
{
	if (r->dir)
		nftw(r->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(r->dir);
	free(r->tftp);
	free(r->conf);
	free(r->leases);
	memset(r, 0, sizeof *r);
}
