/* Whether an EFI binary's Authenticode signature is valid, not just
 * present: the certificates are taken out of the PE security directory
 * (libcrypto), the trust anchor is written as PEM, and sbverify --cert
 * checks the image hash and the signature against it. Anchors are what the
 * boot really trusts: for shim, Microsoft Corporation UEFI CA 2011 (the
 * copy inside shim's signature, accepted only with its known SHA-1
 * fingerprint), for everything shim loads, the vendor certificate shim
 * carries in its .vendor_cert section. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "boot.h"
#include "lifeboat/bytes.h"
#include "lifeboat/error.h"
#include "../builder/run.h"
#include "../builder/stage.h"

/* SHA-1 thumbprint of "Microsoft Corporation UEFI CA 2011", the CA in
 * every PC's db that signs third-party loaders such as shim. */
static const unsigned char ms_uefi_ca_2011_sha1[20] = {
	0x46, 0xde, 0xf6, 0x3b, 0x5c, 0xe6, 0x1c, 0xf8, 0xba, 0x0d,
	0xe2, 0xe6, 0x63, 0x9c, 0x10, 0x19, 0xd0, 0xed, 0x14, 0xf3,
};

/* The certificate in the first PKCS#7 signature of a PE image whose SHA-1
 * is sha1; NULL when there is none. */
static X509 *embedded_cert(const char *path, const unsigned char sha1[20])
{
	struct lb_strbuf pe;
	lb_strbuf_init(&pe);
	X509 *found = NULL;
	if (lb_strbuf_read_file(&pe, path, 64u << 20) != 0 || pe.len < 0x40) {
		lb_error_clear();
		lb_strbuf_free(&pe);
		return NULL;
	}
	const uint8_t *d = (const uint8_t *)pe.data;
	uint32_t nt = lb_le32(d + 0x3c);
	if ((uint64_t)nt + 24 + 112 + 40 <= pe.len) {
		uint16_t magic = lb_le16(d + nt + 24);
		const uint8_t *dir = d + nt + 24 + (magic == 0x20b ? 112 : 96) + 4 * 8;
		uint32_t off = lb_le32(dir), size = lb_le32(dir + 4);
		if (off && (uint64_t)off + size <= pe.len && size > 8) {
			const unsigned char *der = d + off + 8;
			PKCS7 *p7 = d2i_PKCS7(NULL, &der, lb_le32(d + off) - 8);
			STACK_OF(X509) *certs = p7 && PKCS7_type_is_signed(p7) ? p7->d.sign->cert : NULL;
			for (int i = 0; certs && i < sk_X509_num(certs) && !found; i++) {
				unsigned char md[EVP_MAX_MD_SIZE];
				unsigned n = 0;
				X509 *c = sk_X509_value(certs, i);
				if (X509_digest(c, EVP_sha1(), md, &n) && n == 20 && memcmp(md, sha1, 20) == 0)
					found = X509_dup(c);
			}
			PKCS7_free(p7);
		}
	}
	lb_strbuf_free(&pe);
	return found;
}

/* The first authorised certificate of shim's .vendor_cert section. */
static X509 *vendor_cert(const char *shim)
{
	struct lb_strbuf sec;
	lb_strbuf_init(&sec);
	X509 *cert = NULL;
	if (efi_section(shim, ".vendor_cert", &sec) == 0 && sec.len >= 16) {
		const uint8_t *d = (const uint8_t *)sec.data;
		uint32_t size = lb_le32(d), off = lb_le32(d + 8);
		const unsigned char *der = d + off;
		if ((uint64_t)off + size <= sec.len)
			cert = d2i_X509(NULL, &der, size);
	}
	lb_error_clear();
	lb_strbuf_free(&sec);
	return cert;
}

static void cert_name(X509 *cert, char *out, size_t n)
{
	X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, out, (int)n);
}

/* sbverify --cert ANCHOR: 0 when path's signature and hash verify. */
static int verify_with(const char *path, X509 *anchor, const char *anchor_name)
{
	char *work = NULL;
	int rc = stage_create("anchor", &work);
	if (rc)
		return rc;
	char *pem = path_join(work, "anchor.pem");
	FILE *f = fopen(pem, "w");
	if (!f || !PEM_write_X509(f, anchor))
		rc = lb_fail_errno(LB_E_IO, "cannot write %s", pem);
	if (f)
		fclose(f);
	struct lb_strbuf out;
	lb_strbuf_init(&out);
	if (!rc && run_toolv(&(struct run_io){ .out = &out }, "sbverify", "--cert", pem, path, NULL) != 0) {
		char *why = strdup(lb_error_message());
		rc = lb_fail(LB_E_REFUSED, "%s: its signature does not verify against %s (%s): Secure Boot would "
			     "refuse it", path, anchor_name, why ? why : "sbverify failed");
		free(why);
	}
	lb_strbuf_free(&out);
	stage_remove(work);
	free(pem);
	free(work);
	return rc;
}

int efi_verify_shim(const char *shim, struct lb_strbuf *report)
{
	X509 *ca = embedded_cert(shim, ms_uefi_ca_2011_sha1);
	if (!ca)
		return lb_fail(LB_E_REFUSED, "%s: not signed through Microsoft Corporation UEFI CA 2011, which "
			       "firmware trusts", shim);
	int rc = verify_with(shim, ca, "Microsoft Corporation UEFI CA 2011");
	if (!rc && report)
		lb_strbuf_puts(report, "signature verifies against Microsoft Corporation UEFI CA 2011 (in firmware db)\n");
	X509_free(ca);
	return rc;
}

int efi_verify_loaded(const char *shim, const char *path, struct lb_strbuf *report)
{
	X509 *vendor = vendor_cert(shim);
	if (!vendor)
		return lb_fail(LB_E_INVALID, "%s: no vendor certificate in its .vendor_cert section", shim);
	char name[256] = "";
	cert_name(vendor, name, sizeof name);
	char *anchor = xasprintf("%s (shim's vendor certificate)", name);
	int rc = verify_with(path, vendor, anchor);
	if (!rc && report)
		lb_strbuf_printf(report, "signature verifies against %s\n", anchor);
	free(anchor);
	X509_free(vendor);
	return rc;
}
