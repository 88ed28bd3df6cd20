/* signals.c - signal delivery as a program sees it: handlers, SA_RESTART, sigaltstack, siglongjmp, nesting, rt_sigreturn by hand, SIGSYS masks.
 *
 *   signals CASE      CASE: handler restart eintr altstack altstack-small longjmp
 *                           nested sigreturn ucontext blocking sigsys-blocked
 *                           sigsys-mask
 *
 * Each case prints what it observes and ends with "CASE: done"; the output is
 * the same in every native run (no pids, times or addresses printed).
 * Only signal handlers make getppid calls, so their count shows whether
 * the handlers' own syscalls were seen.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static volatile sig_atomic_t hits, hits2;

static void set_handler(int sig, void (*h)(int), int flags, const sigset_t *mask)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sa.sa_flags = flags;
	if (mask)
		sa.sa_mask = *mask;
	else
		sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL))
		perror("sigaction");
}

static void alarm_in(long usec)
{
	struct itimerval it = { .it_value = { .tv_sec = usec / 1000000, .tv_usec = usec % 1000000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

static int blocked(int sig)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig);
}

static int pending(int sig)
{
	sigset_t p;

	sigpending(&p);
	return sigismember(&p, sig);
}

/* --- handler: runs, and its syscalls are made (and seen) ------------------ */

static volatile long handler_ppid;

static void on_usr1_getppid(int sig)
{
	(void)sig;
	hits++;
	handler_ppid = syscall(SYS_getppid);
}

static void case_handler(void)
{
	set_handler(SIGUSR1, on_usr1_getppid, 0, NULL);
	for (int i = 0; i < 3; i++)
		kill(getpid(), SIGUSR1);
	printf("handler: ran %d times, its getppid() == the process's: %s\n", (int)hits,
	       handler_ppid == (long)getppid() ? "yes" : "NO");
	raise(SIGUSR1);
	printf("handler: after raise(): %d runs\n", (int)hits);
}

/* --- SA_RESTART and EINTR on a blocking pipe read ------------------------- */

static void on_alarm(int sig)
{
	(void)sig;
	hits++;
	syscall(SYS_getppid);
}

/* A child writes "hello" into the pipe after delay_us (never if < 0). */
static pid_t writer(int fd, long delay_us)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (delay_us < 0)
			pause();
		usleep((useconds_t)delay_us);
		_exit(write(fd, "hello", 5) == 5 ? 0 : 1);
	}
	return pid;
}

