/* tool_trace.c - the trace tool: one strace-style line per system call.
 *
 * Each call becomes one line, "[pid  N] name(args) = ret", in the format of
 * `strace -f` (strace 6.x defaults: strings cut at 32 bytes, structures
 * abbreviated with "..."), so existing habits and scripts work on k23 traces.
 * The line is built in a stack buffer and written with ONE write(2) to
 * k23_rt.out_fd: lines of concurrent threads and processes never interleave.
 *
 * The program's memory (paths, buffers, structures) is read with
 * process_vm_readv on our own pid rather than dereferenced: a bad pointer
 * makes the kernel return EFAULT and the argument prints as its address, the
 * way strace prints what it cannot fetch, instead of crashing the runtime
 * inside the program. Same-process access needs no ptrace permission. If a
 * program's own seccomp filter forbids process_vm_readv, every pointer just
 * prints as an address.
 *
 * Tools see a call only after it returned, so an argument the kernel rewrites
 * in place (ppoll's timeout) shows its value after the call, where strace
 * shows the value passed in; everything else matches strace byte for byte
 * (tests/unit/test_trace.c compares ~150 calls with strace's own lines).
 *
 * Freestanding, reentrant, async-signal-safe: no libc, no static buffers.
 * Stack: the 1.5 KiB line, and below it at most a 1 KiB path buffer; about
 * 3.5 KiB in all (gcc -fstack-usage), so the stack the tool runs on must
 * have that much to spare.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <asm/unistd.h>
#include <linux/stat.h>
#include <linux/sysinfo.h>

#include "arch/x86_64/syscall.h"
#include "k23/tool.h"
#include "rt/fmt.h"
#include "rt/syscall_table.h"
#include "rt.h"
#include "tools.h"

_Static_assert(K23_SYSCALL_TABLE_SIZE == K23_MAX_SYSCALLS,
	       "the syscall table and the runtime's counters must cover the same numbers");

/* strace pads the text before " = ret" to this column. */
#define RET_COLUMN 40
/* Bytes kept free for ") = -1 ENAMETOOLONG (File name too long)" when the
 * arguments overflow the line. */
#define TAIL_RESERVE 112
/* Longest path shown whole; longer ones end in "...". */
#define PATH_SHOWN 1024
/* strace shows at most this many array elements (its -s default). */
#define ARRAY_SHOWN K23_FMT_STRLEN

/* ---- Kernel ABI layouts (x86-64), spelled out where UAPI headers are awkward ---- */

struct k_iovec { unsigned long base, len; };
struct k_sigaction { unsigned long handler, flags, restorer; uint64_t mask; };
struct k_stack { unsigned long sp; int flags; int pad; unsigned long size; };
struct k_timespec { long sec, nsec; };
struct k_rlimit { uint64_t cur, max; };
struct k_pollfd { int fd; short events, revents; };
struct k_flock { short type, whence; long start, len; int pid; int pad; };
struct k_stat {
	unsigned long dev, ino, nlink;
	unsigned int mode, uid, gid, pad0;
	unsigned long rdev;
	long size, blksize, blocks;
	unsigned long times[6];
	long unused[3];
};
struct k_statfs {
	long type, bsize;
	unsigned long blocks, bfree, bavail, files, ffree;
	int fsid[2];
	long namelen, frsize, flags, spare[4];
};
struct k_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size,
		 tls, set_tid, set_tid_size, cgroup;
};
_Static_assert(sizeof(struct k_stat) == 144, "struct stat of x86-64");
_Static_assert(sizeof(struct k_statfs) == 120, "struct statfs of x86-64");
_Static_assert(sizeof(struct k_clone_args) == 88, "clone_args v2");

/* In a SIGSYS ucontext: the interrupted %rsp, and where rt_sigreturn's frame
 * keeps the mask it restores (uc_sigmask of the ucontext at the frame's %rsp). */
#define UC_RSP_OFFSET 160
#define UC_SIGMASK_OFFSET 296

#define AT_FDCWD_VALUE (-100)
#define O_CREAT_BIT 0100
#define O_TMPFILE_BIT 020000000
#define MREMAP_FIXED_BIT 2
#define SA_RESTORER_BIT 0x04000000UL
#define CSIGNAL_MASK 0xffUL
#define RLIM64_INF (~0ULL)

/* ---- One line being formatted ---- */

struct tr {
	struct k23_fmt *f;
	const struct k23_call *c;
	long self;		/* our thread id: whose memory process_vm_readv reads */
	bool failed;		/* c->ret is an error */
};

static long vm_read(const struct tr *t, void *dst, unsigned long addr, size_t n)
{
	struct k_iovec local = { (unsigned long)dst, n }, remote = { addr, n };

	return k23_syscall6(__NR_process_vm_readv, t->self, (long)&local, 1, (long)&remote, 1, 0);
}

/* All n bytes at addr, or false (NULL, unmapped, unreadable). */
static bool fetch(const struct tr *t, void *dst, unsigned long addr, size_t n)
{
	if (!addr)
		return false;
	return n == 0 || vm_read(t, dst, addr, n) == (long)n;
}

/* A C string of at most max bytes, NUL included when found. Reads page by
 * page so a string that ends just before an unmapped page is still read.
 * Returns the bytes read, or -1 when not even the first byte is readable. */
static long fetch_str(const struct tr *t, char *dst, unsigned long addr, size_t max)
{
	size_t got = 0;

	while (got < max) {
		size_t chunk = 4096 - ((addr + got) & 4095);
		long r;

		if (chunk > max - got)
			chunk = max - got;
		r = vm_read(t, dst + got, addr + got, chunk);
		if (r <= 0)
			break;
		for (long i = 0; i < r; i++)
			if (dst[got + i] == '\0')
				return (long)(got + i + 1);
		got += r;
		if ((size_t)r < chunk)
			break;
	}
	return got ? (long)got : -1;
}

static unsigned long arg(const struct tr *t, int i)
{
	return (unsigned long)t->c->args[i];
}

static void sep(const struct tr *t)
{
	k23_fmt_mem(t->f, ", ", 2);
}

/* Enumeration value by name, else hex with the comment `unknown` (F_???), as strace. */
static void put_xval(struct k23_fmt *f, unsigned long v, const struct k23_flag *tbl,
		     const char *unknown)
{
	if (k23_fmt_enum(f, v, tbl))
		return;
	k23_fmt_hex(f, v);
	if (unknown) {
		k23_fmt_str(f, " /* ");
		k23_fmt_str(f, unknown);
		k23_fmt_str(f, " */");
	}
}

/* ---- Signals ---- */

static void put_signame(struct k23_fmt *f, long sig)
{
	if (sig > 0 && sig < 32) {
		k23_fmt_str(f, k23_signal_names[sig]);
	} else if (sig == 32) {
		k23_fmt_str(f, "SIGRTMIN");
	} else if (sig > 32 && sig <= 64) {
		k23_fmt_str(f, "SIGRT_");
		k23_fmt_dec(f, sig - 32);
	} else {
		k23_fmt_dec(f, sig);
	}
}

