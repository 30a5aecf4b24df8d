/* The pieces of M.I.R. (not part of the public API). */
#ifndef LIFEBOAT_WINJECT_MIR_INTERNAL_H
#define LIFEBOAT_WINJECT_MIR_INTERNAL_H

#include "inject_internal.h"

/* Number of Windows PCI IDs of a device (hardware IDs, then compatible IDs). */
#define MIR_PCI_IDS 11

/* The Windows PCI IDs of d, best match first. */
void mir_pci_ids(const struct lb_sys_device *d, char ids[MIR_PCI_IDS][64]);

/* A driver that can run a storage controller. */
struct mir_candidate {
	bool found;
	bool inbox;              /* a driver Windows already has; else a package */
	unsigned score;          /* 2 x index of the matched device ID, +1 for an INF compatible ID */
	char id[64];             /* the device ID that matched */
	char service[128];       /* inbox: the service to enable */
	char inf_path[4096];     /* package: its INF */
	char source[256];        /* where it was found, for the report */
	bool has_date, has_version;
	unsigned year, month, day;
	uint16_t version[4];
};

/* True when a should be chosen over b (rank, then date, then version). */
bool mir_better(const struct mir_candidate *a, const struct mir_candidate *b);

/* The inbox driver the installation's CriticalDeviceDatabase (XP-7) or
 * DriverDatabase (8+) maps one of ids to, if its service can load. */
void mir_inbox_candidate(struct lb_win *win, struct lb_hive *system, uint32_t set, char ids[MIR_PCI_IDS][64],
			 struct mir_candidate *best);

/* The best package for ids among the .inf files below dirs. */
void mir_package_candidates(const struct lb_win_target *t, const char *const *dirs, size_t ndirs,
			    char ids[MIR_PCI_IDS][64], struct mir_candidate *best);

/* Whether service name of control set can load: its key exists, it is not
 * disabled (Start 4) and its binary is on the volume. why says what is wrong. */
bool mir_service_loadable(struct lb_win *win, struct lb_hive *system, uint32_t set, const char *name,
			  const char **why);

#endif
