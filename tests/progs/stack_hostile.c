/* stack_hostile.c - system calls with no usable stack, as the kernel allows: k23 must need none either.
 *
 *   stack_hostile sp0        getpid and write with rsp = 0 (each twice: the
 *                            second may go through a lazily patched site)
 *   stack_hostile noncanon   the same with a non-canonical rsp
 *   stack_hostile small      calls through libc on 1 KiB of stack above a guard page
 *   stack_hostile growsdown  calls on a MAP_GROWSDOWN stack of one page
 *   stack_hostile clone      a fork-like clone(SIGCHLD) with a stack of -1:
 *                            the child crashes, the parent goes on
 *   stack_hostile clone3     clone3 with bad arguments: the kernel's errors
 *   stack_hostile altstack   one thread makes syscalls and takes signals
 *                            (handler without SA_ONSTACK) while another keeps
 *                            making its alternate stack read-only and back
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>

/* getpid with rsp = sp; the `mov $39, %eax; syscall` shape is the one
 * lazy patching takes. */
static long getpid_at(unsigned long sp)
{
	long ret;

	__asm__ volatile("movq %%rsp, %%r12\n\t"
			 "movq %1, %%rsp\n\t"
			 "movl $39, %%eax\n\t"
			 "syscall\n\t"
			 "movq %%r12, %%rsp"
			 : "=&a"(ret) : "r"(sp) : "rcx", "r11", "r12", "memory");
	return ret;
}

static long write_at(unsigned long sp, const char *s, long n)
{
	long ret;

	__asm__ volatile("movq %%rsp, %%r12\n\t"
			 "movq %4, %%rsp\n\t"
			 "syscall\n\t"
			 "movq %%r12, %%rsp"
			 : "=a"(ret) : "0"((long)SYS_write), "D"(1L), "S"(s), "r"(sp), "d"(n)
			 : "rcx", "r11", "r12", "memory");
	return ret;
}

static int bad_sp(unsigned long sp)
{
	long pid = getpid();

	fflush(stdout);
	for (int i = 0; i < 2; i++) {
		long a = getpid_at(sp);
		long w = write_at(sp, "written with a bad stack pointer\n", 33);

		printf("round %d: getpid %s, write returned %ld\n", i, a == pid ? "right" : "wrong",
		       w);
		fflush(stdout);
	}
	return 0;
}

/* Runs fn on the stack whose top is top. */
static void run_on(void *top, void (*fn)(void))
{
	__asm__ volatile("movq %%rsp, %%r12\n\t"
			 "movq %0, %%rsp\n\t"
			 "call *%1\n\t"
			 "movq %%r12, %%rsp"
			 : : "r"(top), "r"(fn)
			 : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12",
			   "memory");
}

static long calls_ok;

static void few_calls(void)
{
	static const char msg[] = "on a small stack\n";

	calls_ok = getppid() > 0 && syscall(SYS_getpid) == getpid() &&
		   write(1, msg, sizeof(msg) - 1) == sizeof(msg) - 1;
}

static int small(void)
{
	char *m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED || mprotect(m, 4096, PROT_NONE))
		return 1;
	few_calls(); /* binds the PLT entries first: ld.so's resolver needs more */
	fflush(stdout);
	run_on(m + 4096 + 1024, few_calls);
	printf("calls on 1 KiB of stack: %s\n", calls_ok ? "fine" : "wrong");
	return 0;
}

static int growsdown(void)
{
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);

	if (m == MAP_FAILED)
		return 1;
	fflush(stdout);
	run_on(m + 4096, few_calls);
	printf("calls on a MAP_GROWSDOWN stack: %s\n", calls_ok ? "fine" : "wrong");
	return 0;
}

