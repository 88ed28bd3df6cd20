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
 * Stack: the line (3 KiB, room for --json's escapes), with --json the text
 * line it is made from (1.5 KiB), and below them at most a 1 KiB string or
 * path buffer and a 1 KiB descriptor path (-y): about 8 KiB in all, which
 * a level of k23's private stack (28 KiB) and the signal stack have to
 * spare.
 *
 * strace's options (-y, -s, -t, -T, -e status=, --json: online/tools/
 * topts.h) are read from the shared state k23 wrote before the start.
 */
#include "online/tools/trace.h"
#include "online/policy/policy.h"
#include "online/core/rtlib.h"
#include "online/core/tarea.h"

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

/* Calls whose result is a descriptor (strace's RVAL_FD): with -y it is
 * shown with its path. */
static bool returns_fd(const struct tr *t)
{
	switch (t->c->nr) {
	case __NR_open: case __NR_openat: case __NR_openat2: case __NR_creat: case __NR_dup:
	case __NR_dup2: case __NR_dup3: case __NR_socket: case __NR_accept: case __NR_accept4:
	case __NR_epoll_create: case __NR_epoll_create1: case __NR_eventfd: case __NR_eventfd2:
	case __NR_signalfd: case __NR_signalfd4: case __NR_timerfd_create: case __NR_memfd_create:
	case __NR_inotify_init: case __NR_inotify_init1: case __NR_fanotify_init:
	case __NR_pidfd_open: case __NR_pidfd_getfd: case __NR_perf_event_open:
	case __NR_userfaultfd: case __NR_open_by_handle_at: case __NR_io_uring_setup:
	case __NR_memfd_secret: case __NR_fsopen: case __NR_fsmount: case __NR_open_tree:
		return true;
	case __NR_fcntl:	/* F_DUPFD, F_DUPFD_CLOEXEC */
		return k23_tr_arg(t, 1) == 0 || k23_tr_arg(t, 1) == 1030;
	}
	return false;
}

