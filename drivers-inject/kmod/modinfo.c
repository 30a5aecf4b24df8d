/* The "depends=" entry of a kernel module's .modinfo section, read from the
 * ELF64 section headers of an uncompressed .ko file. */
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lifeboat/error.h"
#include "kmod_internal.h"

/* Longest module file read whole (the largest Debian modules are ~20 MB). */
#define MAX_MODULE_SIZE (256u << 20)

static int read_whole(const char *path, unsigned char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int rc = lb_fail_errno(LB_E_IO, "%s", path);
		if (fd >= 0)
			close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > MAX_MODULE_SIZE) {
		close(fd);
		return lb_fail(LB_E_INVALID, "%s: not a kernel module file", path);
	}
	*len = (size_t)st.st_size;
	*data = malloc(*len ? *len : 1);
	ssize_t got = *data ? read(fd, *data, *len) : -1;
	close(fd);
	if (got != (ssize_t)*len) {
		free(*data);
		return lb_fail(LB_E_IO, "%s: short read", path);
	}
	return 0;
}

/* Finds section name in an ELF64 image; the range is checked against len. */
static const unsigned char *find_section(const unsigned char *d, size_t len, const char *name, size_t *size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)d;
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > len ||
	    eh->e_shnum > (len - eh->e_shoff) / sizeof(Elf64_Shdr) || eh->e_shstrndx >= eh->e_shnum)
		return NULL;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(d + eh->e_shoff);
	const Elf64_Shdr *strtab = &sh[eh->e_shstrndx];
	if (strtab->sh_offset > len || strtab->sh_size > len - strtab->sh_offset)
		return NULL;
	for (size_t i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_name >= strtab->sh_size || sh[i].sh_offset > len || sh[i].sh_size > len - sh[i].sh_offset)
			continue;
		const char *sname = (const char *)d + strtab->sh_offset + sh[i].sh_name;
		size_t room = strtab->sh_size - sh[i].sh_name;
		if (strnlen(sname, room) == strlen(name) && memcmp(sname, name, strlen(name)) == 0) {
			*size = sh[i].sh_size;
			return d + sh[i].sh_offset;
		}
	}
	return NULL;
}

int kmod_modinfo_depends(const char *path, char **out)
{
	unsigned char *d = NULL;
	size_t len = 0;
	int rc = read_whole(path, &d, &len);
	if (rc < 0)
		return rc;
	if (len < sizeof(Elf64_Ehdr) || memcmp(d, ELFMAG, SELFMAG) != 0 || d[EI_CLASS] != ELFCLASS64) {
		free(d);
		return lb_fail(LB_E_INVALID, "%s: not an ELF64 kernel module (compressed modules need modules.dep)", path);
	}
	size_t size = 0;
	const unsigned char *info = find_section(d, len, ".modinfo", &size);
	if (!info) {
		free(d);
		return lb_fail(LB_E_INVALID, "%s: no .modinfo section, not a kernel module", path);
	}
	const char *value = "";
	size_t vlen = 0;
	for (size_t i = 0; i < size;) {
		size_t n = strnlen((const char *)info + i, size - i);
		if (n > 8 && memcmp(info + i, "depends=", 8) == 0) {
			value = (const char *)info + i + 8;
			vlen = n - 8;
		}
		i += n + 1;
	}
	*out = strndup(value, vlen);
	free(d);
	return *out ? 0 : lb_fail(LB_E_NOMEM, "out of memory");
}
