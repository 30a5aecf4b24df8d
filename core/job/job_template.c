/* Job templates: ${NAME} references in job values, expanded from the
 * machine's facts (MAC, serial, date parts), the environment (${ENV:NAME}),
 * variables set in the job and the machine-table row that matched. */
#include "lifeboat/job.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/strbuf.h"

struct template_source {
	const struct lb_job_facts *facts;
	char *const *vars;
	const struct lb_job_arg *machine;
	unsigned machine_cols;
};

static int need_fact(const char *value, const char *name, const char *what)
{
	if (*value)
		return 0;
	return lb_fail(LB_E_NOTFOUND, "${%s}: %s", name, what);
}

/* Date and time parts, zero-padded. */
static bool lookup_date(const struct tm *t, const char *name, char *out, size_t size)
{
	static const struct {
		const char *name;
		const char *format;
	} parts[] = {
		{ "YEAR", "%Y" }, { "MONTH", "%m" }, { "DAY", "%d" },
		{ "HOUR", "%H" }, { "MINUTE", "%M" }, { "SECOND", "%S" },
		{ "DATE", "%Y%m%d" }, { "TIME", "%H%M%S" },
	};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (strcmp(name, parts[i].name) == 0) {
			strftime(out, size, parts[i].format, t);
			return true;
		}
	return false;
}

static int lookup_machine_fact(const struct lb_job_facts *f, const char *name, struct lb_strbuf *out)
{
	if (strcmp(name, "MAC") == 0 || strcmp(name, "MAC_PLAIN") == 0) {
		if (f->mac_count == 0)
			return lb_fail(LB_E_NOTFOUND, "${%s}: this machine has no network interface with a MAC address", name);
		if (strcmp(name, "MAC") == 0) {
			lb_strbuf_puts(out, f->macs[0]);
			return 0;
		}
		for (const char *p = f->macs[0]; *p; p++)
			if (*p != ':')
				lb_strbuf_printf(out, "%c", *p >= 'a' && *p <= 'f' ? *p - 'a' + 'A' : *p);
		return 0;
	}
	static const struct {
		const char *name;
		size_t offset;
		const char *missing;
	} dmi[] = {
		{ "SERIAL", offsetof(struct lb_job_facts, serial), "the machine's serial number is unknown (no DMI product_serial)" },
		{ "VENDOR", offsetof(struct lb_job_facts, vendor), "the machine's vendor is unknown (no DMI sys_vendor)" },
		{ "PRODUCT", offsetof(struct lb_job_facts, product), "the machine's model is unknown (no DMI product_name)" },
	};
	for (size_t i = 0; i < sizeof dmi / sizeof dmi[0]; i++)
		if (strcmp(name, dmi[i].name) == 0) {
			const char *value = (const char *)f + dmi[i].offset;
			int rc = need_fact(value, name, dmi[i].missing);
			if (rc == 0)
				lb_strbuf_puts(out, value);
			return rc;
		}
	char date[32];
	if (lookup_date(&f->now, name, date, sizeof date)) {
		lb_strbuf_puts(out, date);
		return 0;
	}
	return lb_fail(LB_E_INVALID, "unknown template ${%s}", name);
}

static int lookup(const struct template_source *src, const char *name, struct lb_strbuf *out)
{
	if (strncmp(name, "ENV:", 4) == 0) {
		const char *value = getenv(name + 4);
		if (!value)
			return lb_fail(LB_E_NOTFOUND, "${%s}: environment variable %s is not set", name, name + 4);
		lb_strbuf_puts(out, value);
		return 0;
	}
	if (strncmp(name, "MACHINE:", 8) == 0) {
		if (!src->machine)
			return lb_fail(LB_E_NOTFOUND, "${%s}: no machine row matches this machine", name);
		for (unsigned i = 0; i < src->machine_cols; i++)
			if (strcmp(src->machine[i].key, name + 8) == 0) {
				lb_strbuf_puts(out, src->machine[i].value);
				return 0;
			}
		return lb_fail(LB_E_NOTFOUND, "${%s}: the matching machine row has no column '%s'", name, name + 8);
	}
	for (char *const *v = src->vars; v && v[0]; v += 2)
		if (strcmp(v[0], name) == 0) {
			lb_strbuf_puts(out, v[1]);
			return 0;
		}
	return lookup_machine_fact(src->facts, name, out);
}

char *lb_job_expand(const char *text, const struct lb_job_facts *facts,
		    char *const *vars, const struct lb_job_arg *machine, unsigned machine_cols)
{
	struct template_source src = { facts, vars, machine, machine_cols };
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	lb_strbuf_puts(&out, "");
	for (const char *p = text; *p;) {
		if (p[0] != '$' || (p[1] != '{' && p[1] != '$')) {
			lb_strbuf_append(&out, p++, 1);
			continue;
		}
		if (p[1] == '$') {
			lb_strbuf_append(&out, "$", 1);
			p += 2;
			continue;
		}
		const char *end = strchr(p + 2, '}');
		if (!end) {
			lb_fail(LB_E_INVALID, "unterminated template '%s' (missing '}')", p);
			goto fail;
		}
		char name[256];
		size_t n = (size_t)(end - (p + 2));
		if (n == 0 || n >= sizeof name) {
			lb_fail(LB_E_INVALID, "bad template '%.*s'", (int)(end - p + 1), p);
			goto fail;
		}
		memcpy(name, p + 2, n);
		name[n] = '\0';
		if (lookup(&src, name, &out) < 0)
			goto fail;
		p = end + 1;
	}
	if (out.failed) {
		lb_fail(LB_E_NOMEM, "out of memory");
		goto fail;
	}
	return out.data;
fail:
	lb_strbuf_free(&out);
	return NULL;
}
