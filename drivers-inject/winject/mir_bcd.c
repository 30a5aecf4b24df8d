/* M.I.R. disk identity, BCD side: the device (11000001) and osdevice
 * (21000001) elements of the boot manager, OS loader and resume objects
 * that named the partition Windows was restored from now name the one it
 * lives on; a boot manager on another partition of the old disk gets the
 * new disk's EFI system partition (GPT) or the new disk signature (MBR,
 * same offset). Device blob (windows-offline.md §4.3): partition record at
 * 0x10 (type 6 = partition), its partition id at +0x10, style at +0x24
 * (0 GPT, 1 MBR), disk id at +0x28. Every store found is edited: on the
 * Windows volume and on the disk's EFI system (FAT) and MBR active
 * partitions, as hives in the operation's sessions (undo reopens the other
 * partition by its DISK:N name). */
#include "mir_identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/bytes.h"
#include "lifeboat/driver_pkg.h"
#include "lifeboat/error.h"

#define REC 0x10
#define PARTITION_DEVICE 6
#define BLOB_MIN (REC + 0x48)

static const struct {
	uint32_t type;
	const char *what;
} objects[] = {
	{ 0x10100002u, "boot manager" },
	{ 0x10200003u, "loader" },
	{ 0x10200004u, "resume" },
};

static const struct {
	const char *id, *what;
} elements[] = {
	{ "11000001", "device" },
	{ "21000001", "osdevice" },
};

/* The identity a device blob's partition record names. */
static bool record_id(const uint8_t *b, size_t len, struct mir_disk_id *out)
{
	if (len < BLOB_MIN || lb_le32(b + REC) != PARTITION_DEVICE || lb_le32(b + REC + 0x24) > 1)
		return false;
	memset(out, 0, sizeof *out);
	out->gpt = lb_le32(b + REC + 0x24) == 0;
	out->disk_known = true;
	memcpy(out->part, b + REC + 0x10, out->gpt ? 16 : 8);
	memcpy(out->disk, b + REC + 0x28, out->gpt ? 16 : 4);
	return true;
}

static void put_record(uint8_t *b, const struct mir_disk_id *id)
{
	memset(b + REC + 0x10, 0, 16);
	memcpy(b + REC + 0x10, id->part, id->gpt ? 16 : 8);
	lb_put_le32(b + REC + 0x24, id->gpt ? 0 : 1);
	memset(b + REC + 0x28, 0, 16);
	memcpy(b + REC + 0x28, id->disk, id->gpt ? 16 : 4);
}

static bool same_disk(const struct mir_disk_id *a, const struct mir_disk_id *b)
{
	return a->gpt == b->gpt && a->disk_known && b->disk_known && memcmp(a->disk, b->disk, a->gpt ? 16 : 4) == 0;
}

static bool same_partition(const struct mir_disk_id *a, const struct mir_disk_id *b)
{
	return a->gpt == b->gpt && memcmp(a->part, b->part, a->gpt ? 16 : 8) == 0 && (a->gpt || same_disk(a, b));
}

/* One device element of the store, visited by walk(). */
struct element {
	const char *object, *object_what, *element_what;
	char path[160];
	uint8_t *blob;
	size_t len;
	struct mir_disk_id rec;
	bool boot_manager;
};

typedef int (*element_fn)(struct regedit *rx, struct mir_identity *id, struct element *e);

static uint32_t object_type(struct lb_hive *bcd, const char *guid)
{
	char path[160];
	uint32_t type = 0;
	snprintf(path, sizeof path, "Objects\\%s\\Description", guid);
	hive_node_h desc = lb_hive_find(bcd, path);
	if (!desc || lb_hive_get_dword(bcd, desc, "Type", &type) < 0)
		type = 0;
	lb_error_clear();
	return type;
}

