/* Listing saved reports: reads every lifeboat-*.json in a logs folder and
 * summarises it (when, what, result, error, operations, bytes). */
#include "lifeboat/report.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/json_value.h"

static bool is_report_name(const char *name)
{
	size_t n = strlen(name);
	return strncmp(name, "lifeboat-", 9) == 0 && n > 14 && strcmp(name + n - 5, ".json") == 0;
}

static int compare_summaries(const void *a, const void *b)
{
	const struct lb_report_summary *x = a, *y = b;
	int c = strcmp(x->started, y->started);
	return c ? c : strcmp(x->file, y->file);
}

static void summarise(const struct lb_jv *doc, struct lb_report_summary *s)
{
	const char *started = lb_jv_get_string(doc, "started", "");
	snprintf(s->what, sizeof s->what, "%s", lb_jv_get_string(doc, "what", "?"));
	snprintf(s->started, sizeof s->started, "%.10s %.8s", started, strlen(started) > 11 ? started + 11 : "");
	snprintf(s->result, sizeof s->result, "%s", lb_jv_get_string(doc, "result", "?"));
	snprintf(s->error, sizeof s->error, "%s", lb_jv_get_string(doc, "error", ""));
	const struct lb_jv *ops = lb_jv_get(doc, "operations");
	if (!ops || ops->type != LB_JV_ARRAY)
		return;
	s->operations = ops->count;
	for (unsigned i = 0; i < ops->count; i++)
		s->bytes += (uint64_t)lb_jv_get_number(&ops->items[i], "bytes", 0);
}

static void read_summary(const char *path, struct lb_report_summary *s)
{
	strcpy(s->result, "unreadable");
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	int rc = lb_strbuf_read_file(&text, path, 16u << 20);
	struct lb_jv *doc;
	if (rc == 0 && lb_jv_parse(lb_strbuf_str(&text), text.len, &doc) == 0) {
		if (lb_jv_get_number(doc, "lifeboat_report", 0) == 1)
			summarise(doc, s);
		lb_jv_free(doc);
	}
	lb_strbuf_free(&text);
}

int lb_report_list(const char *dir, struct lb_report_summary **out, unsigned *count)
{
	*out = NULL;
	*count = 0;
	DIR *d = opendir(dir);
	if (!d)
		return lb_fail_errno(LB_E_IO, "%s", dir);
	struct lb_report_summary *list = NULL;
	unsigned n = 0;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (!is_report_name(e->d_name))
			continue;
		struct lb_report_summary *grown = realloc(list, (n + 1) * sizeof *list);
		if (!grown) {
			rc = lb_fail(LB_E_NOMEM, "out of memory");
			break;
		}
		list = grown;
		struct lb_report_summary *s = &list[n++];
		memset(s, 0, sizeof *s);
		snprintf(s->file, sizeof s->file, "%s/%s", dir, e->d_name);
		read_summary(s->file, s);
	}
	closedir(d);
	if (rc < 0) {
		free(list);
		return rc;
	}
	if (n)
		qsort(list, n, sizeof *list, compare_summaries);
	*out = list;
	*count = n;
	return 0;
}
