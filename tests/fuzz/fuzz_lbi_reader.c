/* libFuzzer target for the .lbi reader: any bytes are opened as an image
 * (header, metadata, trailer, index, the marks of split volumes) and, when
 * that succeeds, unlocked with the password "fuzz" if encrypted (which
 * authenticates header and metadata) and verified chunk by chunk, every
 * chunk decrypted and decoded. Built and run by bench/fuzz_reader.sh, not
 * by CI.
 *
 * Input: one byte of mode, then the image. Mode 0: the rest is one file.
 * Mode 1: the rest is up to four volumes, each a 4-byte little-endian
 * length and that many bytes, written as img.lbi, img.lbi.002, ... */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lifeboat/error.h"
#include "lifeboat/image.h"

#define MAX_VOLUMES 4
#define MAX_KDF_MEMORY_HERE (16u << 20) /* keeps one run fast */

static char dir[] = "/dev/shm/lbi-fuzz.XXXXXX";

static void volume_path(unsigned n, char *out, size_t len)
{
	if (n == 1)
		snprintf(out, len, "%s/img.lbi", dir);
	else
		snprintf(out, len, "%s/img.lbi.%03u", dir, n);
}

static int write_volume(unsigned n, const uint8_t *data, size_t size)
{
	char path[64];
	volume_path(n, path, sizeof path);
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t put = fwrite(data, 1, size, f);
	return fclose(f) == 0 && put == size ? 0 : -1;
}

/* Writes the volumes the input describes; returns how many. */
static unsigned write_volumes(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if ((data[0] & 1) == 0)
		return write_volume(1, data + 1, size - 1) == 0 ? 1 : 0;
	size_t at = 1;
	unsigned n = 0;
	while (n < MAX_VOLUMES && size - at >= 4) {
		size_t len = data[at] | (size_t)data[at + 1] << 8 | (size_t)data[at + 2] << 16 | (size_t)data[at + 3] << 24;
		at += 4;
		if (len > size - at)
			len = size - at;
		if (write_volume(++n, data + at, len) < 0)
			break;
		at += len;
	}
	return n;
}

static void read_image(void)
{
	char path[64];
	volume_path(1, path, sizeof path);
	struct lb_image *img;
	if (lb_image_open(path, &img) < 0)
		return;
	const struct lb_image_info *info = lb_image_get_info(img);
	uint64_t kdf_memory = 128ull * info->kdf.r << (info->kdf.log2_n < 40 ? info->kdf.log2_n : 40);
	if (!lb_image_locked(img) || (kdf_memory <= MAX_KDF_MEMORY_HERE && lb_image_unlock(img, "fuzz") == 0))
		lb_image_verify(img, NULL, NULL, NULL);
	lb_image_close(img);
}

static void remove_dir(void)
{
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int made;
	if (!made) {
		if (!mkdtemp(dir))
			abort();
		atexit(remove_dir);
		made = 1;
	}
	unsigned n = write_volumes(data, size);
	if (n)
		read_image();
	for (unsigned i = 1; i <= MAX_VOLUMES; i++) {
		char path[64];
		volume_path(i, path, sizeof path);
		unlink(path);
	}
	lb_warnings_take(NULL);
	return 0;
}
