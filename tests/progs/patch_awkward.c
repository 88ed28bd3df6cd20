/* patch_awkward.c - syscall sites in awkward places: in libc across a page boundary, at a loop head, right before a branch target.
 *
 *   patch_awkward getcontext K       K getcontext() calls (on this machine's
 *                                    glibc 2.36 its one syscall, rt_sigprocmask,
 *                                    sits at page offset 0xfff: it spans two pages)
 *   patch_awkward opendir K DIR      K opendir()/readdir()/closedir() of DIR
 *                                    (__open64_nocancel's openat: offset 0xfff too)
 *   patch_awkward loophead K         K getpid through a syscall that is itself
 *                                    the target of the loop's backward jump
 *   patch_awkward beforetarget K     K rounds, every other one jumping straight
 *                                    to the instruction after a syscall
 *   patch_awkward spanning K         K getpid through mov $39,%eax; syscall with
 *                                    the syscall at page offset 0xfff (the shape
 *                                    k23 patches lazily)
 *   patch_awkward spanning2 K        the same, the syscall (at 0xfff) a branch
 *                                    target: a plan can only cover what follows
 *   patch_awkward peek VADDR LEN     after one getcontext and one opendir("."),
 *                                    print LEN bytes of libc.so.6 at link-time
 *                                    address VADDR as they are in memory (a
 *                                    patched site shows its patch)
 *
 * Each prints what it observed, independent of pids and timing, and exits 0
 * when every result was right. K 0 makes none of those calls: the test
 * compares k23's statistics of a run with K and one with 0.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

/* Alone in a function: getcontext returns twice, nothing here to clobber. */
static __attribute__((noinline)) int one_getcontext(ucontext_t *uc)
{
	return getcontext(uc);
}

