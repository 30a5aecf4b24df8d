/* Directories of a FAT16/FAT32 volume: 32-byte entries with VFAT long
 * names (checksummed against their short entry), the FAT16 fixed root or a
 * cluster chain, and path lookup ignoring case. */
#include "fat.h"
#include "lifeboat/bytes.h"
#include "lifeboat/error.h"
#include "lifeboat/utf16.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LFN_MAX 20

struct lfn {
	uint16_t units[LFN_MAX * 13 + 1];
	uint8_t checksum;
	bool valid;
};

static uint8_t short_checksum(const uint8_t *name11)
{
	uint8_t sum = 0;
	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name11[i]);
	return sum;
}

static void lfn_add(struct lfn *l, const uint8_t *e)
{
	static const int pos[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };
	unsigned seq = e[0] & 0x1F;
	if (e[0] & 0x40) {
		memset(l, 0, sizeof *l);
		l->checksum = e[13];
		l->valid = seq >= 1 && seq <= LFN_MAX;
	}
	if (!l->valid || seq < 1 || seq > LFN_MAX || e[13] != l->checksum) {
		l->valid = false;
		return;
	}
	for (int i = 0; i < 13; i++)
		l->units[(seq - 1) * 13 + i] = lb_le16(e + pos[i]);
}

static void short_name(const uint8_t *e, char out[13])
{
	size_t n = 0;
	for (int i = 0; i < 8 && e[i] != ' '; i++)
		out[n++] = (char)(i == 0 && e[0] == 0x05 ? 0xE5 : e[i]);
	if (e[8] != ' ')
		out[n++] = '.';
	for (int i = 8; i < 11 && e[i] != ' '; i++)
		out[n++] = (char)e[i];
	out[n] = '\0';
}


static int visit(struct lfn *l, const uint8_t *e, uint64_t off, fat_dir_fn fn, void *ctx, bool *end)
{
	if (e[0] == 0x00) {
		*end = true;
		return 0;
	}
	if (e[0] == 0xE5) {
		l->valid = false;
		return 0;
	}
	if (e[11] == ATTR_LFN) {
		lfn_add(l, e);
		return 0;
	}
	char lname[LFN_MAX * 13 * 3 + 1] = "", sname[13];
	if (l->valid && l->checksum == short_checksum(e))
		lb_utf16_to_utf8((const uint8_t *)l->units, LFN_MAX * 13, false, lname, sizeof lname);
	l->valid = false;
	if (e[11] & ATTR_VOLUME)
		return 0;
	short_name(e, sname);
	if (strcmp(sname, ".") == 0 || strcmp(sname, "..") == 0)
		return 0;
	return fn(ctx, lname, sname, e, off);
}

int fat_walk_dir(struct fat_priv *p, uint32_t cluster, fat_dir_fn fn, void *ctx)
{
	struct lfn l = { .valid = false };
	bool end = false;
	int rc = 0;
	uint8_t *buf = malloc(cluster || p->bits == 32 ? p->cluster_size : (size_t)p->root_entries * 32);
	if (!buf)
		return lb_fail(LB_E_NOMEM, "out of memory");
	if (cluster == 0 && p->bits == 16) {
		rc = lb_dev_read(p->dev, buf, (size_t)p->root_entries * 32, p->root_off);
		for (uint32_t i = 0; rc == 0 && !end && i < p->root_entries; i++)
			rc = visit(&l, buf + 32 * i, p->root_off + 32 * i, fn, ctx, &end);
		free(buf);
		return rc;
	}
	uint32_t *cl;
	size_t n;
	if ((rc = fat_chain(p, cluster ? cluster : p->root_cluster, &cl, &n)) < 0) {
		free(buf);
		return rc;
	}
	for (size_t k = 0; k < n && rc == 0 && !end; k++) {
		uint64_t base = fat_cluster_off(p, cl[k]);
		rc = lb_dev_read(p->dev, buf, p->cluster_size, base);
		for (uint32_t i = 0; rc == 0 && !end && i < p->cluster_size / 32; i++)
			rc = visit(&l, buf + 32 * i, base + 32 * i, fn, ctx, &end);
	}
	free(cl);
	free(buf);
	return rc;
}

struct find {
	const char *name;
	size_t len;
	struct fat_entry *out;
};

static bool same_name(const char *a, const char *want, size_t len)
{
	return *a && strlen(a) == len && strncasecmp(a, want, len) == 0;
}

static int find_entry(void *ctx, const char *lname, const char *sname, const uint8_t *e, uint64_t off)
{
	struct find *f = ctx;
	if (!same_name(lname, f->name, f->len) && !same_name(sname, f->name, f->len))
		return 0;
	f->out->is_dir = (e[11] & ATTR_DIR) != 0;
	f->out->cluster = (uint32_t)lb_le16(e + 20) << 16 | lb_le16(e + 26);
	f->out->size = lb_le32(e + 28);
	f->out->off = off;
	return 1;
}

int fat_lookup(struct fat_priv *p, const char *target, const char *path, struct fat_entry *out)
{
	*out = (struct fat_entry){ .is_dir = true, .cluster = p->bits == 32 ? p->root_cluster : 0 };
	for (const char *c = path; *c;) {
		struct find f = { c, strcspn(c, "/"), out };
		uint32_t dir = out->cluster;
		if (!out->is_dir)
			return lb_fail(LB_E_NOTFOUND, "%s: not found on %s", path, target);
		int rc = fat_walk_dir(p, dir, find_entry, &f);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return lb_fail(LB_E_NOTFOUND, "%s: not found on %s", path, target);
		if (out->is_dir && out->cluster == 0 && p->bits == 32)
			out->cluster = p->root_cluster;
		c += f.len;
		if (*c == '/')
			c++;
	}
	return 0;
}
