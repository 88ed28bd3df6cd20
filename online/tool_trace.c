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
 * Freestanding, reentrant, async-signal-safe: no libc, no static buffers;
 * the deepest frame holds the 1.5 KiB line plus a 1 KiB path buffer.
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
	long self;		/* our pid: the process whose memory we read */
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

/* Enumeration value by name, else "0x63 /- F_??? -/" as strace prints unknowns. */
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

/* strace's sprintsigmask: "[INT TERM]", or "~[...]" listing the signals NOT
 * in the set when two thirds or more are in it. */
static void put_sigmask(struct k23_fmt *f, uint64_t mask)
{
	char open = '[';

	if (__builtin_popcountll(mask) >= 64 * 2 / 3) {
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
	bool first = true;

	if (!addr || nfds > 1024 * 1024) {
		k23_fmt_addr(f, addr);
		return;
	}
	k23_fmt_char(f, '[');
	for (unsigned long i = 0; i < nfds; i++) {
		if (!fetch(t, &p, addr + i * sizeof(p), sizeof(p))) {
			if (first)
				f->len--, k23_fmt_addr(f, addr);	/* replace the '[' */
			else
				k23_fmt_str(f, ", ...]");
			return;
		}
		if (revents_only && !p.revents)
			continue;
		if (!first)
			k23_fmt_str(f, ", ");
		if (i >= ARRAY_SHOWN) {
			k23_fmt_str(f, "...");
			break;
		}
		first = false;
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

static void put_timespec(const struct tr *t, unsigned long addr, bool out)
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
	k23_fmt_str(t->f, out == 2 ? ", tv_usec=" : ", tv_nsec=");
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