static int do_getcontext(long k)
{
	sigset_t block;
	ucontext_t uc;
	long right = 0;

	/* SIGUSR1 blocked, SIGUSR2 not: getcontext must report exactly that. */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	for (long i = 0; i < k; i++) {
		memset(&uc, 0, sizeof uc);
		if (one_getcontext(&uc) == 0 && sigismember(&uc.uc_sigmask, SIGUSR1) == 1 &&
		    sigismember(&uc.uc_sigmask, SIGUSR2) == 0)
			right++;
	}
	printf("getcontext: %ld of %ld right\n", right, k);
	return right == k ? 0 : 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int do_opendir(long k, const char *dir)
{
	long right = 0, first = -1;
	char *names[256];
	int n = 0;

	for (long i = 0; i < k; i++) {
		DIR *d = opendir(dir);
		struct dirent *e;
		long cnt = 0;

		if (!d) {
			perror(dir);
			return 2;
		}
		while ((e = readdir(d)) != NULL) {
			if (i == 0 && n < 256)
				names[n++] = strdup(e->d_name);
			cnt++;
		}
		closedir(d);
		if (first < 0)
			first = cnt;
		right += cnt == first;
	}
	qsort(names, n, sizeof names[0], cmp_str);
	for (int i = 0; i < n; i++)
		printf("entry %s\n", names[i]);
	printf("opendir: %ld of %ld listings alike, %ld entries\n", right, k, first);
	return right == k ? 0 : 1;
}

/* getpid K times; the syscall instruction is the loop head:
 *	mov $39,%eax
 * 1:	syscall			<- jnz 1b lands here
 *	cmp %rax,pid ...
 *	mov $39,%eax
 *	dec %r12; jnz 1b
 */
static __attribute__((noinline)) long loophead(long k, long pid)
{
	long right;

	if (k <= 0)
		return 0;
	__asm__ volatile(
		"	mov %[k], %%r12\n"
		"	xor %[right], %[right]\n"
		"	mov $39, %%eax\n"
		"1:	syscall\n"
		"	cmp %%rax, %[pid]\n"
		"	jne 2f\n"
		"	inc %[right]\n"
		"2:	mov $39, %%eax\n"
		"	dec %%r12\n"
		"	jnz 1b\n"
		: [right] "=&r"(right)
		: [k] "r"(k), [pid] "r"(pid)
		: "rax", "rcx", "r11", "r12", "memory", "cc");
	return right;
}

/* K rounds; even rounds make getpid, odd ones jump straight to the
 * instruction after the syscall (a branch target) with the previous result:
 * 1:	test $1,%r13b; jnz 2f
 *	mov $39,%eax
 *	syscall
 * 2:	cmp %rax,pid ...		<- jnz 2f lands here
 */
static __attribute__((noinline)) long beforetarget(long k, long pid)
{
	long right;

	if (k <= 0)
		return 0;
	__asm__ volatile(
		"	xor %%r13, %%r13\n"
		"	xor %[right], %[right]\n"
		"1:	test $1, %%r13b\n"
		"	jnz 2f\n"
		"	mov $39, %%eax\n"
		"	syscall\n"
		"2:	cmp %%rax, %[pid]\n"
		"	jne 3f\n"
		"	inc %[right]\n"
		"3:	inc %%r13\n"
		"	cmp %%r13, %[k]\n"
		"	jne 1b\n"
		: [right] "=&r"(right)
		: [k] "r"(k), [pid] "r"(pid)
		: "rax", "rcx", "r11", "r13", "memory", "cc");
	return right;
}

/* getpid K times through a syscall at page offset 0xfff:
 *	jmp 2f; .p2align 12; (0xffa bytes of int3)
 * 2:	mov $39,%eax		(0xffa)
 *	syscall			(0xfff: spans two pages)
 */
static __attribute__((noinline)) long spanning(long k, long pid)
{
	long right = 0;

	for (long i = 0; i < k; i++) {
		long r;
		__asm__ volatile(
			"	jmp 2f\n"
			"	.p2align 12\n"
			"	.skip 0xffa, 0xcc\n"
			"2:	mov $39, %%eax\n"
			"	syscall\n"
			: "=a"(r) : : "rcx", "r11", "memory");
		right += r == pid;
	}
	return right;
}

/* The same with the syscall itself the jump's target, so only the bytes
 * from the syscall on can be replaced:
 *	mov $39,%eax; jmp 2f; .p2align 12; (0xfff bytes of int3)
 * 2:	syscall			(0xfff)
 *	mov %rax,%rdx; ...
 */
static __attribute__((noinline)) long spanning2(long k, long pid)
{
	long right = 0;

	for (long i = 0; i < k; i++) {
		long r;
		__asm__ volatile(
			"	mov $39, %%eax\n"
			"	jmp 2f\n"
			"	.p2align 12\n"
			"	.skip 0xfff, 0xcc\n"
			"2:	syscall\n"
			"	mov %%rax, %%rdx\n"
			"	add $0, %%rdx\n"
			: "=d"(r) : : "rax", "rcx", "r11", "memory", "cc");
		right += r == pid;
	}
	return right;
}

static int peek(unsigned long vaddr, int len)
{
	Dl_info info;
	ucontext_t uc;
	DIR *d = opendir(".");

	if (d)
		closedir(d);
	getcontext(&uc);
	if (!dladdr((void *)getcontext, &info) || !info.dli_fbase) {
		fprintf(stderr, "dladdr(getcontext) failed\n");
		return 2;
	}
	const unsigned char *b = (const unsigned char *)info.dli_fbase + vaddr;
	for (int i = 0; i < len; i++)
		printf("%02x%s", b[i], i + 1 < len ? " " : "\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: patch_awkward getcontext|opendir|loophead|beforetarget|spanning|spanning2 K [DIR]\n"
				"       patch_awkward peek VADDR LEN\n");
		return 2;
	}
	long k = atol(argv[2]);
	if (strcmp(argv[1], "getcontext") == 0)
		return do_getcontext(k);
	if (strcmp(argv[1], "opendir") == 0 && argc > 3)
		return do_opendir(k, argv[3]);
	if (strcmp(argv[1], "loophead") == 0) {
		long r = loophead(k, getpid());
		printf("loophead: %ld of %ld right\n", r, k);
		return r == k ? 0 : 1;
	}
	if (strcmp(argv[1], "beforetarget") == 0) {
		long r = beforetarget(k, getpid());
		printf("beforetarget: %ld of %ld right\n", r, k);
		return r == k ? 0 : 1;
	}
	if (strcmp(argv[1], "spanning") == 0 || strcmp(argv[1], "spanning2") == 0) {
		long r = argv[1][8] ? spanning2(k, getpid()) : spanning(k, getpid());
		printf("%s: %ld of %ld right\n", argv[1], r, k);
		return r == k ? 0 : 1;
	}
	if (strcmp(argv[1], "peek") == 0 && argc > 3)
		return peek(strtoul(argv[2], NULL, 0), atoi(argv[3]));
	fprintf(stderr, "patch_awkward: unknown mode %s\n", argv[1]);
	return 2;
}
