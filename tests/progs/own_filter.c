/* own_filter.c - a program that sandboxes itself with a seccomp filter that refuses what it does not name.
 *
 *   own_filter CASE    CASE: errno errno-prctl kill trap tsync fork-exec trap-exec answered
 *                            notify long
 *
 *   errno        allow-list filter (write, pread64, exit_group; SECCOMP_RET_ERRNO
 *                EPERM for everything else, rt_sigreturn included), installed
 *                with seccomp(); getppid through libc and through a raw syscall
 *                instruction fail with EPERM; prints which actions
 *                SECCOMP_GET_ACTION_AVAIL reports and how many filters
 *                /proc/self/status gained (one)
 *   errno-prctl  the same filter installed with prctl(PR_SET_SECCOMP)
 *   kill         allow-list filter with SECCOMP_RET_KILL_PROCESS for everything
 *                else: getpid (allowed) works, getppid kills the process (SIGSYS)
 *   trap         allow-list filter with SECCOMP_RET_TRAP|0x17 for everything else
 *                (rt_sigreturn allowed, for the handler's return): getppid and
 *                getuid reach the program's own SIGSYS handler, which sees
 *                si_code SYS_SECCOMP, si_syscall, si_errno 0x17, and chooses the
 *                result through REG_RAX
 *   tsync        a second thread installs the errno filter with
 *                SECCOMP_FILTER_FLAG_TSYNC: the main thread's getppid fails too
 *   fork-exec    a filter refusing getppid and rt_sigreturn (EPERM): a forked
 *                child and the image it then executes still get EPERM
 *   trap-exec    a filter returning SECCOMP_RET_TRAP|0x17 for getppid only, then
 *                execve of itself: the new image's own SIGSYS handler gets the
 *                trap of its getppid through libc with its own registers (the
 *                stack pointer on its caller's stack), three times
 *   answered     a filter trapping rt_sigprocmask and refusing (EPERM) sigaltstack,
 *                rt_sigaction, prctl, arch_prctl, setrlimit and prlimit64:
 *                the calls k23 answers itself get that verdict too
 *   notify       a filter returning SECCOMP_RET_USER_NOTIF for getppid (and EPERM
 *                for rt_sigreturn), installed with SECCOMP_FILTER_FLAG_NEW_LISTENER:
 *                the listener descriptor's number, and a thread of the program
 *                answering the notification with its own result
 *   escape ADDR  (under k23 only: the documented limit) the errno filter, then
 *                calls made through the `syscall; ret` at ADDR, k23's own
 *                system call instruction: openat passes the filter there
 *                (k23 must make it for itself), getppid, socket and execve
 *                do not; prctl passes only for arming Syscall User Dispatch
 *                (PR_GET_DUMPABLE does not), prlimit64 only of the process
 *                itself (pid 0); openat from the program's own instruction
 *                does not pass either
 *   long         a filter of 4096 instructions (the kernel's maximum), refusing
 *                getppid: accepted, getppid fails with EPERM
 *
 * Writes with write(2) only (stdio would make calls the filters refuse);
 * never prints pids or addresses.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <fcntl.h>
#include <unistd.h>

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

/* One syscall instruction of the program's own, never patched by name. */
static long raw_syscall0(long nr)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr) : "rcx", "r11", "memory");
	return ret;
}

static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (write(1, buf, n) != n)
		_exit(99);
}

static const char *res(long r, int err)
{
	static char buf[64];

	if (r == -1)
		snprintf(buf, sizeof(buf), "-1 %s", strerrorname_np(err));
	else
		snprintf(buf, sizeof(buf), "%s", r > 0 ? "positive" : "0");
	return buf;
}

static const char *raw_res(long r)
{
	static char buf[64];

	if (r < 0 && r > -4096)
		snprintf(buf, sizeof(buf), "-%s", strerrorname_np((int)-r));
	else
		snprintf(buf, sizeof(buf), "%s", r > 0 ? "positive" : "0");
	return buf;
}

#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define ALLOW_NR(n) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (n), 0, 1), \
		    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

/* Allow-list: arch, then the named calls, else dflt. */
static int allow_list(struct sock_filter *f, const int *nrs, int n, uint32_t dflt)
{
	int i = 0;

	f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[i++] = (struct sock_filter)LD_NR;
	for (int k = 0; k < n; k++) {
		f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nrs[k], 0, 1);
		f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	}
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, dflt);
	return i;
}

static long install(struct sock_filter *f, int n, unsigned flags, int use_prctl)
{
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (use_prctl)
		return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) ? -errno : 0;
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);

	return r < 0 ? -errno : r;
}

