/* tool_trace.c - the trace tool: one strace-style line per system call.
 *
 * Each call becomes one line, "[pid  N] name(args) = ret", in the format of
 * `strace -f` (strace 6.x defaults: strings cut at 32 bytes, structures
 * abbreviated with "..."), so existing habits and scripts work on k23 traces.
 * The line is built in a stack buffer and written with ONE write(2) to
 * k23_rt.out_fd: lines of concurrent threads and processes never interleave.
 *
 * The program's memory (paths, buffers, structures) is read with
 * process_vm_readv on our own thread rather than dereferenced: a bad pointer
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
 * The decoders live in trace_values.c and trace_args.c (see trace.h).
 *
 * Freestanding, reentrant, async-signal-safe: no libc, no static buffers.
 * Stack: the 1.5 KiB line, and below it at most a 1 KiB path buffer; about
 * 3.5 KiB in all (gcc -fstack-usage), so the stack the tool runs on must
 * have that much to spare.
 */
#include "online/tools/trace.h"
#include "online/policy/policy.h"

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
		switch (k23_tr_arg(t, 1)) {
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
			k23_tr_put_open_flags(f, (unsigned long)r);
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
			k23_tr_put_pollfds(t, k23_tr_arg(t, 0), (unsigned)k23_tr_arg(t, 1), true);
			k23_fmt_char(f, ')');
		}
		return true;
	case __NR_prctl:
		if (k23_tr_arg(t, 0) == 3) {	/* PR_GET_DUMPABLE */
			static const struct k23_flag dumpable[] = {
				{ 0, "SUID_DUMP_DISABLE" }, { 1, "SUID_DUMP_USER" },
				{ 2, "SUID_DUMP_ROOT" }, { 0, NULL }
			};
			k23_fmt_dec(f, r);
			k23_fmt_str(f, " (");
			k23_tr_put_xval(f, (unsigned long)r, dumpable, NULL);
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
	k23_tr_put_args(&t, d);
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
	size_t n;

	if (__atomic_load_n(&k23_rt.out_fd, __ATOMIC_RELAXED) < 0)
		return;
	n = k23_trace_format(c, (int)k23_syscall0(__NR_gettid), line, sizeof(line));
	if (c->policy && n) /* the policy's verdict, before the newline */
		n = n - 1 + k23_policy_describe(c, line + n - 1, sizeof(line) - n);
	if (line[n - 1] != '\n')
		line[n++] = '\n';
	/* One write keeps the line whole; only a signal or a full disk can cut
	 * it short, and then the rest follows at once. */
	k23_rt_output(line, n);
}

const struct k23_tool k23_tool_trace = { "trace", trace };