static void case_restart(int restart)
{
	int p[2];
	char buf[16] = "";

	if (pipe(p))
		return;
	set_handler(SIGALRM, on_alarm, restart ? SA_RESTART : 0, NULL);
	pid_t child = writer(p[1], restart ? 250000 : -1);
	alarm_in(50000);
	ssize_t n = read(p[0], buf, sizeof(buf) - 1);
	int e = errno;
	if (n >= 0)
		printf("%s: read returned %zd \"%s\", handler ran %d time(s)\n",
		       restart ? "restart" : "eintr", n, buf, (int)hits);
	else
		printf("%s: read returned -1 errno %s, handler ran %d time(s)\n",
		       restart ? "restart" : "eintr", strerrorname_np(e), (int)hits);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

/* --- sigaltstack + SA_ONSTACK ------------------------------------------------ */

static char *alt_lo, *alt_hi;
static volatile int on_alt, handler_ss_flags;

static void on_usr1_where(int sig)
{
	char here;
	stack_t cur;

	(void)sig;
	hits++;
	on_alt = &here >= alt_lo && &here < alt_hi;
	handler_ss_flags = sigaltstack(NULL, &cur) == 0 ? cur.ss_flags : -1;
}

static const char *ss_flags_name(int f)
{
	switch (f) {
	case 0: return "0";
	case SS_ONSTACK: return "SS_ONSTACK";
	case SS_DISABLE: return "SS_DISABLE";
	case -1: return "(sigaltstack failed)";
	}
	return "(other)";
}

static void case_altstack(void)
{
	size_t size = 64 * 1024;
	char *a = malloc(size), *b = malloc(size);
	stack_t ss = { .ss_sp = a, .ss_size = size, .ss_flags = 0 }, cur;

	if (sigaltstack(&ss, NULL))
		printf("altstack: sigaltstack failed: %s\n", strerrorname_np(errno));
	alt_lo = a;
	alt_hi = a + size;
	set_handler(SIGUSR1, on_usr1_where, SA_ONSTACK, NULL);
	kill(getpid(), SIGUSR1);
	printf("altstack: SA_ONSTACK handler ran %d time(s), on the alternate stack: %s, "
	       "sigaltstack() in it says %s\n", (int)hits, on_alt ? "yes" : "NO",
	       ss_flags_name(handler_ss_flags));
	int r = sigaltstack(NULL, &cur);
	printf("altstack: outside the handler sigaltstack() returns %d, ss_flags %s, "
	       "same stack: %s\n", r, ss_flags_name(cur.ss_flags),
	       cur.ss_sp == a && cur.ss_size == size ? "yes" : "NO");

	/* Replace it (allowed when not running on it). */
	ss.ss_sp = b;
	r = sigaltstack(&ss, NULL);
	printf("altstack: replacing it outside a handler returns %d%s%s\n", r, r ? " " : "",
	       r ? strerrorname_np(errno) : "");
	alt_lo = b;
	alt_hi = b + size;
	kill(getpid(), SIGUSR1);
	printf("altstack: handler now on the new alternate stack: %s\n", on_alt ? "yes" : "NO");

	/* A handler without SA_ONSTACK runs on the normal stack. */
	set_handler(SIGUSR1, on_usr1_where, 0, NULL);
	kill(getpid(), SIGUSR1);
	printf("altstack: handler without SA_ONSTACK on the alternate stack: %s\n",
	       on_alt ? "yes" : "no");

	ss.ss_flags = SS_DISABLE;
	r = sigaltstack(&ss, NULL);
	printf("altstack: SS_DISABLE returns %d%s%s\n", r, r ? " " : "",
	       r ? strerrorname_np(errno) : "");
	sigaltstack(NULL, &cur);
	printf("altstack: now ss_flags %s\n", ss_flags_name(cur.ss_flags));
	set_handler(SIGUSR1, on_usr1_where, SA_ONSTACK, NULL);
	kill(getpid(), SIGUSR1);
	printf("altstack: SA_ONSTACK handler with the stack disabled on it: %s\n",
	       on_alt ? "yes" : "no");
}

/* A program may give an alternate stack of MINSIGSTKSZ (2048) bytes, the
 * least the kernel accepts: fine as long as no signal is delivered on it. */
static void case_altstack_small(void)
{
	static char small[2048];
	stack_t ss = { .ss_sp = small, .ss_size = sizeof(small), .ss_flags = 0 };
	int r = sigaltstack(&ss, NULL);

	printf("altstack-small: sigaltstack(2048 bytes) returns %d\n", r);
	long ok = 0;
	for (int i = 0; i < 5; i++)
		ok += syscall(SYS_getppid) == (long)getppid();
	printf("altstack-small: 5 syscalls after it, %ld right\n", ok);
	ss.ss_flags = SS_DISABLE;
	r = sigaltstack(&ss, NULL);
	printf("altstack-small: SS_DISABLE returns %d\n", r);
}

/* --- siglongjmp out of handlers --------------------------------------------- */

static sigjmp_buf jb;

static void on_sig_jump(int sig)
{
	hits++;
	syscall(SYS_getppid);
	siglongjmp(jb, sig);
}

static void case_longjmp(void)
{
	volatile int jumps = 0;

	set_handler(SIGUSR1, on_sig_jump, 0, NULL);
	for (int i = 0; i < 3; i++) {
		if (sigsetjmp(jb, 1) == 0)
			kill(getpid(), SIGUSR1);
		else
			jumps++;
	}
	printf("longjmp: 3 kills, %d jumps out of the handler, SIGUSR1 blocked after: %d\n",
	       (int)jumps, blocked(SIGUSR1));

	/* Out of a handler that interrupted a blocking read: the read is
	 * abandoned, and the next one works. */
	int p[2];
	char buf[16] = "";
	if (pipe(p))
		return;
	set_handler(SIGALRM, on_sig_jump, 0, NULL);
	int r = sigsetjmp(jb, 1);
	if (r == 0) {
		alarm_in(50000);
		ssize_t n = read(p[0], buf, sizeof(buf));
		printf("longjmp: read returned %zd (not expected)\n", n);
	} else {
		printf("longjmp: jumped out of a read by signal %s, SIGALRM blocked after: %d\n",
		       r == SIGALRM ? "SIGALRM" : "?", blocked(SIGALRM));
	}
	if (write(p[1], "again", 5) != 5)
		printf("longjmp: write failed\n");
	ssize_t n = read(p[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("longjmp: next read returned %zd \"%s\"\n", n, buf);
	/* And signals still work normally afterwards. */
	set_handler(SIGUSR1, on_usr1_getppid, 0, NULL);
	kill(getpid(), SIGUSR1);
	printf("longjmp: handler calls after the jumps: %d\n", (int)hits);
}

/* --- nested signals ------------------------------------------------------------ */

static char order[64];
static volatile int olen;

static void note(char c)
{
	if (olen < (int)sizeof(order) - 1)
		order[olen++] = c;
}

static void on_usr2_nested(int sig)
{
	(void)sig;
	note('2');
	syscall(SYS_getppid);
}

static void on_usr1_nested(int sig)
{
	(void)sig;
	note('(');
	kill(getpid(), SIGUSR2);	/* delivered now unless sa_mask holds it */
	note('k');
	syscall(SYS_getppid);
	note(')');
}

static void on_usr1_sleep(int sig)
{
	struct timespec ts = { .tv_nsec = 300 * 1000000L };

	(void)sig;
	note('(');
	alarm_in(50000);
	int r = nanosleep(&ts, NULL);
	note(r ? 'e' : 'z');
	note(')');
}

static void case_nested(void)
{
	sigset_t m;

	set_handler(SIGUSR2, on_usr2_nested, 0, NULL);
	set_handler(SIGUSR1, on_usr1_nested, 0, NULL);
	kill(getpid(), SIGUSR1);
	order[olen] = 0;
	printf("nested: order %s (SIGUSR2 handler inside the SIGUSR1 handler)\n", order);

	olen = 0;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	set_handler(SIGUSR1, on_usr1_nested, 0, &m);
	kill(getpid(), SIGUSR1);
	order[olen] = 0;
	printf("nested: order %s (SIGUSR2 in sa_mask: runs after the SIGUSR1 handler)\n", order);

	/* A signal interrupting a handler that is itself in a blocking call. */
	olen = 0;
	set_handler(SIGALRM, on_usr2_nested, 0, NULL);
	set_handler(SIGUSR1, on_usr1_sleep, 0, NULL);
	kill(getpid(), SIGUSR1);
	order[olen] = 0;
	printf("nested: order %s (SIGALRM interrupts a nanosleep in the SIGUSR1 handler)\n", order);
}

/* --- rt_sigreturn issued by hand ------------------------------------------------ */

/* The kernel's struct sigaction (glibc's always sets its own restorer). */
struct ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};
#define K_SA_RESTORER 0x04000000UL

void my_restorer(void);
long restorer_calls;
__asm__(
	".text\n"
	".globl my_restorer\n"
	".type my_restorer, @function\n"
	"my_restorer:\n"
	"	lock incq restorer_calls(%rip)\n"
	"	movl $15, %eax\n"
	"	syscall\n"
	"	hlt\n"
	".size my_restorer, .-my_restorer\n");

static volatile int sig_in_handler;

static void on_usr1_plain(int sig)
{
	hits++;
	sig_in_handler = sig;
	syscall(SYS_getppid);
}

static void on_usr1_siginfo(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits2++;
	sig_in_handler = sig + (si->si_code == SI_USER ? 1000 : 0);
	syscall(SYS_getppid);
}

static void case_sigreturn(void)
{
	struct ksigaction ka = {
		.handler = (void *)on_usr1_plain,
		.flags = K_SA_RESTORER,
		.restorer = (void *)my_restorer,
		.mask = 0,
	};
	volatile long local = 0x1234567;

	long r = syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 8);
	printf("sigreturn: rt_sigaction with SA_RESTORER returns %ld\n", r);
	for (int i = 0; i < 3; i++)
		kill(getpid(), SIGUSR1);
	printf("sigreturn: handler ran %d times (signal %d), own restorer ran %ld times, "
	       "locals intact: %s\n", (int)hits, sig_in_handler, restorer_calls,
	       local == 0x1234567 ? "yes" : "NO");
	struct ksigaction old;
	syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 8);
	printf("sigreturn: read back: handler ours %s, restorer ours %s, SA_RESTORER %s\n",
	       old.handler == (void *)on_usr1_plain ? "yes" : "NO",
	       old.restorer == (void *)my_restorer ? "yes" : "NO",
	       old.flags & K_SA_RESTORER ? "set" : "clear");

	ka.handler = (void *)on_usr1_siginfo;
	ka.flags = K_SA_RESTORER | SA_SIGINFO;
	syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 8);
	kill(getpid(), SIGUSR1);
	printf("sigreturn: SA_SIGINFO handler ran %d time(s) (signal+SI_USER %d), restorer %ld\n",
	       (int)hits2, sig_in_handler, restorer_calls);
	/* After all that, an ordinary handler with glibc's restorer. */
	set_handler(SIGUSR1, on_usr1_getppid, 0, NULL);
	kill(getpid(), SIGUSR1);
	printf("sigreturn: glibc-installed handler afterwards ran, total %d, restorer still %ld\n",
	       (int)hits, restorer_calls);
}

