/* Devices as sysfs lists them under bus/<bus>/devices/: modalias, the
 * driver Linux bound (if any), and PCI identity values. */
#include "lifeboat/kmod.h"

#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lifeboat/error.h"
#include "kmod_internal.h"

bool kmod_pathf(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len) {
		out[0] = '\0';
		return false;
	}
	return true;
}

bool kmod_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	bool ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* Copies a sysfs hex value ("0x1af4") without its 0x into out. */
static void read_hex(const char *dir, const char *file, char *out, size_t len)
{
	char path[PATH_MAX], buf[32];
	kmod_pathf(path, sizeof path, "%s/%s", dir, file);
	out[0] = '\0';
	if (kmod_read_line(path, buf, sizeof buf))
		kmod_pathf(out, len, "%s", strncmp(buf, "0x", 2) == 0 ? buf + 2 : buf);
}

static int read_device(const char *bus, const char *dir, const char *name, struct lb_sys_device *d)
{
	char path[PATH_MAX], buf[1024];
	memset(d, 0, sizeof *d);
	kmod_pathf(path, sizeof path, "%s/modalias", dir);
	if (!kmod_read_line(path, buf, sizeof buf) || !*buf)
		return 0;
	d->bus = strdup(bus);
	d->name = strdup(name);
	d->modalias = strdup(buf);
	if (!d->bus || !d->name || !d->modalias)
		return lb_fail(LB_E_NOMEM, "out of memory");
	kmod_pathf(path, sizeof path, "%s/driver", dir);
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof target - 1);
	if (n > 0) {
		target[n] = '\0';
		const char *slash = strrchr(target, '/');
		if (!(d->driver = strdup(slash ? slash + 1 : target)))
			return lb_fail(LB_E_NOMEM, "out of memory");
	}
	if (strcmp(bus, "pci") == 0) {
		read_hex(dir, "vendor", d->vendor, sizeof d->vendor);
		read_hex(dir, "device", d->device, sizeof d->device);
		read_hex(dir, "subsystem_vendor", d->subsys_vendor, sizeof d->subsys_vendor);
		read_hex(dir, "subsystem_device", d->subsys_device, sizeof d->subsys_device);
		read_hex(dir, "revision", d->revision, sizeof d->revision);
		read_hex(dir, "class", d->class_code, sizeof d->class_code);
	}
	return 1;
}

static int compare_devices(const void *a, const void *b)
{
	const struct lb_sys_device *x = a, *y = b;
	int c = strcmp(x->bus, y->bus);
	return c ? c : strcmp(x->name, y->name);
}

static int scan_bus(const char *root, const char *bus, struct lb_sys_device **devs, size_t *n, size_t *cap)
{
	char dir[PATH_MAX];
	kmod_pathf(dir, sizeof dir, "%s/bus/%s/devices", root, bus);
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int rc = 0;
	struct dirent *e;
	while (rc >= 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[PATH_MAX];
		kmod_pathf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (drv_grow((void **)devs, cap, *n + 1, sizeof **devs) < 0) {
			rc = lb_fail(LB_E_NOMEM, "out of memory");
			break;
		}
		rc = read_device(bus, path, e->d_name, &(*devs)[*n]);
		if (rc != 0)
			(*n)++;
	}
	closedir(d);
	return rc < 0 ? rc : 0;
}

int lb_sysfs_devices(const char *sysfs_root, struct lb_sys_device **out, size_t *count)
{
	char dir[PATH_MAX];
	kmod_pathf(dir, sizeof dir, "%s/bus", sysfs_root);
	DIR *d = opendir(dir);
	if (!d)
		return lb_fail_errno(LB_E_IO, "%s", dir);
	struct lb_sys_device *devs = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)))
		if (e->d_name[0] != '.')
			rc = scan_bus(sysfs_root, e->d_name, &devs, &n, &cap);
	closedir(d);
	if (rc < 0) {
		lb_sysfs_devices_free(devs, n);
		return rc;
	}
	if (n)
		qsort(devs, n, sizeof *devs, compare_devices);
	*out = devs;
	*count = n;
	return 0;
}

void lb_sysfs_devices_free(struct lb_sys_device *devs, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(devs[i].bus);
		free(devs[i].name);
		free(devs[i].modalias);
		free(devs[i].driver);
	}
	free(devs);
}