/* Not __builtin_popcountll: without -mpopcnt it calls libgcc's __popcountdi2. */
static int popcount64(uint64_t v)
{
	int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* strace's sprintsigmask: "[INT TERM]", or "~[...]" listing the signals NOT
 * in the set when two thirds or more are in it. */
static void put_sigmask(struct k23_fmt *f, uint64_t mask)
{
	char open = '[';

	if (popcount64(mask) >= 64 * 2 / 3) {
		k23_fmt_char(f, '~');
		mask = ~mask;
	}
	for (int sig = 1; sig <= 64; sig++) {
		if (!(mask >> (sig - 1) & 1))
			continue;
		k23_fmt_char(f, open);
		open = ' ';
		if (sig < 32) {
			k23_fmt_str(f, k23_signal_names[sig] + 3);
		} else if (sig == 32) {
			k23_fmt_str(f, "RTMIN");
		} else {
			k23_fmt_str(f, "RT_");
			k23_fmt_dec(f, sig - 32);
		}
	}
	if (open == '[')
		k23_fmt_char(f, '[');
	k23_fmt_char(f, ']');
}

static void put_sigset_at(const struct tr *t, unsigned long addr, unsigned long size)
{
	uint64_t mask = 0;

	if (!addr) {
		k23_fmt_str(t->f, "NULL");
		return;
	}
	if (size == 0 || size > 8 || size % 8 || !fetch(t, &mask, addr, 8)) {
		k23_fmt_addr(t->f, addr);
		return;
	}
	put_sigmask(t->f, mask);
}

static void put_sigaction_at(const struct tr *t, unsigned long addr)
{
	struct k_sigaction sa;
	struct k23_fmt *f = t->f;

	if (!fetch(t, &sa, addr, sizeof(sa))) {
		k23_fmt_addr(f, addr);
		return;
	}
	k23_fmt_str(f, "{sa_handler=");
	if (sa.handler == 0)
		k23_fmt_str(f, "SIG_DFL");
	else if (sa.handler == 1)
		k23_fmt_str(f, "SIG_IGN");
	else
		k23_fmt_hex(f, sa.handler);
	k23_fmt_str(f, ", sa_mask=");
	put_sigmask(f, sa.mask);
	k23_fmt_str(f, ", sa_flags=");
	k23_fmt_flags(f, sa.flags, k23_xlat_sa_flags, NULL);
	if (sa.flags & SA_RESTORER_BIT) {
		k23_fmt_str(f, ", sa_restorer=");
		k23_fmt_addr(f, sa.restorer);
	}
	k23_fmt_char(f, '}');
}

/* ---- Files ---- */

/* strace's file mode: S_IFREG|S_ISUID|0755. */
static void put_mode(struct k23_fmt *f, unsigned mode)
{
	if (mode & 0170000) {
		if (!k23_fmt_enum(f, mode & 0170000, k23_xlat_file_type))
			k23_fmt_oct(f, mode & 0170000);
		k23_fmt_char(f, '|');
	}
	if (mode & 04000)
		k23_fmt_str(f, "S_ISUID|");
	if (mode & 02000)
		k23_fmt_str(f, "S_ISGID|");
	if (mode & 01000)
		k23_fmt_str(f, "S_ISVTX|");
	k23_fmt_oct(f, mode & 0777);
}

static void put_dev(struct k23_fmt *f, unsigned long dev)
{
	unsigned long major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL);
	unsigned long minor = (dev & 0xff) | ((dev >> 12) & ~0xffUL);

	k23_fmt_str(f, "makedev(");
	k23_fmt_hex(f, major);
	k23_fmt_str(f, ", ");
	k23_fmt_hex(f, minor);
	k23_fmt_char(f, ')');
}

static bool is_dev(unsigned mode)
{
	return (mode & 0170000) == 0020000 || (mode & 0170000) == 0060000;
}

static void put_stat(const struct tr *t, unsigned long addr)
{
	struct k_stat st;
	struct k23_fmt *f = t->f;

	if (t->failed || !fetch(t, &st, addr, sizeof(st))) {
		k23_fmt_addr(f, addr);
		return;
	}
	k23_fmt_str(f, "{st_mode=");
	put_mode(f, st.mode);
	if (is_dev(st.mode)) {
		k23_fmt_str(f, ", st_rdev=");
		put_dev(f, st.rdev);
	} else {
		k23_fmt_str(f, ", st_size=");
		k23_fmt_dec(f, st.size);
	}
	k23_fmt_str(f, ", ...}");
}

static void put_statx(const struct tr *t, unsigned long addr)
{
	struct statx stx;
	struct k23_fmt *f = t->f;

	if (t->failed || !fetch(t, &stx, addr, sizeof(stx))) {
		k23_fmt_addr(f, addr);
		return;
	}
	k23_fmt_str(f, "{stx_mask=");
	k23_fmt_flags(f, stx.stx_mask, k23_xlat_statx_mask, NULL);
	k23_fmt_str(f, ", stx_attributes=");
	k23_fmt_flags(f, stx.stx_attributes, k23_xlat_statx_attrs, NULL);
	k23_fmt_str(f, ", stx_mode=");
	put_mode(f, stx.stx_mode);
	k23_fmt_str(f, ", stx_size=");
	k23_fmt_udec(f, stx.stx_size);
	k23_fmt_str(f, ", ...}");
}

static void put_statfs(const struct tr *t, unsigned long addr)
{
	struct k_statfs s;
	struct k23_fmt *f = t->f;

	if (t->failed || !fetch(t, &s, addr, sizeof(s))) {
		k23_fmt_addr(f, addr);
		return;
	}
	k23_fmt_str(f, "{f_type=");
	put_xval(f, (unsigned long)s.type, k23_xlat_fs_magic, NULL);
	k23_fmt_str(f, ", f_bsize=");
	k23_fmt_dec(f, s.bsize);
	k23_fmt_str(f, ", f_blocks=");
	k23_fmt_udec(f, s.blocks);
	k23_fmt_str(f, ", f_bfree=");
	k23_fmt_udec(f, s.bfree);
	k23_fmt_str(f, ", f_bavail=");
	k23_fmt_udec(f, s.bavail);
	k23_fmt_str(f, ", f_files=");
	k23_fmt_udec(f, s.files);
	k23_fmt_str(f, ", f_ffree=");
	k23_fmt_udec(f, s.ffree);
	k23_fmt_str(f, ", f_fsid={val=[");
	k23_fmt_hex(f, (unsigned)s.fsid[0]);
	k23_fmt_str(f, ", ");
	k23_fmt_hex(f, (unsigned)s.fsid[1]);
	k23_fmt_str(f, "]}, f_namelen=");
	k23_fmt_dec(f, s.namelen);
	k23_fmt_str(f, ", f_frsize=");
	k23_fmt_dec(f, s.frsize);
	k23_fmt_str(f, ", f_flags=");
	k23_fmt_flags(f, (unsigned long)s.flags, k23_xlat_statfs_flags, NULL);
	k23_fmt_char(f, '}');
}

/* ---- Strings and buffers ---- */

/* A path, shown whole (up to PATH_SHOWN bytes) as strace's printpath. */
static void put_path(const struct tr *t, unsigned long addr)
{
	char path[PATH_SHOWN];
	long n;

	if (!addr) {
		k23_fmt_str(t->f, "NULL");
		return;
	}
	n = fetch_str(t, path, addr, sizeof(path));
	if (n < 0) {
		k23_fmt_addr(t->f, addr);
		return;
	}
	if (!k23_fmt_quote(t->f, path, (size_t)n, K23_QUOTE_NUL))
		k23_fmt_mem(t->f, "...", 3);
}

/* A C string cut at K23_FMT_STRLEN bytes, as strace's printstr. */
static void put_cstr(const struct tr *t, unsigned long addr)
{
	char s[K23_FMT_STRLEN + 1];
	long n;

	if (!addr) {
		k23_fmt_str(t->f, "NULL");
		return;
	}
	n = fetch_str(t, s, addr, sizeof(s));
	if (n < 0)
		k23_fmt_addr(t->f, addr);
	else
		k23_fmt_cstring(t->f, s, (size_t)n);
}

/* len bytes at addr, cut at K23_FMT_STRLEN, as strace's printstrn. */
static void put_buf(const struct tr *t, unsigned long addr, unsigned long len, unsigned style)
{
	char s[K23_FMT_STRLEN];
	size_t n = len < sizeof(s) ? len : sizeof(s);

	if (!addr) {
		k23_fmt_str(t->f, "NULL");
		return;
	}
	if (!fetch(t, s, addr, n)) {
		k23_fmt_addr(t->f, addr);
		return;
	}
	k23_fmt_buffer(t->f, s, len, style);
}

/* Output data: its address when the call failed, else ret bytes of it. */
static void put_buf_out(const struct tr *t, unsigned long addr, unsigned style)
{
	if (t->failed)
		k23_fmt_addr(t->f, addr);
	else
		put_buf(t, addr, (unsigned long)t->c->ret, style);
}

static bool fetch_ulong(const struct tr *t, unsigned long *v, unsigned long addr)
{
	return fetch(t, v, addr, sizeof(*v));
}

/* execve's argv: ["sh", "-c", "..."], at most ARRAY_SHOWN strings. */
static void put_argv(const struct tr *t, unsigned long addr)
{
	struct k23_fmt *f = t->f;
	unsigned long p;

	if (!addr) {
		k23_fmt_str(f, "NULL");
		return;
	}
	for (int n = 0;; n++) {
		if (!fetch_ulong(t, &p, addr + 8UL * n)) {
			if (n == 0) {
				k23_fmt_addr(f, addr);
				return;
			}
			k23_fmt_str(f, ", ...");
			break;
		}
		if (!p) {
			if (n == 0)
				k23_fmt_char(f, '[');
			break;
		}
		k23_fmt_str(f, n ? ", " : "[");
		if (n >= ARRAY_SHOWN) {
			k23_fmt_str(f, "...");
			break;
		}
		put_cstr(t, p);
	}
	k23_fmt_char(f, ']');
}

/* execve's envp: 0x7ffd... followed by a count comment. */
static void put_envp(const struct tr *t, unsigned long addr)
{
	unsigned long p = 1;
	unsigned long n = 0;

	k23_fmt_addr(t->f, addr);
	if (!addr)
		return;
	for (; n < 1000000; n++)
		if (!fetch_ulong(t, &p, addr + 8 * n) || !p)
			break;
	if (p)
		return;
	k23_fmt_str(t->f, " /* ");
	k23_fmt_udec(t->f, n);
	k23_fmt_str(t->f, n == 1 ? " var */" : " vars */");
}

