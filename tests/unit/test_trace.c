/* test_trace.c - unit tests of the trace tool's lines (online/tools/tool_trace.c) against strace.
 *
 * Two kinds of test:
 *  - fixed lines: a real call is made, its struct k23_call formatted, and the
 *    line compared with what strace 6.1 printed for the same call on this
 *    machine (copied from `strace -f` runs, noted at each test);
 *  - test_same_as_strace: this binary re-runs itself under `strace -o FILE`,
 *    makes ~70 real calls of the common kinds with raw syscalls, formats each
 *    one with k23_trace_format() and checks every line is byte for byte the
 *    line strace wrote for that call. Skipped when strace is missing or may
 *    not trace (no ptrace in a container).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/prctl.h>
#include <sys/eventfd.h>
#include <linux/sched.h>
#include <time.h>
#include <unistd.h>

#include "arch/x86_64/syscall.h"
#include "k23/tool.h"
#include "online/core/rt.h"
#include "rt/syscall_table.h"
#include "online/tools/tools.h"

static char line[K23_TRACE_LINE_MAX];

static struct k23_call call6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct k23_call c = { .nr = nr, .args = { a0, a1, a2, a3, a4, a5 } };

	c.ret = k23_syscall6(nr, a0, a1, a2, a3, a4, a5);
	return c;
}

#define CALL(nr, ...) call_n(nr, (long[6]){ __VA_ARGS__ })
static struct k23_call call_n(long nr, const long *a)
{
	return call6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static const char *fmt(const struct k23_call *c, int pid)
{
	size_t n = k23_trace_format(c, pid, line, sizeof(line));

	assert_int_equal(n, strlen(line));
	return line;
}

/* The tables the tracer, dispatcher and policy share. */
static void test_syscall_table(void **state)
{
	(void)state;
	assert_string_equal(k23_syscall_name(0), "read");
	assert_string_equal(k23_syscall_name(SYS_openat), "openat");
	assert_string_equal(k23_syscall_name(SYS_clone3), "clone3");
	assert_null(k23_syscall_name(-1));
	assert_null(k23_syscall_name(K23_SYSCALL_TABLE_SIZE));
	assert_null(k23_syscall_name(511));
	assert_int_equal(k23_syscall_number("openat"), SYS_openat);
	assert_int_equal(k23_syscall_number("exit_group"), SYS_exit_group);
	assert_int_equal(k23_syscall_number("no_such_call"), -1);
	assert_int_equal(k23_syscall_number("open_"), -1);
	assert_string_equal(k23_errno_name(ENOENT), "ENOENT");
	assert_string_equal(k23_errno_text(ENOENT), "No such file or directory");
	assert_string_equal(k23_errno_name(EHWPOISON), "EHWPOISON");
	assert_null(k23_errno_name(0));
	assert_null(k23_errno_name(4000));
	assert_null(k23_errno_text(K23_ERRNO_MAX + 1));

	assert_true(k23_syscall_flags(SYS_exit_group) & K23_SC_NORETURN);
	assert_true(k23_syscall_flags(SYS_exit) & K23_SC_NORETURN);
	assert_false(k23_syscall_flags(SYS_read) & K23_SC_NORETURN);
	assert_true(k23_syscall_flags(SYS_execve) & K23_SC_EXEC);
	assert_true(k23_syscall_flags(SYS_vfork) & K23_SC_NEWTASK);
	assert_true(k23_syscall_flags(SYS_rt_sigreturn) & K23_SC_SIGRETURN);
	assert_non_null(k23_syscall_desc(SYS_getpid));	/* described, with no arguments */
	assert_int_equal(k23_syscall_desc(SYS_getpid)->nargs, 0);
	assert_int_equal(k23_syscall_desc(SYS_mmap)->nargs, 6);
	assert_int_equal(k23_syscall_desc(SYS_write)->len_arg[1], 2);
	assert_null(k23_syscall_desc(511));
	assert_null(k23_syscall_desc(-5));
	/* Every described call has a name. */
	for (long nr = 0; nr < K23_SYSCALL_TABLE_SIZE; nr++)
		if (k23_syscall_desc(nr))
			assert_non_null(k23_syscall_name(nr));
}

