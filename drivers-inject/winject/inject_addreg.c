/* AddReg/DelReg lines of an injected boot driver, routed to the hive
 * session that holds their key:
 *   HKR                     the key the section is for: Services\<svc> or
 *                           its event-log key (install and .HW sections'
 *                           HKR is the device key, made at first boot)
 *   HKLM\SYSTEM\CurrentControlSet\...  SYSTEM, in every control set edited
 *   HKLM\SYSTEM\...         SYSTEM from its root
 *   HKLM\SOFTWARE\...       SOFTWARE
 *   HKCR\...                SOFTWARE\Classes
 * Other roots (HKCU, HKU, HKLM\SAM, ...) are left out with a warning.
 * Flags: NOCLOBBER keeps an existing value, OVERWRITEONLY sets only an
 * existing one, APPEND adds the strings a MULTI_SZ lacks, DELVAL deletes. */
#include "inject_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifeboat/error.h"
#include "lifeboat/utf16.h"

/* The key path of r in the scope's hive ("" = root), or NULL when the line
 * belongs to the other hive or is not applied offline; warns (once, from
 * the SYSTEM pass of the first control set) about roots left out. */
static const char *route(const struct reg_scope *sc, const struct lb_inf *inf, const struct lb_inf_reg *r,
			 char *out, size_t len)
{
	const char *sub = r->subkey;
	size_t n = strcspn(sub, "\\");
	const char *rest = sub[n] ? sub + n + 1 : "";
	if (strcmp(r->root, "HKR") == 0) {
		if (!sc->system || !sc->hkr)
			return NULL;
		snprintf(out, len, "%s%s%s", sc->hkr, *sub ? "\\" : "", sub);
		return out;
	}
	if (strcmp(r->root, "HKCR") == 0) {
		if (sc->system || !sc->first_set)
			return NULL;
		snprintf(out, len, "Classes%s%s", *sub ? "\\" : "", sub);
		return out;
	}
	bool hklm = strcmp(r->root, "HKLM") == 0;
	if (hklm && n == 8 && strncasecmp(sub, "SOFTWARE", 8) == 0) {
		if (sc->system || !sc->first_set)
			return NULL;
		snprintf(out, len, "%s", rest);
		return out;
	}
	if (hklm && n == 6 && strncasecmp(sub, "SYSTEM", 6) == 0) {
		size_t m = strcspn(rest, "\\");
		if (!sc->system)
			return NULL;
		if (m == 17 && strncasecmp(rest, "CurrentControlSet", 17) == 0)
			snprintf(out, len, "ControlSet%03u%s", sc->set, rest + m);
		else if (sc->first_set)
			snprintf(out, len, "%s", rest);
		else
			return NULL;
		return out;
	}
	if (sc->system && sc->first_set)
		lb_warn("%s:%u: %s%s%s line left out (offline only HKR, HKLM\\SYSTEM, HKLM\\SOFTWARE and HKCR are applied)",
			inf->name, r->lineno, r->root, *sub ? "\\" : "", sub);
	return NULL;
}

/* REG_MULTI_SZ data (UTF-16LE) to '\n'-joined UTF-8 for rx_set_string. */
static char *multi_to_text(const uint8_t *data, size_t len)
{
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	for (size_t i = 0; i + 1 < len;) {
		size_t units = 0;
		while (i + 2 * units + 1 < len && (data[i + 2 * units] || data[i + 2 * units + 1]))
			units++;
		if (units == 0)
			break;
		size_t cap = 3 * units + 1;
		char *part = malloc(cap);
		if (part) {
			lb_utf16_to_utf8(data + i, units, false, part, cap);
			lb_strbuf_printf(&out, "%s%s", out.len ? "\n" : "", part);
		}
		out.failed |= !part;
		free(part);
		i += 2 * units + 2;
	}
	if (out.failed) {
		lb_strbuf_free(&out);
		return NULL;
	}
	char *text = strdup(lb_strbuf_str(&out));
	lb_strbuf_free(&out);
	return text;
}

static bool list_has(const char *list, const char *item)
{
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, "\n");
		if (n == strlen(item) && strncasecmp(p, item, n) == 0)
			return true;
		p += n + (p[n] == '\n');
	}
	return false;
}

