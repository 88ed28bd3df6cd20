/* threads.c - threads and children made every way (pthread, raw clone, raw clone3, vfork+execve, fork) each make a syscall.
 *
 *   threads [all|pthread|clone|clone3|vfork|fork]     (default all)
 *   threads exec-child                                  (what the vfork child executes)
 *
 * Each kind of child makes one system call nobody else in the program makes,
 * so its appearance in k23's counts and trace proves the child was interposed:
 *   pthread x8  getppid      raw clone   getuid      raw clone3  getgid
 *   vfork child geteuid      exec-child  getegid     fork child  getpgrp
 * Raw clone and clone3 children start on a stack of their own at an entry
 * written in assembly, which first stores every register it was started
 * with: natively a clone child has its parent's registers (rax 0, rsp the new
 * stack, rcx/r11 as after any syscall), vector registers included.
 */
#include <linux/futex.h>
#include <linux/sched.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* --- raw clone / clone3 with an assembly child entry --------------------- */

struct regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;	/* 0 .. 56 */
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;		/* 64 .. 120 */
	uint64_t after_rip;					/* 128 */
	uint64_t pad[7];
	unsigned char vec[16][32];				/* 192: ymm0-15 (xmm if no AVX) */
};

/* Filled by the parent before the call (parent_regs: what it loads) and by
 * the child first thing (child_regs). */
struct regs parent_regs __attribute__((aligned(64)));
struct regs child_regs __attribute__((aligned(64)));
void (*child_fn)(void);
int have_avx;

/* long raw_clone_call(long nr, long a0, long a1, long a2, long a3, long a4):
 * loads rbx rbp r13 r14 r15 and ymm/xmm0-15 from parent_regs, r12 = child_fn,
 * issues the syscall; the child stores its registers in child_regs, calls
 * child_fn on its new stack, then exit(0). */
long raw_clone_call(long nr, long a0, long a1, long a2, long a3, long a4);
__asm__(
	".text\n"
	".globl raw_clone_call\n"
	".type raw_clone_call, @function\n"
	"raw_clone_call:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rdi, %rax\n"
	"	movq %rsi, %rdi\n"
	"	movq %rdx, %rsi\n"
	"	movq %rcx, %rdx\n"
	"	movq %r8, %r10\n"
	"	movq %r9, %r8\n"
	"	leaq parent_regs(%rip), %r11\n"
	"	cmpl $0, have_avx(%rip)\n"
	"	je 1f\n"
	".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	vmovdqu 192+\\n*32(%r11), %ymm\\n\n"
	".endr\n"
	"	jmp 2f\n"
	"1:\n"
	".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	movdqu 192+\\n*32(%r11), %xmm\\n\n"
	".endr\n"
	"2:\n"
	"	movq 8(%r11), %rbx\n"
	"	movq 48(%r11), %rbp\n"
	"	movq 104(%r11), %r13\n"
	"	movq 112(%r11), %r14\n"
	"	movq 120(%r11), %r15\n"
	"	movq child_fn(%rip), %r12\n"
	"	movq %r12, 96(%r11)\n"
	"	movq %r9, 72(%r11)\n"
	"	syscall\n"
	"raw_clone_after:\n"
	"	testq %rax, %rax\n"
	"	jz 3f\n"
	"	cmpl $0, have_avx(%rip)\n"
	"	je 4f\n"
	"	vzeroupper\n"
	"4:	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	/* the child, on its own stack */
	"3:	movq %r11, child_regs+88(%rip)\n"
	"	leaq child_regs(%rip), %r11\n"
	"	movq %rax, 0(%r11)\n"
	"	movq %rbx, 8(%r11)\n"
	"	movq %rcx, 16(%r11)\n"
	"	movq %rdx, 24(%r11)\n"
	"	movq %rsi, 32(%r11)\n"
	"	movq %rdi, 40(%r11)\n"
	"	movq %rbp, 48(%r11)\n"
	"	movq %rsp, 56(%r11)\n"
	"	movq %r8, 64(%r11)\n"
	"	movq %r9, 72(%r11)\n"
	"	movq %r10, 80(%r11)\n"
	"	movq %r12, 96(%r11)\n"
	"	movq %r13, 104(%r11)\n"
	"	movq %r14, 112(%r11)\n"
	"	movq %r15, 120(%r11)\n"
	"	leaq raw_clone_after(%rip), %rax\n"
	"	movq %rax, 128(%r11)\n"
	"	cmpl $0, have_avx(%rip)\n"
	"	je 5f\n"
	".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	vmovdqu %ymm\\n, 192+\\n*32(%r11)\n"
	".endr\n"
	"	vzeroupper\n"
	"	jmp 6f\n"
	"5:\n"
	".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	movdqu %xmm\\n, 192+\\n*32(%r11)\n"
	".endr\n"
	"6:	xorl %ebp, %ebp\n"
	"	andq $-16, %rsp\n"
	"	call *%r12\n"
	"	movl $60, %eax\n"		/* exit(0): this thread only */
	"	xorl %edi, %edi\n"
	"	syscall\n"
	"	hlt\n"
	".size raw_clone_call, .-raw_clone_call\n");

