/* Helpers over hivex for hive sessions: key paths, typed values, UTF-16
 * strings, deleting values and keys. */
#include "lifeboat/hive.h"
#include "lifeboat/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The node at a backslash-separated path; with create, missing keys are added. */
static int walk_path(struct lb_hive *h, const char *path, bool create, hive_node_h *out)
{
	hive_h *hx = lb_hive_handle(h);
	hive_node_h node = hivex_root(hx);
	for (const char *p = path; *p && node;) {
		size_t n = strcspn(p, "\\");
		char *name = strndup(p, n);
		if (!name)
			return lb_fail(LB_E_NOMEM, "out of memory");
		hive_node_h child = n ? hivex_node_get_child(hx, node, name) : node;
		if (!child && create)
			child = hivex_node_add_child(hx, node, name);
		free(name);
		node = child;
		p += n;
		if (*p == '\\')
			p++;
	}
	if (!node)
		return lb_fail(create ? LB_E_IO : LB_E_NOTFOUND, "%s: key %s %s", lb_hive_path(h), path,
			       create ? "cannot be created" : "not found");
	*out = node;
	return 0;
}

hive_node_h lb_hive_find(struct lb_hive *h, const char *path)
{
	hive_node_h node = 0;
	return walk_path(h, path, false, &node) == 0 ? node : 0;
}

int lb_hive_mkpath(struct lb_hive *h, const char *path, hive_node_h *out)
{
	return walk_path(h, path, true, out);
}

static int find_value(struct lb_hive *h, hive_node_h node, const char *name, hive_value_h *out)
{
	errno = 0;
	*out = hivex_node_get_value(lb_hive_handle(h), node, name);
	if (!*out)
		return lb_fail(LB_E_NOTFOUND, "%s: value '%s' not found", lb_hive_path(h), name);
	return 0;
}

int lb_hive_get_value(struct lb_hive *h, hive_node_h node, const char *name, uint32_t *type,
		      uint8_t **data, size_t *len)
{
	hive_value_h v;
	int rc = find_value(h, node, name, &v);
	if (rc < 0)
		return rc;
	hive_type t;
	*data = (uint8_t *)hivex_value_value(lb_hive_handle(h), v, &t, len);
	if (!*data)
		return lb_fail_errno(LB_E_INVALID, "%s: value '%s' unreadable", lb_hive_path(h), name);
	*type = (uint32_t)t;
	return 0;
}

int lb_hive_get_string(struct lb_hive *h, hive_node_h node, const char *name, char **out)
{
	hive_value_h v;
	int rc = find_value(h, node, name, &v);
	if (rc < 0)
		return rc;
	*out = hivex_value_string(lb_hive_handle(h), v);
	if (!*out)
		return lb_fail(LB_E_INVALID, "%s: value '%s' is not a string", lb_hive_path(h), name);
	return 0;
}

int lb_hive_get_dword(struct lb_hive *h, hive_node_h node, const char *name, uint32_t *out)
{
	hive_value_h v;
	int rc = find_value(h, node, name, &v);
	if (rc < 0)
		return rc;
	errno = 0;
	int32_t d = hivex_value_dword(lb_hive_handle(h), v);
	if (d == -1 && errno)
		return lb_fail(LB_E_INVALID, "%s: value '%s' is not a DWORD", lb_hive_path(h), name);
	*out = (uint32_t)d;
	return 0;
}

int lb_hive_value_spelling(struct lb_hive *h, hive_node_h node, const char *name, char **out)
{
	hive_value_h v;
	int rc = find_value(h, node, name, &v);
	if (rc < 0)
		return rc;
	*out = hivex_value_key(lb_hive_handle(h), v);
	return *out ? 0 : lb_fail(LB_E_NOMEM, "out of memory");
}

int lb_hive_set_value(struct lb_hive *h, hive_node_h node, const char *name, uint32_t type,
		      const void *data, size_t len)
{
	hive_set_value val = { .key = (char *)name, .t = (hive_type)type, .len = len, .value = (char *)data };
	if (hivex_node_set_value(lb_hive_handle(h), node, &val, 0) < 0)
		return lb_fail_errno(LB_E_IO, "%s: cannot set value '%s'", lb_hive_path(h), name);
	return 0;
}

