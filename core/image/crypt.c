/* Encryption of .lbi images with OpenSSL's libcrypto: scrypt turns the
 * password and the image's random salt into four values (chunk key, pad
 * key, HMAC key, key check); chunks are sealed with AES-256-GCM under a
 * nonce made of their sequence number, which is unique within the image
 * while the key is unique to it. */
#include "crypt.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "lifeboat/bytes.h"
#include "lifeboat/error.h"

#define KEY_SIZE 32
#define DEFAULT_LOG2_N 17   /* 128 MiB of memory with r = 8 */
#define DEFAULT_R 8
#define DEFAULT_P 1
#define MAX_KDF_MEMORY (256ull << 20)

struct lbi_crypt {
	uint8_t chunk_key[KEY_SIZE];
	uint8_t pad_key[KEY_SIZE];
	uint8_t mac_key[KEY_SIZE];
};

/* scrypt output: chunk key, pad key, HMAC key, key check. */
struct derived {
	uint8_t keys[3 * KEY_SIZE];
	uint8_t check[LBI_TAG_SIZE];
};

static int derive(const char *password, const struct lb_image_kdf *k, struct derived *d)
{
	if (k->method != LBI_KDF_SCRYPT)
		return lb_fail(LB_E_UNSUPPORTED, "image uses unknown key derivation %u", k->method);
	uint64_t mem = 128ull * k->r * (1ull << (k->log2_n < 63 ? k->log2_n : 63));
	if (k->log2_n < 10 || k->log2_n > 24 || k->r < 1 || k->p < 1 || k->p > 16 || mem > MAX_KDF_MEMORY)
		return lb_fail(LB_E_INVALID, "image has out-of-range scrypt parameters (N=2^%u, r=%u, p=%u)", k->log2_n,
			       k->r, k->p);
	uint8_t out[sizeof d->keys + sizeof d->check];
	if (!EVP_PBE_scrypt(password, strlen(password), k->salt, sizeof k->salt, 1ull << k->log2_n, k->r, k->p,
			    MAX_KDF_MEMORY + (1u << 20), out, sizeof out))
		return lb_fail(LB_E_NOMEM, "scrypt key derivation failed (not enough memory?)");
	memcpy(d->keys, out, sizeof d->keys);
	memcpy(d->check, out + sizeof d->keys, sizeof d->check);
	OPENSSL_cleanse(out, sizeof out);
	return 0;
}

static int make(const struct derived *d, struct lbi_crypt **out)
{
	struct lbi_crypt *c = OPENSSL_malloc(sizeof *c);
	if (!c)
		return lb_fail(LB_E_NOMEM, "out of memory");
	memcpy(c->chunk_key, d->keys, KEY_SIZE);
	memcpy(c->pad_key, d->keys + KEY_SIZE, KEY_SIZE);
	memcpy(c->mac_key, d->keys + 2 * KEY_SIZE, KEY_SIZE);
	*out = c;
	return 0;
}

bool lb_kdf_memory_valid(uint64_t bytes)
{
	return bytes >= (1u << 20) && bytes <= MAX_KDF_MEMORY && (bytes & (bytes - 1)) == 0;
}

int lbi_crypt_new(const char *password, uint64_t kdf_memory, struct lb_image_info *info, struct lbi_crypt **out)
{
	struct lb_image_kdf *k = &info->kdf;
	memset(k, 0, sizeof *k);
	k->method = LBI_KDF_SCRYPT;
	k->log2_n = DEFAULT_LOG2_N;
	if (kdf_memory) {
		if (!lb_kdf_memory_valid(kdf_memory))
			return lb_fail(LB_E_USAGE, "key derivation memory must be a power of two from 1 MiB to 256 MiB");
		for (k->log2_n = 0; 128ull * DEFAULT_R << k->log2_n < kdf_memory; k->log2_n++)
			;
	}
	k->r = DEFAULT_R;
	k->p = DEFAULT_P;
	if (RAND_bytes(k->salt, sizeof k->salt) != 1)
		return lb_fail(LB_E_IO, "no random bytes for the encryption salt");
	struct derived d;
	int rc = derive(password, k, &d);
	if (rc == 0) {
		memcpy(k->key_check, d.check, sizeof k->key_check);
		rc = make(&d, out);
	}
	OPENSSL_cleanse(&d, sizeof d);
	if (rc == 0)
		info->encryption = LB_ENCRYPT_AES256GCM;
	return rc;
}

