/* SYSTEM hive edits of an injection (windows-offline.md §2.1), per control
 * set: Services\<svc> from AddService (Type, Start, ErrorControl, Group,
 * ImagePath, ...) and the driver's registry lines that land in SYSTEM
 * (inject_addreg.c); then for boot-critical
 * storage drivers either CriticalDeviceDatabase keys (no DriverDatabase:
 * XP-7) or DriverDatabase entries under a name.inf_arch_<16 hex> label with
 * its Version blob (Windows 8+). */
#include "inject_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifeboat/error.h"

bool inject_has_ddb(struct lb_hive *system)
{
	bool has = lb_hive_find(system, "DriverDatabase") != 0;
	lb_error_clear();
	return has;
}

int inject_control_sets(struct lb_hive *system, uint32_t *sets, size_t *nsets)
{
	struct lb_win_control_sets cs;
	int rc = lb_win_control_sets(system, &cs);
	if (rc < 0)
		return rc;
	uint32_t wanted[3] = { cs.deflt ? cs.deflt : cs.current, cs.current, cs.last_known_good };
	*nsets = 0;
	for (size_t i = 0; i < 3; i++) {
		bool present = false, dup = false;
		for (int k = 0; k < cs.count; k++)
			present |= cs.sets[k] == wanted[i];
		for (size_t k = 0; k < *nsets; k++)
			dup |= sets[k] == wanted[i];
		if (wanted[i] && present && !dup)
			sets[(*nsets)++] = wanted[i];
	}
	if (*nsets == 0)
		return lb_fail(LB_E_NOTFOUND, "SYSTEM has no usable ControlSet (Select names none that exists)");
	return 0;
}

static int write_service(struct injection *inj, struct regedit *rx, const struct inject_unit *u, uint32_t set,
			 bool first_set)
{
	const struct lb_drv_service *s = u->svc;
	char key[512], image[512];
	snprintf(key, sizeof key, "ControlSet%03u\\Services\\%s", set, s->name);
	if (*s->image_path)
		snprintf(image, sizeof image, "%s", s->image_path);
	else
		snprintf(image, sizeof image, "system32\\drivers\\%s", s->binary_file);
	int rc = rx_set_dword(rx, key, "Type", s->has_type ? s->type : 1);
	if (rc == 0)
		rc = rx_set_dword(rx, key, "Start", 0);
	if (rc == 0)
		rc = rx_set_dword(rx, key, "ErrorControl", s->has_error_control ? s->error_control : 1);
	if (rc == 0 && *s->group)
		rc = rx_set_string(rx, key, "Group", LB_REG_SZ, s->group);
	if (rc == 0)
		rc = rx_set_string(rx, key, "ImagePath", LB_REG_EXPAND_SZ, image);
	if (rc == 0 && *s->display_name)
		rc = rx_set_string(rx, key, "DisplayName", LB_REG_SZ, s->display_name);
	if (rc == 0 && *s->description)
		rc = rx_set_string(rx, key, "Description", LB_REG_SZ, s->description);
	struct reg_scope sc = { .rx = rx, .system = true, .set = set, .first_set = first_set };
	return rc < 0 ? rc : inject_unit_reg(inj, u, &sc);
}

/* "PCI\VEN_1AF4&DEV_1001" -> "PCI#VEN_1AF4&DEV_1001". */
static void cdb_name(const char *id, char *out, size_t len)
{
	snprintf(out, len, "%s", id);
	for (char *p = out; *p; p++)
		if (*p == '\\')
			*p = '#';
}

static int write_cdb(struct injection *inj, struct regedit *rx, const struct inject_unit *u, uint32_t set)
{
	const char *guid = inj->pkgs[u->pkg].pkg->class_guid;
	int rc = 0;
	for (size_t i = 0; i < u->nids && rc == 0; i++) {
		char name[512], key[700];
		cdb_name(u->ids[i], name, sizeof name);
		snprintf(key, sizeof key, "ControlSet%03u\\Control\\CriticalDeviceDatabase\\%s", set, name);
		rc = rx_set_string(rx, key, "Service", LB_REG_SZ, u->svc->name);
		if (rc == 0)
			rc = rx_set_string(rx, key, "ClassGUID", LB_REG_SZ, guid);
	}
	return rc;
}

