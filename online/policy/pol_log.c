/* pol_log.c - the audit log (one JSON line per denied or logged decision) and the trace tool's verdict suffix.
 *
 * The log is k23's own descriptor (guarded: online/guard/fdguard.c),
 * opened by `k23 run` before the program starts with O_APPEND, so that
 * every process of the tree adds to one file; each line is built on the
 * stack and written with one write(2), so lines never interleave. The call
 * is decoded by the trace tool's formatter (online/tools/), arguments as
 * strace shows them; pointers are the copies the kernel received.
 *
 *   {"time":"1764941166.123456","pid":12,"exe":"/usr/bin/cat",
 *    "call":"openat(AT_FDCWD, \"/etc/shadow\", O_RDONLY)","nr":257,
 *    "result":"-1 EACCES","verdict":"denied","errno":"EACCES","rule":2,
 *    "line":7,"what":"/etc/shadow","layer":"in-process","mode":"enforce"}
 */
#include <asm/unistd.h>
#include <linux/time.h>
#include "rt/fmt.h"
#include "rt/syscall_table.h"
#include "online/core/rtlib.h"
#include "online/tools/tools.h"
#include "online/policy/pol_int.h"
#include "online/process/procview.h"

static const char *layer_name(int l)
{
	return l == K23_POL_INPROCESS ? "in-process" : l == K23_POL_SECCOMP ? "kernel: seccomp" :
	       "kernel: Landlock";
}

static const char *verdict_name(const struct k23_pol_verdict *v)
{
	if (v->logged_only)
		return "logged";
	if (k23_pol.complain)
		return v->kill ? "would kill" : "would deny";
	return v->kill ? "killed" : "denied";
}


/* "name(args)" of the trace tool's line (its " = result" cut off). */
static size_t call_text(const struct k23_call *c, char *buf, size_t size)
{
	size_t n = k23_trace_format(c, 0, buf, size), eq = 0;

	for (size_t i = 0; i + 1 < n; i++)
		if (buf[i] == '=' && buf[i + 1] == ' ')
			eq = i; /* the result's "= " is the last: it holds none */
	while (eq && buf[eq - 1] == ' ')
		eq--;
	buf[eq] = 0;
	return eq;
}

static void put_result(struct k23_fmt *f, long r)
{
	if (r == K23_RET_NONE) {
		k23_fmt_str(f, "?");
	} else if (k23_is_error(r)) {
		const char *e = k23_errno_name((int)-r);

		k23_fmt_str(f, "-1 ");
		if (e)
			k23_fmt_str(f, e);
		else
			k23_fmt_dec(f, -r);
	} else {
		k23_fmt_dec(f, r);
	}
}

void k23_policy_log(const struct k23_call *c)
{
	const struct k23_pol_verdict *v = c->policy;
	char line[3072], call[K23_TRACE_LINE_MAX];
	struct k23_fmt f;
	struct timespec ts;
	size_t n;
	int fd = __atomic_load_n(k23_log_fd_ref(), __ATOMIC_RELAXED);

	if (!v || !v->layer || fd < 0)
		return;
	n = call_text(c, call, sizeof(call));
	if (k23_syscall2(__NR_clock_gettime, CLOCK_REALTIME, (long)&ts))
		ts.tv_sec = ts.tv_nsec = 0;
	k23_fmt_init(&f, line, sizeof(line) - 2);
	k23_fmt_str(&f, "{\"time\":\"");
	k23_fmt_udec(&f, (unsigned long)ts.tv_sec);
	k23_fmt_char(&f, '.');
	for (long d = 100000, us = ts.tv_nsec / 1000; d; d /= 10)
		k23_fmt_char(&f, (char)('0' + us / d % 10));
	k23_fmt_str(&f, "\",\"pid\":");
	k23_fmt_dec(&f, k23_syscall0(__NR_getpid));
	k23_fmt_str(&f, ",\"exe\":");
	k23_fmt_json_str(&f, k23_rt.exe_path, sizeof(k23_rt.exe_path), false);
	k23_fmt_str(&f, ",\"call\":");
	k23_fmt_json_str(&f, call, n, false);
	k23_fmt_str(&f, ",\"nr\":");
	k23_fmt_dec(&f, c->nr);
	k23_fmt_str(&f, ",\"result\":\"");
	put_result(&f, c->ret);
	k23_fmt_str(&f, "\",\"verdict\":\"");
	k23_fmt_str(&f, verdict_name(v));
	k23_fmt_str(&f, "\",\"errno\":");
	if (v->err && k23_errno_name(v->err))
		k23_fmt_json_str(&f, k23_errno_name(v->err), 64, false);
	else
		k23_fmt_str(&f, "null");
	k23_fmt_str(&f, ",\"rule\":");
	k23_fmt_udec(&f, v->rule);
	k23_fmt_str(&f, ",\"line\":");
	k23_fmt_udec(&f, v->line);
	k23_fmt_str(&f, ",\"what\":");
	k23_fmt_json_str(&f, v->what ? v->what : "", K23_POL_PATH_MAX, false);
	if (v->access == 'r' || v->access == 'w') {
		k23_fmt_str(&f, ",\"path\":");
		k23_fmt_json_str(&f, v->path, K23_POL_PATH_MAX, false);
		k23_fmt_str(&f, v->access == 'w' ? ",\"access\":\"write\"" : ",\"access\":\"read\"");
	} else if (v->access) {
		k23_fmt_str(&f, ",\"port\":");
		k23_fmt_udec(&f, v->port);
		k23_fmt_str(&f, v->access == 'b' ? ",\"access\":\"bind\"" : ",\"access\":\"connect\"");
	}
	k23_fmt_str(&f, ",\"layer\":\"");
	k23_fmt_str(&f, layer_name(v->layer));
	k23_fmt_str(&f, k23_pol.complain ? "\",\"mode\":\"complain\"}" : "\",\"mode\":\"enforce\"}");
	line[f.len] = '\n';
	k23_write_all(fd, line, f.len + 1);
}

unsigned long k23_policy_describe(const struct k23_call *c, char *buf, unsigned long size)
{
	const struct k23_pol_verdict *v = c->policy;
	struct k23_fmt f;

	if (!v || !v->layer || size < 2)
		return 0;
	k23_fmt_init(&f, buf, size);
	k23_fmt_str(&f, " [policy: ");
	k23_fmt_str(&f, verdict_name(v));
	if (v->rule) {
		k23_fmt_str(&f, " by rule ");
		k23_fmt_udec(&f, v->rule);
		k23_fmt_str(&f, " (line ");
		k23_fmt_udec(&f, v->line);
		k23_fmt_char(&f, ')');
	} else {
		k23_fmt_str(&f, " (");
		k23_fmt_str(&f, v->what ? v->what : "default");
		k23_fmt_char(&f, ')');
	}
	k23_fmt_str(&f, ", ");
	k23_fmt_str(&f, layer_name(v->layer));
	k23_fmt_char(&f, ']');
	return f.len;
}
