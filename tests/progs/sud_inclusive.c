/* sud_inclusive.c - the program's own Syscall User Dispatch in inclusive mode (PR_SYS_DISPATCH_INCLUSIVE_ON).
 *
 * Inclusive mode dispatches the calls made from inside the given range
 * (exclusive mode: from outside it). A call from inside the range with the
 * selector at BLOCK reaches the SIGSYS handler; calls from elsewhere run.
 * Prints what happens; natively and under k23 the output must be the same.
 * Exits 77 if the kernel does not know the mode.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif
#define INCLUSIVE_ON 2

/* getppid from a syscall instruction of its own, between two labels (the
 * kernel judges the address after the syscall instruction). */
long ranged_getppid(void);
extern const char range_start[], range_end[];
asm(".text\n"
    ".globl ranged_getppid\n"
    "ranged_getppid:\n"
    "range_start:\n"
    "	movl $110, %eax\n"
    "	syscall\n"
    "	ret\n"
    "range_end:\n");

static volatile char selector = SYSCALL_DISPATCH_FILTER_ALLOW;
static volatile int trapped, trapped_nr, trapped_code;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	trapped++;
	trapped_nr = si->si_syscall;
	trapped_code = si->si_code;
}

static long err(long r)
{
	return r < 0 ? -errno : r;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	unsigned long off = (unsigned long)range_start, len = range_end - range_start;

	setvbuf(stdout, 0, _IONBF, 0);
	sigaction(SIGSYS, &sa, 0);
	long r = err(prctl(PR_SET_SYSCALL_USER_DISPATCH, INCLUSIVE_ON, off, 0, &selector));
	if (r == -EINVAL && err(prctl(PR_SET_SYSCALL_USER_DISPATCH, INCLUSIVE_ON, off, len, &selector)) == -EINVAL) {
		printf("inclusive mode unknown to this kernel\n");
		return 77;
	}
	printf("len 0: %ld\n", r);
	printf("wrapping range: %ld\n",
	       err(prctl(PR_SET_SYSCALL_USER_DISPATCH, INCLUSIVE_ON, -4096UL, 8192UL, &selector)));
	printf("on: %ld\n", err(prctl(PR_SET_SYSCALL_USER_DISPATCH, INCLUSIVE_ON, off, len, &selector)));
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	long outside = syscall(SYS_getppid);	/* outside the range: runs */
	printf("outside the range: %s, trapped %d\n", outside == getppid() ? "ran" : "wrong", trapped);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	ranged_getppid();			/* inside: dispatched */
	printf("inside the range: trapped %d, nr %d, code %d\n", trapped, trapped_nr, trapped_code);
	printf("off: %ld\n", err(prctl(PR_SET_SYSCALL_USER_DISPATCH, 0, 0, 0, 0)));
	return 0;
}
