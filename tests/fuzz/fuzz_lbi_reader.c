/* libFuzzer target for the .lbi reader: any bytes are opened as an image
 * (header, metadata, trailer, index) and, when that succeeds, verified
 * chunk by chunk. Built and run by bench/fuzz_reader.sh, not by CI. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lifeboat/error.h"
#include "lifeboat/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("lbi-fuzz", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		char path[64];
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		struct lb_image *img;
		if (lb_image_open(path, &img) == 0) {
			lb_image_verify(img, NULL, NULL, NULL);
			lb_image_close(img);
		}
	}
	close(fd);
	lb_warnings_take(NULL);
	return 0;
}