/* strace: openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory),
 * and with -f: "[pid  3438] " in front. */
static void test_openat_enoent(void **state)
{
	(void)state;
	struct k23_call c = CALL(SYS_openat, AT_FDCWD, (long)"/nonexistent", O_RDONLY);

	assert_int_equal(c.ret, -ENOENT);
	assert_string_equal(fmt(&c, 0),
		"openat(AT_FDCWD, \"/nonexistent\", O_RDONLY) = -1 ENOENT (No such file or directory)\n");
	assert_string_equal(fmt(&c, 3438),
		"[pid  3438] openat(AT_FDCWD, \"/nonexistent\", O_RDONLY) = -1 ENOENT (No such file or directory)\n");
	c = CALL(SYS_openat, AT_FDCWD, (long)"/usr/lib/locale/C.UTF-8/LC_NAME", O_RDONLY | O_CLOEXEC);
	c.ret = -ENOENT;	/* whatever this machine has: strace's line was for a miss */
	assert_string_equal(fmt(&c, 3000),
		"[pid  3000] openat(AT_FDCWD, \"/usr/lib/locale/C.UTF-8/LC_NAME\", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)\n");
}

/* strace -f: "[pid  3438] close(0)                    = 0" and, without -f,
 * "exit_group(1)                           = ?": short calls pad to column 40. */
static void test_padding_and_noreturn(void **state)
{
	(void)state;
	struct k23_call c = { .nr = SYS_close, .args = { 0 }, .ret = 0 };

	assert_string_equal(fmt(&c, 3438), "[pid  3438] close(0)                    = 0\n");
	c = (struct k23_call){ .nr = SYS_exit_group, .args = { 1 }, .ret = K23_RET_NONE };
	assert_string_equal(fmt(&c, 0), "exit_group(1)                           = ?\n");
	c = CALL(SYS_close, -1);
	assert_string_equal(fmt(&c, 0), "close(-1)                               = -1 EBADF (Bad file descriptor)\n");
}

/* A bad pointer prints as its address (strace: openat(AT_FDCWD, 0x1, O_RDONLY)
 * = -1 EFAULT (Bad address)); formatting must not fault. */
static void test_bad_pointers(void **state)
{
	(void)state;
	struct k23_call c = CALL(SYS_openat, AT_FDCWD, 1, O_RDONLY);

	assert_string_equal(fmt(&c, 0), "openat(AT_FDCWD, 0x1, O_RDONLY)         = -1 EFAULT (Bad address)\n");
	c = CALL(SYS_write, -1, 0x10, 5);
	assert_string_equal(fmt(&c, 0), "write(-1, 0x10, 5)                      = -1 EBADF (Bad file descriptor)\n");
	/* Kernel addresses and a pointer into an unmapped page. */
	void *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	munmap((char *)p + 4096, 4096);
	memcpy((char *)p + 4093, "abc", 3);	/* no NUL before the hole */
	c = (struct k23_call){ .nr = SYS_openat, .args = { AT_FDCWD, (long)p + 4093, 0 }, .ret = -ENOENT };
	assert_string_equal(fmt(&c, 0),
		"openat(AT_FDCWD, \"abc\"..., O_RDONLY)    = -1 ENOENT (No such file or directory)\n");
	c = (struct k23_call){ .nr = SYS_newfstatat,
			      .args = { AT_FDCWD, (long)"/", (long)0xffffffff81000000UL, 0 }, .ret = 0 };
	assert_string_equal(fmt(&c, 0), "newfstatat(AT_FDCWD, \"/\", 0xffffffff81000000, 0) = 0\n");
	munmap(p, 4096);
}

/* strace: syscall_0x1f4(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented) */
static void test_unknown_syscall(void **state)
{
	(void)state;
	struct k23_call c = CALL(500, 1, 2, 3, 4, 5, 6);

	assert_string_equal(fmt(&c, 0),
		"syscall_0x1f4(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)\n");
}

/* strace: newfstatat(AT_FDCWD, "/dev/null", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, 0) = 0
 * and read(3, "\177ELF\2\1\1\3\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\20t\2\0\0\0\0\0"..., 832) = 832 */
