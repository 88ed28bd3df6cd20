/* sud_off.c - a thread switches SUD off past k23 and then creates a child and executes: the backstop filter must catch both.
 *
 *   sud_off HOW [exec]     HOW: text:ADDR (a `syscall; ret` in k23's text),
 *                          or rwx (natively: no k23 to get past)
 *
 * Through the gadget it makes prctl(PR_SET_SYSCALL_USER_DISPATCH, OFF):
 * the call SUD exempts and k23 never sees, so the thread runs without SUD.
 * Then, each through a `syscall; ret` in a fresh RWX page of its own (code
 * k23 never patched): close(1001); fork, whose child makes close(1002) and
 * exits; close(1003) after the child is gone; with `exec`, an execve of
 * itself whose new image makes close(1004) through libc. The closes are
 * markers (EBADF): which of them k23's trace shows tells which calls
 * interposition saw (tests/integration/backstop.sh).
 */
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include "policy_attack.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF 0
#endif

int main(int argc, char **argv)
{
	unsigned long rwx;
	long pid, r;
	int status = 0;

	if (argc == 2 && !strcmp(argv[1], "image")) {
		syscall(SYS_close, 1004);
		return 0;
	}
	if (argc < 2 || attack_how("rwx"))
		return fprintf(stderr, "usage: sud_off HOW [exec]\n"), 2;
	rwx = attack_gadget;
	if (attack_how(argv[1]))
		return 2;
	/* The RWX page exists before SUD goes: making it is a mapping call. */
	r = raw_at(attack_gadget, SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF,
		   0, 0, 0, 0);
	if (r)
		return fprintf(stderr, "prctl: %ld\n", r), 1;
	raw_at(rwx, SYS_close, 1001, 0, 0, 0, 0, 0);
	pid = raw_at(rwx, SYS_fork, 0, 0, 0, 0, 0, 0);
	if (pid == 0) {
		raw_at(rwx, SYS_close, 1002, 0, 0, 0, 0, 0);
		raw_at(rwx, SYS_exit_group, 0, 0, 0, 0, 0, 0);
	}
	if (pid < 0)
		return fprintf(stderr, "fork: %ld\n", pid), 1;
	raw_at(rwx, SYS_wait4, pid, (long)&status, 0, 0, 0, 0);
	raw_at(rwx, SYS_close, 1003, 0, 0, 0, 0, 0);
	if (argc > 2 && !strcmp(argv[2], "exec")) {
		static char *args[] = { "sud_off", "image", NULL };

		raw_at(attack_gadget, SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF,
		       0, 0, 0, 0);
		r = raw_at(rwx, SYS_execve, (long)"/proc/self/exe", (long)args, (long)environ,
			   0, 0, 0);
		return fprintf(stderr, "execve: %ld\n", r), 1;
	}
	printf("child status %d\n", status);
	return 0;
}
