/* Unit tests for the .lbi record encoders and checked decoders: round
 * trips, and rejection of damaged or out-of-range records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/image/lbi_format.h"
#include "lifeboat/error.h"

static struct lb_image_part two_parts[2] = {
	{ .number = 1, .offset = 1048576, .size = 8388608, .block_size = 4096, .used_bytes = 65536, .fs = "ext4",
	  .label = "root", .name = "Linux" },
	{ .number = 2, .offset = 9437184, .size = 4194304, .block_size = 512, .used_bytes = 4194304, .fs = "raw" },
};

static void sample_info(struct lb_image_info *info)
{
	memset(info, 0, sizeof *info);
	info->version_major = 1;
	memset(info->uuid, 0xab, 16);
	info->created = 1700000000;
	strcpy(info->tool, "lifeboat test");
	strcpy(info->comment, "unit test");
	info->codec = LB_CODEC_ZSTD;
	info->level = 3;
	info->chunk_size = 4 << 20;
	info->volume_size = 700ull << 20;
	info->kind = LB_IMAGE_DISK;
	info->source_size = 16 << 20;
	info->sector_size = 512;
	info->table_type = 2;
	info->used_bytes = 65536 + 4194304;
	info->part_count = 2;
	info->parts = two_parts;
}

static void header_and_meta_round_trip(void **state)
{
	(void)state;
	struct lb_image_info in, out;
	sample_info(&in);
	uint8_t header[LBI_HEADER_SIZE];
	size_t meta_len = lbi_meta_size(in.part_count);
	uint8_t *meta = malloc(meta_len);
	lbi_encode_meta(&in, meta);
	lbi_encode_header(&in, meta_len, 42, header);
	uint64_t got_len, got_xxh;
	memset(&out, 0, sizeof out);
	assert_int_equal(lbi_decode_header(header, &out, &got_len, &got_xxh), 0);
	assert_int_equal(got_len, meta_len);
	assert_int_equal(got_xxh, 42);
	assert_string_equal(out.comment, "unit test");
	assert_int_equal(out.chunk_size, 4 << 20);
	assert_int_equal(out.volume_size, 700ull << 20);
	assert_int_equal(lbi_decode_meta(meta, meta_len, &out), 0);
	assert_int_equal(out.part_count, 2);
	assert_int_equal(out.parts[1].offset, 9437184);
	assert_string_equal(out.parts[0].label, "root");
	free(out.parts);
	header[100] ^= 1;
	assert_int_equal(lbi_decode_header(header, &out, &got_len, &got_xxh), LB_E_CHECKSUM);
	free(meta);
}

static void meta_rejects_partition_outside_source(void **state)
{
	(void)state;
	struct lb_image_info in, out;
	sample_info(&in);
	struct lb_image_part bad[2];
	memcpy(bad, two_parts, sizeof bad);
	bad[1].size = UINT64_MAX - 5;
	in.parts = bad;
	size_t len = lbi_meta_size(2);
	uint8_t *meta = malloc(len);
	lbi_encode_meta(&in, meta);
	memset(&out, 0, sizeof out);
	assert_int_equal(lbi_decode_meta(meta, len, &out), LB_E_INVALID);
	assert_null(out.parts);
	assert_int_equal(lbi_decode_meta(meta, len - 1, &out), LB_E_INVALID);
	free(meta);
}

static void chunk_head_round_trip_and_damage(void **state)
{
	(void)state;
	struct lbi_run runs[2] = { { 4096, 8192 }, { 65536, 4096 } };
	struct lbi_chunk_head h = { .seq = 7, .codec = LB_CODEC_ZSTD, .stored_len = 1000, .raw_len = 12288,
				    .run_count = 2, .raw_xxh3 = 99 };
	uint8_t buf[LBI_CHUNK_FIXED + 2 * LBI_RUN_SIZE];
	lbi_encode_chunk_head(&h, runs, buf);
	struct lbi_chunk_head got;
	struct lbi_run got_runs[2];
	assert_int_equal(lbi_decode_chunk_fixed(buf, 1 << 20, 0, &got), 0);
	assert_int_equal(got.seq, 7);
	assert_int_equal(lbi_decode_chunk_runs(buf, &got, 1 << 20, got_runs), 0);
	assert_int_equal(got_runs[1].offset, 65536);
	/* runs beyond the source */
	assert_int_equal(lbi_decode_chunk_runs(buf, &got, 65536, got_runs), LB_E_INVALID);
	/* a flipped run byte breaks the head checksum */
	buf[LBI_CHUNK_FIXED + 3] ^= 0x10;
	assert_int_equal(lbi_decode_chunk_runs(buf, &got, 1 << 20, got_runs), LB_E_CHECKSUM);
	/* raw length above the chunk size */
	assert_int_equal(lbi_decode_chunk_fixed(buf, 8192, 0, &got), LB_E_INVALID);
	/* stored bytes longer than decoded ones are never written */
	h.stored_len = 20000;
	lbi_encode_chunk_head(&h, runs, buf);
	assert_int_equal(lbi_decode_chunk_fixed(buf, 1 << 20, 0, &got), LB_E_INVALID);
}