/* Raw syscalls for the raw children: they share the main thread's TLS, so
 * they must not touch errno or anything else of libc's. */
static inline long raw0(long nr)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(nr) : "rcx", "r11", "memory");
	return r;
}

static inline long raw4(long nr, long a, long b, long c, long d)
{
	long r;
	register long r10 __asm__("r10") = d;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
}

static volatile long child_result, child_tid;

static void clone_child_fn(void)
{
	child_tid = raw0(SYS_gettid);
	child_result = raw0(SYS_getuid);
}

static void clone3_child_fn(void)
{
	child_tid = raw0(SYS_gettid);
	child_result = raw0(SYS_getgid);
}

#define STACK_SIZE (256 * 1024)
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
		      CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

static volatile int ctid;

static void wait_ctid(void)
{
	int v;

	/* CLONE_CHILD_CLEARTID: the kernel zeroes ctid and wakes us at exit. */
	while ((v = ctid) != 0)
		raw4(SYS_futex, (long)&ctid, FUTEX_WAIT, v, 0);
}

static void setup_parent_regs(void)
{
	memset(&parent_regs, 0, sizeof(parent_regs));
	memset(&child_regs, 0, sizeof(child_regs));
	parent_regs.rbx = 0xb0b0b0b0b0b0b0b0ULL;
	parent_regs.rbp = 0xbebebebebebebebeULL;
	parent_regs.r13 = 0x1313131313131313ULL;
	parent_regs.r14 = 0x1414141414141414ULL;
	parent_regs.r15 = 0x1515151515151515ULL;
	for (int k = 0; k < 16; k++)
		for (int b = 0; b < 32; b++)
			parent_regs.vec[k][b] = (unsigned char)(k * 16 + b + 3);
	if (!have_avx)
		for (int k = 0; k < 16; k++)
			memset(parent_regs.vec[k] + 16, 0, 16);
}

/* One line per observation, also when it fails (so the number of lines, and
 * of write calls, does not depend on the outcome). */
static void check(const char *what, int good, const char *detail)
{
	printf("  %-50s %s%s\n", what, good ? "yes" : "NO", good ? "" : detail);
}

static void report_child_regs(const char *who, unsigned long stack_top, long a[5])
{
	const struct regs *c = &child_regs, *p = &parent_regs;
	char d[96];

	printf("%s: child registers at its first instruction\n", who);
	check("rax == 0", c->rax == 0, "");
	snprintf(d, sizeof(d), " (rsp 0x%lx, top 0x%lx)", (unsigned long)c->rsp, stack_top);
	check("rsp == the new stack's top", c->rsp == stack_top, d);
	check("rbx rbp r12 r13 r14 r15 as the parent's",
	      c->rbx == p->rbx && c->rbp == p->rbp && c->r12 == p->r12 && c->r13 == p->r13 &&
		      c->r14 == p->r14 && c->r15 == p->r15, "");
	check("rdi rsi rdx r10 r8 (the arguments) as the parent's",
	      c->rdi == (uint64_t)a[0] && c->rsi == (uint64_t)a[1] && c->rdx == (uint64_t)a[2] &&
		      c->r10 == (uint64_t)a[3] && c->r8 == (uint64_t)a[4], "");
	check("r9 as the parent's", c->r9 == p->r9, "");
	check("rcx == address after the syscall", c->rcx == c->after_rip, "");
	int lo = 1, hi = 1, zero = 1;
	for (int k = 0; k < 16; k++) {
		if (memcmp(c->vec[k], p->vec[k], 16))
			lo = 0;
		if (memcmp(c->vec[k] + 16, p->vec[k] + 16, 16))
			hi = 0;
		for (int b = 16; b < 32; b++)
			zero &= c->vec[k][b] == 0;
	}
	check("xmm0-15 as the parent's", lo, "");
	if (have_avx)
		check("ymm0-15 upper halves as the parent's", hi,
		      zero ? " (the child's are all zero)" : " (the child's are other values)");
}

static void test_clone(void)
{
	char *stack = aligned_alloc(64, STACK_SIZE);
	unsigned long top = (unsigned long)(stack + STACK_SIZE);
	long a[5] = { THREAD_FLAGS, (long)top, (long)&ctid, (long)&ctid, 0 };

	setup_parent_regs();
	child_fn = clone_child_fn;
	child_result = -1;
	ctid = -1;
	long tid = raw_clone_call(SYS_clone, a[0], a[1], a[2], a[3], a[4]);
	if (tid < 0) {
		printf("clone: failed %ld\n", tid);
		return;
	}
	wait_ctid();
	printf("clone: thread ran on its stack, tid is the one clone returned: %s, "
	       "getuid() in it == getuid(): %s\n",
	       child_tid == tid ? "yes" : "NO", child_result == (long)getuid() ? "yes" : "NO");
	report_child_regs("clone", top, a);
	free(stack);
}

