/* doctor.c - `k23 doctor`: find out, by trying each one, which interposition mechanisms this machine allows.
 *
 * Reading version numbers or config files is not enough: a container runtime's
 * seccomp profile, an LSM, a sysctl or a hypervisor can each take a mechanism
 * away on a kernel that nominally has it. So every kernel mechanism is probed
 * by using it, in a forked child, because a seccomp filter or an armed
 * dispatch cannot be undone. The child reports over a pipe, one line per
 * event ("S step", "Y detail", "N detail", "K key=value"), and the parent
 * judges by those lines and by how the child ended: a child killed by a
 * signal is reported with the step it was in.
 */
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "json.h"
#include "k23/compat.h"
#include "arch/x86_64/syscall.h"
#include "doctor.h"
#include "rt/syscall_table.h"

/* si_errno of the probes' SECCOMP_RET_TRAP: tells their traps from any other. */
#define PROBE_TRAP_DATA 0xd0c

/* A probe child that neither finishes nor dies within this is killed by
 * SIGALRM, so a kernel that loops on a trap cannot hang `k23 doctor`. */
#define PROBE_ALARM_S 10

/* ---- the probes' target: a syscall instruction at a known address range ---- */

/* Alone in its own section, so an SUD exempt range or a seccomp filter can name
 * it by address, the way k23 names its own text. noclone keeps gcc from
 * moving a specialised copy of it back into .text. */
__attribute__((noinline, noclone, used, section("k23_doctor_probe")))
static long probe_getppid(void)
{
	return k23_syscall0(SYS_getppid);
}

extern const char __start_k23_doctor_probe[], __stop_k23_doctor_probe[];

#define PROBE_START ((unsigned long)__start_k23_doctor_probe)
#define PROBE_END ((unsigned long)__stop_k23_doctor_probe)

/* ---- child side ---- */

static void say(int fd, char tag, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	buf[0] = tag;
	buf[1] = ' ';
	va_start(ap, fmt);
	n = vsnprintf(buf + 2, sizeof(buf) - 3, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	n = 2 + (n < (int)sizeof(buf) - 3 ? n : (int)sizeof(buf) - 4);
	buf[n++] = '\n';
	if (write(fd, buf, n) < 0)
		_exit(3);
}

static int fail(int fd, const char *what)
{
	say(fd, 'N', "%s: %s", what, strerror(errno));
	return 1;
}

/* What the last SIGSYS said. The SUD selector is reset to ALLOW first thing,
 * so the handler's own rt_sigreturn is not dispatched again. */
static volatile char sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
static volatile sig_atomic_t traps, trap_code, trap_nr, trap_data;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	traps++;
	trap_code = si->si_code;
	trap_nr = si->si_syscall;
	trap_data = si->si_errno;
}

static int catch_sigsys(int fd)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL))
		return fail(fd, "sigaction(SIGSYS)");
	return 0;
}

static void forget_traps(void)
{
	traps = trap_code = trap_nr = trap_data = 0;
}

static const char *code_name(int code)
{
	return code == SYS_USER_DISPATCH ? "SYS_USER_DISPATCH"
	     : code == SYS_SECCOMP ? "SYS_SECCOMP" : "unexpected si_code";
}

/* Exactly one SIGSYS with this si_code for this syscall, or a reason why not. */
static int expect_trap(int fd, int code, long nr, const char *what)
{
	if (traps == 1 && trap_code == code && trap_nr == nr &&
	    (code != SYS_SECCOMP || trap_data == PROBE_TRAP_DATA))
		return 0;
	if (traps == 0)
		say(fd, 'N', "%s: no SIGSYS", what);
	else
		say(fd, 'N', "%s: %d SIGSYS, last %s (%d) for syscall %d", what,
		    (int)traps, code_name(trap_code), (int)trap_code, (int)trap_nr);
	return 1;
}

