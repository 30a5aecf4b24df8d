/* Helpers shared by the driver-package files (not part of the public API). */
#ifndef LIFEBOAT_PKG_INTERNAL_H
#define LIFEBOAT_PKG_INTERNAL_H

#include "lifeboat/driver_pkg.h"
#include "../inf/inf_internal.h"

/* Reads the device lines of Models section sec into m. */
int pkg_read_devices(const struct lb_inf *inf, const struct lb_inf_section *sec, struct lb_drv_models *m);

/* Appends a copy of s to the string list *list; 0 or a negative code. */
int pkg_list_add(char ***list, size_t *n, const char *s);
void pkg_list_free(char **list, size_t n);

/* Adds the files of a CopyFiles= line to inst->files. */
int pkg_add_copyfiles(const struct lb_inf *inf, const struct lb_inf_line *line, enum lb_arch arch,
		      struct lb_drv_install *inst, size_t *cap);

#endif
