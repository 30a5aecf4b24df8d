/* `win mir`: restore to other hardware. For each storage controller (PCI
 * class 01xxxx) of the target machine, the best driver among the inbox
 * ones (enabled) and the packages of --drivers (injected), with the reason;
 * controllers without any driver are named with what to do. Then stale
 * storage filters, the other vendor's CPU driver, AutoReboot, the HAL
 * step of the Windows era, and the disk identity in MountedDevices and the
 * BCD stores, all in one journaled operation (`win undo` reverts it).
 * Everything is decided from a read-only look at SYSTEM (and the disk)
 * before anything is written. */
#include "mir_internal.h"
#include "mir_fixes.h"
#include "mir_identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifeboat/error.h"

#define MAX_CONTROLLERS 32

struct mir_plan {
	struct lb_win *win;
	const struct lb_mir_opts *opts;
	char services[MAX_CONTROLLERS][128];   /* inbox drivers to enable */
	size_t nservices;
	struct mir_identity ident;             /* the disk Windows lives on, and what it believes */
	struct lb_strbuf steps;                /* report of the steps with their own sessions */
	bool changed;                          /* one of those steps wrote something */
};

static void describe_device(const struct lb_sys_device *d, struct lb_strbuf *out)
{
	lb_strbuf_printf(out, "storage controller %s:%s (subsystem %s:%s, rev %s, class %s%s%s)", d->vendor, d->device,
			 d->subsys_vendor, d->subsys_device, d->revision, d->class_code, d->driver ? ", Linux driver " : "",
			 d->driver ? d->driver : "");
}

static void explain(const struct mir_candidate *c, struct lb_strbuf *out)
{
	lb_strbuf_printf(out, "  chosen: %s %s (%s), matching %s (%s, rank %u of %d)",
			 c->inbox ? "inbox driver" : "driver package", c->inbox ? c->service : c->inf_path, c->source, c->id,
			 c->score < 8 ? "hardware ID" : "compatible ID", c->score / 2, MIR_PCI_IDS);
	if (c->has_date)
		lb_strbuf_printf(out, ", dated %04u-%02u-%02u", c->year, c->month, c->day);
	if (c->has_version)
		lb_strbuf_printf(out, ", version %u.%u.%u.%u", c->version[0], c->version[1], c->version[2], c->version[3]);
	lb_strbuf_puts(out, "\n");
}

static void no_driver(const struct lb_sys_device *d, struct lb_strbuf *out)
{
	bool intel_raid = strcasecmp(d->vendor, "8086") == 0 && strncmp(d->class_code, "0104", 4) == 0;
	lb_strbuf_printf(out, "  NO DRIVER: Windows has no driver for this controller and none of the --drivers "
			 "folders has one; Windows will stop with 0x7B INACCESSIBLE_BOOT_DEVICE.%s give --drivers with "
			 "the vendor's driver package (.inf, .sys, .cat) for this Windows.\n",
			 intel_raid ? " This is an Intel RAID/RST/VMD controller: switch the firmware setup's SATA/NVMe "
				      "mode to AHCI (or disable VMD), or" : " Switch the controller to AHCI mode in the "
									    "firmware setup if it offers one, or");
}

static bool is_storage_controller(const struct lb_sys_device *d)
{
	return d->bus && strcmp(d->bus, "pci") == 0 && strncmp(d->class_code, "01", 2) == 0;
}