static int arm_sud(int fd)
{
	say(fd, 'S', "arming Syscall User Dispatch");
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, PROBE_START,
		  PROBE_END - PROBE_START, (unsigned long)&sud_selector))
		return fail(fd, "prctl(PR_SET_SYSCALL_USER_DISPATCH)");
	return 0;
}

/* Traps getpid from anywhere and getppid issued from the probe section,
 * allows everything else. The address test is the one k23's filter makes;
 * the section must not straddle a 4 GiB line, as BPF compares 32 bits. */
static int install_filter(int fd)
{
	unsigned long lo = PROBE_START, hi = PROBE_END;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 9),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpid, 6, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 6),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer) + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)(lo >> 32), 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (unsigned)lo, 0, 2),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (unsigned)hi, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP | PROBE_TRAP_DATA),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	int nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);

	if (lo >> 32 != (hi - 1) >> 32) {
		say(fd, 'N', "probe section straddles a 4 GiB boundary");
		return 1;
	}
	say(fd, 'S', "installing a seccomp filter");
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0) {
		say(fd, 'K', "no_new_privs=%s",
		    nnp == 1 ? "already set" : "not needed, CAP_SYS_ADMIN");
		return 0;
	}
	/* Without CAP_SYS_ADMIN the kernel insists on no_new_privs. */
	if (errno != EACCES)
		return fail(fd, "seccomp(SECCOMP_SET_MODE_FILTER)");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return fail(fd, "prctl(PR_SET_NO_NEW_PRIVS)");
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return fail(fd, "seccomp(SECCOMP_SET_MODE_FILTER) with no_new_privs");
	say(fd, 'K', "no_new_privs=needed, no CAP_SYS_ADMIN");
	return 0;
}

/* A raw syscall outside the exempt range must raise SIGSYS/SYS_USER_DISPATCH;
 * one inside it must pass untouched. */
static int probe_sud(int fd)
{
	long r;

	if (catch_sigsys(fd) || arm_sud(fd))
		return 1;
	say(fd, 'S', "raw syscall outside the exempt range");
	sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	k23_syscall0(SYS_getppid);
	sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	if (expect_trap(fd, SYS_USER_DISPATCH, SYS_getppid, "blocked call"))
		return 1;
	forget_traps();
	say(fd, 'S', "raw syscall inside the exempt range");
	sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	r = probe_getppid();
	sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	if (traps || r <= 0) {
		say(fd, 'N', "exempt call trapped or failed (%ld)", r);
		return 1;
	}
	say(fd, 'Y', "SIGSYS with si_code SYS_USER_DISPATCH; exempt range honoured");
	return 0;
}

/* getppid from libc's text must pass; from the probe section it must trap. */
static int probe_seccomp(int fd)
{
	if (catch_sigsys(fd) || install_filter(fd))
		return 1;
	say(fd, 'S', "getppid outside the trapped range");
	if (syscall(SYS_getppid) <= 0 || traps) {
		say(fd, 'N', "filter trapped a call outside its address range");
		return 1;
	}
	say(fd, 'S', "getppid inside the trapped range");
	probe_getppid();
	if (expect_trap(fd, SYS_SECCOMP, SYS_getppid, "filtered call"))
		return 1;
	say(fd, 'Y', "SECCOMP_RET_TRAP on an instruction-pointer check");
	return 0;
}

/* --catch-all=both rests on SUD deciding first: a call SUD exempts must reach
 * the filter, a call SUD blocks must never reach it (the filter traps getpid
 * everywhere, so a SYS_SECCOMP for it would mean the filter ran first). */
static int probe_order(int fd)
{
	if (catch_sigsys(fd) || install_filter(fd) || arm_sud(fd))
		return 1;
	say(fd, 'S', "exempt call under both");
	sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	probe_getppid();
	sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	if (expect_trap(fd, SYS_SECCOMP, SYS_getppid, "exempt call"))
		return 1;
	forget_traps();
	say(fd, 'S', "blocked call under both");
	sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	k23_syscall0(SYS_getpid);
	sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
	if (expect_trap(fd, SYS_USER_DISPATCH, SYS_getpid, "blocked call"))
		return 1;
	say(fd, 'Y', "SUD decides first; calls it lets through reach the filter");
	return 0;
}

