/* `lifeboat-build initramfs`: the rescue system as one compressed cpio —
 * busybox-static, the static lifeboat app, extra programs with their shared
 * libraries, glibc's gconv modules, the kernel-module closure, /init and its helpers from
 * iso-templates/, and the user's --add-files tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "lifeboat/error.h"
#include "lifeboat/version.h"
#include "rescue_root.h"
#include "run.h"
#include "stage.h"

static const char *const root_dirs[] = {
	"bin", "sbin", "usr/bin", "usr/sbin", "lib", "lib64", "proc", "sys", "dev",
	"run", "tmp", "etc/lifeboat", "mnt", "root", "var/log", "usr/share/keymaps",
};

/* kmod's front ends; made before busybox's links so kmod wins. */
static const char *const kmod_links[] = { "modprobe", "insmod", "rmmod", "lsmod", "modinfo", "depmod" };

static int install_busybox(const char *root, struct lb_strbuf *copied)
{
	char *busybox = program_find("busybox");
	if (!busybox)
		return lb_fail(LB_E_NOTFOUND, "busybox is not installed (Debian package busybox-static)");
	int rc = program_install(busybox, root, copied);
	char *dst = path_join(root, "bin/busybox");
	if (!rc && strcmp(busybox, "/bin/busybox") != 0)
		rc = stage_copy_file(busybox, dst, 0755);
	struct lb_strbuf applets;
	lb_strbuf_init(&applets);
	if (!rc)
		rc = run_toolv(&(struct run_io){ .out = &applets }, busybox, "--list-full", NULL);
	char *save = NULL;
	for (char *a = rc ? NULL : strtok_r(applets.data, "\n", &save); !rc && a; a = strtok_r(NULL, "\n", &save)) {
		char *link = path_join(root, a);
		if (access(link, F_OK) != 0)
			rc = stage_symlink("/bin/busybox", link);
		free(link);
	}
	lb_strbuf_free(&applets);
	free(dst);
	free(busybox);
	return rc;
}

struct tool_target {
	const char *root;
	struct lb_strbuf *copied;
};

static int install_tool(const char *name, void *ctx)
{
	const struct tool_target *t = ctx;
	char *path = program_find(name);
	int rc = 0;
	if (path)
		rc = program_install(path, t->root, t->copied);
	else
		lb_warn("program %s is not installed on this machine; left out", name);
	free(path);
	return rc;
}

static int install_tools(const struct build_config *cfg, const char *root, struct lb_strbuf *copied)
{
	int rc = template_each_word(cfg, "tools.list", install_tool, &(struct tool_target){ root, copied });
	char *kmod = program_find("kmod");
	for (size_t i = 0; !rc && kmod && i < sizeof kmod_links / sizeof *kmod_links; i++) {
		char *link = xasprintf("%s/sbin/%s", root, kmod_links[i]);
		rc = stage_symlink(kmod, link);
		free(link);
	}
	free(kmod);
	return rc;
}

/* Terminal descriptions for the TUI on the screen (linux), serial lines
 * (vt100/vt102/vt220) and terminals of a remote shell; from ncurses-base. */
static const char *const terminfo_entries[] = {
	"l/linux", "v/vt100", "v/vt102", "v/vt220", "x/xterm", "x/xterm-256color", "s/screen", "d/dumb",
};

static int install_terminfo(const char *root)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof terminfo_entries / sizeof *terminfo_entries; i++) {
		char *src = xasprintf("/lib/terminfo/%s", terminfo_entries[i]);
		char *dst = xasprintf("%s/lib/terminfo/%s", root, terminfo_entries[i]);
		char *dir = xasprintf("%s/lib/terminfo/%c", root, terminfo_entries[i][0]);
		if (access(src, R_OK) != 0)
			rc = lb_fail_errno(LB_E_NOTFOUND, "terminal description %s (Debian package ncurses-base)", src);
		if (!rc)
			rc = stage_mkdir_p(dir);
		if (!rc)
			rc = stage_copy_file(src, dst, 0644);
		free(dir);
		free(dst);
		free(src);
	}
	return rc;
}

static int install_app(const struct build_config *cfg, const char *root)
{
	if (access(cfg->app, X_OK) != 0)
		return lb_fail_errno(LB_E_NOTFOUND, "the rescue app %s", cfg->app);
	char *dst = path_join(root, "bin/lifeboat");
	int rc = stage_copy_file(cfg->app, dst, 0755);
	free(dst);
	return rc;
}

