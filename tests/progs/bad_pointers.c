/* bad_pointers.c - signal calls given pointers to unmapped memory: each must fail with EFAULT, as natively, not crash. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static void show(const char *what, long r)
{
	printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
}

int main(void)
{
	/* An address that is certainly unmapped: a page we map and unmap. */
	void *bad = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(bad, 4096);

	show("rt_sigprocmask set", syscall(SYS_rt_sigprocmask, SIG_BLOCK, bad, NULL, 8));
	show("rt_sigprocmask oldset", syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, bad, 8));
	show("rt_sigaction act", syscall(SYS_rt_sigaction, SIGUSR1, bad, NULL, 8));
	show("rt_sigaction SIGSYS act", syscall(SYS_rt_sigaction, SIGSYS, bad, NULL, 8));
	show("rt_sigaction SIGSYS oldact", syscall(SYS_rt_sigaction, SIGSYS, NULL, bad, 8));
	show("rt_sigsuspend", syscall(SYS_rt_sigsuspend, bad, 8));
	show("pselect6 sigmask", syscall(SYS_pselect6, 0, NULL, NULL, NULL, NULL, bad));
	show("sigaltstack", syscall(SYS_sigaltstack, bad, NULL));
	printf("bad_pointers: done\n");
	return 0;
}
