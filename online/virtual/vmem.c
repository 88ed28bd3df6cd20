/* vmem.c - reading the program's names without a system call: a cache of pages known to be readable.
 *
 * A name must be read safely: a bad pointer is EFAULT for the program,
 * never a fault in k23. k23_copy_from asks the kernel (process_vm_readv),
 * which on a virtual machine costs about as much as the openat it serves
 * (docs/benchmarks.md), so a path map would double the price of every
 * call that names a path. A page the kernel once copied from is readable,
 * and stays so until the program unmaps it, moves it, changes its
 * protection or shrinks its heap: every such call passes the dispatcher
 * (memory calls always do; brk does while maps are on: it has a row) and
 * empties this cache before it is made. Names in cached pages are read
 * directly. Protection keys can take read access away without a system
 * call: once the program allocates a key, the cache is off for good.
 *
 * The cache is the process's (threads and vfork children share it, as
 * they share the memory it describes): a direct-mapped table of page
 * numbers, emptied by moving to a new generation; entries are single
 * words written and read atomically, so a thread or a signal handler
 * sees either a valid entry of the current generation or a miss.
 *
 * What it cannot cover: another thread unmapping a page while a call of
 * this one reads a name in it (natively that call would fail with EFAULT
 * or succeed, by timing; here it may fault), and a file mapping truncated
 * under the name (SIGBUS instead of EFAULT). Both need a program that
 * races its own names away.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include "online/core/rtlib.h"
#include "online/virtual/vmem.h"
#include "online/virtual/vmap.h"
#include "online/remote/rremote.h"

#define SLOTS 256
#define PAGE 4096UL

/* Entry: page number << 16 | generation (low 16 bits), 0: empty. */
static unsigned long slots[SLOTS];
static unsigned long generation = 1;
static int off;			/* protection keys in use: no cache */

static unsigned long tag(unsigned long page, unsigned long gen)
{
	return page << 16 | (gen & 0xffff);
}

static int known(unsigned long page)
{
	unsigned long gen = __atomic_load_n(&generation, __ATOMIC_ACQUIRE);

	return !__atomic_load_n(&off, __ATOMIC_RELAXED) &&
	       __atomic_load_n(&slots[page % SLOTS], __ATOMIC_ACQUIRE) == tag(page, gen);
}

static void learn(unsigned long page, unsigned long gen)
{
	/* gen: the generation before the kernel's copy, so that a cache
	 * emptied meanwhile is not refilled with a stale page. */
	__atomic_store_n(&slots[page % SLOTS], tag(page, gen), __ATOMIC_RELEASE);
}

/* Names are read through the cache by path maps (vmap.c) and remote
 * trees (online/remote/rpath.c). */
int k23_vmem_on(void)
{
	return k23_vmap_on() || k23_rr_on();
}

int k23_vmem_forget(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	(void)vc, (void)r;
	if (c->nr == __NR_mmap && !(c->args[3] & 0x10 /* MAP_FIXED */))
		return 0; /* a new mapping takes nothing away */
	if (c->nr == __NR_pkey_alloc || c->nr == __NR_pkey_mprotect)
		__atomic_store_n(&off, 1, __ATOMIC_RELEASE);
	/* A 16-bit generation wraps: clear the table when it does. */
	if ((__atomic_add_fetch(&generation, 1, __ATOMIC_ACQ_REL) & 0xffff) == 0) {
		for (int i = 0; i < SLOTS; i++)
			__atomic_store_n(&slots[i], 0, __ATOMIC_RELEASE);
		__atomic_add_fetch(&generation, 1, __ATOMIC_ACQ_REL);
	}
	return 0;
}

long k23_vmem_copy_name(char *dst, unsigned long src, size_t max)
{
	size_t got = 0;

	while (got < max) {
		unsigned long page = src / PAGE;
		size_t chunk = PAGE - (src % PAGE);

		if (chunk > max - got)
			chunk = max - got;
		if (known(page)) {
			const char *s = (const char *)src;

			for (size_t i = 0; i < chunk; i++)
				if (!(dst[got + i] = s[i]))
					return 0;
		} else {
			unsigned long gen = __atomic_load_n(&generation, __ATOMIC_ACQUIRE);

			if (k23_copy_from(dst + got, (const void *)src, chunk))
				return -EFAULT;
			learn(page, gen);
			for (size_t i = 0; i < chunk; i++)
				if (!dst[got + i])
					return 0;
		}
		got += chunk;
		src += chunk;
	}
	return -ENAMETOOLONG;
}
