/* Marvin32, the keyed hash Windows puts in new-format hive log entries
 * (Hash-1 over the entry body, Hash-2 over its first 32 bytes). */
#include "regf.h"

static uint32_t rotl32(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void marvin_block(uint32_t *p0, uint32_t *p1)
{
	*p1 ^= *p0;
	*p0 = rotl32(*p0, 20) + *p1;
	*p1 = rotl32(*p1, 9) ^ *p0;
	*p0 = rotl32(*p0, 27) + *p1;
	*p1 = rotl32(*p1, 19);
}

uint64_t regf_marvin32(uint64_t seed, const uint8_t *data, size_t len)
{
	uint32_t p0 = (uint32_t)seed, p1 = (uint32_t)(seed >> 32);
	for (; len >= 4; data += 4, len -= 4) {
		p0 += regf_le32(data);
		marvin_block(&p0, &p1);
	}
	uint32_t tail = 0x80;
	if (len == 1)
		tail = 0x8000u | data[0];
	else if (len == 2)
		tail = 0x800000u | data[0] | (uint32_t)data[1] << 8;
	else if (len == 3)
		tail = 0x80000000u | data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16;
	p0 += tail;
	marvin_block(&p0, &p1);
	marvin_block(&p0, &p1);
	return (uint64_t)p1 << 32 | p0;
}