/* getdents64's buffer: its address and how many entries the kernel wrote. */
static void put_dirents(const struct tr *t, unsigned long addr)
{
	unsigned long off = 0, n = 0;
	uint16_t reclen;

	k23_fmt_addr(t->f, addr);
	if (t->failed)
		return;
	while (off < (unsigned long)t->c->ret) {
		/* struct linux_dirent64: d_reclen sits after d_ino and d_off. */
		if (!fetch(t, &reclen, addr + off + 16, sizeof(reclen)) || reclen == 0)
			return;
		off += reclen;
		n++;
	}
	k23_fmt_str(t->f, " /* ");
	k23_fmt_udec(t->f, n);
	k23_fmt_str(t->f, n == 1 ? " entry */" : " entries */");
}

/* struct pollfd[nfds]: the events asked for, or (revents_only) those that came. */
static void put_pollfds(const struct tr *t, unsigned long addr, unsigned long nfds, bool revents_only)
{
	struct k23_fmt *f = t->f;
	struct k_pollfd p;
	unsigned shown = 0;

	if (!addr || (nfds && !fetch(t, &p, addr, sizeof(p)))) {
		k23_fmt_addr(f, addr);
		return;
	}
	k23_fmt_char(f, '[');
	for (unsigned long i = 0; i < nfds; i++) {
		/* Like strace, stop after ARRAY_SHOWN elements; and do not scan a
		 * huge array for the few that have revents. */
		if (shown == ARRAY_SHOWN || i == 4096 || !fetch(t, &p, addr + i * sizeof(p), sizeof(p))) {
			k23_fmt_str(f, shown ? ", ..." : "...");
			break;
		}
		if (revents_only && !p.revents)
			continue;
		if (shown++)
			k23_fmt_str(f, ", ");
		k23_fmt_str(f, "{fd=");
		k23_fmt_dec(f, p.fd);
		k23_fmt_str(f, revents_only ? ", revents=" : ", events=");
		k23_fmt_flags(f, (unsigned short)(revents_only ? p.revents : p.events),
			      k23_xlat_poll_events, NULL);
		k23_fmt_char(f, '}');
	}
	k23_fmt_char(f, ']');
}

/* struct iovec[cnt]; each iov_base shows at most `data` bytes in total
 * (the return value of readv; -1 for writev: each whole iov_len). */
static void put_iovec(const struct tr *t, unsigned long addr, unsigned long cnt, unsigned long data)
{
	struct k23_fmt *f = t->f;
	struct k_iovec v;

	if (!addr || cnt > 1024) {
		k23_fmt_addr(f, addr);
		return;
	}
	if (cnt && !fetch(t, &v, addr, sizeof(v))) {
		k23_fmt_addr(f, addr);
		return;
	}
	k23_fmt_char(f, '[');
	for (unsigned long i = 0; i < cnt; i++) {
		unsigned long len;

		if (i)
			k23_fmt_str(f, ", ");
		if (i >= ARRAY_SHOWN) {
			k23_fmt_str(f, "...");
			break;
		}
		if (!fetch(t, &v, addr + i * sizeof(v), sizeof(v))) {
			k23_fmt_str(f, "...");
			break;
		}
		len = v.len < data ? v.len : data;
		if (data != (unsigned long)-1)
			data -= len;
		k23_fmt_str(f, "{iov_base=");
		put_buf(t, v.base, len, 0);
		k23_fmt_str(f, ", iov_len=");
		k23_fmt_udec(f, v.len);
		k23_fmt_char(f, '}');
	}
	k23_fmt_char(f, ']');
}

/* ---- Small structures ---- */

/* A struct timespec (or, usec, a struct timeval); out: written by the kernel,
 * so only meaningful when the call succeeded. */
static void put_timespec(const struct tr *t, unsigned long addr, bool out, bool usec)
{
	struct k_timespec ts;

	if (!addr) {
		k23_fmt_str(t->f, "NULL");
		return;
	}
	if ((out && t->failed) || !fetch(t, &ts, addr, sizeof(ts))) {
		k23_fmt_addr(t->f, addr);
		return;
	}
	k23_fmt_str(t->f, "{tv_sec=");
	k23_fmt_dec(t->f, ts.sec);
	k23_fmt_str(t->f, usec ? ", tv_usec=" : ", tv_nsec=");
	k23_fmt_dec(t->f, ts.nsec);
	k23_fmt_char(t->f, '}');
}

/* strace's sprint_rlim64: RLIM64_INFINITY, 8192*1024, 20000. */
static void put_rlim(struct k23_fmt *f, uint64_t v)
{
	if (v == RLIM64_INF) {
		k23_fmt_str(f, "RLIM64_INFINITY");
	} else if (v > 1024 && v % 1024 == 0) {
		k23_fmt_udec(f, v / 1024);
		k23_fmt_str(f, "*1024");
	} else {
		k23_fmt_udec(f, v);
	}
}

static void put_rlimit(const struct tr *t, unsigned long addr, bool out)
{
	struct k_rlimit rl;

	if (!addr) {
		k23_fmt_str(t->f, "NULL");
		return;
	}
	if ((out && t->failed) || !fetch(t, &rl, addr, sizeof(rl))) {
		k23_fmt_addr(t->f, addr);
		return;
	}
	k23_fmt_str(t->f, "{rlim_cur=");
	put_rlim(t->f, rl.cur);
	k23_fmt_str(t->f, ", rlim_max=");
	put_rlim(t->f, rl.max);
	k23_fmt_char(t->f, '}');
}

static void put_stack(const struct tr *t, unsigned long addr, bool out)
{
	struct k_stack ss;
	struct k23_fmt *f = t->f;

	if (!addr) {
		k23_fmt_str(f, "NULL");
		return;
	}
	if ((out && t->failed) || !fetch(t, &ss, addr, sizeof(ss))) {
		k23_fmt_addr(f, addr);
		return;
	}
	k23_fmt_str(f, "{ss_sp=");
	k23_fmt_addr(f, ss.sp);
	k23_fmt_str(f, ", ss_flags=");
	k23_fmt_flags(f, (unsigned)ss.flags, k23_xlat_ss_flags, NULL);
	k23_fmt_str(f, ", ss_size=");
	k23_fmt_udec(f, ss.size);
	k23_fmt_char(f, '}');
}

static void put_pipefds(const struct tr *t, unsigned long addr)
{
	int fds[2];

	if (t->failed || !fetch(t, fds, addr, sizeof(fds))) {
		k23_fmt_addr(t->f, addr);
		return;
	}
	k23_fmt_char(t->f, '[');
	k23_fmt_dec(t->f, fds[0]);
	k23_fmt_str(t->f, ", ");
	k23_fmt_dec(t->f, fds[1]);
	k23_fmt_char(t->f, ']');
}

/* A wait status as strace's printstatus: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]. */
static void put_wstatus(const struct tr *t, unsigned long addr)
{
	struct k23_fmt *f = t->f;
	int s;

	if (!addr) {
		k23_fmt_str(f, "NULL");
		return;
	}
	if (t->failed || t->c->ret == 0 || !fetch(t, &s, addr, sizeof(s))) {
		k23_fmt_addr(f, addr);
		return;
	}
	if ((s & 0xff) == 0x7f) {
		k23_fmt_str(f, "[{WIFSTOPPED(s) && WSTOPSIG(s) == ");
		put_signame(f, (s >> 8) & 0x7f);
		if ((s >> 8) & 0x80)
			k23_fmt_str(f, " | 0x80");
		k23_fmt_char(f, '}');
		s &= ~0xffff;
	} else if ((s & 0x7f) != 0) {
		k23_fmt_str(f, "[{WIFSIGNALED(s) && WTERMSIG(s) == ");
		put_signame(f, s & 0x7f);
		if (s & 0x80)
			k23_fmt_str(f, " && WCOREDUMP(s)");
		k23_fmt_char(f, '}');
		s &= ~0xff;
	} else if (s == 0xffff) {
		k23_fmt_str(f, "[{WIFCONTINUED(s)}");
		s = 0;
	} else {
		k23_fmt_str(f, "[{WIFEXITED(s) && WEXITSTATUS(s) == ");
		k23_fmt_dec(f, (s >> 8) & 0xff);
		k23_fmt_char(f, '}');
		s &= ~0xff00;
	}
	if (s) {
		k23_fmt_str(f, " | ");
		k23_fmt_hex(f, (unsigned)s);
	}
	k23_fmt_char(f, ']');
}

