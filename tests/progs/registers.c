/* registers.c - a raw `syscall` leaves every register the kernel preserves intact: GPRs, flags, red zone, x87/MXCSR, xmm/ymm/zmm/k.
 *
 *   registers [gpr|x87|sse|avx|avx512|all]     (default all)
 *
 * Each check loads registers with patterns in an assembly routine, issues one
 * `syscall` and stores what it finds after it, so no compiler-generated code
 * runs in between. Natively the kernel preserves everything but rax (result),
 * rcx (= address after the syscall) and r11 (= rflags); a dispatcher reached
 * by a trap must give the same. The syscalls used ignore their arguments
 * (getppid, sched_yield, getuid) or are ones k23 rewrites (rt_sigprocmask
 * with no set). Prints one line per observation; mismatches print both values.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

/* --- general-purpose registers, rflags, red zone ------------------------- */

struct gpr {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;	/* 0 .. 56 */
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;		/* 64 .. 120 */
	uint64_t rflags;					/* 128 */
	uint64_t redzone[16];					/* 136 .. 256 */
	uint64_t after_rip;					/* 264 */
};

_Static_assert(__builtin_offsetof(struct gpr, rflags) == 128, "rflags");
_Static_assert(__builtin_offsetof(struct gpr, redzone) == 136, "redzone");
_Static_assert(__builtin_offsetof(struct gpr, after_rip) == 264, "after_rip");

void gpr_syscall(const struct gpr *in, struct gpr *out);

/* rsp is not loaded from in: out->rsp is compared with the rsp the routine
 * had before the syscall (kept in g_rsp), stored in in's rsp slot by the
 * routine itself so C can compare. */
