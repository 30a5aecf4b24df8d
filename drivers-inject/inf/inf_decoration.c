/* Architectures and INF TargetOSVersion decorations
 * (NT[arch][.major[.minor[.ptype[.suite[.build]]]]]): parsing, matching a
 * Windows installation, and ranking the matches as Windows does. */
#include "lifeboat/driver_pkg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifeboat/error.h"

static const struct {
	const char *name;
	uint16_t machine;
} arch_table[] = {
	[LB_ARCH_ANY] = { "any", 0 },
	[LB_ARCH_X86] = { "x86", 0x014c },
	[LB_ARCH_AMD64] = { "amd64", 0x8664 },
	[LB_ARCH_IA64] = { "ia64", 0x0200 },
	[LB_ARCH_ARM] = { "arm", 0x01c4 },
	[LB_ARCH_ARM64] = { "arm64", 0xaa64 },
	[LB_ARCH_UNKNOWN] = { "unknown", 0 },
};

const char *lb_arch_name(enum lb_arch arch)
{
	return arch <= LB_ARCH_UNKNOWN ? arch_table[arch].name : "unknown";
}

enum lb_arch lb_arch_parse(const char *text)
{
	for (int a = LB_ARCH_X86; a < LB_ARCH_UNKNOWN; a++)
		if (strcasecmp(text, arch_table[a].name) == 0)
			return (enum lb_arch)a;
	return LB_ARCH_UNKNOWN;
}

uint16_t lb_arch_pe_machine(enum lb_arch arch)
{
	return arch <= LB_ARCH_UNKNOWN ? arch_table[arch].machine : 0;
}

/* Parses one numeric part of a decoration (decimal, or 0x hex for suites). */
static int parse_part(const char *s, size_t len, unsigned *out)
{
	char buf[16];
	if (len == 0) {
		*out = 0;
		return 0;
	}
	if (len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *end;
	errno = 0;
	unsigned long v = strtoul(buf, &end, 0);
	if (*end || errno || v > 0xFFFFFFFFul || buf[0] == '-' || buf[0] == '+')
		return -1;
	*out = (unsigned)v;
	return 0;
}

int lb_inf_decoration_parse(const char *text, struct lb_inf_decoration *out)
{
	memset(out, 0, sizeof *out);
	if (strncasecmp(text, "NT", 2) != 0)
		return lb_fail(LB_E_INVALID, "decoration '%s' does not start with NT", text);
	const char *p = text + 2;
	size_t alen = strcspn(p, ".");
	if (alen >= sizeof out->arch_text)
		return lb_fail(LB_E_INVALID, "decoration '%s': unknown architecture", text);
	memcpy(out->arch_text, p, alen);
	out->arch = alen ? lb_arch_parse(out->arch_text) : LB_ARCH_ANY;
	p += alen;
	unsigned *parts[] = { &out->major, &out->minor, &out->product_type, &out->suite, &out->build };
	for (size_t i = 0; *p == '.'; i++) {
		if (i == sizeof parts / sizeof parts[0])
			return lb_fail(LB_E_INVALID, "decoration '%s' has too many parts", text);
		p++;
		size_t len = strcspn(p, ".");
		if (parse_part(p, len, parts[i]) < 0)
			return lb_fail(LB_E_INVALID, "decoration '%s': '%.*s' is not a number", text, (int)len, p);
		if (i == 0 && len)
			out->has_version = true;
		p += len;
	}
	return 0;
}

bool lb_inf_decoration_matches(const struct lb_inf_decoration *d, const struct lb_win_target *t)
{
	if (d->arch == LB_ARCH_UNKNOWN || (d->arch != LB_ARCH_ANY && d->arch != t->arch))
		return false;
	if (d->has_version && (d->major > t->major || (d->major == t->major && d->minor > t->minor)))
		return false;
	if (d->product_type && t->product_type && d->product_type != t->product_type)
		return false;
	return !(d->build && t->build && d->build > t->build);
}

static int cmp_unsigned(unsigned a, unsigned b)
{
	return (a > b) - (a < b);
}

int lb_inf_decoration_compare(const struct lb_inf_decoration *a, const struct lb_inf_decoration *b)
{
	int c;
	if ((c = cmp_unsigned(a->arch != LB_ARCH_ANY, b->arch != LB_ARCH_ANY)))
		return c;
	if ((c = cmp_unsigned(a->major, b->major)) || (c = cmp_unsigned(a->minor, b->minor)))
		return c;
	if ((c = cmp_unsigned(a->build, b->build)))
		return c;
	return cmp_unsigned(a->product_type != 0, b->product_type != 0);
}
