/* sigctx.c - what a signal handler sees of the code it interrupted: the program blocks in libc's read, a timer signal's handler looks at the interrupted context.
 *
 *   sigctx restart   the handler has SA_RESTART: read is restarted each time
 *   sigctx eintr     without: read returns EINTR, the loop calls it again
 *   sigctx modify    as eintr, but the last run of the handler changes the
 *                    interrupted context: rax 1 (read "returns" 1) and r13,
 *                    which the program then sees
 *
 * The handler runs NSIG_WANT times, looking at uc_mcontext as profilers,
 * unwinders and runtimes do: the function its rip lies in (dladdr), whether
 * the unwinder knows that function (_Unwind_FindEnclosingFunction), whether
 * a backtrace from the handler reaches the function that called read (so
 * rsp and the unwound registers are the program's), and whether r12-r15
 * hold the values the program put there around the call. Prints counts
 * and the name of the function, the same natively and under k23.
 */
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>
#include <unwind.h>

#define NSIG_WANT 5
#define MARK(n) (0x5a5a000000000000L | (n))

static int fds[2], modify;
static volatile sig_atomic_t in_reader;	/* signals elsewhere (a busy machine) are not looked at */
static long r13_after;
static volatile int runs, in_read, enclosing, reaches_reader, regs_kept, not_in_read;
static char first_name[64];

__attribute__((noinline)) static ssize_t reader(char *buf);

static void handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	void *rip = (void *)uc->uc_mcontext.gregs[REG_RIP], *frames[32];
	Dl_info info;
	int n;

	(void)sig, (void)si;
	if (!in_reader)
		return;
	runs++;
	if (dladdr(rip, &info) && info.dli_sname) {
		if (!first_name[0])
			snprintf(first_name, sizeof(first_name), "%s", info.dli_sname);
		if (strstr(info.dli_sname, "read"))
			in_read++;
		else
			not_in_read++;
		if (_Unwind_FindEnclosingFunction(rip) == info.dli_saddr)
			enclosing++;
	} else {
		not_in_read++;
		if (!first_name[0])
			snprintf(first_name, sizeof(first_name), "(no symbol)");
	}
	n = backtrace(frames, 32);
	for (int i = 0; i < n; i++) {
		/* Return addresses: the caller's call instruction is one byte back. */
		if ((char *)frames[i] - 1 >= (char *)reader && (char *)frames[i] - 1 < (char *)reader + 256) {
			reaches_reader++;
			break;
		}
	}
	if (uc->uc_mcontext.gregs[REG_R12] == MARK(12) && uc->uc_mcontext.gregs[REG_R13] == MARK(13) &&
	    uc->uc_mcontext.gregs[REG_R14] == MARK(14) && uc->uc_mcontext.gregs[REG_R15] == MARK(15))
		regs_kept++;
	if (runs == NSIG_WANT) {
		struct itimerval off = { { 0, 0 }, { 0, 0 } };

		setitimer(ITIMER_REAL, &off, 0);
		if (modify) {
			uc->uc_mcontext.gregs[REG_RAX] = 1;
			uc->uc_mcontext.gregs[REG_R13] = MARK(99);
		} else if (write(fds[1], "x", 1) != 1) {
			_exit(3);
		}
	}
}

/* read with r12-r15 holding known values across the call (callee-saved:
 * the kernel and libc's read leave them alone). */
__attribute__((noinline)) static ssize_t reader(char *buf)
{
	register long r12 __asm__("r12") = MARK(12);
	register long r13 __asm__("r13") = MARK(13);
	register long r14 __asm__("r14") = MARK(14);
	register long r15 __asm__("r15") = MARK(15);
	ssize_t r;

	in_reader = 1;
	__asm__ volatile("" : "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15));
	r = read(fds[0], buf, 1);
	__asm__ volatile("" : "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15));
	in_reader = 0;
	r13_after = r13;
	return r;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	struct sigaction sa;
	struct itimerval it = { { 0, 5000 }, { 0, 5000 } };
	void *warm[4];
	char buf[1];
	int eintrs = 0;
	ssize_t r;

	if (strcmp(what, "restart") && strcmp(what, "eintr") && strcmp(what, "modify")) {
		fprintf(stderr, "usage: sigctx restart|eintr|modify\n");
		return 2;
	}
	modify = !strcmp(what, "modify");
	backtrace(warm, 4); /* loads the unwinder now, not in the handler */
	if (pipe(fds))
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | (strcmp(what, "restart") ? 0 : SA_RESTART);
	sigaction(SIGALRM, &sa, 0);
	setitimer(ITIMER_REAL, &it, 0);
	while ((r = reader(buf)) != 1) {
		if (r < 0 && errno == EINTR)
			eintrs++;
		else
			return 1;
	}
	printf("%s: handler ran %d times, read returned EINTR %s\n", what, runs,
	       eintrs ? "at least once" : "never");
	printf("%s: interrupted in %s\n", what, first_name);
	printf("%s: rip in a function named *read*: %d, elsewhere: %d\n", what, in_read, not_in_read);
	printf("%s: _Unwind_FindEnclosingFunction(rip) is that function: %d\n", what, enclosing);
	printf("%s: backtrace from the handler reaches read's caller: %d\n", what, reaches_reader);
	printf("%s: r12-r15 as the program set them: %d\n", what, regs_kept);
	if (modify)
		printf("%s: after the handler changed the context: read returned %zd, r13 %s\n",
		       what, r, r13_after == MARK(99) ? "as the handler set it" :
		       r13_after == MARK(13) ? "unchanged" : "something else");
	return 0;
}
