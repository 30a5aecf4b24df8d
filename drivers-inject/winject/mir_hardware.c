/* The hardware M.I.R. adapts to: a hardware list file ("pci VVVV:DDDD
 * SSSS:TTTT RR CCCCCC [driver]", "cpu VENDOR") for preparing on one machine
 * what boots on another, and the Windows PCI IDs of a device, best first
 * (Microsoft's "Identifiers for PCI Devices": four hardware IDs, then the
 * compatible IDs down to PCI\CC_ccss). */
#include "mir_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "../util/grow.h"

static bool hex_field(const char *s, size_t len)
{
	if (strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int parse_pci(const char *path, unsigned lineno, const char *line, struct lb_sys_device *d)
{
	char ids[32], sub[32], rev[8], cls[16], driver[64] = "";
	int n = sscanf(line, "pci %31s %31s %7s %15s %63s", ids, sub, rev, cls, driver);
	memset(d, 0, sizeof *d);
	if (n < 4 || strlen(ids) != 9 || ids[4] != ':' || strlen(sub) != 9 || sub[4] != ':' || !hex_field(rev, 2) ||
	    !hex_field(cls, 6))
		return lb_fail(LB_E_INVALID, "%s:%u: expected 'pci VVVV:DDDD SSSS:TTTT RR CCCCCC [driver]'", path, lineno);
	memcpy(d->vendor, ids, 4);
	memcpy(d->device, ids + 5, 4);
	memcpy(d->subsys_vendor, sub, 4);
	memcpy(d->subsys_device, sub + 5, 4);
	memcpy(d->revision, rev, 2);
	memcpy(d->class_code, cls, 6);
	if (!hex_field(d->vendor, 4) || !hex_field(d->device, 4) || !hex_field(d->subsys_vendor, 4) ||
	    !hex_field(d->subsys_device, 4))
		return lb_fail(LB_E_INVALID, "%s:%u: PCI IDs must be 4 hex digits", path, lineno);
	d->bus = strdup("pci");
	if (asprintf(&d->name, "line %u", lineno) < 0)
		d->name = NULL;
	if (asprintf(&d->modalias, "pci:v0000%sd0000%s", d->vendor, d->device) < 0)
		d->modalias = NULL;
	d->driver = *driver ? strdup(driver) : NULL;
	if (!d->bus || !d->name || !d->modalias || (*driver && !d->driver))
		return lb_fail(LB_E_NOMEM, "out of memory");
	return 0;
}

int lb_mir_read_hardware(const char *path, struct lb_sys_device **devices, size_t *count, char **cpu_vendor)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return lb_fail_errno(LB_E_IO, "%s", path);
	struct lb_sys_device *devs = NULL;
	size_t n = 0, cap = 0;
	char *line = NULL, vendor[64];
	size_t len = 0;
	unsigned lineno = 0;
	int rc = 0;
	*cpu_vendor = NULL;
	while (rc == 0 && getline(&line, &len, f) > 0) {
		lineno++;
		line[strcspn(line, "#\n")] = '\0';
		char *p = line + strspn(line, " \t");
		if (!*p)
			continue;
		if (strncmp(p, "cpu ", 4) == 0 && sscanf(p, "cpu %63s", vendor) == 1) {
			free(*cpu_vendor);
			if (!(*cpu_vendor = strdup(vendor)))
				rc = lb_fail(LB_E_NOMEM, "out of memory");
		} else if (strncmp(p, "pci ", 4) == 0) {
			if (drv_grow((void **)&devs, &cap, n + 1, sizeof *devs) < 0)
				rc = lb_fail(LB_E_NOMEM, "out of memory");
			else
				rc = parse_pci(path, lineno, p, &devs[n++]);
		} else {
			rc = lb_fail(LB_E_INVALID, "%s:%u: expected a 'pci' or 'cpu' line", path, lineno);
		}
	}
	free(line);
	fclose(f);
	if (rc < 0) {
		lb_sysfs_devices_free(devs, n);
		free(*cpu_vendor);
		*cpu_vendor = NULL;
		return rc;
	}
	*devices = devs;
	*count = n;
	return 0;
}

void mir_pci_ids(const struct lb_sys_device *d, char ids[MIR_PCI_IDS][64])
{
	char v[5], dv[5], sv[5], sd[5], r[3], c[7];
	const char *src[] = { d->vendor, d->device, d->subsys_vendor, d->subsys_device, d->revision, d->class_code };
	char *dst[] = { v, dv, sv, sd, r, c };
	size_t lens[] = { 4, 4, 4, 4, 2, 6 };
	for (size_t i = 0; i < 6; i++) {
		snprintf(dst[i], lens[i] + 1, "%s", src[i]);
		for (char *p = dst[i]; *p; p++)
			*p = (char)toupper((unsigned char)*p);
	}
	snprintf(ids[0], 64, "PCI\\VEN_%s&DEV_%s&SUBSYS_%s%s&REV_%s", v, dv, sd, sv, r);
	snprintf(ids[1], 64, "PCI\\VEN_%s&DEV_%s&SUBSYS_%s%s", v, dv, sd, sv);
	snprintf(ids[2], 64, "PCI\\VEN_%s&DEV_%s&CC_%s", v, dv, c);
	snprintf(ids[3], 64, "PCI\\VEN_%s&DEV_%s&CC_%.4s", v, dv, c);
	snprintf(ids[4], 64, "PCI\\VEN_%s&DEV_%s&REV_%s", v, dv, r);
	snprintf(ids[5], 64, "PCI\\VEN_%s&DEV_%s", v, dv);
	snprintf(ids[6], 64, "PCI\\VEN_%s&CC_%s", v, c);
	snprintf(ids[7], 64, "PCI\\VEN_%s&CC_%.4s", v, c);
	snprintf(ids[8], 64, "PCI\\VEN_%s", v);
	snprintf(ids[9], 64, "PCI\\CC_%s", c);
	snprintf(ids[10], 64, "PCI\\CC_%.4s", c);
}
