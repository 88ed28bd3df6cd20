/* vfork_shared.c - a vfork child writes memory its parent then reads: a global, a stack variable, heap memory.
 *
 * The child shares the parent's memory until it execs or exits, so the
 * parent sees every write (Linux's vfork; POSIX leaves it undefined, but
 * programs and shells rely on it). Also after an exec that fails, and
 * through clone(CLONE_VM | CLONE_VFORK) without a new stack.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int global = 1;

static void report(const char *how, pid_t pid, int local, const volatile int *heap)
{
	int status;

	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		exit(1);
	}
	printf("%s: global %d, stack %d, heap %d, child status %d\n", how, global, local, *heap,
	       WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
}

/* The raw calls, inline: the child must not return through a function
 * whose frame its parent still needs (glibc's vfork takes care of that). */
static inline long raw_clone(long flags)
{
	long ret;
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;

	__asm__ volatile("syscall" : "=a"(ret)
			 : "0"((long)SYS_clone), "D"(flags), "S"(0L), "d"(0L), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline __attribute__((noreturn)) void raw_exit(long code)
{
	__asm__ volatile("syscall" : : "a"((long)SYS_exit), "D"(code) : "rcx", "r11", "memory");
	__builtin_unreachable();
}

int main(void)
{
	volatile int local = 1;
	volatile int *heap = malloc(sizeof(*heap));
	pid_t pid;

	*heap = 1;
	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		global = 2;
		local = 3;
		*heap = 4;
		_exit(5);
	}
	report("vfork", pid, local, heap);

	pid = vfork();
	if (pid == 0) {
		char *argv[] = { "/nonexistent/k23-test", NULL };

		execv(argv[0], argv); /* fails: the child goes on */
		global = 12;
		local = 13;
		*heap = 14;
		_exit(15);
	}
	report("vfork, failed exec", pid, local, heap);

	pid = (pid_t)raw_clone(CLONE_VM | CLONE_VFORK | SIGCHLD);
	if (pid == 0) {
		global = 22;
		local = 23;
		*heap = 24;
		raw_exit(25);
	}
	report("clone(CLONE_VM|CLONE_VFORK)", pid, local, heap);
	return 0;
}