/* Calls fn for each partition device element of the objects above. */
static int walk(struct regedit *rx, struct mir_identity *id, element_fn fn)
{
	hive_h *h = lb_hive_handle(rx->hive);
	hive_node_h root = lb_hive_find(rx->hive, "Objects");
	hive_node_h *kids = root ? hivex_node_children(h, root) : NULL;
	if (!kids)
		return lb_fail(LB_E_INVALID, "%s: not a BCD store (no Objects key)", rx->name);
	int rc = 0;
	for (size_t i = 0; kids[i] && rc == 0; i++) {
		char *guid = hivex_node_name(h, kids[i]);
		uint32_t type = guid ? object_type(rx->hive, guid) : 0;
		for (size_t o = 0; o < sizeof objects / sizeof *objects && rc == 0; o++) {
			for (size_t k = 0; type == objects[o].type && k < sizeof elements / sizeof *elements && rc == 0; k++) {
				struct element e = { guid, objects[o].what, elements[k].what, "", NULL, 0, { 0 }, o == 0 };
				uint32_t vtype;
				snprintf(e.path, sizeof e.path, "Objects\\%s\\Elements\\%s", guid, elements[k].id);
				hive_node_h node = lb_hive_find(rx->hive, e.path);
				if (node && lb_hive_get_value(rx->hive, node, "Element", &vtype, &e.blob, &e.len) == 0 &&
				    vtype == LB_REG_BINARY && record_id(e.blob, e.len, &e.rec))
					rc = fn(rx, id, &e);
				free(e.blob);
				lb_error_clear();
			}
		}
		free(guid);
	}
	free(kids);
	return rc;
}

/* GPT MountedDevices names no disk: the loader naming the old partition does. */
static int learn_old_disk(struct regedit *rx, struct mir_identity *id, struct element *e)
{
	(void)rx;
	if (!id->old.disk_known && same_partition(&e->rec, &id->old)) {
		memcpy(id->old.disk, e->rec.disk, sizeof id->old.disk);
		id->old.disk_known = true;
	}
	return 0;
}

static int rewrite(struct regedit *rx, struct mir_identity *id, struct element *e)
{
	struct mir_disk_id to = e->rec;
	char was[160], now[160];
	mir_describe_id(&e->rec, true, was, sizeof was);
	if (same_partition(&e->rec, &id->old)) {
		to = id->now;
	} else if (!same_disk(&e->rec, &id->old)) {
		return 0;
	} else if (!e->rec.gpt && !id->now.gpt) {
		memcpy(to.disk, id->now.disk, 4);
	} else if (e->boot_manager && id->now.gpt && id->has_esp) {
		memcpy(to.part, id->esp_guid, 16);
		memcpy(to.disk, id->now.disk, 16);
	} else {
		lb_strbuf_printf(rx->report, "%s: %s %s %s names %s, another partition of the old disk: left as it is\n",
				 rx->name, e->object_what, e->object, e->element_what, was);
		return 0;
	}
	if (same_partition(&to, &e->rec) && same_disk(&to, &e->rec))
		return 0;
	put_record(e->blob, &to);
	mir_describe_id(&to, true, now, sizeof now);
	lb_strbuf_printf(rx->report, "%s: %s %s %s: %s -> %s\n", rx->name, e->object_what, e->object, e->element_what,
			 was, now);
	return rx_set(rx, e->path, "Element", LB_REG_BINARY, e->blob, e->len, false);
}

struct store_ctx {
	struct lb_winop *op;
	struct mir_identity *id;
	struct lb_strbuf *report;
	bool *changed;
};

/* Rewrites one BCD store; its report lines start with prefix and path. A
 * store that cannot be read (damaged hive or file system) is said so and
 * left alone, as M.I.R. has already committed SYSTEM. */
static int edit_store(struct lb_winvol *vol, const char *path, const char *prefix, void *ctx)
{
	struct store_ctx *c = ctx;
	char name[400];
	snprintf(name, sizeof name, "%s%s", prefix, path);
	struct regedit rx = { .name = name, .op = c->op, .report = c->report };
	if (lb_hive_open(vol, path, c->op, &rx.hive) < 0) {
		lb_strbuf_printf(c->report, "%s: cannot be read (%s): its device elements are not rewritten\n", name,
				 lb_error_message());
		lb_error_clear();
		return 0;
	}
	int rc;
	rc = walk(&rx, c->id, learn_old_disk);
	if (rc == 0)
		rc = walk(&rx, c->id, rewrite);
	if (rc == 0)
		rc = rx_commit(&rx);
	*c->changed |= rx.changed;
	lb_hive_close(rx.hive);
	return rc;
}

int mir_identity_bcd(struct lb_win *win, struct lb_winop *op, struct mir_identity *id, struct lb_strbuf *report,
		     bool *changed)
{
	if (!id->stale)
		return 0;
	struct store_ctx c = { op, id, report, changed };
	int stores = 0;
	int rc = lb_win_each_bcd(win, edit_store, &c, report, &stores);
	if (rc == 0 && stores == 0)
		lb_strbuf_puts(report, "no BCD store on this volume or the boot partitions of its disk: no device "
				       "elements to rewrite\n");
	return rc;
}
