/* test_seccomp_filter.c - k23's seccomp catch-all, run on synthesized seccomp_data by a small cBPF interpreter.
 *
 * The kernel here may not issue some of these (an i386 call needs
 * CONFIG_IA32_EMULATION, x32 needs CONFIG_X86_X32_ABI, other architectures
 * none at all), so the filter's verdict for each is checked here, on the
 * program k23 installs (online/catchall/seccomp_filter.c), in both its
 * shapes: every call judged by address (--catch-all=seccomp, both) and by
 * number (the default's backstop). For the latter, the kernel's own
 * cacheability emulation (kernel/seccomp.c, seccomp_is_const_allow) is run
 * on it for every x86-64 and i386 number: the numbers the kernel answers
 * from its action cache without running the filter must be exactly those
 * outside k23_filter_checked.
 *
 * Also the prologue k23 puts before a program's own filter
 * (online/catchall/own_filter.c): k23's own calls pass it only from their
 * sites and numbers, everything else gets the program's verdict, and the
 * numbers no site needs keep the program filter's cacheability.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <asm/unistd.h>

#include "online/core/rt.h"
#include "online/catchall/seccomp_filter.h"
#include "online/catchall/own_filter.h"

#define START 0x23001000UL
#define END 0x2304ffffUL
#define INT80 0x23002345UL
#define TRAP (SECCOMP_RET_TRAP | K23_SECCOMP_TRAP_DATA)

/* The classic BPF the filters use: LD W ABS, JEQ/JGE/JGT/JSET K, JA, AND K,
 * RET K. */
static uint32_t run(const struct sock_filter *f, int n, const struct seccomp_data *d)
{
	uint32_t a = 0;

	for (int pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			assert_true(i->k + 4 <= sizeof(*d) && !(i->k & 3));
			memcpy(&a, (const char *)d + i->k, 4);
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += a > i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += (a & i->k) ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JA:
			pc += i->k;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= i->k;
			break;
		case BPF_RET | BPF_K:
			return i->k;
		default:
			fail_msg("unexpected BPF instruction %#x at %d", i->code, pc);
		}
	}
	fail_msg("ran off the end of the filter");
	return 0;
}

static int by_number;	/* the shape verdict() builds */

static uint32_t verdict(uint32_t arch, int nr, unsigned long ip)
{
	struct sock_filter f[K23_FILTER_MAX];
	struct seccomp_data d;
	int n = k23_seccomp_program(f, START, END, INT80, by_number);

	assert_true(n > 0 && n <= K23_FILTER_MAX);
	memset(&d, 0, sizeof(d));
	d.arch = arch;
	d.nr = nr;
	d.instruction_pointer = ip;
	return run(f, n, &d);
}

static void test_x86_64(void **state)
{
	(void)state;
	assert_int_equal(verdict(AUDIT_ARCH_X86_64, 39, START), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(AUDIT_ARCH_X86_64, 39, END), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(AUDIT_ARCH_X86_64, 39, START - 1), TRAP);
	assert_int_equal(verdict(AUDIT_ARCH_X86_64, 39, END + 1), TRAP);
	assert_int_equal(verdict(AUDIT_ARCH_X86_64, 39, 0x7f0000401000UL), TRAP);
	/* Same low word as k23's text, another upper word. */
	assert_int_equal(verdict(AUDIT_ARCH_X86_64, 39, START + (1UL << 32)), TRAP);
}

static int checked(int nr)
{
	for (int k = 0; k < k23_filter_nchecked; k++)
		if (k23_filter_checked[k] == nr)
			return 1;
	return 0;
}

/* The backstop: the checked calls as above, every other number allowed
 * wherever it comes from. */
static void test_by_number(void **state)
{
	(void)state;
	by_number = 1;
	for (int nr = 0; nr < 512; nr++) {
		uint32_t want = checked(nr) ? TRAP : SECCOMP_RET_ALLOW;

		assert_int_equal(verdict(AUDIT_ARCH_X86_64, nr, 0x7f0000401000UL), want);
		assert_int_equal(verdict(AUDIT_ARCH_X86_64, nr, START - 1), want);
		assert_int_equal(verdict(AUDIT_ARCH_X86_64, nr, END + 1), want);
		assert_int_equal(verdict(AUDIT_ARCH_X86_64, nr, START + (1UL << 32)), want);
		assert_int_equal(verdict(AUDIT_ARCH_X86_64, nr, START), SECCOMP_RET_ALLOW);
		assert_int_equal(verdict(AUDIT_ARCH_X86_64, nr, END), SECCOMP_RET_ALLOW);
	}
	assert_true(checked(__NR_clone) && checked(__NR_clone3) && checked(__NR_fork) &&
		    checked(__NR_vfork) && checked(__NR_execve) && checked(__NR_execveat) &&
		    checked(__NR_prctl) && checked(__NR_ptrace) && checked(__NR_mmap) &&
		    checked(__NR_munmap) && checked(__NR_mprotect) && checked(__NR_mremap));
	by_number = 0;
}

