/* trace_values.c - the trace tool's readers and formatters of values: program memory, signals, files, strings, structures, socket addresses. */
#include "online/tools/trace.h"

static long vm_read(const struct tr *t, void *dst, unsigned long addr, size_t n)
{
	struct k_iovec local = { (unsigned long)dst, n }, remote = { addr, n };

	return k23_syscall6(__NR_process_vm_readv, t->self, (long)&local, 1, (long)&remote, 1, 0);
}

/* All n bytes at addr, or false (NULL, unmapped, unreadable). */
bool k23_tr_fetch(const struct tr *t, void *dst, unsigned long addr, size_t n)
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

unsigned long k23_tr_arg(const struct tr *t, int i)
{
	return (unsigned long)t->c->args[i];
}

void k23_tr_sep(const struct tr *t)
{
	if (t->seps && t->seps->n < TR_MAX_SEPS)
		t->seps->pos[t->seps->n++] = t->f->len;
	k23_fmt_mem(t->f, ", ", 2);
}

/* A path from the kernel (-y), between < and >: printable bytes as they
 * are, others and the brackets escaped as strace does. */
static void put_bracketed(struct k23_fmt *f, const char *p)
{
	static const char digits[] = "01234567";

	k23_fmt_char(f, '<');
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c >= ' ' && c < 0x7f && c != '<' && c != '>' && c != '\\') {
			k23_fmt_char(f, (char)c);
			continue;
		}
		k23_fmt_char(f, '\\');
		k23_fmt_char(f, digits[c >> 6]);
		k23_fmt_char(f, digits[(c >> 3) & 7]);
		k23_fmt_char(f, digits[c & 7]);
	}
	k23_fmt_char(f, '>');
}

void k23_tr_put_fd_path(const struct tr *t, const char *path)
{
	put_bracketed(t->f, path);
}

/* A descriptor: its number and, with -y, <the path it names> now. */
void k23_tr_put_fd(const struct tr *t, int fd)
{
	char path[K23_FDPATH_MAX];

	if (fd == AT_FDCWD_VALUE)
		k23_fmt_str(t->f, "AT_FDCWD");
	else
		k23_fmt_dec(t->f, fd);
	if (t->o && (t->o->flags & K23_TO_FDPATH) && k23_fd_path(fd, path, sizeof(path)) >= 0)
		put_bracketed(t->f, path);
}

