/* ptrace_tracer.c - a tracer under k23 waits only for the stops it would see natively.
 *
 * A tracee under k23 stops for reasons of k23's own: the SIGSYS of every
 * trapped call, the syscall stops of k23's own calls, everything its loader
 * does after an execve. The tracer's k23 (this file, in the tracer's
 * process) looks at each stop its wait4/waitid returns, and for a tracee
 * that runs under k23 (ptrace_shared.h):
 *
 *   SIGSYS of k23's trap          resumed with SIGSYS injected, as the tracer
 *                                 last resumed it; the wait goes on
 *   syscall stop at enter marker  shown: the program call's entry stop
 *   syscall stop at exit marker   shown: its exit stop (if its entry was shown)
 *   exit of the program's own     shown: the kernel's stop already has the
 *     rt_sigreturn                program's restored registers
 *   any other syscall stop        hidden (k23's own calls, and the seccomp
 *                                 trap's stops before SUD is armed)
 *   execve                        hidden until the program's first
 *                                 instruction; the exec event (or the
 *                                 TRACEME SIGTRAP, or execve's exit stop)
 *                                 is shown there (ptrace_view.c fakes its
 *                                 registers)
 *   single-step into k23          stepped on until back in program code
 *
 * A hidden stop is resumed at once, so WNOHANG keeps its meaning.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/ptrace.h>
#include <linux/wait.h>
#include <linux/signal.h>
#include "k23/compat.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/dispatch/dispatch.h"
#include "online/dispatch/fastpath.h"
#include "online/ptrace/ptrace_shared.h"
#include "online/ptrace/ptrace_tracer.h"
#include "loader/launcher.h"
#include "online/ptrace/ptrace_async.h"
#include "online/core/tidtable.h"

/* Mapped when a tracee is first seen (296 KiB most programs never need,
 * which would count against their `ulimit -v`). */
#define TRACEES 1024
static void *mapped;

_Static_assert(offsetof(struct k23_tracee, tid) == 0, "the table's key comes first");

/* A slot claimed anew starts as a task nobody has resumed yet. */
static void reset(struct k23_tracee *t)
{
	k23_memset((char *)t + sizeof(int), 0, sizeof(*t) - sizeof(int));
	t->req = PTRACE_CONT;
}

struct k23_tracee *k23_tracee_get(int tid, int create)
{
	int fresh;
	struct k23_tracee *t = k23_tid_entry(&mapped, TRACEES, sizeof(*t), tid, create, &fresh);

	if (t && fresh)
		reset(t);
	return t;
}

void k23_tracee_forget(int tid)
{
	struct k23_tracee *t = k23_tracee_get(tid, 0);

	/* A slot is never emptied (probing would break); it is reset for the
	 * next task with this tid instead. */
	if (t)
		reset(t);
}

int k23_in_k23_text(unsigned long addr)
{
	return addr >= k23_rt.text_start && addr <= k23_rt.text_end;
}

long k23_ptrace_raw(long req, int tid, unsigned long addr, unsigned long data)
{
	return k23_syscall4(__NR_ptrace, req, tid, (long)addr, (long)data);
}

struct iov { const void *base; unsigned long len; };

long k23_tracee_read(int tid, unsigned long addr, void *buf, unsigned long n)
{
	struct iov l = { buf, n }, r = { (void *)addr, n };
	long got = k23_syscall6(__NR_process_vm_readv, tid, (long)&l, 1, (long)&r, 1, 0);

	return got == (long)n ? 0 : (got < 0 ? got : -EFAULT);
}

long k23_tracee_write(int tid, unsigned long addr, const void *buf, unsigned long n)
{
	struct iov l = { buf, n }, r = { (void *)addr, n };
	long put = k23_syscall6(__NR_process_vm_writev, tid, (long)&l, 1, (long)&r, 1, 0);

	return put == (long)n ? 0 : (put < 0 ? put : -EFAULT);
}

/* At its exec stop and its first calls, a tracee started by k23's launcher
 * (loader/launcher.h) holds the launcher only: k23-core's data, and
 * k23_ptrace_shared in it, is not mapped yet. The launcher is pages of the
 * core's text, at the same address here as in the tracee. */
static int at_launcher(int tid)
{
	char buf[64];

	return !k23_tracee_read(tid, (unsigned long)k23_launcher_start, buf, sizeof(buf)) &&
	       k23_memeq(buf, k23_launcher_start, sizeof(buf));
}

