/* own_sigsys.c - a program with its own SIGSYS handler, its own seccomp filter and its own Syscall User Dispatch.
 *
 *   own_sigsys CASE    CASE: errno trap trap-nested kill-self kill-filter sud
 *
 *   errno        filter SECCOMP_RET_ERRNO(EPERM) for getppid: getppid fails EPERM
 *   trap         filter SECCOMP_RET_TRAP|0x42 for getpgid: the program's SIGSYS
 *                handler runs with si_code SYS_SECCOMP, si_syscall, si_errno 0x42,
 *                si_call_addr and REG_RIP after the syscall; it sets the result
 *                through REG_RAX
 *   trap-nested  as trap, and the handler itself makes syscalls (one of them trapped)
 *   kill-self    kill(getpid(), SIGSYS) runs the program's handler once (SI_USER)
 *   kill-again   the handler (no SA_NODEFER) sends SIGSYS again: held while it
 *                runs, delivered when it returns, never nested
 *   kill-flood   another process sends SIGSYS 200000 times as fast as it can to a
 *                handler without SA_NODEFER: each waits for the one before to
 *                return, the process lives on, the handler never nests
 *   kill-filter  filter SECCOMP_RET_KILL_PROCESS for getpgid: the process dies of SIGSYS
 *   sud          prctl(PR_SET_SYSCALL_USER_DISPATCH) with a selector: a blocked
 *                syscall raises SIGSYS with si_code SYS_USER_DISPATCH to its handler
 *
 * Prints what it observes; never prints pids or addresses.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF 0
#define PR_SYS_DISPATCH_ON 1
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif
#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif
#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH 2
#endif

/* long raw_syscall1(long nr, long a0): one syscall instruction at a known
 * place; raw_after is the address after it. */
long raw_syscall1(long nr, long a0);
__asm__(
	".text\n"
	".globl raw_syscall1\n"
	".type raw_syscall1, @function\n"
	"raw_syscall1:\n"
	"	movq %rdi, %rax\n"
	"	movq %rsi, %rdi\n"
	"	syscall\n"
	"raw_syscall1_after:\n"
	"	ret\n"
	".size raw_syscall1, .-raw_syscall1\n"
	".globl raw_after\n"
	".section .data.rel.ro,\"aw\"\n"
	".balign 8\n"
	"raw_after: .quad raw_syscall1_after\n"
	".text\n");
extern void *const raw_after;

static const char *errname(long r)
{
	return r < 0 ? strerrorname_np((int)-r) : "";
}

/* --- the program's filters ----------------------------------------------------- */

/* Returns 0 or -errno. When nr matches, return ret; else allow. */
static long install_filter(int nr, uint32_t ret, int use_prctl)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, ret),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (use_prctl)
		return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) ? -errno : 0;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) ? -errno : 0;
}

/* --- the program's SIGSYS handler ---------------------------------------------- */

static volatile int sys_runs, sys_code = -1, sys_nr = -1, sys_data = -1, sys_arch_ok,
		    sys_addr_ok, sys_rip_ok, sys_rip_is_addr, sys_pid_ok, nested_ok;
static volatile long set_rax = 4242;
static volatile int nested;
static volatile char selector = SYSCALL_DISPATCH_FILTER_ALLOW;

static void on_sigsys(int sig, siginfo_t *si, void *ucp)
{
	ucontext_t *uc = ucp;

	/* With SUD, this handler runs with the selector still BLOCK: allow
	 * first (no syscall may come before this). */
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	(void)sig;
	sys_runs++;
	sys_code = si->si_code;
	if (si->si_code == SYS_SECCOMP || si->si_code == SYS_USER_DISPATCH) {
		sys_nr = si->si_syscall;
		sys_data = si->si_errno;
		sys_arch_ok = si->si_arch == AUDIT_ARCH_X86_64;
		sys_addr_ok = si->si_call_addr == raw_after;
		sys_rip_ok = (void *)uc->uc_mcontext.gregs[REG_RIP] == raw_after;
		sys_rip_is_addr = (void *)uc->uc_mcontext.gregs[REG_RIP] == si->si_call_addr;
		uc->uc_mcontext.gregs[REG_RAX] = set_rax;
		if (nested) {
			/* Syscalls from the handler: an ordinary one, and the
			 * trapped one again (not nested further: nested = 0). */
			nested = 0;
			long a = syscall(SYS_getuid) == (long)getuid();
			long b = raw_syscall1(SYS_getpgid, 0) == 4343;
			nested_ok = a && b;
		}
	} else if (si->si_code == SI_USER) {
		sys_pid_ok = si->si_pid == getpid();
	}
}

static void set_sigsys_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL))
		perror("sigaction(SIGSYS)");
}

static const char *yes(int v) { return v ? "yes" : "NO"; }

