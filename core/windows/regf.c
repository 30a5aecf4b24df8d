/* Registry hive files below hivex: base block checks, replay of new-format
 * transaction logs (Windows 8.1+ LOG1/LOG2) and raw passes over the cells.
 * Format: Maxim Suhanov's "Windows registry file format specification". */
#include "regf.h"
#include "lifeboat/error.h"

#include <stdlib.h>
#include <string.h>

#define LOG_TYPE_NEW 6u
#define ENTRY_HEADER 40u

uint32_t regf_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void regf_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)regf_le32(p) | (uint64_t)regf_le32(p + 4) << 32;
}

uint32_t regf_checksum(const uint8_t *base_block)
{
	uint32_t sum = 0;
	for (int i = 0; i < 508; i += 4)
		sum ^= regf_le32(base_block + i);
	if (sum == 0)
		return 1;
	if (sum == 0xFFFFFFFFu)
		return 0xFFFFFFFEu;
	return sum;
}

static bool base_block_valid(const uint8_t *bb, size_t len)
{
	return len >= REGF_LOG_BASE_BLOCK && memcmp(bb, "regf", 4) == 0 &&
	       regf_checksum(bb) == regf_le32(bb + 508);
}

int regf_read_header(const uint8_t *hive, size_t len, struct regf_header *out)
{
	if (len < REGF_BASE_BLOCK || memcmp(hive, "regf", 4) != 0)
		return lb_fail(LB_E_INVALID, "not a registry hive (no 'regf' base block)");
	out->seq1 = regf_le32(hive + 4);
	out->seq2 = regf_le32(hive + 8);
	out->hbins_size = regf_le32(hive + 40);
	out->flags = regf_le32(hive + 0x90);
	out->checksum_ok = regf_checksum(hive) == regf_le32(hive + 508);
	out->dirty = out->seq1 != out->seq2 || !out->checksum_ok;
	return 0;
}

/* A log usable for replay: valid new-format base block and its first sequence. */
struct log_source {
	const struct regf_log *log;
	uint32_t first_seq;
};

static int classify_log(const struct regf_log *log, struct log_source *src)
{
	if (!base_block_valid(log->data, log->len))
		return lb_fail(LB_E_REFUSED, "%s: the transaction log's base block is damaged", log->name);
	if (regf_le32(log->data + 28) != LOG_TYPE_NEW)
		return lb_fail(LB_E_REFUSED, "%s: old-format transaction log (Windows 8 or older) is not supported",
			       log->name);
	src->log = log;
	src->first_seq = regf_le32(log->data + 4);
	return 0;
}

/* Checks the entry at off: magic, bounds, hashes, page references.
 * Returns its size, or 0 when it is not a valid entry. */
static size_t valid_entry(const uint8_t *data, size_t len, size_t off)
{
	if (off + ENTRY_HEADER > len || memcmp(data + off, "HvLE", 4) != 0)
		return 0;
	const uint8_t *e = data + off;
	size_t size = regf_le32(e + 4);
	uint32_t hbins = regf_le32(e + 16), pages = regf_le32(e + 20);
	if (size < ENTRY_HEADER || size % 512 != 0 || size > len - off || hbins % 4096 != 0)
		return 0;
	if ((uint64_t)pages * 8 > size - ENTRY_HEADER)
		return 0;
	if (regf_marvin32(REGF_MARVIN_SEED, e, 32) != le64(e + 32) ||
	    regf_marvin32(REGF_MARVIN_SEED, e + ENTRY_HEADER, size - ENTRY_HEADER) != le64(e + 24))
		return 0;
	uint64_t data_bytes = 0;
	for (uint32_t i = 0; i < pages; i++) {
		uint32_t poff = regf_le32(e + ENTRY_HEADER + 8 * i), psize = regf_le32(e + ENTRY_HEADER + 8 * i + 4);
		if (psize % 4096 != 0 || (uint64_t)poff + psize > hbins)
			return 0;
		data_bytes += psize;
	}
	if (ENTRY_HEADER + (uint64_t)pages * 8 + data_bytes > size)
		return 0;
	return size;
}