int k23_tracee_check(struct k23_tracee *t, int *in_loader)
{
	struct k23_ptrace_shared sh;

	*in_loader = 0;
	if (t->k23 < 0)
		return 0;
	if (k23_tracee_read(t->tid, (unsigned long)&k23_ptrace_shared, &sh, sizeof(sh)) ||
	    !k23_memeq(sh.magic, K23_PTRACE_MAGIC, sizeof(sh.magic))) {
		if (!at_launcher(t->tid)) {
			t->k23 = -1;
			return 0;
		}
		/* The marks below, and entry_trap, are made at a later stop, in
		 * the core's data: until then resume() stops at every call. */
		if (t->k23 == 0)
			k23_tracer_async_arm();
		t->k23 = 1;
		t->launching = 1;
		*in_loader = 1;
		return 1;
	}
	t->launching = 0;
	if (t->k23 == 0)
		k23_tracer_async_arm();
	t->k23 = 1;
	*in_loader = sh.in_loader;
	if (!sh.traced) {
		/* From now on it marks the program's calls, traps them by SUD
		 * (no syscall stops) and takes no patched fast path. */
		int one = 1, zero = 0;

		k23_tracee_write(t->tid, (unsigned long)&k23_ptrace_shared.traced, &one, sizeof(one));
		k23_tracee_write(t->tid, (unsigned long)&k23_fast.ok, &zero, sizeof(zero));
	}
	return 1;
}

static void resume(struct k23_tracee *t, long sig)
{
	long req = t->req;

	if (t->stepping)
		req = PTRACE_SINGLESTEP;
	else if (t->launching)
		req = PTRACE_SYSCALL;
	else if (t->loader || req == PTRACE_LISTEN)
		req = PTRACE_CONT;
	t->shown = 0;
	k23_ptrace_raw(req, t->tid, 0, (unsigned long)sig);
}

static int get_regs(int tid, struct k23_user_regs *r)
{
	return k23_ptrace_raw(PTRACE_GETREGS, tid, 0, (unsigned long)r) == 0;
}

/* After the int3 at k23_enter_trap_ip: a few instructions (registers
 * cleared, jump) lead to the program's first one. */
static int step_to_program(struct k23_tracee *t)
{
	struct k23_user_regs r;
	int st;

	for (int i = 0; i < 256; i++) {
		if (!get_regs(t->tid, &r))
			return 0;
		if (!k23_in_k23_text(r.rip))
			return 1;
		if (k23_ptrace_raw(PTRACE_SINGLESTEP, t->tid, 0, 0) ||
		    k23_syscall4(__NR_wait4, t->tid, (long)&st, __WALL, 0) != t->tid ||
		    (st & 0xff) != 0x7f)
			return 0;
	}
	return 0;
}

/* An execve finished: the tracee is at k23's entry in its new image. */
static void exec_noticed(struct k23_tracee *t, int status, int is_exit)
{
	int one = 1;
	int sig = (status >> 8) & 0xff, ev = status >> 16;

	t->exec_nr = t->depth ? (long)t->exec_nr : __NR_execve;
	t->depth = 0;
	t->stepping = t->sigret = 0;
	t->nfakes = 0;
	t->ev_status = status;
	if (ev == PTRACE_EVENT_EXEC) {
		k23_ptrace_raw(PTRACE_GETEVENTMSG, t->tid, 0, (unsigned long)&t->ev_msg);
		t->fakes[t->nfakes++] = K23_VIEW_EXEC_EVENT;
	} else if (is_exit) {
		t->fakes[t->nfakes++] = K23_VIEW_EXEC_EXIT;
	} else if (sig == SIGTRAP) {
		k23_ptrace_raw(PTRACE_GETSIGINFO, t->tid, 0, (unsigned long)&t->trap_si);
		t->fakes[t->nfakes++] = K23_VIEW_EXEC_TRAP;
	}
	k23_tracee_write(t->tid, (unsigned long)&k23_ptrace_shared.entry_trap, &one, sizeof(one));
	t->loader = 1;
}

int k23_fake_status(const struct k23_tracee *t, int view)
{
	switch (view) {
	case K23_VIEW_EXEC_EVENT:
		return t->ev_status;
	case K23_VIEW_EXEC_EXIT:
		if (((t->ev_status >> 8) & 0x7f) == SIGTRAP && !(t->ev_status >> 16))
			return t->ev_status; /* the real exit stop's own status */
		return ((SIGTRAP | ((t->options & PTRACE_O_TRACESYSGOOD) ? 0x80 : 0)) << 8) | 0x7f;
	}
	return (SIGTRAP << 8) | 0x7f;
}

