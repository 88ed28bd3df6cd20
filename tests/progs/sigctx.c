/* sigctx.c - what a signal handler sees of the code it interrupted: the program blocks in read, another thread signals it, the handler looks at the interrupted context.
 *
 *   sigctx restart [raw|libc [N]]   the handler has SA_RESTART: read is restarted each time
 *   sigctx eintr [raw|libc [N]]     without: read returns EINTR, the loop calls it again
 *   sigctx modify [raw|libc [N]]    as eintr, but the last run of the handler changes the
 *                                   interrupted context: rax 1 (read "returns" 1) and r13
 *                                   (with raw also rbx and xmm1), which the program then sees
 *
 * read is libc's, or with raw the program's own `syscall` instruction
 * (raw_reader), around which every register the program may set holds a
 * known value: rbx, r8-r10, r12-r15 and xmm1 (and rdi, rsi, rdx: the
 * call's arguments); the handler checks each, and rsp.
 *
 * The handler runs N times (default 5), looking at uc_mcontext as profilers,
 * unwinders and runtimes do: the function its rip lies in (dladdr), whether
 * the unwinder knows that function (_Unwind_FindEnclosingFunction), whether
 * a backtrace from the handler reaches the function that called read (so
 * rsp and the unwound registers are the program's), and whether r12-r15
 * hold the values the program put there around the call; also rip's
 * offset in its function, rax (-EINTR, or read's number when the kernel
 * restarts it) and the names of the frames a backtrace finds. Prints
 * counts and names, the same natively and under k23.
 */
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <unwind.h>

static int nsig_want = 5;	/* handler runs; the third argument */
#define MARK(n) (0x5a5a000000000000L | (n))

int fds[2];
static int modify, raw;
static volatile sig_atomic_t in_reader;	/* signals elsewhere (a busy machine) are not looked at */
long r13_after;
static volatile int runs, in_read, enclosing, reaches_reader, regs_kept, not_in_read;
static volatile int raw_regs, raw_sp, raw_xmm, rip_at, rax_eintr, rax_nr, rax_other;
static char first_name[64], first_trace[512];
static long rip_off = -1;
char raw_buf[1];
unsigned long raw_rsp, rbx_after, xmm_after;

__attribute__((noinline)) static ssize_t reader(char *buf);
ssize_t raw_reader(char *buf);

/* Names of the frames a backtrace from the handler finds (dladdr; "?"
 * for the program's own, which has no dynamic symbols). */
static void trace_names(char *out, size_t size)
{
	void *frames[32];
	int n = backtrace(frames, 32);
	size_t len = 0;

	out[0] = 0;
	for (int i = 0; i < n && len + 1 < size; i++) {
		Dl_info info;
		const char *name = dladdr(frames[i], &info) && info.dli_sname ? info.dli_sname : "?";

		len += snprintf(out + len, size - len, "%s%s", i ? " " : "", name);
	}
}

static void look_raw(ucontext_t *uc)
{
	greg_t *g = uc->uc_mcontext.gregs;
	unsigned long x;

	if (g[REG_RBX] == MARK(3) && g[REG_R8] == MARK(8) && g[REG_R9] == MARK(9) &&
	    g[REG_R10] == MARK(10) && g[REG_R12] == MARK(12) && g[REG_R13] == MARK(13) &&
	    g[REG_R14] == MARK(14) && g[REG_R15] == MARK(15) && g[REG_RDI] == fds[0] &&
	    g[REG_RSI] == (greg_t)raw_buf && g[REG_RDX] == 1)
		raw_regs++;
	if ((unsigned long)g[REG_RSP] == raw_rsp)
		raw_sp++;
	memcpy(&x, &uc->uc_mcontext.fpregs->_xmm[1], sizeof(x));
	if (x == (unsigned long)MARK(21))
		raw_xmm++;
}