static int probe_io_uring(int fd)
{
	struct io_uring_params p;
	long ring;

	memset(&p, 0, sizeof(p));
	say(fd, 'S', "io_uring_setup");
	ring = syscall(SYS_io_uring_setup, 4, &p);
	if (ring < 0)
		return fail(fd, "io_uring_setup");
	close((int)ring);
	say(fd, 'Y', "io_uring_setup works, features 0x%x", p.features);
	return 0;
}

/* A zpoline-style trampoline needs page 0 mapped and executable: map it, put
 * a `ret` there and call it. The call steps over the red zone first. */
static int probe_page0(int fd)
{
	void *p;

	say(fd, 'S', "mmap MAP_FIXED at 0");
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED)
		return fail(fd, "mmap at 0");
	((volatile unsigned char *)p)[0] = 0xc3;
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC))
		return fail(fd, "mprotect(PROT_EXEC) at 0");
	say(fd, 'S', "calling address 0");
	__asm__ volatile("sub $128, %%rsp\n\tcall *%0\n\tadd $128, %%rsp"
			 : : "r"(p) : "memory", "cc");
	say(fd, 'Y', "mapped, and executed a call to address 0");
	return 0;
}

/* ---- parent side ---- */

enum { P_SUD, P_SECCOMP, P_ORDER, P_IO_URING, P_PAGE0, P_COUNT };

struct probe {
	const char *key;	/* JSON name */
	const char *label;	/* text label */
	int (*run)(int fd);	/* in the child; exit status 0 means it works */
};

static const struct probe probes[P_COUNT] = {
	[P_SUD] = { "sud", "syscall user dispatch", probe_sud },
	[P_SECCOMP] = { "seccomp", "seccomp filter", probe_seccomp },
	[P_ORDER] = { "sud_before_seccomp", "sud before seccomp", probe_order },
	[P_IO_URING] = { "io_uring", "io_uring", probe_io_uring },
	[P_PAGE0] = { "page0", "page 0 mappable", probe_page0 },
};

struct result {
	int ok;
	char detail[256];
	char note_key[32];
	char note_val[64];
};

static void set_detail(struct result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
}

/* Reads the child's lines; returns the last step it announced. */
static void parse_report(char *buf, struct result *r, char *step, size_t stepsz)
{
	char *line, *save = NULL, *eq;

	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strlen(line) < 2)
			continue;
		if (line[0] == 'S')
			snprintf(step, stepsz, "%s", line + 2);
		else if (line[0] == 'Y' || line[0] == 'N')
			set_detail(r, "%s", line + 2);
		else if (line[0] == 'K' && (eq = strchr(line, '='))) {
			*eq = '\0';
			snprintf(r->note_key, sizeof(r->note_key), "%s", line + 2);
			snprintf(r->note_val, sizeof(r->note_val), "%s", eq + 1);
		}
	}
}

static void child(const struct probe *p, int fd)
{
	alarm(PROBE_ALARM_S);
	_exit(p->run(fd) ? 1 : 0);
}

static void run_probe(const struct probe *p, struct result *r)
{
	char buf[4096], step[128] = "starting";
	size_t len = 0;
	ssize_t n;
	int fds[2], status;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe2(fds, O_CLOEXEC)) {
		set_detail(r, "pipe: %s", strerror(errno));
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		set_detail(r, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		child(p, fds[1]);
	}
	close(fds[1]);
	while (len < sizeof(buf) - 1 &&
	       ((n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0 ||
		(n < 0 && errno == EINTR)))
		len += n > 0 ? (size_t)n : 0;
	buf[len] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			set_detail(r, "waitpid: %s", strerror(errno));
			return;
		}
	parse_report(buf, r, step, sizeof(step));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		r->ok = 1;
	else if (WIFSIGNALED(status))
		set_detail(r, "probe died by %s during: %s",
			   WTERMSIG(status) < 32 && k23_signal_names[WTERMSIG(status)]
				   ? k23_signal_names[WTERMSIG(status)] : "an unknown signal",
			   step);
	else if (!r->detail[0])
		set_detail(r, "probe exited %d during: %s", WEXITSTATUS(status), step);
}

