/* fast_layout.h - struct k23_fast (fastpath.c) for patch_entry.S. */
#ifndef K23_FAST_LAYOUT_H
#define K23_FAST_LAYOUT_H

#define K23_FAST_OK	0	/* 32 bits: the fast path may be taken at all */
#define K23_FAST_MAP	8	/* bit n: call n only passes through */
#define K23_FAST_MAX	512

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct k23_fast {
	volatile uint32_t ok;
	uint32_t pad;
	uint64_t map[K23_FAST_MAX / 64];
};
_Static_assert(offsetof(struct k23_fast, ok) == K23_FAST_OK, "ok");
_Static_assert(offsetof(struct k23_fast, map) == K23_FAST_MAP, "map");

extern struct k23_fast k23_fast;
#endif

#endif