static void put_utsname(const struct tr *t, unsigned long addr)
{
	/* struct new_utsname: six 65-byte strings; strace shows the first two. */
	char u[130];

	if (t->failed || !fetch(t, u, addr, sizeof(u))) {
		k23_fmt_addr(t->f, addr);
		return;
	}
	k23_fmt_str(t->f, "{sysname=");
	k23_fmt_quote(t->f, u, 65, K23_QUOTE_NUL);
	k23_fmt_str(t->f, ", nodename=");
	k23_fmt_quote(t->f, u + 65, 65, K23_QUOTE_NUL);
	k23_fmt_str(t->f, ", ...}");
}

static void put_sysinfo(const struct tr *t, unsigned long addr)
{
	struct sysinfo si;
	struct k23_fmt *f = t->f;

	if (t->failed || !fetch(t, &si, addr, sizeof(si))) {
		k23_fmt_addr(f, addr);
		return;
	}
	k23_fmt_str(f, "{uptime=");
	k23_fmt_dec(f, si.uptime);
	k23_fmt_str(f, ", loads=[");
	for (int i = 0; i < 3; i++) {
		if (i)
			k23_fmt_str(f, ", ");
		k23_fmt_udec(f, si.loads[i]);
	}
	k23_fmt_str(f, "], totalram=");
	k23_fmt_udec(f, si.totalram);
	k23_fmt_str(f, ", freeram=");
	k23_fmt_udec(f, si.freeram);
	k23_fmt_str(f, ", sharedram=");
	k23_fmt_udec(f, si.sharedram);
	k23_fmt_str(f, ", bufferram=");
	k23_fmt_udec(f, si.bufferram);
	k23_fmt_str(f, ", totalswap=");
	k23_fmt_udec(f, si.totalswap);
	k23_fmt_str(f, ", freeswap=");
	k23_fmt_udec(f, si.freeswap);
	k23_fmt_str(f, ", procs=");
	k23_fmt_udec(f, si.procs);
	k23_fmt_str(f, ", totalhigh=");
	k23_fmt_udec(f, si.totalhigh);
	k23_fmt_str(f, ", freehigh=");
	k23_fmt_udec(f, si.freehigh);
	k23_fmt_str(f, ", mem_unit=");
	k23_fmt_udec(f, si.mem_unit);
	k23_fmt_char(f, '}');
}

/* sched_getaffinity's mask: [0 1 2 3], over the ret bytes the kernel wrote. */
static void put_cpuset(const struct tr *t, unsigned long addr)
{
	struct k23_fmt *f = t->f;
	unsigned long words = (unsigned long)t->c->ret / 8, w;
	char open = '[';

	if (t->failed || words > 1024) {
		k23_fmt_addr(f, addr);
		return;
	}
	for (unsigned long i = 0; i < words; i++) {
		if (!fetch_ulong(t, &w, addr + 8 * i)) {
			if (open == '[')
				k23_fmt_addr(f, addr);
			else
				k23_fmt_str(f, " ...]");
			return;
		}
		for (int b = 0; b < 64; b++) {
			if (!(w >> b & 1))
				continue;
			k23_fmt_char(f, open);
			open = ' ';
			k23_fmt_udec(f, i * 64 + b);
		}
	}
	if (open == '[')
		k23_fmt_char(f, '[');
	k23_fmt_char(f, ']');
}

/* ---- Socket addresses ---- */

static void put_ipv4(struct k23_fmt *f, const unsigned char *a)
{
	for (int i = 0; i < 4; i++) {
		if (i)
			k23_fmt_char(f, '.');
		k23_fmt_udec(f, a[i]);
	}
}

/* An IPv6 address as inet_ntop writes it: the longest run of two or more
 * zero groups becomes "::", and IPv4-mapped/compatible forms end dotted. */
static void put_ipv6(struct k23_fmt *f, const unsigned char *a)
{
	unsigned w[8];
	int best = -1, best_len = 0, cur = -1, cur_len = 0;

	/* The longest run of zero groups (the first of equal ones), as inet_ntop. */
	for (int i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (w[i] == 0) {
			if (cur < 0)
				cur = i, cur_len = 0;
			cur_len++;
		}
		if ((w[i] != 0 || i == 7) && cur >= 0) {
			if (best < 0 || cur_len > best_len)
				best = cur, best_len = cur_len;
			cur = -1;
		}
	}
	if (best_len < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + best_len) {
			if (i == best)
				k23_fmt_char(f, ':');
			continue;
		}
		if (i)
			k23_fmt_char(f, ':');
		if (i == 6 && best == 0 &&
		    (best_len == 6 || (best_len == 7 && w[7] != 1) || (best_len == 5 && w[5] == 0xffff))) {
			put_ipv4(f, a + 12);
			return;
		}
		char tmp[4];
		int n = 0;
		unsigned v = w[i];

		do {
			tmp[n++] = "0123456789abcdef"[v & 15];
			v >>= 4;
		} while (v);
		while (n)
			k23_fmt_char(f, tmp[--n]);
	}
	if (best >= 0 && best + best_len == 8)
		k23_fmt_char(f, ':');
}

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* struct sockaddr of len bytes, as strace: {sa_family=AF_INET, sin_port=htons(80), ...}. */
static void put_sockaddr(const struct tr *t, unsigned long addr, unsigned long len)
{
	struct k23_fmt *f = t->f;
	unsigned char sa[128];
	size_t n = len < sizeof(sa) ? len : sizeof(sa);
	unsigned family;

	if (!addr) {
		k23_fmt_str(f, "NULL");
		return;
	}
	if (len < 2 || !fetch(t, sa, addr, n)) {
		k23_fmt_addr(f, addr);
		return;
	}
	family = sa[0] | (unsigned)sa[1] << 8;
	k23_fmt_str(f, "{sa_family=");
	put_xval(f, family, k23_xlat_af, NULL);
	if (family == 1 && n > 2) {		/* AF_UNIX */
		k23_fmt_str(f, ", sun_path=");
		if (sa[2]) {
			k23_fmt_quote(f, sa + 2, n - 2, K23_QUOTE_NUL);
		} else {
			k23_fmt_char(f, '@');
			k23_fmt_quote(f, sa + 3, n - 3, 0);
		}
	} else if (family == 2 && n >= 8) {	/* AF_INET */
		k23_fmt_str(f, ", sin_port=htons(");
		k23_fmt_udec(f, be16(sa + 2));
		k23_fmt_str(f, "), sin_addr=inet_addr(\"");
		put_ipv4(f, sa + 4);
		k23_fmt_str(f, "\")");
	} else if (family == 10 && n >= 24) {	/* AF_INET6 */
		k23_fmt_str(f, ", sin6_port=htons(");
		k23_fmt_udec(f, be16(sa + 2));
		k23_fmt_str(f, "), sin6_flowinfo=htonl(");
		k23_fmt_udec(f, (unsigned long)be16(sa + 4) << 16 | be16(sa + 6));
		k23_fmt_str(f, "), inet_pton(AF_INET6, \"");
		put_ipv6(f, sa + 8);
		k23_fmt_str(f, "\", &sin6_addr)");
		if (n >= 28) {
			k23_fmt_str(f, ", sin6_scope_id=");
			k23_fmt_udec(f, sa[24] | (unsigned)sa[25] << 8 | (unsigned)sa[26] << 16 |
					(unsigned long)sa[27] << 24);
		}
	} else if (family == 16 && n >= 12) {	/* AF_NETLINK */
		unsigned long pid = sa[4] | (unsigned)sa[5] << 8 | (unsigned)sa[6] << 16 |
				    (unsigned long)sa[7] << 24;
		unsigned long groups = sa[8] | (unsigned)sa[9] << 8 | (unsigned)sa[10] << 16 |
				       (unsigned long)sa[11] << 24;
		char hex[8];

		k23_fmt_str(f, ", nl_pid=");
		k23_fmt_udec(f, pid);
		k23_fmt_str(f, ", nl_groups=");
		for (int i = 7; i >= 0; i--, groups >>= 4)
			hex[i] = "0123456789abcdef"[groups & 15];
		k23_fmt_mem(f, hex, 8);
	} else if (n > 2) {
		k23_fmt_str(f, ", sa_data=");
		k23_fmt_quote(f, sa + 2, n - 2, 0);
	}
	k23_fmt_char(f, '}');
}

/* ---- One argument by its kind ---- */

static void put_open_flags(struct k23_fmt *f, unsigned long v)
{
	k23_fmt_enum(f, v & 3, k23_xlat_open_access);
	if (v & ~3UL) {
		k23_fmt_char(f, '|');
		k23_fmt_flags(f, v & ~3UL, k23_xlat_open_flags, NULL);
	}
}