/* ---- facts read without probing ---- */

/* A sysctl's integer value, or -1 if the file is absent or unreadable. */
static long read_sysctl(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Whether this process holds capability bit cap in its effective set. */
static int has_cap(int cap)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	unsigned long long eff = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (int)(eff >> cap & 1);
}

#define CAP_SYS_RAWIO_BIT 17

/* What the dispatcher must save and restore across a call: the vector state the
 * OS has enabled (XCR0) and how large an XSAVE area holding it is. */
struct cpu {
	int avx, avx_os, avx512, avx512_os, xsave, osxsave, xsaveopt, xsavec, pku, ospke;
	unsigned long long xcr0;
	unsigned xsave_size;
};

static void read_cpu(struct cpu *c)
{
	unsigned a, b, cx, d, lo, hi;

	memset(c, 0, sizeof(*c));
	if (__get_cpuid(1, &a, &b, &cx, &d)) {
		c->xsave = cx >> 26 & 1;
		c->osxsave = cx >> 27 & 1;
		c->avx = cx >> 28 & 1;
	}
	if (__get_cpuid_count(7, 0, &a, &b, &cx, &d)) {
		c->avx512 = b >> 16 & 1;
		c->pku = cx >> 3 & 1;
		c->ospke = cx >> 4 & 1;
	}
	if (c->osxsave) {
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		c->xcr0 = (unsigned long long)hi << 32 | lo;
	}
	/* XCR0 bits: 1 SSE, 2 AVX, 5-7 opmask/ZMM_Hi256/Hi16_ZMM. */
	c->avx_os = c->avx && (c->xcr0 & 0x6) == 0x6;
	c->avx512_os = c->avx512 && (c->xcr0 & 0xe6) == 0xe6;
	if (c->xsave && __get_cpuid_count(0xd, 0, &a, &b, &cx, &d))
		c->xsave_size = b;
	if (c->xsave && __get_cpuid_count(0xd, 1, &a, &b, &cx, &d)) {
		c->xsaveopt = a & 1;
		c->xsavec = a >> 1 & 1;
	}
}

/* ---- report ---- */

struct report {
	struct utsname uts;
	struct result r[P_COUNT];
	struct cpu cpu;
	long mmap_min_addr, io_uring_disabled;
	int rawio;
};

struct row {
	const char *key, *label;
	int ok;
	char detail[320];
};

enum { R_HYBRID, R_SUD, R_SECCOMP, R_BOTH, R_PAGE0, R_MODES };

/* Which k23 modes the probes allow. */
static void judge_modes(const struct report *rep, struct row *m)
{
	const struct result *sec = &rep->r[P_SECCOMP];

	m[R_HYBRID] = (struct row){ "hybrid", "--catch-all=hybrid",
				    rep->r[P_SUD].ok && sec->ok && rep->r[P_ORDER].ok, "" };
	m[R_SUD] = (struct row){ "sud", "--catch-all=sud", rep->r[P_SUD].ok, "" };
	m[R_SECCOMP] = (struct row){ "seccomp", "--catch-all=seccomp", sec->ok, "" };
	m[R_BOTH] = (struct row){ "both", "--catch-all=both",
				  rep->r[P_SUD].ok && sec->ok && rep->r[P_ORDER].ok, "" };
	m[R_PAGE0] = (struct row){ "page0_patch", "--patch=page0",
				   rep->r[P_PAGE0].ok, "" };
	if (sec->ok && !strncmp(sec->note_val, "needed", 6))
		snprintf(m[R_SECCOMP].detail, sizeof(m[R_SECCOMP].detail),
			 "sets no_new_privs: setuid programs run without their privileges");
	else if (sec->ok)
		snprintf(m[R_SECCOMP].detail, sizeof(m[R_SECCOMP].detail),
			 "no_new_privs %s", sec->note_val);
	if (!m[R_HYBRID].ok)
		snprintf(m[R_HYBRID].detail, sizeof(m[R_HYBRID].detail), "%s",
			 sec->ok ? "k23 falls back to --catch-all=seccomp without SUD"
				 : "needs SUD, seccomp, and SUD deciding first");
	if (!m[R_BOTH].ok)
		snprintf(m[R_BOTH].detail, sizeof(m[R_BOTH].detail),
			 "needs SUD, seccomp, and SUD deciding first");
	snprintf(m[R_PAGE0].detail, sizeof(m[R_PAGE0].detail),
		 m[R_PAGE0].ok ? "zpoline-style trampoline at address 0"
			       : "needs page 0 mapped and executable");
}

