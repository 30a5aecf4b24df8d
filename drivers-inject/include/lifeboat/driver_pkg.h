/* Driver packages: the model of an INF that an injector needs — version
 * data, Models sections per architecture/OS decoration, the install section
 * each device resolves to, its services, files and registry lines. */
#ifndef LIFEBOAT_DRIVER_PKG_H
#define LIFEBOAT_DRIVER_PKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lifeboat/inf.h"

enum lb_arch {
	LB_ARCH_ANY = 0,   /* undecorated or plain "NT" */
	LB_ARCH_X86,
	LB_ARCH_AMD64,
	LB_ARCH_IA64,
	LB_ARCH_ARM,
	LB_ARCH_ARM64,
	LB_ARCH_UNKNOWN,   /* e.g. an un-stamped "NT$ARCH$" template */
};

/* "x86", "amd64", ... ("any", "unknown"). */
const char *lb_arch_name(enum lb_arch arch);
/* Parses "x86"/"amd64"/"arm64"/... case-insensitively; LB_ARCH_UNKNOWN if not. */
enum lb_arch lb_arch_parse(const char *text);
/* PE machine field for arch (0x14c, 0x8664, 0x200, 0x1c4, 0xaa64), 0 for none. */
uint16_t lb_arch_pe_machine(enum lb_arch arch);

/* The Windows a package is meant for. product_type: 1 workstation, 2 domain
 * controller, 3 server (0 = unknown: matches any decoration). */
struct lb_win_target {
	enum lb_arch arch;
	unsigned major, minor, build, product_type;
};

/* A TargetOSVersion: NT[arch][.major[.minor[.ptype[.suite[.build]]]]]. */
struct lb_inf_decoration {
	enum lb_arch arch;
	char arch_text[16];        /* as written ("amd64", "$ARCH$"), "" if none */
	bool has_version;
	unsigned major, minor;
	unsigned product_type;     /* 0 = any */
	unsigned suite;            /* 0 = any */
	unsigned build;            /* 0 = any */
};

/* Parses a decoration; LB_E_INVALID unless it starts with "NT". */
int lb_inf_decoration_parse(const char *text, struct lb_inf_decoration *out);
/* True when Windows of target would consider a Models section so decorated. */
bool lb_inf_decoration_matches(const struct lb_inf_decoration *d, const struct lb_win_target *t);
/* Orders two matching decorations: > 0 when a is more specific than b. */
int lb_inf_decoration_compare(const struct lb_inf_decoration *a, const struct lb_inf_decoration *b);

struct lb_drv_device {
	const char *description;
	const char *install;       /* install section named by the Models line */
	const char **ids;          /* ids[0] hardware ID, then compatible IDs */
	size_t nids;
	unsigned lineno;
};

struct lb_drv_models {
	size_t mfg;                /* index of its [Manufacturer] line */
	const char *manufacturer;
	const char *base;          /* Models section name without decoration */
	const char *decoration;    /* "NTamd64.6.3", "" for the undecorated form */
	struct lb_inf_decoration dec;  /* zeroed for the undecorated form */
	bool present;              /* the section exists in the INF */
	struct lb_drv_device *devices;
	size_t ndevices;
};

struct lb_drv_package {
	struct lb_inf *inf;
	char *path;                /* the INF file */
	char *dir;                 /* its folder: sources are relative to it */
	const char *class_name, *class_guid, *provider, *signature;
	bool has_date;
	unsigned year, month, day;
	bool has_version;
	uint16_t version[4];
	struct lb_drv_models *models;   /* every Models form of every manufacturer */
	size_t nmodels;
	size_t nmanufacturers;
};

/* Loads and models the INF at path (a .inf file). */
int lb_drv_package_load(const char *path, struct lb_drv_package **out);
/* The same from an INF held in memory; name stands for its path. */
int lb_drv_package_parse(const char *name, const void *data, size_t len, struct lb_drv_package **out);
void lb_drv_package_free(struct lb_drv_package *pkg);

/* The catalog named for arch (CatalogFile.NT<arch>, .NT, plain), or NULL. */
const char *lb_drv_package_catalog(const struct lb_drv_package *pkg, enum lb_arch arch);

/* The best Models section of manufacturer index i for target, or NULL with
 * a message saying why none fits. */
const struct lb_drv_models *lb_drv_select_models(const struct lb_drv_package *pkg, size_t manufacturer,
						 const struct lb_win_target *target);

/* Storage controller classes (SCSIAdapter, HDC) whose driver starts at boot. */
bool lb_drv_class_is_storage(const char *class_guid);

