/* fast_layout.h - struct k23_fast (fastpath.c) for patch_entry.S. */
#ifndef K23_FAST_LAYOUT_H
#define K23_FAST_LAYOUT_H

#define K23_FAST_OK	0	/* 32 bits: the fast path may be taken at all */
#define K23_FAST_FD_LOW	4	/* 32 bits, signed: no descriptor of k23's is below it */
#define K23_FAST_CALLS	8	/* the count tool's calls[] (errors[] follows it) */
#define K23_FAST_MAP	16	/* bit n: call n only passes through */
#define K23_FAST_COUNT	80	/* bit n: call n passes through and is only counted */
#define K23_FAST_FD0	144	/* bit n: call n names a descriptor, in its first argument */
#define K23_FAST_MAX	512
#define K23_FAST_ERRORS_FROM_CALLS (K23_FAST_MAX * 8)	/* errors[n] - calls[n] */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct k23_fast {
	volatile uint32_t ok;
	int32_t fd_low;
	uint64_t *calls;
	uint64_t map[K23_FAST_MAX / 64];
	uint64_t count[K23_FAST_MAX / 64];
	uint64_t fd0[K23_FAST_MAX / 64];
};
_Static_assert(offsetof(struct k23_fast, ok) == K23_FAST_OK, "ok");
_Static_assert(offsetof(struct k23_fast, fd_low) == K23_FAST_FD_LOW, "fd_low");
_Static_assert(offsetof(struct k23_fast, calls) == K23_FAST_CALLS, "calls");
_Static_assert(offsetof(struct k23_fast, map) == K23_FAST_MAP, "map");
_Static_assert(offsetof(struct k23_fast, count) == K23_FAST_COUNT, "count");
_Static_assert(offsetof(struct k23_fast, fd0) == K23_FAST_FD0, "fd0");

extern struct k23_fast k23_fast;
#endif

#endif