/* --- the interrupted context in a handler's ucontext ---------------------------- */

/* kill(pid, sig) with rbx = 0x5555 around the syscall; returns rbx afterwards
 * and stores the address after the syscall in kill_after. */
long kill_with_rbx(long pid, long sig);
__asm__(
	".text\n"
	".globl kill_with_rbx\n"
	".type kill_with_rbx, @function\n"
	"kill_with_rbx:\n"
	"	pushq %rbx\n"
	"	movq $0x5555, %rbx\n"
	"	movl $62, %eax\n"
	"	syscall\n"
	"kill_with_rbx_after:\n"
	"	movq %rbx, %rax\n"
	"	popq %rbx\n"
	"	ret\n"
	".size kill_with_rbx, .-kill_with_rbx\n"
	".globl kill_after\n"
	".section .data.rel.ro,\"aw\"\n"
	".balign 8\n"
	"kill_after: .quad kill_with_rbx_after\n"
	".text\n");
extern void *const kill_after;

static volatile int uc_rip_right, uc_rbx_right, uc_rax_right, uc_modify;

static void on_usr1_uc(int sig, siginfo_t *si, void *ucp)
{
	ucontext_t *uc = ucp;

	(void)sig;
	(void)si;
	hits++;
	uc_rip_right = (void *)uc->uc_mcontext.gregs[REG_RIP] == kill_after;
	uc_rbx_right = uc->uc_mcontext.gregs[REG_RBX] == 0x5555;
	uc_rax_right = uc->uc_mcontext.gregs[REG_RAX] == 0;	/* kill's result */
	if (uc_modify)
		uc->uc_mcontext.gregs[REG_RBX] = 0x7777;
}