enum { SHOW, HIDE };

/* A stop in k23's loader. */
static int loader_stop(struct k23_tracee *t, int status, int in_loader)
{
	struct k23_siginfo si;
	struct k23_user_regs r;
	int sig = (status >> 8) & 0xff;

	if (sig == SIGTRAP && !(status >> 16) &&
	    k23_ptrace_raw(PTRACE_GETSIGINFO, t->tid, 0, (unsigned long)&si) == 0) {
		if (si.si_code == 0 /* SI_USER */ && in_loader) {
			/* The SIGTRAP execve sends a PTRACE_TRACEME tracee. */
			if (t->nfakes < K23_MAX_FAKES && t->fakes[t->nfakes - 1] != K23_VIEW_EXEC_TRAP) {
				t->trap_si = si;
				t->fakes[t->nfakes++] = K23_VIEW_EXEC_TRAP;
			}
			return HIDE;
		}
		if (get_regs(t->tid, &r) && r.rip == (unsigned long)k23_enter_trap_ip) {
			if (!step_to_program(t))
				return SHOW;
			t->loader = 0;
			t->view = t->fakes[0];
			t->shown_status = k23_fake_status(t, t->view);
			return SHOW;
		}
	}
	if (in_loader) {
		/* k23 re-executed itself (a #! script), or its own calls. */
		int one = 1;

		k23_tracee_write(t->tid, (unsigned long)&k23_ptrace_shared.entry_trap, &one,
				 sizeof(one));
		if (sig == SIGTRAP || sig == (SIGTRAP | 0x80))
			return HIDE;
	}
	return SHOW;
}

static void push_call(struct k23_tracee *t, unsigned long rec)
{
	for (int i = 0; i < t->depth; i++)
		if (t->calls[i] == rec)
			t->depth = i; /* reused: the calls from there on are over */
	if (t->depth == K23_CALL_DEPTH)
		t->depth--;
	t->calls[t->depth++] = rec;
}

static int pop_call(struct k23_tracee *t, unsigned long rec)
{
	for (int i = t->depth - 1; i >= 0; i--)
		if (t->calls[i] == rec) {
			t->depth = i;
			return 1;
		}
	return 0;
}

static int syscall_stop(struct k23_tracee *t, const struct ptrace_syscall_info *si)
{
	unsigned long ip = si->instruction_pointer;

	if (si->op == PTRACE_SYSCALL_INFO_ENTRY) {
		t->sigret = 0;
		if (ip == (unsigned long)k23_ptrace_enter_ip) {
			struct k23_call c;

			t->rec = si->entry.args[0];
			if (k23_tracee_read(t->tid, t->rec, &c, sizeof(c)) == 0 &&
			    (c.nr == __NR_execve || c.nr == __NR_execveat))
				t->exec_nr = c.nr;
			push_call(t, t->rec);
			t->view = K23_VIEW_ENTER;
			return SHOW;
		}
		if (ip == (unsigned long)k23_ptrace_exit_ip) {
			t->rec = si->entry.args[0];
			if (!pop_call(t, t->rec))
				return HIDE; /* its entry was not shown */
			t->view = K23_VIEW_EXIT;
			return SHOW;
		}
		if (ip == (unsigned long)k23_restore_prog_rt_ip)
			t->sigret = 1;
		return HIDE;
	}
	if (t->sigret && !k23_in_k23_text(ip)) {
		/* The program's rt_sigreturn, back in the program: the
		 * kernel's stop is the native one. */
		t->sigret = 0;
		if (t->depth)
			t->depth--;
		return SHOW;
	}
	return HIDE;
}

static int is_k23_trap(const struct k23_siginfo *si)
{
	return si->si_signo == SIGSYS && (si->si_code == SYS_USER_DISPATCH ||
		(si->si_code == SYS_SECCOMP && si->si_errno == K23_SECCOMP_TRAP_DATA));
}

static int signal_stop(struct k23_tracee *t, int sig, int *inject)
{
	struct k23_siginfo si;
	struct k23_user_regs r;

	if (k23_ptrace_raw(PTRACE_GETSIGINFO, t->tid, 0, (unsigned long)&si))
		return SHOW; /* a group-stop */
	if (is_k23_trap(&si)) {
		if (t->req == PTRACE_SINGLESTEP)
			t->stepping = 1;
		*inject = SIGSYS; /* k23's handler must run */
		return HIDE;
	}
	if (!get_regs(t->tid, &r))
		return SHOW;
	if (sig == SIGTRAP && t->stepping) {
		if (k23_in_k23_text(r.rip))
			return HIDE;
		t->stepping = 0;
		return SHOW;
	}
	if (t->depth && k23_in_k23_text(r.rip)) {
		t->view = K23_VIEW_INCALL;
		t->rec = t->calls[t->depth - 1];
	}
	return SHOW;
}

