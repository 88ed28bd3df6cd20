/* ptrace_syscalls.c - a small tracer: what a tracee's syscall, event and signal stops look like.
 *
 *   ptrace_syscalls traceme PROG ARGS   child: PTRACE_TRACEME, SIGSTOP, execv
 *   ptrace_syscalls seize PROG ARGS     child stops itself, parent PTRACE_SEIZEs it
 *   ptrace_syscalls child               what a traced child runs: a few raw calls
 *   ptrace_syscalls crash               dies of SIGSEGV two calls deep (for gdb's bt)
 *   ptrace_syscalls seize-parent        a child seizes its parent, interrupts it,
 *                                       reads its registers and detaches while
 *                                       the parent keeps making calls
 *   ptrace_syscalls seize-nowait N      a parent seizes its child and does not wait
 *                                       for it while the child makes N calls from a
 *                                       shared executable page (never patched: each
 *                                       goes to k23's catch-all), then reports them
 *                                       through a pipe the parent blocks on; the
 *                                       parent's SIGCHLD disposition, a poll and a
 *                                       nanosleep meanwhile are not disturbed
 *
 * Prints one line per stop: syscall entry and exit (number, first
 * argument, result; from PTRACE_GET_SYSCALL_INFO and checked against
 * PTRACE_GETREGS), events, signals. Used natively and under k23: the
 * outputs must be equal.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

static int child_calls(void)
{
	/* Distinct numbers and arguments the tracer can check. */
	syscall(SYS_getppid, 7);
	syscall(SYS_lseek, 12345, 0, 0);		/* EBADF */
	syscall(SYS_kill, 0, 0);
	write(1, "child\n", 6);
	return 0;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static int trace(pid_t pid)
{
	int st, in_calls = 0;

	for (;;) {
		if (waitpid(pid, &st, __WALL) != pid)
			die("waitpid");
		if (WIFEXITED(st)) {
			printf("exited %d\n", WEXITSTATUS(st));
			return 0;
		}
		if (WIFSIGNALED(st)) {
			printf("killed %d\n", WTERMSIG(st));
			return 0;
		}
		int sig = WSTOPSIG(st), ev = st >> 16, inject = 0;

		if (sig == (SIGTRAP | 0x80)) {
			struct __ptrace_syscall_info i;
			struct user_regs_struct r;

			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(i), &i) <= 0 ||
			    ptrace(PTRACE_GETREGS, pid, 0, &r))
				die("syscall info");
			if (i.instruction_pointer != r.rip || i.stack_pointer != r.rsp)
				printf("ip/sp differ from GETREGS\n");
			if (i.op == PTRACE_SYSCALL_INFO_ENTRY) {
				if (i.entry.nr == SYS_getppid)
					in_calls = 1;
				if (i.entry.nr != r.orig_rax || i.entry.args[0] != r.rdi ||
				    (long)r.rax != -ENOSYS)
					printf("entry regs differ\n");
				/* Change lseek's fd: the call must see the new one. */
				if (i.entry.nr == SYS_lseek && in_calls) {
					r.rdi = 12346;
					ptrace(PTRACE_SETREGS, pid, 0, &r);
				}
				if (in_calls)
					printf("enter %llu(%lld)\n", (unsigned long long)i.entry.nr,
					       (long long)i.entry.args[0]);
				else
					printf("enter %llu\n", (unsigned long long)i.entry.nr);
			} else if (i.op == PTRACE_SYSCALL_INFO_EXIT) {
				if (i.exit.rval != (long long)r.rax)
					printf("exit regs differ\n");
				if (in_calls && i.exit.rval == getpid())
					printf("exit = tracer's pid\n");
				else if (in_calls)
					printf("exit = %lld\n", (long long)i.exit.rval);
				else
					printf("exit\n");
			} else {
				printf("syscall stop op %d\n", i.op);
			}
		} else if (ev) {
			unsigned long msg = 0;
			struct user_regs_struct r;

			ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
			ptrace(PTRACE_GETREGS, pid, 0, &r);
			printf("event %d msg-is-pid %d orig_rax %lld\n", ev, msg == (unsigned long)pid,
			       (long long)r.orig_rax);
		} else {
			siginfo_t si;

			ptrace(PTRACE_GETSIGINFO, pid, 0, &si);
			printf("signal %d code %d\n", sig, si.si_code);
			if (sig != SIGSTOP && sig != SIGTRAP)
				inject = sig;
		}
		fflush(stdout);
		if (ptrace(PTRACE_SYSCALL, pid, 0, inject))
			die("PTRACE_SYSCALL");
	}
}