/* Lists the .inf files directly inside dir, sorted; *paths is malloc'ed. */
int lb_drv_find_infs(const char *dir, char ***paths, size_t *count);
void lb_drv_paths_free(char **paths, size_t count);

/* Windows folders named by DIRIDs. */
enum lb_dirid_base { LB_DIRID_WINDOWS, LB_DIRID_SYSTEM_DRIVE, LB_DIRID_DRIVER_STORE, LB_DIRID_SOURCE, LB_DIRID_ABSOLUTE };
/* For a DIRID, the base and the path below it ("System32\drivers"); LB_E_UNSUPPORTED for unknown ones. */
int lb_dirid_lookup(long dirid, enum lb_dirid_base *base, const char **path);

struct lb_drv_file {
	char *name;          /* name at the destination */
	char *source;        /* name in the package */
	char *source_path;   /* path relative to the package folder ('/'-separated) */
	long dirid;
	char *subdir;        /* below the DIRID, "" if none */
	unsigned flags;      /* COPYFLG_* */
};

struct lb_drv_service {
	char *name;
	unsigned flags;            /* SPSVCINST_*; 0x2 = function driver of the device */
	char *section;             /* service-install section */
	char *eventlog_section;    /* "" if none */
	bool has_type, has_start, has_error_control;
	unsigned type, start, error_control;
	char *binary;              /* ServiceBinary as written, "" if none */
	long binary_dirid;         /* its leading %DIRID%, 0 if none */
	char *binary_file;         /* the path after the DIRID ("viostor.sys") */
	char *image_path;          /* ImagePath under %SystemRoot% ("system32\drivers\x.sys"), "" if not there */
	char *group, *display_name, *description, *start_name;
	char **dependencies;
	size_t ndependencies;
	char **addreg, **delreg;   /* section names */
	size_t naddreg, ndelreg;
};

/* Everything an install section does, with its platform form resolved. */
struct lb_drv_install {
	char *section;             /* actual section: "disk.NT" for "disk" */
	struct lb_drv_service *services;
	size_t nservices;
	struct lb_drv_file *files;
	size_t nfiles;
	char **addreg, **hw_addreg, **includes, **needs;
	size_t naddreg, nhw_addreg, nincludes, nneeds;
};

/* Resolves install (install.NT<arch>, install.NT, install) for arch and
 * collects its services, files and registry sections. */
int lb_drv_install_resolve(const struct lb_drv_package *pkg, const char *install, enum lb_arch arch,
			   struct lb_drv_install *out);
void lb_drv_install_clear(struct lb_drv_install *inst);

/* The function driver (AddService flag 0x2) of an install, or NULL. */
const struct lb_drv_service *lb_drv_install_function_service(const struct lb_drv_install *inst);

/* Registry value types (winnt.h). */
enum {
	LB_REG_NONE = 0, LB_REG_SZ = 1, LB_REG_EXPAND_SZ = 2, LB_REG_BINARY = 3,
	LB_REG_DWORD = 4, LB_REG_MULTI_SZ = 7, LB_REG_QWORD = 11,
};

/* AddReg/DelReg flags. */
enum {
	LB_FLG_ADDREG_BINVALUETYPE = 0x1,
	LB_FLG_ADDREG_NOCLOBBER = 0x2,
	LB_FLG_ADDREG_DELVAL = 0x4,
	LB_FLG_ADDREG_APPEND = 0x8,
	LB_FLG_ADDREG_KEYONLY = 0x10,
	LB_FLG_ADDREG_OVERWRITEONLY = 0x20,
};

/* One AddReg or DelReg line. */
struct lb_inf_reg {
	char root[8];            /* "HKR", "HKLM", "HKCR", "HKCU", "HKU" */
	const char *subkey;      /* "" for the root key itself */
	const char *name;        /* NULL for the key's default value */
	unsigned flags;
	bool delete;             /* DelReg line or FLG_ADDREG_DELVAL */
	bool key_only;           /* create the key, set no value */
	uint32_t type;
	unsigned char *data;     /* registry form: UTF-16LE strings with NULs, LE DWORDs, bytes */
	size_t len;
	unsigned lineno;
};

/* Parses line of an AddReg (is_delreg false) or DelReg section. */
int lb_inf_reg_parse(const struct lb_inf *inf, const struct lb_inf_line *line, bool is_delreg,
		     struct lb_inf_reg *out);
void lb_inf_reg_clear(struct lb_inf_reg *reg);

#endif