static int hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* "{4D36E97B-E325-11CE-BFC1-08002BE10318}" in its 16-byte binary (GUID struct) form. */
static int guid_bytes(const char *text, uint8_t out[16])
{
	static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	uint8_t raw[16];
	size_t n = 0;
	for (const char *p = text; *p && n < 16; p++) {
		if (*p == '{' || *p == '}' || *p == '-')
			continue;
		int hi = hex_value(p[0]), lo = p[1] ? hex_value(p[1]) : -1;
		if (hi < 0 || lo < 0)
			return lb_fail(LB_E_INVALID, "class GUID '%s' is malformed", text);
		raw[n++] = (uint8_t)(hi << 4 | lo);
		p++;
	}
	if (n != 16)
		return lb_fail(LB_E_INVALID, "class GUID '%s' is malformed", text);
	for (size_t i = 0; i < 16; i++)
		out[i] = raw[order[i]];
	return 0;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Days from 1601-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_since_1601(unsigned y, unsigned m, unsigned d)
{
	static const unsigned before[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	uint64_t years = y - 1601;
	uint64_t days = years * 365 + years / 4 - years / 100 + years / 400 + before[m - 1] + d - 1;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return days + (leap && m > 2);
}

/* The 48-byte DriverPackages Version value: 00 ff 09 00 00 00 00 00, class
 * GUID, DriverVer date as FILETIME, DriverVer version as a QWORD of four
 * words (major highest), 8 zero bytes. */
static int version_blob(const struct lb_drv_package *pkg, uint8_t out[48])
{
	memset(out, 0, 48);
	out[1] = 0xff;
	out[2] = 0x09;
	int rc = guid_bytes(pkg->class_guid ? pkg->class_guid : "", out + 8);
	if (rc < 0)
		return rc;
	if (pkg->has_date)
		put_le64(out + 24, days_since_1601(pkg->year, pkg->month, pkg->day) * 86400ull * 10000000ull);
	if (pkg->has_version)
		put_le64(out + 32, (uint64_t)pkg->version[0] << 48 | (uint64_t)pkg->version[1] << 32 |
					   (uint64_t)pkg->version[2] << 16 | pkg->version[3]);
	return 0;
}

static int write_ddb(struct injection *inj, struct regedit *rx, const struct inject_unit *u)
{
	const struct inject_pkg *ip = &inj->pkgs[u->pkg];
	char key[1024];
	uint8_t version[48];
	static const uint8_t rank[4] = { 0x01, 0xff, 0x00, 0x00 };
	int rc = version_blob(ip->pkg, version);
	snprintf(key, sizeof key, "DriverDatabase\\DriverInfFiles\\%s", ip->inf_name);
	if (rc == 0)
		rc = rx_set_string(rx, key, "", LB_REG_MULTI_SZ, ip->label);
	if (rc == 0)
		rc = rx_set_string(rx, key, "Active", LB_REG_SZ, ip->label);
	if (rc == 0)
		rc = rx_set_string(rx, key, "Configurations", LB_REG_MULTI_SZ, u->install);
	snprintf(key, sizeof key, "DriverDatabase\\DriverPackages\\%s", ip->label);
	if (rc == 0)
		rc = rx_set(rx, key, "Version", LB_REG_BINARY, version, sizeof version, false);
	snprintf(key, sizeof key, "DriverDatabase\\DriverPackages\\%s\\Configurations\\%s", ip->label, u->install);
	if (rc == 0)
		rc = rx_set_dword(rx, key, "ConfigFlags", 0);
	if (rc == 0)
		rc = rx_set_string(rx, key, "Service", LB_REG_SZ, u->svc->name);
	for (size_t i = 0; i < u->nids && rc == 0; i++) {
		snprintf(key, sizeof key, "DriverDatabase\\DeviceIds\\%s", u->ids[i]);
		rc = rx_set(rx, key, ip->inf_name, LB_REG_BINARY, rank, sizeof rank, false);
		snprintf(key, sizeof key, "DriverDatabase\\DriverPackages\\%s\\Descriptors\\%s", ip->label, u->ids[i]);
		if (rc == 0)
			rc = rx_set_string(rx, key, "Configuration", LB_REG_SZ, u->install);
	}
	return rc;
}

int inject_system(struct injection *inj, struct regedit *rx, const uint32_t *sets, size_t nsets)
{
	bool ddb = inject_has_ddb(rx->hive);
	int rc = 0;
	for (size_t i = 0; i < inj->nunits && rc == 0; i++) {
		const struct inject_unit *u = &inj->units[i];
		if (!u->boot)
			continue;
		for (size_t s = 0; s < nsets && rc == 0; s++) {
			rc = write_service(inj, rx, u, sets[s], s == 0);
			if (rc == 0 && !ddb)
				rc = write_cdb(inj, rx, u, sets[s]);
		}
		if (rc == 0 && ddb)
			rc = write_ddb(inj, rx, u);
	}
	return rc;
}