__asm__(
	".text\n"
	".globl gpr_syscall\n"
	".type gpr_syscall, @function\n"
	"gpr_syscall:\n"
	"	.cfi_startproc\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsi, g_out(%rip)\n"
	"	movq %rsp, g_rsp(%rip)\n"
	"	movq %rsp, 56(%rdi)\n"		/* in->rsp: what rsp must be after */
	/* flags first: push/popf would write into the red zone */
	"	pushq 128(%rdi)\n"
	"	popfq\n"
	/* red zone: 16 qwords below rsp, written with mov (flags untouched) */
	"	movq 136(%rdi), %rax; movq %rax, -8(%rsp)\n"
	"	movq 144(%rdi), %rax; movq %rax, -16(%rsp)\n"
	"	movq 152(%rdi), %rax; movq %rax, -24(%rsp)\n"
	"	movq 160(%rdi), %rax; movq %rax, -32(%rsp)\n"
	"	movq 168(%rdi), %rax; movq %rax, -40(%rsp)\n"
	"	movq 176(%rdi), %rax; movq %rax, -48(%rsp)\n"
	"	movq 184(%rdi), %rax; movq %rax, -56(%rsp)\n"
	"	movq 192(%rdi), %rax; movq %rax, -64(%rsp)\n"
	"	movq 200(%rdi), %rax; movq %rax, -72(%rsp)\n"
	"	movq 208(%rdi), %rax; movq %rax, -80(%rsp)\n"
	"	movq 216(%rdi), %rax; movq %rax, -88(%rsp)\n"
	"	movq 224(%rdi), %rax; movq %rax, -96(%rsp)\n"
	"	movq 232(%rdi), %rax; movq %rax, -104(%rsp)\n"
	"	movq 240(%rdi), %rax; movq %rax, -112(%rsp)\n"
	"	movq 248(%rdi), %rax; movq %rax, -120(%rsp)\n"
	"	movq 256(%rdi), %rax; movq %rax, -128(%rsp)\n"
	"	movq 8(%rdi), %rbx\n"
	"	movq 16(%rdi), %rcx\n"
	"	movq 24(%rdi), %rdx\n"
	"	movq 32(%rdi), %rsi\n"
	"	movq 48(%rdi), %rbp\n"
	"	movq 64(%rdi), %r8\n"
	"	movq 72(%rdi), %r9\n"
	"	movq 80(%rdi), %r10\n"
	"	movq 88(%rdi), %r11\n"
	"	movq 96(%rdi), %r12\n"
	"	movq 104(%rdi), %r13\n"
	"	movq 112(%rdi), %r14\n"
	"	movq 120(%rdi), %r15\n"
	"	movq 0(%rdi), %rax\n"
	"	movq 40(%rdi), %rdi\n"
	"	syscall\n"
	"gpr_after_syscall:\n"
	"	movq %rax, g_rax(%rip)\n"
	"	movq g_out(%rip), %rax\n"
	"	movq %rbx, 8(%rax)\n"
	"	movq %rcx, 16(%rax)\n"
	"	movq %rdx, 24(%rax)\n"
	"	movq %rsi, 32(%rax)\n"
	"	movq %rdi, 40(%rax)\n"
	"	movq %rbp, 48(%rax)\n"
	"	movq %rsp, 56(%rax)\n"
	"	movq %r8, 64(%rax)\n"
	"	movq %r9, 72(%rax)\n"
	"	movq %r10, 80(%rax)\n"
	"	movq %r11, 88(%rax)\n"
	"	movq %r12, 96(%rax)\n"
	"	movq %r13, 104(%rax)\n"
	"	movq %r14, 112(%rax)\n"
	"	movq %r15, 120(%rax)\n"
	"	movq g_rax(%rip), %rbx\n"
	"	movq %rbx, 0(%rax)\n"
	"	movq -8(%rsp), %rbx; movq %rbx, 136(%rax)\n"
	"	movq -16(%rsp), %rbx; movq %rbx, 144(%rax)\n"
	"	movq -24(%rsp), %rbx; movq %rbx, 152(%rax)\n"
	"	movq -32(%rsp), %rbx; movq %rbx, 160(%rax)\n"
	"	movq -40(%rsp), %rbx; movq %rbx, 168(%rax)\n"
	"	movq -48(%rsp), %rbx; movq %rbx, 176(%rax)\n"
	"	movq -56(%rsp), %rbx; movq %rbx, 184(%rax)\n"
	"	movq -64(%rsp), %rbx; movq %rbx, 192(%rax)\n"
	"	movq -72(%rsp), %rbx; movq %rbx, 200(%rax)\n"
	"	movq -80(%rsp), %rbx; movq %rbx, 208(%rax)\n"
	"	movq -88(%rsp), %rbx; movq %rbx, 216(%rax)\n"
	"	movq -96(%rsp), %rbx; movq %rbx, 224(%rax)\n"
	"	movq -104(%rsp), %rbx; movq %rbx, 232(%rax)\n"
	"	movq -112(%rsp), %rbx; movq %rbx, 240(%rax)\n"
	"	movq -120(%rsp), %rbx; movq %rbx, 248(%rax)\n"
	"	movq -128(%rsp), %rbx; movq %rbx, 256(%rax)\n"
	/* the red zone is saved: pushfq may now write into it */
	"	pushfq\n"
	"	popq 128(%rax)\n"
	"	leaq gpr_after_syscall(%rip), %rbx\n"
	"	movq %rbx, 264(%rax)\n"
	"	cld\n"
	"	movq g_rsp(%rip), %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size gpr_syscall, .-gpr_syscall\n"
	".bss\n"
	".balign 8\n"
	"g_out: .quad 0\n"
	"g_rsp: .quad 0\n"
	"g_rax: .quad 0\n"
	".text\n");

static const char *const gpr_names[16] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static int failures;

static void report(const char *what, int good)
{
	printf("  %-44s %s\n", what, good ? "yes" : "NO");
	if (!good)
		failures++;
}

/* flags set before the syscall: CF PF AF ZF SF DF OF, plus the always-one bit 1 and IF */
#define TEST_FLAGS 0xed7UL
#define FLAG_MASK 0xfd5UL	/* arithmetic flags and DF: what must survive */

