/* lifeboat-build: makes the rescue media. One entry of build_outputs per
 * output kind; this file parses the shared options, finds the kernel, and
 * turns a failure into one "lifeboat-build: ..." line. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "lifeboat/error.h"
#include "lifeboat/version.h"
#include "stage.h"

const struct build_output build_outputs[] = {
	{ "initramfs", "the rescue system as a compressed cpio",
	  "Usage: lifeboat-build initramfs -o FILE [--kernel VMLINUZ] [--modules-dir DIR]\n"
	  "         [--app LIFEBOAT] [--add-modules DIR] [--add-files DIR] [--compress zstd|xz]\n",
	  build_initramfs },
	{ "iso", "a hybrid ISO for CD and USB, BIOS and UEFI with Secure Boot",
	  "Usage: lifeboat-build iso -o FILE [--layout mbr|debian|gpt] [--timeout SECONDS]\n"
	  "         [--append ARGS] [--initrd FILE] [--efi-dir DIR] [initramfs options]\n",
	  build_iso },
	{ "usb", "a writable FAT32 stick (image file or device)",
	  "Usage: lifeboat-build usb -o FILE [--size SIZE] | --device /dev/sdX [--yes]\n"
	  "         [--timeout SECONDS] [--append ARGS] [--initrd FILE] [initramfs options]\n",
	  build_usb },
	{ "recovery", "a Lifeboat partition added to a disk's free space (or --update/--remove/--reboot-into)",
	  "Usage: lifeboat-build recovery --disk DISK [--size SIZE] [--yes] [--timeout SECONDS]\n"
	  "         [--append ARGS] [--initrd FILE] [--efi-dir DIR] [initramfs options]\n"
	  "       lifeboat-build recovery --disk DISK --update [--initrd FILE] [--efi-dir DIR]\n"
	  "       lifeboat-build recovery --disk DISK --remove [--yes]\n"
	  "       lifeboat-build recovery --disk DISK --reboot-into\n",
	  build_recovery },
	{ "verify", "report the boot chain of a medium lifeboat-build made",
	  "Usage: lifeboat-build verify ISO|STICK-IMAGE|DISK\n",
	  build_verify },
	{ "pxe", "a network boot tree (TFTP/HTTP) for lifeboat-pxe or any DHCP/TFTP server",
	  "Usage: lifeboat-build pxe -o DIR [--timeout SECONDS] [--append ARGS] [--initrd FILE]\n"
	  "         [--efi-dir DIR] [initramfs options]\n",
	  build_pxe },
	{ 0 },
};

static void print_overview(FILE *out)
{
	fprintf(out, "Usage: lifeboat-build OUTPUT [OPTIONS]\n\nOutputs:\n");
	for (const struct build_output *o = build_outputs; o->name; o++)
		fprintf(out, "  %-10s %s\n", o->name, o->summary);
	fprintf(out, "\nCommon options: --kernel VMLINUZ, --app LIFEBOAT, --templates DIR.\n"
		     "SOURCE_DATE_EPOCH makes the output reproducible.\n");
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "lifeboat-build: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (try 'lifeboat-build --help')\n");
	return 2;
}

static int parse_size(const char *text, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || end == text || *text == '-')
		return -1;
	int shift = 0;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	case '\0': break;
	default: return -1;
	}
	if (*end == 'i')
		end++;
	if (*end == 'B')
		end++;
	if (*end || v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

enum { OPT_KERNEL = 256, OPT_MODULES_DIR, OPT_APP, OPT_TEMPLATES, OPT_ADD_MODULES, OPT_ADD_FILES,
       OPT_COMPRESS, OPT_APPEND, OPT_INITRD, OPT_EFI_DIR, OPT_LAYOUT, OPT_DEVICE, OPT_DISK,
       OPT_SIZE, OPT_TIMEOUT, OPT_UPDATE, OPT_REMOVE, OPT_REBOOT_INTO };

static const struct option long_options[] = {
	{ "output", required_argument, 0, 'o' },
	{ "kernel", required_argument, 0, OPT_KERNEL },
	{ "modules-dir", required_argument, 0, OPT_MODULES_DIR },
	{ "app", required_argument, 0, OPT_APP },
	{ "templates", required_argument, 0, OPT_TEMPLATES },
	{ "add-modules", required_argument, 0, OPT_ADD_MODULES },
	{ "add-files", required_argument, 0, OPT_ADD_FILES },
	{ "compress", required_argument, 0, OPT_COMPRESS },
	{ "append", required_argument, 0, OPT_APPEND },
	{ "initrd", required_argument, 0, OPT_INITRD },
	{ "efi-dir", required_argument, 0, OPT_EFI_DIR },
	{ "layout", required_argument, 0, OPT_LAYOUT },
	{ "device", required_argument, 0, OPT_DEVICE },
	{ "disk", required_argument, 0, OPT_DISK },
	{ "size", required_argument, 0, OPT_SIZE },
	{ "timeout", required_argument, 0, OPT_TIMEOUT },
	{ "update", no_argument, 0, OPT_UPDATE },
	{ "remove", no_argument, 0, OPT_REMOVE },
	{ "reboot-into", no_argument, 0, OPT_REBOOT_INTO },
	{ "yes", no_argument, 0, 'y' },
	{ 0, 0, 0, 0 },
};

/* Applies one option to cfg; 0, or 2 after printing a usage error. */
static int apply_option(struct build_config *cfg, int c, const char *arg)
{
	switch (c) {
	case 'o': cfg->output = arg; break;
	case 'y': cfg->assume_yes = true; break;
	case OPT_KERNEL: cfg->kernel = arg; break;
	case OPT_MODULES_DIR:
		free(cfg->modules_dir);
		cfg->modules_dir = xasprintf("%s", arg);
		break;
	case OPT_APP: cfg->app = arg; break;
	case OPT_TEMPLATES: cfg->templates = arg; break;
	case OPT_ADD_MODULES: cfg->add_modules = arg; break;
	case OPT_ADD_FILES: cfg->add_files = arg; break;
	case OPT_APPEND: cfg->append = arg; break;
	case OPT_INITRD: cfg->initrd = arg; break;
	case OPT_EFI_DIR: cfg->efi_dir = arg; break;
	case OPT_DEVICE: cfg->device = arg; break;
	case OPT_DISK: cfg->disk = arg; break;
	case OPT_UPDATE: cfg->action = "update"; break;
	case OPT_REMOVE: cfg->action = "remove"; break;
	case OPT_REBOOT_INTO: cfg->action = "reboot-into"; break;
	case OPT_COMPRESS:
		if (strcmp(arg, "zstd") != 0 && strcmp(arg, "xz") != 0)
			return usage_error("--compress takes zstd or xz, not '%s'", arg);
		cfg->compress = arg;
		break;
	case OPT_LAYOUT:
		if (strcmp(arg, "mbr") != 0 && strcmp(arg, "debian") != 0 && strcmp(arg, "gpt") != 0)
			return usage_error("--layout takes mbr, debian or gpt, not '%s'", arg);
		cfg->layout = arg;
		break;
	case OPT_SIZE:
		if (parse_size(arg, &cfg->size_bytes) != 0 || cfg->size_bytes == 0)
			return usage_error("--size takes a size such as 512M or 2G, not '%s'", arg);
		break;
	case OPT_TIMEOUT: {
		char *end;
		long t = strtol(arg, &end, 10);
		if (*end || t < 1 || t > 600)
			return usage_error("--timeout takes 1 to 600 seconds, not '%s'", arg);
		cfg->timeout = (int)t;
		break;
	}
	default:
		return 2;
	}
	return 0;
}

