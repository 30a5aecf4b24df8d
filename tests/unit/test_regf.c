/* Unit tests for the raw hive layer: Marvin32 vectors and replay of the real
 * dirty SYSTEM_B hive with its LOG1/LOG2 (spec: sequence 2130, hbins 0xC02000),
 * including damaged logs that must stop replay at the right entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifeboat/error.h"
#include "../../core/windows/regf.h"

static void marvin32_vectors(void **state)
{
	(void)state;
	const uint64_t seed = 0x004FB61A001BDBCCull;
	const uint8_t a[] = { 0xaf }, b[] = { 0xe7, 0x0f }, c[] = { 0x37, 0xf4, 0x95 };
	assert_true(regf_marvin32(seed, a, 1) == 0x48E73FC77D75DDC1ull);
	assert_true(regf_marvin32(seed, b, 2) == 0xB5F6E1FC485DBFF8ull);
	assert_true(regf_marvin32(seed, c, 3) == 0xF0B07C789B8CF7E8ull);
}

/* Decompresses $TESTDATA/hives/NAME.xz into memory. */
static uint8_t *load_xz(const char *name, size_t *len)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "xz -dc '%s/hives/%s.xz'", TESTDATA, name);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t cap = 1 << 20, n = 0, got;
	uint8_t *buf = malloc(cap);
	while ((got = fread(buf + n, 1, cap - n, p)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	assert_int_equal(pclose(p), 0);
	*len = n;
	return buf;
}

struct sample {
	uint8_t *hive, *log1, *log2;
	size_t hive_len, log1_len, log2_len;
};

static void load_system_b(struct sample *s)
{
	s->hive = load_xz("SYSTEM_B", &s->hive_len);
	s->log1 = load_xz("SYSTEM_B.LOG1", &s->log1_len);
	s->log2 = load_xz("SYSTEM_B.LOG2", &s->log2_len);
}

static void free_sample(struct sample *s)
{
	free(s->hive);
	free(s->log1);
	free(s->log2);
}

static int replay(struct sample *s, unsigned *applied)
{
	struct regf_log logs[] = {
		{ "SYSTEM_B.LOG1", s->log1, s->log1_len },
		{ "SYSTEM_B.LOG2", s->log2, s->log2_len },
	};
	return regf_replay_logs(&s->hive, &s->hive_len, logs, 2, applied);
}

static void system_b_replays_to_2130(void **state)
{
	(void)state;
	struct sample s;
	load_system_b(&s);
	struct regf_header hdr;
	assert_int_equal(regf_read_header(s.hive, s.hive_len, &hdr), 0);
	assert_true(hdr.dirty);
	assert_int_equal(hdr.seq1, 1622);
	assert_int_equal(hdr.seq2, 1621);
	unsigned applied;
	assert_int_equal(replay(&s, &applied), 0);
	assert_int_equal(applied, 24);
	assert_int_equal(regf_read_header(s.hive, s.hive_len, &hdr), 0);
	assert_false(hdr.dirty);
	assert_int_equal(hdr.seq1, 2130);
	assert_int_equal(hdr.seq2, 2130);
	assert_int_equal(hdr.hbins_size, 0xC02000);
	assert_int_equal(s.hive_len, 4096 + 0xC02000);
	free_sample(&s);
}

/* Offset of the n-th (0-based) entry of a new-format log. */
static size_t entry_offset(const uint8_t *log, int n)
{
	size_t off = 512;
	for (int i = 0; i < n; i++)
		off += regf_le32(log + off + 4);
	return off;
}

static void damaged_second_log_stops_at_the_bad_entry(void **state)
{
	(void)state;
	struct sample s;
	load_system_b(&s);
	s.log2[entry_offset(s.log2, 5) + 100] ^= 0x40;  /* entry 2116 */
	unsigned applied;
	assert_int_equal(replay(&s, &applied), 0);
	assert_int_equal(applied, 9);  /* 2107 .. 2115 */
	assert_int_equal(regf_le32(s.hive + 4), 2115);
	free_sample(&s);
}

static void damaged_first_entry_refuses(void **state)
{
	(void)state;
	struct sample s;
	load_system_b(&s);
	s.log1[entry_offset(s.log1, 0) + 4096] ^= 0x01;
	unsigned applied;
	assert_int_equal(replay(&s, &applied), LB_E_REFUSED);
	assert_int_equal(applied, 0);
	free_sample(&s);
}

static void truncated_log_keeps_whole_entries(void **state)
{
	(void)state;
	struct sample s;
	load_system_b(&s);
	s.log2_len = entry_offset(s.log2, 3) + 512;  /* cut inside entry 2114 */
	unsigned applied;
	assert_int_equal(replay(&s, &applied), 0);
	assert_int_equal(applied, 7);
	free_sample(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(marvin32_vectors),
		cmocka_unit_test(system_b_replays_to_2130),
		cmocka_unit_test(damaged_second_log_stops_at_the_bad_entry),
		cmocka_unit_test(damaged_first_entry_refuses),
		cmocka_unit_test(truncated_log_keeps_whole_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
