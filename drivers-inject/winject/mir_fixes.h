/* M.I.R.'s registry fixes in one control set (mir_fixes.c). */
#ifndef LIFEBOAT_WINJECT_MIR_FIXES_H
#define LIFEBOAT_WINJECT_MIR_FIXES_H

#include <stdint.h>

#include "lifeboat/winoffline.h"
#include "regedit.h"

/* Start=0 and no StartOverride for an inbox storage driver. */
int mir_enable_service(struct regedit *rx, uint32_t set, const char *svc);
/* Drops LowerFilters/UpperFilters entries of storage classes that cannot load. */
int mir_clean_filters(struct regedit *rx, struct lb_win *win, uint32_t set);
/* Start=4 for the processor driver of the other vendor (cpu_vendor NULL: nothing). */
int mir_cpu_driver(struct regedit *rx, uint32_t set, const char *cpu_vendor);
/* CrashControl\AutoReboot=0. */
int mir_auto_reboot(struct regedit *rx, uint32_t set);

#endif