static int install_modules(const struct build_config *cfg, const char *root)
{
	struct lb_strbuf names;
	lb_strbuf_init(&names);
	int rc = template_words(cfg, "modules.list", &names);
	if (!rc)
		rc = modules_install(cfg, root, lb_strbuf_str(&names));
	lb_strbuf_free(&names);
	return rc;
}

static int install_scripts(const struct build_config *cfg, const char *root)
{
	const struct template_var vars[] = {
		{ "LIFEBOAT_VERSION", lb_version() },
		{ "KERNEL_VERSION", cfg->kernel_version },
		{ NULL, NULL },
	};
	static const struct {
		const char *name, *dst;
		unsigned mode;
	} scripts[] = {
		{ "init", "init", 0755 },
		{ "console", "lib/lifeboat/console", 0755 },
		{ "udhcpc.script", "usr/share/udhcpc/default.script", 0755 },
		{ "banner", "etc/lifeboat/banner", 0644 },
	};
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof scripts / sizeof *scripts; i++) {
		char *dst = path_join(root, scripts[i].dst);
		rc = template_write(cfg, scripts[i].name, vars, dst, scripts[i].mode);
		free(dst);
	}
	return rc;
}

/* Packs root into a newc cpio (owner root, fixed times) and compresses it. */
static int pack(const struct build_config *cfg, const char *root, const char *work, const char *out)
{
	struct lb_strbuf list;
	lb_strbuf_init(&list);
	char *cpio = path_join(work, "initramfs.cpio");
	int rc = stage_set_times(root, cfg->epoch);
	if (!rc)
		rc = stage_list(root, &list);
	if (!rc)
		rc = run_toolv(&(struct run_io){ .stdin_text = lb_strbuf_str(&list), .stdout_file = cpio, .cwd = root },
			       "cpio", "--quiet", "-o", "-H", "newc", "-R", "0:0", "--reproducible", NULL);
	if (!rc && strcmp(cfg->compress, "xz") == 0)
		rc = run_toolv(&(struct run_io){ .stdout_file = out }, "xz", "-9", "-T0", "--check=crc32", "-c", cpio, NULL);
	else if (!rc)
		rc = run_toolv(NULL, "zstd", "-q", "-12", "-T0", "-f", "-o", out, cpio, NULL);
	lb_strbuf_free(&list);
	free(cpio);
	return rc;
}

int initramfs_make(struct build_config *cfg, const char *path)
{
	if (cfg->initrd)
		return stage_copy_file(cfg->initrd, path, 0644);
	char *work = NULL;
	int rc = stage_create("initramfs", &work);
	if (rc)
		return rc;
	char *root = path_join(work, "root");
	struct lb_strbuf copied;
	lb_strbuf_init(&copied);
	for (size_t i = 0; !rc && i < sizeof root_dirs / sizeof *root_dirs; i++) {
		char *dir = path_join(root, root_dirs[i]);
		rc = stage_mkdir_p(dir);
		free(dir);
	}
	if (!rc)
		rc = install_modules(cfg, root);
	if (!rc)
		rc = install_app(cfg, root);
	if (!rc)
		rc = install_terminfo(root);
	if (!rc)
		rc = keymaps_install(cfg, root);
	if (!rc)
		rc = install_tools(cfg, root, &copied);
	if (!rc)
		rc = install_busybox(root, &copied);
	if (!rc)
		rc = gconv_install(root, &copied);
	if (!rc)
		rc = install_scripts(cfg, root);
	if (!rc && cfg->add_files)
		rc = stage_copy_tree(cfg->add_files, root);
	if (!rc)
		rc = pack(cfg, root, work, path);
	lb_strbuf_free(&copied);
	stage_remove(work);
	free(root);
	free(work);
	return rc;
}

int build_initramfs(struct build_config *cfg)
{
	char *work = NULL;
	int rc = stage_create("out", &work);
	if (rc)
		return rc;
	char *tmp = path_join(work, "initrd");
	rc = initramfs_make(cfg, tmp);
	if (!rc)
		rc = output_install(tmp, cfg->output);
	stage_remove(work);
	free(tmp);
	free(work);
	return rc;
}