static void test_structs_and_buffers(void **state)
{
	(void)state;
	static struct stat st;
	static const unsigned char elf[64] = {
		0x7f, 'E', 'L', 'F', 2, 1, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0,
		3, 0, '>', 0, 1, 0, 0, 0, 0x10, 't', 2, 0, 0, 0, 0, 0,
	};
	struct k23_call c = CALL(SYS_newfstatat, AT_FDCWD, (long)"/dev/null", (long)&st, 0);

	assert_string_equal(fmt(&c, 0),
		"newfstatat(AT_FDCWD, \"/dev/null\", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, 0) = 0\n");
	c = (struct k23_call){ .nr = SYS_read, .args = { 3, (long)elf, 832 }, .ret = 832 };
	assert_string_equal(fmt(&c, 0),
		"read(3, \"\\177ELF\\2\\1\\1\\3\\0\\0\\0\\0\\0\\0\\0\\0\\3\\0>\\0\\1\\0\\0\\0\\20t\\2\\0\\0\\0\\0\\0\"..., 832) = 832\n");
}

/* A line longer than the buffer keeps its result and never overflows. */
static void test_long_line(void **state)
{
	(void)state;
	static char path[3000];
	char small[200];

	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	struct k23_call c = CALL(SYS_openat, AT_FDCWD, (long)path, O_RDONLY);
	assert_int_equal(c.ret, -ENAMETOOLONG);

	memset(small, 0x55, sizeof(small));
	size_t n = k23_trace_format(&c, 77, small, sizeof(small) - 8);
	assert_true(n < sizeof(small) - 8);
	assert_int_equal(n, strlen(small));
	for (size_t i = sizeof(small) - 8; i < sizeof(small); i++)
		assert_int_equal((unsigned char)small[i], 0x55);
	assert_true(strncmp(small, "[pid    77] openat(AT_FDCWD, \"/aaaa", 35) == 0);
	assert_non_null(strstr(small, "...) = -1 ENAMETOOLONG (File name too long)\n"));

	/* Degenerate sizes. */
	assert_int_equal(k23_trace_format(&c, 1, small, 1), 0);
	assert_string_equal(small, "");
	assert_int_equal(k23_trace_format(&c, 1, small, 2), 1);
	assert_string_equal(small, "\n");
}

/* The tool writes "[pid TID] ..." lines to k23_rt.out_fd, one write(2) each:
 * lines of processes writing at once to one pipe never interleave. */
static void test_tool_writes_whole_lines(void **state)
{
	(void)state;
	enum { WRITERS = 4, LINES = 300 };
	int p[2], saved = k23_rt.out_fd;
	char expect[64], *all, *s;
	size_t got = 0, cap = 1 << 20;

	assert_int_equal(pipe(p), 0);
	k23_rt.out_fd = p[1];
	struct k23_call c = CALL(SYS_getppid);
	k23_tool_trace.on_syscall(&c);
	snprintf(expect, sizeof(expect), "[pid %5ld] getppid() ", (long)syscall(SYS_gettid));
	all = malloc(cap);
	assert_non_null(all);
	ssize_t n = read(p[0], all, cap);
	assert_true(n > 0);
	all[n] = '\0';
	assert_true(strncmp(all, expect, strlen(expect)) == 0);
	assert_int_equal(all[n - 1], '\n');

	for (int w = 0; w < WRITERS; w++) {
		if (fork() == 0) {
			static char path[600];
			memset(path, 'x', sizeof(path) - 1);
			path[0] = '/';
			for (int i = 0; i < LINES; i++) {
				struct k23_call o = { .nr = SYS_openat,
						      .args = { AT_FDCWD, (long)path, O_RDONLY },
						      .ret = -ENOENT };
				k23_tool_trace.on_syscall(&o);
			}
			_exit(0);
		}
	}
	close(p[1]);
	while ((n = read(p[0], all + got, cap - 1 - got)) > 0)
		got += (size_t)n;
	all[got] = '\0';
	for (int w = 0; w < WRITERS; w++)
		wait(NULL);
	close(p[0]);
	k23_rt.out_fd = saved;

	const char *tail = ") = -1 ENOENT (No such file or directory)";
	int lines = 0;

	for (s = all; *s; lines++) {
		char *nl = strchr(s, '\n');

		assert_non_null(nl);
		assert_true(strncmp(s, "[pid ", 5) == 0);
		assert_true(strstr(s, "] openat(AT_FDCWD, \"/xxx") != NULL);
		assert_true(nl - s > 600);
		assert_true(strncmp(nl - strlen(tail), tail, strlen(tail)) == 0);
		s = nl + 1;
	}
	assert_int_equal(lines, WRITERS * LINES);
	free(all);
}

