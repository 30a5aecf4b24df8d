/* Facts about the machine a job runs on, for templates and machine tables:
 * network MAC addresses and DMI identity, read from sysfs under a root that
 * tests can point elsewhere. */
#include "lifeboat/job.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"

/* Reads the first line of root/rel into out ("" if absent), trimmed. */
static void read_sysfs_line(const char *root, const char *rel, char *out, size_t size)
{
	char path[4096];
	out[0] = '\0';
	snprintf(path, sizeof path, "%s/%s", root, rel);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	if (!fgets(out, (int)size, f))
		out[0] = '\0';
	fclose(f);
	size_t n = strlen(out);
	while (n > 0 && isspace((unsigned char)out[n - 1]))
		out[--n] = '\0';
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_usable_mac(const char *mac)
{
	if (strlen(mac) != 17)
		return false;
	return strcmp(mac, "00:00:00:00:00:00") != 0;
}

static int gather_macs(const char *root, struct lb_job_facts *facts)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/sys/class/net", root);
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	char *names[256];
	unsigned count = 0;
	struct dirent *e;
	while ((e = readdir(d)) && count < 256) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "lo") == 0)
			continue;
		names[count] = strdup(e->d_name);
		if (!names[count]) {
			closedir(d);
			for (unsigned i = 0; i < count; i++)
				free(names[i]);
			return lb_fail(LB_E_NOMEM, "out of memory");
		}
		count++;
	}
	closedir(d);
	qsort(names, count, sizeof names[0], compare_names);
	for (unsigned i = 0; i < count; i++) {
		char rel[512], mac[64];
		snprintf(rel, sizeof rel, "sys/class/net/%s/address", names[i]);
		read_sysfs_line(root, rel, mac, sizeof mac);
		for (char *p = mac; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (is_usable_mac(mac) && facts->mac_count < LB_JOB_MAX_MACS)
			memcpy(facts->macs[facts->mac_count++], mac, 18);
		free(names[i]);
	}
	return 0;
}

int lb_job_facts_gather(const char *root, struct lb_job_facts *facts)
{
	memset(facts, 0, sizeof *facts);
	if (!root || !*root)
		root = "";
	time_t now = time(NULL);
	localtime_r(&now, &facts->now);
	read_sysfs_line(root, "sys/class/dmi/id/product_serial", facts->serial, sizeof facts->serial);
	read_sysfs_line(root, "sys/class/dmi/id/sys_vendor", facts->vendor, sizeof facts->vendor);
	read_sysfs_line(root, "sys/class/dmi/id/product_name", facts->product, sizeof facts->product);
	return gather_macs(root, facts);
}
