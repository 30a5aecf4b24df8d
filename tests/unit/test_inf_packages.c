/* Unit tests of the driver-package model on the real INFs of the shared test
 * data (viostor, netkvm, diskdev, lsi_u3, toastpkg) and on their UTF-16LE
 * conversions (made here with iconv), which must parse identically. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/driver_pkg.h"
#include "lifeboat/error.h"

#define DRV TESTDATA "/drivers/"

static const char *const real_infs[] = {
	DRV "viostor-w10-amd64/viostor.inf", DRV "netkvm-w10-arm64/netkvm.inf", DRV "wdk-samples/diskdev.inf",
	DRV "wdk-samples/lsi_u3.inf", DRV "wdk-samples/toastpkg.inf",
};

static struct lb_drv_package *load(const char *path)
{
	struct lb_drv_package *pkg = NULL;
	if (lb_drv_package_load(path, &pkg) != 0)
		fail_msg("%s: %s", path, lb_error_message());
	return pkg;
}

static const struct lb_win_target win10_x64 = { LB_ARCH_AMD64, 10, 0, 19045, 1 };
static const struct lb_win_target win7_x64 = { LB_ARCH_AMD64, 6, 1, 7601, 1 };
static const struct lb_win_target win10_1511_x64 = { LB_ARCH_AMD64, 10, 0, 10586, 1 };

static void viostor_model(void **state)
{
	(void)state;
	struct lb_drv_package *pkg = load(DRV "viostor-w10-amd64/viostor.inf");
	assert_string_equal(pkg->class_name, "SCSIAdapter");
	assert_true(lb_drv_class_is_storage(pkg->class_guid));
	assert_string_equal(pkg->provider, "Red Hat, Inc.");
	assert_true(pkg->has_date && pkg->year == 2021 && pkg->month == 8 && pkg->day == 30);
	assert_true(pkg->version[0] == 100 && pkg->version[1] == 85 && pkg->version[2] == 104 &&
		    pkg->version[3] == 20800);
	assert_string_equal(lb_drv_package_catalog(pkg, LB_ARCH_AMD64), "viostor.cat");
	assert_int_equal(pkg->nmanufacturers, 1);

	const struct lb_drv_models *m = lb_drv_select_models(pkg, 0, &win10_x64);
	assert_non_null(m);
	assert_string_equal(m->decoration, "NTamd64.6.3");
	assert_int_equal(m->ndevices, 2);
	assert_string_equal(m->devices[0].install, "scsi_inst");
	assert_int_equal(m->devices[0].nids, 2);
	assert_string_equal(m->devices[0].ids[0], "PCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00");
	assert_string_equal(m->devices[1].ids[1], "PCI\\VEN_1AF4&DEV_1042");
	assert_string_equal(m->devices[0].description, "Red Hat VirtIO SCSI controller");

	assert_null(lb_drv_select_models(pkg, 0, &win7_x64));
	assert_string_equal(lb_error_message(),
			    "viostor.inf: no Models section for Windows 6.1 (build 7601) amd64: the INF offers "
			    "NTamd64.6.3, made for a newer Windows");
	struct lb_win_target x86 = { LB_ARCH_X86, 10, 0, 19045, 1 };
	assert_null(lb_drv_select_models(pkg, 0, &x86));
	assert_non_null(strstr(lb_error_message(), "built for another architecture"));

	struct lb_drv_install inst;
	assert_int_equal(lb_drv_install_resolve(pkg, "scsi_inst", LB_ARCH_AMD64, &inst), 0);
	assert_string_equal(inst.section, "scsi_inst");
	assert_int_equal(inst.nservices, 1);
	const struct lb_drv_service *s = lb_drv_install_function_service(&inst);
	assert_non_null(s);
	assert_string_equal(s->name, "viostor");
	assert_true(s->has_type && s->type == 1 && s->has_start && s->start == 0 && s->error_control == 1);
	assert_string_equal(s->group, "SCSI miniport");
	assert_string_equal(s->binary, "%12%\\viostor.sys");
	assert_int_equal(s->binary_dirid, 12);
	assert_string_equal(s->image_path, "system32\\drivers\\viostor.sys");
	assert_string_equal(s->eventlog_section, "scsi_EventLog_Inst");
	assert_int_equal(s->naddreg, 1);
	assert_string_equal(s->addreg[0], "pnpsafe_pci_addreg");
	assert_int_equal(inst.nfiles, 1);
	assert_string_equal(inst.files[0].name, "viostor.sys");
	assert_string_equal(inst.files[0].source_path, "viostor.sys");
	assert_int_equal(inst.files[0].dirid, 12);
	assert_int_equal(inst.files[0].flags, 2);
	assert_int_equal(inst.nhw_addreg, 1);
	assert_string_equal(inst.hw_addreg[0], "pnpsafe_pci_addreg_msix");
	lb_drv_install_clear(&inst);
	lb_drv_package_free(pkg);
}

static const struct lb_inf_line *line_of(const struct lb_inf *inf, const char *section, size_t i)
{
	const struct lb_inf_section *s = lb_inf_section(inf, section);
	assert_non_null(s);
	assert_true(i < s->nlines);
	return &s->lines[i];
}

static void viostor_registry_lines(void **state)
{
	(void)state;
	struct lb_drv_package *pkg = load(DRV "viostor-w10-amd64/viostor.inf");
	struct lb_inf_reg r;
	assert_int_equal(lb_inf_reg_parse(pkg->inf, line_of(pkg->inf, "pnpsafe_pci_addreg", 0), false, &r), 0);
	assert_string_equal(r.root, "HKR");
	assert_string_equal(r.subkey, "Parameters\\PnpInterface");
	assert_string_equal(r.name, "5");
	assert_int_equal(r.type, LB_REG_DWORD);
	assert_int_equal(r.len, 4);
	assert_memory_equal(r.data, "\1\0\0\0", 4);
	lb_inf_reg_clear(&r);

	assert_int_equal(lb_inf_reg_parse(pkg->inf, line_of(pkg->inf, "scsi_EventLog_AddReg", 0), false, &r), 0);
	assert_int_equal(r.type, LB_REG_EXPAND_SZ);
	static const char expect[] = "%SystemRoot%\\System32\\IoLogMsg.dll";
	assert_int_equal(r.len, 2 * sizeof expect);
	for (size_t i = 0; i < sizeof expect; i++)
		assert_true(r.data[2 * i] == (unsigned char)expect[i] && r.data[2 * i + 1] == 0);
	lb_inf_reg_clear(&r);

	assert_int_equal(lb_inf_reg_parse(pkg->inf, line_of(pkg->inf, "pnpsafe_pci_addreg_msix", 0), false, &r), 0);
	assert_true(r.key_only);
	assert_string_equal(r.subkey, "Interrupt Management");
	assert_null(r.name);
	lb_inf_reg_clear(&r);
	assert_int_equal(lb_inf_reg_parse(pkg->inf, line_of(pkg->inf, "pnpsafe_pci_addreg_msix", 3), false, &r), 0);
	assert_memory_equal(r.data, "\0\1\0\0", 4);
	lb_inf_reg_clear(&r);
	lb_drv_package_free(pkg);
}

static void netkvm_is_arm64_only(void **state)
{
	(void)state;
	struct lb_drv_package *pkg = load(DRV "netkvm-w10-arm64/netkvm.inf");
	assert_string_equal(pkg->class_name, "Net");
	assert_null(lb_drv_select_models(pkg, 0, &win10_x64));
	assert_non_null(strstr(lb_error_message(), "NTARM64.10.0, built for another architecture"));
	struct lb_win_target arm = { LB_ARCH_ARM64, 10, 0, 19045, 1 };
	const struct lb_drv_models *m = lb_drv_select_models(pkg, 0, &arm);
	assert_non_null(m);
	assert_int_equal(m->ndevices, 5);
	assert_string_equal(m->devices[2].ids[0], "ACPI\\VEN_1AF4&DEV_1000");
	assert_string_equal(lb_inf_value(pkg->inf, "kvmnet6.ndi", "*IfType"), "6");
	struct lb_drv_install inst;
	assert_int_equal(lb_drv_install_resolve(pkg, "kvmnet6.ndi", LB_ARCH_ARM64, &inst), 0);
	const struct lb_drv_service *s = lb_drv_install_function_service(&inst);
	assert_string_equal(s->name, "netkvm");
	assert_int_equal(s->start, 3);
	assert_false(lb_drv_class_is_storage(pkg->class_guid));
	lb_drv_install_clear(&inst);
	lb_drv_package_free(pkg);
}

static void diskdev_nt_section_and_sources(void **state)
{
	(void)state;
	struct lb_drv_package *pkg = load(DRV "wdk-samples/diskdev.inf");
	assert_string_equal(lb_drv_package_catalog(pkg, LB_ARCH_AMD64), "diskdev.cat");
	const struct lb_drv_models *m = lb_drv_select_models(pkg, 0, &win7_x64);
	assert_non_null(m);
	assert_string_equal(m->devices[0].ids[0], "GenDisk");
	struct lb_drv_install inst;
	assert_int_equal(lb_drv_install_resolve(pkg, "disk", LB_ARCH_AMD64, &inst), 0);
	assert_string_equal(inst.section, "disk.NT");
	assert_int_equal(inst.nfiles, 1);
	assert_string_equal(inst.files[0].source_path, "amd64/disk.sys");
	assert_int_equal(inst.files[0].dirid, 12);
	assert_string_equal(lb_drv_install_function_service(&inst)->group, "SCSI Class");
	lb_drv_install_clear(&inst);
	lb_drv_package_free(pkg);
}

static void lsi_template_is_refused(void **state)
{
	(void)state;
	struct lb_drv_package *pkg = load(DRV "wdk-samples/lsi_u3.inf");
	assert_int_equal(pkg->models[1].dec.arch, LB_ARCH_UNKNOWN);
	assert_string_equal(pkg->models[1].dec.arch_text, "$ARCH$");
	assert_null(lb_drv_select_models(pkg, 0, &win10_x64));
	assert_non_null(strstr(lb_error_message(), "un-stamped template"));
	assert_string_equal(pkg->models[1].devices[0].description, "LSI Ultra3 PCI SCSI Adapter; 53C1010-33 (StorPort)");
	struct lb_drv_install inst;
	assert_int_equal(lb_drv_install_resolve(pkg, "LSI_U3_Inst", LB_ARCH_AMD64, &inst), 0);
	const struct lb_drv_service *s = lb_drv_install_function_service(&inst);
	assert_int_equal(s->naddreg, 2);
	assert_string_equal(s->addreg[1], "bus_type_scsi");
	assert_int_equal(inst.files[0].flags, 1);
	struct lb_inf_reg r;
	assert_int_equal(lb_inf_reg_parse(pkg->inf, line_of(pkg->inf, "LegacyScsiportValues", 0), true, &r), 0);
	assert_true(r.delete);
	assert_string_equal(r.name, "BusNumber");
	lb_drv_install_clear(&inst);
	lb_drv_package_free(pkg);
}

static void toastpkg_build_decoration(void **state)
{
	(void)state;
	struct lb_drv_package *pkg = load(DRV "wdk-samples/toastpkg.inf");
	const struct lb_drv_models *m = lb_drv_select_models(pkg, 0, &win10_x64);
	assert_non_null(m);
	assert_int_equal(m->dec.build, 16299);
	assert_null(lb_drv_select_models(pkg, 0, &win10_1511_x64));
	assert_string_equal(m->devices[0].ids[0], "{b85b7c50-6a01-11d2-b841-00c04fad5171}\\MsToaster");
	assert_string_equal(lb_inf_value(pkg->inf, "Toaster_Device.NT", "FriendlyNameFormat"), "ToasterDevice%1!u!");
	struct lb_drv_install inst;
	assert_int_equal(lb_drv_install_resolve(pkg, "Toaster_Device", LB_ARCH_AMD64, &inst), 0);
	assert_int_equal(inst.files[0].dirid, 13);
	assert_int_equal(lb_drv_install_function_service(&inst)->binary_dirid, 13);
	assert_string_equal(lb_drv_install_function_service(&inst)->image_path, "");
	struct lb_inf_reg r;
	assert_int_equal(lb_inf_reg_parse(pkg->inf, line_of(pkg->inf, "Toaster_Device.NT.HW.AddReg", 0), false, &r), 0);
	assert_int_equal(r.type, LB_REG_DWORD);
	assert_int_equal(r.flags & LB_FLG_ADDREG_NOCLOBBER, LB_FLG_ADDREG_NOCLOBBER);
	lb_inf_reg_clear(&r);
	assert_int_equal(lb_inf_reg_parse(pkg->inf, line_of(pkg->inf, "ToasterClassReg", 0), false, &r), 0);
	assert_null(r.name);
	assert_false(r.key_only);
	assert_int_equal(r.type, LB_REG_SZ);
	lb_inf_reg_clear(&r);
	lb_drv_install_clear(&inst);
	lb_drv_package_free(pkg);
}

/* Reads path and converts it from Windows-1252 to UTF-16LE with a BOM. */
static unsigned char *to_utf16le(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char in[1 << 20];
	size_t n = fread(in, 1, sizeof in, f);
	fclose(f);
	unsigned char *out = malloc(2 * n + 2);
	out[0] = 0xFF, out[1] = 0xFE;
	iconv_t cd = iconv_open("UTF-16LE", "WINDOWS-1252");
	assert_true(cd != (iconv_t)-1);
	char *ip = in, *op = (char *)out + 2;
	size_t il = n, ol = 2 * n;
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	*len = (size_t)(op - (char *)out);
	return out;
}