static void test_clone3(void)
{
	char *stack = aligned_alloc(64, STACK_SIZE);
	unsigned long top = (unsigned long)(stack + STACK_SIZE);
	struct clone_args ca;

	memset(&ca, 0, sizeof(ca));
	ca.flags = THREAD_FLAGS;
	ca.child_tid = (uint64_t)(uintptr_t)&ctid;
	ca.parent_tid = (uint64_t)(uintptr_t)&ctid;
	ca.stack = (uint64_t)(uintptr_t)stack;
	ca.stack_size = STACK_SIZE;
	long a[5] = { (long)&ca, sizeof(ca), 0, 0, 0 };

	setup_parent_regs();
	child_fn = clone3_child_fn;
	child_result = -1;
	ctid = -1;
	long tid = raw_clone_call(SYS_clone3, a[0], a[1], a[2], a[3], a[4]);
	if (tid < 0) {
		printf("clone3: failed %ld\n", tid);
		return;
	}
	wait_ctid();
	printf("clone3: thread ran on its stack, tid is the one clone3 returned: %s, "
	       "getgid() in it == getgid(): %s\n",
	       child_tid == tid ? "yes" : "NO", child_result == (long)getgid() ? "yes" : "NO");
	/* clone3 leaves rdi (args) and rsi (size); rdx r10 r8 are whatever they were. */
	a[2] = (long)child_regs.rdx;
	a[3] = (long)child_regs.r10;
	a[4] = (long)child_regs.r8;
	report_child_regs("clone3", top, a);
	free(stack);
}

/* --- pthreads -------------------------------------------------------------- */

#define NTHREADS 8
static long thread_ppid[NTHREADS], thread_tid[NTHREADS];

static void *thread_main(void *arg)
{
	long i = (long)arg;

	thread_ppid[i] = syscall(SYS_getppid);
	thread_tid[i] = syscall(SYS_gettid);
	return (void *)(i + 100);
}

static void test_pthread(void)
{
	pthread_t t[NTHREADS];
	int joined = 0, same_ppid = 0, distinct = 0;

	for (long i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, thread_main, (void *)i))
			printf("pthread_create %ld failed\n", i);
	for (long i = 0; i < NTHREADS; i++) {
		void *ret;

		if (pthread_join(t[i], &ret) == 0 && (long)ret == i + 100)
			joined++;
	}
	long ppid = (long)getppid(), me = syscall(SYS_gettid);
	for (int i = 0; i < NTHREADS; i++) {
		same_ppid += thread_ppid[i] == ppid;
		int uniq = thread_tid[i] > 0 && thread_tid[i] != me;
		for (int j = 0; j < i; j++)
			uniq &= thread_tid[j] != thread_tid[i];
		distinct += uniq;
	}
	printf("pthread: %d threads joined with their value, %d saw getppid() == the process's, "
	       "%d distinct tids\n", joined, same_ppid, distinct);
}

/* --- vfork + execve, fork ---------------------------------------------------- */

static const char *self;

static void test_vfork(void)
{
	int status;

	fflush(stdout);
	pid_t pid = vfork();
	if (pid == 0) {
		syscall(SYS_geteuid);
		char *argv[] = { (char *)"threads", (char *)"exec-child", NULL };
		execv(self, argv);
		_exit(127);
	}
	if (pid < 0) {
		printf("vfork: failed\n");
		return;
	}
	if (waitpid(pid, &status, 0) != pid) {
		printf("vfork: waitpid failed\n");
		return;
	}
	printf("vfork: child exec'd and exited with status %d\n",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void test_fork(void)
{
	int status;

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		long g = syscall(SYS_getpgrp);
		_exit(g == (long)getpgid(0) ? 7 : 8);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		printf("fork: failed\n");
		return;
	}
	printf("fork: child exited with status %d (7: its getpgrp() was right)\n",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "all";
	int all = !strcmp(what, "all");

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(what, "exec-child")) {
		long g = syscall(SYS_getegid);
		printf("exec-child: running, getegid() %s\n", g == (long)getegid() ? "right" : "WRONG");
		return 0;
	}
	self = argv[0];
	have_avx = __builtin_cpu_supports("avx");
	if (all || !strcmp(what, "pthread"))
		test_pthread();
	if (all || !strcmp(what, "clone"))
		test_clone();
	if (all || !strcmp(what, "clone3"))
		test_clone3();
	if (all || !strcmp(what, "vfork"))
		test_vfork();
	if (all || !strcmp(what, "fork"))
		test_fork();
	printf("threads %s: done\n", what);
	return 0;
}
