/* Staging trees for lifeboat-build: create, fill, time-stamp, list and
 * remove the directories that cpio, xorriso and mtools pack into media. */
#include "stage.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "lifeboat/error.h"

char *xasprintf(const char *fmt, ...)
{
	char *s;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	return s;
}

char *path_join(const char *dir, const char *name)
{
	while (*name == '/')
		name++;
	size_t n = strlen(dir);
	return xasprintf("%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

int stage_create(const char *purpose, char **out)
{
	const char *tmp = getenv("TMPDIR");
	char *templ = xasprintf("%s/lifeboat-build-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", purpose);
	if (!mkdtemp(templ)) {
		int rc = lb_fail_errno(LB_E_IO, "cannot create a staging directory %s", templ);
		free(templ);
		return rc;
	}
	*out = templ;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void stage_remove(const char *root)
{
	if (root)
		nftw(root, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
}

int stage_mkdir_p(const char *path)
{
	char *p = xasprintf("%s", path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			int rc = lb_fail_errno(LB_E_IO, "cannot create %s", p);
			free(p);
			return rc;
		}
		*s = '/';
	}
	int rc = 0;
	if (mkdir(p, 0755) != 0 && errno != EEXIST)
		rc = lb_fail_errno(LB_E_IO, "cannot create %s", p);
	free(p);
	return rc;
}

static int mkdir_parent(const char *path)
{
	char *parent = xasprintf("%s", path);
	char *slash = strrchr(parent, '/');
	int rc = 0;
	if (slash && slash != parent) {
		*slash = '\0';
		rc = stage_mkdir_p(parent);
	}
	free(parent);
	return rc;
}

int stage_copy_file(const char *src, const char *dst, unsigned mode)
{
	int rc = mkdir_parent(dst);
	if (rc)
		return rc;
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return lb_fail_errno(LB_E_NOTFOUND, "cannot open %s", src);
	unlink(dst);
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		close(in);
		return lb_fail_errno(LB_E_IO, "cannot create %s", dst);
	}
	char buf[1 << 16];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0) {
		if (write(out, buf, (size_t)n) != n) {
			rc = lb_fail_errno(LB_E_IO, "cannot write %s", dst);
			break;
		}
	}
	if (n < 0)
		rc = lb_fail_errno(LB_E_IO, "cannot read %s", src);
	close(in);
	if (close(out) != 0 && !rc)
		rc = lb_fail_errno(LB_E_IO, "cannot write %s", dst);
	if (!rc)
		chmod(dst, mode);
	return rc;
}

int stage_write_file(const char *path, const char *text, unsigned mode)
{
	int rc = mkdir_parent(path);
	if (rc)
		return rc;
	FILE *f = fopen(path, "w");
	if (!f)
		return lb_fail_errno(LB_E_IO, "cannot create %s", path);
	fputs(text, f);
	if (fclose(f) != 0)
		return lb_fail_errno(LB_E_IO, "cannot write %s", path);
	chmod(path, mode);
	return 0;
}

int stage_symlink(const char *target, const char *linkpath)
{
	int rc = mkdir_parent(linkpath);
	if (rc)
		return rc;
	if (symlink(target, linkpath) != 0 && errno != EEXIST)
		return lb_fail_errno(LB_E_IO, "cannot create the link %s", linkpath);
	return 0;
}

int stage_copy_tree(const char *src_dir, const char *dst_dir)
{
	DIR *d = opendir(src_dir);
	if (!d)
		return lb_fail_errno(LB_E_NOTFOUND, "cannot open the directory %s", src_dir);
	int rc = stage_mkdir_p(dst_dir);
	struct dirent *e;
	while (!rc && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *src = path_join(src_dir, e->d_name);
		char *dst = path_join(dst_dir, e->d_name);
		struct stat st;
		if (lstat(src, &st) != 0) {
			rc = lb_fail_errno(LB_E_IO, "cannot read %s", src);
		} else if (S_ISDIR(st.st_mode)) {
			rc = stage_copy_tree(src, dst);
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t n = readlink(src, target, sizeof target - 1);
			if (n < 0) {
				rc = lb_fail_errno(LB_E_IO, "cannot read the link %s", src);
			} else {
				target[n] = '\0';
				unlink(dst);
				rc = stage_symlink(target, dst);
			}
		} else if (S_ISREG(st.st_mode)) {
			rc = stage_copy_file(src, dst, st.st_mode & 07777);
		}
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

static time_t stamp_time;

static int stamp_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	struct timespec ts[2] = { { .tv_sec = stamp_time }, { .tv_sec = stamp_time } };
	if (utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW) != 0)
		return lb_fail_errno(LB_E_IO, "cannot set the time of %s", path);
	return 0;
}

int stage_set_times(const char *root, time_t t)
{
	stamp_time = t;
	int rc = nftw(root, stamp_entry, 32, FTW_PHYS | FTW_DEPTH);
	return rc < 0 ? lb_fail_errno(LB_E_IO, "cannot walk %s", root) : rc;
}

static struct {
	char **items;
	size_t count, cap;
	size_t root_len;
	uint64_t bytes;
} walk;

static int collect_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)flag;
	(void)ftw;
	if (S_ISREG(st->st_mode))
		walk.bytes += (uint64_t)st->st_size;
	if (walk.count == walk.cap) {
		walk.cap = walk.cap ? walk.cap * 2 : 256;
		walk.items = realloc(walk.items, walk.cap * sizeof *walk.items);
		if (!walk.items)
			abort();
	}
	const char *rel = path + walk.root_len;
	while (*rel == '/')
		rel++;
	walk.items[walk.count++] = xasprintf("%s", *rel ? rel : ".");
	return 0;
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks root into walk.items; returns nftw's result. */
static int walk_tree(const char *root)
{
	memset(&walk, 0, sizeof walk);
	walk.root_len = strlen(root);
	return nftw(root, collect_entry, 32, FTW_PHYS);
}