static int traced_child(char **argv, int seize)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (!seize && ptrace(PTRACE_TRACEME, 0, 0, 0))
			die("PTRACE_TRACEME");
		raise(SIGSTOP);
		execv(argv[0], argv);
		die("execv");
	}
	if (seize) {
		if (waitpid(pid, &st, WSTOPPED) != pid)
			die("waitpid");
		if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC))
			die("PTRACE_SEIZE");
		kill(pid, SIGCONT);
	} else {
		if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
			die("waitpid");
		printf("stopped %d\n", WSTOPSIG(st));
		if (ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC))
			die("PTRACE_SETOPTIONS");
		if (ptrace(PTRACE_SYSCALL, pid, 0, 0))
			die("PTRACE_SYSCALL");
	}
	return trace(pid);
}

static int __attribute__((noinline)) crash_inner(volatile int *p)
{
	if (write(1, "crash\n", 6) != 6)
		return 1;
	return *p;
}

static int __attribute__((noinline)) crash_outer(volatile int *p)
{
	return crash_inner(p) + 1;
}

/* The parent makes calls (each traps under k23) while its child traces it. */
static int seize_parent(void)
{
	int up[2], st;
	pid_t parent = getpid(), pid;
	char c = 0;

	if (pipe(up))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		struct user_regs_struct r;

		if (ptrace(PTRACE_SEIZE, parent, 0, 0))
			die("PTRACE_SEIZE");
		if (write(up[1], "s", 1) != 1)
			die("write");
		if (ptrace(PTRACE_INTERRUPT, parent, 0, 0))
			die("PTRACE_INTERRUPT");
		if (waitpid(parent, &st, __WALL) != parent)
			die("waitpid parent");
		printf("child: parent stopped, signal %d event %d\n", WSTOPSIG(st), st >> 16);
		if (ptrace(PTRACE_GETREGS, parent, 0, &r))
			die("PTRACE_GETREGS");
		if (ptrace(PTRACE_DETACH, parent, 0, 0))
			die("PTRACE_DETACH");
		printf("child: detached\n");
		_exit(0);
	}
	if (read(up[0], &c, 1) != 1)
		die("read");
	for (int i = 0; i < 100; i++)
		syscall(SYS_getppid);
	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	printf("parent: child exited %d\n", WEXITSTATUS(st));
	return 0;
}

/* getpid from a shared executable page: a site k23 never patches. */
static long (*shared_getpid(void))(void)
{
	static const unsigned char code[] = {
		0xb8, 0x27, 0x00, 0x00, 0x00,	/* mov $39, %eax (getpid) */
		0x0f, 0x05,			/* syscall */
		0xc3,				/* ret */
	};
	void *p = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	memcpy(p, code, sizeof(code));
	return (long (*)(void))p;
}

static int seize_nowait(int n)
{
	long (*call)(void) = shared_getpid();
	int go[2], back[2], st, same = 0;
	char c = 0, line[64];
	pid_t pid;
	ssize_t k;

	if (pipe(go) || pipe(back))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(3);
		for (int i = 0; i < n; i++)
			same += call() == getpid();
		k = snprintf(line, sizeof(line), "child: %d calls, %d right\n", n, same);
		if (write(back[1], line, (size_t)k) != k)
			_exit(4);
		_exit(0);
	}
	if (ptrace(PTRACE_SEIZE, pid, 0, 0))
		die("PTRACE_SEIZE");
	printf("parent: seized the child, not waiting\n");
	if (write(go[1], "g", 1) != 1)
		die("write");
	{
		struct sigaction sa;
		struct timespec ts = { 0, 20 * 1000 * 1000 }, rem;

		sigaction(SIGCHLD, 0, &sa);
		printf("parent: SIGCHLD %s\n", sa.sa_handler == SIG_DFL ? "SIG_DFL" : "changed");
		printf("parent: poll for 50 ms: %d\n", poll(0, 0, 50));
		printf("parent: nanosleep 20 ms: %d\n", nanosleep(&ts, &rem));
	}
	k = read(back[0], line, sizeof(line) - 1);
	if (k <= 0)
		die("read");
	line[k] = 0;
	printf("parent: read %s", line);
	if (waitpid(pid, &st, __WALL) != pid)
		die("waitpid");
	printf("parent: child %s %d\n", WIFEXITED(st) ? "exited" : WIFSTOPPED(st) ? "stopped" : "killed",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WIFSTOPPED(st) ? WSTOPSIG(st) : WTERMSIG(st));
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, 0, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "child"))
		return child_calls();
	if (argc >= 2 && !strcmp(argv[1], "crash"))
		return crash_outer(argc > 5 ? &argc : 0);
	if (argc >= 2 && !strcmp(argv[1], "seize-parent"))
		return seize_parent();
	if (argc == 3 && !strcmp(argv[1], "seize-nowait"))
		return seize_nowait(atoi(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "traceme"))
		return traced_child(argv + 2, 0);
	if (argc >= 3 && !strcmp(argv[1], "seize"))
		return traced_child(argv + 2, 1);
	fprintf(stderr, "usage: ptrace_syscalls traceme|seize PROG ARGS | child | seize-parent\n");
	return 2;
}
