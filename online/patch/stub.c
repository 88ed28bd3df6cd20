/* stub.c - placing and writing per-site stubs.
 *
 * A stub (code at a 16-aligned slot):
 *
 *         <instructions before the syscall>        relocated copies
 *         lea R(%rip),%rcx                         a call's return address, without
 *         movabs $k23_stub_entry,%r11              the call (see below); r11 and
 *         jmp *%r11                                rcx are the syscall's to clobber
 *   R:    jmp R+6                                  over what the entry
 *         .long fb - R                             reads (patch_layout.h)
 *         lea next(%rip),%rcx; nopl (%rax)         rcx as the kernel leaves it
 *   post: <instructions after the syscall>         relocated copies
 *         jmp <end of the window>
 *   fb:   syscall; lea next(%rip),%rcx; nopl (%rax); jmp post
 *                                                  the call needs the kernel's frame:
 *         jmp <the site's syscall>                 trap here (planned stubs), or
 *                                                  trap there (lazy stubs)
 *
 * Nothing is written to the program's stack, as by the syscall it
 * replaces: its stack pointer may be anything (patch_entry.S).
 *
 * Without PCID every system call empties the TLB, so what a stub touches
 * costs page walks: it reads nothing but its own instructions. The entry
 * returns to fb instead of R when the call must be trapped.
 *
 * No call/ret pair: a `ret` just after a system call mispredicts here (the
 * return-stack buffer does not survive the kernel), ~70 ns of a ~900 ns
 * getppid, where the fast path's `pop %rcx; jmp *%rcx` costs ~5 ns. And
 * a call never matched by a ret would leave the program's own returns
 * predicted one entry off.
 *
 * Stub memory is written while private, then sealed read-execute and never
 * written again: no page is ever writable and executable at once.
 *
 * Every address in a stub is relative (rel32 jumps, rip-relative leas and
 * operands) but k23_stub_entry's, which k23's fixed-address image makes a
 * constant: stubs placed at the same distance from their object are the
 * same bytes in every process, which is what lets prepatched.c share them.
 */
#include <asm/unistd.h>
#include <linux/mman.h>
#include "online/arch/x86_64/patch_layout.h"
#include "online/core/rtlib.h"
#include "online/patch/stub.h"

#define REACH ((1UL << 31) - (1UL << 20))	/* rel32, with a margin */
#define STEP (16UL << 20)
#define TRIES 64
#define MIN_ADDR 0x10000UL

static int reaches(unsigned long a, unsigned long lo, unsigned long hi, unsigned long size)
{
	unsigned long far_up = hi > a ? hi - a : 0, far_down = a + size > lo ? a + size - lo : 0;

	return far_up < REACH && far_down < REACH;
}

static void *try_at(unsigned long a, unsigned long size)
{
	/* Populated by the kernel in one go: every page gets written, and a
	 * page fault taken from user mode costs ~10 us on the reference VM
	 * (17 pages for libc: 0.17 ms faulted, 0.03 ms populated). */
	long p = k23_syscall6(__NR_mmap, (long)a, (long)size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_POPULATE, -1, 0);

	if ((unsigned long)p > -4096UL)
		return 0;
	if ((unsigned long)p != a) { /* kernels before 4.17 ignore NOREPLACE */
		k23_unmap((void *)p, size);
		return 0;
	}
	return (void *)p;
}

void *k23_stub_space_at(unsigned long a, unsigned long lo, unsigned long hi, unsigned long size)
{
	size = (size + 4095) & ~4095UL;
	lo &= ~4095UL;
	return a >= MIN_ADDR && !(a & 4095) && reaches(a, lo, hi, size) ? try_at(a, size) : 0;
}

void *k23_stub_space(unsigned long lo, unsigned long hi, unsigned long size)
{
	size = (size + 4095) & ~4095UL;
	lo &= ~4095UL;
	/* Below the code first (where ld.so leaves gaps between libraries),
	 * then above it. */
	for (unsigned long k = 0; k < TRIES; k++) {
		unsigned long d = k * STEP + size;

		if (lo > d + MIN_ADDR && reaches(lo - d, lo, hi, size)) {
			void *p = try_at(lo - d, size);

			if (p)
				return p;
		}
		unsigned long up = ((hi + 4095) & ~4095UL) + k * STEP;

		if (reaches(up, lo, hi, size) && up + size < (1UL << 47)) {
			void *p = try_at(up, size);

			if (p)
				return p;
		}
	}
	return 0;
}

void k23_stub_seal(void *space, unsigned long size)
{
	k23_syscall3(__NR_mprotect, (long)space, (long)((size + 4095) & ~4095UL),
		     PROT_READ | PROT_EXEC);
}

/* Append-only, lock-free: the signal entry of any thread reads it. */
#define NSPACES 1024
static struct {
	unsigned long lo, hi;
} spaces[NSPACES];
static unsigned nspaces;

