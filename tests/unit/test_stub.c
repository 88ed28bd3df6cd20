/* test_stub.c - unit tests of per-site stubs (online/patch/stub.c): code patched here runs through them.
 *
 * Each test writes a small function into a page of its own, patches its
 * window with the same code k23 uses (k23_stub_space, k23_stub_write, a
 * jmp over the window) and calls it. The results are compared with the
 * unpatched function's and with the C library's, so a wrong relocation, a
 * wrong jump back or a clobbered register shows as a wrong value or a
 * crash. Three paths: the entry's fast path, the full path through the
 * dispatcher on the thread's own stack, and the fallback to the stub's own
 * syscall for a call that needs the kernel's frame. No catch-all is armed
 * in this process, so the fallback's syscall simply runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "online/core/rt.h"
#include "online/patch/stub.h"
#include "online/core/tarea.h"
#include "online/dispatch/fastpath.h"
#include "online/arch/x86_64/patch_layout.h"

/* A function and the window of it to patch. */
struct fn {
	uint8_t *page;			/* RW while built, then RX */
	/* orig holds at most 16 bytes, as a sidecar's window. */
	long (*call)(long, long, long, long);
	struct k23_window w;
	uint8_t orig[16], len[4], disp[4];
};

/* Builds code at the start of a fresh page: code[0..n), window at
 * code+win_off of the given instruction lengths, syscall at site_index. */
static void build(struct fn *f, const uint8_t *code, size_t n, unsigned win_off,
		  const uint8_t *lens, unsigned ninsns, unsigned site_index, unsigned riprel,
		  const uint8_t *disp)
{
	unsigned wl = 0;

	f->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(f->page != MAP_FAILED);
	memcpy(f->page, code, n);
	for (unsigned i = 0; i < ninsns; i++) {
		f->len[i] = lens[i];
		f->disp[i] = disp ? disp[i] : 0;
		wl += lens[i];
	}
	memcpy(f->orig, code + win_off, wl);
	f->w = (struct k23_window){ .addr = (unsigned long)f->page + win_off, .bytes = f->orig,
				    .len = wl, .ninsns = ninsns, .site_index = site_index,
				    .insn_len = f->len, .disp_offset = f->disp,
				    .rip_relative_mask = riprel };
	f->call = (long (*)(long, long, long, long))(void *)f->page;
}

/* Patches f as k23 does: stub within reach, jmp over the window, int3 after. */
static void patch(struct fn *f)
{
	uint8_t *space = k23_stub_space(f->w.addr, f->w.addr + f->w.len, 4096);
	unsigned long to;
	uint8_t *code = (uint8_t *)f->w.addr;

	assert_non_null(space);
	to = k23_stub_write(space, &f->w);
	assert_true(to != 0);
	k23_stub_seal(space, 4096);
	code[0] = 0xe9;
	*(int32_t *)(code + 1) = (int32_t)(long)(to - (f->w.addr + 5));
	for (unsigned k = 5; k < f->w.len; k++)
		code[k] = 0xcc;
	assert_int_equal(mprotect(f->page, 4096, PROT_READ | PROT_EXEC), 0);
}

static void seal_unpatched(struct fn *f)
{
	assert_int_equal(mprotect(f->page, 4096, PROT_READ | PROT_EXEC), 0);
}

static int setup(void **state)
{
	(void)state;
	k23_rt.patch = K23_PATCH_STUB;
	assert_int_equal(k23_tarea_setup(), 0);
	return 0;
}

/* mov %rcx,%r10; mov $NR,%eax; syscall; ret - a 4-argument syscall(NR, ...). */
static void syscall_fn(struct fn *f, int nr)
{
	uint8_t code[] = { 0x49, 0x89, 0xca, 0xb8, 0, 0, 0, 0, 0x0f, 0x05, 0xc3 };
	static const uint8_t lens[] = { 5, 2 };

	*(int32_t *)(code + 4) = nr;
	build(f, code, sizeof(code), 3, lens, 2, 1, 0, NULL);
}

static void fast_and_full(int fast)
{
	struct fn plain, patched;

	syscall_fn(&plain, __NR_getppid);
	seal_unpatched(&plain);
	syscall_fn(&patched, __NR_getppid);
	patch(&patched);
	k23_fast_update();
	if (!fast)
		k23_fast.ok = 0;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(patched.call(0, 0, 0, 0), plain.call(0, 0, 0, 0));
	assert_int_equal(patched.call(0, 0, 0, 0), getppid());
	/* An error comes back as -errno, as from the kernel. */
	syscall_fn(&patched, __NR_close);
	patch(&patched);
	assert_int_equal(patched.call(-1, 0, 0, 0), -EBADF);
}

