/* `lifeboat drivers`: the devices Linux has no driver bound to and the
 * kernel module that would serve each (sysfs modalias + modules.alias),
 * marking modules the rescue system does not carry; dispatches `inspect`
 * and `load`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "drivers_load.h"
#include "lifeboat/error.h"
#include "lifeboat/json.h"
#include "lifeboat/kmod.h"
#include "lifeboat/strbuf.h"

struct list_opts {
	const char *sysfs;
	const char *moddir;
	bool all, json;
	char default_moddir[300];
};

static bool module_loaded(const char *sysfs, const char *name)
{
	char path[4096];
	struct stat st;
	snprintf(path, sizeof path, "%s/module/%s", sysfs, name);
	return stat(path, &st) == 0;
}

static void print_device(const struct lb_sys_device *d, const char **mods, size_t n, const struct lb_kmod_set *set,
			 const char *sysfs)
{
	printf("%s %s", d->bus, d->name);
	if (*d->vendor)
		printf("  %s:%s class %s", d->vendor, d->device, d->class_code);
	printf("  driver: %s\n", d->driver ? d->driver : "none");
	if (n == 0)
		printf("    no kernel module serves %s\n", d->modalias);
	for (size_t i = 0; i < n; i++)
		printf("    module %s: %s%s\n", mods[i], drivers_state_text(lb_kmod_state(set, mods[i])),
		       module_loaded(sysfs, mods[i]) ? ", loaded" : "");
}

static void json_device(struct lb_json *j, const struct lb_sys_device *d, const char **mods, size_t n,
			const struct lb_kmod_set *set, const char *sysfs)
{
	lb_json_begin_object(j, NULL);
	lb_json_string(j, "bus", d->bus);
	lb_json_string(j, "name", d->name);
	lb_json_string(j, "modalias", d->modalias);
	lb_json_string(j, "driver", d->driver);
	if (*d->vendor) {
		lb_json_begin_object(j, "pci");
		lb_json_string(j, "vendor", d->vendor);
		lb_json_string(j, "device", d->device);
		lb_json_string(j, "subsystem_vendor", d->subsys_vendor);
		lb_json_string(j, "subsystem_device", d->subsys_device);
		lb_json_string(j, "revision", d->revision);
		lb_json_string(j, "class", d->class_code);
		lb_json_end_object(j);
	}
	lb_json_begin_array(j, "modules");
	for (size_t i = 0; i < n; i++) {
		enum lb_kmod_state s = lb_kmod_state(set, mods[i]);
		lb_json_begin_object(j, NULL);
		lb_json_string(j, "name", mods[i]);
		lb_json_string(j, "state", s == LB_KMOD_BUILTIN ? "builtin" : s == LB_KMOD_AVAILABLE ? "available"
						 : s == LB_KMOD_FILE_MISSING ? "not_carried" : "unknown");
		lb_json_bool(j, "loaded", module_loaded(sysfs, mods[i]));
		lb_json_end_object(j);
	}
	lb_json_end_array(j);
	lb_json_end_object(j);
}

static int list_devices(struct list_opts *o)
{
	struct drivers_view v;
	if (drivers_view_load(o->moddir, o->sysfs, &v) < 0)
		return cli_fail_core();
	struct lb_sys_device *devs = v.devs;
	struct lb_strbuf out;
	struct lb_json j;
	lb_strbuf_init(&out);
	lb_json_init(&j, &out);
	lb_json_begin_object(&j, NULL);
	lb_json_string(&j, "modules", o->moddir);
	lb_json_begin_array(&j, "devices");
	int rc = CLI_OK;
	size_t shown = 0;
	for (size_t i = 0; i < v.ndevs && rc == CLI_OK; i++) {
		const char **mods;
		size_t n;
		if (devs[i].driver && !o->all)
			continue;
		if (lb_kmod_aliases_match(v.aliases, devs[i].modalias, &mods, &n) < 0) {
			rc = cli_fail_core();
			break;
		}
		if (o->json)
			json_device(&j, &devs[i], mods, n, v.set, o->sysfs);
		else
			print_device(&devs[i], mods, n, v.set, o->sysfs);
		shown++;
		free(mods);
	}
	lb_json_end_array(&j);
	lb_json_end_object(&j);
	if (rc == CLI_OK && o->json)
		fputs(lb_strbuf_str(&out), stdout);
	else if (rc == CLI_OK && shown == 0)
		printf("every device has a driver\n");
	lb_strbuf_free(&out);
	drivers_view_free(&v);
	return rc;
}

int cmd_drivers(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "inspect") == 0)
		return cmd_drivers_inspect(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "load") == 0)
		return cmd_drivers_load(argc - 1, argv + 1);
	struct list_opts o = { .sysfs = "/sys" };
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0)
			o.all = true;
		else if (strcmp(argv[i], "--json") == 0)
			o.json = true;
		else if (strcmp(argv[i], "--sysfs") == 0 && i + 1 < argc)
			o.sysfs = argv[++i];
		else if (strcmp(argv[i], "--modules") == 0 && i + 1 < argc)
			o.moddir = argv[++i];
		else
			return cli_usage_error("drivers", "unexpected argument '%s'", argv[i]);
	}
	if (drivers_default_moddir(o.default_moddir, sizeof o.default_moddir, &o.moddir) < 0)
		return cli_fail_core();
	return list_devices(&o);
}