static void utf16le_conversions_parse_identically(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof real_infs / sizeof real_infs[0]; i++) {
		struct lb_inf *a, *b;
		assert_int_equal(lb_inf_load(real_infs[i], &a), 0);
		size_t len;
		unsigned char *wide = to_utf16le(real_infs[i], &len);
		assert_int_equal(lb_inf_parse(a->name, wide, len, &b), 0);
		free(wide);
		assert_int_equal(a->nsections, b->nsections);
		for (size_t s = 0; s < a->nsections; s++) {
			const struct lb_inf_section *sa = &a->sections[s], *sb = &b->sections[s];
			assert_string_equal(sa->name, sb->name);
			assert_int_equal(sa->nlines, sb->nlines);
			for (size_t l = 0; l < sa->nlines; l++) {
				assert_int_equal(sa->lines[l].lineno, sb->lines[l].lineno);
				assert_int_equal(sa->lines[l].nfields, sb->lines[l].nfields);
				assert_true((sa->lines[l].key == NULL) == (sb->lines[l].key == NULL));
				if (sa->lines[l].key)
					assert_string_equal(sa->lines[l].key, sb->lines[l].key);
				for (size_t k = 0; k < sa->lines[l].nfields; k++)
					assert_string_equal(sa->lines[l].fields[k], sb->lines[l].fields[k]);
			}
		}
		assert_true(a->nsections > 3);
		lb_inf_free(a);
		lb_inf_free(b);
	}
}