static void handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	void *rip = (void *)uc->uc_mcontext.gregs[REG_RIP], *frames[32];
	Dl_info info;
	int n;

	(void)sig, (void)si;
	if (!in_reader || runs == nsig_want)
		return; /* a timer signal already pending when the last run disarmed it */
	runs++;
	if (raw) {
		/* The program's own function: no dynamic symbol, so by address. */
		if (rip_off < 0)
			rip_off = (char *)rip - (char *)raw_reader;
		if ((char *)rip - (char *)raw_reader == rip_off)
			rip_at++;
		if (_Unwind_FindEnclosingFunction(rip) == (void *)raw_reader)
			enclosing++;
		look_raw(uc);
	} else if (dladdr(rip, &info) && info.dli_sname) {
		if (rip_off < 0)
			rip_off = (char *)rip - (char *)info.dli_saddr;
		if ((char *)rip - (char *)info.dli_saddr == rip_off)
			rip_at++;
		if (!first_name[0])
			snprintf(first_name, sizeof(first_name), "%s", info.dli_sname);
		if (strstr(info.dli_sname, "read"))
			in_read++;
		else
			not_in_read++;
		if (_Unwind_FindEnclosingFunction(rip) == info.dli_saddr)
			enclosing++;
	} else {
		not_in_read++;
		if (!first_name[0])
			snprintf(first_name, sizeof(first_name), "(no symbol)");
	}
	if (uc->uc_mcontext.gregs[REG_RAX] == -EINTR)
		rax_eintr++;
	else if (uc->uc_mcontext.gregs[REG_RAX] == 0) /* read's number: being restarted */
		rax_nr++;
	else
		rax_other++;
	if (!first_trace[0])
		trace_names(first_trace, sizeof(first_trace));
	n = backtrace(frames, 32);
	for (int i = 0; i < n; i++) {
		/* Return addresses: the caller's call instruction is one byte back. */
		if ((char *)frames[i] - 1 >= (char *)reader && (char *)frames[i] - 1 < (char *)reader + 256) {
			reaches_reader++;
			break;
		}
	}
	if (uc->uc_mcontext.gregs[REG_R12] == MARK(12) && uc->uc_mcontext.gregs[REG_R13] == MARK(13) &&
	    uc->uc_mcontext.gregs[REG_R14] == MARK(14) && uc->uc_mcontext.gregs[REG_R15] == MARK(15))
		regs_kept++;
	if (runs == nsig_want) {
		if (modify) {
			uc->uc_mcontext.gregs[REG_RAX] = 1;
			uc->uc_mcontext.gregs[REG_R13] = MARK(99);
			uc->uc_mcontext.gregs[REG_RBX] = MARK(98);
			uc->uc_mcontext.fpregs->_xmm[1].element[0] = 0x97;
			uc->uc_mcontext.fpregs->_xmm[1].element[1] = 0;
		} else if (write(fds[1], "x", 1) != 1) {
			_exit(3);
		}
	}
}

/* read with r12-r15 holding known values across the call (callee-saved:
 * the kernel and libc's read leave them alone). */