static void volume_mark_round_trip_and_damage(void **state)
{
	(void)state;
	struct lbi_volume_mark m = { .number = 3, .stream_offset = 8388544 }, got;
	memset(m.uuid, 0x42, 16);
	uint8_t buf[LBI_VOLUME_MARK];
	lbi_encode_volume_mark(&m, buf);
	assert_memory_equal(buf, "LBVOLUME", 8);
	assert_int_equal(lbi_decode_volume_mark(buf, &got), 0);
	assert_int_equal(got.number, 3);
	assert_int_equal(got.stream_offset, 8388544);
	assert_memory_equal(got.uuid, m.uuid, 16);
	buf[24] = 4;
	assert_int_equal(lbi_decode_volume_mark(buf, &got), LB_E_CHECKSUM);
	buf[0] = 'X';
	assert_int_equal(lbi_decode_volume_mark(buf, &got), LB_E_INVALID);
}

static void index_and_trailer(void **state)
{
	(void)state;
	struct lbi_index_entry e[2] = {
		{ .record_offset = 1024, .span_start = 0, .span_end = 4096, .raw_len = 4096, .stored_len = 10, .run_count = 1 },
		{ .record_offset = 2048, .span_start = 8192, .span_end = 16384, .raw_len = 8192, .stored_len = 10, .run_count = 1 },
	};
	size_t len = lbi_index_size(2);
	uint8_t *buf = malloc(len);
	lbi_encode_index(e, 2, buf);
	struct lbi_index_entry got[2];
	assert_int_equal(lbi_decode_index(buf, len, 2, 1 << 20, got), 0);
	assert_int_equal(got[1].span_end, 16384);
	assert_int_equal(lbi_decode_index(buf, len, 3, 1 << 20, got), LB_E_INVALID);
	buf[LBI_INDEX_FIXED + 5] ^= 1;
	assert_int_equal(lbi_decode_index(buf, len, 2, 1 << 20, got), LB_E_CHECKSUM);
	free(buf);

	struct lbi_trailer t = { .index_offset = 3000, .index_len = lbi_index_size(2), .chunk_count = 2 }, tg;
	uint8_t tb[LBI_TRAILER_SIZE];
	lbi_encode_trailer(&t, tb);
	assert_int_equal(lbi_decode_trailer(tb, &tg), 0);
	assert_int_equal(tg.index_offset, 3000);
	tb[20] ^= 1;
	assert_int_equal(lbi_decode_trailer(tb, &tg), LB_E_CHECKSUM);
	memset(tb, 0, sizeof tb);
	assert_int_equal(lbi_decode_trailer(tb, &tg), LB_E_TRUNCATED);
}

static void codec_specs(void **state)
{
	(void)state;
	int codec, level;
	assert_int_equal(lb_codec_parse("zstd", &codec, &level), 0);
	assert_int_equal(codec, LB_CODEC_ZSTD);
	assert_int_equal(level, 3);
	assert_int_equal(lb_codec_parse("zlib:9", &codec, &level), 0);
	assert_int_equal(level, 9);
	assert_int_equal(lb_codec_parse("bzip2", &codec, &level), 0);
	assert_int_equal(codec, LB_CODEC_BZIP2);
	assert_int_equal(lb_codec_parse("zstd:99", &codec, &level), LB_E_USAGE);
	assert_int_equal(lb_codec_parse("none:1", &codec, &level), LB_E_USAGE);
	assert_int_equal(lb_codec_parse("lzma", &codec, &level), LB_E_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_and_meta_round_trip),
		cmocka_unit_test(meta_rejects_partition_outside_source),
		cmocka_unit_test(chunk_head_round_trip_and_damage),
		cmocka_unit_test(volume_mark_round_trip_and_damage),
		cmocka_unit_test(index_and_trailer),
		cmocka_unit_test(codec_specs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