static void gpr_case(const char *name, long nr, long a0, long a1, long a2, long a3, long a4,
		     long a5, long want)
{
	struct gpr in, out;
	const uint64_t *i = &in.rax, *o = &out.rax;
	char what[96];

	printf("gpr: %s\n", name);
	memset(&out, 0, sizeof(out));
	for (int k = 0; k < 16; k++)
		(&in.rax)[k] = 0x1111111111111111ULL * (uint64_t)(k + 1) ^ 0xa5a5000000005a5aULL;
	in.rax = (uint64_t)nr;
	in.rdi = (uint64_t)a0;
	in.rsi = (uint64_t)a1;
	in.rdx = (uint64_t)a2;
	in.r10 = (uint64_t)a3;
	in.r8 = (uint64_t)a4;
	in.r9 = (uint64_t)a5;
	in.rflags = TEST_FLAGS;
	for (int k = 0; k < 16; k++)
		in.redzone[k] = 0xfeedface00000000ULL | (uint64_t)(k * 0x01010101);
	gpr_syscall(&in, &out);

	report("rax is the result", (long)out.rax == want);
	if ((long)out.rax != want)
		printf("    rax %ld, want %ld\n", (long)out.rax, want);
	for (int k = 0; k < 16; k++) {
		if (k == 0 || k == 2 || k == 11)	/* rax, rcx, r11 */
			continue;
		snprintf(what, sizeof(what), "%s preserved", gpr_names[k]);
		report(what, i[k] == o[k]);
		if (i[k] != o[k])
			printf("    before 0x%016lx after 0x%016lx\n", (unsigned long)i[k],
			       (unsigned long)o[k]);
	}
	report("rcx == address after the syscall", out.rcx == out.after_rip);
	if (out.rcx != out.after_rip)
		printf("    rcx 0x%lx, after 0x%lx\n", (unsigned long)out.rcx,
		       (unsigned long)out.after_rip);
	report("r11 == rflags after the syscall", out.r11 == out.rflags);
	if (out.r11 != out.rflags)
		printf("    r11 0x%lx, rflags 0x%lx\n", (unsigned long)out.r11,
		       (unsigned long)out.rflags);
	printf("  rflags after: 0x%lx (set 0x%lx)\n", (unsigned long)out.rflags, TEST_FLAGS);
	report("arithmetic flags and DF preserved",
	       (out.rflags & FLAG_MASK) == (TEST_FLAGS & FLAG_MASK));
	int rz = 1;
	for (int k = 0; k < 16; k++)
		if (out.redzone[k] != in.redzone[k]) {
			rz = 0;
			printf("    red zone -%d(%%rsp): 0x%016lx, was 0x%016lx\n", 8 * (k + 1),
			       (unsigned long)out.redzone[k], (unsigned long)in.redzone[k]);
		}
	report("red zone (128 bytes below rsp) intact", rz);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
	(void)syscall(SYS_getppid);
}

static void test_gpr(void)
{
	long ppid = (long)getppid(), uid = (long)getuid();

	gpr_case("getppid", SYS_getppid, 0x1010, 0x2020, 0x3030, 0x4040, 0x5050, 0x6060, ppid);
	gpr_case("sched_yield", SYS_sched_yield, -1, -2, -3, -4, -5, -6, 0);
	gpr_case("getuid", SYS_getuid, 0, 0, 0, 0, 0, 0, uid);
	/* A call k23 rewrites (the mask argument is replaced by a copy). */
	gpr_case("rt_sigprocmask(SIG_BLOCK, NULL, NULL, 8)", SYS_rt_sigprocmask, SIG_BLOCK, 0, 0,
		 8, 0x7777, 0x8888, 0);
	/* An error return. */
	gpr_case("close(-1)", SYS_close, -1, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, -9);

	/* A read that blocks, is interrupted by a SA_RESTART handler (which
	 * makes a syscall of its own) and restarted by the kernel. */
	int p[2];
	static char buf[16];
	struct sigaction sa;
	struct itimerval it = { .it_value = { .tv_usec = 30000 } };

	if (pipe(p))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	pid_t child = fork();
	if (child == 0) {
		usleep(150000);
		_exit(write(p[1], "12345678", 8) == 8 ? 0 : 1);
	}
	setitimer(ITIMER_REAL, &it, NULL);
	gpr_case("read(pipe) interrupted by SIGALRM, SA_RESTART", SYS_read, p[0], (long)buf, 8,
		 0x4444, 0x5555, 0x6666, 8);
	printf("  SIGALRM handler ran %d time(s), read \"%s\"\n", (int)alarms, buf);
	waitpid(child, NULL, 0);
	close(p[0]);
	close(p[1]);
}

/* --- x87 and MXCSR ------------------------------------------------------- */

struct x87 {
	uint16_t cw, sw, tw, pad;	/* 0 2 4 */
	uint32_t mxcsr;			/* 8 */
	uint32_t pad2;
	unsigned char st[8][16];	/* 16: 80-bit values, 16-byte stride */
	unsigned char env[28];		/* 144: fnstenv image */
};