/* Applies one checked entry: grows the hive to its hbins size, copies pages. */
static int apply_entry(uint8_t **hive, size_t *len, const uint8_t *e)
{
	uint32_t hbins = regf_le32(e + 16), pages = regf_le32(e + 20);
	size_t want = REGF_BASE_BLOCK + (size_t)hbins;
	if (want > *len) {
		uint8_t *grown = realloc(*hive, want);
		if (!grown)
			return lb_fail(LB_E_NOMEM, "out of memory replaying a hive log");
		memset(grown + *len, 0, want - *len);
		*hive = grown;
	}
	*len = want;
	const uint8_t *page = e + ENTRY_HEADER + 8 * (size_t)pages;
	for (uint32_t i = 0; i < pages; i++) {
		uint32_t poff = regf_le32(e + ENTRY_HEADER + 8 * i), psize = regf_le32(e + ENTRY_HEADER + 8 * i + 4);
		memcpy(*hive + REGF_BASE_BLOCK + poff, page, psize);
		page += psize;
	}
	regf_put_le32(*hive + 40, hbins);
	uint32_t flags = regf_le32(*hive + 0x90);
	regf_put_le32(*hive + 0x90, (flags & ~1u) | (regf_le32(e + 8) & 1u));
	return 0;
}

int regf_replay_logs(uint8_t **hive, size_t *len, const struct regf_log *logs, int nlogs, unsigned *applied)
{
	struct log_source src[3];
	int n = 0;
	*applied = 0;
	for (int i = 0; i < nlogs && n < 3; i++) {
		if (!logs[i].data || logs[i].len == 0)
			continue;
		int rc = classify_log(&logs[i], &src[n]);
		if (rc < 0)
			return rc;
		n++;
	}
	if (n == 0)
		return lb_fail(LB_E_REFUSED, "no transaction log to replay");
	for (int i = 1; i < n; i++)  /* sort by first sequence number */
		for (int j = i; j > 0 && src[j].first_seq < src[j - 1].first_seq; j--) {
			struct log_source t = src[j];
			src[j] = src[j - 1];
			src[j - 1] = t;
		}
	if (*len < REGF_BASE_BLOCK)
		return lb_fail(LB_E_INVALID, "hive too short for a base block");
	if (regf_checksum(*hive) != regf_le32(*hive + 508)) {
		memcpy(*hive, src[0].log->data, REGF_LOG_BASE_BLOCK);  /* the log keeps a copy */
		regf_put_le32(*hive + 28, 0);
	}
	uint32_t expect = src[0].first_seq, last = 0;
	for (int i = 0; i < n; i++) {
		const uint8_t *d = src[i].log->data;
		size_t l = src[i].log->len, off = REGF_LOG_BASE_BLOCK, size;
		while ((size = valid_entry(d, l, off)) != 0 && regf_le32(d + off + 12) == expect) {
			int rc = apply_entry(hive, len, d + off);
			if (rc < 0)
				return rc;
			last = expect++;
			(*applied)++;
			off += size;
		}
	}
	if (*applied == 0)
		return lb_fail(LB_E_REFUSED, "the transaction logs hold no entry that can be replayed");
	regf_put_le32(*hive + 4, last);
	regf_put_le32(*hive + 8, last);
	regf_put_le32(*hive + 508, regf_checksum(*hive));
	return 0;
}

int regf_each_cell(uint8_t *hive, size_t len,
		   void (*fn)(uint8_t *data, size_t size, bool allocated, void *ctx), void *ctx)
{
	size_t end = REGF_BASE_BLOCK + (size_t)regf_le32(hive + 40);
	if (end > len)
		return lb_fail(LB_E_INVALID, "hive bins extend past the end of the file");
	for (size_t bin = REGF_BASE_BLOCK; bin < end;) {
		uint32_t bin_size = regf_le32(hive + bin + 8);
		if (memcmp(hive + bin, "hbin", 4) != 0 || bin_size < 32 || bin_size % 4096 != 0 ||
		    bin_size > end - bin)
			return lb_fail(LB_E_INVALID, "damaged hive bin at offset %zu", bin);
		for (size_t cell = bin + 32; cell + 4 <= bin + bin_size;) {
			int32_t raw = (int32_t)regf_le32(hive + cell);
			size_t size = raw < 0 ? (size_t)-(int64_t)raw : (size_t)raw;
			if (size < 8 || size > bin + bin_size - cell)
				return lb_fail(LB_E_INVALID, "damaged hive cell at offset %zu", cell);
			fn(hive + cell + 4, size - 4, raw < 0, ctx);
			cell += size;
		}
		bin += bin_size;
	}
	return 0;
}

static void zero_if_free(uint8_t *data, size_t size, bool allocated, void *ctx)
{
	(void)ctx;
	if (!allocated)
		memset(data, 0, size);
}

int regf_scrub_free_cells(uint8_t *hive, size_t len)
{
	return regf_each_cell(hive, len, zero_if_free, NULL);
}
