/* The recovery partition's UEFI boot entry on the running machine, driven
 * through efibootmgr: -C creates it outside BootOrder (Windows stays the
 * default, so BitLocker sees no boot-policy change), -n sets BootNext for
 * one boot, -B deletes it. Entries are recognised in `efibootmgr -v` by the
 * partition in their device path and our loader's file name. */
#include "efiboot.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lifeboat/error.h"
#include "run.h"
#include "stage.h"

bool efiboot_available(void)
{
	const char *root = getenv("LIFEBOAT_SYSROOT");
	char *dir = xasprintf("%s/sys/firmware/efi/efivars", root ? root : "");
	bool yes = access(dir, F_OK) == 0;
	free(dir);
	return yes;
}

static int efibootmgr_list(struct lb_strbuf *out)
{
	int rc = run_toolv(&(struct run_io){ .out = out }, "efibootmgr", "-v", NULL);
	return rc ? lb_fail_context(rc, "reading the UEFI boot entries") : 0;
}

/* The BootOrder line's value ("" when there is none), newly allocated. */
static char *boot_order(const char *list)
{
	const char *line = strstr(list, "BootOrder: ");
	if (!line)
		return xasprintf("%s", "");
	line += 11;
	return xasprintf("%.*s", (int)strcspn(line, "\n"), line);
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static int find_in(const char *list, const struct efiboot_target *target, int *bootnum)
{
	char *copy = xasprintf("%s", list);
	lower(copy);
	char *loader = xasprintf("%s", RECOVERY_LOADER);
	lower(loader);
	*bootnum = -1;
	for (char *line = strtok(copy, "\n"); line && *bootnum < 0; line = strtok(NULL, "\n")) {
		unsigned num;
		if (sscanf(line, "boot%4x", &num) == 1 && strlen(line) > 8 && (line[8] == '*' || line[8] == ' ') &&
		    strstr(line, target->match) && strstr(line, loader))
			*bootnum = (int)num;
	}
	free(copy);
	free(loader);
	return 0;
}

int efiboot_find(const struct efiboot_target *target, int *bootnum)
{
	struct lb_strbuf list;
	lb_strbuf_init(&list);
	int rc = efibootmgr_list(&list);
	if (!rc)
		rc = find_in(lb_strbuf_str(&list), target, bootnum);
	lb_strbuf_free(&list);
	return rc;
}

int efiboot_ensure(const struct efiboot_target *target, int *bootnum)
{
	struct lb_strbuf before, after;
	lb_strbuf_init(&before);
	lb_strbuf_init(&after);
	int rc = efibootmgr_list(&before);
	if (!rc)
		rc = find_in(lb_strbuf_str(&before), target, bootnum);
	if (!rc && *bootnum < 0) {
		char part[16];
		snprintf(part, sizeof part, "%u", target->partition);
		rc = run_toolv(NULL, "efibootmgr", "-q", "-C", "-d", target->disk, "-p", part, "-L",
			       RECOVERY_ENTRY_LABEL, "-l", RECOVERY_LOADER, NULL);
		if (rc)
			rc = lb_fail_context(rc, "creating the UEFI boot entry");
		if (!rc)
			rc = efibootmgr_list(&after);
		if (!rc)
			rc = find_in(lb_strbuf_str(&after), target, bootnum);
		if (!rc && *bootnum < 0)
			rc = lb_fail(LB_E_IO, "efibootmgr created no entry for %s partition %u", target->disk,
				     target->partition);
		char *old = boot_order(lb_strbuf_str(&before)), *now = rc ? NULL : boot_order(lb_strbuf_str(&after));
		/* Some firmware appends new entries to BootOrder on its own. */
		if (!rc && strcmp(old, now) != 0)
			rc = *old ? run_toolv(NULL, "efibootmgr", "-q", "-o", old, NULL)
				  : run_toolv(NULL, "efibootmgr", "-q", "-O", NULL);
		free(old);
		free(now);
	}
	lb_strbuf_free(&before);
	lb_strbuf_free(&after);
	return rc;
}

int efiboot_set_next(int bootnum)
{
	char num[16];
	snprintf(num, sizeof num, "%04X", (unsigned)bootnum);
	int rc = run_toolv(NULL, "efibootmgr", "-q", "-n", num, NULL);
	return rc ? lb_fail_context(rc, "setting BootNext") : 0;
}

int efiboot_remove(const struct efiboot_target *target)
{
	int bootnum;
	int rc = efiboot_find(target, &bootnum);
	if (rc || bootnum < 0)
		return rc;
	char num[16];
	snprintf(num, sizeof num, "%04X", (unsigned)bootnum);
	rc = run_toolv(NULL, "efibootmgr", "-q", "-b", num, "-B", NULL);
	return rc ? lb_fail_context(rc, "deleting UEFI boot entry Boot%s", num) : 0;
}
