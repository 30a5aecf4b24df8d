/* Domain membership of an offline Windows: the primary domain in SECURITY
 * (PolPrDmN name, PolPrDmS SID, empty in a workgroup), the machine account
 * LSA caches in SYSTEM (Lsa\CachedMachineNames, domain members only) and
 * the product type (LanmanNT = domain controller). */
#include "win_internal.h"
#include "lifeboat/error.h"
#include "regf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void win_utf16_to_utf8(const uint8_t *in, size_t units, char *out, size_t outlen)
{
	size_t o = 0;
	for (size_t i = 0; i < units && o + 4 < outlen; i++) {
		uint32_t c = (uint32_t)in[2 * i] | (uint32_t)in[2 * i + 1] << 8;
		if (c == 0)
			break;
		if (c >= 0xD800 && c < 0xDC00 && i + 1 < units) {
			uint32_t lo = (uint32_t)in[2 * i + 2] | (uint32_t)in[2 * i + 3] << 8;
			if (lo >= 0xDC00 && lo < 0xE000) {
				c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			}
		}
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xC0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xE0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else {
			out[o++] = (char)(0xF0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		}
	}
	out[o] = '\0';
}

uint32_t win_default_set(const struct lb_win_control_sets *sets)
{
	if (sets->deflt)
		return sets->deflt;
	return sets->current ? sets->current : sets->sets[0];
}

/* Reads the default value of SECURITY\Policy\<key> (malloc'd). */
static int policy_value(struct lb_hive *sec, const char *key, uint8_t **data, size_t *len)
{
	char path[64];
	uint32_t type;
	snprintf(path, sizeof path, "Policy\\%s", key);
	hive_node_h node = lb_hive_find(sec, path);
	if (!node)
		return LB_E_NOTFOUND;
	return lb_hive_get_value(sec, node, "", &type, data, len);
}

static void read_primary_domain(struct lb_hive *sec, struct win_domain *out)
{
	uint8_t *data = NULL;
	size_t len = 0;
	if (policy_value(sec, "PolPrDmN", &data, &len) == 0 && len >= 8) {
		size_t bytes = (size_t)(data[0] | data[1] << 8), off = regf_le32(data + 4);
		if (off <= len && bytes <= len - off)
			win_utf16_to_utf8(data + off, bytes / 2, out->name, sizeof out->name);
	}
	free(data);
	data = NULL;
	if (policy_value(sec, "PolPrDmS", &data, &len) == 0 && len >= 8)
		out->member = true;
	free(data);
}

int win_domain_state(struct lb_win *win, struct win_domain *out)
{
	memset(out, 0, sizeof *out);
	struct lb_hive *sec = NULL, *sys = NULL;
	if (lb_win_open_hive(win, "SECURITY", NULL, &sec) == 0)
		read_primary_domain(sec, out);
	lb_hive_close(sec);
	int rc = lb_win_open_hive(win, "SYSTEM", NULL, &sys);
	struct lb_win_control_sets sets;
	if (rc == 0 && (rc = lb_win_control_sets(sys, &sets)) == 0) {
		char path[96], *type = NULL;
		snprintf(path, sizeof path, "ControlSet%03u\\Control\\ProductOptions", win_default_set(&sets));
		hive_node_h node = lb_hive_find(sys, path);
		if (node && lb_hive_get_string(sys, node, "ProductType", &type) == 0) {
			snprintf(out->product_type, sizeof out->product_type, "%s", type);
			out->controller = strcasecmp(type, "LanmanNT") == 0;
		}
		free(type);
		char *upn = NULL;
		snprintf(path, sizeof path, "ControlSet%03u\\Control\\Lsa\\CachedMachineNames", win_default_set(&sets));
		node = lb_hive_find(sys, path);
		if (node && lb_hive_get_string(sys, node, "NameUserPrincipal", &upn) == 0) {
			const char *at = strchr(upn, '@');
			out->member = true;
			if (at)
				snprintf(out->name, sizeof out->name, "%s", at + 1);
		}
		free(upn);
	}
	lb_hive_close(sys);
	if (rc == 0)
		lb_error_clear();
	return rc;
}
