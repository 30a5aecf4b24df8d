/* M.I.R.'s disk identity step (mir_identity.c, mir_bcd.c): the identity
 * Windows knows its partition by (MountedDevices, BCD device elements)
 * against the one of the disk it now lives on. */
#ifndef LIFEBOAT_WINJECT_MIR_IDENTITY_H
#define LIFEBOAT_WINJECT_MIR_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lifeboat/strbuf.h"
#include "lifeboat/winoffline.h"
#include "regedit.h"

/* How Windows names a partition: GPT disk and partition GUIDs (on-disk
 * byte order), or MBR disk signature (disk[0..3]) and byte offset (part[0..7], LE). */
struct mir_disk_id {
	bool gpt;
	bool disk_known;      /* GPT MountedDevices carries no disk GUID */
	uint8_t disk[16];
	uint8_t part[16];
};

struct mir_identity {
	bool known;           /* the partition's disk could be read */
	bool stale;           /* MountedDevices \DosDevices\C: names another partition */
	struct mir_disk_id now, old;
	uint8_t now_blob[24], old_blob[24];   /* MountedDevices forms */
	size_t now_len, old_len;
	bool has_esp;
	uint8_t esp_guid[16]; /* GPT: the disk's EFI system partition */
	uint64_t starts[16];  /* MBR: byte offsets of the disk's partitions */
	size_t nstarts;
	char where[300];      /* "partition 3 of disk.img" */
};

/* Reads the identity of the partition holding win (TARGET as DISK:N or a
 * partition device) and what SYSTEM's MountedDevices says; info gets a
 * line saying what was found. Never fails for a TARGET that is not on a
 * readable disk (id->known false). */
int mir_identity_plan(struct lb_win *win, struct lb_hive *system, struct mir_identity *id, struct lb_strbuf *info);

/* Rewrites every MountedDevices value that held the old identity; on MBR,
 * also the other volumes of the old disk found at the same offset on this
 * one get the new disk signature. */
int mir_identity_system(struct regedit *rx, const struct mir_identity *id);

/* Rewrites the device elements of the boot manager, loader and resume
 * objects of every BCD store lb_win_each_bcd finds; report gets each
 * change and what was left alone, *changed is set when a store was
 * written. */
int mir_identity_bcd(struct lb_win *win, struct lb_winop *op, struct mir_identity *id, struct lb_strbuf *report,
		     bool *changed);

/* "GPT partition {8E0F2C38-...} of disk {0B2394A9-...}" (the disk when
 * with_disk and known) or "MBR disk signature 273E4CFE, partition at byte
 * 368050176". */
void mir_describe_id(const struct mir_disk_id *id, bool with_disk, char *out, size_t len);

#endif