static void decorations(void **state)
{
	(void)state;
	struct lb_inf_decoration d;
	assert_int_equal(lb_inf_decoration_parse("NTamd64.10.0...16299", &d), 0);
	assert_true(d.arch == LB_ARCH_AMD64 && d.major == 10 && d.minor == 0 && d.build == 16299 && d.has_version);
	assert_int_equal(lb_inf_decoration_parse("NTx86.5.1.1.0x0100", &d), 0);
	assert_true(d.arch == LB_ARCH_X86 && d.product_type == 1 && d.suite == 0x100);
	assert_int_equal(lb_inf_decoration_parse("NT", &d), 0);
	assert_int_equal(d.arch, LB_ARCH_ANY);
	assert_true(lb_inf_decoration_matches(&d, &win7_x64));
	assert_int_equal(lb_inf_decoration_parse("ntARM64", &d), 0);
	assert_int_equal(d.arch, LB_ARCH_ARM64);
	assert_int_equal(lb_inf_decoration_parse("NTamd64.6.x", &d), LB_E_INVALID);
	assert_int_equal(lb_inf_decoration_parse("Win64", &d), LB_E_INVALID);
	assert_int_equal(lb_inf_decoration_parse("NTamd64.1.2.3.4.5.6", &d), LB_E_INVALID);
	struct lb_inf_decoration a, b;
	lb_inf_decoration_parse("NTamd64.6.3", &a);
	lb_inf_decoration_parse("NT.10.0", &b);
	assert_true(lb_inf_decoration_compare(&a, &b) > 0);
	lb_inf_decoration_parse("NTamd64.10.0", &b);
	assert_true(lb_inf_decoration_compare(&a, &b) < 0);
	assert_int_equal(lb_arch_pe_machine(LB_ARCH_ARM64), 0xaa64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(viostor_model),
		cmocka_unit_test(viostor_registry_lines),
		cmocka_unit_test(netkvm_is_arm64_only),
		cmocka_unit_test(diskdev_nt_section_and_sources),
		cmocka_unit_test(lsi_template_is_refused),
		cmocka_unit_test(toastpkg_build_decoration),
		cmocka_unit_test(utf16le_conversions_parse_identically),
		cmocka_unit_test(decorations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