/* Probe results with the facts the parent knows added to the detail. */
static void probe_rows(const struct report *rep, struct row *rows)
{
	int i;

	for (i = 0; i < P_COUNT; i++) {
		const struct result *r = &rep->r[i];

		rows[i] = (struct row){ probes[i].key, probes[i].label, r->ok, "" };
		snprintf(rows[i].detail, sizeof(rows[i].detail), "%s", r->detail);
	}
	if (rep->r[P_SECCOMP].note_val[0]) {
		size_t n = strlen(rows[P_SECCOMP].detail);
		snprintf(rows[P_SECCOMP].detail + n, sizeof(rows[P_SECCOMP].detail) - n,
			 "; no_new_privs %s", rep->r[P_SECCOMP].note_val);
	}
	if (rep->io_uring_disabled >= 0) {
		size_t n = strlen(rows[P_IO_URING].detail);
		snprintf(rows[P_IO_URING].detail + n, sizeof(rows[P_IO_URING].detail) - n,
			 "; kernel.io_uring_disabled=%ld", rep->io_uring_disabled);
	}
	if (rep->mmap_min_addr >= 0) {
		size_t n = strlen(rows[P_PAGE0].detail);
		snprintf(rows[P_PAGE0].detail + n, sizeof(rows[P_PAGE0].detail) - n,
			 "; vm.mmap_min_addr=%ld%s", rep->mmap_min_addr,
			 rep->r[P_PAGE0].ok && rep->mmap_min_addr > 0 && rep->rawio
				 ? ", overridden by CAP_SYS_RAWIO" : "");
	}
}

static void print_row(const char *label, const char *yes, const char *detail)
{
	if (detail[0])
		printf("%-26s%-5s(%s)\n", label, yes, detail);
	else
		printf("%-26s%s\n", label, yes);
}

static void print_text(const struct report *rep, const struct row *rows, const struct row *modes)
{
	const struct cpu *c = &rep->cpu;
	char buf[160];
	int i;

	printf("%-26s%s %s %s\n", "kernel", rep->uts.sysname, rep->uts.release,
	       rep->uts.machine);
	for (i = 0; i < P_COUNT; i++)
		print_row(rows[i].label, rows[i].ok ? "yes" : "no", rows[i].detail);
	print_row("cpu avx", c->avx_os ? "yes" : "no",
		  c->avx && !c->avx_os ? "CPU has it, OS has not enabled it" : "");
	print_row("cpu avx-512", c->avx512_os ? "yes" : "no",
		  c->avx512 && !c->avx512_os ? "CPU has it, OS has not enabled it" : "");
	snprintf(buf, sizeof(buf), "%s%sarea %u bytes for XCR0=0x%llx",
		 c->xsaveopt ? "xsaveopt, " : "", c->xsavec ? "xsavec, " : "",
		 c->xsave_size, c->xcr0);
	print_row("cpu xsave", c->xsave && c->osxsave ? "yes" : "no", c->osxsave ? buf : "");
	print_row("cpu pku", c->pku && c->ospke ? "yes" : "no", "");
	printf("\nk23 modes this machine allows\n");
	for (i = 0; i < R_MODES; i++)
		print_row(modes[i].label, modes[i].ok ? "yes" : "no", modes[i].detail);
}


