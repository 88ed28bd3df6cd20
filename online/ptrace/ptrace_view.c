/* ptrace_view.c - a tracer's ptrace requests on a tracee under k23: what it reads at the stops it is shown.
 *
 * At an enter or exit marker (ptrace_shared.h) the tracee's registers are
 * k23's: the program's are in the call record and the SIGSYS frame it
 * points to. GETREGS, GETREGSET(NT_PRSTATUS), PEEKUSER and
 * PTRACE_GET_SYSCALL_INFO show the program's registers as the kernel would
 * at its syscall stop (orig_rax the call, rax -ENOSYS at entry and the
 * result at exit); SETREGS, SETREGSET and POKEUSER write back into the
 * record (number, arguments, result: k23 performs the call as changed, and
 * number -1 skips it, as natively) and the frame (the program resumes with
 * them). Segment and fs/gs base registers are the tracee's real ones.
 * Resume requests are remembered: hidden stops are resumed the same way.
 */
#include <stddef.h>
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/ptrace.h>
#include <linux/signal.h>
#include <linux/elf.h>
#include "k23/compat.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/dispatch/dispatch.h"
#include "online/ptrace/ptrace_shared.h"
#include "online/ptrace/ptrace_tracer.h"
#include "online/ptrace/ptrace_tracee.h"
#include "online/ptrace/ptrace_sud.h"


#define MCTX offsetof(struct k23_ucontext, uc_mcontext)

struct view {
	struct k23_user_regs p;	/* what the tracer is shown */
	struct k23_call rec;
	struct sigcontext m;
	int has_rec, has_m;
};

static int in_call(const struct k23_tracee *t)
{
	return t->view == K23_VIEW_ENTER || t->view == K23_VIEW_EXIT || t->view == K23_VIEW_INCALL;
}

static long present(const struct k23_tracee *t, struct view *v)
{
	struct k23_user_regs *p = &v->p;
	long r = k23_ptrace_raw(PTRACE_GETREGS, t->tid, 0, (unsigned long)p);

	v->has_rec = v->has_m = 0;
	if (r)
		return r;
	if (!in_call(t)) {
		p->orig_rax = (unsigned long)t->exec_nr; /* an exec view */
		p->rax = 0;
		return 0;
	}
	if (k23_tracee_read(t->tid, t->rec, &v->rec, sizeof(v->rec)))
		return 0;
	v->has_rec = 1;
	if (v->rec.uc && !k23_tracee_read(t->tid, (unsigned long)v->rec.uc + MCTX, &v->m,
					   sizeof(v->m))) {
		const struct sigcontext *m = &v->m;

		v->has_m = 1;
		p->r8 = m->r8; p->r9 = m->r9; p->r10 = m->r10; p->r11 = m->r11;
		p->r12 = m->r12; p->r13 = m->r13; p->r14 = m->r14; p->r15 = m->r15;
		p->rdi = m->rdi; p->rsi = m->rsi; p->rbp = m->rbp; p->rbx = m->rbx;
		p->rdx = m->rdx; p->rcx = m->rcx; p->rsp = m->rsp; p->rip = m->rip;
		p->eflags = m->eflags;
	}
	p->orig_rax = (unsigned long)v->rec.nr;
	p->rdi = (unsigned long)v->rec.args[0];
	p->rsi = (unsigned long)v->rec.args[1];
	p->rdx = (unsigned long)v->rec.args[2];
	p->r10 = (unsigned long)v->rec.args[3];
	p->r8 = (unsigned long)v->rec.args[4];
	p->r9 = (unsigned long)v->rec.args[5];
	p->rax = t->view == K23_VIEW_EXIT ? (unsigned long)v->rec.ret : (unsigned long)-ENOSYS;
	return 0;
}

/* The tracer changed the registers it was shown from v->p to n. */
static long write_back(const struct k23_tracee *t, struct view *v, const struct k23_user_regs *n)
{
	if (!in_call(t)) {
		struct k23_user_regs real;
		long r = k23_ptrace_raw(PTRACE_GETREGS, t->tid, 0, (unsigned long)&real);
		unsigned long orig = real.orig_rax;

		if (r)
			return r;
		real = *n;
		real.orig_rax = orig;
		return k23_ptrace_raw(PTRACE_SETREGS, t->tid, 0, (unsigned long)&real);
	}
	if (!v->has_rec)
		return -EIO;
	v->rec.nr = (long)n->orig_rax;
	v->rec.args[0] = (long)n->rdi;
	v->rec.args[1] = (long)n->rsi;
	v->rec.args[2] = (long)n->rdx;
	v->rec.args[3] = (long)n->r10;
	v->rec.args[4] = (long)n->r8;
	v->rec.args[5] = (long)n->r9;
	if (n->rax != v->p.rax)
		v->rec.ret = (long)n->rax; /* at entry: the result of a skipped call */
	if (k23_tracee_write(t->tid, t->rec, &v->rec, offsetof(struct k23_call, via)))
		return -EIO;
	if (v->has_m) {
		struct sigcontext *m = &v->m;

		m->r8 = n->r8; m->r9 = n->r9; m->r10 = n->r10; m->r11 = n->r11;
		m->r12 = n->r12; m->r13 = n->r13; m->r14 = n->r14; m->r15 = n->r15;
		m->rdi = n->rdi; m->rsi = n->rsi; m->rbp = n->rbp; m->rbx = n->rbx;
		m->rdx = n->rdx; m->rcx = n->rcx; m->rsp = n->rsp; m->rip = n->rip;
		m->eflags = n->eflags;
		if (k23_tracee_write(t->tid, (unsigned long)v->rec.uc + MCTX, m, sizeof(*m)))
			return -EIO;
	}
	return 0;
}