static void print_trap(const char *c)
{
	printf("%s: SIGSYS handler ran %d time(s), si_code %s, si_syscall is the call: %s, "
	       "si_errno (filter data) 0x%x, si_arch x86_64: %s\n", c, (int)sys_runs,
	       sys_code == SYS_SECCOMP ? "SYS_SECCOMP" :
	       sys_code == SYS_USER_DISPATCH ? "SYS_USER_DISPATCH" : "other",
	       yes(sys_nr == SYS_getpgid || sys_nr == SYS_getppid), sys_data, yes(sys_arch_ok));
	printf("%s: si_call_addr after the program's syscall: %s, REG_RIP too: %s, "
	       "REG_RIP == si_call_addr: %s\n", c, yes(sys_addr_ok), yes(sys_rip_ok),
	       yes(sys_rip_is_addr));
}

/* --- cases ----------------------------------------------------------------------- */

static void case_errno(void)
{
	long r = install_filter(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, 1);

	printf("errno: filter installed with prctl: %ld%s%s\n", r, r ? " " : "", errname(r));
	long a = raw_syscall1(SYS_getppid, 0);
	printf("errno: raw getppid returns %ld %s\n", a < 0 ? a : 0, a < 0 ? errname(a) : "(a pid)");
	errno = 0;
	pid_t p = getppid();
	printf("errno: getppid() through libc returns %d\n", p < 0 ? p : 0);
	long g = raw_syscall1(SYS_getpgid, 0);
	printf("errno: other calls still work: %s\n", yes(g == getpgid(0) && g > 0));
}

static void case_trap(int with_nested)
{
	const char *c = with_nested ? "trap-nested" : "trap";

	set_sigsys_handler();
	long r = install_filter(SYS_getpgid, SECCOMP_RET_TRAP | 0x42, 0);
	printf("%s: filter installed with seccomp(): %ld%s%s\n", c, r, r ? " " : "", errname(r));
	nested = with_nested;
	set_rax = with_nested ? 4343 : 4242;
	long v = raw_syscall1(SYS_getpgid, 0);
	printf("%s: trapped getpgid returns %ld (the value the handler put in REG_RAX)\n", c, v);
	print_trap(c);
	if (with_nested)
		printf("%s: the handler's own syscalls (getuid, a trapped getpgid) worked: %s, "
		       "handler runs in all %d\n", c, yes(nested_ok), (int)sys_runs);
	/* The same call through libc. */
	set_rax = 17;
	printf("%s: getpgid(0) through libc returns %d\n", c, (int)getpgid(0));
	printf("%s: calls the filter does not trap still work: %s\n", c,
	       yes(syscall(SYS_getuid) == (long)getuid()));
}

static void case_kill_self(void)
{
	set_sigsys_handler();
	kill(getpid(), SIGSYS);
	printf("kill-self: after kill(getpid(), SIGSYS) the handler ran %d time(s), si_code %s, "
	       "si_pid ours: %s\n", (int)sys_runs, sys_code == SI_USER ? "SI_USER" : "other",
	       yes(sys_pid_ok));
	raise(SIGSYS);
	printf("kill-self: after raise(SIGSYS) %d time(s), si_code %s\n", (int)sys_runs,
	       sys_code == SI_TKILL ? "SI_TKILL" : "other");
	signal(SIGSYS, SIG_IGN);
	kill(getpid(), SIGSYS);
	printf("kill-self: with SIG_IGN a kill(SIGSYS) is ignored: still %d\n", (int)sys_runs);
	struct sigaction old;
	sigaction(SIGSYS, NULL, &old);
	printf("kill-self: sigaction read back: %s\n",
	       old.sa_handler == SIG_IGN ? "SIG_IGN" : old.sa_handler == SIG_DFL ? "SIG_DFL" : "a handler");
	signal(SIGSYS, SIG_DFL);
	printf("kill-self: now dying of SIGSYS (default action)\n");
	kill(getpid(), SIGSYS);
	printf("kill-self: still alive (not expected)\n");
}

static volatile int again_depth, again_deepest, again_runs;

static void on_again(int sig)
{
	(void)sig;
	if (++again_depth > again_deepest)
		again_deepest = again_depth;
	if (++again_runs == 1)
		kill(getpid(), SIGSYS); /* blocked while this runs: held, then delivered */
	again_depth--;
}

static void case_kill_again(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_again;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL))
		perror("sigaction(SIGSYS)");
	kill(getpid(), SIGSYS);
	printf("kill-again: the handler ran %d time(s), nested: %s\n", (int)again_runs,
	       again_deepest > 1 ? "yes" : "no");
}

static volatile sig_atomic_t flood_depth, flood_deepest, flood_runs;

static void on_flood(int sig)
{
	(void)sig;
	if (++flood_depth > flood_deepest)
		flood_deepest = flood_depth;
	flood_runs = 1;
	syscall(SYS_getppid); /* a call of its own from the handler */
	flood_depth--;
}