static void put_at_flags(const struct tr *t, unsigned long v)
{
	struct k23_fmt *f = t->f;

	switch (t->c->nr) {
	case __NR_faccessat2:
		k23_fmt_flags(f, v, k23_xlat_faccessat_flags, NULL);
		return;
	case __NR_statx:
		/* The sync type is a field, printed even when zero. */
		put_xval(f, v & 0x6000, k23_xlat_statx_sync, NULL);
		if (v & ~0x6000UL) {
			k23_fmt_char(f, '|');
			k23_fmt_flags(f, v & ~0x6000UL, k23_xlat_at_flags, NULL);
		}
		return;
	default:
		k23_fmt_flags(f, v, k23_xlat_at_flags, NULL);
	}
}

static void put_mmap_flags(struct k23_fmt *f, unsigned long v)
{
	/* Bits 26..31 carry a huge page size (log2), printed as strace does
	 * whether or not MAP_HUGETLB is set. */
	unsigned long huge = (v >> 26) & 0x3f;

	put_xval(f, v & 0xf, k23_xlat_mmap_type, "MAP_???");
	v &= ~(0xfUL | 0x3fUL << 26);
	if (v) {
		k23_fmt_char(f, '|');
		k23_fmt_flags(f, v, k23_xlat_mmap_flags, NULL);
	}
	if (huge) {
		k23_fmt_char(f, '|');
		k23_fmt_udec(f, huge);
		k23_fmt_str(f, "<<MAP_HUGE_SHIFT");
	}
}

static void put_sock_type(struct k23_fmt *f, unsigned long v)
{
	put_xval(f, v & 0xf, k23_xlat_sock_type, "SOCK_???");
	if (v & ~0xfUL) {
		k23_fmt_char(f, '|');
		k23_fmt_flags(f, v & ~0xfUL, k23_xlat_sock_flags, NULL);
	}
}

static void put_sock_proto(const struct tr *t, unsigned long v)
{
	switch (arg(t, 0)) {
	case 2:		/* AF_INET */
	case 10:	/* AF_INET6 */
		put_xval(t->f, (unsigned)v, k23_xlat_ipproto, "IPPROTO_???");
		return;
	case 16:	/* AF_NETLINK */
		put_xval(t->f, (unsigned)v, k23_xlat_netlink_proto, "NETLINK_???");
		return;
	default:
		k23_fmt_dec(t->f, (int)v);
	}
}

/* Kinds printed straight from one table: a flags word (zero printed as
 * `text`, or "0") or an enumeration (unknown values commented with `text`). */
static const struct named_kind {
	uint8_t kind;
	bool flags;
	const struct k23_flag *names;
	const char *text;
} named_kinds[] = {
	{ K23_ARG_O_FLAGS, true, k23_xlat_open_flags, NULL },
	{ K23_ARG_ACCESS_MODE, true, k23_xlat_access_mode, "F_OK" },
	{ K23_ARG_PROT, true, k23_xlat_prot, "PROT_NONE" },
	{ K23_ARG_MREMAP_FLAGS, true, k23_xlat_mremap_flags, NULL },
	{ K23_ARG_STATX_MASK, true, k23_xlat_statx_mask, NULL },
	{ K23_ARG_WAIT_OPTIONS, true, k23_xlat_wait_options, NULL },
	{ K23_ARG_TIMER_FLAGS, true, k23_xlat_timer_flags, NULL },
	{ K23_ARG_GRND_FLAGS, true, k23_xlat_grnd, NULL },
	{ K23_ARG_SOCK_FLAGS, true, k23_xlat_sock_flags, NULL },
	{ K23_ARG_MSG_FLAGS, true, k23_xlat_msg_flags, NULL },
	{ K23_ARG_CLONE_FLAGS, true, k23_xlat_clone_flags, NULL },
	{ K23_ARG_MFD_FLAGS, true, k23_xlat_mfd, NULL },
	{ K23_ARG_EFD_FLAGS, true, k23_xlat_efd, NULL },
	{ K23_ARG_CLOSE_RANGE_FLAGS, true, k23_xlat_close_range, NULL },
	{ K23_ARG_MADVISE, false, k23_xlat_madvise, "MADV_???" },
	{ K23_ARG_WHENCE, false, k23_xlat_whence, "SEEK_???" },
	{ K23_ARG_SIGHOW, false, k23_xlat_sighow, "SIG_???" },
	{ K23_ARG_RLIMIT_RESOURCE, false, k23_xlat_rlimit, "RLIMIT_???" },
	{ K23_ARG_ARCH_PRCTL_CODE, false, k23_xlat_arch_prctl, "ARCH_???" },
	{ K23_ARG_FCNTL_CMD, false, k23_xlat_fcntl_cmd, "F_???" },
	{ K23_ARG_IOCTL_CMD, false, k23_xlat_ioctl, NULL },
	{ K23_ARG_FUTEX_OP, false, k23_xlat_futex_op, "FUTEX_???" },
	{ K23_ARG_SOCK_FAMILY, false, k23_xlat_af, "AF_???" },
	{ K23_ARG_SHUT_HOW, false, k23_xlat_shut, "SHUT_???" },
	{ K23_ARG_PRCTL_OPTION, false, k23_xlat_prctl, "PR_???" },
	{ K23_ARG_EPOLL_CTL_OP, false, k23_xlat_epoll_op, "EPOLL_CTL_???" },
};

static bool put_named(struct k23_fmt *f, int kind, unsigned long v)
{
	for (size_t i = 0; i < sizeof(named_kinds) / sizeof(named_kinds[0]); i++) {
		const struct named_kind *n = &named_kinds[i];

		if (n->kind != kind)
			continue;
		if (n->flags)
			k23_fmt_flags(f, v, n->names, n->text);
		else
			put_xval(f, v, n->names, n->text);
		return true;
	}
	return false;
}

/* Whether argument i appears at all: open's mode only with O_CREAT or O_TMPFILE. */
static bool shown(const struct tr *t, const struct k23_syscall_desc *d, int i)
{
	if (d->arg[i] == K23_ARG_SKIP)
		return false;
	if (d->arg[i] == K23_ARG_OPEN_MODE)
		return i > 0 && (arg(t, i - 1) & (O_CREAT_BIT | O_TMPFILE_BIT));
	return true;
}