static void put_ret(const struct tr *t, const struct k23_syscall_desc *d)
{
	struct k23_fmt *f = t->f;
	long r = t->c->ret;

	if (r == K23_RET_NONE) {
		k23_fmt_char(f, '?');
		return;
	}
	if (t->failed) {
		put_error(f, r);
		return;
	}
	if (t->o && (t->o->flags & K23_TO_FDPATH) && returns_fd(t)) {
		k23_tr_put_fd(t, (int)r);
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

/* ---- Times (-t, -tt, -ttt, -T) ---- */

static uint64_t now_ns(int clock)
{
	struct k_timespec ts = { 0, 0 };

	k23_syscall2(__NR_clock_gettime, clock, (long)&ts);
	return (uint64_t)ts.sec * 1000000000ULL + (uint64_t)ts.nsec;
}

static void put_padded(struct k23_fmt *f, unsigned long v, int width)
{
	char d[24];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (int i = n; i < width; i++)
		k23_fmt_char(f, '0');
	while (n)
		k23_fmt_char(f, d[--n]);
}

/* strace's -t "HH:MM:SS ", -tt "HH:MM:SS.uuuuuu ", -ttt "SECONDS.uuuuuu "
 * (local time: the offset from UTC k23 found before the start). */
static void put_tstamp(struct k23_fmt *f, const struct k23_topts *o, uint64_t ns)
{
	unsigned long sec = (unsigned long)(ns / 1000000000ULL), us = (unsigned long)(ns % 1000000000ULL) / 1000;

	if (o->tstamp >= 3) {
		k23_fmt_udec(f, sec);
	} else {
		unsigned long day = (unsigned long)((long)sec + o->tz_offset) % 86400;

		put_padded(f, day / 3600, 2);
		k23_fmt_char(f, ':');
		put_padded(f, day / 60 % 60, 2);
		k23_fmt_char(f, ':');
		put_padded(f, day % 60, 2);
	}
	if (o->tstamp >= 2) {
		k23_fmt_char(f, '.');
		put_padded(f, us, 6);
	}
	k23_fmt_char(f, ' ');
}

/* -T: " <0.000123>", the time between entry and the report. */
static void put_duration(struct k23_fmt *f, uint64_t ns)
{
	k23_fmt_udec(f, (unsigned long)(ns / 1000000000ULL));
	k23_fmt_char(f, '.');
	put_padded(f, (unsigned long)(ns % 1000000000ULL) / 1000, 6);
}

static uint64_t duration_of(const struct k23_call *c)
{
	uint64_t now = now_ns(1 /* CLOCK_MONOTONIC */);

	return now > c->t_mono ? now - c->t_mono : 0;
}

/* ---- The line ---- */

/* Where the parts of a line lie, for --json. */
struct parts {
	struct tr_seps seps;
	size_t args, args_end, result, result_end;
};

static size_t format(const struct k23_call *c, int pid, const struct k23_topts *o, char *buf,
		     size_t size, struct parts *p)
{
	const struct k23_syscall_desc *d = k23_syscall_desc(c->nr);
	const char *name = k23_syscall_name(c->nr);
	struct k23_fmt f;
	size_t column = RET_COLUMN;
	struct tr t = {
		.f = &f,
		.c = c,
		/* a thread id: the process id names a zombie once the main thread exits */
		.self = k23_tid(),
		.failed = c->ret != K23_RET_NONE && k23_is_error(c->ret),
		.o = o,
		.seps = p ? &p->seps : 0,
	};

	if (size < 2) {
		if (size)
			buf[0] = '\0';
		return 0;
	}
	/* One byte is kept back for the newline; the arguments may not eat
	 * into TAIL_RESERVE, so an overlong line still shows its result. */
	k23_fmt_init(&f, buf, size - 1);
	if (o && o->strmax)
		f.strmax = o->strmax < K23_STR_MAX ? o->strmax : K23_STR_MAX;
	f.size = size - 1 - (TAIL_RESERVE < (size - 1) / 2 ? TAIL_RESERVE : (size - 1) / 2);
	if (pid > 0 && !p) {
		/* strace -f: "[pid %5u] " */
		k23_fmt_str(&f, "[pid ");
		for (int w = 10000; w > 1 && pid < w; w /= 10)
			k23_fmt_char(&f, ' ');
		k23_fmt_dec(&f, pid);
		k23_fmt_str(&f, "] ");
		/* -ff: k23's splitter takes the prefix off (cli/split.c); the
		 * result's column is counted without it, as in strace -ff's files */
		if (o && (o->flags & K23_TO_FF))
			column += f.len;
	}
	if (o && o->tstamp && !p)
		put_tstamp(&f, o, c->t_real);
	if (name) {
		k23_fmt_str(&f, name);
	} else {
		k23_fmt_str(&f, "syscall_");
		k23_fmt_hex(&f, (unsigned long)c->nr);
	}
	k23_fmt_char(&f, '(');
	if (p)
		p->args = f.len;
	k23_tr_put_args(&t, d);
	f.size = size - 1;
	if (f.truncated) {
		f.truncated = false;
		k23_fmt_str(&f, "...");
	}
	if (p)
		p->args_end = f.len;
	k23_fmt_str(&f, ") ");
	if (!p)
		k23_fmt_pad(&f, column);
	k23_fmt_str(&f, "= ");
	if (p)
		p->result = f.len;
	put_ret(&t, d);
	if (p)
		p->result_end = f.len;
	if (c->mark == K23_MARK_INJECTED)
		k23_fmt_str(&f, " (INJECTED)");
	else if (c->mark == K23_MARK_DELAYED)
		k23_fmt_str(&f, " (DELAYED)");
	if (o && (o->flags & K23_TO_DURATION) && c->ret != K23_RET_NONE && c->t_mono && !p) {
		k23_fmt_str(&f, " <");
		put_duration(&f, duration_of(c));
		k23_fmt_char(&f, '>');
	}
	buf[f.len] = '\n';
	buf[f.len + 1] = '\0';
	return f.len + 1;
}

size_t k23_trace_format(const struct k23_call *c, int pid, char *buf, size_t size)
{
	return format(c, pid, 0, buf, size, 0);
}

/* -e status=: whether the call's outcome is one asked for. */
static bool status_shown(const struct k23_topts *o, const struct k23_call *c)
{
	unsigned what;

	if (!o || !o->status)
		return true;
	if (c->ret == K23_RET_NONE)
		what = K23_ST_UNFINISHED;
	else
		what = k23_is_error(c->ret) ? K23_ST_FAILED : K23_ST_SUCCESSFUL;
	return (o->status & what) != 0;
}

/* ---- --json: one object per call (docs/strace-compat.md, "JSON") ---- */


static void json_key(struct k23_fmt *f, const char *key)
{
	k23_fmt_str(f, ",\"");
	k23_fmt_str(f, key);
	k23_fmt_str(f, "\":");
}

static void json_seconds(struct k23_fmt *f, uint64_t ns)
{
	put_duration(f, ns);
}

static size_t format_json(const struct k23_call *c, const struct k23_topts *o, char *out, size_t size)
{
	char line[K23_TRACE_LINE_MAX];
	struct parts p = { .seps = { .n = 0 } };
	const char *name = k23_syscall_name(c->nr);
	struct k23_fmt f;
	size_t start;

	format(c, 0, o, line, sizeof(line), &p);
	k23_fmt_init(&f, out, size - 1);
	k23_fmt_str(&f, "{\"pid\":");
	k23_fmt_dec(&f, k23_syscall0(__NR_getpid));
	json_key(&f, "tid");
	k23_fmt_dec(&f, k23_tid());
	if (o->tstamp) {
		json_key(&f, "time");
		json_seconds(&f, c->t_real);
	}
	json_key(&f, "call");
	if (name) {
		k23_fmt_json_str(&f, name, k23_strlen(name), true);
	} else {
		k23_fmt_str(&f, "\"syscall_");
		k23_fmt_hex(&f, (unsigned long)c->nr);
		k23_fmt_char(&f, '"');
	}
	json_key(&f, "args");
	k23_fmt_char(&f, '[');
	start = p.args;
	if (p.args_end > p.args) {
		for (int i = 0; i <= p.seps.n; i++) {
			size_t end = i < p.seps.n ? p.seps.pos[i] : p.args_end;

			if (i)
				k23_fmt_char(&f, ',');
			k23_fmt_json_str(&f, line + start, end - start, true);
			start = end + 2;
		}
	}
	k23_fmt_char(&f, ']');
	json_key(&f, "ret");
	if (c->ret == K23_RET_NONE) {
		k23_fmt_str(&f, "null");
	} else if (k23_is_error(c->ret)) {
		const char *e = k23_errno_name((int)-c->ret);

		k23_fmt_str(&f, "-1");
		json_key(&f, "errno");
		if (e) {
			k23_fmt_json_str(&f, e, k23_strlen(e), true);
		} else {
			k23_fmt_char(&f, '"');
			k23_fmt_str(&f, "ERRNO_");
			k23_fmt_dec(&f, (int)-c->ret);
			k23_fmt_char(&f, '"');
		}
	} else {
		k23_fmt_dec(&f, c->ret);
	}
	json_key(&f, "result");
	k23_fmt_json_str(&f, line + p.result, p.result_end - p.result, true);
	if (c->mark) {
		json_key(&f, c->mark == K23_MARK_INJECTED ? "injected" : "delayed");
		k23_fmt_str(&f, "true");
	}
	if ((o->flags & K23_TO_DURATION) && c->ret != K23_RET_NONE && c->t_mono) {
		json_key(&f, "duration");
		json_seconds(&f, duration_of(c));
	}
	if (c->nr == __NR_io_uring_enter)
		k23_tr_uring_json(c, o, &f);
	/* a line too long for the buffer still ends as an object */
	f.size = size;
	if (f.truncated) {
		f.len = 0;
		f.truncated = false;
		k23_fmt_str(&f, "{\"call\":");
		if (name)
			k23_fmt_json_str(&f, name, k23_strlen(name), true);
		else
			k23_fmt_str(&f, "null");
		k23_fmt_str(&f, ",\"truncated\":true");
	}
	k23_fmt_str(&f, "}\n");
	return f.len;
}

static void trace(const struct k23_call *c)
{
	const struct k23_topts *o = k23_rt.opts;
	char line[K23_TRACE_LINE_MAX * 2];
	size_t n;
	int tid;

	if (__atomic_load_n(&k23_rt.out_fd, __ATOMIC_RELAXED) < 0)
		return;
	if (!status_shown(o, c))
		return;
	if (o && (o->flags & K23_TO_JSON)) {
		k23_rt_output(line, format_json(c, o, line, sizeof(line)));
		return;
	}
	tid = (int)k23_tid();
	n = format(c, tid, o, line, K23_TRACE_LINE_MAX, 0);
	if (c->policy && n) /* the policy's verdict, before the newline */
		n = n - 1 + k23_policy_describe(c, line + n - 1, K23_TRACE_LINE_MAX - n);
	if (line[n - 1] != '\n')
		line[n++] = '\n';
	if (c->nr == __NR_io_uring_enter) { /* and what it submitted and completed */
		k23_tr_uring_lines(c, o, tid, line, sizeof(line), n);
		return;
	}
	/* One write keeps the line whole; only a signal or a full disk can cut
	 * it short, and then the rest follows at once. */
	k23_rt_output(line, n);
}

const struct k23_tool k23_tool_trace = { "trace", trace };