void x87_syscall(const struct x87 *in, struct x87 *out, long nr);

__asm__(
	".text\n"
	".globl x87_syscall\n"
	".type x87_syscall, @function\n"
	"x87_syscall:\n"
	"	.cfi_startproc\n"
	"	pushq %rbx\n"
	"	movq %rsi, %rbx\n"
	"	fninit\n"
	"	fldcw 0(%rdi)\n"
	"	ldmxcsr 8(%rdi)\n"
	"	fldt 128(%rdi)\n"		/* st[7] first: it ends up deepest */
	"	fldt 112(%rdi)\n"
	"	fldt 96(%rdi)\n"
	"	fldt 80(%rdi)\n"
	"	fldt 64(%rdi)\n"
	"	fldt 48(%rdi)\n"
	"	fldt 32(%rdi)\n"
	"	fldt 16(%rdi)\n"
	"	movq %rdx, %rax\n"
	"	syscall\n"
	"	fnstcw 0(%rbx)\n"
	"	fnstsw 2(%rbx)\n"
	"	stmxcsr 8(%rbx)\n"
	"	fnstenv 144(%rbx)\n"		/* masks all exceptions: reload cw */
	"	fldcw 0(%rbx)\n"
	"	fstpt 16(%rbx)\n"
	"	fstpt 32(%rbx)\n"
	"	fstpt 48(%rbx)\n"
	"	fstpt 64(%rbx)\n"
	"	fstpt 80(%rbx)\n"
	"	fstpt 96(%rbx)\n"
	"	fstpt 112(%rbx)\n"
	"	fstpt 128(%rbx)\n"
	"	fninit\n"
	"	movl $0x1f80, -4(%rsp)\n"
	"	ldmxcsr -4(%rsp)\n"
	"	popq %rbx\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size x87_syscall, .-x87_syscall\n");

static void x87_case(const char *name, long nr)
{
	struct x87 in, out;

	printf("x87: %s\n", name);
	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	in.cw = 0x0e7f;		/* round toward zero, double precision, all masked */
	in.mxcsr = 0xffbf;	/* FZ, round toward zero, all masked, all flags set */
	for (int k = 0; k < 8; k++) {
		long double v = 1.0L / 3.0L * (k + 1) + 1e-15L * k;

		memcpy(in.st[k], &v, 10);
	}
	x87_syscall(&in, &out, nr);
	report("x87 control word preserved", out.cw == in.cw);
	if (out.cw != in.cw)
		printf("    cw 0x%04x, set 0x%04x\n", out.cw, in.cw);
	/* TOP = 0 after eight loads; no exception flags expected. */
	printf("  x87 status word after: 0x%04x\n", out.sw);
	uint16_t tw = (uint16_t)(out.env[8] | out.env[9] << 8);
	printf("  x87 tag word after: 0x%04x\n", tw);
	report("MXCSR preserved", out.mxcsr == in.mxcsr);
	if (out.mxcsr != in.mxcsr)
		printf("    mxcsr 0x%08x, set 0x%08x\n", out.mxcsr, in.mxcsr);
	for (int k = 0; k < 8; k++) {
		char what[64];
		int same = memcmp(in.st[k], out.st[k], 10) == 0;

		snprintf(what, sizeof(what), "st(%d) preserved", k);
		report(what, same);
	}
}

static void test_x87(void)
{
	x87_case("getppid", SYS_getppid);
	x87_case("sched_yield", SYS_sched_yield);
}

/* --- vector registers ---------------------------------------------------- */