static long syscall_info(const struct k23_tracee *t, const struct view *v, unsigned long size,
			 void *out)
{
	struct ptrace_syscall_info i;
	unsigned long n = offsetof(struct ptrace_syscall_info, entry);

	k23_memset(&i, 0, sizeof(i));
	i.arch = AUDIT_ARCH_X86_64;
	i.instruction_pointer = v->p.rip;
	i.stack_pointer = v->p.rsp;
	if (t->view == K23_VIEW_ENTER) {
		i.op = PTRACE_SYSCALL_INFO_ENTRY;
		i.entry.nr = v->p.orig_rax;
		i.entry.args[0] = v->p.rdi;
		i.entry.args[1] = v->p.rsi;
		i.entry.args[2] = v->p.rdx;
		i.entry.args[3] = v->p.r10;
		i.entry.args[4] = v->p.r8;
		i.entry.args[5] = v->p.r9;
		n = offsetof(struct ptrace_syscall_info, entry.args) + sizeof(i.entry.args);
	} else if (t->view == K23_VIEW_EXIT || t->view == K23_VIEW_EXEC_EXIT) {
		i.op = PTRACE_SYSCALL_INFO_EXIT;
		i.exit.rval = (long)v->p.rax;
		i.exit.is_error = k23_is_error((long)v->p.rax);
		n = offsetof(struct ptrace_syscall_info, exit.is_error) + sizeof(i.exit.is_error);
	}
	if (k23_copy_to(out, &i, size < n ? size : n))
		return -EFAULT;
	return (long)n;
}

static long siginfo(const struct k23_tracee *t, void *out)
{
	struct k23_siginfo si;

	if (t->view == K23_VIEW_EXEC_TRAP) {
		si = t->trap_si;
	} else {
		k23_memset(&si, 0, sizeof(si));
		si.si_signo = SIGTRAP;
		si.si_code = (k23_fake_status(t, t->view) >> 8) & 0xffff;
	}
	return k23_copy_to(out, &si, sizeof(si)) ? -EFAULT : 0;
}

static long regs_request(const struct k23_tracee *t, long req, unsigned long addr, unsigned long data)
{
	struct view v;
	struct k23_user_regs n;
	struct { void *base; unsigned long len; } iov;
	long r = present(t, &v);

	if (r)
		return r;
	switch (req) {
	case PTRACE_GETREGS:
		return k23_copy_to((void *)data, &v.p, sizeof(v.p)) ? -EFAULT : 0;
	case PTRACE_SETREGS:
		if (k23_copy_from(&n, (const void *)data, sizeof(n)))
			return -EFAULT;
		return write_back(t, &v, &n);
	case PTRACE_GETREGSET:
		if (k23_copy_from(&iov, (const void *)data, sizeof(iov)))
			return -EFAULT;
		if (iov.len > sizeof(v.p))
			iov.len = sizeof(v.p);
		if (k23_copy_to(iov.base, &v.p, iov.len) || k23_copy_to((void *)data, &iov, sizeof(iov)))
			return -EFAULT;
		return 0;
	case PTRACE_SETREGSET:
		if (k23_copy_from(&iov, (const void *)data, sizeof(iov)))
			return -EFAULT;
		n = v.p;
		if (k23_copy_from(&n, iov.base, iov.len < sizeof(n) ? iov.len : sizeof(n)))
			return -EFAULT;
		return write_back(t, &v, &n);
	case PTRACE_PEEKUSR:
		return k23_copy_to((void *)data, (unsigned long *)&v.p + addr / 8, 8) ? -EFAULT : 0;
	case PTRACE_POKEUSR:
		n = v.p;
		((unsigned long *)&n)[addr / 8] = data;
		return write_back(t, &v, &n);
	case PTRACE_GET_SYSCALL_INFO:
		return syscall_info(t, &v, addr, (void *)data);
	}
	return -EIO;
}

