/* page0.c - the opt-in zpoline-style strategy: a site's `syscall` becomes `call *%rax`, page 0 catches it.
 *
 * rax holds the call number, so `call *%rax` lands at an address below 512
 * in page 0, slides over nops to a jump into k23_page0_entry. Costs, which
 * is why it is not the default: page 0 must be mapped (vm.mmap_min_addr or
 * CAP_SYS_RAWIO), so NULL reads no longer fault on CPUs without protection
 * keys (with them, the kernel makes an execute-only page unreadable); the call
 * overwrites 8 bytes of the program's red zone; and a call number of 512
 * or more, or negative, jumps outside the slide and crashes.
 */
#include <asm/unistd.h>
#include <linux/mman.h>
#include "online/arch/x86_64/patch_layout.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/patch/page0.h"

#define SLIDE 0x200		/* nops for every call number below 512 */
#define JUMP SLIDE		/* movabs $k23_page0_entry,%r11; jmp *%r11 (r11: the syscall's to clobber) */
#define GADGET 0x400
#define NORET 0x480

extern const uint8_t k23_page0_gadget_start[], k23_page0_gadget_end[];
extern const uint8_t k23_page0_noret_start[], k23_page0_noret_end[];
unsigned long k23_page0_gadget, k23_page0_noret;

long k23_page0_setup(void)
{
	long p = k23_syscall6(__NR_mmap, 0, 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	uint8_t *z = (uint8_t *)p;

	if ((unsigned long)p > -4096UL)
		return p;
	if (p != 0) {
		k23_unmap(z, 4096);
		return -1; /* EPERM: page 0 is not available */
	}
	/* The compiler takes address 0 for "no object" and would trap; hide it. */
	__asm__("" : "+r"(z));
	volatile uint8_t *v = z;

	for (int i = 0; i < SLIDE; i++)
		v[i] = 0x90;
	v[JUMP] = 0x49, v[JUMP + 1] = 0xbb;
	*(volatile uint64_t *)(v + JUMP + 2) = (uint64_t)(unsigned long)k23_page0_entry;
	v[JUMP + 10] = 0x41, v[JUMP + 11] = 0xff, v[JUMP + 12] = 0xe3;
	for (long i = 0; i < k23_page0_gadget_end - k23_page0_gadget_start; i++)
		v[GADGET + i] = k23_page0_gadget_start[i];
	for (long i = 0; i < k23_page0_noret_end - k23_page0_noret_start; i++)
		v[NORET + i] = k23_page0_noret_start[i];
	k23_page0_gadget = GADGET;
	k23_page0_noret = NORET;
	return k23_syscall3(__NR_mprotect, 0, 4096, PROT_EXEC);
}
