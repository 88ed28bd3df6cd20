/* shared_code_lib.c - code that tests/progs/shared_code.c maps from a file and runs (built as build/tests/progs/libshared_code.so).
 *
 * shared_code_run(M) makes M rounds of two raw system calls and returns
 * how many returned what they should (want: the process's pgrp):
 *   getpgrp    mov $__NR_getpgrp,%eax; syscall - the shape k23 also
 *              patches lazily, without a sidecar
 *   getpgid(0) mov $__NR_getpgid,%eax; xor %edi,%edi; syscall - not that
 *              shape: only a sidecar's plan can patch it
 * Position-independent and without relocations (no libc, no globals), so
 * the file can be mapped anywhere in one piece and run without ld.so.
 */
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

long shared_code_run(long m, long want)
{
	long right = 0;

	for (long i = 0; i < m; i++) {
		right += raw_getpgrp() == want;
		right += raw_getpgid0() == want;
	}
	return right;
}