/* Requests whose answer depends on the view; -1 when the kernel's is right. */
static int emulated(const struct k23_tracee *t, long req, unsigned long addr)
{
	if (!t || t->view == K23_VIEW_REAL)
		return 0;
	switch (req) {
	case PTRACE_GETREGS: case PTRACE_SETREGS: case PTRACE_GET_SYSCALL_INFO:
		return 1;
	case PTRACE_GETREGSET: case PTRACE_SETREGSET:
		return addr == NT_PRSTATUS;
	case PTRACE_PEEKUSR: case PTRACE_POKEUSR:
		return addr < sizeof(struct k23_user_regs) && !(addr & 7);
	case PTRACE_GETSIGINFO:
		return t->view >= K23_VIEW_EXEC_EVENT;
	case PTRACE_GETEVENTMSG:
		return t->view == K23_VIEW_EXEC_EVENT;
	}
	return 0;
}

static long resume_request(struct k23_tracee *t, long req, unsigned long data)
{
	int was = t->view;

	if (req != PTRACE_LISTEN)
		t->req = req;
	t->shown = 0;
	t->view = K23_VIEW_REAL;
	if (was >= K23_VIEW_EXEC_EVENT && t->nfakes) {
		for (int i = 1; i < t->nfakes; i++)
			t->fakes[i - 1] = t->fakes[i];
		t->nfakes--;
		/* After the exec event, PTRACE_SYSCALL stops at execve's exit. */
		if (was == K23_VIEW_EXEC_EVENT && req == PTRACE_SYSCALL && t->nfakes < K23_MAX_FAKES) {
			for (int i = t->nfakes; i > 0; i--)
				t->fakes[i] = t->fakes[i - 1];
			t->fakes[0] = K23_VIEW_EXEC_EXIT;
			t->nfakes++;
		}
		if (t->nfakes) {
			k23_tracee_fake_next(t);
			return 0;
		}
		if (was == K23_VIEW_EXEC_EVENT)
			data = 0; /* the kernel ignores a signal given at an event stop */
	} else if (req == PTRACE_SINGLESTEP && (was == K23_VIEW_ENTER || was == K23_VIEW_EXIT ||
						  was == K23_VIEW_INCALL)) {
		t->stepping = 1; /* step through k23 back to the program */
	}
	if (t->loader && req != PTRACE_LISTEN)
		req = PTRACE_CONT;
	return k23_ptrace_raw(req, t->tid, 0, data);
}

static long attached(struct k23_call *c, long req, int tid, unsigned long data)
{
	struct k23_tracee *t;
	int in_loader;

	c->ret = k23_passthrough(c);
	if (c->ret == 0 && (t = k23_tracee_get(tid, 1))) {
		k23_tracee_forget(tid);
		t->options = req == PTRACE_SEIZE ? data : 0;
		k23_tracee_check(t, &in_loader);
	}
	return c->ret;
}

void k23_do_ptrace(struct k23_call *c)
{
	long req = c->args[0];
	int tid = (int)c->args[1];
	unsigned long addr = (unsigned long)c->args[2], data = (unsigned long)c->args[3];
	struct k23_tracee *t = req == PTRACE_TRACEME ? 0 : k23_tracee_get(tid, 0);

	switch (req) {
	case PTRACE_TRACEME:
		c->ret = k23_ptrace_traceme();
		return;
	case PTRACE_SEIZE: case PTRACE_ATTACH:
		attached(c, req, tid, data);
		return;
	case PTRACE_SETOPTIONS:
		c->ret = k23_passthrough(c);
		if (c->ret == 0 && (t || (t = k23_tracee_get(tid, 1))))
			t->options = data;
		return;
	case PTRACE_CONT: case PTRACE_SYSCALL: case PTRACE_SINGLESTEP: case PTRACE_LISTEN:
		if (t && t->k23 > 0) {
			c->ret = resume_request(t, req, data);
			return;
		}
		if (t) {
			t->shown = 0;
			t->view = K23_VIEW_REAL;
		}
		break;
	case PTRACE_DETACH:
		if (t && t->loader) {
			int zero = 0;

			k23_tracee_write(tid, (unsigned long)&k23_ptrace_shared.entry_trap, &zero,
					 sizeof(zero));
		}
		c->ret = k23_passthrough(c);
		if (c->ret == 0)
			k23_tracee_forget(tid);
		return;
	case K23_PTRACE_SET_SUD: case K23_PTRACE_GET_SUD:
		if (!t)
			t = k23_tracee_get(tid, 1);
		if (t && (t->k23 > 0 || (t->k23 == 0 && k23_tracee_check(t, &(int){0})))) {
			/* k23's own dispatch must stay on: the tracee's
			 * emulated SUD is set and read instead (ptrace_sud.c). */
			c->ret = k23_tracee_sud(tid, req, addr, (void *)data);
			return;
		}
		break;
	}
	if (emulated(t, req, addr)) {
		if (req == PTRACE_GETSIGINFO)
			c->ret = siginfo(t, (void *)data);
		else if (req == PTRACE_GETEVENTMSG)
			c->ret = k23_copy_to((void *)data, &t->ev_msg, sizeof(t->ev_msg)) ? -EFAULT : 0;
		else
			c->ret = regs_request(t, req, addr, data);
		return;
	}
	c->ret = k23_passthrough(c);
}
