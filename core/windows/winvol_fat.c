/* FAT backend of the offline Windows volume, for the EFI system partition
 * that holds the BCD store: FAT16 and FAT32 on any lb_dev (DISK:N, a
 * partition device or image) without mounting, names matched ignoring case
 * against the long (VFAT) and the short name. Writing is what a hive commit
 * and its undo need: an EXISTING file rewritten in place — clusters added
 * or freed in every FAT copy, the directory entry's size and first cluster
 * updated, the FAT32 free-cluster count kept exact. Creating, removing or
 * renaming files is refused (LB_E_UNSUPPORTED). */
#include "winvol_backend.h"
#include "fat.h"
#include "lifeboat/bytes.h"
#include "lifeboat/disk.h"
#include "lifeboat/error.h"

#include <stdlib.h>
#include <string.h>

static struct fat_priv *priv_of(struct lb_winvol *vol)
{
	return vol->priv;
}

static int fat_stat(struct lb_winvol *vol, const char *path, struct lb_winvol_stat *st)
{
	struct fat_entry e;
	int rc = fat_lookup(priv_of(vol), vol->target, path, &e);
	if (rc == 0) {
		st->is_dir = e.is_dir;
		st->size = e.is_dir ? 0 : e.size;
	}
	return rc;
}

static int fat_read_at(struct lb_winvol *vol, const char *path, void *buf, size_t len, uint64_t off, size_t *got)
{
	struct fat_priv *p = priv_of(vol);
	struct fat_entry e;
	uint32_t *cl = NULL;
	size_t n = 0;
	*got = 0;
	int rc = fat_lookup(priv_of(vol), vol->target, path, &e);
	if (rc == 0 && e.is_dir)
		rc = lb_fail(LB_E_INVALID, "%s: is a directory", path);
	if (rc == 0)
		rc = fat_chain(p, e.cluster, &cl, &n);
	if (rc == 0 && (uint64_t)n * p->cluster_size < e.size)
		rc = lb_fail(LB_E_INVALID, "%s: its clusters hold less than its size", path);
	while (rc == 0 && *got < len && off + *got < e.size) {
		uint64_t pos = off + *got, in = pos % p->cluster_size;
		size_t take = (size_t)(p->cluster_size - in);
		if (take > len - *got)
			take = len - *got;
		if (take > e.size - pos)
			take = (size_t)(e.size - pos);
		rc = lb_dev_read(p->dev, (uint8_t *)buf + *got, take, fat_cluster_off(p, cl[pos / p->cluster_size]) + in);
		if (rc == 0)
			*got += take;
	}
	free(cl);
	return rc;
}

static int overwrite(struct lb_winvol *vol, const char *path, const void *buf, size_t len)
{
	struct fat_priv *p = priv_of(vol);
	struct fat_entry e;
	uint32_t *cl = NULL;
	size_t n = 0;
	int rc = fat_lookup(priv_of(vol), vol->target, path, &e);
	if (rc == 0 && (e.is_dir || len > UINT32_MAX))
		rc = lb_fail(LB_E_INVALID, "%s: cannot hold %zu bytes", path, len);
	if (rc == 0)
		rc = fat_resize_chain(p, &e, (len + p->cluster_size - 1) / p->cluster_size, &cl, &n);
	uint8_t *cluster = rc == 0 ? calloc(1, p->cluster_size) : NULL;
	if (rc == 0 && !cluster)
		rc = lb_fail(LB_E_NOMEM, "out of memory");
	for (size_t k = 0; k < n && rc == 0; k++) {
		size_t take = len - k * p->cluster_size < p->cluster_size ? len - k * p->cluster_size : p->cluster_size;
		memset(cluster, 0, p->cluster_size);
		memcpy(cluster, (const uint8_t *)buf + k * p->cluster_size, take);
		rc = lb_dev_write(p->dev, cluster, p->cluster_size, fat_cluster_off(p, cl[k]));
	}
	free(cluster);
	free(cl);
	uint8_t ent[32];
	if (rc == 0)
		rc = lb_dev_read(p->dev, ent, sizeof ent, e.off);
	if (rc == 0) {
		lb_put_le16(ent + 20, p->bits == 32 ? (uint16_t)(e.cluster >> 16) : 0);
		lb_put_le16(ent + 26, (uint16_t)e.cluster);
		lb_put_le32(ent + 28, (uint32_t)len);
		rc = lb_dev_write(p->dev, ent, sizeof ent, e.off);
	}
	return rc < 0 ? lb_fail_context(rc, "%s: writing %s", vol->target, path) : lb_dev_flush(p->dev);
}

static int fat_write(struct lb_winvol *vol, const char *path, const void *buf, size_t len, enum winvol_write_mode mode)
{
	if (mode != WINVOL_OVERWRITE)
		return lb_fail(LB_E_UNSUPPORTED, "%s: only existing files can be rewritten on a FAT volume", path);
	return overwrite(vol, path, buf, len);
}

static int fat_refuse(struct lb_winvol *vol, const char *path)
{
	(void)vol;
	return lb_fail(LB_E_UNSUPPORTED, "%s: folders and files are not created or removed on a FAT volume", path);
}

static int fat_rename(struct lb_winvol *vol, const char *path, const char *new_name)
{
	(void)new_name;
	return fat_refuse(vol, path);
}

struct list_ctx {
	int (*fn)(void *ctx, const char *name, bool is_dir);
	void *ctx;
};

static int list_entry(void *ctx, const char *lname, const char *sname, const uint8_t *e, uint64_t off)
{
	(void)off;
	struct list_ctx *l = ctx;
	return l->fn(l->ctx, *lname ? lname : sname, (e[11] & ATTR_DIR) != 0);
}