/* Chooses a driver per storage controller; packages are added to inj. */
static int choose(struct mir_plan *plan, struct injection *inj, struct lb_strbuf *report)
{
	struct lb_hive *system;
	int rc = lb_win_open_hive(plan->win, "SYSTEM", NULL, &system);
	if (rc < 0)
		return rc;
	uint32_t sets[3];
	size_t nsets;
	rc = inject_control_sets(system, sets, &nsets);
	size_t controllers = 0;
	for (size_t i = 0; i < plan->opts->ndevices && rc == 0; i++) {
		const struct lb_sys_device *d = &plan->opts->devices[i];
		if (!is_storage_controller(d))
			continue;
		controllers++;
		char ids[MIR_PCI_IDS][64];
		mir_pci_ids(d, ids);
		struct mir_candidate best = { 0 };
		mir_inbox_candidate(plan->win, system, sets[0], ids, &best);
		mir_package_candidates(&inj->target, plan->opts->driver_dirs, plan->opts->ndriver_dirs, ids, &best);
		describe_device(d, report);
		lb_strbuf_puts(report, "\n");
		if (!best.found) {
			no_driver(d, report);
			continue;
		}
		explain(&best, report);
		if (!best.inbox) {
			rc = inject_add_path(inj, best.inf_path);
		} else if (plan->nservices < MAX_CONTROLLERS) {
			bool dup = false;
			for (size_t k = 0; k < plan->nservices; k++)
				dup |= strcasecmp(plan->services[k], best.service) == 0;
			if (!dup)
				snprintf(plan->services[plan->nservices++], sizeof plan->services[0], "%s", best.service);
		}
	}
	if (rc == 0 && controllers == 0)
		lb_strbuf_puts(report, "no storage controller (PCI class 01) in the hardware list\n");
	struct lb_strbuf ident;
	lb_strbuf_init(&ident);
	if (rc == 0)
		rc = mir_identity_plan(plan->win, system, &plan->ident, &ident);
	lb_strbuf_prefix_lines(report, "disk identity: ", lb_strbuf_str(&ident));
	lb_strbuf_free(&ident);
	lb_hive_close(system);
	return rc;
}

static int system_fixes(struct regedit *rx, const uint32_t *sets, size_t nsets, void *ctx)
{
	struct mir_plan *plan = ctx;
	int rc = mir_identity_system(rx, &plan->ident);
	for (size_t s = 0; s < nsets && rc == 0; s++) {
		for (size_t i = 0; i < plan->nservices && rc == 0; i++)
			rc = mir_enable_service(rx, sets[s], plan->services[i]);
		if (rc == 0)
			rc = mir_clean_filters(rx, plan->win, sets[s]);
		if (rc == 0)
			rc = mir_cpu_driver(rx, sets[s], plan->opts->cpu_vendor);
		if (rc == 0)
			rc = mir_auto_reboot(rx, sets[s]);
	}
	return rc;
}

/* The steps with sessions of their own, in M.I.R.'s operation: the HAL
 * step ("replace HAL") of the Windows era, then the BCD side of the disk
 * identity. */
static int boot_steps(struct lb_win *win, struct lb_winop *op, void *ctx)
{
	struct mir_plan *plan = ctx;
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	int rc = lb_win_hal_step(win, op, &text, &plan->changed);
	lb_strbuf_prefix_lines(&plan->steps, "HAL: ", lb_strbuf_str(&text));
	lb_strbuf_free(&text);
	lb_strbuf_init(&text);
	if (rc == 0)
		rc = mir_identity_bcd(win, op, &plan->ident, &text, &plan->changed);
	lb_strbuf_prefix_lines(&plan->steps, "disk identity: ", lb_strbuf_str(&text));
	lb_strbuf_free(&text);
	return rc;
}

int lb_drv_mir(struct lb_win *win, const struct lb_mir_opts *opts, struct lb_strbuf *report)
{
	struct injection inj;
	struct mir_plan plan = { .win = win, .opts = opts };
	lb_strbuf_init(&plan.steps);
	int rc = inject_init(&inj, win);
	if (rc == 0)
		rc = choose(&plan, &inj, report);
	if (rc == 0) {
		size_t before = report->len;
		struct inject_extra extra = { system_fixes, boot_steps, &plan };
		rc = inject_run(&inj, "mir: adapt to new hardware", report, &extra);
		bool changed = plan.changed || report->len != before;
		lb_strbuf_puts(report, lb_strbuf_str(&plan.steps));
		if (rc == 0 && !changed)
			lb_strbuf_puts(report, "nothing to change: Windows is already adapted to this hardware\n");
	}
	lb_strbuf_free(&plan.steps);
	inject_free(&inj);
	return rc;
}
