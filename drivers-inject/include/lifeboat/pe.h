/* The few facts about a PE image (.sys, .exe) a driver injector checks:
 * machine type and whether it carries an embedded (Authenticode) signature. */
#ifndef LIFEBOAT_PE_H
#define LIFEBOAT_PE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lb_pe_info {
	uint16_t machine;         /* IMAGE_FILE_MACHINE_*: 0x14c, 0x8664, 0xaa64, ... */
	bool pe32_plus;           /* optional header magic 0x20b */
	bool has_signature;       /* security data directory is non-empty */
};

/* How much of the start of a file lb_pe_parse needs. */
#define LB_PE_HEADER_BYTES 4096

/* Parses the headers at the start of a PE file (buf: its first bytes);
 * name is for messages. LB_E_INVALID if it is not one. */
int lb_pe_parse(const uint8_t *buf, size_t size, const char *name, struct lb_pe_info *out);

/* Reads the headers of the PE file at path; LB_E_INVALID if it is not one. */
int lb_pe_inspect(const char *path, struct lb_pe_info *out);

/* "x86-64", "i386", "ARM64", ... or "unknown". */
const char *lb_pe_machine_name(uint16_t machine);

#endif
