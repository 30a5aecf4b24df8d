/* Unit tests for the INF lexer: quoting, comments, continuation, %strings%,
 * [Strings.LANGID], merged sections, encodings, and file:line errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "lifeboat/error.h"
#include "lifeboat/inf.h"

static struct lb_inf *parse_ok(const char *text)
{
	struct lb_inf *inf = NULL;
	int rc = lb_inf_parse("t.inf", text, strlen(text), &inf);
	if (rc != 0)
		fail_msg("parse failed: %s", lb_error_message());
	return inf;
}

static void expect_error(const char *text, size_t len, const char *message)
{
	struct lb_inf *inf = NULL;
	assert_int_equal(lb_inf_parse("t.inf", text, len, &inf), LB_E_INVALID);
	assert_null(inf);
	assert_string_equal(lb_error_message(), message);
}

static void quoting_comments_and_keys(void **state)
{
	(void)state;
	struct lb_inf *inf = parse_ok("; header\n[Sec]\n"
				      "Key = \"a;b\" , \"say \"\"hi\"\"\"  ; comment\n"
				      "  lone  \n"
				      "x,,\"\",3\n"
				      "Empty =\n"
				      "k = a=b\n"
				      "partial = \"ab\"cd ef  \n");
	const struct lb_inf_section *s = lb_inf_section(inf, "sec");
	assert_non_null(s);
	assert_int_equal(s->nlines, 6);
	assert_string_equal(s->lines[0].key, "Key");
	assert_int_equal(s->lines[0].nfields, 2);
	assert_string_equal(s->lines[0].fields[0], "a;b");
	assert_string_equal(s->lines[0].fields[1], "say \"hi\"");
	assert_int_equal(s->lines[0].lineno, 3);
	assert_string_equal(s->lines[1].key, "lone");
	assert_string_equal(s->lines[1].fields[0], "lone");
	assert_null(s->lines[2].key);
	assert_int_equal(s->lines[2].nfields, 4);
	assert_string_equal(lb_inf_field(&s->lines[2], 1), "");
	assert_string_equal(lb_inf_field(&s->lines[2], 3), "3");
	assert_string_equal(lb_inf_field(&s->lines[2], 9), "");
	assert_int_equal(s->lines[3].nfields, 1);
	assert_string_equal(s->lines[3].fields[0], "");
	assert_string_equal(lb_inf_value(inf, "SEC", "k"), "a=b");
	assert_string_equal(lb_inf_value(inf, "Sec", "partial"), "abcd ef");
	lb_inf_free(inf);
}

static void continuation_and_merged_sections(void **state)
{
	(void)state;
	struct lb_inf *inf = parse_ok("[A]\nlist = one, \\\n   two,\\  \r\nthree\n[B]\nx=1\n[a]\nmore = 4\n");
	const struct lb_inf_section *a = lb_inf_section(inf, "A");
	assert_int_equal(a->nlines, 2);
	assert_int_equal(a->lines[0].nfields, 3);
	assert_string_equal(a->lines[0].fields[1], "two");
	assert_string_equal(a->lines[0].fields[2], "three");
	assert_int_equal(a->lines[1].lineno, 8);
	assert_string_equal(lb_inf_value(inf, "a", "more"), "4");
	assert_int_equal(inf->nsections, 2);
	lb_inf_free(inf);
}

static void string_substitution(void **state)
{
	(void)state;
	struct lb_inf *inf = parse_ok("[V]\n%Name% = \"%%SystemRoot%%\\x\", %12%\\a.sys, %unknown%, 50%, "
				      "Fmt%1!u!, %lang%\n"
				      "[Strings]\nname = \"Red Hat, Inc.\"\nlang = neutral\n"
				      "[Strings.0407]\nlang = deutsch\n[Strings.0409]\nLANG = english\n");
	const struct lb_inf_line *l = &lb_inf_section(inf, "V")->lines[0];
	assert_string_equal(l->key, "Red Hat, Inc.");
	assert_string_equal(l->fields[0], "%SystemRoot%\\x");
	assert_string_equal(l->fields[1], "%12%\\a.sys");
	assert_string_equal(l->fields[2], "%unknown%");
	assert_string_equal(l->fields[3], "50%");
	assert_string_equal(l->fields[4], "Fmt%1!u!");
	assert_string_equal(l->fields[5], "english");
	assert_string_equal(lb_inf_value(inf, "Strings", "name"), "Red Hat, Inc.");
	lb_inf_free(inf);
}

static void encodings(void **state)
{
	(void)state;
	/* UTF-16LE with BOM: "[S]\nk=\u00e9\U0001F600\n" */
	static const unsigned char le[] = { 0xFF, 0xFE, '[', 0, 'S', 0, ']', 0, '\n', 0, 'k', 0, '=', 0,
					    0xE9, 0, 0x3D, 0xD8, 0x00, 0xDE, '\n', 0 };
	static const unsigned char be[] = { 0xFE, 0xFF, 0, '[', 0, 'S', 0, ']', 0, '\n', 0, 'k', 0, '=', 0, 'v' };
	static const unsigned char ansi[] = "[S]\nk=caf\xe9 \x80\n\x1a[T]\n";
	static const unsigned char utf8bom[] = "\xef\xbb\xbf[S]\nk=caf\xc3\xa9\n";
	struct lb_inf *inf;
	assert_int_equal(lb_inf_parse("le.inf", le, sizeof le, &inf), 0);
	assert_string_equal(lb_inf_value(inf, "S", "k"), "\xc3\xa9\xf0\x9f\x98\x80");
	lb_inf_free(inf);
	assert_int_equal(lb_inf_parse("be.inf", be, sizeof be, &inf), 0);
	assert_string_equal(lb_inf_value(inf, "S", "k"), "v");
	lb_inf_free(inf);
	assert_int_equal(lb_inf_parse("a.inf", ansi, sizeof ansi - 1, &inf), 0);
	assert_string_equal(lb_inf_value(inf, "S", "k"), "caf\xc3\xa9 \xe2\x82\xac");
	assert_null(lb_inf_section(inf, "T"));
	lb_inf_free(inf);
	assert_int_equal(lb_inf_parse("u.inf", utf8bom, sizeof utf8bom - 1, &inf), 0);
	assert_string_equal(lb_inf_value(inf, "S", "k"), "caf\xc3\xa9");
	lb_inf_free(inf);
}