/* FLG_ADDREG_APPEND: the strings of r a MULTI_SZ lacks are added at its end. */
static int append_multi(struct regedit *rx, const char *path, const struct lb_inf_reg *r)
{
	hive_node_h node = lb_hive_find(rx->hive, path);
	uint32_t type = LB_REG_MULTI_SZ;
	uint8_t *old = NULL;
	size_t old_len = 0;
	if (!node || lb_hive_get_value(rx->hive, node, r->name ? r->name : "", &type, &old, &old_len) < 0)
		lb_error_clear();
	char *have = old && type == LB_REG_MULTI_SZ ? multi_to_text(old, old_len) : strdup("");
	char *add = multi_to_text(r->data, r->len);
	free(old);
	struct lb_strbuf list;
	lb_strbuf_init(&list);
	lb_strbuf_puts(&list, have ? have : "");
	bool grew = false;
	for (const char *p = add ? add : ""; *p;) {
		size_t n = strcspn(p, "\n");
		char *item = strndup(p, n);
		if (item && !list_has(lb_strbuf_str(&list), item)) {
			lb_strbuf_printf(&list, "%s%s", list.len ? "\n" : "", item);
			grew = true;
		}
		free(item);
		p += n + (p[n] == '\n');
	}
	int rc = !have || !add || list.failed ? lb_fail(LB_E_NOMEM, "out of memory")
		 : grew ? rx_set_string(rx, path, r->name ? r->name : "", LB_REG_MULTI_SZ, lb_strbuf_str(&list)) : 0;
	lb_strbuf_free(&list);
	free(have);
	free(add);
	return rc;
}

static bool value_exists(struct regedit *rx, const char *path, const char *name)
{
	hive_node_h node = lb_hive_find(rx->hive, path);
	uint32_t type;
	uint8_t *data = NULL;
	size_t len;
	bool yes = node && lb_hive_get_value(rx->hive, node, name, &type, &data, &len) == 0;
	free(data);
	lb_error_clear();
	return yes;
}

static int apply_line(struct regedit *rx, const char *path, const struct lb_inf_reg *r)
{
	const char *name = r->name ? r->name : "";
	hive_node_h node;
	if (r->delete && r->key_only)
		return rx_delete_key(rx, path);
	if (r->delete)
		return rx_delete_value(rx, path, name);
	if (r->key_only)
		return rx_key(rx, path, &node);
	if ((r->flags & LB_FLG_ADDREG_OVERWRITEONLY) && !value_exists(rx, path, name))
		return 0;
	if ((r->flags & LB_FLG_ADDREG_APPEND) && r->type == LB_REG_MULTI_SZ)
		return append_multi(rx, path, r);
	return rx_set(rx, path, name, r->type, r->data, r->len, (r->flags & LB_FLG_ADDREG_NOCLOBBER) != 0);
}

int inject_apply_reg(const struct reg_scope *sc, const struct lb_inf *inf, char **sections, size_t n, bool del)
{
	for (size_t s = 0; s < n; s++) {
		const struct lb_inf_section *sec = lb_inf_section(inf, sections[s]);
		if (!sec)
			return lb_fail(LB_E_INVALID, "%s: registry section [%s] does not exist", inf->name, sections[s]);
		for (size_t i = 0; i < sec->nlines; i++) {
			struct lb_inf_reg r;
			char path[1024];
			int rc = lb_inf_reg_parse(inf, &sec->lines[i], del, &r);
			if (rc < 0)
				return rc;
			if (route(sc, inf, &r, path, sizeof path))
				rc = apply_line(sc->rx, path, &r);
			lb_inf_reg_clear(&r);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

int inject_unit_reg(struct injection *inj, const struct inject_unit *u, const struct reg_scope *base)
{
	const struct lb_drv_service *s = u->svc;
	const struct lb_inf *inf = inj->pkgs[u->pkg].pkg->inf;
	struct reg_scope sc = *base;
	char key[512], evkey[512];
	snprintf(key, sizeof key, "ControlSet%03u\\Services\\%s", sc.set, s->name);
	sc.hkr = key;
	int rc = inject_apply_reg(&sc, inf, s->addreg, s->naddreg, false);
	if (rc == 0)
		rc = inject_apply_reg(&sc, inf, s->delreg, s->ndelreg, true);
	if (rc == 0 && *s->eventlog_section) {
		const struct lb_inf_section *ev = lb_inf_section(inf, s->eventlog_section);
		snprintf(evkey, sizeof evkey, "ControlSet%03u\\Services\\EventLog\\System\\%s", sc.set, s->name);
		sc.hkr = evkey;
		for (size_t i = 0; ev && i < ev->nlines && rc == 0; i++)
			if (ev->lines[i].key && strcasecmp(ev->lines[i].key, "AddReg") == 0)
				rc = inject_apply_reg(&sc, inf, ev->lines[i].fields, ev->lines[i].nfields, false);
	}
	sc.hkr = NULL;
	if (rc == 0)
		rc = inject_apply_reg(&sc, inf, u->inst.addreg, u->inst.naddreg, false);
	if (rc == 0)
		rc = inject_apply_reg(&sc, inf, u->inst.hw_addreg, u->inst.nhw_addreg, false);
	return rc;
}

int inject_software_reg(struct injection *inj, struct regedit *rx)
{
	struct reg_scope sc = { .rx = rx, .system = false, .first_set = true };
	int rc = 0;
	for (size_t i = 0; i < inj->nunits && rc == 0; i++)
		if (inj->units[i].boot)
			rc = inject_unit_reg(inj, &inj->units[i], &sc);
	return rc;
}
