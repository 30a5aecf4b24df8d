/* Inserting a module file into the running kernel with finit_module(2),
 * and naming the kernel's refusals: a signature the kernel does not trust
 * (Secure Boot lockdown), a module built for another kernel, a missing symbol. */
#include "lifeboat/kmod.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lifeboat/error.h"
#include "kmod_internal.h"

/* finit_module flag: the file is compressed, the kernel decompresses it. */
#define MODULE_INIT_COMPRESSED_FILE 4

static bool compressed(const char *path)
{
	size_t n = strlen(path);
	return (n > 3 && strcmp(path + n - 3, ".xz") == 0) || (n > 4 && strcmp(path + n - 4, ".zst") == 0) ||
	       (n > 3 && strcmp(path + n - 3, ".gz") == 0);
}

/* The kernel's lockdown mode ("none", "integrity", "confidentiality"). */
static void lockdown_mode(char *buf, size_t len)
{
	char line[128];
	kmod_pathf(buf, len, "none");
	if (!kmod_read_line("/sys/kernel/security/lockdown", line, sizeof line))
		return;
	char *open = strchr(line, '['), *close = open ? strchr(open, ']') : NULL;
	if (open && close)
		kmod_pathf(buf, len, "%.*s", (int)(close - open - 1), open + 1);
}

int lb_kmod_insert(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lb_fail_errno(LB_E_IO, "%s", path);
	int flags = compressed(path) ? MODULE_INIT_COMPRESSED_FILE : 0;
	long r = syscall(SYS_finit_module, fd, "", flags);
	int err = errno;
	close(fd);
	if (r == 0 || err == EEXIST)
		return 0;
	char mode[32];
	lockdown_mode(mode, sizeof mode);
	switch (err) {
	case EKEYREJECTED:
	case ENOKEY:
		return lb_fail(LB_E_REFUSED, "%s: the kernel rejected the module's signature (Secure Boot lockdown "
			       "loads only modules signed with a trusted key)", path);
	case EPERM:
		if (strcmp(mode, "none") != 0)
			return lb_fail(LB_E_REFUSED, "%s: refused by kernel lockdown (%s, Secure Boot): the module is "
				       "unsigned or signed with an untrusted key", path, mode);
		return lb_fail(LB_E_REFUSED, "%s: not permitted to load kernel modules (needs root and CAP_SYS_MODULE)",
			       path);
	case ENOEXEC:
		return lb_fail(LB_E_INVALID, "%s: not a module for this kernel (wrong version or architecture)", path);
	case ENOENT:
		return lb_fail(LB_E_INVALID, "%s: the kernel lacks a symbol the module needs (a dependency is not loaded)",
			       path);
	case EINVAL:
		if (flags)
			return lb_fail(LB_E_UNSUPPORTED, "%s: this kernel cannot load compressed modules", path);
		break;
	default:
		break;
	}
	errno = err;
	return lb_fail_errno(LB_E_IO, "%s: the kernel refused the module", path);
}
