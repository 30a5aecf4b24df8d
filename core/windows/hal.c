/* `win hal` ("replace HAL") for the Windows versions that need it (Geoff
 * Chappell's BCD notes, KB 309283/833721):
 *   XP / 2003 x86   boot.ini: one extra entry per HAL found in System32
 *                   (/hal= /kernel=, non-destructive: the original stays default)
 *   Vista x86       BCD detecthal (0x26000010 = 1) on the default OS loader
 *   7 and later,    nothing to pick (7 x86 detects, 8+ x86 and every x64
 *   every x64       have one HAL); stray kernel/hal overrides (0x22000011,
 *                   0x22000012) are removed from every OS loader in the BCD
 * Every BCD store found is edited — on TARGET and on the EFI system and MBR
 * active partitions of its disk — as a hive through the same sessions. */
#include "win_internal.h"
#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BOOTMGR "{9dea862c-5cdd-4e70-acc1-f32b344d4795}"
#define OS_LOADER 0x10200003u

/* Deletes kernel/hal override elements of every OS loader object. */
static int remove_overrides(struct lb_hive *bcd, struct lb_winop *op, struct lb_strbuf *report, bool *changed)
{
	hive_h *h = lb_hive_handle(bcd);
	hive_node_h objects = lb_hive_find(bcd, "Objects");
	hive_node_h *kids = objects ? hivex_node_children(h, objects) : NULL;
	if (!kids)
		return lb_fail(LB_E_INVALID, "%s: not a BCD store (no Objects key)", lb_hive_path(bcd));
	int rc = 0;
	for (size_t i = 0; kids[i] && rc == 0; i++) {
		char *guid = hivex_node_name(h, kids[i]), path[128];
		uint32_t type = 0;
		snprintf(path, sizeof path, "Objects\\%s\\Description", guid ? guid : "");
		hive_node_h desc = guid ? lb_hive_find(bcd, path) : 0;
		if (desc && lb_hive_get_dword(bcd, desc, "Type", &type) == 0 && type == OS_LOADER) {
			static const char *const elements[] = { "22000011", "22000012" };
			for (int e = 0; e < 2 && rc == 0; e++) {
				snprintf(path, sizeof path, "Objects\\%s\\Elements\\%s", guid, elements[e]);
				if (!lb_hive_find(bcd, path))
					continue;
				rc = lb_hive_delete_key(bcd, path);
				lb_winop_note(op, "%s: removed %s", lb_hive_path(bcd), path);
				lb_strbuf_printf(report, "removed the %s override of loader %s\n",
						 e == 0 ? "kernel" : "hal", guid);
				*changed = true;
			}
		}
		free(guid);
	}
	free(kids);
	lb_error_clear();
	return rc;
}

/* Whether the element at path already holds the single byte 01. */
static bool is_set(struct lb_hive *bcd, const char *path)
{
	hive_node_h elem = lb_hive_find(bcd, path);
	uint32_t type;
	uint8_t *data = NULL;
	size_t len = 0;
	bool yes = elem && lb_hive_get_value(bcd, elem, "Element", &type, &data, &len) == 0 && len == 1 && data[0] == 1;
	free(data);
	lb_error_clear();
	return yes;
}

/* Vista: detecthal on the default OS loader. */
static int set_detecthal(struct lb_hive *bcd, struct lb_winop *op, struct lb_strbuf *report, bool *changed)
{
	hive_node_h def = lb_hive_find(bcd, "Objects\\" BOOTMGR "\\Elements\\23000003");
	char *guid = NULL, path[128];
	int rc = def ? lb_hive_get_string(bcd, def, "Element", &guid) : lb_fail(LB_E_NOTFOUND,
		"%s: the boot manager names no default entry", lb_hive_path(bcd));
	hive_node_h elem = 0;
	if (rc == 0)
		snprintf(path, sizeof path, "Objects\\%s\\Elements\\26000010", guid);
	if (rc == 0 && is_set(bcd, path)) {
		lb_strbuf_printf(report, "detecthal is already set on the default loader %s\n", guid);
		free(guid);
		return 0;
	}
	if (rc == 0)
		rc = lb_hive_mkpath(bcd, path, &elem);
	static const uint8_t yes = 1;
	if (rc == 0)
		rc = lb_hive_set_value(bcd, elem, "Element", hive_t_REG_BINARY, &yes, 1);
	if (rc == 0) {
		lb_winop_note(op, "%s: %s\\Element = 01 (detecthal)", lb_hive_path(bcd), path);
		lb_strbuf_printf(report, "set detecthal on the default loader %s: Vista picks the HAL at boot\n", guid);
		*changed = true;
	}
	free(guid);
	return rc;
}