static void put_arg(const struct tr *t, const struct k23_syscall_desc *d, int i)
{
	struct k23_fmt *f = t->f;
	unsigned long v = arg(t, i);
	unsigned long len = arg(t, d->len_arg[i]);

	switch (d->arg[i]) {
	case K23_ARG_SKIP:
		return;
	case K23_ARG_OPEN_MODE:
		k23_fmt_oct(f, (unsigned)v);
		return;
	case K23_ARG_INT:
	case K23_ARG_FD:
		k23_fmt_dec(f, (int)v);
		return;
	case K23_ARG_UINT:
		k23_fmt_udec(f, (unsigned)v);
		return;
	case K23_ARG_LONG:
		k23_fmt_dec(f, (long)v);
		return;
	case K23_ARG_ULONG:
		k23_fmt_udec(f, v);
		return;
	case K23_ARG_PTR:
		k23_fmt_addr(f, v);
		return;
	case K23_ARG_OCT:
		k23_fmt_oct(f, (unsigned)v);
		return;
	case K23_ARG_DIRFD:
		if ((int)v == AT_FDCWD_VALUE)
			k23_fmt_str(f, "AT_FDCWD");
		else
			k23_fmt_dec(f, (int)v);
		return;
	case K23_ARG_PATH:
		put_path(t, v);
		return;
	case K23_ARG_STR:
		put_cstr(t, v);
		return;
	case K23_ARG_STR_OUT:
		if (t->failed)
			k23_fmt_addr(f, v);
		else
			put_path(t, v);
		return;
	case K23_ARG_BUF_IN:
		put_buf(t, v, len, 0);
		return;
	case K23_ARG_BUF_OUT:
		put_buf_out(t, v, 0);
		return;
	case K23_ARG_BUF_OUT_HEX:
		put_buf_out(t, v, K23_QUOTE_HEX);
		return;
	case K23_ARG_OPEN_FLAGS:
		put_open_flags(f, v);
		return;
	case K23_ARG_AT_FLAGS:
		put_at_flags(t, (unsigned)v);
		return;
	case K23_ARG_MMAP_FLAGS:
		put_mmap_flags(f, v);
		return;
	case K23_ARG_SIGNUM:
		put_signame(f, (int)v);
		return;
	case K23_ARG_SIGSET:
		put_sigset_at(t, v, len);
		return;
	case K23_ARG_SIGSET_OUT:
		if (t->failed && v)
			k23_fmt_addr(f, v);
		else
			put_sigset_at(t, v, len);
		return;
	case K23_ARG_SIGACTION:
		if (!v)
			k23_fmt_str(f, "NULL");
		else
			put_sigaction_at(t, v);
		return;
	case K23_ARG_SIGACTION_OUT:
		if (!v)
			k23_fmt_str(f, "NULL");
		else if (t->failed)
			k23_fmt_addr(f, v);
		else
			put_sigaction_at(t, v);
		return;
	case K23_ARG_STACK_T:
		put_stack(t, v, false);
		return;
	case K23_ARG_STACK_T_OUT:
		put_stack(t, v, true);
		return;
	case K23_ARG_STAT_OUT:
		put_stat(t, v);
		return;
	case K23_ARG_STATX_OUT:
		put_statx(t, v);
		return;
	case K23_ARG_STATFS_OUT:
		put_statfs(t, v);
		return;
	case K23_ARG_PIPEFDS_OUT:
		put_pipefds(t, v);
		return;
	case K23_ARG_WSTATUS_OUT:
		put_wstatus(t, v);
		return;
	case K23_ARG_TIMESPEC:
		put_timespec(t, v, false, false);
		return;
	case K23_ARG_TIMESPEC_OUT:
		put_timespec(t, v, true, false);
		return;
	case K23_ARG_TIMEVAL_OUT:
		put_timespec(t, v, true, true);
		return;
	case K23_ARG_CLOCKID:
		if (!k23_fmt_enum(f, (unsigned)v, k23_xlat_clockid))
			k23_fmt_dec(f, (int)v);
		return;
	case K23_ARG_RLIMIT:
		put_rlimit(t, v, false);
		return;
	case K23_ARG_RLIMIT_OUT:
		put_rlimit(t, v, true);
		return;
	case K23_ARG_ARGV:
		put_argv(t, v);
		return;
	case K23_ARG_ENVP:
		put_envp(t, v);
		return;
	case K23_ARG_UTSNAME_OUT:
		put_utsname(t, v);
		return;
	case K23_ARG_SYSINFO_OUT:
		put_sysinfo(t, v);
		return;
	case K23_ARG_DIRENTS_OUT:
		put_dirents(t, v);
		return;
	case K23_ARG_POLLFDS:
		put_pollfds(t, v, len, false);
		return;
	case K23_ARG_IOVEC_IN:
		put_iovec(t, v, len, (unsigned long)-1);
		return;
	case K23_ARG_IOVEC_OUT:
		if (t->failed)
			k23_fmt_addr(f, v);
		else
			put_iovec(t, v, len, (unsigned long)t->c->ret);
		return;
	case K23_ARG_SOCK_TYPE:
		put_sock_type(f, (unsigned)v);
		return;
	case K23_ARG_SOCK_PROTO:
		put_sock_proto(t, v);
		return;
	case K23_ARG_SOCKADDR:
		put_sockaddr(t, v, (unsigned)len);
		return;
	case K23_ARG_CPUSET_OUT:
		put_cpuset(t, v);
		return;
	case K23_ARG_RUSAGE_WHO:
		if (!k23_fmt_enum(f, (unsigned long)(long)(int)v, k23_xlat_rusage_who))
			k23_fmt_dec(f, (int)v);
		return;
	default:
		/* Flag words are at most 32 bits except clone's. */
		if (!put_named(f, d->arg[i], d->arg[i] == K23_ARG_CLONE_FLAGS ? v : (unsigned)v))
			k23_fmt_hex(f, v);
		return;
	}
}

static void put_args_generic(const struct tr *t, const struct k23_syscall_desc *d, int nargs)
{
	bool any = false;

	for (int i = 0; i < nargs; i++) {
		if (!shown(t, d, i))
			continue;
		if (any)
			sep(t);
		any = true;
		put_arg(t, d, i);
	}
}

/* ---- Calls whose arguments depend on each other ---- */

/* clone(flags, stack, parent_tid, child_tid, tls) on x86-64, as strace:
 * child_stack=, flags=CLONE_...|SIGCHLD, then only the pointers the flags use. */
static void dec_clone(const struct tr *t)
{
	struct k23_fmt *f = t->f;
	unsigned long flags = arg(t, 0) & ~CSIGNAL_MASK, sig = arg(t, 0) & CSIGNAL_MASK;
	int tid;

	k23_fmt_str(f, "child_stack=");
	k23_fmt_addr(f, arg(t, 1));
	k23_fmt_str(f, ", flags=");
	if (flags) {
		k23_fmt_flags(f, flags, k23_xlat_clone_flags, NULL);
		if (sig)
			k23_fmt_char(f, '|');
	}
	if (sig || !flags)
		put_signame(f, (long)sig);
	if (flags & (0x100000 | 0x1000)) {	/* CLONE_PARENT_SETTID | CLONE_PIDFD */
		k23_fmt_str(f, ", parent_tid=");
		if (!t->failed && fetch(t, &tid, arg(t, 2), sizeof(tid))) {
			k23_fmt_char(f, '[');
			k23_fmt_dec(f, tid);
			k23_fmt_char(f, ']');
		} else {
			k23_fmt_addr(f, arg(t, 2));
		}
	}
	if (flags & 0x80000) {			/* CLONE_SETTLS */
		k23_fmt_str(f, ", tls=");
		k23_fmt_addr(f, arg(t, 4));
	}
	if (flags & (0x1000000 | 0x200000)) {	/* CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID */
		k23_fmt_str(f, ", child_tidptr=");
		k23_fmt_addr(f, arg(t, 3));
	}
}

static void put_field_addr(struct k23_fmt *f, const char *name, uint64_t v)
{
	k23_fmt_str(f, name);
	k23_fmt_addr(f, v);
}

/* clone3(&args, size): the struct, then what the kernel wrote back. */
static void dec_clone3(const struct tr *t)
{
	struct k23_fmt *f = t->f;
	struct k_clone_args ca;
	unsigned long size = arg(t, 1);
	int v;

	/* clone_args v0 ends after tls (64 bytes); fields past it stay zero. */
	for (unsigned i = 0; i < sizeof(ca) / 8; i++)
		((uint64_t *)&ca)[i] = 0;
	if (size < 64 || !fetch(t, &ca, arg(t, 0), size < sizeof(ca) ? size : sizeof(ca))) {
		k23_fmt_addr(f, arg(t, 0));
	} else {
		k23_fmt_str(f, "{flags=");
		k23_fmt_flags(f, ca.flags, k23_xlat_clone_flags, NULL);
		if (ca.flags & 0x1000)
			put_field_addr(f, ", pidfd=", ca.pidfd);
		if (ca.flags & (0x1000000 | 0x200000))
			put_field_addr(f, ", child_tid=", ca.child_tid);
		if (ca.flags & 0x100000)
			put_field_addr(f, ", parent_tid=", ca.parent_tid);
		k23_fmt_str(f, ", exit_signal=");
		if (ca.exit_signal < 0x7fffffff)
			put_signame(f, (long)ca.exit_signal);
		else
			k23_fmt_udec(f, ca.exit_signal);
		put_field_addr(f, ", stack=", ca.stack);
		k23_fmt_str(f, ", stack_size=");
		k23_fmt_hex(f, ca.stack_size);
		if (ca.flags & 0x80000)
			put_field_addr(f, ", tls=", ca.tls);
		k23_fmt_char(f, '}');
		if (!t->failed && (ca.flags & (0x1000 | 0x100000))) {
			k23_fmt_str(f, " => {");
			if (ca.flags & 0x1000) {
				k23_fmt_str(f, "pidfd=");
				if (fetch(t, &v, ca.pidfd, sizeof(v))) {
					k23_fmt_char(f, '[');
					k23_fmt_dec(f, v);
					k23_fmt_char(f, ']');
				} else {
					k23_fmt_addr(f, ca.pidfd);
				}
			}
			if (ca.flags & 0x100000) {
				k23_fmt_str(f, ca.flags & 0x1000 ? ", parent_tid=" : "parent_tid=");
				if (fetch(t, &v, ca.parent_tid, sizeof(v))) {
					k23_fmt_char(f, '[');
					k23_fmt_dec(f, v);
					k23_fmt_char(f, ']');
				} else {
					k23_fmt_addr(f, ca.parent_tid);
				}
			}
			k23_fmt_char(f, '}');
		}
	}
	sep(t);
	k23_fmt_udec(f, size);
}