/* A string literal and its length without the final NUL. */
#define LIT(s) s, sizeof s - 1

static void malformed_input(void **state)
{
	(void)state;
	expect_error(LIT("[S]\nk = \"open\n"), "t.inf:2: unterminated quoted string");
	expect_error(LIT("; c\n\n[Sec\n"), "t.inf:3: section name without a closing ']'");
	expect_error(LIT("[ ]\n"), "t.inf:1: empty section name");
	expect_error(LIT("key = value\n"), "t.inf:1: text outside any [section]");
	expect_error(LIT("[S]\n\nk=a\0b\n"), "t.inf:3: NUL character in the text");
	expect_error(LIT("\xff\xfe[\0S"), "t.inf: UTF-16 text with an odd number of bytes");
	expect_error(LIT("\xff\xfe\x00\xdc"), "t.inf:1: broken UTF-16 surrogate pair");
	char big[5000 + 8];
	memcpy(big, "[S]\nk=", 6);
	memset(big + 6, 'x', 5000);
	expect_error(big, 5006, "t.inf:2: field longer than 4096 characters");
}

static void substitution_growth_is_bounded(void **state)
{
	(void)state;
	char text[8192];
	size_t n = (size_t)snprintf(text, sizeof text, "[S]\nk=");
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%%a%%");
	n += (size_t)snprintf(text + n, sizeof text - n, "\n[Strings]\na=\"");
	memset(text + n, 'y', 100);
	n += 100;
	n += (size_t)snprintf(text + n, sizeof text - n, "\"\n");
	struct lb_inf *inf = NULL;
	assert_int_equal(lb_inf_parse("t.inf", text, n, &inf), LB_E_INVALID);
	assert_string_equal(lb_error_message(), "t.inf:2: field longer than 16384 characters after %string% substitution");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quoting_comments_and_keys),
		cmocka_unit_test(continuation_and_merged_sections),
		cmocka_unit_test(string_substitution),
		cmocka_unit_test(encodings),
		cmocka_unit_test(malformed_input),
		cmocka_unit_test(substitution_growth_is_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