static int event_stop(struct k23_tracee *t, int status)
{
	int ev = status >> 16;
	struct k23_user_regs r;

	if (ev == PTRACE_EVENT_FORK || ev == PTRACE_EVENT_VFORK || ev == PTRACE_EVENT_CLONE) {
		unsigned long child = 0;

		if (k23_ptrace_raw(PTRACE_GETEVENTMSG, t->tid, 0, (unsigned long)&child) == 0) {
			struct k23_tracee *c = k23_tracee_get((int)child, 1);

			if (c)
				c->options = t->options;
		}
	}
	if (t->depth && get_regs(t->tid, &r) && k23_in_k23_text(r.rip)) {
		t->view = K23_VIEW_INCALL;
		t->rec = t->calls[t->depth - 1];
	}
	return SHOW;
}

/* One ptrace stop of tid: SHOW (with *status possibly replaced) or HIDE
 * (already resumed). */
static int classify(int tid, int *status)
{
	struct k23_tracee *t = k23_tracee_get(tid, 1);
	int sig = (*status >> 8) & 0xff, ev = *status >> 16, in_loader, v;
	struct ptrace_syscall_info si;
	int syscall_kind = 0, inject = 0;

	if (!t)
		return SHOW;
	if (t->shown) {
		*status = t->shown_status; /* the same stop again (WNOWAIT) */
		return SHOW;
	}
	if (!k23_tracee_check(t, &in_loader))
		return SHOW;
	t->view = K23_VIEW_REAL;
	if (!ev && (sig == SIGTRAP || sig == (SIGTRAP | 0x80)) &&
	    k23_ptrace_raw(PTRACE_GET_SYSCALL_INFO, tid, sizeof(si), (unsigned long)&si) > 0 &&
	    (si.op == PTRACE_SYSCALL_INFO_ENTRY || si.op == PTRACE_SYSCALL_INFO_EXIT))
		syscall_kind = si.op;
	if (in_loader && !t->loader) {
		exec_noticed(t, *status, syscall_kind == PTRACE_SYSCALL_INFO_EXIT);
		resume(t, 0);
		return HIDE;
	}
	if (t->loader)
		v = loader_stop(t, *status, in_loader);
	else if (ev)
		v = event_stop(t, *status);
	else if (syscall_kind)
		v = syscall_stop(t, &si);
	else
		v = signal_stop(t, sig, &inject);
	if (v == HIDE)
		resume(t, inject);
	if (v == SHOW) {
		if (t->view >= K23_VIEW_EXEC_EVENT)
			*status = t->shown_status;
		t->shown = 1;
		t->shown_status = *status;
	}
	return v;
}

#define P_PID_ 1
#define WNOWAIT_ 0x01000000
#define CLD_TRAPPED_ 4

/* A stop of t's that no wait has taken: if it is one of k23's traps,
 * taken and resumed now (1); else left for the program's wait (0). */
static int take_trap_stop(struct k23_tracee *t)
{
	struct k23_siginfo wi, si;
	int *f = (int *)&wi, st;

	k23_memset(&wi, 0, sizeof(wi));
	if (k23_syscall5(__NR_waitid, P_PID_, t->tid, (long)&wi,
			 WSTOPPED | WNOHANG | WNOWAIT_ | __WALL, 0) ||
	    f[4] != t->tid || wi.si_code != CLD_TRAPPED_ || f[6] != SIGSYS)
		return 0;
	/* Not this thread's tracee (ESRCH), or not a trap of k23's. */
	if (k23_ptrace_raw(PTRACE_GETSIGINFO, t->tid, 0, (unsigned long)&si) || !is_k23_trap(&si))
		return 0;
	if (k23_syscall4(__NR_wait4, t->tid, (long)&st, WNOHANG | __WALL, 0) != t->tid)
		return 0;
	if (t->req == PTRACE_SINGLESTEP)
		t->stepping = 1;
	resume(t, SIGSYS); /* as signal_stop would in a wait */
	return 1;
}