__attribute__((noinline)) static ssize_t reader(char *buf)
{
	register long r12 __asm__("r12") = MARK(12);
	register long r13 __asm__("r13") = MARK(13);
	register long r14 __asm__("r14") = MARK(14);
	register long r15 __asm__("r15") = MARK(15);
	ssize_t r;

	in_reader = 1;
	__asm__ volatile("" : "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15));
	if (raw) {
		r = raw_reader(buf);
		if (r < 0) {
			errno = (int)-r;
			r = -1;
		}
	} else {
		r = read(fds[0], buf, 1);
	}
	__asm__ volatile("" : "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15));
	in_reader = 0;
	if (!raw)
		r13_after = r13; /* raw_reader stores its own */
	return r;
}

/* read(fds[0], raw_buf, 1) by the program's own syscall instruction (`mov
 * $0,%eax; syscall`: a site k23 prepare plans), with known values in
 * every register the handler checks. Its own function, so that the
 * unwinder's answer for the site names it. */
__asm__(".text\n"
	".globl raw_reader\n"
	".type raw_reader, @function\n"
	"raw_reader:\n"
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
	"	leaq raw_buf(%rip), %rsi\n"
	"	movl fds(%rip), %edi\n"
	"	movl $1, %edx\n"
	"	movabsq $0x5a5a000000000003, %rbx\n"
	"	movabsq $0x5a5a000000000008, %r8\n"
	"	movabsq $0x5a5a000000000009, %r9\n"
	"	movabsq $0x5a5a00000000000a, %r10\n"
	"	movabsq $0x5a5a00000000000c, %r12\n"
	"	movabsq $0x5a5a00000000000d, %r13\n"
	"	movabsq $0x5a5a000000000015, %rax\n"
	"	movq %rax, %xmm1\n"
	"	movq %rsp, raw_rsp(%rip)\n"
	"	movl $0, %eax\n"
	"	syscall\n"
	"	movq %rbx, rbx_after(%rip)\n"
	"	movq %r13, r13_after(%rip)\n"
	"	movq %xmm1, xmm_after(%rip)\n"
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
	".size raw_reader, .-raw_reader\n");

static pid_t main_tid;

/* The main thread is blocked in read(fds[0], ...): its entry in /proc
 * names the call and its first argument ("0 0x3 ..."). */
static int blocked_in_read(const char *path)
{
	char line[128], want[32];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	line[n] = 0;
	snprintf(want, sizeof(want), "0 0x%x ", fds[0]);
	return !strncmp(line, want, strlen(want));
}

/* Signals only while the main thread sleeps in the read, one at a time,
 * so each lands in the call, natively and under k23, however slowly
 * either runs. */
static void *poker(void *arg)
{
	struct timespec tick = { 0, 100 * 1000 };
	char path[64];
	int sent = 0, waited;

	(void)arg;
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)main_tid);
	while (sent < nsig_want) {
		int before = runs;

		if (!blocked_in_read(path)) {
			nanosleep(&tick, 0);
			continue;
		}
		syscall(SYS_tgkill, getpid(), main_tid, SIGALRM);
		sent++;
		for (waited = 0; runs == before && waited < 50000; waited++)
			nanosleep(&tick, 0);
		if (runs == before) {
			fprintf(stderr, "sigctx: the handler did not run\n");
			_exit(4);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	struct sigaction sa;
	pthread_t t;
	void *warm[4];
	char buf[1];
	int eintrs = 0;
	ssize_t r;

	if (strcmp(what, "restart") && strcmp(what, "eintr") && strcmp(what, "modify")) {
		fprintf(stderr, "usage: sigctx restart|eintr|modify [raw|libc [N]]\n");
		return 2;
	}
	modify = !strcmp(what, "modify");
	raw = argc > 2 && !strcmp(argv[2], "raw");
	if (argc > 3)
		nsig_want = atoi(argv[3]);
	backtrace(warm, 4); /* loads the unwinder now, not in the handler */
	if (pipe(fds))
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | (strcmp(what, "restart") ? 0 : SA_RESTART);
	sigaction(SIGALRM, &sa, 0);
	main_tid = gettid();
	if (pthread_create(&t, 0, poker, 0))
		return 1;
	while ((r = reader(buf)) != 1) {
		if (r < 0 && errno == EINTR)
			eintrs++;
		else
			return 1;
	}
	pthread_join(t, 0);
	printf("%s: handler ran %d times, read returned EINTR %s\n", what, runs,
	       eintrs ? "at least once" : "never");
	if (!raw)
		printf("%s: interrupted in %s\n", what, first_name);
	printf("%s: rip at the first one's offset %ld in its function: %d\n", what, rip_off, rip_at);
	printf("%s: rax -EINTR %d, read's number %d, other %d\n", what, rax_eintr, rax_nr, rax_other);
	printf("%s: backtrace: %s\n", what, first_trace);
	if (!raw)
		printf("%s: rip in a function named *read*: %d, elsewhere: %d\n", what, in_read, not_in_read);
	printf("%s: _Unwind_FindEnclosingFunction(rip) is that function: %d\n", what, enclosing);
	printf("%s: backtrace from the handler reaches read's caller: %d\n", what, reaches_reader);
	if (raw)
		printf("%s: rbx, r8-r10, r12-r15, rdi, rsi, rdx as set: %d, rsp: %d, xmm1: %d\n", what,
		       raw_regs, raw_sp, raw_xmm);
	else
		printf("%s: r12-r15 as the program set them: %d\n", what, regs_kept);
	if (modify)
		printf("%s: after the handler changed the context: read returned %zd, r13 %s\n",
		       what, r, r13_after == MARK(99) ? "as the handler set it" :
		       r13_after == MARK(13) ? "unchanged" : "something else");
	if (modify && raw)
		printf("%s: rbx %s, xmm1 %s\n", what,
		       rbx_after == (unsigned long)MARK(98) ? "as the handler set it" : "not",
		       xmm_after == 0x97 ? "as the handler set it" : "not");
	return 0;
}
