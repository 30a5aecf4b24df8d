/* Internal: the byte streams an image is written to and read from. Output:
 * a file, standard output, or split volumes NAME, NAME.002, ... Input: the
 * same, where a pipe can only be read once in order (read_at is NULL). */
#ifndef LIFEBOAT_STREAM_H
#define LIFEBOAT_STREAM_H

#include <stddef.h>
#include <stdint.h>

struct lb_ostream;
struct lb_ostream_ops {
	int (*write)(struct lb_ostream *s, const void *buf, size_t len);
	int (*finish)(struct lb_ostream *s);   /* flush to stable storage */
};

struct lb_ostream {
	const struct lb_ostream_ops *ops;
	char *path;
	int fd;
	uint64_t split_size;   /* 0: one volume */
	unsigned volume;       /* 1-based number of the open volume */
	uint64_t volume_pos;
};

/* path "-" is standard output. */
int lb_ostream_open(const char *path, uint64_t split_size, struct lb_ostream **out);
void lb_ostream_close(struct lb_ostream *s);
/* Name of volume n (1-based) of an image called path; caller frees. */
char *lb_volume_name(const char *path, unsigned n);

struct lb_istream;
struct lb_istream_ops {
	/* Reads exactly len bytes at the current position. */
	int (*read)(struct lb_istream *s, void *buf, size_t len);
	/* Random access; NULL for pipes. */
	int (*read_at)(struct lb_istream *s, void *buf, size_t len, uint64_t off);
};

struct lb_istream {
	const struct lb_istream_ops *ops;
	char *path;
	uint64_t pos;
	uint64_t size;        /* total of all volumes; 0 for pipes */
	unsigned nvol;
	int *fds;
	uint64_t *vol_start;  /* offset of each volume in the whole stream */
	char **vol_names;
};

/* path "-" is standard input. Finds the volumes NAME.002... of a split image. */
int lb_istream_open(const char *path, struct lb_istream **out);
void lb_istream_close(struct lb_istream *s);
/* Moves the read position of a seekable stream. */
int lb_istream_seek(struct lb_istream *s, uint64_t off);

#endif
