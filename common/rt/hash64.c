/* hash64.c - XXH64 (seed 0), freestanding; see hash64.h.
 *
 * The runtime hashes each object it loads (libc: 2 MB) against the startup
 * budget, so the 32-byte stripe loop is kept to what XXH64 needs: four
 * independent lanes held in registers, two multiplies per 8 bytes, unaligned
 * 8-byte loads as single instructions (no memcpy call: there is no libc here).
 */
#include "rt/hash64.h"

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL

/* Unaligned loads the compiler may not assume aligned: one mov each. */
typedef uint64_t u64_un __attribute__((aligned(1), may_alias));
typedef uint32_t u32_un __attribute__((aligned(1), may_alias));

static inline uint64_t rd64(const uint8_t *p)
{
	return *(const u64_un *)p;
}

static inline uint32_t rd32(const uint8_t *p)
{
	return *(const u32_un *)p;
}

static inline uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t xround(uint64_t acc, uint64_t in)
{
	return rotl(acc + in * P2, 31) * P1;
}

static inline uint64_t xmerge(uint64_t h, uint64_t v)
{
	return (h ^ xround(0, v)) * P1 + P4;
}

void k23_hash64_init(struct k23_hash64_state *s)
{
	s->v[0] = P1 + P2;
	s->v[1] = P2;
	s->v[2] = 0;
	s->v[3] = -P1;
	s->len = 0;
}

void k23_hash64_stripes(struct k23_hash64_state *s, const void *data, size_t len)
{
	/* Lanes in locals: the loads through may_alias pointers could otherwise
	 * alias s->v and force a store and reload per stripe. */
	uint64_t v1 = s->v[0], v2 = s->v[1], v3 = s->v[2], v4 = s->v[3];
	const uint8_t *p = data, *end = p + (len & ~(size_t)31);

	for (; p < end; p += 32) {
		v1 = xround(v1, rd64(p));
		v2 = xround(v2, rd64(p + 8));
		v3 = xround(v3, rd64(p + 16));
		v4 = xround(v4, rd64(p + 24));
	}
	s->v[0] = v1;
	s->v[1] = v2;
	s->v[2] = v3;
	s->v[3] = v4;
	s->len += len & ~(size_t)31;
}

uint64_t k23_hash64_finish(struct k23_hash64_state *s, const void *data, size_t len)
{
	const uint8_t *p = data, *end = p + len;
	uint64_t h;

	k23_hash64_stripes(s, p, len);
	p += len & ~(size_t)31;
	s->len += len & 31;
	if (s->len >= 32) {
		h = rotl(s->v[0], 1) + rotl(s->v[1], 7) + rotl(s->v[2], 12) + rotl(s->v[3], 18);
		for (int i = 0; i < 4; i++)
			h = xmerge(h, s->v[i]);
	} else {
		h = P5;
	}
	h += s->len;
	for (; end - p >= 8; p += 8)
		h = rotl(h ^ xround(0, rd64(p)), 27) * P1 + P4;
	if (end - p >= 4) {
		h = rotl(h ^ (uint64_t)rd32(p) * P1, 23) * P2 + P3;
		p += 4;
	}
	for (; p < end; p++)
		h = rotl(h ^ *p * P5, 11) * P1;
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	return h ^ (h >> 32);
}

uint64_t k23_hash64(const void *data, size_t len)
{
	struct k23_hash64_state s;

	k23_hash64_init(&s);
	return k23_hash64_finish(&s, data, len);
}