static int bad_clone(void)
{
	long pid;
	int status;

	fflush(stdout);
	/* Inline: the child returns with rsp = -1 and dies at its first push. */
	__asm__ volatile("syscall\n\t"
			 "testq %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "pushq $0\n"		/* the child: faults */
			 "1:"
			 : "=a"(pid) : "0"((long)SYS_clone), "D"((long)SIGCHLD), "S"(-1L), "d"(0L)
			 : "rcx", "r11", "r10", "r8", "memory");
	if (pid < 0) {
		printf("clone: %s\n", strerror((int)-pid));
		return 0;
	}
	if (waitpid((pid_t)pid, &status, 0) != pid)
		return 1;
	printf("child %s %d; the parent goes on\n", WIFSIGNALED(status) ? "killed by signal" : "exited",
	       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	return 0;
}

static void clone3_case(const char *what, void *args, size_t size)
{
	long r = syscall(SYS_clone3, args, size);

	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	printf("clone3 %s: %s\n", what, r < 0 ? strerror(errno) : "created a child");
}

static int bad_clone3(void)
{
	static uint64_t buf[1024];
	struct clone_args *ca = (struct clone_args *)buf;

	clone3_case("size 8", buf, 8);
	clone3_case("size 5000", buf, 5000);
	clone3_case("bad pointer", (void *)1, 64);
	memset(buf, 0, sizeof(buf));
	ca->exit_signal = SIGCHLD;
	ca->stack = (uint64_t)(uintptr_t)buf;
	clone3_case("stack without size", buf, 64);
	ca->stack = 0;
	ca->stack_size = 4096;
	clone3_case("size without stack", buf, 64);
	ca->stack = 0x7ffffffff000ULL - 64;
	ca->stack_size = 4096;
	clone3_case("stack beyond user space", buf, 64);
	ca->stack = 0;
	ca->stack_size = 0;
	buf[30] = 1;
	clone3_case("nonzero tail", buf, 256);
	buf[30] = 0;
	ca->exit_signal = 1000;
	clone3_case("bad exit signal", buf, 64);
	ca->exit_signal = SIGCHLD;
	clone3_case("fork-like, 256 bytes", buf, 256);
	return 0;
}

#define ALT_SIZE (64 * 1024)
static char *alt;
static volatile int stop;
static volatile long handled;
static volatile pid_t worker_tid;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
	syscall(SYS_getuid);
}

static void *worker(void *arg)
{
	stack_t ss = { .ss_sp = alt, .ss_size = ALT_SIZE };

	(void)arg;
	worker_tid = gettid();
	sigaltstack(&ss, NULL);
	for (long i = 0; i < 20000 && !stop; i++)
		syscall(SYS_getppid);
	stop = 1;
	return NULL;
}

static int altstack_ro(void)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	pthread_t t;

	alt = mmap(NULL, ALT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (alt == MAP_FAILED)
		return 1;
	sigaction(SIGUSR1, &sa, NULL);
	pthread_create(&t, NULL, worker, NULL);
	while (!worker_tid)
		sched_yield();
	for (long i = 0; !stop; i++) {
		mprotect(alt, ALT_SIZE, i & 1 ? PROT_READ | PROT_WRITE : PROT_READ);
		if (i % 16 == 0)
			syscall(SYS_tgkill, getpid(), worker_tid, SIGUSR1);
	}
	pthread_join(t, NULL);
	printf("worker done, signals %s\n", handled > 0 ? "handled" : "never handled");
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	if (!strcmp(m, "sp0"))
		return bad_sp(0);
	if (!strcmp(m, "noncanon"))
		return bad_sp(0x8000000000000000UL);
	if (!strcmp(m, "small"))
		return small();
	if (!strcmp(m, "growsdown"))
		return growsdown();
	if (!strcmp(m, "clone"))
		return bad_clone();
	if (!strcmp(m, "clone3"))
		return bad_clone3();
	if (!strcmp(m, "altstack"))
		return altstack_ro();
	fprintf(stderr, "usage: stack_hostile sp0|noncanon|small|growsdown|clone|clone3|altstack\n");
	return 2;
}