/* The newest /boot/vmlinuz-VERSION, by version order. */
static char *newest_kernel(void)
{
	DIR *d = opendir("/boot");
	char *best = NULL;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, "vmlinuz-", 8) != 0)
			continue;
		if (!best || strverscmp(e->d_name, best) > 0) {
			free(best);
			best = xasprintf("%s", e->d_name);
		}
	}
	if (d)
		closedir(d);
	char *path = best ? path_join("/boot", best) : NULL;
	free(best);
	return path;
}

static int resolve_kernel(struct build_config *cfg)
{
	if (!cfg->kernel) {
		char *k = newest_kernel();
		if (!k)
			return lb_fail(LB_E_NOTFOUND, "no kernel in /boot (install linux-image-amd64 or give --kernel)");
		cfg->kernel = cfg->kernel_found = k;
	}
	if (access(cfg->kernel, R_OK) != 0)
		return lb_fail_errno(LB_E_NOTFOUND, "kernel %s", cfg->kernel);
	const char *base = strrchr(cfg->kernel, '/');
	base = base ? base + 1 : cfg->kernel;
	if (strncmp(base, "vmlinuz-", 8) != 0)
		return lb_fail(LB_E_INVALID, "kernel %s: its name must be vmlinuz-VERSION to find its modules", cfg->kernel);
	cfg->kernel_version = xasprintf("%s", base + 8);
	if (!cfg->modules_dir)
		cfg->modules_dir = xasprintf("/lib/modules/%s", cfg->kernel_version);
	return 0;
}

