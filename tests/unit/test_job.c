/* Unit tests for job files: templates, machine tables, conditions, settings,
 * parameter checks, and the "FILE:LINE: what" messages of rejected jobs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/job.h"

static struct lb_job_facts facts(void)
{
	struct lb_job_facts f;
	memset(&f, 0, sizeof f);
	strcpy(f.macs[0], "52:54:00:ab:cd:ef");
	strcpy(f.macs[1], "52:54:00:00:00:02");
	f.mac_count = 2;
	strcpy(f.serial, "SN-4711");
	strcpy(f.vendor, "QEMU");
	strcpy(f.product, "Standard PC");
	f.now.tm_year = 2026 - 1900;
	f.now.tm_mon = 0;
	f.now.tm_mday = 5;
	f.now.tm_hour = 7;
	f.now.tm_min = 8;
	f.now.tm_sec = 9;
	return f;
}

static struct lb_job *parse_ok(const char *text)
{
	struct lb_job_facts f = facts();
	struct lb_job *job = NULL;
	int rc = lb_job_parse("t.job", text, strlen(text), &f, &job);
	if (rc != 0)
		fail_msg("unexpected error: %s", lb_error_message());
	return job;
}

static void expect_error(const char *text, const char *message)
{
	struct lb_job_facts f = facts();
	struct lb_job *job = NULL;
	assert_true(lb_job_parse("t.job", text, strlen(text), &f, &job) < 0);
	assert_null(job);
	assert_string_equal(lb_error_message(), message);
}

static void templates_from_facts(void **state)
{
	(void)state;
	struct lb_job_facts f = facts();
	char *s = lb_job_expand("PC-${MAC_PLAIN}/${MAC}/${SERIAL}/${VENDOR}/${PRODUCT}", &f, NULL, NULL, 0);
	assert_string_equal(s, "PC-525400ABCDEF/52:54:00:ab:cd:ef/SN-4711/QEMU/Standard PC");
	free(s);
	s = lb_job_expand("${YEAR}-${MONTH}-${DAY} ${HOUR}:${MINUTE}:${SECOND} ${DATE}T${TIME} $$5 $X", &f, NULL, NULL, 0);
	assert_string_equal(s, "2026-01-05 07:08:09 20260105T070809 $5 $X");
	free(s);
}

static void templates_env_and_vars(void **state)
{
	(void)state;
	struct lb_job_facts f = facts();
	setenv("LB_TEST_SITE", "berlin", 1);
	char *vars[] = { "SITE", "office", NULL };
	struct lb_job_arg row[] = { { "mac", "52:54:00:ab:cd:ef" }, { "name", "PC-07" } };
	char *s = lb_job_expand("${ENV:LB_TEST_SITE}-${SITE}-${MACHINE:name}", &f, vars, row, 2);
	assert_string_equal(s, "berlin-office-PC-07");
	free(s);
	unsetenv("LB_TEST_SITE");
	assert_null(lb_job_expand("${ENV:LB_TEST_SITE}", &f, NULL, NULL, 0));
	assert_string_equal(lb_error_message(), "${ENV:LB_TEST_SITE}: environment variable LB_TEST_SITE is not set");
	assert_null(lb_job_expand("${NOPE}", &f, NULL, NULL, 0));
	assert_string_equal(lb_error_message(), "unknown template ${NOPE}");
	assert_null(lb_job_expand("a ${MAC", &f, NULL, NULL, 0));
	assert_string_equal(lb_error_message(), "unterminated template '${MAC' (missing '}')");
	assert_null(lb_job_expand("${MACHINE:disk}", &f, NULL, row, 2));
	assert_string_equal(lb_error_message(), "${MACHINE:disk}: the matching machine row has no column 'disk'");
	f.serial[0] = '\0';
	f.mac_count = 0;
	assert_null(lb_job_expand("${SERIAL}", &f, NULL, NULL, 0));
	assert_string_equal(lb_error_message(), "${SERIAL}: the machine's serial number is unknown (no DMI product_serial)");
	assert_null(lb_job_expand("${MAC}", &f, NULL, NULL, 0));
	assert_string_equal(lb_error_message(), "${MAC}: this machine has no network interface with a MAC address");
}

static void settings_steps_and_quotes(void **state)
{
	(void)state;
	struct lb_job *job = parse_ok("# a comment\r\n"
				      "stop_at_error = no\n"
				      "report=http://10.0.0.1:8080/r\n"
				      "set NAME = \"PC ${SERIAL}\"   # trailing comment\n"
				      "shell echo \"${NAME}\" # not part of the command\n"
				      "poweroff\n");
	assert_false(job->stop_at_error);
	assert_string_equal(job->report, "http://10.0.0.1:8080/r");
	assert_int_equal(job->step_count, 2);
	assert_int_equal(job->steps[0].line, 5);
	assert_string_equal(job->steps[0].command, "echo \"PC SN-4711\"");
	assert_string_equal(lb_job_step_name(&job->steps[1]), "poweroff");
	lb_job_free(job);
}

static void machine_table_by_mac_and_serial(void **state)
{
	(void)state;
	struct lb_job *job = parse_ok("machine mac=00:11:22:33:44:55 name=OTHER target=/dev/null\n"
				      "machine mac=52-54-00-00-00-02 name=PC-02 target=/dev/null\n"
				      "rename target=${MACHINE:target} name=${MACHINE:name}\n");
	assert_int_equal(job->machine_line, 2);
	assert_string_equal(lb_job_step_arg(&job->steps[0], "name"), "PC-02");
	lb_job_free(job);
	job = parse_ok("machine serial=SN-4711 name=BY-SERIAL\n"
		       "rename target=/dev/null name=${MACHINE:name}\n");
	assert_string_equal(lb_job_step_arg(&job->steps[0], "name"), "BY-SERIAL");
	lb_job_free(job);
	expect_error("machine serial=OTHER name=X\nrename target=/dev/null name=${MACHINE:name}\n",
		     "t.job:2: ${MACHINE:name}: no machine row matches this machine");
	expect_error("machine serial=SN-4711 name=A\nmachine mac=52:54:00:ab:cd:ef name=B\nshell true\n",
		     "t.job:2: machine rows at lines 1 and 2 both match this machine");
	expect_error("machine name=A\nshell true\n",
		     "t.job:1: machine: a row needs mac= or serial= to say which machine it is");
	expect_error("machine mac=52:54:00 name=A\nshell true\n",
		     "t.job:1: machine: '52:54:00' is not a MAC address (like 52:54:00:12:34:56)");
}

static void conditions(void **state)
{
	(void)state;
	struct lb_job *job = parse_ok("if ${SERIAL} == SN-4711 then shell echo yes\n"
				      "if ${SERIAL} != SN-4711 then restore image=/nonexistent.lbi target=/dev/null\n"
				      "if exists /tmp then shell true\n"
				      "if failed then poweroff\n");
	assert_int_equal(job->steps[0].cond, LB_JOB_IF_EQUAL);
	assert_false(job->steps[0].cond_static_false);
	assert_true(job->steps[1].cond_static_false);
	assert_int_equal(job->steps[2].cond, LB_JOB_IF_EXISTS);
	assert_string_equal(job->steps[2].cond_path, "/tmp");
	assert_int_equal(job->steps[3].cond, LB_JOB_IF_FAILED);
	lb_job_free(job);
	expect_error("if a == b shell true\n", "t.job:1: if: missing 'then'");
	expect_error("if a == b then\n", "t.job:1: if: no step after 'then'");
	expect_error("if a < b then shell true\n",
		     "t.job:1: if: expected 'if A == B then', 'if A != B then', 'if exists PATH then' or 'if failed then'");
}

static void rejected_jobs(void **state)
{
	(void)state;
	expect_error("shell true\nfrobnicate x=1\n",
		     "t.job:2: unknown step 'frobnicate' (steps: restore, capture, verify, mir, rename, newsid, "
		     "inject, hal, setup, mount, shell, reboot, poweroff)");
	expect_error("restore image=/nonexistent/win.lbi target=/dev/null\n",
		     "t.job:1: restore: image '/nonexistent/win.lbi' not found");
	expect_error("restore target=/dev/null\n", "t.job:1: restore: missing image=");
	expect_error("restore image=/dev/null target=/nonexistent\n", "t.job:1: restore: target '/nonexistent' not found");
	expect_error("restore image=/dev/null target=/dev/null colour=red\n", "t.job:1: restore: unknown parameter 'colour'");
	expect_error("restore image=/dev/null image=/dev/null target=/dev/null\n", "t.job:1: restore: image= given twice");
	expect_error("restore image=/dev/null target=/dev/null verify_first=maybe\n",
		     "t.job:1: restore: verify_first= must be yes or no, not 'maybe'");
	expect_error("restore image=/dev/null target=/dev/null partition=0\n",
		     "t.job:1: restore: partition= must be a number above 0, not '0'");
	expect_error("restore /dev/null\n", "t.job:1: restore: expected KEY=VALUE, got '/dev/null'");
	expect_error("shell\n", "t.job:1: shell: no command given");
	expect_error("shell echo \"open\n", "t.job:1: unterminated quote");
	expect_error("stop_at_eror = no\nshell true\n",
		     "t.job:1: unknown setting 'stop_at_eror' (settings: stop_at_error, report; variables: set NAME = VALUE)");
	expect_error("stop_at_error = perhaps\n", "t.job:1: stop_at_error must be yes or no, not 'perhaps'");
	expect_error("set MAC = x\n", "t.job:1: set: MAC is a built-in template and cannot be set");
	expect_error("set A = 1\nset A = 2\n", "t.job:2: set: variable A is already set");
	expect_error("shell echo ${UNKNOWN}\n", "t.job:1: unknown template ${UNKNOWN}");
	expect_error("# only a comment\n", "t.job: the job has no steps");
	expect_error("capture source=/dev/null image=/nonexistent/dir/x.lbi\n",
		     "t.job:1: capture: the folder of '/nonexistent/dir/x.lbi' does not exist");
}

static void images_written_earlier_count_as_present(void **state)
{
	(void)state;
	struct lb_job *job = parse_ok("capture source=/dev/null image=/tmp/lifeboat-unit-new.lbi\n"
				      "verify image=/tmp/lifeboat-unit-new.lbi\n"
				      "restore image=/tmp/lifeboat-unit-new.lbi target=/dev/null:3\n");
	assert_int_equal(job->step_count, 3);
	char *text = lb_job_step_describe(&job->steps[2]);
	assert_string_equal(text, "restore image=/tmp/lifeboat-unit-new.lbi target=/dev/null:3");
	free(text);
	lb_job_free(job);
}

static void mounted_folders_are_checked_when_reached(void **state)
{
	(void)state;
	struct lb_job *job = parse_ok("mount device=/dev/null at=/nonexistent/images type=ext4\n"
				      "restore image=/nonexistent/images/a.lbi target=/dev/null\n"
				      "capture source=/dev/null image=/nonexistent/images/new/b.lbi\n");
	assert_int_equal(job->step_count, 3);
	lb_job_free(job);
	expect_error("mount device=/dev/null at=/nonexistent/images\nrestore image=/nonexistent/imagesX/a.lbi target=/dev/null\n",
		     "t.job:2: restore: image '/nonexistent/imagesX/a.lbi' not found");
	expect_error("mount device=/dev/null at=relative\n", "t.job:1: mount: at= must be an absolute path, not 'relative'");
}

static void runner_honours_conditions_and_stop_at_error(void **state)
{
	(void)state;
	struct lb_job *job = parse_ok("shell true\n"
				      "if exists /nonexistent then shell false\n"
				      "shell exit 3\n"
				      "shell true\n"
				      "if failed then shell true\n"
				      "poweroff\n");
	struct lb_job_result r;
	assert_int_equal(lb_job_run(job, NULL, NULL, &r), LB_E_IO);
	assert_string_equal(lb_error_message(), "shell: the command exited with status 3");
	assert_int_equal(r.done, 2);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.skipped, 1);
	assert_int_equal(r.not_run, 2);
	assert_int_equal(r.final_action, LB_JOB_FINAL_NONE);
	job->stop_at_error = false;
	assert_int_equal(lb_job_run(job, NULL, NULL, &r), LB_E_IO);
	assert_int_equal(r.done, 4);
	assert_int_equal(r.final_action, LB_JOB_FINAL_POWEROFF);
	lb_job_free(job);
}

/* Records the steps the front end's engine was asked to run; fails rename. */
static int fake_engine(void *ctx, const struct lb_job_step *step, struct lb_report_op *op)
{
	(void)op;
	char *seen = ctx;
	strcat(seen, lb_job_step_name(step));
	strcat(seen, " ");
	if (strcmp(lb_job_step_name(step), "rename") == 0)
		return lb_fail(LB_E_REFUSED, "rename refused by the engine");
	return 0;
}