/* A signal sent to itself with a raw kill is delivered when that syscall
 * returns: the handler's ucontext is the program's state right after it
 * (profilers, GC safepoints and JITs read and write it). */
static void case_ucontext(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1_uc;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	long rbx = kill_with_rbx(getpid(), SIGUSR1);
	printf("ucontext: handler ran %d time(s) for a signal sent to itself by a raw kill\n",
	       (int)hits);
	printf("ucontext: its REG_RIP is the address after that syscall: %s\n",
	       uc_rip_right ? "yes" : "NO");
	printf("ucontext: its REG_RBX is the value at the syscall: %s\n", uc_rbx_right ? "yes" : "NO");
	printf("ucontext: its REG_RAX is kill's result 0: %s\n", uc_rax_right ? "yes" : "NO");
	printf("ucontext: rbx after return unchanged: %s\n", rbx == 0x5555 ? "yes" : "NO");
	uc_modify = 1;
	rbx = kill_with_rbx(getpid(), SIGUSR1);
	printf("ucontext: REG_RBX set by the handler is rbx after return: %s\n",
	       rbx == 0x7777 ? "yes" : rbx == 0x5555 ? "NO (unchanged)" : "NO (other)");
}

/* --- a signal during a long blocking syscall ------------------------------------- */

static void case_blocking(void)
{
	struct timespec req = { .tv_sec = 5 }, rem = { 0, 0 };

	set_handler(SIGALRM, on_alarm, SA_RESTART, NULL);
	alarm_in(50000);
	int r = nanosleep(&req, &rem);
	printf("blocking: nanosleep(5 s) returned %d %s, handler ran %d, time left > 4 s: %s\n",
	       r, r ? strerrorname_np(errno) : "", (int)hits, rem.tv_sec >= 4 ? "yes" : "NO");

	struct pollfd pfd = { .fd = 0, .events = 0 };
	int p[2];
	if (pipe(p))
		return;
	pfd.fd = p[0];
	pfd.events = POLLIN;
	alarm_in(30000);
	r = poll(&pfd, 1, 5000);
	printf("blocking: poll(5 s) returned %d %s, handler ran %d\n", r,
	       r < 0 ? strerrorname_np(errno) : "", (int)hits);

	/* A stopped-and-continued process: no handler runs, the kernel
	 * restarts the sleep (restart_syscall) and it completes. */
	pid_t parent = getpid();
	pid_t child = fork();
	if (child == 0) {
		usleep(30000);
		kill(parent, SIGSTOP);
		usleep(30000);
		kill(parent, SIGCONT);
		_exit(0);
	}
	req.tv_sec = 0;
	req.tv_nsec = 200 * 1000000L;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = nanosleep(&req, &rem);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	printf("blocking: nanosleep(0.2 s) across SIGSTOP/SIGCONT returned %d, slept >= 0.2 s: %s\n",
	       r, ms >= 200 ? "yes" : "NO");
	waitpid(child, NULL, 0);

	/* wait4 for a child that exits later, interrupted by SIGALRM first. */
	child = fork();
	if (child == 0) {
		usleep(100000);
		_exit(3);
	}
	int status = 0;
	alarm_in(50000);
	pid_t w = waitpid(child, &status, 0);
	printf("blocking: waitpid across a SA_RESTART SIGALRM returned the child: %s, status %d, "
	       "handler ran %d\n", w == child ? "yes" : "NO", WEXITSTATUS(status), (int)hits);
}

