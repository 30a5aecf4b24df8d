/* libFuzzer target for the INF parser and the driver-package model: any
 * bytes must either parse or fail with a message, never crash or leak;
 * everything a parsed package names (installs, services, AddReg) is walked. */
#include <stddef.h>
#include <stdint.h>

#include "lifeboat/driver_pkg.h"
#include "lifeboat/error.h"

static void walk_registry(const struct lb_inf *inf, char **sections, size_t n, bool del)
{
	for (size_t i = 0; i < n; i++) {
		const struct lb_inf_section *sec = lb_inf_section(inf, sections[i]);
		for (size_t k = 0; sec && k < sec->nlines; k++) {
			struct lb_inf_reg r;
			if (lb_inf_reg_parse(inf, &sec->lines[k], del, &r) == 0)
				lb_inf_reg_clear(&r);
		}
	}
}

static void walk_install(const struct lb_drv_package *pkg, const char *install, enum lb_arch arch)
{
	struct lb_drv_install inst;
	if (lb_drv_install_resolve(pkg, install, arch, &inst) < 0)
		return;
	walk_registry(pkg->inf, inst.addreg, inst.naddreg, false);
	walk_registry(pkg->inf, inst.hw_addreg, inst.nhw_addreg, false);
	for (size_t i = 0; i < inst.nservices; i++) {
		walk_registry(pkg->inf, inst.services[i].addreg, inst.services[i].naddreg, false);
		walk_registry(pkg->inf, inst.services[i].delreg, inst.services[i].ndelreg, true);
	}
	lb_drv_install_clear(&inst);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct lb_win_target targets[] = {
		{ LB_ARCH_AMD64, 10, 0, 19045, 1 }, { LB_ARCH_X86, 6, 1, 7601, 1 }, { LB_ARCH_ARM64, 10, 0, 22000, 3 },
	};
	struct lb_drv_package *pkg;
	if (lb_drv_package_parse("fuzz.inf", data, size, &pkg) == 0) {
		lb_drv_package_catalog(pkg, LB_ARCH_AMD64);
		for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++)
			for (size_t m = 0; m < pkg->nmanufacturers; m++)
				lb_drv_select_models(pkg, m, &targets[t]);
		for (size_t i = 0; i < pkg->nmodels; i++)
			for (size_t d = 0; d < pkg->models[i].ndevices; d++)
				walk_install(pkg, pkg->models[i].devices[d].install, pkg->models[i].dec.arch);
		lb_drv_package_free(pkg);
	}
	lb_error_clear();
	char **warnings;
	int n = lb_warnings_take(&warnings);
	if (n > 0)
		lb_warnings_free(warnings, n);
	return 0;
}