static void engine_steps_go_to_the_front_end(void **state)
{
	(void)state;
	struct lb_job *job = parse_ok("capture source=/dev/null image=/tmp/lifeboat-unit-never.lbi\n"
				      "shell true\n"
				      "rename target=/dev/null name=PC\n"
				      "if failed then newsid target=/dev/null\n");
	struct lb_job_result r;
	assert_int_equal(lb_job_run(job, NULL, NULL, &r), LB_E_UNSUPPORTED);
	assert_string_equal(lb_error_message(), "capture: not available in this build (needs the image engine)");
	char seen[128] = "";
	struct lb_job_run_options opts = { .engine = fake_engine, .ctx = seen };
	assert_int_equal(lb_job_run(job, &opts, NULL, &r), LB_E_REFUSED);
	assert_string_equal(seen, "capture rename newsid ");
	assert_string_equal(lb_error_message(), "rename refused by the engine");
	assert_int_equal(r.done, 3);
	assert_int_equal(r.failed, 1);
	lb_job_free(job);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(templates_from_facts),
		cmocka_unit_test(templates_env_and_vars),
		cmocka_unit_test(settings_steps_and_quotes),
		cmocka_unit_test(machine_table_by_mac_and_serial),
		cmocka_unit_test(conditions),
		cmocka_unit_test(rejected_jobs),
		cmocka_unit_test(images_written_earlier_count_as_present),
		cmocka_unit_test(mounted_folders_are_checked_when_reached),
		cmocka_unit_test(runner_honours_conditions_and_stop_at_error),
		cmocka_unit_test(engine_steps_go_to_the_front_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
