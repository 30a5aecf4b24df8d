/* Split images: after the header named the volume size, volumes 2, 3, ...
 * are looked for next to the first one, then in the folders the caller
 * gave, then in a folder the front end asks the user for. Each candidate's
 * mark must carry the image's UUID, its own number and its place in the
 * stream; a full last volume without the trailer at its end means the next
 * one is still missing. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "reader.h"

#define WHY_MAX (PATH_MAX + 128)

struct search {
	struct lb_image *img;
	const struct lb_open_opts *o;
	char asked[PATH_MAX];   /* the last folder the user named */
	char why[WHY_MAX];      /* the most telling reason a candidate failed */
};

/* Whether the volumes so far end with the image's trailer. */
static bool trailer_at_end(const struct lb_image *img)
{
	struct lb_istream *s = img->in;
	uint8_t buf[LBI_TRAILER_SIZE];
	struct lbi_trailer t;
	if (s->size < img->data_start + LBI_TRAILER_SIZE ||
	    s->ops->read_at(s, buf, sizeof buf, s->size - LBI_TRAILER_SIZE) < 0 || lbi_decode_trailer(buf, &t) < 0)
		return false;
	return t.index_offset >= img->data_start && t.index_offset + t.index_len + LBI_TRAILER_SIZE == s->size;
}

/* Tries volume n in dir (NULL: next to the first volume): 0 added, 1 not
 * there or not the one, <0 error. */
static int try_dir(struct search *se, const char *dir, unsigned n)
{
	struct lb_image *img = se->img;
	char *next_to_first = lb_volume_name(img->in->path, n);
	if (!next_to_first)
		return lb_fail(LB_E_NOMEM, "out of memory");
	char name[PATH_MAX], why[WHY_MAX];
	const char *slash = strrchr(next_to_first, '/');
	if (dir)
		snprintf(name, sizeof name, "%s/%s", dir, slash ? slash + 1 : next_to_first);
	else
		snprintf(name, sizeof name, "%s", next_to_first);
	free(next_to_first);
	int rc = lb_istream_add_volume(img->in, name, n, img->info.uuid, img->info.volume_size, why, sizeof why);
	/* a file that is there but wrong says more than one that is not there */
	if (rc == 1 && (!se->why[0] || !strstr(why, "does not exist")))
		snprintf(se->why, sizeof se->why, "%s", why);
	return rc;
}

/* Every folder known so far. */
static int try_known(struct search *se, unsigned n)
{
	int rc = try_dir(se, NULL, n);
	for (unsigned i = 0; rc == 1 && se->o && i < se->o->volume_dir_count; i++)
		rc = try_dir(se, se->o->volume_dirs[i], n);
	if (rc == 1 && se->asked[0])
		rc = try_dir(se, se->asked, n);
	return rc;
}

static int missing(struct search *se, unsigned n)
{
	char *name = lb_volume_name(se->img->in->path, n);
	int rc = lb_fail(LB_E_NOTFOUND, "%s: volume %u of the image is missing (%s); give its folder with --volumes DIR",
			 name ? name : se->img->in->path, n, se->why);
	free(name);
	return rc;
}

static int find_one(struct search *se, unsigned n)
{
	se->why[0] = '\0';
	int rc = try_known(se, n);
	while (rc == 1) {
		if (!se->o || !se->o->ask_volume)
			return missing(se, n);
		char *full = lb_volume_name(se->img->in->path, n);
		if (!full)
			return lb_fail(LB_E_NOMEM, "out of memory");
		const char *slash = strrchr(full, '/');
		char dir[PATH_MAX] = "";
		int asked = se->o->ask_volume(se->o->ask_ctx, slash ? slash + 1 : full, n, se->why, dir, sizeof dir);
		free(full);
		if (asked < 0)
			return missing(se, n);
		snprintf(se->asked, sizeof se->asked, "%s", dir);
		se->why[0] = '\0';   /* the next question says what this folder held */
		rc = try_dir(se, se->asked, n);
	}
	return rc;
}

int lbi_find_volumes(struct lb_image *img, const struct lb_open_opts *o)
{
	struct lb_istream *s = img->in;
	uint64_t size = img->info.volume_size;
	if (!size)
		return 0;
	if (!s->ops->read_at) {
		lb_istream_expect_marks(s, size, img->info.uuid);
		return 0;
	}
	if (s->vol_file_size[0] > size)
		return lb_fail(LB_E_INVALID, "%s is larger than the volumes of this image (%llu bytes)", s->path,
			       (unsigned long long)size);
	struct search *se = calloc(1, sizeof *se);
	if (!se)
		return lb_fail(LB_E_NOMEM, "out of memory");
	se->img = img;
	se->o = o;
	int rc = 0;
	for (unsigned n = 2; rc == 0 && s->vol_file_size[s->nvol - 1] == size && !trailer_at_end(img); n++)
		rc = find_one(se, n);
	free(se);
	return rc;
}