static long filters_now(int fd)
{
	char buf[4096];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	char *p;

	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, "\nSeccomp_filters:");
	return p ? strtol(p + 17, 0, 10) : -1;
}

static void getppid_both(const char *who)
{
	long r;

	errno = 0;
	r = syscall(SYS_getppid);
	say("%sgetppid via libc: %s\n", who, res(r, errno));
	say("%sgetppid raw: %s\n", who, raw_res(raw_syscall0(SYS_getppid)));
}

static int errno_case(int use_prctl)
{
	static const int allowed[] = { SYS_write, SYS_pread64, SYS_exit_group };
	static const struct { uint32_t a; const char *name; } acts[] = {
		{ SECCOMP_RET_KILL_PROCESS, "KILL_PROCESS" }, { SECCOMP_RET_KILL_THREAD, "KILL_THREAD" },
		{ SECCOMP_RET_TRAP, "TRAP" }, { SECCOMP_RET_ERRNO, "ERRNO" },
		{ SECCOMP_RET_USER_NOTIF, "USER_NOTIF" }, { SECCOMP_RET_TRACE, "TRACE" },
		{ SECCOMP_RET_LOG, "LOG" }, { SECCOMP_RET_ALLOW, "ALLOW" }, { 0x12340000U, "bogus" },
	};
	struct sock_filter f[16];
	int n = allow_list(f, allowed, 3, SECCOMP_RET_ERRNO | EPERM);
	int fd = open("/proc/self/status", O_RDONLY);
	long before = filters_now(fd), r;

	for (unsigned i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		uint32_t a = acts[i].a;

		errno = 0;
		r = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &a);
		say("action %s available: %s\n", acts[i].name, res(r, errno));
	}
	r = install(f, n, 0, use_prctl);
	say("install: %s\n", raw_res(r));
	say("filters added: %ld\n", filters_now(fd) - before);
	getppid_both("");
	errno = 0;
	r = getpid();
	say("getpid: %s\n", res(r, errno));
	return 0;
}

static int kill_case(void)
{
	static const int allowed[] = { SYS_write, SYS_getpid, SYS_exit_group };
	struct sock_filter f[16];
	int n = allow_list(f, allowed, 3, SECCOMP_RET_KILL_PROCESS);

	say("install: %s\n", raw_res(install(f, n, 0, 0)));
	say("getpid (allowed): %s\n", raw_res(raw_syscall0(SYS_getpid)));
	say("getppid (denied) next\n");
	syscall(SYS_getppid);
	say("still alive after getppid\n");
	return 0;
}

static volatile int seen_code, seen_nr, seen_errno, seen_arch, seen_count;

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	seen_code = si->si_code;
	seen_nr = si->si_syscall;
	seen_errno = si->si_errno;
	seen_arch = si->si_arch == AUDIT_ARCH_X86_64;
	seen_count++;
	uc->uc_mcontext.gregs[REG_RAX] = 1000 + si->si_syscall;
}

static int trap_case(void)
{
	static const int allowed[] = { SYS_write, SYS_rt_sigreturn, SYS_exit_group };
	struct sock_filter f[16];
	int n = allow_list(f, allowed, 3, SECCOMP_RET_TRAP | 0x17);
	struct sigaction sa;
	long r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, 0);
	say("install: %s\n", raw_res(install(f, n, 0, 0)));
	r = syscall(SYS_getppid);
	say("getppid: %ld; handler saw code %s, syscall %d, errno 0x%x, arch x86_64 %d\n", r,
	    seen_code == SYS_SECCOMP ? "SYS_SECCOMP" : "other", seen_nr, seen_errno, seen_arch);
	r = raw_syscall0(SYS_getuid);
	say("getuid raw: %ld; handler saw syscall %d, errno 0x%x\n", r, seen_nr, seen_errno);
	say("handler ran %d times\n", seen_count);
	return 0;
}

static const int tsync_allowed[] = { SYS_write, SYS_pread64, SYS_exit, SYS_exit_group, SYS_futex,
				     SYS_madvise, SYS_munmap, SYS_rt_sigprocmask };

static void *tsync_thread(void *arg)
{
	struct sock_filter f[32];
	int n = allow_list(f, tsync_allowed, 8, SECCOMP_RET_ERRNO | EPERM);
	long r;

	(void)arg;
	r = install(f, n, SECCOMP_FILTER_FLAG_TSYNC, 0);
	say("thread: install with TSYNC: %s\n", raw_res(r));
	getppid_both("thread: ");
	return 0;
}

static int tsync_case(void)
{
	pthread_t th;
	int fd = open("/proc/self/status", O_RDONLY);
	long before = filters_now(fd);

	if (pthread_create(&th, 0, tsync_thread, 0))
		return 2;
	pthread_join(th, 0);
	say("main: filters added: %ld\n", filters_now(fd) - before);
	getppid_both("main: ");
	return 0;
}

