/* test_seccomp_filter.c - k23's seccomp catch-all, run on synthesized seccomp_data by a small cBPF interpreter.
 *
 * The kernel here may not issue some of these (an i386 call needs
 * CONFIG_IA32_EMULATION, x32 needs CONFIG_X86_X32_ABI, other architectures
 * none at all), so the filter's verdict for each is checked here, on the
 * program k23 installs (online/catchall/seccomp_filter.c).
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

#include "online/core/rt.h"
#include "online/catchall/seccomp_filter.h"

#define START 0x23001000UL
#define END 0x2304ffffUL
#define INT80 0x23002345UL
#define TRAP (SECCOMP_RET_TRAP | K23_SECCOMP_TRAP_DATA)

/* The classic BPF the filter uses: LD W ABS, JEQ/JGE/JGT/JSET K, RET K. */
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
		case BPF_RET | BPF_K:
			return i->k;
		default:
			fail_msg("unexpected BPF instruction %#x at %d", i->code, pc);
		}
	}
	fail_msg("ran off the end of the filter");
	return 0;
}

static uint32_t verdict(uint32_t arch, int nr, unsigned long ip)
{
	struct sock_filter f[K23_FILTER_MAX];
	struct seccomp_data d;
	int n = k23_seccomp_program(f, START, END, INT80);

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

static void test_x32(void **state)
{
	(void)state;
	/* x32 numbers arrive as AUDIT_ARCH_X86_64 with __X32_SYSCALL_BIT:
	 * trapped from the program, allowed only as k23's own re-issue. */
	assert_int_equal(verdict(AUDIT_ARCH_X86_64, 0x40000000 | 39, 0x401000), TRAP);
	assert_int_equal(verdict(AUDIT_ARCH_X86_64, 0x40000000 | 39, START + 16), SECCOMP_RET_ALLOW);
}

static void test_i386(void **state)
{
	(void)state;
	assert_int_equal(verdict(AUDIT_ARCH_I386, 20, 0x401000), TRAP);
	/* Anywhere in k23's text but its one int $0x80: trapped too. */
	assert_int_equal(verdict(AUDIT_ARCH_I386, 20, START), TRAP);
	assert_int_equal(verdict(AUDIT_ARCH_I386, 20, INT80 + 2), TRAP);
	assert_int_equal(verdict(AUDIT_ARCH_I386, 20, INT80), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(AUDIT_ARCH_I386, 20, INT80 + (1UL << 32)), TRAP);
}

static void test_other_arch(void **state)
{
	(void)state;
	assert_int_equal(verdict(AUDIT_ARCH_AARCH64, 172, START), TRAP);
	assert_int_equal(verdict(AUDIT_ARCH_X86_64 & ~__AUDIT_ARCH_LE, 39, START), TRAP);
	assert_int_equal(verdict(0, 0, START), TRAP);
}

static void test_range_checked(void **state)
{
	struct sock_filter f[K23_FILTER_MAX];

	(void)state;
	assert_int_equal(k23_seccomp_program(f, 0xfffff000UL, 0x100000fffUL, 0xfffff100UL), -1);
	assert_int_equal(k23_seccomp_program(f, START, END, INT80 + (1UL << 32)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86_64),
		cmocka_unit_test(test_x32),
		cmocka_unit_test(test_i386),
		cmocka_unit_test(test_other_arch),
		cmocka_unit_test(test_range_checked),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