/* The kernel's emulation (kernel/seccomp.c, seccomp_is_const_allow, Linux
 * 5.11 and later): a number is cached as allowed only if the filter reaches
 * RET ALLOW loading nothing but nr and arch. */
static int const_allow(const struct sock_filter *f, int n, uint32_t arch, uint32_t nr)
{
	uint32_t a = 0;
	int res;

	for (int pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k == offsetof(struct seccomp_data, nr))
				a = nr;
			else if (i->k == offsetof(struct seccomp_data, arch))
				a = arch;
			else
				return 0;
			break;
		case BPF_RET | BPF_K:
			return i->k == SECCOMP_RET_ALLOW;
		case BPF_JMP | BPF_JA:
			pc += i->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K:
			switch (BPF_OP(i->code)) {
			case BPF_JEQ: res = a == i->k; break;
			case BPF_JGE: res = a >= i->k; break;
			case BPF_JGT: res = a > i->k; break;
			default: res = (a & i->k) != 0; break;
			}
			pc += res ? i->jt : i->jf;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= i->k;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

static void test_action_cache(void **state)
{
	struct sock_filter f[K23_FILTER_MAX];
	int n, cached = 0;

	(void)state;
	n = k23_seccomp_program(f, START, END, INT80, 1);
	assert_true(n > 0 && n <= K23_FILTER_MAX);
	for (int nr = 0; nr < 512; nr++) {
		assert_int_equal(const_allow(f, n, AUDIT_ARCH_X86_64, nr), !checked(nr));
		cached += !checked(nr);
		/* i386 calls are judged by address: never cached. */
		assert_false(const_allow(f, n, AUDIT_ARCH_I386, nr));
	}
	assert_true(cached > 400);
	assert_true(const_allow(f, n, AUDIT_ARCH_X86_64, __NR_getppid));
	assert_true(const_allow(f, n, AUDIT_ARCH_X86_64, __NR_read));
	assert_true(const_allow(f, n, AUDIT_ARCH_X86_64, __NR_write));
	/* The filter that judges every call by address: nothing cached. */
	n = k23_seccomp_program(f, START, END, INT80, 0);
	for (int nr = 0; nr < 512; nr++)
		assert_false(const_allow(f, n, AUDIT_ARCH_X86_64, nr));
}

static void test_x32(void **state)
{
	(void)state;
	for (by_number = 0; by_number < 2; by_number++) {
	/* x32 numbers arrive as AUDIT_ARCH_X86_64 with __X32_SYSCALL_BIT:
	 * trapped from the program, allowed only as k23's own re-issue. */
	assert_int_equal(verdict(AUDIT_ARCH_X86_64, 0x40000000 | 39, 0x401000), TRAP);
	assert_int_equal(verdict(AUDIT_ARCH_X86_64, 0x40000000 | 39, START + 16), SECCOMP_RET_ALLOW);
	}
	by_number = 0;
}

static void test_i386(void **state)
{
	(void)state;
	for (by_number = 0; by_number < 2; by_number++) {
	assert_int_equal(verdict(AUDIT_ARCH_I386, 20, 0x401000), TRAP);
	/* Anywhere in k23's text but its one int $0x80: trapped too. */
	assert_int_equal(verdict(AUDIT_ARCH_I386, 20, START), TRAP);
	assert_int_equal(verdict(AUDIT_ARCH_I386, 20, INT80 + 2), TRAP);
	assert_int_equal(verdict(AUDIT_ARCH_I386, 20, INT80), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(AUDIT_ARCH_I386, 20, INT80 + (1UL << 32)), TRAP);
	}
	by_number = 0;
}

static void test_other_arch(void **state)
{
	(void)state;
	for (by_number = 0; by_number < 2; by_number++) {
	assert_int_equal(verdict(AUDIT_ARCH_AARCH64, 172, START), TRAP);
	assert_int_equal(verdict(AUDIT_ARCH_X86_64 & ~__AUDIT_ARCH_LE, 39, START), TRAP);
	assert_int_equal(verdict(0, 0, START), TRAP);
	}
	by_number = 0;
}

static void test_range_checked(void **state)
{
	struct sock_filter f[K23_FILTER_MAX];

	(void)state;
	for (int b = 0; b < 2; b++) {
		assert_int_equal(k23_seccomp_program(f, 0xfffff000UL, 0x100000fffUL, 0xfffff100UL, b), -1);
		assert_int_equal(k23_seccomp_program(f, START, END, INT80 + (1UL << 32), b), -1);
	}
}

/* --- the prologue before a program's own filter --------------------------- */

#define PROG_IP 0x401234UL
#define MAXF (K23_OWN_PROLOGUE_MAX + 16)

/* A program's allow-list: write and exit_group, EPERM for the rest, killed
 * for another architecture. */
static int program_filter(struct sock_filter *f)
{
	int i = 0;

	f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_write, 2, 0);
	f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 1, 0);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return i;
}

