/* Driver injection into an offline Windows and M.I.R. (restore to other
 * hardware): the boot path written the virt-v2v way (Services, and
 * CriticalDeviceDatabase before Windows 8 or DriverDatabase from 8 on),
 * files copied with a sibling's security descriptor, packages staged for a
 * first-boot pnputil. Every hive edit goes through lifeboat/hive.h sessions
 * of one journaled operation, so `lb_win_undo` reverts it. */
#ifndef LIFEBOAT_DRV_INJECT_H
#define LIFEBOAT_DRV_INJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "lifeboat/driver_pkg.h"
#include "lifeboat/kmod.h"
#include "lifeboat/strbuf.h"
#include "lifeboat/winoffline.h"

/* The architecture (PE machine of System32\cmd.exe) and version (SOFTWARE
 * CurrentVersion values) of an installation. */
int lb_drv_win_target(struct lb_win *win, struct lb_win_target *out);

/* Injects driver packages (folders of .inf files or .inf files) into win as
 * one journaled operation. Everything is checked before anything is written
 * (Models for the target, files present, PE machine); a refusal changes
 * nothing. Injecting the same packages again changes nothing. Each change
 * is described on one line of report. */
int lb_drv_inject(struct lb_win *win, const char *const *packages, size_t npackages, struct lb_strbuf *report);

/* M.I.R. options: where drivers may come from, and the hardware of the
 * machine Windows will boot on. */
struct lb_mir_opts {
	const char *const *driver_dirs;
	size_t ndriver_dirs;
	const struct lb_sys_device *devices;  /* PCI devices (bus "pci") */
	size_t ndevices;
	const char *cpu_vendor;               /* "GenuineIntel", "AuthenticAMD", NULL = unknown */
};

/* Adapts win to the hardware in opts (storage drivers, stale filters, CPU
 * power driver, AutoReboot) as one journaled operation; report gets every
 * decision and change. */
int lb_drv_mir(struct lb_win *win, const struct lb_mir_opts *opts, struct lb_strbuf *report);

/* Reads a hardware list: lines "pci VVVV:DDDD SSSS:TTTT RR CCCCCC [driver]"
 * (vendor:device, subsystem vendor:device, revision, class, Linux driver)
 * and "cpu VENDOR"; '#' starts a comment. */
int lb_mir_read_hardware(const char *path, struct lb_sys_device **devices, size_t *count, char **cpu_vendor);

#endif