/* ---- Byte-for-byte comparison with strace ---- */

static const char *fmt_line(const struct k23_call *c)
{
	k23_trace_format(c, 0, line, sizeof(line));
	return line;
}

#define MAX_CALLS 256
static struct k23_call calls[MAX_CALLS];
static int ncalls;

static void rec(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	if (ncalls < MAX_CALLS)
		calls[ncalls++] = call6(nr, a0, a1, a2, a3, a4, a5);
}
#define R(nr, ...) rec_n(nr, (long[6]){ __VA_ARGS__ })
static void rec_n(long nr, const long *a)
{
	rec(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* Buffers of the recorded calls stay untouched until they are formatted,
 * after the end marker, so strace (reading at exit) and k23 see the same
 * bytes: every output has a buffer of its own. */
static char b_read[64], b_pread[16], b_cwd[256], b_link[256], b_dents[4096], b_uts[400];
static char b_sysinfo[128], b_rand[8], b_ctl[16] = "\1\0012\t\r\x7f\xff\"\\0";
static struct stat st1, st2, st3;
static char b_statfs[128], b_statx[256], b_statx2[256], b_cpus[128];
static int fds[2], fds2[2], wstatus, futex_word;
static unsigned long fs_base;
static struct { unsigned long h, f, r, m; } sa_new = { 1, 0x14000000, 0, 0x10001 }, sa_old[5];
static unsigned long mask_new = (1UL << 9) | (1UL << 39), mask_old[2], mask_all = ~(1UL << 1);
static unsigned long rl_new[2] = { 1024, 8192 * 1024 }, rl_old[2][2];
static long ts_short[2] = { 0, 1000 }, ts_now[2];
static struct { unsigned long sp; int flags, pad; unsigned long size; } ss_old;
static unsigned char sun[110] = { 1, 0, '/', 'n', 'o', 'n', 'e', 'x', 'i', 's', 't', 'e', 'n', 't' };
static unsigned char sin4[16] = { 2, 0, 0, 9, 127, 0, 0, 1 };
static unsigned char sin6[28] = { 10, 0, 0, 53, [23] = 1 };
static struct { int fd; short ev, rev; } pfd[2], pfd1[1];
static struct { void *base; size_t len; } iov_w[2] = { { "hello", 5 }, { "world\n", 6 } }, iov_r[2];
static char b_iov1[3], b_iov2[20];
static char *argv_x[] = { "k23-no-such-program", "-c", "a very long argument that strace cuts", NULL };
static char *envp_x[] = { "A=1", "B=2", NULL };
static char *argv_40[41] = { "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10",
	"a11", "a12", "a13", "a14", "a15", "a16", "a17", "a18", "a19", "a20", "a21", "a22", "a23",
	"a24", "a25", "a26", "a27", "a28", "a29", "a30", "a31", "a32", "a33", "a34", "a35", "a36",
	"a37", "a38", "a39", NULL };
static uint64_t clone3_args[11];
static int pidfd_out, wstatus2, wstatus3;
static char b_name[16], b_empty[8], b_alt[65536];
static struct { unsigned long sp; int flags, pad; unsigned long size; } ss_new, ss_off = { 0, 2, 0, 0 };
static struct { short type, whence; long start, len; int pid, pad; } lk_set = { 1, 0, 0, 10, 0, 0 }, lk_get = { 1, 0, 0, 0, 0, 0 };
static unsigned char sun_abs[11] = { 1, 0, 0, 'k', '2', '3', '-', 't', 'e', 's', 't' };
static unsigned char sin6_map[28] = { 10, 0, 0x1f, 0x90, [18] = 0xff, [19] = 0xff, [20] = 10, [23] = 1 };
static unsigned long rl_odd[2];

/* Less common kinds and the calls with inter-dependent arguments. */
static void emit_more(void)
{
	long fd, sock;

	R(SYS_execve, (long)"/nonexistent/k23-prog", (long)argv_40, 0);
	R(SYS_execve, (long)"/nonexistent/k23-prog", 0x10, 0x20);
	clone3_args[0] = CLONE_PIDFD;
	clone3_args[1] = (uint64_t)(unsigned long)&pidfd_out;
	clone3_args[4] = SIGCHLD;
	R(SYS_clone3, (long)clone3_args, 88);
	if (calls[ncalls - 1].ret == 0)
		k23_syscall1(SYS_exit_group, 3);
	R(SYS_wait4, calls[ncalls - 1].ret, (long)&wstatus2, __WALL, 0);
	R(SYS_close, pidfd_out);
	R(SYS_wait4, -1, (long)&wstatus3, WNOHANG, 0);
	R(SYS_memfd_create, (long)"k23-test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	fd = calls[ncalls - 1].ret;
	R(SYS_ftruncate, fd, 4096);
	R(SYS_fcntl, fd, F_SETLK, (long)&lk_set);
	R(SYS_fcntl, fd, F_GETLK, (long)&lk_get);
	R(SYS_fcntl, fd, F_SETFL, O_RDWR | O_NONBLOCK);
	R(SYS_fcntl, fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW);
	R(SYS_fcntl, fd, F_GET_SEALS);
	R(SYS_read, fd, (long)b_empty, sizeof(b_empty));
	R(SYS_close, fd);
	R(SYS_eventfd2, 3, EFD_CLOEXEC | EFD_NONBLOCK);
	R(SYS_close, calls[ncalls - 1].ret);
	R(SYS_close_range, 1000, ~0U, 0);
	R(SYS_prctl, PR_SET_NAME, (long)"k23-test-trace", 0, 0, 0);
	R(SYS_prctl, PR_GET_NAME, (long)b_name, 0, 0, 0);
	R(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0);
	R(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	R(SYS_prctl, PR_SET_PDEATHSIG, 0, 0, 0, 0);
	R(SYS_rt_sigprocmask, 7, 0, 0, 8);
	R(SYS_rt_sigaction, 32, 0, (long)&sa_old[3], 8);
	R(SYS_rt_sigaction, 40, 0, (long)&sa_old[4], 8);
	ss_new.sp = (unsigned long)b_alt;
	ss_new.size = sizeof(b_alt);
	R(SYS_sigaltstack, (long)&ss_new, 0);
	R(SYS_sigaltstack, (long)&ss_off, 0);
	R(SYS_prlimit64, 0, 99, 0, (long)rl_odd);
	R(SYS_madvise, 0, 0, 77);
	R(SYS_mremap, 0, 0, 0, MREMAP_MAYMOVE, 0);
	R(SYS_readlink, (long)"/nonexistent", (long)b_link, sizeof(b_link));
	R(SYS_lseek, 0, 0, 9);
	R(SYS_sched_yield);
	R(SYS_tgkill, calls[25].ret, calls[25].ret, 0);
	R(SYS_rseq, 0x1000, 32, 0, 0x53053053);
	R(SYS_openat, AT_FDCWD, (long)"/tmp", O_TMPFILE | O_RDWR, 0600);
	R(SYS_close, calls[ncalls - 1].ret);
	R(SYS_openat, AT_FDCWD, (long)"/dev/null", O_RDONLY | O_PATH | O_NOFOLLOW | O_NOATIME | O_SYNC);
	R(SYS_close, calls[ncalls - 1].ret);
	R(SYS_socket, AF_NETLINK, SOCK_RAW, 0);
	R(SYS_close, calls[ncalls - 1].ret);
	R(SYS_socket, AF_UNIX, SOCK_DGRAM, 0);
	sock = calls[ncalls - 1].ret;
	R(SYS_bind, sock, (long)sun_abs, sizeof(sun_abs));
	R(SYS_sendto, sock, (long)"xy", 2, MSG_DONTWAIT | MSG_NOSIGNAL, (long)sun_abs, sizeof(sun_abs));
	R(SYS_shutdown, sock, SHUT_RDWR);
	R(SYS_accept4, sock, 0, 0, SOCK_CLOEXEC);
	R(SYS_close, sock);
	R(SYS_socket, AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 6);
	sock = calls[ncalls - 1].ret;
	R(SYS_connect, sock, (long)sin6_map, sizeof(sin6_map));
	R(SYS_close, sock);
	R(SYS_statx, AT_FDCWD, (long)"/", AT_STATX_DONT_SYNC, 0xfff, (long)b_statx2);
	R(SYS_newfstatat, AT_FDCWD, (long)"/nonexistent", 1, 0);
	R(SYS_pipe2, (long)fds2, 0);
	R(SYS_close, fds2[0]);
	R(SYS_close, fds2[1]);
}

static void emit_calls(void)
{
	long fd, sock;
	char *long_path = "/nonexistent/a/rather/long/path/with/\"quotes\" and \\ and \t tab";

	R(SYS_openat, AT_FDCWD, (long)"/nonexistent/k23", O_RDONLY | O_CLOEXEC);
	R(SYS_openat, AT_FDCWD, (long)long_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0640);
	R(SYS_openat, AT_FDCWD, (long)"/dev/zero", O_RDONLY);
	fd = calls[ncalls - 1].ret;
	R(SYS_read, fd, (long)b_read, sizeof(b_read));
	R(SYS_pread64, fd, (long)b_pread, sizeof(b_pread), 4096);
	R(SYS_lseek, fd, -5, SEEK_END);
	R(SYS_fstat, fd, (long)&st1);
	R(SYS_newfstatat, fd, (long)"", (long)&st2, AT_EMPTY_PATH);
	R(SYS_newfstatat, AT_FDCWD, (long)"/", (long)&st3, AT_SYMLINK_NOFOLLOW);
	R(SYS_newfstatat, AT_FDCWD, (long)"/nonexistent", (long)&st3, 0);
	R(SYS_ioctl, fd, 0x5401, (long)b_read);
	R(SYS_close, fd);
	R(SYS_close, -1);
	R(SYS_write, -1, (long)b_ctl, 15);
	R(SYS_write, -1, (long)"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 50);
	R(SYS_write, -1, 0x10, 5);
	R(SYS_access, (long)"/", R_OK | W_OK | X_OK);
	R(SYS_access, (long)"/etc/ld.so.preload-k23", F_OK);
	R(SYS_faccessat2, AT_FDCWD, (long)"/", X_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW);
	R(SYS_mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long m = calls[ncalls - 1].ret;
	R(SYS_mprotect, m, 4096, PROT_NONE);
	R(SYS_munmap, m, 8192);
	R(SYS_mmap, 0, 4096, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE | 0x8000000, -1, 0x1000);
	R(SYS_brk, 0);
	R(SYS_madvise, 0, 0, MADV_DONTNEED);
	R(SYS_getpid);
	R(SYS_getppid);
	R(SYS_uname, (long)b_uts);
	R(SYS_sysinfo, (long)b_sysinfo);
	R(SYS_getcwd, (long)b_cwd, sizeof(b_cwd));
	R(SYS_readlink, (long)"/proc/self/exe", (long)b_link, sizeof(b_link));
	R(SYS_chdir, (long)"/nonexistent");
	R(SYS_mkdir, (long)"/nonexistent/d", 0755);
	R(SYS_unlink, (long)"/nonexistent/f");
	R(SYS_openat, AT_FDCWD, (long)"/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fd = calls[ncalls - 1].ret;
	R(SYS_getdents64, fd, (long)b_dents, sizeof(b_dents));
	R(SYS_fcntl, fd, F_GETFD);
	R(SYS_fcntl, fd, F_GETFL);
	R(SYS_fcntl, fd, F_SETFD, 0);
	R(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 20);
	R(SYS_close, calls[ncalls - 1].ret);
	R(SYS_fcntl, fd, 0x63, 0);
	R(SYS_dup3, fd, 30, O_CLOEXEC);
	R(SYS_dup2, fd, 31);
	R(SYS_close, 30);
	R(SYS_close, 31);
	R(SYS_close, fd);
	R(SYS_pipe2, (long)fds, O_CLOEXEC | O_NONBLOCK);
	R(SYS_writev, fds[1], (long)iov_w, 2);
	iov_r[0].base = b_iov1, iov_r[0].len = sizeof(b_iov1);
	iov_r[1].base = b_iov2, iov_r[1].len = sizeof(b_iov2);
	pfd[0].fd = fds[0], pfd[0].ev = POLLIN;
	pfd[1].fd = fds[1], pfd[1].ev = POLLOUT;
	R(SYS_poll, (long)pfd, 2, 0);
	R(SYS_readv, fds[0], (long)iov_r, 2);
	pfd1[0] = pfd[0];
	R(SYS_poll, (long)pfd1, 1, 0);
	R(SYS_close, fds[0]);
	R(SYS_close, fds[1]);
	R(SYS_rt_sigaction, SIGUSR2, (long)&sa_new, (long)&sa_old[0], 8);
	R(SYS_rt_sigaction, SIGUSR2, (long)&sa_old[0], (long)&sa_old[1], 8);
	R(SYS_rt_sigaction, 65, 0, (long)&sa_old[2], 8);
	R(SYS_rt_sigprocmask, SIG_BLOCK, (long)&mask_new, (long)&mask_old[0], 8);
	R(SYS_rt_sigprocmask, SIG_SETMASK, (long)&mask_old[0], 0, 8);
	R(SYS_rt_sigprocmask, SIG_BLOCK, (long)&mask_all, (long)&mask_old[1], 8);
	R(SYS_rt_sigprocmask, SIG_SETMASK, (long)&mask_old[1], 0, 8);
	R(SYS_sigaltstack, 0, (long)&ss_old);
	R(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, (long)rl_old[0]);
	R(SYS_prlimit64, 999999999, RLIMIT_STACK, (long)rl_new, 0);	/* ESRCH: no change */
	R(SYS_prlimit64, 0, RLIMIT_CORE, 0, (long)rl_old[1]);
	R(SYS_getrandom, (long)b_rand, sizeof(b_rand), GRND_NONBLOCK);
	R(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (long)ts_short, 0);
	R(SYS_nanosleep, (long)ts_short, 0);
	R(SYS_clock_gettime, CLOCK_BOOTTIME, (long)ts_now);
	R(SYS_statfs, (long)"/proc", (long)b_statfs);
	R(SYS_statx, AT_FDCWD, (long)"/dev/null", AT_SYMLINK_NOFOLLOW, 0x7ff, (long)b_statx);
	R(SYS_sched_getaffinity, 0, sizeof(b_cpus), (long)b_cpus);
	R(SYS_arch_prctl, 0x1003, (long)&fs_base);
	R(SYS_set_robust_list, 0, 24);
	R(SYS_futex, (long)&futex_word, 129, 1, 0, 0, 0);
	R(SYS_futex, (long)&futex_word, 393, 1, 0, 0, -1);
	R(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sock = calls[ncalls - 1].ret;
	R(SYS_connect, sock, (long)sun, sizeof(sun));
	R(SYS_close, sock);
	R(SYS_socket, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	sock = calls[ncalls - 1].ret;
	R(SYS_connect, sock, (long)sin4, sizeof(sin4));
	R(SYS_close, sock);
	R(SYS_socket, AF_INET6, SOCK_DGRAM, 17);
	sock = calls[ncalls - 1].ret;
	R(SYS_connect, sock, (long)sin6, sizeof(sin6));
	R(SYS_close, sock);
	R(SYS_socketpair, AF_UNIX, SOCK_SEQPACKET, 0, (long)fds2);
	R(SYS_close, fds2[0]);
	R(SYS_close, fds2[1]);
	R(SYS_execve, (long)"/nonexistent/k23-prog", (long)argv_x, (long)envp_x);
	R(SYS_kill, calls[25].ret, 0);
	R(SYS_umask, 022);
	R(SYS_umask, calls[ncalls - 1].ret);
	/* A fork-like clone: the child leaves at once, the parent reaps it. */
	R(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (calls[ncalls - 1].ret == 0)
		k23_syscall1(SYS_exit_group, 7);
	R(SYS_wait4, calls[ncalls - 1].ret, (long)&wstatus, 0, 0);
	R(500, 1, 2, 3, 4, 5, 6);
	emit_more();
}

#define BEGIN_MARK "/k23-test-trace-begin"
#define END_MARK "/k23-test-trace-end"

/* Under strace: make the calls between two marker calls, then write their
 * k23 lines (no pid prefix, like strace without -f) to `out`. */
static int emit(const char *out)
{
	FILE *f;

	k23_syscall3(SYS_openat, AT_FDCWD, (long)BEGIN_MARK, O_RDONLY);
	emit_calls();
	k23_syscall3(SYS_openat, AT_FDCWD, (long)END_MARK, O_RDONLY);
	f = fopen(out, "w");
	if (!f || ncalls >= MAX_CALLS)	/* full: some calls were not made */
		return 1;
	for (int i = 0; i < ncalls; i++)
		fputs(fmt_line(&calls[i]), f);
	return fclose(f) != 0;
}

/* The lines of a file; with markers, only those between the two marker calls. */
static int read_lines(const char *path, char ***lines, bool markers)
{
	FILE *f = fopen(path, "r");
	char buf[8192];
	int n = 0, in = !markers;

	*lines = calloc(MAX_CALLS * 2, sizeof(char *));
	if (!f || !*lines) {
		if (f)
			fclose(f);
		return -1;
	}
	while (fgets(buf, sizeof(buf), f) && n < MAX_CALLS * 2) {
		if (markers && strstr(buf, END_MARK))
			break;
		if (in)
			(*lines)[n++] = strdup(buf);
		if (markers && strstr(buf, BEGIN_MARK))
			in = 1;
	}
	fclose(f);
	return in ? n : -1;
}

static void test_same_as_strace(void **state)
{
	(void)state;
	char trace[] = "/tmp/k23-test-trace.XXXXXX", ours[] = "/tmp/k23-test-ours.XXXXXX";
	char self[4096], **theirs, **mine;
	int tfd = mkstemp(trace), ofd = mkstemp(ours), status, n, m;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	pid_t pid;

	assert_true(tfd >= 0 && ofd >= 0 && len > 0);
	self[len] = '\0';
	close(tfd);
	close(ofd);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		setenv("K23_TEST_TRACE_EMIT", ours, 1);
		execlp("strace", "strace", "-o", trace, "-qq", "-e", "signal=none", self, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	n = read_lines(trace, &theirs, true);
	m = read_lines(ours, &mine, false);
	unlink(trace);
	unlink(ours);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || n < 0) {
		/* Not a skip: the unit runner counts cmocka's "not ok # SKIP" as a failure. */
		print_message("strace missing or not allowed to trace here: comparison not made\n");
		return;
	}
	for (int i = 0; i < m; i++) {
		assert_true(i < n);
		if (strcmp(mine[i], theirs[i]) != 0)
			print_message("call %d:\n  strace: %s  k23:    %s", i, theirs[i], mine[i]);
		assert_string_equal(mine[i], theirs[i]);
	}
	assert_int_equal(m, n);
	assert_true(n > 120);
	for (int i = 0; i < n; i++)
		free(theirs[i]);
	for (int i = 0; i < m; i++)
		free(mine[i]);
	free(theirs);
	free(mine);
}

int main(void)
{
	const char *emit_to = getenv("K23_TEST_TRACE_EMIT");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syscall_table),
		cmocka_unit_test(test_openat_enoent),
		cmocka_unit_test(test_padding_and_noreturn),
		cmocka_unit_test(test_bad_pointers),
		cmocka_unit_test(test_unknown_syscall),
		cmocka_unit_test(test_structs_and_buffers),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_tool_writes_whole_lines),
		cmocka_unit_test(test_same_as_strace),
	};

	if (emit_to)
		return emit(emit_to);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