static int with_prologue(struct sock_filter *f)
{
	int p = k23_own_prologue(f, K23_OWN_PROLOGUE_MAX, k23_own_sites, k23_own_nsites,
				 k23_own_args, k23_own_nargs);

	assert_true(p > 0 && p <= K23_OWN_PROLOGUE_MAX);
	return p + program_filter(f + p);
}

static uint32_t judge_arg(const struct sock_filter *f, int n, uint32_t arch, int nr,
			  unsigned long ip, int arg, uint64_t val)
{
	struct seccomp_data d;

	memset(&d, 0, sizeof(d));
	d.arch = arch;
	d.nr = nr;
	d.instruction_pointer = ip;
	if (arg >= 0)
		d.args[arg] = val;
	return run(f, n, &d);
}

static uint32_t judge(const struct sock_filter *f, int n, uint32_t arch, int nr, unsigned long ip)
{
	return judge_arg(f, n, arch, nr, ip, -1, 0);
}

static int site_allows(int s, int nr)
{
	for (int j = 0; j < k23_own_sites[s].n; j++)
		if (k23_own_sites[s].nrs[j] == nr)
			return 1;
	return 0;
}

static const struct k23_own_arg *arg_rule(int nr)
{
	for (int i = 0; i < k23_own_nargs; i++)
		if (k23_own_args[i].nr == nr)
			return &k23_own_args[i];
	return 0;
}

/* Number nr at a site that may make it: a number with an argument rule
 * passes with each of its values (any upper 32 bits, which the kernel
 * drops for an int) and gets the program's verdict with any other. */
static void check_allowed(const struct sock_filter *f, int n, int nr, unsigned long ip, uint32_t prog)
{
	const struct k23_own_arg *c = arg_rule(nr);

	if (!c) {
		assert_int_equal(judge(f, n, AUDIT_ARCH_X86_64, nr, ip), SECCOMP_RET_ALLOW);
		return;
	}
	for (int v = 0; v < c->n; v++) {
		assert_int_equal(judge_arg(f, n, AUDIT_ARCH_X86_64, nr, ip, c->arg, c->vals[v]),
				 SECCOMP_RET_ALLOW);
		assert_int_equal(judge_arg(f, n, AUDIT_ARCH_X86_64, nr, ip, c->arg,
					   c->vals[v] | 0xffffffff00000000ULL), SECCOMP_RET_ALLOW);
		assert_int_equal(judge_arg(f, n, AUDIT_ARCH_X86_64, nr, ip, c->arg, c->vals[v] + 1),
				 prog);
		assert_int_equal(judge_arg(f, n, AUDIT_ARCH_X86_64, nr, PROG_IP, c->arg, c->vals[v]),
				 prog);
	}
	for (int a = 0; a < 6; a++)
		if (a != c->arg)
			assert_int_equal(judge_arg(f, n, AUDIT_ARCH_X86_64, nr, ip, a, c->vals[0] + 1),
					 c->vals[0] == 0 ? SECCOMP_RET_ALLOW : prog);
}

