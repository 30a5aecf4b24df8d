/* The allocation table of a FAT16/FAT32 volume: entries kept in memory and
 * written to every FAT copy, cluster chains followed with damage checks,
 * a file's chain cut or grown, the FAT32 free-cluster count recounted. */
#include "fat.h"
#include "lifeboat/bytes.h"
#include "lifeboat/error.h"

#include <stdlib.h>
#include <string.h>

static uint32_t fat_get(const struct fat_priv *p, uint32_t n)
{
	return p->bits == 16 ? lb_le16(p->fat + 2 * (uint64_t)n) : lb_le32(p->fat + 4 * (uint64_t)n) & 0x0FFFFFFF;
}

static bool is_end(const struct fat_priv *p, uint32_t v)
{
	return v >= (p->bits == 16 ? 0xFFF8u : 0x0FFFFFF8u);
}

static uint32_t end_mark(const struct fat_priv *p)
{
	return p->bits == 16 ? 0xFFFF : 0x0FFFFFFF;
}

/* Sets entry n in memory and in every FAT copy on the device. */
static int fat_set(struct fat_priv *p, uint32_t n, uint32_t v)
{
	unsigned w = p->bits / 8;
	uint8_t *e = p->fat + (uint64_t)n * w;
	if (w == 2)
		lb_put_le16(e, (uint16_t)v);
	else
		lb_put_le32(e, (lb_le32(e) & 0xF0000000u) | (v & 0x0FFFFFFF));
	for (uint32_t c = 0; c < p->nfats; c++) {
		int rc = lb_dev_write(p->dev, e, w, p->fat_off + c * p->fat_bytes + (uint64_t)n * w);
		if (rc < 0)
			return rc;
	}
	return 0;
}

uint64_t fat_cluster_off(const struct fat_priv *p, uint32_t n)
{
	return p->data_off + (uint64_t)(n - 2) * p->cluster_size;
}

int fat_chain(const struct fat_priv *p, uint32_t first, uint32_t **out, size_t *n)
{
	uint32_t *list = NULL;
	size_t count = 0, cap = 0;
	int rc = 0;
	*out = NULL;
	*n = 0;
	for (uint32_t c = first; rc == 0 && c != 0 && !is_end(p, c); c = fat_get(p, c)) {
		if (c < 2 || c > p->clusters + 1 || count > p->clusters) {
			rc = lb_fail(LB_E_INVALID, "%s: damaged FAT chain at cluster %u", p->dev->path, c);
			break;
		}
		if (count == cap) {
			uint32_t *grown = realloc(list, (cap = cap ? 2 * cap : 16) * sizeof *list);
			if (!grown) {
				rc = lb_fail(LB_E_NOMEM, "out of memory");
				break;
			}
			list = grown;
		}
		list[count++] = c;
		if (fat_get(p, c) == 0)
			rc = lb_fail(LB_E_INVALID, "%s: damaged FAT chain (free cluster inside a file)", p->dev->path);
	}
	if (rc < 0) {
		free(list);
		return rc;
	}
	*out = list;
	*n = count;
	return 0;
}

/* FAT32: the FSInfo free-cluster count, recounted. */
static int update_fsinfo(struct fat_priv *p)
{
	uint8_t s[512];
	if (!p->fsinfo_off || lb_dev_read(p->dev, s, sizeof s, p->fsinfo_off) < 0 || lb_le32(s) != 0x41615252 ||
	    lb_le32(s + 484) != 0x61417272) {
		lb_error_clear();
		return 0;
	}
	uint32_t free_count = 0;
	for (uint32_t c = 2; c <= p->clusters + 1; c++)
		free_count += fat_get(p, c) == 0;
	uint8_t le[4];
	lb_put_le32(le, free_count);
	return lb_dev_write(p->dev, le, 4, p->fsinfo_off + 488);
}

int fat_resize_chain(struct fat_priv *p, struct fat_entry *e, size_t need, uint32_t **cl, size_t *n)
{
	int rc = fat_chain(p, e->cluster, cl, n);
	if (rc < 0 || *n == need)
		return rc;
	if (need < *n) {
		if (need > 0)
			rc = fat_set(p, (*cl)[need - 1], end_mark(p));
		for (size_t k = need; k < *n && rc == 0; k++)
			rc = fat_set(p, (*cl)[k], 0);
		*n = need;
	} else {
		uint32_t *grown = realloc(*cl, need * sizeof **cl);
		if (!grown)
			return lb_fail(LB_E_NOMEM, "out of memory");
		*cl = grown;
	}
	for (uint32_t c = 2; rc == 0 && *n < need && c <= p->clusters + 1; c++) {
		if (fat_get(p, c) != 0)
			continue;
		rc = fat_set(p, c, end_mark(p));
		if (rc == 0 && *n > 0)
			rc = fat_set(p, (*cl)[*n - 1], c);
		(*cl)[(*n)++] = c;
	}
	if (rc == 0 && *n < need)
		return lb_fail(LB_E_IO, "%s: the FAT volume is full", p->dev->path);
	e->cluster = need ? (*cl)[0] : 0;
	return rc < 0 ? rc : update_fsinfo(p);
}
