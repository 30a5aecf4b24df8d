/* `win rename`: the computer name, written where SetComputerNameEx writes
 * it, in every control set: ComputerName\ComputerName (NetBIOS, upper-case)
 * and Tcpip\Parameters NV Hostname / Hostname (DNS host name as given),
 * keeping the spelling each value already has; plus Winlogon's default
 * logon domain when it named the machine. */
#include "win_internal.h"
#include "lifeboat/error.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int lb_win_check_computer_name(const char *name)
{
	size_t len = strlen(name);
	bool all_digits = true;
	if (len == 0 || len > 15)
		return lb_fail(LB_E_USAGE, "invalid computer name '%s': it must have 1 to 15 characters", name);
	for (const char *p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c >= 0x7f || strchr("\"/\\[]:|<>+=;,?*", c))
			return lb_fail(LB_E_USAGE, "invalid computer name '%s': character '%c' is not allowed "
				       "(use letters, digits and '-')", name, c >= 0x20 && c < 0x7f ? c : '?');
		all_digits &= isdigit(c) != 0;
	}
	if (all_digits)
		return lb_fail(LB_E_USAGE, "invalid computer name '%s': it cannot be only digits", name);
	return 0;
}

/* Sets name (in its existing spelling, else as given) on the key at path. */
static int set_keeping_spelling(struct lb_hive *h, struct lb_winop *op, const char *path, const char *name,
				const char *value, bool create_key)
{
	hive_node_h node = lb_hive_find(h, path);
	if (!node && !create_key)
		return 0;
	int rc = node ? 0 : lb_hive_mkpath(h, path, &node);
	char *spelling = NULL;
	if (rc == 0 && lb_hive_value_spelling(h, node, name, &spelling) < 0)
		spelling = strdup(name);
	if (rc == 0 && !spelling)
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	if (rc == 0)
		rc = lb_hive_set_string(h, node, spelling, hive_t_REG_SZ, value);
	if (rc == 0)
		lb_winop_note(op, "%s: %s\\%s = %s", lb_hive_path(h), path, spelling, value);
	free(spelling);
	return rc;
}

static int rename_system(struct lb_win *win, struct lb_winop *op, const char *netbios, const char *dns,
			 char *old, size_t oldlen)
{
	struct lb_hive *sys;
	struct lb_win_control_sets sets;
	int rc = lb_win_open_hive(win, "SYSTEM", op, &sys);
	if (rc < 0)
		return rc;
	if ((rc = lb_win_control_sets(sys, &sets)) < 0) {
		lb_hive_close(sys);
		return rc;
	}
	char path[128], *current = NULL;
	snprintf(path, sizeof path, "ControlSet%03u\\Control\\ComputerName\\ComputerName", win_default_set(&sets));
	hive_node_h node = lb_hive_find(sys, path);
	if (node && lb_hive_get_string(sys, node, "ComputerName", &current) == 0)
		snprintf(old, oldlen, "%s", current);
	free(current);
	for (int i = 0; rc == 0 && i < sets.count; i++) {
		snprintf(path, sizeof path, "ControlSet%03u\\Control\\ComputerName\\ComputerName", sets.sets[i]);
		rc = set_keeping_spelling(sys, op, path, "ComputerName", netbios, true);
		snprintf(path, sizeof path, "ControlSet%03u\\Services\\Tcpip\\Parameters", sets.sets[i]);
		if (rc == 0)
			rc = set_keeping_spelling(sys, op, path, "NV Hostname", dns, false);
		if (rc == 0)
			rc = set_keeping_spelling(sys, op, path, "Hostname", dns, false);
	}
	if (rc == 0)
		rc = lb_hive_commit(sys);
	lb_hive_close(sys);
	return rc;
}

/* Winlogon's DefaultDomainName/AltDefaultDomainName follow the machine name
 * on workgroup machines with autologon. */
static int rename_winlogon(struct lb_win *win, struct lb_winop *op, const char *old, const char *netbios)
{
	static const char *const key = "Microsoft\\Windows NT\\CurrentVersion\\Winlogon";
	static const char *const values[] = { "DefaultDomainName", "AltDefaultDomainName" };
	char *path;
	int rc = lb_win_hive_path(win, "SOFTWARE", &path);
	bool present = rc == 0 && lb_winvol_exists(win->vol, path);
	free(path);
	if (rc < 0 || !present || !old[0])
		return rc;
	struct lb_hive *sw;
	if ((rc = lb_win_open_hive(win, "SOFTWARE", op, &sw)) < 0)
		return rc;
	hive_node_h node = lb_hive_find(sw, key);
	bool changed = false;
	for (size_t i = 0; node && rc == 0 && i < 2; i++) {
		char *v = NULL;
		if (lb_hive_get_string(sw, node, values[i], &v) == 0 && strcasecmp(v, old) == 0) {
			rc = set_keeping_spelling(sw, op, key, values[i], netbios, false);
			changed = true;
		}
		free(v);
	}
	if (rc == 0 && changed)
		rc = lb_hive_commit(sw);
	lb_hive_close(sw);
	if (rc == 0)
		lb_error_clear();
	return rc;
}

int lb_win_rename(struct lb_win *win, const char *name, bool force)
{
	int rc = lb_win_check_computer_name(name);
	if (rc < 0)
		return rc;
	struct win_domain dom;
	if ((rc = win_domain_state(win, &dom)) < 0)
		return rc;
	if (dom.controller && !force)
		return lb_fail(LB_E_REFUSED, "this Windows is a domain controller: rename it with "
			       "'netdom computername' in Windows (or use --force)");
	if (dom.member && !force)
		return lb_fail(LB_E_REFUSED, "this Windows is joined to the domain '%s': the domain keeps the "
			       "old name; rename it in Windows or unjoin first (or use --force)", dom.name);
	char netbios[16], old[64] = "", what[96];
	for (size_t i = 0; i <= strlen(name); i++)
		netbios[i] = (char)toupper((unsigned char)name[i]);
	snprintf(what, sizeof what, "rename to %s", name);
	struct lb_winop *op;
	if ((rc = lb_win_begin(win, what, &op)) < 0)
		return rc;
	rc = rename_system(win, op, netbios, name, old, sizeof old);
	if (rc == 0)
		rc = rename_winlogon(win, op, old, netbios);
	int end = lb_winop_end(op);
	return rc < 0 ? rc : end;
}
