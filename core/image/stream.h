/* Internal: the byte streams an image is written to and read from. Output:
 * a file, standard output, or split volumes NAME, NAME.002, ..., each after
 * the first opening with a volume mark. Input: the same (volumes found and
 * checked by lbi_find_volumes), where a pipe can only be read once in
 * order (read_at is NULL) and drops the marks of concatenated volumes. */
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
	uint64_t volume_pos;   /* bytes in the open volume file, mark included */
	uint64_t stream_pos;   /* image bytes written */
	uint8_t uuid[16];      /* of the image, in every volume mark */
};

/* path "-" is standard output; uuid goes into the volume marks. */
int lb_ostream_open(const char *path, uint64_t split_size, const uint8_t uuid[16], struct lb_ostream **out);
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
	uint64_t size;        /* image bytes in all volumes; 0 for pipes */
	unsigned nvol;
	int *fds;
	uint64_t *vol_start;  /* offset of each volume's first byte in the image stream */
	uint64_t *vol_file_size;
	char **vol_names;
	/* pipes of concatenated volumes: where the next mark comes */
	uint64_t volume_size, raw_pos, next_mark;
	unsigned next_volume;
	uint8_t uuid[16];
};

/* path "-" is standard input. A file is opened as volume 1 alone. */
int lb_istream_open(const char *path, struct lb_istream **out);
/* Appends file name as volume n of a split image with this uuid and volume
 * size: 0 when it is one, 1 when it is not (why says what it is), <0 on
 * errors. */
int lb_istream_add_volume(struct lb_istream *s, const char *name, unsigned n, const uint8_t uuid[16],
			  uint64_t volume_size, char *why, size_t whylen);
/* A pipe carrying concatenated volumes: drop (and check) each volume mark. */
void lb_istream_expect_marks(struct lb_istream *s, uint64_t volume_size, const uint8_t uuid[16]);
void lb_istream_close(struct lb_istream *s);
/* Moves the read position of a seekable stream. */
int lb_istream_seek(struct lb_istream *s, uint64_t off);

#endif
