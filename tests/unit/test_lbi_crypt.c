/* Unit tests for the encryption of .lbi images: the encrypted header's
 * parameters survive encode/decode, a wrong password fails the key check,
 * a sealed chunk opens only with its own head, sequence number and bytes,
 * the header HMAC covers the metadata, and pads differ per chunk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/image/crypt.h"
#include "../../core/image/lbi_format.h"
#include "lifeboat/error.h"

static void plain_info(struct lb_image_info *info)
{
	memset(info, 0, sizeof *info);
	info->version_major = 1;
	info->codec = LB_CODEC_NONE;
	info->chunk_size = 1 << 20;
}

static void header_keeps_parameters_and_wrong_password_fails(void **state)
{
	(void)state;
	struct lb_image_info in, out;
	struct lbi_crypt *c = NULL, *again = NULL;
	plain_info(&in);
	assert_int_equal(lbi_crypt_new("pass word", 0, &in, &c), 0);
	assert_int_equal(in.encryption, LB_ENCRYPT_AES256GCM);
	uint8_t header[LBI_HEADER_SIZE];
	uint64_t meta_len, meta_xxh3;
	lbi_encode_header(&in, LBI_META_FIXED, 0, header);
	plain_info(&out);
	assert_int_equal(lbi_decode_header(header, &out, &meta_len, &meta_xxh3), 0);
	assert_int_equal(out.encryption, LB_ENCRYPT_AES256GCM);
	assert_int_equal(out.kdf.log2_n, in.kdf.log2_n);
	assert_memory_equal(out.kdf.salt, in.kdf.salt, 16);
	assert_memory_equal(out.kdf.key_check, in.kdf.key_check, 16);
	assert_int_equal(lbi_crypt_unlock("pass word", &out, &again), 0);
	lbi_crypt_free(again);
	assert_int_equal(lbi_crypt_unlock("pass wore", &out, &again), LB_E_REFUSED);
	assert_string_equal(lb_error_message(), "wrong password");
	/* a hostile cost parameter is refused before scrypt runs */
	out.kdf.log2_n = 40;
	assert_int_equal(lbi_crypt_unlock("pass word", &out, &again), LB_E_INVALID);
	lbi_crypt_free(c);
}

static void sealed_chunk_opens_only_unchanged(void **state)
{
	(void)state;
	struct lb_image_info info;
	struct lbi_crypt *c;
	plain_info(&info);
	assert_int_equal(lbi_crypt_new("pw", 0, &info, &c), 0);
	struct lbi_run run = { 4096, 1000 };
	struct lbi_chunk_head h = { .seq = 5, .codec = LB_CODEC_NONE, .stored_len = 1000 + LBI_TAG_SIZE,
				    .raw_len = 1000, .run_count = 1, .raw_xxh3 = 7 };
	uint8_t head[LBI_CHUNK_FIXED + LBI_RUN_SIZE], plain[1000], buf[1000 + LBI_TAG_SIZE], copy[sizeof buf];
	lbi_encode_chunk_head(&h, &run, head);
	for (size_t i = 0; i < sizeof plain; i++)
		plain[i] = (uint8_t)(i * 7);
	memcpy(buf, plain, sizeof plain);
	assert_int_equal(lbi_crypt_seal(c, 5, head, 1, buf, sizeof plain), 0);
	assert_memory_not_equal(buf, plain, sizeof plain);
	memcpy(copy, buf, sizeof buf);
	assert_int_equal(lbi_crypt_open(c, 5, head, 1, copy, sizeof plain), 0);
	assert_memory_equal(copy, plain, sizeof plain);
	/* another sequence number (nonce) */
	memcpy(copy, buf, sizeof buf);
	assert_int_equal(lbi_crypt_open(c, 6, head, 1, copy, sizeof plain), LB_E_CHECKSUM);
	/* one ciphertext bit */
	memcpy(copy, buf, sizeof buf);
	copy[500] ^= 1;
	assert_int_equal(lbi_crypt_open(c, 5, head, 1, copy, sizeof plain), LB_E_CHECKSUM);
	/* a run moved: the head is associated data */
	memcpy(copy, buf, sizeof buf);
	head[LBI_CHUNK_FIXED] ^= 0x10;
	assert_int_equal(lbi_crypt_open(c, 5, head, 1, copy, sizeof plain), LB_E_CHECKSUM);
	lbi_crypt_free(c);
}

static void header_auth_covers_metadata_and_pads_differ(void **state)
{
	(void)state;
	struct lb_image_info info;
	struct lbi_crypt *c;
	plain_info(&info);
	assert_int_equal(lbi_crypt_new("pw", 0, &info, &c), 0);
	uint8_t header[LBI_HEADER_SIZE], meta[LBI_META_FIXED] = { 1, 2, 3 }, a[LBI_TAG_SIZE], b[LBI_TAG_SIZE];
	lbi_encode_header(&info, sizeof meta, 0, header);
	assert_int_equal(lbi_crypt_header_auth(c, header, meta, sizeof meta, a), 0);
	/* the tag field itself is not part of what it authenticates */
	memset(header + LBI_HEADER_AUTH_OFFSET, 0x5a, LBI_TAG_SIZE);
	assert_int_equal(lbi_crypt_header_auth(c, header, meta, sizeof meta, b), 0);
	assert_memory_equal(a, b, LBI_TAG_SIZE);
	meta[100] ^= 1;
	assert_int_equal(lbi_crypt_header_auth(c, header, meta, sizeof meta, b), 0);
	assert_memory_not_equal(a, b, LBI_TAG_SIZE);
	uint64_t p0, p1, p0again;
	assert_int_equal(lbi_crypt_pad(c, 0, &p0), 0);
	assert_int_equal(lbi_crypt_pad(c, 1, &p1), 0);
	assert_int_equal(lbi_crypt_pad(c, 0, &p0again), 0);
	assert_true(p0 != p1);
	assert_true(p0 == p0again);
	lbi_crypt_free(c);
}

static void kdf_memory_sets_the_cost(void **state)
{
	(void)state;
	struct lb_image_info info, out;
	struct lbi_crypt *c, *again = NULL;
	plain_info(&info);
	assert_int_equal(lbi_crypt_new("pw", 1u << 20, &info, &c), 0);
	assert_int_equal(info.kdf.log2_n, 10);
	assert_int_equal(info.kdf.r, 8);
	out = info;
	assert_int_equal(lbi_crypt_unlock("pw", &out, &again), 0);
	lbi_crypt_free(again);
	lbi_crypt_free(c);
	plain_info(&info);
	assert_int_equal(lbi_crypt_new("pw", 3u << 20, &info, &c), LB_E_USAGE);
	assert_int_equal(lbi_crypt_new("pw", 512u << 20, &info, &c), LB_E_USAGE);
	assert_int_equal(info.encryption, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_keeps_parameters_and_wrong_password_fails),
		cmocka_unit_test(sealed_chunk_opens_only_unchanged),
		cmocka_unit_test(header_auth_covers_metadata_and_pads_differ),
		cmocka_unit_test(kdf_memory_sets_the_cost),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