static int fork_exec_case(const char *self)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_rt_sigreturn, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	};
	int st;
	pid_t pid;

	say("install: %s\n", raw_res(install(f, 5, 0, 0)));
	getppid_both("parent: ");
	pid = fork();
	if (pid == 0) {
		getppid_both("child: ");
		execl(self, self, "exec-child", (char *)0);
		say("child: exec failed: %s\n", strerrorname_np(errno));
		_exit(5);
	}
	if (waitpid(pid, &st, 0) != pid)
		return 2;
	say("parent: child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	getppid_both("parent: ");
	return 0;
}

static volatile int rsp_on_caller_stack;
static volatile unsigned long caller_sp;

/* The frame the handler gets is the program's own: its stack pointer is
 * on the stack of the function that called syscall(), a few hundred bytes
 * below a local of it (k23's frame would hold k23's stack). Its rip is not
 * compared: at a site k23 patched it is the site's stub (docs/differences.md). */
static void on_sigsys_sp(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	unsigned long sp = (unsigned long)uc->uc_mcontext.gregs[REG_RSP];

	on_sigsys(sig, si, ctx);
	rsp_on_caller_stack = sp < caller_sp && caller_sp - sp < 4096 &&
			      uc->uc_mcontext.gregs[REG_RIP] == (long)si->si_call_addr;
}

static int trap_exec_case(const char *self, int child)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP | 0x17),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sigaction sa;
	volatile char here;
	long r;

	if (!child) {
		say("install: %s\n", raw_res(install(f, 4, 0, 0)));
		execl(self, self, "trap-exec-child", (char *)0);
		say("exec failed: %s\n", strerrorname_np(errno));
		return 5;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys_sp;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, 0);
	for (int i = 0; i < 3; i++) {
		seen_count = 0;
		caller_sp = (unsigned long)&here;
		r = syscall(SYS_getppid);
		say("exec'd image: getppid %ld; handler ran %d, syscall %d, errno 0x%x, "
		    "its frame the caller's %d\n", r, seen_count, seen_nr, seen_errno,
		    rsp_on_caller_stack);
	}
	return 0;
}

/* Calls k23 answers itself (the mask, the alternate stack, the SIGSYS
 * disposition, PR_GET_SECCOMP, %gs, RLIMIT_NOFILE) get the filter's
 * verdict all the same: EPERM, and a trap for rt_sigprocmask. */
static int answered_case(void)
{
	struct sock_filter f[] = {
		LD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_rt_sigprocmask, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP | 0x17),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sigaltstack, 6, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_rt_sigaction, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_prctl, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_arch_prctl, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setrlimit, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_prlimit64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	};
	struct sigaction sa;
	struct rlimit lim;
	unsigned long set[2] = { 1UL << (SIGUSR1 - 1) }, gs;
	long r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, 0);
	getrlimit(RLIMIT_NOFILE, &lim);
	say("install: %s\n", raw_res(install(f, sizeof(f) / sizeof(f[0]), 0, 0)));
	r = syscall(SYS_rt_sigprocmask, SIG_BLOCK, set, 0, 8);
	say("rt_sigprocmask: %ld; handler ran %d, syscall %d, errno 0x%x\n", r, seen_count,
	    seen_nr, seen_errno);
	errno = 0;
	r = syscall(SYS_sigaltstack, 0, &sa);
	say("sigaltstack: %s\n", res(r, errno));
	errno = 0;
	r = syscall(SYS_rt_sigaction, SIGSYS, 0, &sa, 8);
	say("rt_sigaction(SIGSYS): %s\n", res(r, errno));
	errno = 0;
	r = prctl(PR_GET_SECCOMP);
	say("prctl(PR_GET_SECCOMP): %s\n", res(r, errno));
	say("arch_prctl(ARCH_GET_GS): %s\n",
	    raw_res(syscall(SYS_arch_prctl, 0x1004 /* ARCH_GET_GS */, &gs) ? -errno : 0));
	errno = 0;
	r = setrlimit(RLIMIT_NOFILE, &lim);
	say("setrlimit(RLIMIT_NOFILE): %s\n", res(r, errno));
	errno = 0;
	r = prlimit(0, RLIMIT_NOFILE, &lim, 0);
	say("prlimit(RLIMIT_NOFILE): %s\n", res(r, errno));
	return 0;
}

static int listener = -1;

