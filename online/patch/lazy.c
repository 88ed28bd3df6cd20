/* lazy.c - patching a site the first time the catch-all traps it (the lazypoline idea, without page 0).
 *
 * Without a sidecar nothing says where instructions start, so only one
 * shape is patched: `mov $N,%eax` (b8 imm32) right before the trapped
 * `syscall`, with N the number the trap reported. The 5-byte mov becomes a
 * 5-byte `jmp stub`; the syscall stays where it was. That makes the write
 * safe while other threads run the code:
 *   - one instruction is replaced by one of the same length, with a single
 *     locked 16-byte compare-and-swap (the mov must lie inside one aligned
 *     16 bytes): another thread fetches the old mov or the new jmp, never
 *     a mix; the swap fails, and nothing is written, if the bytes changed;
 *   - a thread already past the mov, or asleep in the syscall, finds the
 *     syscall and the code after it untouched;
 *   - the stub falls back by jumping to that same syscall.
 * membarrier(SYNC_CORE) then makes every thread drop code it prefetched.
 *
 * What is not proven: that the b8 is the start of an instruction rather
 * than the tail of a longer one. The byte before it is checked to be none
 * of what could make it a tail (a prefix, a ModRM/SIB expecting a
 * displacement), which leaves only code that stores the call number
 * somewhere right before making that very call. Only file-backed code that
 * is not writable is patched (read from /proc/self/maps), never JIT code.
 * Rejected sites are remembered, so a site costs the check once.
 *
 * Only a private mapping ("r-xp") is written: in a shared one ("r-xs") the
 * jump would go to the file on disk and to every other mapping of it -
 * another process, a fork child, a second view in this one - where it
 * leads to a stub that does not exist there.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/mman.h>
#include <linux/membarrier.h>
#include "online/arch/x86_64/patch_layout.h"
#include "online/core/rt.h"
#include "cold.h"
#include "online/core/rtlib.h"
#include "online/patch/stub.h"
#include "online/patch/patch.h"
#include "online/patch/procmaps.h"

#define SEEN_N 1024
static K23_COLD unsigned long seen[SEEN_N];	/* sites already patched or refused */
static int lock;

/* 1 if site was already handled; otherwise records it (best effort). */
static int seen_before(unsigned long site)
{
	return k23_set_add(seen, SEEN_N, site) == 0;
}

static int prefix_or_modrm_tail(uint8_t b, uint8_t before)
{
	switch (b) {
	case 0x0f: case 0x26: case 0x2e: case 0x36: case 0x3e: case 0xf0: case 0xf2: case 0xf3:
		return 1; /* prefixes and the two-byte escape */
	}
	if (b >= 0x40 && b <= 0xbf)
		return 1; /* REX, or a ModRM with a displacement after it */
	if ((b & 0xc7) == 0x04 || (b & 0xc7) == 0x05)
		return 1; /* ModRM with SIB or rip-relative disp32 */
	if ((before & 0xc7) == 0x44 || (before & 0xc7) == 0x84)
		return 1; /* b may be a SIB with a displacement after it */
	return 0;
}

enum code_kind { PLAIN, SHARED, OTHER };

/* PLAIN if [a, a+n) lies in a private file mapping that is executable and
 * not writable ("r-xp", a path, not a memfd, not deleted); SHARED if in a
 * shared mapping of any kind; OTHER for the rest. */
static enum code_kind code_kind(unsigned long a, unsigned long n)
{
	struct k23_mapping m;
	size_t len;

	if (k23_mapping_of(a, &m) || a + n > m.end)
		return OTHER;
	if (m.perms[3] != 'p')
		return SHARED;
	len = k23_strlen(m.path);
	return m.perms[0] == 'r' && m.perms[1] == '-' && m.perms[2] == 'x' && m.path[0] == '/' &&
	       k23_strncmp(m.path, "/memfd:", 7) != 0 &&
	       !(len > 10 && !k23_strcmp(m.path + len - 10, " (deleted)")) ? PLAIN : OTHER;
}

static int cas16(void *p, const uint8_t *old, const uint8_t *new)
{
	uint64_t lo = *(const uint64_t *)old, hi = *(const uint64_t *)(old + 8);
	uint64_t nlo = *(const uint64_t *)new, nhi = *(const uint64_t *)(new + 8);
	unsigned char ok;

	__asm__ volatile("lock cmpxchg16b %1; sete %0"
			 : "=q"(ok), "+m"(*(volatile uint64_t(*)[2])p), "+a"(lo), "+d"(hi)
			 : "b"(nlo), "c"(nhi)
			 : "memory", "cc");
	return ok;
}

static void refuse(void)
{
	K23_STAT(skipped[K23_SKIP_LAZY_PATTERN], 1);
}

void k23_lazy_patch(unsigned long rip, long nr)
{
	unsigned long mov = rip - 7, block = mov & ~15UL;
	uint8_t b[9], old[16], new[16];
	struct k23_window w;
	uint8_t *space;
	unsigned long to;
	static const uint8_t len5 = 5, disp0 = 0;

	if (k23_rt.patch != K23_PATCH_STUB || !k23_rt.lazy || seen_before(rip))
		return;
	if (k23_copy_from(b, (void *)(rip - 9), sizeof(b)) || b[2] != 0xb8 || b[7] != 0x0f ||
	    b[8] != 0x05 || *(const int32_t *)(b + 3) != (int32_t)nr || nr < 0 ||
	    prefix_or_modrm_tail(b[1], b[0]) || mov + 5 > block + 16) {
		refuse();
		return;
	}
	switch (code_kind(block, 16)) {
	case PLAIN:
		break;
	case SHARED:
		K23_STAT(skipped[K23_SKIP_SHARED], 1);
		return;
	case OTHER:
		refuse();
		return;
	}
	space = k23_stub_space(mov, rip, 4096);
	if (!space) {
		K23_STAT(skipped[K23_SKIP_STUB_SPACE], 1);
		return;
	}
	w = (struct k23_window){ .addr = mov, .bytes = b + 2, .len = 5, .ninsns = 1, .site_index = 1,
				 .insn_len = &len5, .disp_offset = &disp0, .fallback_to_site = 1 };
	to = k23_stub_write(space, &w);
	k23_stub_seal(space, 4096);
	if (!to || __atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE)) {
		k23_unmap(space, 4096); /* busy (another thread patching): the next trap retries */
		return;
	}
	k23_memcpy(old, (void *)block, 16);
	k23_memcpy(new, old, 16);
	new[mov - block] = 0xe9;
	*(int32_t *)(new + (mov - block) + 1) = (int32_t)(long)(to - (mov + 5));
	/* Executable all along: other threads keep running this page. */
	if (k23_syscall3(__NR_mprotect, (long)(block & ~4095UL), 4096,
			 PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
		__atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
		K23_STAT(skipped[K23_SKIP_PROTECT], 1);
		k23_unmap(space, 4096);
		return;
	}
	int ok = k23_memeq(old + (mov - block), b + 2, 5) && cas16((void *)block, old, new);

	k23_syscall3(__NR_mprotect, (long)(block & ~4095UL), 4096, PROT_READ | PROT_EXEC);
	__atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
	if (!ok) {
		k23_unmap(space, 4096);
		return;
	}
	k23_stub_register(space, 4096);
	k23_syscall3(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0);
	k23_syscall3(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0);
	K23_STAT(sites_lazy, 1);
}
