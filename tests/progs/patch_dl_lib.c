/* patch_dl_lib.c - the shared object tests/progs/patch_dlopen.c dlopens and shared_code.c maps by hand (built as build/tests/progs/libpatch_dl.so): its own syscall sites, patched when ld.so maps it.
 *
 * patch_dl_run(M) makes M rounds of two raw system calls and returns how
 * many returned what libc says they should:
 *   getpgrp    mov $__NR_getpgrp,%eax; syscall - the shape k23 also patches
 *              lazily, without a sidecar
 *   getpgid(0) mov $__NR_getpgid,%eax; xor %edi,%edi; syscall - not that
 *              shape: only a sidecar plan can patch it
 * Position-independent and without relocations (no libc calls, no globals),
 * so shared_code.c can map the file anywhere in one piece and run it
 * without ld.so.
 */
#include <unistd.h>

static __attribute__((noinline)) long raw_getpgrp(void)
{
	long r;
	__asm__ volatile("mov $" "111" ", %%eax\n\t"	/* __NR_getpgrp */
			 "syscall"
			 : "=a"(r) : : "rcx", "r11", "memory");
	return r;
}

static __attribute__((noinline)) long raw_getpgid0(void)
{
	long r;
	__asm__ volatile("mov $" "121" ", %%eax\n\t"	/* __NR_getpgid */
			 "xor %%edi, %%edi\n\t"
			 "syscall"
			 : "=a"(r) : : "rdi", "rcx", "r11", "memory");
	return r;
}

long patch_dl_run(long m, long want)
{
	long right = 0;

	for (long i = 0; i < m; i++) {
		right += raw_getpgrp() == want;
		right += raw_getpgid0() == want;
	}
	return right;
}