static void case_kill_flood(void)
{
	struct sigaction sa;
	pid_t parent = getpid(), child;
	int st = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_flood;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL))
		perror("sigaction(SIGSYS)");
	child = fork();
	if (child == 0) {
		for (int i = 0; i < 200000; i++)
			if (kill(parent, SIGSYS))
				break;
		_exit(0);
	}
	while (waitpid(child, &st, WNOHANG) == 0)
		syscall(SYS_getppid);
	printf("kill-flood: alive after the flood; the sender exited %d; the handler ran: %s, "
	       "nested: %s\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1, yes(flood_runs),
	       flood_deepest > 1 ? "yes" : "no");
}

static void case_kill_filter(void)
{
	long r = install_filter(SYS_getpgid, SECCOMP_RET_KILL_PROCESS, 0);

	printf("kill-filter: filter installed: %ld\n", r);
	raw_syscall1(SYS_getpgid, 0);
	printf("kill-filter: still alive (not expected)\n");
}

static volatile int thread_done;
static volatile long thread_ppid;

static void *sud_thread(void *arg)
{
	(void)arg;
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	thread_ppid = raw_syscall1(SYS_getppid, 0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	thread_done = 1;
	return NULL;
}

static void case_sud(void)
{
	set_sigsys_handler();
	/* No exempt range: the selector alone decides. */
	long r = prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0, &selector);
	printf("sud: prctl(PR_SET_SYSCALL_USER_DISPATCH, ON) returns %ld%s%s\n", r, r ? " " : "",
	       r ? strerrorname_np(errno) : "");
	long a = raw_syscall1(SYS_getpgid, 0);
	printf("sud: with the selector ALLOW getpgid works: %s, handler ran %d\n",
	       yes(a == getpgid(0)), (int)sys_runs);
	set_rax = 4242;
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	long v = raw_syscall1(SYS_getppid, 0);
	/* the handler has set the selector back to ALLOW */
	printf("sud: with the selector BLOCK getppid returns %s, handler ran %d time(s), "
	       "si_code %s, si_syscall getppid: %s\n", v == 4242 ? "4242 (from the handler)" : "a pid",
	       (int)sys_runs, sys_code == SYS_USER_DISPATCH ? "SYS_USER_DISPATCH" : "other",
	       yes(sys_nr == SYS_getppid));
	printf("sud: si_call_addr after the syscall: %s, REG_RIP too: %s\n", yes(sys_addr_ok),
	       yes(sys_rip_ok));

	/* SUD is per thread and not inherited: a new thread's calls are not
	 * dispatched even with the (shared) selector at BLOCK. The main thread
	 * waits without syscalls while the selector is BLOCK. */
	pthread_t t;
	int runs = sys_runs;
	pthread_create(&t, NULL, sud_thread, NULL);
	while (!thread_done)
		__asm__ volatile("pause" ::: "memory");
	pthread_join(t, NULL);
	printf("sud: in a new thread a BLOCK selector is ignored: %s, handler ran %d more time(s)\n",
	       yes(thread_ppid == getppid()), (int)sys_runs - runs);

	/* Calls from the exempt range are not dispatched. */
	r = prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0);
	printf("sud: prctl(PR_SET_SYSCALL_USER_DISPATCH, OFF) returns %ld\n", r);
	r = prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, (unsigned long)raw_syscall1, 64,
		  &selector);
	printf("sud: ON again with raw_syscall1 exempt returns %ld\n", r);
	runs = sys_runs;
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	v = raw_syscall1(SYS_getppid, 0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	printf("sud: a call from the exempt range with the selector BLOCK is performed: %s, "
	       "handler ran %d more time(s)\n", yes(v == getppid()), (int)sys_runs - runs);
	r = prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0);
	printf("sud: OFF returns %ld\n", r);
	selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	v = raw_syscall1(SYS_getppid, 0);
	selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	printf("sud: after OFF a BLOCK selector is ignored: %s\n", yes(v == getppid()));
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(c, "errno"))
		case_errno();
	else if (!strcmp(c, "trap"))
		case_trap(0);
	else if (!strcmp(c, "trap-nested"))
		case_trap(1);
	else if (!strcmp(c, "kill-self"))
		case_kill_self();
	else if (!strcmp(c, "kill-again"))
		case_kill_again();
	else if (!strcmp(c, "kill-flood"))
		case_kill_flood();
	else if (!strcmp(c, "kill-filter"))
		case_kill_filter();
	else if (!strcmp(c, "sud"))
		case_sud();
	else {
		fprintf(stderr, "usage: own_sigsys CASE\n");
		return 2;
	}
	printf("%s: done\n", c);
	return 0;
}