/* SSE: xmm0-15, 16 bytes each. */
void sse_syscall(const void *in, void *out, long nr);
__asm__(
	".text\n"
	".globl sse_syscall\n"
	".type sse_syscall, @function\n"
	"sse_syscall:\n"
	"	.cfi_startproc\n"
	"	pushq %rbx\n"
	"	movq %rsi, %rbx\n"
	"	movdqu 0(%rdi), %xmm0\n"
	"	movdqu 16(%rdi), %xmm1\n"
	"	movdqu 32(%rdi), %xmm2\n"
	"	movdqu 48(%rdi), %xmm3\n"
	"	movdqu 64(%rdi), %xmm4\n"
	"	movdqu 80(%rdi), %xmm5\n"
	"	movdqu 96(%rdi), %xmm6\n"
	"	movdqu 112(%rdi), %xmm7\n"
	"	movdqu 128(%rdi), %xmm8\n"
	"	movdqu 144(%rdi), %xmm9\n"
	"	movdqu 160(%rdi), %xmm10\n"
	"	movdqu 176(%rdi), %xmm11\n"
	"	movdqu 192(%rdi), %xmm12\n"
	"	movdqu 208(%rdi), %xmm13\n"
	"	movdqu 224(%rdi), %xmm14\n"
	"	movdqu 240(%rdi), %xmm15\n"
	"	movq %rdx, %rax\n"
	"	syscall\n"
	"	movdqu %xmm0, 0(%rbx)\n"
	"	movdqu %xmm1, 16(%rbx)\n"
	"	movdqu %xmm2, 32(%rbx)\n"
	"	movdqu %xmm3, 48(%rbx)\n"
	"	movdqu %xmm4, 64(%rbx)\n"
	"	movdqu %xmm5, 80(%rbx)\n"
	"	movdqu %xmm6, 96(%rbx)\n"
	"	movdqu %xmm7, 112(%rbx)\n"
	"	movdqu %xmm8, 128(%rbx)\n"
	"	movdqu %xmm9, 144(%rbx)\n"
	"	movdqu %xmm10, 160(%rbx)\n"
	"	movdqu %xmm11, 176(%rbx)\n"
	"	movdqu %xmm12, 192(%rbx)\n"
	"	movdqu %xmm13, 208(%rbx)\n"
	"	movdqu %xmm14, 224(%rbx)\n"
	"	movdqu %xmm15, 240(%rbx)\n"
	"	popq %rbx\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size sse_syscall, .-sse_syscall\n");

/* AVX: ymm0-15, 32 bytes each. */
void avx_syscall(const void *in, void *out, long nr);
__asm__(
	".text\n"
	".globl avx_syscall\n"
	".type avx_syscall, @function\n"
	"avx_syscall:\n"
	"	.cfi_startproc\n"
	"	pushq %rbx\n"
	"	movq %rsi, %rbx\n"
	"	vmovdqu 0(%rdi), %ymm0\n"
	"	vmovdqu 32(%rdi), %ymm1\n"
	"	vmovdqu 64(%rdi), %ymm2\n"
	"	vmovdqu 96(%rdi), %ymm3\n"
	"	vmovdqu 128(%rdi), %ymm4\n"
	"	vmovdqu 160(%rdi), %ymm5\n"
	"	vmovdqu 192(%rdi), %ymm6\n"
	"	vmovdqu 224(%rdi), %ymm7\n"
	"	vmovdqu 256(%rdi), %ymm8\n"
	"	vmovdqu 288(%rdi), %ymm9\n"
	"	vmovdqu 320(%rdi), %ymm10\n"
	"	vmovdqu 352(%rdi), %ymm11\n"
	"	vmovdqu 384(%rdi), %ymm12\n"
	"	vmovdqu 416(%rdi), %ymm13\n"
	"	vmovdqu 448(%rdi), %ymm14\n"
	"	vmovdqu 480(%rdi), %ymm15\n"
	"	movq %rdx, %rax\n"
	"	syscall\n"
	"	vmovdqu %ymm0, 0(%rbx)\n"
	"	vmovdqu %ymm1, 32(%rbx)\n"
	"	vmovdqu %ymm2, 64(%rbx)\n"
	"	vmovdqu %ymm3, 96(%rbx)\n"
	"	vmovdqu %ymm4, 128(%rbx)\n"
	"	vmovdqu %ymm5, 160(%rbx)\n"
	"	vmovdqu %ymm6, 192(%rbx)\n"
	"	vmovdqu %ymm7, 224(%rbx)\n"
	"	vmovdqu %ymm8, 256(%rbx)\n"
	"	vmovdqu %ymm9, 288(%rbx)\n"
	"	vmovdqu %ymm10, 320(%rbx)\n"
	"	vmovdqu %ymm11, 352(%rbx)\n"
	"	vmovdqu %ymm12, 384(%rbx)\n"
	"	vmovdqu %ymm13, 416(%rbx)\n"
	"	vmovdqu %ymm14, 448(%rbx)\n"
	"	vmovdqu %ymm15, 480(%rbx)\n"
	"	vzeroupper\n"
	"	popq %rbx\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size avx_syscall, .-avx_syscall\n");

