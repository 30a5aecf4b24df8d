/* Raw registry hive file format (regf) used below hivex: base block fields,
 * checksum, Marvin32, transaction-log replay and raw cell passes. Internal to
 * core/windows; the public entry point is lifeboat/hive.h. */
#ifndef LIFEBOAT_WINDOWS_REGF_H
#define LIFEBOAT_WINDOWS_REGF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REGF_BASE_BLOCK 4096u
#define REGF_LOG_BASE_BLOCK 512u
#define REGF_MARVIN_SEED 0x82EF4D887A4E55C5ull

/* What the base block of a primary hive says. */
struct regf_header {
	uint32_t seq1, seq2;
	uint32_t hbins_size;
	uint32_t flags;
	bool checksum_ok;
	bool dirty;  /* seq1 != seq2 or a bad checksum */
};

uint32_t regf_le32(const uint8_t *p);
void regf_put_le32(uint8_t *p, uint32_t v);

/* Marvin32 as Windows uses it for log entries (seed as a 64-bit integer). */
uint64_t regf_marvin32(uint64_t seed, const uint8_t *data, size_t len);

/* XOR-32 checksum of the first 508 bytes, with the 0 / ~0 substitutions. */
uint32_t regf_checksum(const uint8_t *base_block);

/* Parses a primary hive's base block; LB_E_INVALID if it is not a hive. */
int regf_read_header(const uint8_t *hive, size_t len, struct regf_header *out);

/* One transaction log file as read off the volume (NULL/0 when absent). */
struct regf_log {
	const char *name;
	const uint8_t *data;
	size_t len;
};

/* Replays new-format logs (LOG1/LOG2) into the primary *hive (a malloc'd
 * buffer of *len bytes that may be reallocated to grow): entries are taken in
 * sequence order across the logs, each checked with Marvin32, stopping at the
 * first gap or bad entry. On success the base block is clean with
 * seq1 = seq2 = the last applied sequence and *applied is the entry count.
 * LB_E_REFUSED when the logs cannot be replayed (old format, broken base
 * block, no applicable entry). */
int regf_replay_logs(uint8_t **hive, size_t *len, const struct regf_log *logs, int nlogs,
		     unsigned *applied);

/* Calls fn on every cell of the hive's bins: data is the cell's payload
 * (after the 4-byte size), allocated tells used from free cells. Stops with
 * LB_E_INVALID on a malformed bin or cell. */
int regf_each_cell(uint8_t *hive, size_t len,
		   void (*fn)(uint8_t *data, size_t size, bool allocated, void *ctx), void *ctx);

/* Zeroes the payload of every free cell so erased data (old names, old SIDs)
 * does not linger in the file. */
int regf_scrub_free_cells(uint8_t *hive, size_t len);

#endif