static int fat_list(struct lb_winvol *vol, const char *path, int (*fn)(void *ctx, const char *name, bool is_dir),
		    void *ctx)
{
	struct fat_entry e;
	int rc = fat_lookup(priv_of(vol), vol->target, path, &e);
	if (rc == 0 && !e.is_dir)
		rc = lb_fail(LB_E_INVALID, "%s: not a directory", path);
	struct list_ctx l = { fn, ctx };
	return rc < 0 ? rc : fat_walk_dir(priv_of(vol), e.cluster, list_entry, &l);
}

static int fat_get_sd(struct lb_winvol *vol, const char *path, uint8_t **sd, size_t *len)
{
	(void)vol;
	(void)sd;
	(void)len;
	return lb_fail(LB_E_UNSUPPORTED, "%s: FAT has no security descriptors", path);
}

static int fat_set_sd(struct lb_winvol *vol, const char *path, const uint8_t *sd, size_t len)
{
	(void)vol;
	(void)sd;
	(void)len;
	return lb_fail(LB_E_UNSUPPORTED, "%s: FAT has no security descriptors", path);
}

static int fat_sync(struct lb_winvol *vol)
{
	return lb_dev_flush(priv_of(vol)->dev);
}

static int fat_close(struct lb_winvol *vol)
{
	struct fat_priv *p = priv_of(vol);
	int rc = vol->writable ? lb_dev_flush(p->dev) : 0;
	lb_dev_close(p->dev);
	free(p->fat);
	free(p);
	return rc;
}

static const struct lb_winvol_ops fat_ops = {
	.kind = "fat",
	.stat = fat_stat,
	.read_at = fat_read_at,
	.write = fat_write,
	.mkdir = fat_refuse,
	.remove = fat_refuse,
	.rename = fat_rename,
	.list = fat_list,
	.get_sd = fat_get_sd,
	.set_sd = fat_set_sd,
	.sync = fat_sync,
	.close = fat_close,
};

/* The geometry from the boot sector (Microsoft's FAT specification). */
static int geometry(struct fat_priv *p)
{
	uint8_t b[512];
	int rc = lb_dev_read(p->dev, b, sizeof b, 0);
	if (rc < 0)
		return rc;
	uint32_t bps = lb_le16(b + 11), spc = b[13], reserved = lb_le16(b + 14), root_entries = lb_le16(b + 17);
	uint64_t total = lb_le16(b + 19) ? lb_le16(b + 19) : lb_le32(b + 32);
	uint64_t fat_size = lb_le16(b + 22) ? lb_le16(b + 22) : lb_le32(b + 36);
	p->nfats = b[16];
	if (bps < 512 || bps > 4096 || (bps & (bps - 1)) || !spc || (spc & (spc - 1)) || !reserved || !p->nfats ||
	    !fat_size || lb_le16(b + 510) != 0xAA55)
		return lb_fail(LB_E_INVALID, "%s: not a FAT file system", p->dev->path);
	uint64_t root_sectors = ((uint64_t)root_entries * 32 + bps - 1) / bps;
	uint64_t data_sector = reserved + p->nfats * fat_size + root_sectors;
	if (total <= data_sector || data_sector * bps > p->dev->size)
		return lb_fail(LB_E_INVALID, "%s: FAT boot sector gives an impossible layout", p->dev->path);
	uint64_t clusters = (total - data_sector) / spc;
	if (clusters < 4085)
		return lb_fail(LB_E_UNSUPPORTED, "%s: FAT12 volumes are not supported", p->dev->path);
	p->bits = clusters < 65525 ? 16 : 32;
	p->clusters = (uint32_t)clusters;
	p->cluster_size = bps * spc;
	p->fat_off = (uint64_t)reserved * bps;
	p->fat_bytes = fat_size * bps;
	p->root_off = p->fat_off + p->nfats * p->fat_bytes;
	p->root_entries = root_entries;
	p->root_cluster = p->bits == 32 ? lb_le32(b + 44) : 0;
	p->fsinfo_off = p->bits == 32 && lb_le16(b + 48) ? (uint64_t)lb_le16(b + 48) * bps : 0;
	p->data_off = data_sector * bps;
	if (p->fat_bytes < (uint64_t)(clusters + 2) * (p->bits / 8))
		return lb_fail(LB_E_INVALID, "%s: the FAT is smaller than the volume needs", p->dev->path);
	if (!(p->fat = malloc(p->fat_bytes)))
		return lb_fail(LB_E_NOMEM, "out of memory");
	return lb_dev_read(p->dev, p->fat, p->fat_bytes, p->fat_off);
}

bool lb_winvol_is_fat(const char *target)
{
	struct lb_dev *dev;
	struct lb_fs_info fs = { 0 };
	bool fat = lb_dev_open_spec(target, LB_DEV_READ, &dev) == 0 && lb_fs_probe(dev, &fs) == 0 &&
		   (fs.type == LB_FS_FAT12 || fs.type == LB_FS_FAT16 || fs.type == LB_FS_FAT32);
	lb_dev_close(dev);
	lb_error_clear();
	return fat;
}

int lb_winvol_fat_open(struct lb_winvol *vol)
{
	struct fat_priv *p = calloc(1, sizeof *p);
	if (!p)
		return lb_fail(LB_E_NOMEM, "out of memory");
	int rc = lb_dev_open_spec(vol->target, vol->writable ? LB_DEV_WRITE : LB_DEV_READ, &p->dev);
	if (rc == 0)
		rc = geometry(p);
	if (rc < 0) {
		lb_dev_close(p->dev);
		free(p->fat);
		free(p);
		return rc;
	}
	vol->ops = &fat_ops;
	vol->priv = p;
	return 0;
}