/* AVX-512: zmm0-31 (64 bytes each, 2048 bytes), then k0-7 (8 bytes each, at 2048). */
void avx512_syscall(const void *in, void *out, long nr);
__asm__(
	".text\n"
	".globl avx512_syscall\n"
	".type avx512_syscall, @function\n"
	"avx512_syscall:\n"
	"	.cfi_startproc\n"
	"	pushq %rbx\n"
	"	movq %rsi, %rbx\n"
	".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"	vmovdqu64 \\n*64(%rdi), %zmm\\n\n"
	".endr\n"
	".irp n, 0,1,2,3,4,5,6,7\n"
	"	kmovq 2048+\\n*8(%rdi), %k\\n\n"
	".endr\n"
	"	movq %rdx, %rax\n"
	"	syscall\n"
	".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"	vmovdqu64 %zmm\\n, \\n*64(%rbx)\n"
	".endr\n"
	".irp n, 0,1,2,3,4,5,6,7\n"
	"	kmovq %k\\n, 2048+\\n*8(%rbx)\n"
	".endr\n"
	"	vzeroupper\n"
	"	popq %rbx\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size avx512_syscall, .-avx512_syscall\n");

static unsigned char vin[2048 + 64] __attribute__((aligned(64)));
static unsigned char vout[2048 + 64] __attribute__((aligned(64)));

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t k = 0; k < n; k++)
		p[k] = (unsigned char)(seed * 31 + k * 7 + (k >> 5) * 13 + 1);
}

/* Compares reg registers of size bytes each; reports each register name. */
static void compare_regs(const char *prefix, int nregs, int size, int offset)
{
	int bad = 0;

	for (int k = 0; k < nregs; k++) {
		const unsigned char *a = vin + offset + k * size, *b = vout + offset + k * size;

		if (memcmp(a, b, size)) {
			bad++;
			int lo = memcmp(a, b, size < 16 ? size : 16) != 0;
			printf("    %s%d differs (%s)\n", prefix, k,
			       size > 16 ? (lo ? "low 128 bits too" : "upper bits only") : "value");
		}
	}
	char what[64];
	snprintf(what, sizeof(what), "%s0-%d preserved", prefix, nregs - 1);
	report(what, bad == 0);
}

static void test_sse(void)
{
	long nrs[] = { SYS_getppid, SYS_sched_yield };

	for (unsigned k = 0; k < 2; k++) {
		printf("sse: syscall %ld\n", nrs[k]);
		fill(vin, 256, k + 1);
		memset(vout, 0, sizeof(vout));
		sse_syscall(vin, vout, nrs[k]);
		compare_regs("xmm", 16, 16, 0);
	}
}

static void test_avx(void)
{
	long nrs[] = { SYS_getppid, SYS_sched_yield };

	if (!__builtin_cpu_supports("avx")) {
		printf("avx: not supported by this CPU, skipped\n");
		return;
	}
	for (unsigned k = 0; k < 2; k++) {
		printf("avx: syscall %ld\n", nrs[k]);
		fill(vin, 512, k + 5);
		memset(vout, 0, sizeof(vout));
		avx_syscall(vin, vout, nrs[k]);
		compare_regs("ymm", 16, 32, 0);
	}
}

static void test_avx512(void)
{
	long nrs[] = { SYS_getppid, SYS_sched_yield };

	if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw")) {
		printf("avx512: not supported by this CPU, skipped\n");
		return;
	}
	for (unsigned k = 0; k < 2; k++) {
		printf("avx512: syscall %ld\n", nrs[k]);
		fill(vin, sizeof(vin), k + 9);
		memset(vout, 0, sizeof(vout));
		avx512_syscall(vin, vout, nrs[k]);
		compare_regs("zmm", 32, 64, 0);
		compare_regs("k", 8, 8, 2048);
	}
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "all";
	int all = !strcmp(what, "all");

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (all || !strcmp(what, "gpr"))
		test_gpr();
	if (all || !strcmp(what, "x87"))
		test_x87();
	if (all || !strcmp(what, "sse"))
		test_sse();
	if (all || !strcmp(what, "avx"))
		test_avx();
	if (all || !strcmp(what, "avx512"))
		test_avx512();
	printf("registers %s: %d mismatches\n", what, failures);
	return failures ? 1 : 0;
}