static void dec_futex(const struct tr *t)
{
	struct k23_fmt *f = t->f;
	unsigned op = (unsigned)arg(t, 1), val3 = (unsigned)arg(t, 5);

	k23_fmt_addr(f, arg(t, 0));
	sep(t);
	put_xval(f, op, k23_xlat_futex_op, "FUTEX_???");
	switch (op & 127) {
	case 0:		/* FUTEX_WAIT: val, timeout */
		sep(t);
		k23_fmt_udec(f, (unsigned)arg(t, 2));
		sep(t);
		put_timespec(t, arg(t, 3), false, false);
		break;
	case 6:		/* FUTEX_LOCK_PI, FUTEX_LOCK_PI2: timeout */
	case 13:
		sep(t);
		put_timespec(t, arg(t, 3), false, false);
		break;
	case 9:		/* FUTEX_WAIT_BITSET: val, timeout, bitset */
		sep(t);
		k23_fmt_udec(f, (unsigned)arg(t, 2));
		sep(t);
		put_timespec(t, arg(t, 3), false, false);
		sep(t);
		if (val3 == 0xffffffffu)
			k23_fmt_str(f, "FUTEX_BITSET_MATCH_ANY");
		else
			k23_fmt_hex(f, val3);
		break;
	case 10:	/* FUTEX_WAKE_BITSET: val, bitset */
		sep(t);
		k23_fmt_udec(f, (unsigned)arg(t, 2));
		sep(t);
		if (val3 == 0xffffffffu)
			k23_fmt_str(f, "FUTEX_BITSET_MATCH_ANY");
		else
			k23_fmt_hex(f, val3);
		break;
	case 1:		/* FUTEX_WAKE, FUTEX_FD: val */
	case 2:
		sep(t);
		k23_fmt_udec(f, (unsigned)arg(t, 2));
		break;
	case 7:		/* FUTEX_UNLOCK_PI, FUTEX_TRYLOCK_PI: nothing */
	case 8:
		break;
	case 3:		/* FUTEX_REQUEUE: val, val2, uaddr2 */
	case 4:		/* FUTEX_CMP_REQUEUE(_PI): ... and val3 */
	case 12:
	case 5:		/* FUTEX_WAKE_OP: ... and the encoded operation */
		sep(t);
		k23_fmt_udec(f, (unsigned)arg(t, 2));
		sep(t);
		k23_fmt_udec(f, (unsigned)arg(t, 3));
		sep(t);
		k23_fmt_addr(f, arg(t, 4));
		if ((op & 127) == 3)
			break;
		sep(t);
		if ((op & 127) != 5) {
			k23_fmt_udec(f, val3);
			break;
		}
		if ((val3 >> 28) & 8)
			k23_fmt_str(f, "FUTEX_OP_OPARG_SHIFT<<28|");
		put_xval(f, (val3 >> 28) & 7, k23_xlat_futex_wake_op, NULL);
		k23_fmt_str(f, "<<28|");
		k23_fmt_hex(f, (val3 >> 12) & 0xfff);
		k23_fmt_str(f, "<<12|");
		put_xval(f, (val3 >> 24) & 0xf, k23_xlat_futex_wake_cmp, NULL);
		k23_fmt_str(f, "<<24|");
		k23_fmt_hex(f, val3 & 0xfff);
		break;
	case 11:	/* FUTEX_WAIT_REQUEUE_PI: val, timeout, uaddr2 */
		sep(t);
		k23_fmt_udec(f, (unsigned)arg(t, 2));
		sep(t);
		put_timespec(t, arg(t, 3), false, false);
		sep(t);
		k23_fmt_addr(f, arg(t, 4));
		break;
	default:
		sep(t);
		k23_fmt_udec(f, (unsigned)arg(t, 2));
		sep(t);
		k23_fmt_addr(f, arg(t, 3));
		sep(t);
		k23_fmt_addr(f, arg(t, 4));
		sep(t);
		k23_fmt_hex(f, val3);
	}
}

static void put_flock(const struct tr *t, unsigned long addr, bool with_pid)
{
	static const struct k23_flag types[] = {
		{ 0, "F_RDLCK" }, { 1, "F_WRLCK" }, { 2, "F_UNLCK" }, { 0, NULL }
	};
	struct k23_fmt *f = t->f;
	struct k_flock fl;

	if ((with_pid && t->failed) || !fetch(t, &fl, addr, sizeof(fl))) {
		k23_fmt_addr(f, addr);
		return;
	}
	k23_fmt_str(f, "{l_type=");
	put_xval(f, (unsigned short)fl.type, types, "F_???");
	k23_fmt_str(f, ", l_whence=");
	put_xval(f, (unsigned short)fl.whence, k23_xlat_whence, "SEEK_???");
	k23_fmt_str(f, ", l_start=");
	k23_fmt_dec(f, fl.start);
	k23_fmt_str(f, ", l_len=");
	k23_fmt_dec(f, fl.len);
	if (with_pid) {
		k23_fmt_str(f, ", l_pid=");
		k23_fmt_dec(f, fl.pid);
	}
	k23_fmt_char(f, '}');
}

static void dec_fcntl(const struct tr *t)
{
	struct k23_fmt *f = t->f;
	unsigned cmd = (unsigned)arg(t, 1);
	unsigned long v = arg(t, 2);

	k23_fmt_dec(f, (int)arg(t, 0));
	sep(t);
	put_xval(f, cmd, k23_xlat_fcntl_cmd, "F_???");
	switch (cmd) {
	case 1: case 3: case 9: case 11: case 1025: case 1032: case 1034:
		return;		/* F_GET*: no argument */
	case 0: case 8: case 1030: case 1031:	/* F_DUPFD, F_SETOWN, F_DUPFD_CLOEXEC, F_SETPIPE_SZ */
		sep(t);
		k23_fmt_dec(f, (int)v);
		return;
	case 2:		/* F_SETFD */
		sep(t);
		k23_fmt_flags(f, v, k23_xlat_fd_flags, NULL);
		return;
	case 4:		/* F_SETFL */
		sep(t);
		put_open_flags(f, v);
		return;
	case 10:	/* F_SETSIG */
		sep(t);
		put_signame(f, (int)v);
		return;
	case 1033:	/* F_ADD_SEALS */
		sep(t);
		k23_fmt_flags(f, v, k23_xlat_seals, NULL);
		return;
	case 6: case 7: case 37: case 38:	/* F_SETLK(W), F_OFD_SETLK(W) */
		sep(t);
		put_flock(t, v, false);
		return;
	case 5: case 36:			/* F_GETLK, F_OFD_GETLK */
		sep(t);
		put_flock(t, v, true);
		return;
	default:
		sep(t);
		k23_fmt_hex(f, v);
	}
}

static void dec_arch_prctl(const struct tr *t)
{
	struct k23_fmt *f = t->f;
	unsigned code = (unsigned)arg(t, 0);
	unsigned long v;

	put_xval(f, code, k23_xlat_arch_prctl, "ARCH_???");
	if (code == 0x1011)		/* ARCH_GET_CPUID has no argument */
		return;
	sep(t);
	if (code == 0x1003 || code == 0x1004) {	/* ARCH_GET_FS/GS write a pointer */
		if (!t->failed && fetch_ulong(t, &v, arg(t, 1))) {
			k23_fmt_char(f, '[');
			k23_fmt_hex(f, v);
			k23_fmt_char(f, ']');
		} else {
			k23_fmt_addr(f, arg(t, 1));
		}
		return;
	}
	k23_fmt_hex(f, arg(t, 1));
}

/* The remaining prctl arguments from index `from` to 4, in hex. */
static void prctl_rest(const struct tr *t, int from)
{
	for (int i = from; i <= 4; i++) {
		sep(t);
		k23_fmt_hex(t->f, arg(t, i));
	}
}

static void dec_prctl(const struct tr *t)
{
	struct k23_fmt *f = t->f;
	unsigned option = (unsigned)arg(t, 0);

	put_xval(f, option, k23_xlat_prctl, "PR_???");
	switch (option) {
	case 3: case 7: case 21:	/* PR_GET_DUMPABLE, PR_GET_KEEPCAPS, PR_GET_SECCOMP */
		return;
	case 15:			/* PR_SET_NAME */
		sep(t);
		put_cstr(t, arg(t, 1));
		return;
	case 16:			/* PR_GET_NAME */
		sep(t);
		if (t->failed)
			k23_fmt_addr(f, arg(t, 1));
		else
			put_cstr(t, arg(t, 1));
		return;
	case 1:				/* PR_SET_PDEATHSIG */
		sep(t);
		if (arg(t, 1) > 128)
			k23_fmt_udec(f, arg(t, 1));
		else
			put_signame(f, (long)arg(t, 1));
		return;
	case 8: case 36:		/* PR_SET_KEEPCAPS, PR_SET_CHILD_SUBREAPER */
		sep(t);
		k23_fmt_udec(f, arg(t, 1));
		return;
	case 38: case 41:		/* PR_SET_NO_NEW_PRIVS, PR_SET_THP_DISABLE */
		sep(t);
		k23_fmt_udec(f, arg(t, 1));
		prctl_rest(t, 2);
		return;
	case 59: {			/* PR_SET_SYSCALL_USER_DISPATCH */
		static const struct k23_flag sud[] = {
			{ 0, "PR_SYS_DISPATCH_OFF" }, { 1, "PR_SYS_DISPATCH_ON" }, { 0, NULL }
		};
		sep(t);
		put_xval(f, arg(t, 1), sud, "PR_SYS_DISPATCH_???");
		sep(t);
		k23_fmt_hex(f, arg(t, 2));
		sep(t);
		k23_fmt_hex(f, arg(t, 3));
		sep(t);
		k23_fmt_addr(f, arg(t, 4));
		return;
	}
	default:
		prctl_rest(t, 1);
	}
}

