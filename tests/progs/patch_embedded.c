/* patch_embedded.c - code whose bytes hold 0f 05 (syscall) and 0f 34 (sysenter) inside other instructions, executed next to real syscalls.
 *
 *   patch_embedded [N]      N rounds (default 1000)
 *
 * A patcher that took any 0f 05 / 0f 34 byte pair for a syscall would break
 * these instructions: their immediates, displacements and the operands that
 * straddle two instructions would change, and the printed results with them.
 * Each function below executes such an instruction and returns what it
 * computed; main sums the results over N rounds and prints them. The real
 * system calls are raw `syscall` instructions in inline assembly (inside
 * functions, so .eh_frame covers them and k23 prepare can plan a patch)
 * and libc calls. Output depends only on N: the program prints values it
 * can check itself (the pid returned by the raw getpid equals libc's), never
 * the pid itself.
 *
 * The last line, "raw syscalls N", is how many system calls the program made
 * through its own syscall instructions (not libc's).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long raw_calls;

/* mov $0x050f,%eax: b8 0f 05 00 00 */
static __attribute__((noinline)) long imm_mov(void)
{
	long r;
	__asm__ volatile("mov $0x050f, %%eax" : "=a"(r));
	return r;
}

/* cmp $0x340f050f,%eax: 3d 0f 05 0f 34 (both pairs); the flags are the result. */
static __attribute__((noinline)) long imm_cmp(long v)
{
	long r = v;
	unsigned char eq;
	__asm__ volatile("cmp $0x340f050f, %%eax\n\tsete %1" : "+a"(r), "=q"(eq));
	return eq;
}

/* cmpl $0x12340f05,(mem): 81 3c 24 / 81 7c .. with 05 0f 34 12: sysenter bytes in the immediate. */
static __attribute__((noinline)) long imm_cmpl_mem(uint32_t *p)
{
	unsigned char eq;
	__asm__ volatile("cmpl $0x12340f05, %1\n\tsete %0" : "=q"(eq) : "m"(*p));
	return eq;
}

/* lea 0x50f(%rip),%rax: 48 8d 05 0f 05 00 00 - the ModRM byte 05 then 0f 05.
 * The result is the address of the lea's end plus 0x50f; returning the
 * difference to the function's own address keeps it position independent. */
static __attribute__((noinline)) long disp_lea(void)
{
	long r, here;
	__asm__ volatile("lea 0x50f(%%rip), %0\n\t"
			 "1: lea 1b(%%rip), %1" : "=&r"(r), "=&r"(here));
	return r - here;
}

/* mov 0x50f(%rdi),%eax: 8b 87 0f 05 00 00 - a load through a displacement. */
static __attribute__((noinline)) long disp_load(const unsigned char *base)
{
	long r;
	__asm__ volatile("movzbl 0x50f(%1), %k0" : "=r"(r) : "r"(base) : "memory");
	return r;
}

/* add $0x0f,%al; add $0x01020305,%eax: 04 0f | 05 05 03 02 01 - the pair
 * 0f 05 straddles two instructions. */
static __attribute__((noinline)) long straddle(long v)
{
	long r = v;
	__asm__ volatile("add $0x0f, %%al\n\tadd $0x01020305, %%eax" : "+a"(r));
	return r;
}

/* movabs $0x34050f340f050f05,%rax: both pairs, several times, in a 64-bit immediate. */
static __attribute__((noinline)) long movabs(void)
{
	long r;
	__asm__ volatile("movabs $0x34050f340f050f05, %0" : "=a"(r));
	return r;
}

/* mov $0x340f,%ecx: b9 0f 34 00 00 - sysenter bytes. */
static __attribute__((noinline)) long imm_ecx(void)
{
	long r;
	__asm__ volatile("mov $0x340f, %%ecx" : "=c"(r));
	return r;
}

/* A real syscall right after an instruction holding 0f 05: getppid, then
 * mov $0x050f,%edx (kept alive in the result). */
static __attribute__((noinline)) long raw_getppid_mixed(long *imm)
{
	long r, d;
	__asm__ volatile("mov $0x050f, %%edx\n\t"
			 "mov $" "110" ", %%eax\n\t"	/* __NR_getppid */
			 "syscall"
			 : "=a"(r), "=&d"(d) : : "rcx", "r11", "memory");
	*imm = d;
	raw_calls++;
	return r;
}

/* A real syscall (getpid) with the lazily patchable shape, mov $NR,%eax; syscall. */
static __attribute__((noinline)) long raw_getpid(void)
{
	long r;
	__asm__ volatile("mov $39, %%eax\n\tsyscall" : "=a"(r) : : "rcx", "r11", "memory");
	raw_calls++;
	return r;
}

/* A real write(2) whose syscall follows a cmp holding 0f 34. */
static __attribute__((noinline)) long raw_write(int fd, const void *buf, size_t n)
{
	long r;
	register long rdi __asm__("rdi") = fd;
	register long rsi __asm__("rsi") = (long)buf;
	register long rdx __asm__("rdx") = (long)n;
	__asm__ volatile("cmp $0x12340f05, %%edi\n\t"
			 "mov $1, %%eax\n\t"
			 "syscall"
			 : "=a"(r) : "r"(rdi), "r"(rsi), "r"(rdx) : "rcx", "r11", "memory", "cc");
	raw_calls++;
	return r;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	static unsigned char buf[0x600];
	uint32_t word = 0x12340f05;
	long sum_mov = 0, sum_cmp = 0, sum_cmpl = 0, sum_lea = 0, sum_load = 0;
	long sum_straddle = 0, sum_movabs = 0, sum_ecx = 0, sum_imm = 0;
	long ppid_ok = 0, pid_ok = 0;
	pid_t pid = getpid(), ppid = getppid();

	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)(i * 7);
	for (long i = 0; i < n; i++) {
		long imm;

		sum_mov += imm_mov();
		sum_cmp += imm_cmp(i % 2 ? 0x340f050f : i);
		word = i % 3 ? 0x12340f05 : (uint32_t)i;
		sum_cmpl += imm_cmpl_mem(&word);
		sum_lea += disp_lea();
		sum_load += disp_load(buf);
		sum_straddle += straddle(i);
		sum_movabs ^= movabs() + i;
		sum_ecx += imm_ecx();
		ppid_ok += raw_getppid_mixed(&imm) == ppid;
		sum_imm += imm;
		pid_ok += raw_getpid() == pid;
		if (i % 100 == 0)	/* a libc syscall in the loop too */
			ppid_ok += getppid() == ppid ? 0 : -1000000;
	}
	char line[256];
	int len = snprintf(line, sizeof line, "rounds %ld\n", n);
	if (raw_write(1, line, len) != len)
		return 3;
	printf("mov 0x050f: %ld\n", sum_mov);
	printf("cmp 0x340f050f equal: %ld\n", sum_cmp);
	printf("cmpl 0x12340f05 equal: %ld\n", sum_cmpl);
	printf("lea 0x50f(rip) offset sum: %ld\n", sum_lea);
	printf("load 0x50f(base) sum: %ld\n", sum_load);
	printf("straddling add sum: %ld\n", sum_straddle);
	printf("movabs xor: %lx\n", (unsigned long)sum_movabs);
	printf("mov 0x340f ecx: %ld\n", sum_ecx);
	printf("edx after getppid: %ld\n", sum_imm);
	printf("raw getppid == getppid(): %ld of %ld\n", ppid_ok, n);
	printf("raw getpid == getpid(): %ld of %ld\n", pid_ok, n);
	printf("raw syscalls %ld\n", raw_calls);
	return ppid_ok == n && pid_ok == n ? 0 : 1;
}