static void test_own_prologue(void **state)
{
	struct sock_filter f[MAXF], alone[16];
	int n = with_prologue(f), na = program_filter(alone);
	unsigned long own = k23_own_sites[0].ip;

	(void)state;
	/* Every site, every number: allowed exactly where the site may make
	 * it (with the argument k23 makes it with), else what the program's
	 * filter says - at any other address too, and for another
	 * architecture. */
	for (int s = 0; s < k23_own_nsites; s++) {
		unsigned long ip = k23_own_sites[s].ip;

		for (int nr = 0; nr < 512; nr++) {
			uint32_t prog = judge(alone, na, AUDIT_ARCH_X86_64, nr, ip);

			if (site_allows(s, nr))
				check_allowed(f, n, nr, ip, prog);
			else
				assert_int_equal(judge(f, n, AUDIT_ARCH_X86_64, nr, ip), prog);
			assert_int_equal(judge(f, n, AUDIT_ARCH_X86_64, nr, PROG_IP), prog);
			assert_int_equal(judge(f, n, AUDIT_ARCH_X86_64, nr, ip - 2), prog);
			assert_int_equal(judge(f, n, AUDIT_ARCH_X86_64, nr, ip + (1UL << 32)), prog);
			assert_int_equal(judge(f, n, AUDIT_ARCH_I386, nr, ip),
					 SECCOMP_RET_KILL_PROCESS);
			assert_int_equal(judge(f, n, AUDIT_ARCH_X86_64, nr | 0x40000000, ip),
					 judge(alone, na, AUDIT_ARCH_X86_64, nr | 0x40000000, ip));
		}
	}
	/* The ones the defect was about. */
	assert_int_equal(judge(f, n, AUDIT_ARCH_X86_64, __NR_gettid, own), SECCOMP_RET_ALLOW);
	assert_int_equal(judge(f, n, AUDIT_ARCH_X86_64, __NR_gettid, PROG_IP), SECCOMP_RET_ERRNO | 1);
	assert_int_equal(judge(f, n, AUDIT_ARCH_X86_64, __NR_getppid, own), SECCOMP_RET_ERRNO | 1);
	assert_int_equal(judge(f, n, AUDIT_ARCH_X86_64, __NR_rt_sigreturn, own), SECCOMP_RET_ERRNO | 1);
	assert_int_equal(judge(f, n, AUDIT_ARCH_X86_64, __NR_execve, own), SECCOMP_RET_ERRNO | 1);
	assert_int_equal(judge(f, n, AUDIT_ARCH_X86_64, __NR_clone, own), SECCOMP_RET_ERRNO | 1);
	/* prctl from k23's instruction: arming Syscall User Dispatch only,
	 * not PR_SET_PTRACER (0x59616d61) nor PR_SET_DUMPABLE (4). */
	assert_int_equal(judge_arg(f, n, AUDIT_ARCH_X86_64, __NR_prctl, own, 0, 59), SECCOMP_RET_ALLOW);
	assert_int_equal(judge_arg(f, n, AUDIT_ARCH_X86_64, __NR_prctl, own, 0, 0x59616d61),
			 SECCOMP_RET_ERRNO | 1);
	assert_int_equal(judge_arg(f, n, AUDIT_ARCH_X86_64, __NR_prctl, own, 0, 4), SECCOMP_RET_ERRNO | 1);
	/* prlimit64 of another process */
	assert_int_equal(judge_arg(f, n, AUDIT_ARCH_X86_64, __NR_prlimit64, own, 0, 1),
			 SECCOMP_RET_ERRNO | 1);
}

/* A number no site needs keeps the program's cacheability; one a site
 * needs is never cached as ALLOW (its instruction pointer is read). */
static void test_own_prologue_cache(void **state)
{
	struct sock_filter f[MAXF], alone[16];
	int n = with_prologue(f), na = program_filter(alone), needed;

	(void)state;
	for (int nr = 0; nr < 512; nr++) {
		needed = 0;
		for (int s = 0; s < k23_own_nsites; s++)
			needed |= site_allows(s, nr);
		if (needed)
			assert_false(const_allow(f, n, AUDIT_ARCH_X86_64, nr));
		else
			assert_int_equal(const_allow(f, n, AUDIT_ARCH_X86_64, nr),
					 const_allow(alone, na, AUDIT_ARCH_X86_64, nr));
	}
	/* A deny-list (everything but getppid allowed): what no site needs
	 * stays cached behind the prologue. */
	{
		struct sock_filter deny[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		int p = k23_own_prologue(f, K23_OWN_PROLOGUE_MAX, k23_own_sites, k23_own_nsites,
					 k23_own_args, k23_own_nargs);

		memcpy(f + p, deny, sizeof(deny));
		n = p + 4;
		assert_true(const_allow(f, n, AUDIT_ARCH_X86_64, __NR_getuid));
		assert_true(const_allow(f, n, AUDIT_ARCH_X86_64, __NR_socket));
		assert_true(const_allow(f, n, AUDIT_ARCH_X86_64, __NR_futex));
		assert_false(const_allow(f, n, AUDIT_ARCH_X86_64, __NR_getppid));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86_64),
		cmocka_unit_test(test_by_number),
		cmocka_unit_test(test_action_cache),
		cmocka_unit_test(test_x32),
		cmocka_unit_test(test_i386),
		cmocka_unit_test(test_other_arch),
		cmocka_unit_test(test_range_checked),
		cmocka_unit_test(test_own_prologue),
		cmocka_unit_test(test_own_prologue_cache),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
