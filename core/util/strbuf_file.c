/* Reading a whole (small) file into a text buffer: job files, reports. */
#include "lifeboat/strbuf.h"

#include <stdio.h>

#include "lifeboat/error.h"

int lb_strbuf_read_file(struct lb_strbuf *sb, const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return lb_fail_errno(LB_E_IO, "%s", path);
	char buf[8192];
	size_t n, total = 0;
	int rc = 0;
	while (rc == 0 && (n = fread(buf, 1, sizeof buf, f)) > 0) {
		total += n;
		if (total > max)
			rc = lb_fail(LB_E_INVALID, "%s: larger than %zu bytes", path, max);
		else
			lb_strbuf_append(sb, buf, n);
	}
	if (rc == 0 && ferror(f))
		rc = lb_fail_errno(LB_E_IO, "%s: read error", path);
	fclose(f);
	if (rc == 0 && sb->failed)
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	return rc;
}