static void test_fast_path(void **state)
{
	(void)state;
	fast_and_full(1);
	assert_int_equal(k23_fast.ok, 1);
}

static void test_full_path(void **state)
{
	(void)state;
	fast_and_full(0);
}

/* rt_sigprocmask needs the kernel's frame: the stub runs its own syscall. */
static void test_fallback(void **state)
{
	struct fn f;
	sigset_t block, old, now;

	(void)state;
	syscall_fn(&f, __NR_rt_sigprocmask);
	patch(&f);
	k23_fast_update();
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	assert_int_equal(f.call(SIG_BLOCK, (long)&block, (long)&old, 8), 0);
	assert_int_equal(sigprocmask(SIG_BLOCK, NULL, &now), 0);
	assert_true(sigismember(&now, SIGUSR2));
	assert_int_equal(f.call(SIG_SETMASK, (long)&old, 0, 8), 0);
	assert_int_equal(sigprocmask(SIG_BLOCK, NULL, &now), 0);
	assert_false(sigismember(&now, SIGUSR2));
}

/* A window holding a rip-relative lea before the syscall and an
 * instruction after it: write(fd, msg, len) must still find msg, and the
 * code after the window must run once. */
static void test_riprel_relocated(void **state)
{
	/*  0: lea msg(%rip),%rsi      48 8d 35 disp32
	 *  7: mov $1,%eax             b8 01 00 00 00
	 * 12: syscall                 0f 05
	 * 14: inc %eax                ff c0          (after: copied too)
	 * 16: ret                     c3
	 * 32: msg                     "relocated!" */
	uint8_t code[64] = { 0x48, 0x8d, 0x35, 0, 0, 0, 0, 0xb8, 1, 0, 0, 0, 0x0f, 0x05,
			     0xff, 0xc0, 0xc3 };
	static const uint8_t lens[] = { 7, 5, 2, 2 }, disp[] = { 3, 0, 0, 0 };
	static const char msg[] = "relocated!";
	struct fn f;
	int p[2];
	char got[32] = { 0 };

	(void)state;
	*(int32_t *)(code + 3) = 32 - 7;
	memcpy(code + 32, msg, sizeof(msg));
	build(&f, code, sizeof(code), 0, lens, 4, 2, 1, disp);
	patch(&f);
	k23_fast_update();
	assert_int_equal(pipe(p), 0);
	/* write returns the length; the inc after the window makes it one more. */
	assert_int_equal(f.call(p[1], 0, (long)strlen(msg), 0), (long)strlen(msg) + 1);
	assert_int_equal(read(p[0], got, sizeof(got)), (long)strlen(msg));
	assert_string_equal(got, msg);
	close(p[0]);
	close(p[1]);
}

/* Registers the kernel's syscall preserves survive a patched call, on both
 * paths. The call is made from assembly so the compiler cannot keep them
 * elsewhere; it steps over the red zone this function may be using. */
static void test_registers_kept(void **state)
{
	struct fn f;
	unsigned long in[4] = { 0x8888, 0x9999, 0x1111, 0x3333 }, out[4];

	(void)state;
	syscall_fn(&f, __NR_getpid);
	patch(&f);
	k23_fast_update();
	for (int fast = 1; fast >= 0; fast--) {
		k23_fast.ok = (uint32_t)fast;
		__asm__ volatile("mov 0(%1), %%r8\n\tmov 8(%1), %%r9\n\tmov 16(%1), %%rbx\n\t"
				 "mov 24(%1), %%r12\n\txor %%ecx, %%ecx\n\t"
				 "sub $128, %%rsp\n\tcall *%2\n\tadd $128, %%rsp\n\t"
				 "mov %%r8, 0(%0)\n\tmov %%r9, 8(%0)\n\tmov %%rbx, 16(%0)\n\t"
				 "mov %%r12, 24(%0)"
				 :
				 : "r"(out), "r"(in), "r"(f.call)
				 : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
				   "r12", "memory", "cc");
		for (int i = 0; i < 4; i++)
			assert_int_equal(out[i], in[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_path),
		cmocka_unit_test(test_full_path),
		cmocka_unit_test(test_fallback),
		cmocka_unit_test(test_riprel_relocated),
		cmocka_unit_test(test_registers_kept),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
