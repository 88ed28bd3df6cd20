/* sigctx_edges.c - signals that land anywhere around a system call: a loop of the program's own getppid `syscall` instructions, interrupted as fast as another thread can send signals.
 *
 *   sigctx_edges [N [FILE]]   N signals (default 20000); FILE: where to write
 *                             how many getppid calls the program made
 *
 * Natively a signal interrupts the loop at one of its own instructions, or
 * at the syscall's return. Wherever k23 is when the signal comes (the stub,
 * the entry claiming its stack, the call, the way back), the handler must
 * see the same: rip in code the unwinder knows, inside the loop
 * (_Unwind_FindEnclosingFunction names it) while it runs, rsp as the loop has it, rax consistent with rip (the call number at
 * the syscall instruction, the call's result after it), rbx and r13 as the
 * loop set them. Each handler run that sees rip in the loop adds 1 to r12
 * in the context: the loop returns r12, which must equal those runs, so a
 * change the handler makes reaches the program at every point. Prints
 * counts that are the same natively and under k23 (not how many signals
 * landed where: that varies).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include <unwind.h>

long edge_loop(long iterations);
extern char edge_body[], edge_body_end[], edge_site[];
unsigned long edge_rsp;

__asm__(".text\n"
	".globl edge_loop, edge_body, edge_body_end, edge_site\n"
	".type edge_loop, @function\n"
	"edge_loop:\n"
	".cfi_startproc\n"
	"	pushq %rbx\n"
	".cfi_adjust_cfa_offset 8\n"
	".cfi_rel_offset %rbx, 0\n"
	"	pushq %r12\n"
	".cfi_adjust_cfa_offset 8\n"
	".cfi_rel_offset %r12, 0\n"
	"	pushq %r13\n"
	".cfi_adjust_cfa_offset 8\n"
	".cfi_rel_offset %r13, 0\n"
	"	movq %rdi, %rbx\n"
	"	xorl %r12d, %r12d\n"
	"	movabsq $0x5a5a00000000000d, %r13\n"
	"	movq %rsp, edge_rsp(%rip)\n"
	"edge_body:\n"
	"	movl $110, %eax\n" /* getppid */
	"edge_site:\n"
	"	syscall\n"
	"	decq %rbx\n"
	"	jnz edge_body\n"
	"edge_body_end:\n"
	"	movq %r12, %rax\n"
	"	popq %r13\n"
	".cfi_adjust_cfa_offset -8\n"
	".cfi_restore %r13\n"
	"	popq %r12\n"
	".cfi_adjust_cfa_offset -8\n"
	".cfi_restore %r12\n"
	"	popq %rbx\n"
	".cfi_adjust_cfa_offset -8\n"
	".cfi_restore %rbx\n"
	"	ret\n"
	".cfi_endproc\n"
	".size edge_loop, .-edge_loop\n");

static volatile int sending = 1;
static volatile long in_body, unknown, not_enclosed, bad_rsp, bad_rax, bad_r13;
static long ppid;
static pid_t main_tid;

static void handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	greg_t *g = uc->uc_mcontext.gregs;
	char *rip = (char *)g[REG_RIP];

	(void)sig, (void)si;
	if (!_Unwind_FindEnclosingFunction(rip))
		unknown++; /* natively every instruction the thread runs has one */
	if (rip < edge_body || rip > edge_body_end)
		return; /* main's own loop around it */
	if (_Unwind_FindEnclosingFunction(rip) != (void *)edge_loop)
		not_enclosed++;
	if ((unsigned long)g[REG_RSP] != edge_rsp)
		bad_rsp++;
	if (rip == edge_site ? g[REG_RAX] != 110 : rip != edge_body && g[REG_RAX] != ppid)
		bad_rax++;
	if (g[REG_R13] != 0x5a5a00000000000dL)
		bad_r13++;
	g[REG_R12]++;
	in_body++;
}

static void *sender(void *arg)
{
	long n = (long)arg;

	for (long i = 0; i < n; i++)
		syscall(SYS_tgkill, getpid(), main_tid, SIGURG);
	sending = 0;
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000, seen = 0, rounds = 0;
	struct sigaction sa;
	pthread_t t;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGURG, &sa, 0);
	ppid = getppid();
	main_tid = gettid();
	if (pthread_create(&t, 0, sender, (void *)n))
		return 1;
	while (sending || rounds < 2) {
		seen += edge_loop(1000);
		rounds++;
	}
	pthread_join(t, 0);
	if (argc > 2) {
		/* the loop's calls and main's own first one: what a count of
		 * the calls must find, wherever the signals landed */
		FILE *f = fopen(argv[2], "w");

		if (!f || fprintf(f, "getppid %ld\n", rounds * 1000 + 1) < 0 || fclose(f))
			return 1;
	}
	printf("rip where the unwinder knows no function: %ld\n", unknown);
	printf("rip not in a function the unwinder knows: %ld\n", not_enclosed);
	printf("rsp not the loop's: %ld\n", bad_rsp);
	printf("rax not what rip implies: %ld\n", bad_rax);
	printf("r13 not the loop's: %ld\n", bad_r13);
	printf("the handler's r12 increments reached the loop: %s\n",
	       seen == in_body ? "all" : "not all");
	printf("signals seen in the loop: %s\n", in_body > 0 ? "some" : "none");
	return 0;
}