/* The HAL edits of one BCD store at path on vol; a store that cannot be
 * read (damaged hive or file system) is said so and skipped. */
static int edit_store(struct lb_winvol *vol, const char *path, struct lb_winop *op, bool vista_x86,
		      struct lb_strbuf *report, bool *changed, int *readable)
{
	struct lb_hive *bcd;
	if (lb_hive_open(vol, path, op, &bcd) < 0) {
		lb_strbuf_printf(report, "%s: cannot be read (%s): not checked\n", path, lb_error_message());
		lb_error_clear();
		return 0;
	}
	(*readable)++;
	bool edited = false;
	int rc = remove_overrides(bcd, op, report, &edited);
	if (rc == 0 && vista_x86)
		rc = set_detecthal(bcd, op, report, &edited);
	if (rc == 0 && edited)
		rc = lb_hive_commit(bcd);
	*changed |= edited;
	lb_hive_close(bcd);
	return rc;
}

struct hal_bcd {
	struct lb_winop *op;
	bool vista_x86;
	struct lb_strbuf *report;
	bool *changed;
	int readable;
};

static int edit_one(struct lb_winvol *vol, const char *path, const char *prefix, void *ctx)
{
	struct hal_bcd *c = ctx;
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	int rc = edit_store(vol, path, c->op, c->vista_x86, &text, c->changed, &c->readable);
	lb_strbuf_prefix_lines(c->report, prefix, lb_strbuf_str(&text));
	lb_strbuf_free(&text);
	return rc;
}

/* The BCD stores on TARGET and on the boot partitions of its disk. */
static int edit_bcd(struct lb_win *win, struct lb_winop *op, bool vista_x86, struct lb_strbuf *report, bool *changed)
{
	struct hal_bcd c = { op, vista_x86, report, changed, 0 };
	int stores = 0;
	int rc = lb_win_each_bcd(win, edit_one, &c, report, &stores);
	if (rc < 0)
		return rc;
	if (stores == 0)
		lb_strbuf_puts(report, "no BCD store on this volume nor on the boot partitions of its disk (give the "
				       "Windows partition as DISK:N or its device so they can be found)\n");
	return vista_x86 && c.readable == 0 ? lb_fail(LB_E_NOTFOUND, "no readable BCD store found for detecthal") : 0;
}

/* HAL choices of XP/2003 x86 (KB 309283) and the kernel each needs. */
static const struct {
	const char *hal, *kernel, *what;
} xp_hals[] = {
	{ "halmacpi.dll", "ntkrnlmp.exe", "ACPI multiprocessor" },
	{ "halaacpi.dll", "ntoskrnl.exe", "ACPI uniprocessor" },
	{ "halacpi.dll", "ntoskrnl.exe", "ACPI PC" },
	{ "halmps.dll", "ntkrnlmp.exe", "MPS multiprocessor" },
	{ "halapic.dll", "ntoskrnl.exe", "MPS uniprocessor" },
};

