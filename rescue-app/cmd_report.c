/* lifeboat report show: lists the reports in the logs folder (when, what,
 * result, operations, bytes, error), or prints one report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_env.h"
#include "cli.h"
#include "commands.h"
#include "lifeboat/error.h"
#include "lifeboat/json_value.h"
#include "lifeboat/report.h"

static int print_one(const char *path)
{
	struct lb_strbuf text;
	lb_strbuf_init(&text);
	if (lb_strbuf_read_file(&text, path, 16u << 20) < 0) {
		lb_strbuf_free(&text);
		return cli_fail_core();
	}
	struct lb_jv *doc;
	int rc = lb_jv_parse(lb_strbuf_str(&text), text.len, &doc);
	if (rc == 0) {
		bool is_report = lb_jv_get_number(doc, "lifeboat_report", 0) == 1;
		lb_jv_free(doc);
		rc = is_report ? 0 : lb_fail(LB_E_INVALID, "not a lifeboat report");
	}
	if (rc < 0) {
		lb_strbuf_free(&text);
		return cli_fail("%s: %s", path, lb_error_message());
	}
	fputs(lb_strbuf_str(&text), stdout);
	lb_strbuf_free(&text);
	return CLI_OK;
}

static int list(const char *dir)
{
	struct lb_report_summary *reports;
	unsigned count;
	if (lb_report_list(dir, &reports, &count) < 0)
		return cli_fail_core();
	if (count == 0)
		printf("no reports in %s\n", dir);
	else
		printf("%-19s  %-9s  %-10s  %4s  %14s  %s\n", "STARTED (UTC)", "WHAT", "RESULT", "OPS", "BYTES", "ERROR / FILE");
	for (unsigned i = 0; i < count; i++) {
		const struct lb_report_summary *r = &reports[i];
		printf("%-19s  %-9s  %-10s  %4u  %14llu  %s\n", r->started, r->what, r->result, r->operations,
		       (unsigned long long)r->bytes, r->error[0] ? r->error : r->file);
	}
	free(reports);
	return CLI_OK;
}

int cmd_report(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "show") != 0)
		return cli_usage_error("report", "report: expected 'report show'");
	const char *logs = NULL, *file = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--logs") == 0 && i + 1 < argc)
			logs = argv[++i];
		else if (argv[i][0] == '-')
			return cli_usage_error("report", "report: unknown option '%s'", argv[i]);
		else if (file)
			return cli_usage_error("report", "report: one FILE at a time");
		else
			file = argv[i];
	}
	return file ? print_one(file) : list(app_logs_dir(logs));
}