/* Enumeration value by name, else hex with the comment `unknown` (F_???), as strace. */
void k23_tr_put_xval(struct k23_fmt *f, unsigned long v, const struct k23_flag *tbl,
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

void k23_tr_put_signame(struct k23_fmt *f, long sig)
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
void k23_tr_put_sigmask(struct k23_fmt *f, uint64_t mask)
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

void k23_tr_put_sigset_at(const struct tr *t, unsigned long addr, unsigned long size)
{
	uint64_t mask = 0;

	if (!addr) {
		k23_fmt_str(t->f, "NULL");
		return;
	}
	if (size == 0 || size > 8 || size % 8 || !k23_tr_fetch(t, &mask, addr, 8)) {
		k23_fmt_addr(t->f, addr);
		return;
	}
	k23_tr_put_sigmask(t->f, mask);
}

void k23_tr_put_sigaction_at(const struct tr *t, unsigned long addr)
{
	struct k_sigaction sa;
	struct k23_fmt *f = t->f;

	if (!k23_tr_fetch(t, &sa, addr, sizeof(sa))) {
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
	k23_tr_put_sigmask(f, sa.mask);
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

void k23_tr_put_stat(const struct tr *t, unsigned long addr)
{
	struct k_stat st;
	struct k23_fmt *f = t->f;

	if (t->failed || !k23_tr_fetch(t, &st, addr, sizeof(st))) {
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

void k23_tr_put_statx(const struct tr *t, unsigned long addr)
{
	struct statx stx;
	struct k23_fmt *f = t->f;

	if (t->failed || !k23_tr_fetch(t, &stx, addr, sizeof(stx))) {
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

void k23_tr_put_statfs(const struct tr *t, unsigned long addr)
{
	struct k_statfs s;
	struct k23_fmt *f = t->f;

	if (t->failed || !k23_tr_fetch(t, &s, addr, sizeof(s))) {
		k23_fmt_addr(f, addr);
		return;
	}
	k23_fmt_str(f, "{f_type=");
	k23_tr_put_xval(f, (unsigned long)s.type, k23_xlat_fs_magic, NULL);
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
void k23_tr_put_path(const struct tr *t, unsigned long addr)
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

/* A C string cut at -s bytes, as strace's printstr. */
void k23_tr_put_cstr(const struct tr *t, unsigned long addr)
{
	char s[K23_STR_MAX + 1];
	size_t max = t->f->strmax + 1 < sizeof(s) ? t->f->strmax + 1 : sizeof(s);
	long n;

	if (!addr) {
		k23_fmt_str(t->f, "NULL");
		return;
	}
	n = fetch_str(t, s, addr, max);
	if (n < 0)
		k23_fmt_addr(t->f, addr);
	else
		k23_fmt_cstring(t->f, s, (size_t)n);
}

/* len bytes at addr, cut at -s bytes, as strace's printstrn. */
void k23_tr_put_buf(const struct tr *t, unsigned long addr, unsigned long len, unsigned style)
{
	char s[K23_STR_MAX];
	size_t max = t->f->strmax < sizeof(s) ? t->f->strmax : sizeof(s);
	size_t n = len < max ? len : max;

	if (!addr) {
		k23_fmt_str(t->f, "NULL");
		return;
	}
	if (!k23_tr_fetch(t, s, addr, n)) {
		k23_fmt_addr(t->f, addr);
		return;
	}
	k23_fmt_buffer(t->f, s, len, style);
}

/* Output data: its address when the call failed, else ret bytes of it. */
void k23_tr_put_buf_out(const struct tr *t, unsigned long addr, unsigned style)
{
	if (t->failed)
		k23_fmt_addr(t->f, addr);
	else
		k23_tr_put_buf(t, addr, (unsigned long)t->c->ret, style);
}

bool k23_tr_fetch_ulong(const struct tr *t, unsigned long *v, unsigned long addr)
{
	return k23_tr_fetch(t, v, addr, sizeof(*v));
}

/* execve's argv: ["sh", "-c", "..."], at most t->f->strmax strings. */
void k23_tr_put_argv(const struct tr *t, unsigned long addr)
{
	struct k23_fmt *f = t->f;
	unsigned long p;

	if (!addr) {
		k23_fmt_str(f, "NULL");
		return;
	}
	for (int n = 0;; n++) {
		if (!k23_tr_fetch_ulong(t, &p, addr + 8UL * n)) {
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
		if ((size_t)n >= t->f->strmax) {
			k23_fmt_str(f, "...");
			break;
		}
		k23_tr_put_cstr(t, p);
	}
	k23_fmt_char(f, ']');
}

/* execve's envp: 0x7ffd... followed by a count comment. */
void k23_tr_put_envp(const struct tr *t, unsigned long addr)
{
	unsigned long p = 1;
	unsigned long n = 0;

	k23_fmt_addr(t->f, addr);
	if (!addr)
		return;
	for (; n < 1000000; n++)
		if (!k23_tr_fetch_ulong(t, &p, addr + 8 * n) || !p)
			break;
	if (p)
		return;
	k23_fmt_str(t->f, " /* ");
	k23_fmt_udec(t->f, n);
	k23_fmt_str(t->f, n == 1 ? " var */" : " vars */");
}

/* getdents64's buffer: its address and how many entries the kernel wrote. */
void k23_tr_put_dirents(const struct tr *t, unsigned long addr)
{
	unsigned long off = 0, n = 0;
	uint16_t reclen;

	k23_fmt_addr(t->f, addr);
	if (t->failed)
		return;
	while (off < (unsigned long)t->c->ret) {
		/* struct linux_dirent64: d_reclen sits after d_ino and d_off. */
		if (!k23_tr_fetch(t, &reclen, addr + off + 16, sizeof(reclen)) || reclen == 0)
			return;
		off += reclen;
		n++;
	}
	k23_fmt_str(t->f, " /* ");
	k23_fmt_udec(t->f, n);
	k23_fmt_str(t->f, n == 1 ? " entry */" : " entries */");
}

/* struct pollfd[nfds]: the events asked for, or (revents_only) those that came. */
void k23_tr_put_pollfds(const struct tr *t, unsigned long addr, unsigned long nfds, bool revents_only)
{
	struct k23_fmt *f = t->f;
	struct k_pollfd p;
	unsigned shown = 0;

	if (!addr || (nfds && !k23_tr_fetch(t, &p, addr, sizeof(p)))) {
		k23_fmt_addr(f, addr);
		return;
	}
	k23_fmt_char(f, '[');
	for (unsigned long i = 0; i < nfds; i++) {
		/* Like strace, stop after t->f->strmax elements; and do not scan a
		 * huge array for the few that have revents. */
		if ((size_t)shown == t->f->strmax || i == 4096 || !k23_tr_fetch(t, &p, addr + i * sizeof(p), sizeof(p))) {
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
void k23_tr_put_iovec(const struct tr *t, unsigned long addr, unsigned long cnt, unsigned long data)
{
	struct k23_fmt *f = t->f;
	struct k_iovec v;

	if (!addr || cnt > 1024) {
		k23_fmt_addr(f, addr);
		return;
	}
	if (cnt && !k23_tr_fetch(t, &v, addr, sizeof(v))) {
		k23_fmt_addr(f, addr);
		return;
	}
	k23_fmt_char(f, '[');
	for (unsigned long i = 0; i < cnt; i++) {
		unsigned long len;

		if (i)
			k23_fmt_str(f, ", ");
		if ((size_t)i >= t->f->strmax) {
			k23_fmt_str(f, "...");
			break;
		}
		if (!k23_tr_fetch(t, &v, addr + i * sizeof(v), sizeof(v))) {
			k23_fmt_str(f, "...");
			break;
		}
		len = v.len < data ? v.len : data;
		if (data != (unsigned long)-1)
			data -= len;
		k23_fmt_str(f, "{iov_base=");
		k23_tr_put_buf(t, v.base, len, 0);
		k23_fmt_str(f, ", iov_len=");
		k23_fmt_udec(f, v.len);
		k23_fmt_char(f, '}');
	}
	k23_fmt_char(f, ']');
}

/* ---- Small structures ---- */

/* A struct timespec (or, usec, a struct timeval); out: written by the kernel,
 * so only meaningful when the call succeeded. */
void k23_tr_put_timespec(const struct tr *t, unsigned long addr, bool out, bool usec)
{
	struct k_timespec ts;

	if (!addr) {
		k23_fmt_str(t->f, "NULL");
		return;
	}
	if ((out && t->failed) || !k23_tr_fetch(t, &ts, addr, sizeof(ts))) {
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

void k23_tr_put_rlimit(const struct tr *t, unsigned long addr, bool out)
{
	struct k_rlimit rl;

	if (!addr) {
		k23_fmt_str(t->f, "NULL");
		return;
	}
	if ((out && t->failed) || !k23_tr_fetch(t, &rl, addr, sizeof(rl))) {
		k23_fmt_addr(t->f, addr);
		return;
	}
	k23_fmt_str(t->f, "{rlim_cur=");
	put_rlim(t->f, rl.cur);
	k23_fmt_str(t->f, ", rlim_max=");
	put_rlim(t->f, rl.max);
	k23_fmt_char(t->f, '}');
}

void k23_tr_put_stack(const struct tr *t, unsigned long addr, bool out)
{
	struct k_stack ss;
	struct k23_fmt *f = t->f;

	if (!addr) {
		k23_fmt_str(f, "NULL");
		return;
	}
	if ((out && t->failed) || !k23_tr_fetch(t, &ss, addr, sizeof(ss))) {
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

void k23_tr_put_pipefds(const struct tr *t, unsigned long addr)
{
	int fds[2];

	if (t->failed || !k23_tr_fetch(t, fds, addr, sizeof(fds))) {
		k23_fmt_addr(t->f, addr);
		return;
	}
	k23_fmt_char(t->f, '[');
	k23_tr_put_fd(t, fds[0]);
	k23_fmt_str(t->f, ", ");
	k23_tr_put_fd(t, fds[1]);
	k23_fmt_char(t->f, ']');
}

/* A wait status as strace's printstatus: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]. */
void k23_tr_put_wstatus(const struct tr *t, unsigned long addr)
{
	struct k23_fmt *f = t->f;
	int s;

	if (!addr) {
		k23_fmt_str(f, "NULL");
		return;
	}
	if (t->failed || t->c->ret == 0 || !k23_tr_fetch(t, &s, addr, sizeof(s))) {
		k23_fmt_addr(f, addr);
		return;
	}
	if ((s & 0xff) == 0x7f) {
		k23_fmt_str(f, "[{WIFSTOPPED(s) && WSTOPSIG(s) == ");
		k23_tr_put_signame(f, (s >> 8) & 0x7f);
		if ((s >> 8) & 0x80)
			k23_fmt_str(f, " | 0x80");
		k23_fmt_char(f, '}');
		s &= ~0xffff;
	} else if ((s & 0x7f) != 0) {
		k23_fmt_str(f, "[{WIFSIGNALED(s) && WTERMSIG(s) == ");
		k23_tr_put_signame(f, s & 0x7f);
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

void k23_tr_put_utsname(const struct tr *t, unsigned long addr)
{
	/* struct new_utsname: six 65-byte strings; strace shows the first two. */
	char u[130];

	if (t->failed || !k23_tr_fetch(t, u, addr, sizeof(u))) {
		k23_fmt_addr(t->f, addr);
		return;
	}
	k23_fmt_str(t->f, "{sysname=");
	k23_fmt_quote(t->f, u, 65, K23_QUOTE_NUL);
	k23_fmt_str(t->f, ", nodename=");
	k23_fmt_quote(t->f, u + 65, 65, K23_QUOTE_NUL);
	k23_fmt_str(t->f, ", ...}");
}

void k23_tr_put_sysinfo(const struct tr *t, unsigned long addr)
{
	struct sysinfo si;
	struct k23_fmt *f = t->f;

	if (t->failed || !k23_tr_fetch(t, &si, addr, sizeof(si))) {
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
void k23_tr_put_cpuset(const struct tr *t, unsigned long addr)
{
	struct k23_fmt *f = t->f;
	unsigned long words = (unsigned long)t->c->ret / 8, w;
	char open = '[';

	if (t->failed || words > 1024) {
		k23_fmt_addr(f, addr);
		return;
	}
	for (unsigned long i = 0; i < words; i++) {
		if (!k23_tr_fetch_ulong(t, &w, addr + 8 * i)) {
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
void k23_tr_put_sockaddr(const struct tr *t, unsigned long addr, unsigned long len)
{
	struct k23_fmt *f = t->f;
	unsigned char sa[128];
	size_t n = len < sizeof(sa) ? len : sizeof(sa);
	unsigned family;

	if (!addr) {
		k23_fmt_str(f, "NULL");
		return;
	}
	if (len < 2 || !k23_tr_fetch(t, sa, addr, n)) {
		k23_fmt_addr(f, addr);
		return;
	}
	family = sa[0] | (unsigned)sa[1] << 8;
	k23_fmt_str(f, "{sa_family=");
	k23_tr_put_xval(f, family, k23_xlat_af, NULL);
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
