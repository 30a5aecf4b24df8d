/* Machine SIDs (S-1-5-21-A-B-C): parsing, formatting, random generation
 * with the kernel CSPRNG, and reading the one SAM records. */
#include "lifeboat/winoffline.h"
#include "lifeboat/error.h"
#include "regf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

int lb_sid3_parse(const char *text, struct lb_sid3 *out)
{
	const char *p = text;
	if (strncasecmp(p, "S-1-5-21-", 9) != 0)
		return lb_fail(LB_E_USAGE, "'%s' is not a machine SID (S-1-5-21-A-B-C)", text);
	p += 9;
	for (int i = 0; i < 3; i++) {
		char *end;
		if (*p < '0' || *p > '9')
			return lb_fail(LB_E_USAGE, "'%s' is not a machine SID (S-1-5-21-A-B-C)", text);
		errno = 0;
		unsigned long long v = strtoull(p, &end, 10);
		if (errno || v > 0xFFFFFFFFull || end - p > 10 || (i < 2 && *end != '-') || (i == 2 && *end))
			return lb_fail(LB_E_USAGE, "'%s' is not a machine SID (S-1-5-21-A-B-C, each "
				       "number below 2^32)", text);
		out->sub[i] = (uint32_t)v;
		p = end + 1;
	}
	return 0;
}

void lb_sid3_format(const struct lb_sid3 *sid, char out[64])
{
	snprintf(out, 64, "S-1-5-21-%u-%u-%u", sid->sub[0], sid->sub[1], sid->sub[2]);
}

int lb_sid3_random(struct lb_sid3 *out)
{
	do {
		size_t got = 0;
		while (got < sizeof out->sub) {
			ssize_t n = getrandom((char *)out->sub + got, sizeof out->sub - got, 0);
			if (n < 0 && errno != EINTR)
				return lb_fail_errno(LB_E_IO, "getrandom");
			if (n > 0)
				got += (size_t)n;
		}
		/* NewSID's rule: sub-authorities well away from the small, well-known values. */
	} while (out->sub[0] < 0x1000000 || out->sub[1] < 0x1000000 || out->sub[2] < 0x1000000);
	return 0;
}

int lb_win_machine_sid(struct lb_win *win, struct lb_sid3 *out)
{
	struct lb_hive *sam;
	int rc = lb_win_open_hive(win, "SAM", NULL, &sam);
	if (rc < 0)
		return rc;
	uint8_t *v = NULL;
	size_t len = 0;
	uint32_t type;
	hive_node_h account = lb_hive_find(sam, "SAM\\Domains\\Account");
	rc = account ? lb_hive_get_value(sam, account, "V", &type, &v, &len) : LB_E_NOTFOUND;
	if (rc == 0) {
		uint32_t off = len >= 0x30 ? regf_le32(v + 12) + 0x30 : 0, n = len >= 0x30 ? regf_le32(v + 16) : 0;
		static const uint8_t head[12] = { 1, 4, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0 };
		if (n != 24 || off + 24 > len || memcmp(v + off, head, sizeof head) != 0)
			rc = lb_fail(LB_E_INVALID, "%s: Domains\\Account\\V holds no machine SID", lb_hive_path(sam));
		else
			for (int i = 0; i < 3; i++)
				out->sub[i] = regf_le32(v + off + 12 + 4 * i);
	}
	free(v);
	lb_hive_close(sam);
	return rc;
}
