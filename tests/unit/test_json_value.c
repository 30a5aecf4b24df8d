/* Unit tests for the JSON reader: values, escapes (surrogate pairs), nesting,
 * and the errors of malformed documents; plus a report read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/json_value.h"
#include "lifeboat/report.h"

static struct lb_jv *parse(const char *text)
{
	struct lb_jv *v = NULL;
	if (lb_jv_parse(text, strlen(text), &v) < 0)
		fail_msg("unexpected error: %s", lb_error_message());
	return v;
}

static void values_and_escapes(void **state)
{
	(void)state;
	struct lb_jv *v = parse(" {\"a\": [1, -2.5e1, true, false, null], \"s\": \"x\\\"\\\\\\/\\n\\u00e9\\ud83d\\ude00\", \"o\": {}} ");
	const struct lb_jv *a = lb_jv_get(v, "a");
	assert_non_null(a);
	assert_int_equal(a->type, LB_JV_ARRAY);
	assert_int_equal(a->count, 5);
	assert_true(a->items[0].number == 1);
	assert_true(a->items[1].number == -25);
	assert_true(a->items[2].boolean);
	assert_int_equal(a->items[4].type, LB_JV_NULL);
	assert_string_equal(lb_jv_get_string(v, "s", NULL), "x\"\\/\n\xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(lb_jv_get(v, "o")->count, 0);
	assert_null(lb_jv_get(v, "missing"));
	assert_string_equal(lb_jv_get_string(v, "a", "fallback"), "fallback");
	lb_jv_free(v);
}

static void malformed(void **state)
{
	(void)state;
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "", "offset 0: unexpected end" },
		{ "{\"a\" 1}", "offset 5: expected ':'" },
		{ "[1, 2", "offset 5: expected ',' or ']'" },
		{ "\"abc", "offset 4: unterminated string" },
		{ "\"\\ud800\"", "offset 7: lone surrogate" },
		{ "\"\\q\"", "offset 3: bad escape" },
		{ "[1] x", "offset 4: trailing data" },
		{ "{1: 2}", "offset 1: expected a key" },
		{ "tru", "offset 0: unexpected character" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct lb_jv *v = NULL;
		assert_true(lb_jv_parse(cases[i].text, strlen(cases[i].text), &v) < 0);
		assert_null(v);
		assert_string_equal(lb_error_message(), cases[i].message);
	}
	char deep[200];
	memset(deep, '[', sizeof deep);
	struct lb_jv *v = NULL;
	assert_true(lb_jv_parse(deep, sizeof deep, &v) < 0);
	assert_string_equal(lb_error_message(), "offset 65: nested too deeply");
}

static void report_reads_back(void **state)
{
	(void)state;
	struct lb_report *r = lb_report_new("restore");
	struct lb_report_op *op = lb_report_add_op(r, "restore");
	strcpy(op->target, "/dev/sda");
	strcpy(op->image_id, "0b0e9c1e-0000-4000-8000-000000000001");
	op->bytes = 3000000;
	lb_report_op_end(op, lb_fail(LB_E_CHECKSUM, "chunk 7: checksum mismatch"));
	lb_report_end(r, LB_E_CHECKSUM, "chunk 7: checksum mismatch");
	struct lb_strbuf sb;
	lb_strbuf_init(&sb);
	lb_report_to_json(r, &sb);
	struct lb_jv *v = parse(lb_strbuf_str(&sb));
	assert_string_equal(lb_jv_get_string(v, "result", NULL), "failed");
	assert_null(lb_jv_get_string(v, "job", NULL));
	const struct lb_jv *ops = lb_jv_get(v, "operations");
	assert_int_equal(ops->count, 1);
	assert_string_equal(lb_jv_get_string(&ops->items[0], "target", NULL), "/dev/sda");
	assert_string_equal(lb_jv_get_string(&ops->items[0], "error", NULL), "chunk 7: checksum mismatch");
	assert_true(lb_jv_get_number(&ops->items[0], "bytes", 0) == 3000000);
	lb_jv_free(v);
	lb_strbuf_free(&sb);
	lb_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(values_and_escapes),
		cmocka_unit_test(malformed),
		cmocka_unit_test(report_reads_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
