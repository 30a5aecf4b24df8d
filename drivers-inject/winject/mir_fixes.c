/* The registry side of M.I.R. beyond injection, in every control set
 * Windows may boot: enabling an inbox storage driver (Start=0, and on
 * Windows 8+ deleting Services\<svc>\StartOverride), dropping storage-class
 * LowerFilters/UpperFilters entries that name a driver that cannot load,
 * disabling the processor driver of the other CPU vendor (intelppm/amdppm),
 * and CrashControl\AutoReboot=0 so a stop code stays on screen. */
#include "mir_internal.h"
#include "mir_fixes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifeboat/error.h"

/* Storage classes whose filters can stop a boot: DiskDrive, SCSIAdapter, HDC. */
static const char *const storage_classes[] = {
	"{4d36e967-e325-11ce-bfc1-08002be10318}",
	"{4d36e97b-e325-11ce-bfc1-08002be10318}",
	"{4d36e96a-e325-11ce-bfc1-08002be10318}",
};

int mir_enable_service(struct regedit *rx, uint32_t set, const char *svc)
{
	char key[300];
	snprintf(key, sizeof key, "ControlSet%03u\\Services\\%s", set, svc);
	int rc = rx_set_dword(rx, key, "Start", 0);
	snprintf(key, sizeof key, "ControlSet%03u\\Services\\%s\\StartOverride", set, svc);
	return rc < 0 ? rc : rx_delete_key(rx, key);
}

/* Rewrites one filter list without the drivers that cannot load. */
static int clean_filter(struct regedit *rx, struct lb_win *win, uint32_t set, const char *key, const char *value)
{
	hive_node_h node = lb_hive_find(rx->hive, key);
	uint32_t type;
	uint8_t *data = NULL;
	size_t len;
	if (!node || lb_hive_get_value(rx->hive, node, value, &type, &data, &len) < 0 || type != LB_REG_MULTI_SZ) {
		free(data);
		lb_error_clear();
		return 0;
	}
	struct lb_strbuf kept;
	lb_strbuf_init(&kept);
	lb_strbuf_append(&kept, "", 0);
	bool dropped = false;
	for (size_t i = 0; i + 1 < len;) {
		char name[256];
		size_t n = 0;
		while (i + 1 < len && (data[i] || data[i + 1])) {
			if (n + 1 < sizeof name)
				name[n++] = (char)data[i];
			i += 2;
		}
		i += 2;
		name[n] = '\0';
		if (!n)
			continue;
		const char *why;
		if (mir_service_loadable(win, rx->hive, set, name, &why)) {
			lb_strbuf_printf(&kept, "%s%s", kept.len ? "\n" : "", name);
		} else {
			dropped = true;
			lb_strbuf_printf(rx->report, "stale filter %s in %s\\%s: %s, removed\n", name, key, value, why);
		}
	}
	free(data);
	int rc = 0;
	if (dropped)
		rc = kept.len ? rx_set_string(rx, key, value, LB_REG_MULTI_SZ, kept.data) : rx_delete_value(rx, key, value);
	lb_strbuf_free(&kept);
	return rc;
}

int mir_clean_filters(struct regedit *rx, struct lb_win *win, uint32_t set)
{
	int rc = 0;
	for (size_t c = 0; c < sizeof storage_classes / sizeof storage_classes[0] && rc == 0; c++) {
		char key[200];
		snprintf(key, sizeof key, "ControlSet%03u\\Control\\Class\\%s", set, storage_classes[c]);
		rc = clean_filter(rx, win, set, key, "LowerFilters");
		if (rc == 0)
			rc = clean_filter(rx, win, set, key, "UpperFilters");
	}
	return rc;
}

int mir_cpu_driver(struct regedit *rx, uint32_t set, const char *cpu_vendor)
{
	const char *other = NULL;
	if (cpu_vendor && strcmp(cpu_vendor, "GenuineIntel") == 0)
		other = "amdppm";
	else if (cpu_vendor && strcmp(cpu_vendor, "AuthenticAMD") == 0)
		other = "intelppm";
	if (!other)
		return 0;
	char key[200];
	snprintf(key, sizeof key, "ControlSet%03u\\Services\\%s", set, other);
	if (!lb_hive_find(rx->hive, key)) {
		lb_error_clear();
		return 0;
	}
	return rx_set_dword(rx, key, "Start", 4);
}

int mir_auto_reboot(struct regedit *rx, uint32_t set)
{
	char key[200];
	snprintf(key, sizeof key, "ControlSet%03u\\Control\\CrashControl", set);
	return rx_set_dword(rx, key, "AutoReboot", 0);
}
