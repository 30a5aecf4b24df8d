/* Unit tests for identity rules: NetBIOS name checks, machine SID parsing
 * and formatting, CSPRNG SIDs, and the SID rewriters (binary, UTF-8 text,
 * UTF-16 text) that newsid applies to hives and security descriptors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/winoffline.h"
#include "../../core/windows/win_internal.h"

static void computer_names(void **state)
{
	(void)state;
	const char *good[] = { "PC-042", "a", "WORKSTATION-015", "x1" };
	const char *bad[] = { "", "SIXTEEN-CHARS-AB", "a*b", "a b", "a,b", "a.b\\c", "12345", "tab\tx", "é" };
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_int_equal(lb_win_check_computer_name(good[i]), 0);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(lb_win_check_computer_name(bad[i]), LB_E_USAGE);
}

static void sid_parse_and_format(void **state)
{
	(void)state;
	struct lb_sid3 s;
	char text[64];
	assert_int_equal(lb_sid3_parse("S-1-5-21-1760460187-1592185332-161725925", &s), 0);
	assert_int_equal(s.sub[0], 1760460187u);
	assert_int_equal(s.sub[2], 161725925u);
	lb_sid3_format(&s, text);
	assert_string_equal(text, "S-1-5-21-1760460187-1592185332-161725925");
	assert_int_equal(lb_sid3_parse("S-1-5-21-4294967295-0-1", &s), 0);
	const char *bad[] = { "S-1-5-21-1-2", "S-1-5-32-1-2-3", "S-1-5-21-4294967296-1-1", "S-1-5-21-1-2-3-4",
			      "S-1-5-21--1-2-3", "S-1-5-21-a-b-c", "" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(lb_sid3_parse(bad[i], &s), LB_E_USAGE);
}

static void random_sids_differ(void **state)
{
	(void)state;
	struct lb_sid3 a, b;
	assert_int_equal(lb_sid3_random(&a), 0);
	assert_int_equal(lb_sid3_random(&b), 0);
	assert_memory_not_equal(&a, &b, sizeof a);
	for (int i = 0; i < 3; i++)
		assert_true(a.sub[i] >= 0x1000000);
}

static const struct lb_sid3 old_sid = { { 1, 2, 3 } }, new_sid = { { 4000000000u, 5, 6 } };

static void binary_rewrite_is_structural(void **state)
{
	(void)state;
	uint8_t buf[64] = { 0 };
	/* S-1-5-21-1-2-3-500 at 3, a lookalike with authority 1 at 32 */
	const uint8_t user[28] = { 1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xf4, 1, 0, 0 };
	memcpy(buf + 3, user, sizeof user);
	memcpy(buf + 32, user, 24);
	buf[32 + 7] = 1;
	assert_int_equal(win_sid_rewrite_binary(buf, sizeof buf, &old_sid, &new_sid), 1);
	assert_int_equal(buf[3 + 12], 0x00);
	assert_int_equal(buf[3 + 15], 0xee);  /* 4000000000 = 0xEE6B2800 */
	assert_int_equal(buf[3 + 24], 0xf4);  /* the RID stays */
	assert_int_equal(buf[32 + 12], 1);    /* the lookalike stays */
}

static void text_rewrite_respects_digit_boundary(void **state)
{
	(void)state;
	int n;
	char *out = win_sid_rewrite_text("a S-1-5-21-1-2-3-1001 b s-1-5-21-1-2-3 c S-1-5-21-1-2-34", &old_sid, &new_sid, &n);
	assert_int_equal(n, 2);
	assert_string_equal(out, "a S-1-5-21-4000000000-5-6-1001 b S-1-5-21-4000000000-5-6 c S-1-5-21-1-2-34");
	free(out);
	assert_null(win_sid_rewrite_text("S-1-5-21-1-2-30", &old_sid, &new_sid, &n));
	assert_int_equal(n, 0);
}

static void utf16_rewrite_changes_length(void **state)
{
	(void)state;
	uint8_t *in;
	size_t len, out_len;
	assert_int_equal(lb_utf8_to_utf16le("O:S-1-5-21-1-2-3-500", &in, &len), 0);
	int n;
	uint8_t *out = win_sid_rewrite_utf16(in, len, &old_sid, &new_sid, &out_len, &n);
	assert_int_equal(n, 1);
	uint8_t *want;
	size_t want_len;
	assert_int_equal(lb_utf8_to_utf16le("O:S-1-5-21-4000000000-5-6-500", &want, &want_len), 0);
	assert_int_equal(out_len, want_len);
	assert_memory_equal(out, want, want_len);
	free(in);
	free(out);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(computer_names),
		cmocka_unit_test(sid_parse_and_format),
		cmocka_unit_test(random_sids_differ),
		cmocka_unit_test(binary_rewrite_is_structural),
		cmocka_unit_test(text_rewrite_respects_digit_boundary),
		cmocka_unit_test(utf16_rewrite_changes_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
