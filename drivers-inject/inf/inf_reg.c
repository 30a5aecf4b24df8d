/* AddReg and DelReg lines: root, subkey, value name, flags and data, turned
 * into a registry value type and the bytes a hive stores (ReactOS
 * do_reg_operation rules: REG_DWORD from one number, binary from hex bytes,
 * strings as UTF-16LE with their NUL, MULTI_SZ with the extra NUL). */
#include "lifeboat/driver_pkg.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifeboat/error.h"
#include "inf_internal.h"

static int append(unsigned char **buf, size_t *len, const void *data, size_t n)
{
	unsigned char *p = realloc(*buf, *len + n + 1);
	if (!p)
		return lb_fail(LB_E_NOMEM, "out of memory");
	memcpy(p + *len, data, n);
	*buf = p;
	*len += n;
	return 0;
}

/* Next code point of UTF-8 s (already validated by the decoder). */
static unsigned next_code_point(const unsigned char **s)
{
	const unsigned char *p = *s;
	unsigned cp;
	int extra;
	if (p[0] < 0x80) {
		cp = p[0];
		extra = 0;
	} else if (p[0] < 0xE0) {
		cp = p[0] & 0x1F;
		extra = 1;
	} else if (p[0] < 0xF0) {
		cp = p[0] & 0x0F;
		extra = 2;
	} else {
		cp = p[0] & 0x07;
		extra = 3;
	}
	p++;
	for (int i = 0; i < extra && (*p & 0xC0) == 0x80; i++)
		cp = cp << 6 | (*p++ & 0x3F);
	*s = p;
	return cp;
}

int inf_utf16le_append(const char *s, unsigned char **buf, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned cp = next_code_point(&p);
		unsigned char u[4];
		size_t n = 2;
		if (cp >= 0x10000) {
			unsigned hi = 0xD800 + ((cp - 0x10000) >> 10), lo = 0xDC00 + ((cp - 0x10000) & 0x3FF);
			u[0] = (unsigned char)hi, u[1] = (unsigned char)(hi >> 8);
			u[2] = (unsigned char)lo, u[3] = (unsigned char)(lo >> 8);
			n = 4;
		} else {
			u[0] = (unsigned char)cp, u[1] = (unsigned char)(cp >> 8);
		}
		if (append(buf, len, u, n) < 0)
			return LB_E_NOMEM;
	}
	return append(buf, len, "\0", 2);
}

static uint32_t value_type(unsigned flags)
{
	switch (flags & 0xFFFF0001u) {
	case 0x00000000: return LB_REG_SZ;
	case 0x00010000: return LB_REG_MULTI_SZ;
	case 0x00020000: return LB_REG_EXPAND_SZ;
	case 0x00000001: return LB_REG_BINARY;
	case 0x00010001: return LB_REG_DWORD;
	case 0x00020001: return LB_REG_NONE;
	default: return flags >> 16;
	}
}

static int encode_data(const struct lb_inf *inf, const struct lb_inf_line *l, struct lb_inf_reg *r)
{
	size_t first = 4, n = l->nfields > first ? l->nfields - first : 0;
	if (r->type == LB_REG_SZ || r->type == LB_REG_EXPAND_SZ)
		return inf_utf16le_append(lb_inf_field(l, first), &r->data, &r->len);
	if (r->type == LB_REG_MULTI_SZ) {
		for (size_t i = 0; i < n; i++)
			if (*l->fields[first + i] && inf_utf16le_append(l->fields[first + i], &r->data, &r->len) < 0)
				return LB_E_NOMEM;
		return append(&r->data, &r->len, "\0", 2);
	}
	if (r->type == LB_REG_DWORD && n == 1) {
		unsigned long v;
		if (inf_parse_uint(inf, l->lineno, "REG_DWORD value", l->fields[first], 0xFFFFFFFFul, &v) < 0)
			return LB_E_INVALID;
		unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
				       (unsigned char)(v >> 24) };
		return append(&r->data, &r->len, b, 4);
	}
	for (size_t i = 0; i < n; i++) {
		const char *t = l->fields[first + i];
		char *end;
		unsigned long v = strtoul(t, &end, 16);
		if (!*t || *end || v > 0xFF || t[0] == '-' || t[0] == '+')
			return lb_fail(LB_E_INVALID, "%s:%u: binary data '%s' is not a hex byte", inf->name, l->lineno, t);
		unsigned char b = (unsigned char)v;
		if (append(&r->data, &r->len, &b, 1) < 0)
			return LB_E_NOMEM;
	}
	if (r->type == LB_REG_DWORD && r->len != 4)
		return lb_fail(LB_E_INVALID, "%s:%u: REG_DWORD data is not 4 bytes", inf->name, l->lineno);
	return 0;
}

int lb_inf_reg_parse(const struct lb_inf *inf, const struct lb_inf_line *l, bool is_delreg, struct lb_inf_reg *out)
{
	static const char *const roots[] = { "HKR", "HKLM", "HKCR", "HKCU", "HKU" };
	memset(out, 0, sizeof *out);
	out->lineno = l->lineno;
	const char *root = lb_inf_field(l, 0);
	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
		if (strcasecmp(root, roots[i]) == 0)
			strcpy(out->root, roots[i]);
	if (!out->root[0])
		return lb_fail(LB_E_INVALID, "%s:%u: unknown registry root '%s'", inf->name, l->lineno, root);
	out->subkey = lb_inf_field(l, 1);
	out->name = *lb_inf_field(l, 2) ? lb_inf_field(l, 2) : NULL;
	unsigned long flags = 0;
	if (*lb_inf_field(l, 3) &&
	    inf_parse_uint(inf, l->lineno, "registry flags", lb_inf_field(l, 3), 0xFFFFFFFFul, &flags) < 0)
		return LB_E_INVALID;
	out->flags = (unsigned)flags;
	if (is_delreg) {
		out->delete = true;
		out->key_only = l->nfields < 3;
		return 0;
	}
	out->delete = (flags & LB_FLG_ADDREG_DELVAL) != 0;
	out->key_only = (flags & LB_FLG_ADDREG_KEYONLY) || (!out->name && l->nfields <= 4);
	if (out->delete || out->key_only)
		return 0;
	out->type = value_type(out->flags);
	int rc = encode_data(inf, l, out);
	if (rc < 0)
		lb_inf_reg_clear(out);
	return rc;
}

void lb_inf_reg_clear(struct lb_inf_reg *reg)
{
	free(reg->data);
	reg->data = NULL;
	reg->len = 0;
}