int lb_utf8_to_utf16le(const char *utf8, uint8_t **out, size_t *len)
{
	size_t n = strlen(utf8);
	uint8_t *buf = malloc(4 * n + 2), *o = buf;
	if (!buf)
		return lb_fail(LB_E_NOMEM, "out of memory");
	for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
		uint32_t cp;
		int extra = *p >= 0xF0 ? 3 : *p >= 0xE0 ? 2 : *p >= 0xC0 ? 1 : 0;
		cp = extra == 0 ? *p : *p & (0x3F >> extra);
		p++;
		for (int i = 0; i < extra; i++, p++) {
			if ((*p & 0xC0) != 0x80) {
				free(buf);
				return lb_fail(LB_E_INVALID, "invalid UTF-8 text");
			}
			cp = cp << 6 | (*p & 0x3F);
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			uint32_t hi = 0xD800 | cp >> 10, lo = 0xDC00 | (cp & 0x3FF);
			*o++ = (uint8_t)hi;
			*o++ = (uint8_t)(hi >> 8);
			cp = lo;
		}
		*o++ = (uint8_t)cp;
		*o++ = (uint8_t)(cp >> 8);
	}
	*o++ = 0;
	*o++ = 0;
	*out = buf;
	*len = (size_t)(o - buf);
	return 0;
}

int lb_hive_set_string(struct lb_hive *h, hive_node_h node, const char *name, uint32_t type,
		       const char *utf8)
{
	uint8_t *w;
	size_t len;
	int rc = lb_utf8_to_utf16le(utf8, &w, &len);
	if (rc == 0)
		rc = lb_hive_set_value(h, node, name, type, w, len);
	free(w);
	return rc;
}

int lb_hive_set_dword(struct lb_hive *h, hive_node_h node, const char *name, uint32_t value)
{
	uint8_t le[4] = { (uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16), (uint8_t)(value >> 24) };
	return lb_hive_set_value(h, node, name, hive_t_REG_DWORD, le, sizeof le);
}

int lb_hive_delete_value(struct lb_hive *h, hive_node_h node, const char *name)
{
	hive_h *hx = lb_hive_handle(h);
	hive_value_h *vals = hivex_node_values(hx, node);
	if (!vals)
		return lb_fail_errno(LB_E_INVALID, "%s: values unreadable", lb_hive_path(h));
	size_t n = 0;
	while (vals[n])
		n++;
	hive_set_value *keep = calloc(n + 1, sizeof *keep);
	size_t k = 0;
	bool found = false;
	int rc = keep ? 0 : lb_fail(LB_E_NOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char *key = hivex_value_key(hx, vals[i]);
		if (key && strcasecmp(key, name) == 0) {
			found = true;
			free(key);
			continue;
		}
		hive_type t;
		size_t len;
		char *data = key ? hivex_value_value(hx, vals[i], &t, &len) : NULL;
		if (!data) {
			free(key);
			rc = lb_fail(LB_E_INVALID, "%s: value unreadable", lb_hive_path(h));
			break;
		}
		keep[k++] = (hive_set_value){ .key = key, .t = t, .len = len, .value = data };
	}
	if (rc == 0 && found && hivex_node_set_values(hx, node, k, keep, 0) < 0)
		rc = lb_fail_errno(LB_E_IO, "%s: cannot delete value '%s'", lb_hive_path(h), name);
	for (size_t i = 0; i < k; i++) {
		free(keep[i].key);
		free(keep[i].value);
	}
	free(keep);
	free(vals);
	return rc;
}

int lb_hive_delete_key(struct lb_hive *h, const char *path)
{
	hive_node_h node = 0;
	if (walk_path(h, path, false, &node) < 0 || node == hivex_root(lb_hive_handle(h)))
		return 0;
	if (hivex_node_delete_child(lb_hive_handle(h), node) < 0)
		return lb_fail_errno(LB_E_IO, "%s: cannot delete key %s", lb_hive_path(h), path);
	return 0;
}