int lbi_crypt_unlock(const char *password, const struct lb_image_info *info, struct lbi_crypt **out)
{
	*out = NULL;
	if (info->encryption != LB_ENCRYPT_AES256GCM)
		return lb_fail(LB_E_UNSUPPORTED, "image uses unknown encryption %u", info->encryption);
	struct derived d;
	int rc = derive(password, &info->kdf, &d);
	if (rc == 0 && CRYPTO_memcmp(d.check, info->kdf.key_check, sizeof d.check) != 0)
		rc = lb_fail(LB_E_REFUSED, "wrong password");
	if (rc == 0)
		rc = make(&d, out);
	OPENSSL_cleanse(&d, sizeof d);
	return rc;
}

void lbi_crypt_free(struct lbi_crypt *c)
{
	if (c)
		OPENSSL_clear_free(c, sizeof *c);
}

int lbi_crypt_pad(const struct lbi_crypt *c, uint64_t seq, uint64_t *pad)
{
	uint8_t block[16] = { 0 }, out[32];
	int len = 0;
	lb_put_le64(block, seq);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	bool ok = ctx && EVP_EncryptInit_ex(ctx, EVP_aes_256_ecb(), NULL, c->pad_key, NULL) == 1 &&
		  EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 && EVP_EncryptUpdate(ctx, out, &len, block, 16) == 1 &&
		  len == 16;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return lb_fail(LB_E_NOMEM, "AES-256 is not available");
	*pad = lb_le64(out);
	return 0;
}

int lbi_crypt_header_auth(const struct lbi_crypt *c, const uint8_t *header, const uint8_t *meta, size_t meta_len,
			  uint8_t tag[LBI_TAG_SIZE])
{
	uint8_t head[504], mac[EVP_MAX_MD_SIZE];
	memcpy(head, header, sizeof head);
	memset(head + LBI_HEADER_AUTH_OFFSET, 0, LBI_TAG_SIZE);
	EVP_MAC *hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
	char digest[] = "SHA256";
	OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
				OSSL_PARAM_construct_end() };
	size_t len = 0;
	bool ok = ctx && EVP_MAC_init(ctx, c->mac_key, KEY_SIZE, params) == 1 &&
		  EVP_MAC_update(ctx, head, sizeof head) == 1 && EVP_MAC_update(ctx, meta, meta_len) == 1 &&
		  EVP_MAC_final(ctx, mac, &len, sizeof mac) == 1 && len >= LBI_TAG_SIZE;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(hmac);
	if (!ok)
		return lb_fail(LB_E_UNSUPPORTED, "HMAC-SHA256 is not available");
	memcpy(tag, mac, LBI_TAG_SIZE);
	return 0;
}

/* Starts AES-256-GCM for chunk seq and feeds the head as associated data. */
static EVP_CIPHER_CTX *gcm_start(const struct lbi_crypt *c, uint64_t seq, const uint8_t *head, uint32_t run_count,
				 int enc)
{
	uint8_t nonce[12] = { 0 };
	lb_put_le64(nonce, seq);
	int n;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	if (ctx && EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, c->chunk_key, nonce, enc) == 1 &&
	    EVP_CipherUpdate(ctx, NULL, &n, head, 40) == 1 &&
	    EVP_CipherUpdate(ctx, NULL, &n, head + 48, (int)(run_count * 16u)) == 1)
		return ctx;
	EVP_CIPHER_CTX_free(ctx);
	return NULL;
}

int lbi_crypt_seal(const struct lbi_crypt *c, uint64_t seq, const uint8_t *head, uint32_t run_count, uint8_t *buf,
		   size_t len)
{
	EVP_CIPHER_CTX *ctx = gcm_start(c, seq, head, run_count, 1);
	int n = 0, fin = 0;
	bool ok = ctx && len <= INT_MAX && EVP_EncryptUpdate(ctx, buf, &n, buf, (int)len) == 1 &&
		  EVP_EncryptFinal_ex(ctx, buf + n, &fin) == 1 && (size_t)(n + fin) == len &&
		  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, LBI_TAG_SIZE, buf + len) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : lb_fail(LB_E_UNSUPPORTED, "AES-256-GCM encryption failed");
}

int lbi_crypt_open(const struct lbi_crypt *c, uint64_t seq, const uint8_t *head, uint32_t run_count, uint8_t *buf,
		   size_t len)
{
	EVP_CIPHER_CTX *ctx = gcm_start(c, seq, head, run_count, 0);
	if (!ctx || len > INT_MAX) {
		EVP_CIPHER_CTX_free(ctx);
		return lb_fail(LB_E_UNSUPPORTED, "AES-256-GCM decryption is not available");
	}
	int n = 0, fin = 0;
	bool ok = EVP_DecryptUpdate(ctx, buf, &n, buf, (int)len) == 1 &&
		  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, LBI_TAG_SIZE, buf + len) == 1 &&
		  EVP_DecryptFinal_ex(ctx, buf + n, &fin) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : lb_fail(LB_E_CHECKSUM, "authentication failed (altered or not from this image)");
}
