/* Change-tracking hive edits: compare before writing, note every change in
 * the operation's journal and in the user's report, commit only on change. */
#include "regedit.h"

#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"

static void note(struct regedit *rx, const char *fmt, const char *path, const char *name, const char *what)
{
	struct lb_strbuf line;
	lb_strbuf_init(&line);
	lb_strbuf_printf(&line, fmt, rx->name, path, name ? name : "", what);
	lb_winop_note(rx->op, "%s", lb_strbuf_str(&line));
	lb_strbuf_printf(rx->report, "%s\n", lb_strbuf_str(&line));
	lb_strbuf_free(&line);
	rx->changed = true;
}

int rx_key(struct regedit *rx, const char *path, hive_node_h *node)
{
	*node = lb_hive_find(rx->hive, path);
	if (*node)
		return 0;
	lb_error_clear();
	int rc = lb_hive_mkpath(rx->hive, path, node);
	if (rc == 0)
		note(rx, "%s: created key %s%s%s", path, NULL, "");
	return rc;
}

static const char *type_name(uint32_t type)
{
	static const char *const names[] = { "REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
					     "REG_DWORD_BE", "REG_LINK", "REG_MULTI_SZ" };
	return type < 8 ? names[type] : "REG_(other)";
}

/* A short text of a value for the report: DWORDs in decimal, strings as UTF-8, else byte count. */
static void describe(uint32_t type, const void *data, size_t len, struct lb_strbuf *out)
{
	const uint8_t *b = data;
	lb_strbuf_printf(out, "%s ", type_name(type));
	if (type == 4 && len == 4) {
		lb_strbuf_printf(out, "%u", (unsigned)(b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24));
	} else if (type == 1 || type == 2 || type == 7) {
		lb_strbuf_puts(out, "\"");
		for (size_t i = 0; i + 1 < len; i += 2) {
			unsigned u = b[i] | b[i + 1] << 8;
			bool last = i + 4 > len || (b[i + 2] == 0 && b[i + 3] == 0);
			if (u == 0 && type == 7 && !last)
				lb_strbuf_puts(out, "\", \"");
			else if (u >= 0x20 && u < 0x7f)
				lb_strbuf_append(out, (const char *)&b[i], 1);
			else if (u != 0)
				lb_strbuf_puts(out, "?");
		}
		lb_strbuf_puts(out, "\"");
	} else {
		for (size_t i = 0; i < len && i < 16; i++)
			lb_strbuf_printf(out, "%s%02x", i ? " " : "", b[i]);
		if (len > 16)
			lb_strbuf_printf(out, " ... (%zu bytes)", len);
	}
}

int rx_set(struct regedit *rx, const char *path, const char *name, uint32_t type, const void *data, size_t len,
	   bool noclobber)
{
	hive_node_h node;
	int rc = rx_key(rx, path, &node);
	if (rc < 0)
		return rc;
	uint32_t old_type;
	uint8_t *old = NULL;
	size_t old_len;
	if (lb_hive_get_value(rx->hive, node, name, &old_type, &old, &old_len) == 0) {
		bool same = old_type == type && old_len == len && memcmp(old, data, len) == 0;
		free(old);
		if (same || noclobber)
			return 0;
	}
	lb_error_clear();
	rc = lb_hive_set_value(rx->hive, node, name, type, data, len);
	if (rc == 0) {
		struct lb_strbuf v;
		lb_strbuf_init(&v);
		describe(type, data, len, &v);
		note(rx, "%s: %s\\%s = %s", path, *name ? name : "(default)", lb_strbuf_str(&v));
		lb_strbuf_free(&v);
	}
	return rc;
}

int rx_set_dword(struct regedit *rx, const char *path, const char *name, uint32_t value)
{
	uint8_t b[4] = { (uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16), (uint8_t)(value >> 24) };
	return rx_set(rx, path, name, 4, b, 4, false);
}

int rx_set_string(struct regedit *rx, const char *path, const char *name, uint32_t type, const char *utf8)
{
	struct lb_strbuf bytes;
	lb_strbuf_init(&bytes);
	const char *p = utf8;
	do {
		size_t n = type == 7 ? strcspn(p, "\n") : strlen(p);
		char *part = strndup(p, n);
		uint8_t *u16 = NULL;
		size_t ulen = 0;
		if (!part || lb_utf8_to_utf16le(part, &u16, &ulen) < 0) {
			free(part);
			lb_strbuf_free(&bytes);
			return lb_fail(LB_E_NOMEM, "out of memory");
		}
		lb_strbuf_append(&bytes, (const char *)u16, ulen);
		free(u16);
		free(part);
		p += n;
	} while (type == 7 && *p++ == '\n');
	if (type == 7)
		lb_strbuf_append(&bytes, "\0\0", 2);
	int rc = bytes.failed ? lb_fail(LB_E_NOMEM, "out of memory")
			      : rx_set(rx, path, name, type, bytes.data, bytes.len, false);
	lb_strbuf_free(&bytes);
	return rc;
}

int rx_delete_value(struct regedit *rx, const char *path, const char *name)
{
	hive_node_h node = lb_hive_find(rx->hive, path);
	uint32_t type;
	uint8_t *old = NULL;
	size_t len;
	if (!node || lb_hive_get_value(rx->hive, node, name, &type, &old, &len) < 0) {
		lb_error_clear();
		return 0;
	}
	free(old);
	int rc = lb_hive_delete_value(rx->hive, node, name);
	if (rc == 0)
		note(rx, "%s: deleted value %s\\%s%s", path, name, "");
	return rc;
}

int rx_delete_key(struct regedit *rx, const char *path)
{
	if (!lb_hive_find(rx->hive, path)) {
		lb_error_clear();
		return 0;
	}
	int rc = lb_hive_delete_key(rx->hive, path);
	if (rc == 0)
		note(rx, "%s: deleted key %s%s%s", path, NULL, "");
	return rc;
}

int rx_commit(struct regedit *rx)
{
	return rx->changed ? lb_hive_commit(rx->hive) : 0;
}