void k23_tracer_async_consume(void)
{
	struct k23_tracee *table = k23_map_lazy(&mapped, TRACEES * sizeof(*table), 0);

	for (unsigned i = 0; table && i < TRACEES; i++) {
		struct k23_tracee *t = &table[i];

		if (!__atomic_load_n(&t->tid, __ATOMIC_ACQUIRE) || t->k23 <= 0 || t->shown ||
		    t->loader || t->nfakes)
			continue;
		/* A tracee stops again at its next trapped call, which sends
		 * SIGCHLD anew; a few rounds take what is there now. */
		for (int n = 0; n < 8 && take_trap_stop(t); n++)
			;
	}
}

static int any_fake;	/* some tracee has a fake stop due */

/* A fake stop due for a tracee the wait asks about: its pid, or 0. */
static int fake_due(long idtype_pid, int any)
{
	struct k23_tracee *table = k23_map_lazy(&mapped, TRACEES * sizeof(*table), 0);

	for (unsigned i = 0; table && i < TRACEES; i++) {
		struct k23_tracee *t = &table[i];

		if (t->tid && t->fake_ready && (any || t->tid == idtype_pid)) {
			t->fake_ready = 0;
			t->view = t->fakes[0];
			t->shown = 1;
			t->shown_status = k23_fake_status(t, t->view);
			return t->tid;
		}
	}
	__atomic_store_n(&any_fake, 0, __ATOMIC_RELAXED);
	return 0;
}

static void wait4_call(struct k23_call *c)
{
	int *ustatus = (int *)c->args[1];
	struct k23_call w = *c;
	int st = 0;

	for (;;) {
		if (__atomic_load_n(&any_fake, __ATOMIC_RELAXED)) {
			int pid = fake_due((int)c->args[0], (int)c->args[0] <= 0);

			if (pid) {
				st = k23_fake_status(k23_tracee_get(pid, 0), k23_tracee_get(pid, 0)->view);
				if (ustatus && k23_copy_to(ustatus, &st, sizeof(st)))
					c->ret = -EFAULT;
				else
					c->ret = pid;
				return;
			}
		}
		w.args[1] = (long)&st;
		c->ret = k23_passthrough(&w);
		if (c->ret <= 0)
			return;
		if ((st & 0xff) == 0x7f) {
			if (classify((int)c->ret, &st) == HIDE)
				continue;
		} else if ((st & 0x7f) != 0x7f) {
			k23_tracee_forget((int)c->ret); /* exited or killed */
		}
		if (ustatus && k23_copy_to(ustatus, &st, sizeof(st)))
			c->ret = -EFAULT;
		return;
	}
}

/* waitid's siginfo: si_pid at 16, si_status at 24, si_code CLD_*. */
static void waitid_call(struct k23_call *c)
{
	struct k23_siginfo *uinfo = (struct k23_siginfo *)c->args[2];
	struct k23_call w = *c;
	struct k23_siginfo si;
	int *f = (int *)&si;

	for (;;) {
		if (__atomic_load_n(&any_fake, __ATOMIC_RELAXED)) {
			int pid = fake_due((int)c->args[1], (int)c->args[0] != 1 /* P_PID */);

			if (pid) {
				struct k23_tracee *t = k23_tracee_get(pid, 0);

				k23_memset(&si, 0, sizeof(si));
				si.si_signo = SIGCHLD;
				si.si_code = 4; /* CLD_TRAPPED */
				f[4] = pid;
				f[6] = k23_fake_status(t, t->view) >> 8;
				c->ret = uinfo && k23_copy_to(uinfo, &si, sizeof(si)) ? -EFAULT : 0;
				return;
			}
		}
		k23_memset(&si, 0, sizeof(si));
		w.args[2] = (long)&si;
		c->ret = k23_passthrough(&w);
		if (c->ret < 0)
			return;
		if (f[4] && si.si_code == 4 /* CLD_TRAPPED */) {
			int st = (f[6] << 8) | 0x7f;

			if (classify(f[4], &st) == HIDE)
				continue;
			f[6] = st >> 8;
		} else if (f[4] && si.si_code != 5 /* CLD_STOPPED */ && si.si_code != 6) {
			k23_tracee_forget(f[4]);
		}
		if (uinfo && k23_copy_to(uinfo, &si, sizeof(si)))
			c->ret = -EFAULT;
		return;
	}
}

void k23_do_wait(struct k23_call *c)
{
	if (c->nr == __NR_wait4)
		wait4_call(c);
	else
		waitid_call(c);
}

/* ptrace_view.c: the tracer resumed t and it has fake stops left. */
void k23_tracee_fake_next(struct k23_tracee *t)
{
	t->fake_ready = 1;
	t->shown = 0;
	__atomic_store_n(&any_fake, 1, __ATOMIC_RELAXED);
}
