/* The pieces of driver injection shared by inject, M.I.R. and their steps
 * (not part of the public API). */
#ifndef LIFEBOAT_WINJECT_INTERNAL_H
#define LIFEBOAT_WINJECT_INTERNAL_H

#include "lifeboat/drv_inject.h"
#include "regedit.h"

/* One install section of one package, with the devices that use it. */
struct inject_unit {
	size_t pkg;                        /* index in injection.pkgs */
	const char *install;               /* as the Models lines name it */
	struct lb_drv_install inst;
	const struct lb_drv_service *svc;  /* the function driver, NULL if none */
	const char **ids;                  /* hardware and compatible IDs, each once */
	size_t nids;
	bool boot;                         /* boot-start storage driver: boot path written offline */
};

struct inject_pkg {
	struct lb_drv_package *pkg;
	char inf_name[128];                /* lower-case file name, "viostor.inf" */
	char stem[128];                    /* "viostor" */
	char label[200];                   /* "viostor.inf_amd64_<16 hex>" */
	char stage[512];                   /* volume path of its staging folder */
};

struct injection {
	struct lb_win *win;
	struct lb_win_target target;
	struct inject_pkg *pkgs;
	size_t npkgs, cap_pkgs;
	struct inject_unit *units;
	size_t nunits, cap_units;
	uint8_t *sd;                       /* security descriptor for new files, NULL if none */
	size_t sd_len;
};

/* Starts an injection into win (reads the target's architecture and version). */
int inject_init(struct injection *inj, struct lb_win *win);
void inject_free(struct injection *inj);

/* Loads a package (folder or .inf) and checks everything an injection
 * needs: Models for the target, install sections, files, PE machines. */
int inject_add_path(struct injection *inj, const char *path);

/* Writes files: boot drivers to their DIRID folder, every package staged. */
int inject_files(struct injection *inj, struct lb_winop *op, struct lb_strbuf *report);

/* SYSTEM edits (Services, AddReg, CriticalDeviceDatabase or DriverDatabase)
 * in the control sets Windows may boot. */
int inject_system(struct injection *inj, struct regedit *rx, const uint32_t *sets, size_t nsets);

/* SOFTWARE DevicePath gets each staging folder, and the boot drivers'
 * AddReg lines for HKLM\SOFTWARE and HKCR are applied. */
int inject_software(struct injection *inj, struct regedit *rx);

/* Where the AddReg/DelReg lines being applied land (inject_addreg.c). */
struct reg_scope {
	struct regedit *rx;  /* the session edited */
	bool system;         /* SYSTEM (else SOFTWARE) */
	const char *hkr;     /* what HKR is in SYSTEM, NULL when not applied offline */
	uint32_t set;        /* control set that CurrentControlSet means */
	bool first_set;      /* lines outside control sets are applied once, here */
};

/* Applies the lines of AddReg (del false) or DelReg sections that land in sc's hive. */
int inject_apply_reg(const struct reg_scope *sc, const struct lb_inf *inf, char **sections, size_t n, bool del);

/* The registry lines of a boot unit for sc: service AddReg/DelReg (HKR =
 * Services\<svc>), event-log AddReg, install and .HW AddReg (HKLM/HKCR lines). */
int inject_unit_reg(struct injection *inj, const struct inject_unit *u, const struct reg_scope *sc);

/* The SOFTWARE side of every boot unit's registry lines. */
int inject_software_reg(struct injection *inj, struct regedit *rx);

/* Queues the first-boot pnputil install (and DriverDatabase cleanup). */
int inject_firstboot(struct injection *inj, struct lb_winop *op, struct lb_strbuf *report);

/* Control sets to edit: Default, and Current/LastKnownGood when they differ. */
int inject_control_sets(struct lb_hive *system, uint32_t *sets, size_t *nsets);

/* Whether SYSTEM has DriverDatabase (Windows 8 and later). */
bool inject_has_ddb(struct lb_hive *system);

/* More work of M.I.R. in the injection's operation: SYSTEM edits made in
 * its SYSTEM session (fn), and steps with sessions of their own run last
 * (after, NULL for none). */
struct inject_extra {
	int (*fn)(struct regedit *rx, const uint32_t *sets, size_t nsets, void *ctx);
	int (*after)(struct lb_win *win, struct lb_winop *op, void *ctx);
	void *ctx;
};

/* Runs the whole injection of the units in inj as the operation what,
 * with extra edits of SYSTEM (NULL for none). */
int inject_run(struct injection *inj, const char *what, struct lb_strbuf *report, const struct inject_extra *extra);

/* Reads a local file (of a driver package) whole; *data malloc'ed. */
int inject_read_local(const char *path, uint8_t **data, size_t *len);

#endif