/* --- SIGSYS blocked by the program ------------------------------------------------- */

static void on_sys(int sig)
{
	(void)sig;
	hits2++;
	note('S');
}

static void case_sigsys_blocked(void)
{
	sigset_t m;

	set_handler(SIGSYS, on_sys, 0, NULL);
	sigemptyset(&m);
	sigaddset(&m, SIGSYS);
	sigprocmask(SIG_BLOCK, &m, NULL);
	printf("sigsys-blocked: after SIG_BLOCK, SIGSYS blocked: %d\n", blocked(SIGSYS));
	kill(getpid(), SIGSYS);
	printf("sigsys-blocked: after kill(SIGSYS): handler ran %d, pending %d\n", (int)hits2,
	       pending(SIGSYS));
	long ok = 0;
	for (int i = 0; i < 3; i++)
		ok += syscall(SYS_getppid) == (long)getppid();
	printf("sigsys-blocked: syscalls while it is pending work: %ld of 3, handler ran %d\n", ok,
	       (int)hits2);
	sigprocmask(SIG_UNBLOCK, &m, NULL);
	printf("sigsys-blocked: after SIG_UNBLOCK: handler ran %d, pending %d, blocked %d\n",
	       (int)hits2, pending(SIGSYS), blocked(SIGSYS));
	sigprocmask(SIG_SETMASK, &m, NULL);
	printf("sigsys-blocked: after SIG_SETMASK {SIGSYS}: blocked %d\n", blocked(SIGSYS));
	sigset_t old;
	sigemptyset(&old);
	sigprocmask(SIG_SETMASK, NULL, &old);
	printf("sigsys-blocked: SIG_SETMASK with no set reports SIGSYS blocked %d\n",
	       sigismember(&old, SIGSYS));
	raise(SIGSYS);
	printf("sigsys-blocked: raise(SIGSYS) while blocked: handler ran %d, pending %d\n",
	       (int)hits2, pending(SIGSYS));
	sigprocmask(SIG_UNBLOCK, &m, NULL);
	printf("sigsys-blocked: unblocked again: handler ran %d\n", (int)hits2);
}