static void set_defaults(struct build_config *cfg)
{
	cfg->app = LIFEBOAT_DEFAULT_APP;
	cfg->templates = getenv("LIFEBOAT_TEMPLATES") ? getenv("LIFEBOAT_TEMPLATES") : LIFEBOAT_TEMPLATES_DIR;
	cfg->compress = "zstd";
	cfg->append = "";
	cfg->layout = "mbr";
	cfg->timeout = 5;
	cfg->action = "add";
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	cfg->reproducible = sde && *sde;
	cfg->epoch = cfg->reproducible ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
}

static void config_free(struct build_config *cfg)
{
	free(cfg->kernel_found);
	free(cfg->kernel_version);
	free(cfg->modules_dir);
}

static void print_warnings(void)
{
	char **warnings;
	int n = lb_warnings_take(&warnings);
	for (int i = 0; i < n; i++)
		fprintf(stderr, "lifeboat-build: warning: %s\n", warnings[i]);
	if (n > 0)
		lb_warnings_free(warnings, n);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_overview(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_overview(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("lifeboat-build %s\n", lb_version());
		return 0;
	}
	const struct build_output *out = build_outputs;
	while (out->name && strcmp(out->name, argv[1]) != 0)
		out++;
	if (!out->name)
		return usage_error("no such output '%s'", argv[1]);

	struct build_config cfg = { 0 };
	set_defaults(&cfg);
	int c, ac = argc - 1;
	char **av = argv + 1;
	opterr = 0;
	while ((c = getopt_long(ac, av, "+o:yh", long_options, NULL)) != -1) {
		if (c == 'h') {
			fputs(out->usage, stdout);
			return 0;
		}
		if (c == '?' || apply_option(&cfg, c, optarg) != 0) {
			config_free(&cfg);
			return c == '?' ? usage_error("unknown or incomplete option '%s'", av[optind - 1]) : 2;
		}
	}
	cfg.argc = ac - optind;
	cfg.argv = av + optind;
	bool needs_output = strcmp(out->name, "verify") != 0 && strcmp(out->name, "recovery") != 0 && !cfg.device;
	if (needs_output && !cfg.output) {
		config_free(&cfg);
		return usage_error("%s needs -o FILE", out->name);
	}
	bool needs_kernel = strcmp(out->name, "verify") != 0 && strcmp(cfg.action, "reboot-into") != 0 &&
			    strcmp(cfg.action, "remove") != 0;
	int rc = needs_kernel ? resolve_kernel(&cfg) : 0;
	if (!rc)
		rc = out->run(&cfg);
	print_warnings();
	if (rc < 0)
		fprintf(stderr, "lifeboat-build: %s\n", lb_error_message());
	config_free(&cfg);
	return rc == 0 ? 0 : rc == LB_E_USAGE ? 2 : 1;
}
