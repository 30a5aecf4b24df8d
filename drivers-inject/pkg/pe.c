/* PE headers of driver binaries: DOS stub -> "PE\0\0" -> file header machine
 * -> optional header magic -> data directory 4 (IMAGE_DIRECTORY_ENTRY_SECURITY,
 * where an embedded Authenticode signature lives). */
#include "lifeboat/pe.h"

#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/io.h"

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

const char *lb_pe_machine_name(uint16_t machine)
{
	switch (machine) {
	case 0x014c: return "i386";
	case 0x8664: return "x86-64";
	case 0x0200: return "IA-64";
	case 0x01c4: return "ARMv7";
	case 0xaa64: return "ARM64";
	default: return "unknown";
	}
}

/* Reads len bytes at off of the header buffer, or fails as truncated. */
static int take(const uint8_t *buf, size_t size, uint64_t off, size_t len, const char *name, const uint8_t **out)
{
	if (off > size || len > size - off)
		return lb_fail(LB_E_INVALID, "%s: not a PE file (truncated headers)", name);
	*out = buf + off;
	return 0;
}

int lb_pe_parse(const uint8_t *buf, size_t size, const char *name, struct lb_pe_info *out)
{
	const unsigned char *mz = NULL, *nt = NULL, *count = NULL, *dir = NULL;
	memset(out, 0, sizeof *out);
	int rc = take(buf, size, 0, 64, name, &mz);
	if (rc < 0)
		return rc;
	if (mz[0] != 'M' || mz[1] != 'Z')
		return lb_fail(LB_E_INVALID, "%s: not a PE file (no MZ header)", name);
	uint32_t pe = le32(mz + 60);
	if ((rc = take(buf, size, pe, 26, name, &nt)) < 0)
		return rc;
	if (memcmp(nt, "PE\0\0", 4) != 0)
		return lb_fail(LB_E_INVALID, "%s: not a PE file (no PE signature)", name);
	out->machine = le16(nt + 4);
	uint16_t opt_size = le16(nt + 20);
	uint16_t magic = le16(nt + 24);
	if (magic != 0x10b && magic != 0x20b)
		return lb_fail(LB_E_INVALID, "%s: PE optional header magic 0x%x is unknown", name, magic);
	out->pe32_plus = magic == 0x20b;
	/* NumberOfRvaAndSizes sits at 92 (PE32) or 108 (PE32+), the data
	 * directories follow it; entry 4 is the security directory. */
	uint32_t count_off = out->pe32_plus ? 108 : 92, dir_off = count_off + 4 + 4 * 8;
	if (dir_off + 8 > opt_size)
		return 0;
	if ((rc = take(buf, size, (uint64_t)pe + 24 + count_off, 4, name, &count)) < 0)
		return rc;
	if (le32(count) <= 4)
		return 0;
	if ((rc = take(buf, size, (uint64_t)pe + 24 + dir_off, 8, name, &dir)) < 0)
		return rc;
	out->has_signature = le32(dir) != 0 && le32(dir + 4) != 0;
	return 0;
}

int lb_pe_inspect(const char *path, struct lb_pe_info *out)
{
	struct lb_dev *dev;
	memset(out, 0, sizeof *out);
	int rc = lb_dev_open(path, LB_DEV_READ, &dev);
	if (rc < 0)
		return rc;
	uint8_t head[LB_PE_HEADER_BYTES];
	size_t len = dev->size < sizeof head ? (size_t)dev->size : sizeof head;
	rc = lb_dev_read(dev, head, len, 0);
	lb_dev_close(dev);
	return rc < 0 ? rc : lb_pe_parse(head, len, path, out);
}
