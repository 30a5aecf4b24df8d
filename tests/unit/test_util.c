/* Unit tests for libcore's utilities: error messages, warnings, JSON writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/json.h"

static void error_message_and_context(void **state)
{
	(void)state;
	assert_int_equal(lb_fail(LB_E_INVALID, "bad magic %x", 0x1234), LB_E_INVALID);
	assert_string_equal(lb_error_message(), "bad magic 1234");
	lb_fail_context(LB_E_INVALID, "disk.img");
	assert_string_equal(lb_error_message(), "disk.img: bad magic 1234");
	errno = ENOENT;
	lb_fail_errno(LB_E_IO, "open %s", "x");
	assert_string_equal(lb_error_message(), "open x: No such file or directory");
}

static void warnings_are_taken_once(void **state)
{
	(void)state;
	char **w;
	lb_warn("first %d", 1);
	lb_warn("second");
	assert_int_equal(lb_warnings_take(&w), 2);
	assert_string_equal(w[0], "first 1");
	assert_string_equal(w[1], "second");
	lb_warnings_free(w, 2);
	assert_int_equal(lb_warnings_take(&w), 0);
}

static void json_nesting_and_escaping(void **state)
{
	(void)state;
	struct lb_strbuf sb;
	struct lb_json j;
	lb_strbuf_init(&sb);
	lb_json_init(&j, &sb);
	lb_json_begin_object(&j, NULL);
	lb_json_string(&j, "name", "a\"b\\c\n\x01");
	lb_json_uint(&j, "size", 18446744073709551615ULL);
	lb_json_begin_array(&j, "list");
	lb_json_int(&j, NULL, -5);
	lb_json_bool(&j, NULL, true);
	lb_json_null(&j, NULL);
	lb_json_end_array(&j);
	lb_json_begin_array(&j, "empty");
	lb_json_end_array(&j);
	lb_json_end_object(&j);
	assert_string_equal(lb_strbuf_str(&sb),
			    "{\n"
			    "  \"name\": \"a\\\"b\\\\c\\n\\u0001\",\n"
			    "  \"size\": 18446744073709551615,\n"
			    "  \"list\": [\n"
			    "    -5,\n"
			    "    true,\n"
			    "    null\n"
			    "  ],\n"
			    "  \"empty\": []\n"
			    "}\n");
	lb_strbuf_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(error_message_and_context),
		cmocka_unit_test(warnings_are_taken_once),
		cmocka_unit_test(json_nesting_and_escaping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