/* --- sa_mask containing SIGSYS -------------------------------------------------------- */

static volatile int sys_blocked_in_handler = -1, sys_pending_in_handler = -1;

static void on_usr1_sysmask(int sig)
{
	(void)sig;
	hits++;
	note('(');
	sys_blocked_in_handler = blocked(SIGSYS);
	kill(getpid(), SIGSYS);		/* blocked here: runs after this handler */
	sys_pending_in_handler = pending(SIGSYS);
	syscall(SYS_getppid);
	note(')');
}

static void case_sigsys_mask(void)
{
	sigset_t m;

	set_handler(SIGSYS, on_sys, 0, NULL);
	sigemptyset(&m);
	sigaddset(&m, SIGSYS);
	set_handler(SIGUSR1, on_usr1_sysmask, 0, &m);
	struct sigaction back;
	sigaction(SIGUSR1, NULL, &back);
	printf("sigsys-mask: sa_mask read back holds SIGSYS: %d\n", sigismember(&back.sa_mask, SIGSYS));
	kill(getpid(), SIGUSR1);
	order[olen] = 0;
	printf("sigsys-mask: in the SIGUSR1 handler SIGSYS blocked %d, a SIGSYS sent there pending %d\n",
	       sys_blocked_in_handler, sys_pending_in_handler);
	printf("sigsys-mask: order %s (S: the SIGSYS handler), SIGSYS handler ran %d, "
	       "blocked after %d\n", order, (int)hits2, blocked(SIGSYS));
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(c, "handler"))
		case_handler();
	else if (!strcmp(c, "restart"))
		case_restart(1);
	else if (!strcmp(c, "eintr"))
		case_restart(0);
	else if (!strcmp(c, "altstack"))
		case_altstack();
	else if (!strcmp(c, "altstack-small"))
		case_altstack_small();
	else if (!strcmp(c, "longjmp"))
		case_longjmp();
	else if (!strcmp(c, "nested"))
		case_nested();
	else if (!strcmp(c, "sigreturn"))
		case_sigreturn();
	else if (!strcmp(c, "ucontext"))
		case_ucontext();
	else if (!strcmp(c, "blocking"))
		case_blocking();
	else if (!strcmp(c, "sigsys-blocked"))
		case_sigsys_blocked();
	else if (!strcmp(c, "sigsys-mask"))
		case_sigsys_mask();
	else {
		fprintf(stderr, "usage: signals CASE\n");
		return 2;
	}
	printf("%s: done\n", c);
	return 0;
}
