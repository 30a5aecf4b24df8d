/* `win info`: what an offline Windows is (version, edition, architecture),
 * who it is (computer name, machine SID, domain) and whether it is safe to
 * change (hibernation, control sets, the state of each hive), as JSON. */
#include "win_internal.h"
#include "lifeboat/error.h"
#include "regf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const hive_names[] = { "SYSTEM", "SOFTWARE", "SAM", "SECURITY", "DEFAULT", "COMPONENTS", "DRIVERS" };

/* Architecture from the PE machine field of System32/cmd.exe. */
static const char *architecture(struct lb_win *win)
{
	char path[128];
	uint8_t hdr[64], pe[6];
	size_t got;
	snprintf(path, sizeof path, "%s/System32/cmd.exe", win->sysroot);
	if (lb_winvol_read_at(win->vol, path, hdr, sizeof hdr, 0, &got) < 0 || got < sizeof hdr ||
	    memcmp(hdr, "MZ", 2) != 0 ||
	    lb_winvol_read_at(win->vol, path, pe, sizeof pe, regf_le32(hdr + 0x3c), &got) < 0 || got < sizeof pe ||
	    memcmp(pe, "PE\0\0", 4) != 0)
		return NULL;
	switch (pe[4] | pe[5] << 8) {
	case 0x014c: return "x86";
	case 0x8664: return "x64";
	case 0xaa64: return "arm64";
	default: return "unknown";
	}
}

static void json_hive_string(struct lb_json *j, const char *key, struct lb_hive *h, hive_node_h node,
			     const char *name)
{
	char *s = NULL;
	if (node && lb_hive_get_string(h, node, name, &s) == 0)
		lb_json_string(j, key, s);
	else
		lb_json_null(j, key);
	free(s);
}

static void describe_version(struct lb_win *win, struct lb_json *j)
{
	struct lb_hive *sw = NULL;
	hive_node_h cv = 0;
	if (lb_win_open_hive(win, "SOFTWARE", NULL, &sw) == 0)
		cv = lb_hive_find(sw, "Microsoft\\Windows NT\\CurrentVersion");
	json_hive_string(j, "product_name", sw, cv, "ProductName");
	json_hive_string(j, "edition", sw, cv, "EditionID");
	json_hive_string(j, "installation_type", sw, cv, "InstallationType");
	uint32_t major, minor;
	char version[32];
	if (cv && lb_hive_get_dword(sw, cv, "CurrentMajorVersionNumber", &major) == 0 &&
	    lb_hive_get_dword(sw, cv, "CurrentMinorVersionNumber", &minor) == 0) {
		snprintf(version, sizeof version, "%u.%u", major, minor);
		lb_json_string(j, "version", version);
	} else {
		json_hive_string(j, "version", sw, cv, "CurrentVersion");
	}
	json_hive_string(j, "build", sw, cv, "CurrentBuildNumber");
	json_hive_string(j, "windows_directory", sw, cv, "SystemRoot");
	lb_hive_close(sw);
}

static void describe_system(struct lb_win *win, struct lb_json *j)
{
	struct lb_hive *sys = NULL;
	struct lb_win_control_sets sets;
	if (lb_win_open_hive(win, "SYSTEM", NULL, &sys) < 0 || lb_win_control_sets(sys, &sets) < 0) {
		lb_json_null(j, "computer_name");
		lb_json_null(j, "dns_host_name");
		lb_json_null(j, "control_sets");
		lb_hive_close(sys);
		return;
	}
	char path[128];
	uint32_t def = win_default_set(&sets);
	snprintf(path, sizeof path, "ControlSet%03u\\Control\\ComputerName\\ComputerName", def);
	json_hive_string(j, "computer_name", sys, lb_hive_find(sys, path), "ComputerName");
	snprintf(path, sizeof path, "ControlSet%03u\\Services\\Tcpip\\Parameters", def);
	json_hive_string(j, "dns_host_name", sys, lb_hive_find(sys, path), "NV Hostname");
	lb_json_begin_object(j, "control_sets");
	lb_json_begin_array(j, "present");
	for (int i = 0; i < sets.count; i++) {
		snprintf(path, sizeof path, "ControlSet%03u", sets.sets[i]);
		lb_json_string(j, NULL, path);
	}
	lb_json_end_array(j);
	lb_json_uint(j, "default", sets.deflt);
	lb_json_uint(j, "current", sets.current);
	lb_json_uint(j, "last_known_good", sets.last_known_good);
	lb_json_uint(j, "failed", sets.failed);
	lb_json_end_object(j);
	lb_hive_close(sys);
}

static void describe_hives(struct lb_win *win, struct lb_json *j)
{
	lb_json_begin_array(j, "hives");
	for (size_t i = 0; i < sizeof hive_names / sizeof *hive_names; i++) {
		char *path;
		struct lb_hive_state st;
		if (lb_win_hive_path(win, hive_names[i], &path) < 0)
			continue;
		if (lb_winvol_exists(win->vol, path)) {
			lb_json_begin_object(j, NULL);
			lb_json_string(j, "name", hive_names[i]);
			lb_json_string(j, "path", path);
			if (lb_hive_probe(win->vol, path, &st) == 0) {
				lb_json_string(j, "state", st.dirty ? "dirty" : "clean");
				lb_json_uint(j, "sequence1", st.seq1);
				lb_json_uint(j, "sequence2", st.seq2);
				lb_json_bool(j, "checksum_ok", st.checksum_ok);
				lb_json_bool(j, "has_logs", st.has_logs);
			} else {
				lb_json_string(j, "state", "damaged");
			}
			lb_json_end_object(j);
		}
		free(path);
	}
	lb_json_end_array(j);
}

int lb_win_describe(struct lb_win *win, struct lb_json *j)
{
	lb_json_begin_object(j, NULL);
	lb_json_string(j, "target", lb_winvol_target(win->vol));
	lb_json_string(j, "volume", lb_winvol_kind(win->vol));
	lb_json_string(j, "system_root", win->sysroot);
	describe_version(win, j);
	lb_json_string(j, "architecture", architecture(win));
	describe_system(win, j);
	struct lb_sid3 sid;
	char text[64];
	if (lb_win_machine_sid(win, &sid) == 0) {
		lb_sid3_format(&sid, text);
		lb_json_string(j, "machine_sid", text);
	} else {
		lb_json_null(j, "machine_sid");
	}
	struct win_domain dom;
	win_domain_state(win, &dom);
	lb_json_bool(j, "domain_member", dom.member);
	lb_json_string(j, dom.member ? "domain" : "workgroup", dom.name[0] ? dom.name : NULL);
	lb_json_string(j, "product_type", dom.product_type[0] ? dom.product_type : NULL);
	lb_json_bool(j, "domain_controller", dom.controller);
	lb_json_bool(j, "hibernated", win->hibernated);
	lb_json_bool(j, "bitlocker", false);
	describe_hives(win, j);
	lb_json_end_object(j);
	lb_error_clear();
	return 0;
}