static void *notify_thread(void *arg)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	(void)arg;
	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req)) {
		say("supervisor: recv: %s\n", strerrorname_np(errno));
		return 0;
	}
	say("supervisor: notified of syscall %d, arch x86_64 %d\n", req.data.nr,
	    req.data.arch == AUDIT_ARCH_X86_64);
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.val = 4242;
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp))
		say("supervisor: send: %s\n", strerrorname_np(errno));
	return 0;
}

static int notify_case(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_rt_sigreturn, 2, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	};
	pthread_t th;
	long r;

	r = install(f, 6, SECCOMP_FILTER_FLAG_NEW_LISTENER, 0);
	listener = (int)r;
	say("install with NEW_LISTENER: %ld\n", r);
	if (r < 0 || pthread_create(&th, 0, notify_thread, 0))
		return 2;
	r = syscall(SYS_getppid);
	pthread_join(th, 0);
	say("getppid: %ld\n", r);
	return 0;
}

/* One call through the `syscall; ret` at at, past the red zone. */
static long raw_at(unsigned long at, long nr, long a0, long a1, long a2, long a3)
{
	register long r10 __asm__("r10") = a3;
	long ret;

	__asm__ volatile("sub $128, %%rsp\n\tcall *%[at]\n\tadd $128, %%rsp"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), [at] "b"(at)
			 : "rcx", "r11", "memory", "cc");
	return ret;
}

static int escape_case(const char *addr)
{
	static const int allowed[] = { SYS_write, SYS_exit_group };
	unsigned long at = strtoul(addr, 0, 16);
	struct sock_filter f[16];
	int n = allow_list(f, allowed, 2, SECCOMP_RET_ERRNO | EPERM);
	struct rlimit lim;
	long r;

	say("install: %s\n", raw_res(install(f, n, 0, 0)));
	r = raw_at(at, SYS_openat, AT_FDCWD, (long)"/dev/null", O_RDONLY, 0);
	say("openat via k23's instruction: %s\n", r >= 0 ? "ok" : raw_res(r));
	say("getppid via k23's instruction: %s\n", raw_res(raw_at(at, SYS_getppid, 0, 0, 0, 0)));
	say("socket via k23's instruction: %s\n",
	    raw_res(raw_at(at, SYS_socket, 1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0, 0)));
	say("execve via k23's instruction: %s\n",
	    raw_res(raw_at(at, SYS_execve, (long)"/bin/true", 0, 0, 0)));
	/* prctl only for arming Syscall User Dispatch, prlimit64 only of itself */
	say("prctl(PR_GET_DUMPABLE) via k23's instruction: %s\n",
	    raw_res(raw_at(at, SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0)));
	say("prlimit64(1, RLIMIT_NOFILE) via k23's instruction: %s\n",
	    raw_res(raw_at(at, SYS_prlimit64, 1, RLIMIT_NOFILE, 0, (long)&lim)));
	say("prlimit64(0, RLIMIT_NOFILE) via k23's instruction: %s\n",
	    raw_res(raw_at(at, SYS_prlimit64, 0, RLIMIT_NOFILE, 0, (long)&lim)));
	say("openat from its own instruction: %s\n", raw_res(raw_syscall0(SYS_openat)));
	return 0;
}

static int long_case(void)
{
	static struct sock_filter f[BPF_MAXINSNS];
	int n = BPF_MAXINSNS, i = 0;

	f[i++] = (struct sock_filter)LD_NR;
	while (i < n - 3)	/* never taken: numbers no call has */
		f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 100000 + i, 0, 0);
	f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 1, 0);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	say("install %d instructions: %s\n", i, raw_res(install(f, i, 0, 0)));
	getppid_both("");
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	if (!strcmp(c, "errno"))
		return errno_case(0);
	if (!strcmp(c, "errno-prctl"))
		return errno_case(1);
	if (!strcmp(c, "kill"))
		return kill_case();
	if (!strcmp(c, "trap"))
		return trap_case();
	if (!strcmp(c, "tsync"))
		return tsync_case();
	if (!strcmp(c, "fork-exec"))
		return fork_exec_case(argv[0]);
	if (!strcmp(c, "exec-child")) {
		getppid_both("exec'd image: ");
		return 3;
	}
	if (!strcmp(c, "trap-exec") || !strcmp(c, "trap-exec-child"))
		return trap_exec_case(argv[0], c[9] != 0);
	if (!strcmp(c, "answered"))
		return answered_case();
	if (!strcmp(c, "notify"))
		return notify_case();
	if (!strcmp(c, "long"))
		return long_case();
	if (!strcmp(c, "escape") && argc > 2)
		return escape_case(argv[2]);
	fprintf(stderr, "usage: own_filter errno|errno-prctl|kill|trap|tsync|fork-exec|trap-exec|answered|notify|long|escape ADDR\n");
	return 2;
}
