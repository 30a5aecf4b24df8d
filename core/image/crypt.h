/* Internal: encryption of .lbi images (FORMAT.md, "Encryption"): keys from
 * scrypt, AES-256-GCM per chunk with the chunk head as associated data, a
 * key check and an HMAC of header and metadata, and the per-chunk pad
 * that hides the checksums of the plaintext. */
#ifndef LIFEBOAT_CRYPT_H
#define LIFEBOAT_CRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "lifeboat/image.h"

#define LBI_TAG_SIZE 16
#define LBI_KDF_SCRYPT 1
#define LBI_HEADER_AUTH_OFFSET 128   /* the header's 16-byte HMAC field */

struct lbi_crypt;

/* Capture: fills info's encryption fields (fresh salt, scrypt parameters
 * taking kdf_memory bytes, 0 for the default 128 MiB, key check) and
 * derives the keys. */
int lbi_crypt_new(const char *password, uint64_t kdf_memory, struct lb_image_info *info, struct lbi_crypt **out);
/* Reading: derives the keys from info's parameters; "wrong password" when
 * the key check differs. */
int lbi_crypt_unlock(const char *password, const struct lb_image_info *info, struct lbi_crypt **out);
void lbi_crypt_free(struct lbi_crypt *c);

/* The pad XORed into the XXH3 of chunk seq's decoded bytes. */
int lbi_crypt_pad(const struct lbi_crypt *c, uint64_t seq, uint64_t *pad);
/* HMAC-SHA256 (first 16 bytes) of header bytes 0..503, with the HMAC field
 * zeroed, followed by the metadata. */
int lbi_crypt_header_auth(const struct lbi_crypt *c, const uint8_t *header, const uint8_t *meta, size_t meta_len,
			  uint8_t tag[LBI_TAG_SIZE]);
/* Encrypts buf (len bytes) in place and appends the 16-byte tag; head is
 * the encoded chunk head (fixed part and runs), authenticated as well. */
int lbi_crypt_seal(const struct lbi_crypt *c, uint64_t seq, const uint8_t *head, uint32_t run_count, uint8_t *buf,
		   size_t len);
/* Decrypts buf (len bytes, tag after them) in place; LB_E_CHECKSUM when
 * the tag does not authenticate head and bytes. */
int lbi_crypt_open(const struct lbi_crypt *c, uint64_t seq, const uint8_t *head, uint32_t run_count, uint8_t *buf,
		   size_t len);

#endif