static void walk_free(void)
{
	for (size_t i = 0; i < walk.count; i++)
		free(walk.items[i]);
	free(walk.items);
	memset(&walk, 0, sizeof walk);
}

int stage_list(const char *root, struct lb_strbuf *out)
{
	if (walk_tree(root) != 0) {
		walk_free();
		return lb_fail_errno(LB_E_IO, "cannot walk %s", root);
	}
	qsort(walk.items, walk.count, sizeof *walk.items, compare_paths);
	for (size_t i = 0; i < walk.count; i++) {
		lb_strbuf_puts(out, walk.items[i]);
		lb_strbuf_puts(out, "\n");
	}
	walk_free();
	return 0;
}

uint64_t stage_size(const char *root)
{
	walk_tree(root);
	uint64_t bytes = walk.bytes;
	walk_free();
	return bytes;
}

int read_text_file(const char *path, struct lb_strbuf *out)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return lb_fail_errno(LB_E_NOTFOUND, "cannot open %s", path);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		lb_strbuf_append(out, buf, n);
	int bad = ferror(f);
	fclose(f);
	return bad ? lb_fail_errno(LB_E_IO, "cannot read %s", path) : 0;
}

int file_sha256(const char *path, char hex[65])
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return lb_fail_errno(LB_E_NOTFOUND, "cannot open %s", path);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx) {
		fclose(f);
		return lb_fail(LB_E_NOMEM, "out of memory");
	}
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	char buf[1 << 16];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		EVP_DigestUpdate(ctx, buf, n);
	int bad = ferror(f);
	fclose(f);
	unsigned char md[32];
	EVP_DigestFinal_ex(ctx, md, NULL);
	EVP_MD_CTX_free(ctx);
	if (bad)
		return lb_fail_errno(LB_E_IO, "cannot read %s", path);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int output_install(const char *src, const char *dst)
{
	char *tmp = xasprintf("%s.partial-%d", dst, (int)getpid());
	int rc = stage_copy_file(src, tmp, 0644);
	if (!rc && rename(tmp, dst) != 0)
		rc = lb_fail_errno(LB_E_IO, "cannot write %s", dst);
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}
