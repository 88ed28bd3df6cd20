/* prefault.c - the program's mmap with its pages populated where they
 * would all but surely fault in at once (the rule: prefault.h).
 *
 * The call as the program made it is what tools and policies see; only
 * the kernel gets MAP_POPULATE or a following MADV_POPULATE_READ, neither
 * of which changes a result (a failure to populate is not reported).
 */
#include <asm/unistd.h>
#include <elf.h>
#include <linux/mman.h>
#include "online/core/rtlib.h"
#include "online/core/prefault.h"
#include "online/dispatch/dispatch.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22	/* Linux 5.14; older kernels refuse it, harmlessly */
#endif

#define PAGE 4096UL
#define PHDRS_READ 16

/* ld.so maps a library first as a whole, read-only, with its first
 * segment's protection, and then its other segments over that mapping.
 * What is left of the first mapping is the first segment: the ELF
 * header, the dynamic symbols, their hash tables and strings, the
 * relocations, which ld.so reads at once in several places (libc's start
 * took three faults there). So a read-only whole-file mapping of an ELF
 * object too large for MAP_POPULATE gets its first segment populated
 * once mapped, when that segment is small enough. */
static void first_segment(unsigned long at, const struct k23_call *c)
{
	union {
		Elf64_Ehdr eh;
		char b[sizeof(Elf64_Ehdr) + PHDRS_READ * sizeof(Elf64_Phdr)];
	} u;
	unsigned long len = (unsigned long)c->args[1], end = 0;
	long n = k23_syscall4(__NR_pread64, c->args[4], (long)u.b, sizeof(u.b), 0);
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(u.b + sizeof(Elf64_Ehdr));

	if (n < (long)sizeof(Elf64_Ehdr) || !k23_memeq(u.eh.e_ident, ELFMAG, SELFMAG) ||
	    u.eh.e_ident[EI_CLASS] != ELFCLASS64 || u.eh.e_phoff != sizeof(Elf64_Ehdr) ||
	    u.eh.e_phentsize != sizeof(Elf64_Phdr))
		return;
	for (unsigned i = 0; i < u.eh.e_phnum && i < PHDRS_READ; i++) {
		if ((long)(sizeof(Elf64_Ehdr) + (i + 1) * sizeof(Elf64_Phdr)) > n)
			return;
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_offset != 0)
			return;
		end = (ph[i].p_filesz + PAGE - 1) & ~(PAGE - 1);
		break;
	}
	if (end && end <= len && end <= K23_PREFAULT_FIRST_MAX)
		k23_syscall3(__NR_madvise, (long)at, (long)end, MADV_POPULATE_READ);
}

long k23_mmap_prefaulted(const struct k23_call *c)
{
	unsigned long len = (unsigned long)c->args[1], prot = (unsigned long)c->args[2];
	unsigned long flags = (unsigned long)c->args[3];
	struct k23_call p;
	long r;

	if (k23_prefault_worth(len, prot, flags)) {
		p = *c;
		p.args[3] |= MAP_POPULATE;
		return k23_passthrough(&p);
	}
	r = k23_passthrough(c);
	if ((unsigned long)r < -4095UL && prot == PROT_READ && (flags & 3) == MAP_PRIVATE &&
	    !(flags & (MAP_FIXED | MAP_ANONYMOUS)) && c->args[5] == 0 && c->args[4] >= 0)
		first_segment((unsigned long)r, c);
	return r;
}