/* XP/2003: a boot.ini entry per alternative HAL present in System32. */
static int edit_boot_ini(struct lb_win *win, struct lb_winop *op, struct lb_strbuf *report, bool *changed)
{
	uint8_t *ini;
	size_t len;
	if (!lb_winvol_exists(win->vol, "boot.ini")) {
		lb_error_clear();
		return lb_fail(LB_E_NOTFOUND, "no boot.ini on this volume: XP keeps it on the active partition");
	}
	int rc = lb_winvol_read(win->vol, "boot.ini", &ini, &len);
	if (rc < 0)
		return rc;
	char *def = strstr((char *)ini, "default=");
	size_t arc_len = def ? strcspn(def + 8, "\r\n") : 0;
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	lb_strbuf_append(&out, (char *)ini, len);
	if (len && ini[len - 1] != '\n')
		lb_strbuf_puts(&out, "\r\n");
	int added = 0, present = 0;
	for (size_t i = 0; def && i < sizeof xp_hals / sizeof *xp_hals; i++) {
		char hal[160], kernel[160], entry[128];
		snprintf(hal, sizeof hal, "%s/System32/%s", win->sysroot, xp_hals[i].hal);
		snprintf(kernel, sizeof kernel, "%s/System32/%s", win->sysroot, xp_hals[i].kernel);
		snprintf(entry, sizeof entry, "/hal=%s", xp_hals[i].hal);
		if (!lb_winvol_exists(win->vol, hal) || !lb_winvol_exists(win->vol, kernel))
			continue;
		if (strstr((char *)ini, entry)) {
			present++;
			continue;
		}
		lb_strbuf_printf(&out, "%.*s=\"Windows (%s HAL)\" /fastdetect /hal=%s /kernel=%s\r\n", (int)arc_len,
				 def + 8, xp_hals[i].what, xp_hals[i].hal, xp_hals[i].kernel);
		lb_strbuf_printf(report, "added a boot.ini entry for the %s HAL (%s)\n", xp_hals[i].what, xp_hals[i].hal);
		added++;
	}
	lb_error_clear();
	if (!def)
		rc = lb_fail(LB_E_INVALID, "boot.ini has no default= line");
	else if (added == 0 && present > 0)
		lb_strbuf_printf(report, "boot.ini already has an entry for each of the %d alternative HALs in System32\n",
				 present);
	else if (added == 0)
		lb_strbuf_puts(report, "no alternative HAL in System32: copy the one the new machine needs "
				       "(halmacpi.dll, halaacpi.dll, ...) from driver.cab into System32, then run again\n");
	else if ((rc = lb_winop_replace_file(op, "boot.ini", out.data, out.len)) == 0) {
		lb_winop_note(op, "boot.ini: %d HAL entries added", added);
		*changed = true;
	}
	lb_strbuf_free(&out);
	free(ini);
	return rc;
}

int lb_win_hal_step(struct lb_win *win, struct lb_winop *op, struct lb_strbuf *report, bool *changed)
{
	unsigned major = 0, minor = 0;
	int rc = win_version(win, &major, &minor);
	if (rc < 0)
		return rc;
	const char *arch = win_architecture(win);
	bool x86 = arch && strcmp(arch, "x86") == 0;
	if (major == 5 && x86)
		return edit_boot_ini(win, op, report, changed);
	if (major == 6 && minor == 0 && x86)
		return edit_bcd(win, op, true, report, changed);
	lb_strbuf_printf(report, "Windows %u.%u %s: nothing to replace, %s\n", major, minor, arch ? arch : "",
			 x86 && major == 6 && minor == 1 ? "Windows 7 picks its HAL at every boot"
							  : "this version has a single HAL");
	return edit_bcd(win, op, false, report, changed);
}

int lb_win_hal(struct lb_win *win, char **report_out)
{
	struct lb_strbuf report;
	struct lb_winop *op;
	bool changed = false;
	int rc = lb_win_begin(win, "hal", &op);
	if (rc < 0)
		return rc;
	lb_strbuf_init(&report);
	rc = lb_win_hal_step(win, op, &report, &changed);
	int end = lb_winop_end(op);
	rc = rc < 0 ? rc : end;
	if (rc == 0 && !(*report_out = strdup(lb_strbuf_str(&report))))
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	lb_strbuf_free(&report);
	return rc;
}
