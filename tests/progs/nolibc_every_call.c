/* nolibc_every_call.c - makes every x86-64 system call number 0..511 once (but 335 and 336), then exit_group(0); no C library.
 *
 * Run under `k23 run -e trace=%CLASS -e inject=!exit_group:error=ENOSYS`:
 * k23 injects the error into each call, so none is made for real, and
 * traces those of CLASS (tests/integration/trace_classes.sh). Nothing else
 * runs in the process: no loader, no C library start-up. 335 and 336
 * (uretprobe, uprobe) would kill it with SIGILL were one made.
 */
static long raw(long nr)
{
	long r;
	register long a3 __asm__("r10") = 0, a4 __asm__("r8") = 0, a5 __asm__("r9") = 0;

	__asm__ volatile("syscall" : "=a"(r) : "0"(nr), "D"(0L), "S"(0L), "d"(0L), "r"(a3), "r"(a4),
			 "r"(a5) : "rcx", "r11", "memory");
	return r;
}

void _start(void)
{
	for (long nr = 0; nr < 512; nr++)
		if (nr != 231 && nr != 335 && nr != 336)
			raw(nr);
	for (;;)
		raw(231);	/* exit_group(0) */
}