/* A sysctl value; null where the file is absent. */
static void json_long(long v)
{
	if (v < 0)
		printf("null");
	else
		printf("%ld", v);
}

static void json_row(const struct row *r, const struct result *res, const char *sep)
{
	printf("    ");
	k23_json_str(r->key);
	printf(": {\"ok\": %s, \"detail\": ", r->ok ? "true" : "false");
	k23_json_str(r->detail);
	if (res && res->note_key[0]) {
		printf(", ");
		k23_json_str(res->note_key);
		printf(": ");
		k23_json_str(res->note_val);
	}
	printf("}%s\n", sep);
}

static void print_json(const struct report *rep, const struct row *rows, const struct row *modes)
{
	const struct cpu *c = &rep->cpu;
	int i;

	printf("{\n  \"kernel\": {\"sysname\": ");
	k23_json_str(rep->uts.sysname);
	printf(", \"release\": ");
	k23_json_str(rep->uts.release);
	printf(", \"version\": ");
	k23_json_str(rep->uts.version);
	printf(", \"machine\": ");
	k23_json_str(rep->uts.machine);
	printf("},\n  \"probes\": {\n");
	for (i = 0; i < P_COUNT; i++)
		json_row(&rows[i], &rep->r[i], i + 1 < P_COUNT ? "," : "");
	printf("  },\n  \"sysctl\": {\"vm.mmap_min_addr\": ");
	json_long(rep->mmap_min_addr);
	printf(", \"kernel.io_uring_disabled\": ");
	json_long(rep->io_uring_disabled);
	printf("},\n");
	printf("  \"cpu\": {\"avx\": %s, \"avx512\": %s, \"xsave\": %s, \"xsaveopt\": %s, "
	       "\"xsavec\": %s, \"xsave_size\": %u, \"xcr0\": \"0x%llx\", \"pku\": %s},\n",
	       c->avx_os ? "true" : "false", c->avx512_os ? "true" : "false",
	       c->xsave && c->osxsave ? "true" : "false", c->xsaveopt ? "true" : "false",
	       c->xsavec ? "true" : "false", c->xsave_size, c->xcr0,
	       c->pku && c->ospke ? "true" : "false");
	printf("  \"modes\": {\n");
	for (i = 0; i < R_MODES; i++)
		json_row(&modes[i], NULL, i + 1 < R_MODES ? "," : "");
	printf("  }\n}\n");
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: k23 doctor [--json]\n"
		"Tries each interposition mechanism in a child process (Syscall User\n"
		"Dispatch, seccomp, io_uring, page 0) and reports which k23 modes work.\n"
		"Exit status: 0 if SUD or seccomp works, 1 if neither, 2 on usage error.\n");
}

int k23_doctor(int argc, char **argv)
{
	struct report rep;
	struct row rows[P_COUNT], modes[R_MODES];
	int i, json = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "k23 doctor: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	memset(&rep, 0, sizeof(rep));
	uname(&rep.uts);	/* on failure the fields stay empty */
	for (i = 0; i < P_COUNT; i++)
		run_probe(&probes[i], &rep.r[i]);
	read_cpu(&rep.cpu);
	rep.mmap_min_addr = read_sysctl("/proc/sys/vm/mmap_min_addr");
	rep.io_uring_disabled = read_sysctl("/proc/sys/kernel/io_uring_disabled");
	rep.rawio = has_cap(CAP_SYS_RAWIO_BIT);
	probe_rows(&rep, rows);
	judge_modes(&rep, modes);
	if (json)
		print_json(&rep, rows, modes);
	else
		print_text(&rep, rows, modes);
	fflush(stdout);
	return rep.r[P_SUD].ok || rep.r[P_SECCOMP].ok ? 0 : 1;
}
