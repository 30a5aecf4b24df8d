/* Test helpers: disk images built byte by byte in memory (MBR slots, EBRs,
 * GPT headers with their CRCs) and saved to a temporary file for lb_dev. */
#ifndef TEST_DISK_IMAGE_H
#define TEST_DISK_IMAGE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "lifeboat/bytes.h"
#include "lifeboat/disk.h"

struct image {
	uint8_t *data;
	size_t size;
	unsigned ss;
	char path[64];
};

static inline void image_init(struct image *img, size_t size, unsigned ss)
{
	img->data = calloc(1, size);
	img->size = size;
	img->ss = ss;
	img->path[0] = '\0';
}

static inline uint8_t *image_sector(struct image *img, uint64_t lba)
{
	return img->data + lba * img->ss;
}

static inline void mbr_set(uint8_t *sector, unsigned slot, uint8_t status, uint8_t type,
			   uint32_t start, uint32_t sectors)
{
	uint8_t *e = sector + 446 + slot * 16;
	e[0] = status;
	e[4] = type;
	lb_put_le32(e + 8, start);
	lb_put_le32(e + 12, sectors);
	sector[510] = 0x55;
	sector[511] = 0xAA;
}

struct gpt_part {
	const char *type;   /* GUID text */
	uint64_t first, last;
	const char *name;   /* ASCII */
	uint64_t attributes;
};

static inline uint32_t test_crc32(const uint8_t *p, size_t len)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)len);
}

/* Writes one GPT copy: header at my_lba, 128 entries of 128 bytes at entries_lba. */
static inline void gpt_write_copy(struct image *img, uint64_t my_lba, uint64_t alt_lba, uint64_t entries_lba,
				  const struct gpt_part *parts, unsigned n)
{
	uint64_t sectors = img->size / img->ss;
	uint64_t array_sectors = 128 * 128 / img->ss;
	uint8_t *entries = image_sector(img, entries_lba);
	memset(entries, 0, 128 * 128);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *e = entries + i * 128;
		lb_guid_from_string(parts[i].type, e);
		memset(e + 16, (int)(0x11 * (i + 1)), 16);
		lb_put_le64(e + 32, parts[i].first);
		lb_put_le64(e + 40, parts[i].last);
		lb_put_le64(e + 48, parts[i].attributes);
		for (size_t c = 0; parts[i].name && parts[i].name[c]; c++)
			lb_put_le16(e + 56 + 2 * c, (uint16_t)parts[i].name[c]);
	}
	uint8_t *h = image_sector(img, my_lba);
	memset(h, 0, img->ss);
	memcpy(h, "EFI PART", 8);
	lb_put_le32(h + 8, 0x00010000);
	lb_put_le32(h + 12, 92);
	lb_put_le64(h + 24, my_lba);
	lb_put_le64(h + 32, alt_lba);
	lb_put_le64(h + 40, 2 + array_sectors);
	lb_put_le64(h + 48, sectors - 2 - array_sectors);
	memset(h + 56, 0xAB, 16);
	lb_put_le64(h + 72, entries_lba);
	lb_put_le32(h + 80, 128);
	lb_put_le32(h + 84, 128);
	lb_put_le32(h + 88, test_crc32(entries, 128 * 128));
	lb_put_le32(h + 16, test_crc32(h, 92));
}

/* A protective MBR and both GPT copies. */
static inline void gpt_write(struct image *img, const struct gpt_part *parts, unsigned n)
{
	uint64_t sectors = img->size / img->ss;
	uint64_t array_sectors = 128 * 128 / img->ss;
	mbr_set(image_sector(img, 0), 0, 0, 0xEE, 1, (uint32_t)(sectors - 1));
	gpt_write_copy(img, 1, sectors - 1, 2, parts, n);
	gpt_write_copy(img, sectors - 1, 1, sectors - 1 - array_sectors, parts, n);
}

/* Saves the image to a temporary file and opens it. */
static inline struct lb_dev *image_open(struct image *img)
{
	strcpy(img->path, "/tmp/lifeboat-unit-XXXXXX");
	int fd = mkstemp(img->path);
	if (fd < 0 || write(fd, img->data, img->size) != (ssize_t)img->size)
		abort();
	close(fd);
	struct lb_dev *dev;
	if (lb_dev_open(img->path, LB_DEV_READ, &dev) < 0)
		abort();
	return dev;
}

static inline void image_free(struct image *img)
{
	if (img->path[0])
		unlink(img->path);
	free(img->data);
}

#endif