/* rt_sigreturn restores the mask stored in the signal frame at the program's
 * %rsp; that %rsp is only known on the SIGSYS path (c->uc). */
static void dec_rt_sigreturn(const struct tr *t)
{
	unsigned long rsp;
	uint64_t mask;

	if (!t->c->uc || !fetch_ulong(t, &rsp, (unsigned long)t->c->uc + UC_RSP_OFFSET) ||
	    !fetch(t, &mask, rsp + UC_SIGMASK_OFFSET, sizeof(mask)))
		return;
	k23_fmt_str(t->f, "{mask=");
	put_sigmask(t->f, mask);
	k23_fmt_char(t->f, '}');
}

static void put_args(const struct tr *t, const struct k23_syscall_desc *d)
{
	const struct k23_call *c = t->c;

	if (!d) {
		/* Unknown to k23: all six registers, as strace prints unknown calls. */
		for (int i = 0; i < 6; i++) {
			if (i)
				sep(t);
			k23_fmt_hex(t->f, arg(t, i));
		}
		return;
	}
	switch (c->nr) {
	case __NR_clone: dec_clone(t); return;
	case __NR_clone3: dec_clone3(t); return;
	case __NR_futex: dec_futex(t); return;
	case __NR_fcntl: dec_fcntl(t); return;
	case __NR_arch_prctl: dec_arch_prctl(t); return;
	case __NR_prctl: dec_prctl(t); return;
	case __NR_rt_sigreturn: dec_rt_sigreturn(t); return;
	case __NR_mremap:
		/* The new address is an argument only with MREMAP_FIXED. */
		put_args_generic(t, d, arg(t, 3) & MREMAP_FIXED_BIT ? 5 : 4);
		return;
	default:
		put_args_generic(t, d, d->nargs);
	}
}

/* ---- The result ---- */

static void put_error(struct k23_fmt *f, long ret)
{
	int e = (int)-ret;
	const char *name = k23_errno_name(e), *text = k23_errno_text(e);

	k23_fmt_str(f, "-1 ");
	if (name) {
		k23_fmt_str(f, name);
	} else {
		k23_fmt_str(f, "ERRNO_");
		k23_fmt_dec(f, e);
	}
	k23_fmt_str(f, " (");
	if (text) {
		k23_fmt_str(f, text);
	} else {
		k23_fmt_str(f, "Unknown error ");
		k23_fmt_dec(f, e);
	}
	k23_fmt_char(f, ')');
}

/* Results strace annotates: fcntl's flags, poll's ready fds, prctl's dumpable. */
static bool put_special_ret(const struct tr *t)
{
	struct k23_fmt *f = t->f;
	long r = t->c->ret;

	switch (t->c->nr) {
	case __NR_fcntl:
		switch (arg(t, 1)) {
		case 1:		/* F_GETFD */
			k23_fmt_hex(f, (unsigned long)r);
			if (r) {
				k23_fmt_str(f, " (flags ");
				k23_fmt_flags(f, (unsigned long)r, k23_xlat_fd_flags, NULL);
				k23_fmt_char(f, ')');
			}
			return true;
		case 3:		/* F_GETFL */
			k23_fmt_hex(f, (unsigned long)r);
			k23_fmt_str(f, " (flags ");
			put_open_flags(f, (unsigned long)r);
			k23_fmt_char(f, ')');
			return true;
		case 1034:	/* F_GET_SEALS */
			k23_fmt_hex(f, (unsigned long)r);
			if (r) {
				k23_fmt_str(f, " (seals ");
				k23_fmt_flags(f, (unsigned long)r, k23_xlat_seals, NULL);
				k23_fmt_char(f, ')');
			}
			return true;
		}
		return false;
	case __NR_poll:
	case __NR_ppoll:
		k23_fmt_dec(f, r);
		if (r == 0) {
			k23_fmt_str(f, " (Timeout)");
		} else {
			k23_fmt_str(f, " (");
			put_pollfds(t, arg(t, 0), (unsigned)arg(t, 1), true);
			k23_fmt_char(f, ')');
		}
		return true;
	case __NR_prctl:
		if (arg(t, 0) == 3) {	/* PR_GET_DUMPABLE */
			static const struct k23_flag dumpable[] = {
				{ 0, "SUID_DUMP_DISABLE" }, { 1, "SUID_DUMP_USER" },
				{ 2, "SUID_DUMP_ROOT" }, { 0, NULL }
			};
			k23_fmt_dec(f, r);
			k23_fmt_str(f, " (");
			put_xval(f, (unsigned long)r, dumpable, NULL);
			k23_fmt_char(f, ')');
			return true;
		}
		return false;
	}
	return false;
}

static void put_ret(const struct tr *t, const struct k23_syscall_desc *d)
{
	struct k23_fmt *f = t->f;
	long r = t->c->ret;

	k23_fmt_str(f, "= ");
	if (r == K23_RET_NONE) {
		k23_fmt_char(f, '?');
		return;
	}
	if (t->failed) {
		put_error(f, r);
		return;
	}
	if (put_special_ret(t))
		return;
	switch (d ? d->ret : K23_RET_DEC) {
	case K23_RET_HEX:
		k23_fmt_hex(f, (unsigned long)r);
		break;
	case K23_RET_OCT:
		k23_fmt_oct(f, (unsigned long)r);
		break;
	default:
		k23_fmt_dec(f, r);
	}
}

/* ---- The line ---- */

size_t k23_trace_format(const struct k23_call *c, int pid, char *buf, size_t size)
{
	const struct k23_syscall_desc *d = k23_syscall_desc(c->nr);
	const char *name = k23_syscall_name(c->nr);
	struct k23_fmt f;
	struct tr t = {
		.f = &f,
		.c = c,
		/* a thread id: the process id names a zombie once the main thread exits */
		.self = k23_syscall0(__NR_gettid),
		.failed = c->ret != K23_RET_NONE && k23_is_error(c->ret),
	};

	if (size < 2) {
		if (size)
			buf[0] = '\0';
		return 0;
	}
	/* One byte is kept back for the newline; the arguments may not eat
	 * into TAIL_RESERVE, so an overlong line still shows its result. */
	k23_fmt_init(&f, buf, size - 1);
	f.size = size - 1 - (TAIL_RESERVE < (size - 1) / 2 ? TAIL_RESERVE : (size - 1) / 2);
	if (pid > 0) {
		/* strace -f: "[pid %5u] " */
		k23_fmt_str(&f, "[pid ");
		for (int w = 10000; w > 1 && pid < w; w /= 10)
			k23_fmt_char(&f, ' ');
		k23_fmt_dec(&f, pid);
		k23_fmt_str(&f, "] ");
	}
	if (name) {
		k23_fmt_str(&f, name);
	} else {
		k23_fmt_str(&f, "syscall_");
		k23_fmt_hex(&f, (unsigned long)c->nr);
	}
	k23_fmt_char(&f, '(');
	put_args(&t, d);
	f.size = size - 1;
	if (f.truncated) {
		f.truncated = false;
		k23_fmt_str(&f, "...");
	}
	k23_fmt_str(&f, ") ");
	k23_fmt_pad(&f, RET_COLUMN);
	put_ret(&t, d);
	buf[f.len] = '\n';
	buf[f.len + 1] = '\0';
	return f.len + 1;
}

static void trace(const struct k23_call *c)
{
	char line[K23_TRACE_LINE_MAX];
	int fd = __atomic_load_n(&k23_rt.out_fd, __ATOMIC_RELAXED);
	size_t n, off = 0;

	if (fd < 0)
		return;
	n = k23_trace_format(c, (int)k23_syscall0(__NR_gettid), line, sizeof(line));
	/* One write keeps the line whole; only a signal or a full disk can cut
	 * it short, and then the rest follows at once. */
	while (off < n) {
		long w = k23_syscall3(__NR_write, fd, (long)(line + off), (long)(n - off));

		if (w == -4)	/* EINTR */
			continue;
		if (w <= 0)
			return;
		off += (size_t)w;
	}
}

const struct k23_tool k23_tool_trace = { "trace", trace };