void k23_stub_register(void *space, unsigned long size)
{
	unsigned i = __atomic_fetch_add(&nspaces, 1, __ATOMIC_ACQ_REL);

	if (i >= NSPACES)
		return;
	spaces[i].lo = (unsigned long)space;
	__atomic_store_n(&spaces[i].hi, (unsigned long)space + size, __ATOMIC_RELEASE);
}

int k23_stub_find(unsigned long rip, unsigned long *slot)
{
	unsigned n = __atomic_load_n(&nspaces, __ATOMIC_ACQUIRE);

	for (unsigned i = 0; i < n && i < NSPACES; i++) {
		unsigned long hi = __atomic_load_n(&spaces[i].hi, __ATOMIC_ACQUIRE), lo = spaces[i].lo;

		if (hi && rip >= lo && rip < hi) {
			*slot = lo + (rip - lo) / K23_STUB_SLOT * K23_STUB_SLOT;
			return 1;
		}
	}
	return 0;
}

static int fits32(long v)
{
	return v == (long)(int32_t)v;
}

static uint8_t *put_rel32(uint8_t *p, uint8_t op, unsigned long target, int *ok)
{
	long rel = (long)(target - ((unsigned long)p + 5));

	*ok &= fits32(rel);
	*p = op;
	*(int32_t *)(p + 1) = (int32_t)rel;
	return p + 5;
}

/* Copies instructions [from, to) of the window to p, moving the
 * displacement of rip-relative ones so they reach the same address. */
static uint8_t *put_insns(uint8_t *p, const struct k23_window *w, unsigned from, unsigned to, int *ok)
{
	unsigned off = 0;

	for (unsigned i = 0; i < from; i++)
		off += w->insn_len[i];
	for (unsigned i = from; i < to; i++) {
		unsigned n = w->insn_len[i];

		k23_memcpy(p, w->bytes + off, n);
		if (w->rip_relative_mask & (1u << i)) {
			int32_t *d = (int32_t *)(p + w->disp_offset[i]);
			long moved = (long)*d + (long)(w->addr + off) - (long)(unsigned long)p;

			*ok &= fits32(moved);
			*d = (int32_t)moved;
		}
		p += n;
		off += n;
	}
	return p;
}

static uint8_t *put_imm64(uint8_t *p, uint8_t rex, uint8_t op, uint64_t v)
{
	*p++ = rex, *p++ = op;
	*(uint64_t *)p = v;
	return p + 8;
}

/* lea target(%rip),%rcx, then a 3-byte nop: the 10 bytes a movabs took. */
static uint8_t *put_lea_rcx(uint8_t *p, unsigned long target, int *ok)
{
	long rel = (long)(target - ((unsigned long)p + 7));

	*ok &= fits32(rel);
	*p++ = 0x48, *p++ = 0x8d, *p++ = 0x0d;
	*(int32_t *)p = (int32_t)rel;
	p += 4;
	*p++ = 0x0f, *p++ = 0x1f, *p++ = 0x00;
	return p;
}

unsigned long k23_stub_write(uint8_t *at, const struct k23_window *w)
{
	unsigned long site = w->addr, end;
	uint8_t *p = at, *ret, *post, *lea;
	int ok = 1;

	for (unsigned i = 0; i < w->site_index; i++)
		site += w->insn_len[i];
	/* A lazy window ends before the syscall it leaves in place. */
	end = w->fallback_to_site ? site + 2 : w->addr + w->len;
	p = put_insns(p, w, 0, w->site_index, &ok);
	lea = p;
	*p++ = 0x48, *p++ = 0x8d, *p++ = 0x0d, p += 4;				/* lea R(%rip),%rcx */
	p = put_imm64(p, 0x49, 0xbb, (uint64_t)(unsigned long)k23_stub_entry);	/* movabs ..,%r11 */
	*p++ = 0x41, *p++ = 0xff, *p++ = 0xe3;					/* jmp *%r11 */
	ret = p;
	*(int32_t *)(lea + 3) = (int32_t)(ret - (lea + 7));
	*p++ = 0xeb, *p++ = K23_STUB_META_END - 2;				/* jmp over meta */
	p = ret + K23_STUB_META_END;
	p = put_lea_rcx(p, site + 2, &ok);					/* rcx = next */
	post = p;
	p = put_insns(p, w, w->site_index + 1, w->ninsns, &ok);
	p = put_rel32(p, 0xe9, end, &ok);
	*(uint32_t *)(ret + K23_STUB_META_FALLBACK) = (uint32_t)(p - ret);
	if (w->fallback_to_site) {
		p = put_rel32(p, 0xe9, site, &ok);
	} else {
		*p++ = 0x0f, *p++ = 0x05;	/* syscall */
		p = put_lea_rcx(p, site + 2, &ok);
		p = put_rel32(p, 0xe9, (unsigned long)post, &ok);
	}
	if (p - at > K23_STUB_SLOT)
		k23_die("stub larger than its slot", p - at);
	return ok ? (unsigned long)at : 0;
}
