/* clone.c - clone, clone3, fork and vfork: every child is armed before it runs program code.
 *
 * SUD is not inherited, so the child must be armed from k23's text right after
 * the kernel creates it. Two shapes:
 *  - own memory, the parent's stack pointer (fork): the child returns
 *    through the same dispatcher frame (a private copy) and arms itself there;
 *  - anything else - a new stack (threads, posix_spawn), shared memory
 *    (vfork, posix_spawn): the child starts in clone.S on a stack in a k23
 *    area, from a register snapshot the parent left there; it makes the area
 *    its own (signal stack, %gs), arms itself and resumes the program with
 *    the stack pointer the program asked for. So k23 writes nothing to the
 *    program's stack (which may be anything: a fork-like clone with a stack
 *    of -1 crashes only its child, as natively), and a vfork child, which
 *    shares the parent's memory and stack as natively, never runs k23 on
 *    the parent's frames.
 * A thread (CLONE_VM) gets a new area, which it frees when it exits; a
 * vfork child (CLONE_VM | CLONE_VFORK) uses its parent thread's spare one,
 * since the parent waits until the child execs or exits: nothing is left
 * behind in the parent's memory per child.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include "k23/compat.h"
#include "online/arch/x86_64/regs.h"
#include "online/arch/x86_64/kabi.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/catchall/arm.h"
#include "online/dispatch/dispatch.h"
#include "online/core/thread.h"
#include "online/core/tarea.h"
#include "online/process/procview.h"
#include "online/ptrace/ptrace_async.h"

#define CLONE_ARGS_MAX 128	/* bytes of struct clone_args k23 copies and edits */
#define CLONE_ARGS_PAGE 4096	/* the kernel's limit on clone3's size */
#define TASK_SIZE_MAX 0x7ffffffff000UL

/* What a new child does before its first program instruction; sigsys_blocked
 * is its creator's view of SIGSYS in the mask, which a new task inherits. */
static void child_setup(unsigned long long flags, int sigsys_blocked, struct k23_area *a)
{
	long r = k23_arm_thread();

	if (r)
		k23_die("cannot arm a new thread", r);
	if (a && (r = k23_area_enter(a)))
		k23_die("cannot set up a new thread's k23 area", r);
	if (!(flags & CLONE_VM)) {
		struct k23_area *here = a ? 0 : k23_area_here();

		/* A fork child's %gs names its copy of the parent's area,
		 * which holds the parent's id. */
		if (here)
			*k23_area_tid(here) = 0;
		k23_procview_forked(a);
		if (k23_tracer_async_on)
			k23_tracer_async_forked();
	}
	if (flags & CLONE_CLEAR_SIGHAND)
		k23_install_sigsys();
	k23_thread_start(sigsys_blocked);
}

__attribute__((noreturn)) void k23_clone_child(struct k23_regs *r);
__attribute__((noreturn)) void k23_clone_child(struct k23_regs *r)
{
	child_setup(r->flags, (int)r->sigsys_blocked, (struct k23_area *)r->area);
	/* The parent was inside k23 with signals held: give the child the
	 * program's mask before its first instruction. */
	k23_syscall4(__NR_rt_sigprocmask, SIG_SETMASK, (long)&r->sigmask, 0, sizeof(k23_sigset_t));
	k23_resume(r);
}

/* The program's vector state, from the frame the kernel saved: the whole
 * XSAVE image when there is one (ymm/zmm/k registers), else fxsave's. */
static void save_vector_state(struct k23_regs *r, const struct sigcontext *m)
{
	const uint8_t *fp = (const uint8_t *)m->fpstate;
	const uint32_t *sw = (const uint32_t *)(fp + 464); /* struct _fpx_sw_bytes */
	uint32_t size;

	r->has_fx = fp != 0;
	r->xfeatures = 0;
	if (!fp)
		return;
	size = 512;
	if (sw[0] == 0x46505853U /* FP_XSTATE_MAGIC1 */ && sw[4] <= K23_XSTATE_MAX &&
	    sw[4] >= 576) {
		size = sw[4];
		r->xfeatures = *(const uint64_t *)(sw + 2);
	}
	k23_memcpy(r->fx, fp, size);
}

/* Registers the program will have in the child, from the trapped frame. */
static void snapshot(struct k23_regs *r, const struct k23_call *c, unsigned long sp,
		     unsigned long long flags)
{
	const struct k23_ucontext *uc = c->uc;
	const struct sigcontext *m = &uc->uc_mcontext;

	r->rax = 0;
	r->rbx = m->rbx;
	r->rdx = m->rdx;
	r->rsi = m->rsi;
	r->rdi = m->rdi;
	r->rbp = m->rbp;
	r->rsp = sp;
	r->r8 = m->r8;
	r->r9 = m->r9;
	r->r10 = m->r10;
	r->r12 = m->r12;
	r->r13 = m->r13;
	r->r14 = m->r14;
	r->r15 = m->r15;
	r->rip = m->rip;
	r->rflags = m->eflags;
	r->rcx = m->rip;
	r->r11 = m->eflags;
	r->flags = flags; /* so the child knows whether its handlers were cleared */
	r->sigsys_blocked = (uint64_t)k23_sigview_blocked();
	r->sigmask = uc->uc_sigmask;
	/* The handler runs with vector state reset; the child gets the
	 * program's as it was at the call. */
	save_vector_state(r, m);
}

static long fork_like(long nr, long a0, long a1, long a2, long a3, long a4,
		      unsigned long long flags)
{
	int blocked = k23_sigview_blocked();
	long r = k23_syscall5(nr, a0, a1, a2, a3, a4);

	if (r == 0)
		child_setup(flags, blocked, 0);
	return r;
}

#define VM_VFORK (CLONE_VM | CLONE_VFORK)

/* The area the child will run k23 on; *fresh if it is new (the parent
 * frees it again unless a thread keeps it). */
static struct k23_area *child_area(const struct k23_call *c, unsigned long long flags, int *fresh)
{
	struct k23_area *own = k23_area_of(c->uc), *a;

	*fresh = !own || (flags & VM_VFORK) != VM_VFORK;
	a = *fresh ? k23_area_new() : k23_area_spare(own);
	if (!a)
		return 0;
	/* The kernel clears a thread's alternate stack; other children keep it. */
	if ((flags & VM_VFORK) != CLONE_VM && own)
		a->prog_ss = own->prog_ss;
	/* page0's gadget parked the return address of this very call in its
	 * caller's ring: the child returns through its own area's copy. */
	if (own) {
		a->ring_idx = own->ring_idx;
		k23_memcpy((char *)a + K23_TA_RING, (const char *)own + K23_TA_RING,
			   K23_TA_RING_N * sizeof(unsigned long));
	}
	return a;
}

/* Leaves the snapshot at the top of a's private stack; returns its address,
 * the stack pointer the kernel gives the child. */
static unsigned long place_snapshot(const struct k23_call *c, struct k23_area *a,
				    unsigned long sp, unsigned long long flags)
{
	unsigned long at = (a->stack_top - sizeof(struct k23_regs)) & ~63UL;
	struct k23_regs *r = (struct k23_regs *)at;

	snapshot(r, c, sp, flags);
	r->area = (uint64_t)a;
	return at;
}

/* A child that does not just fork: started on the snapshot in its area. */
static long new_child(const struct k23_call *c, long nr, unsigned long long flags,
		      unsigned long sp, struct clone_args *ca, long size)
{
	int fresh, view;
	struct k23_area *a = child_area(c, flags, &fresh);
	unsigned long at;
	long r;

	if (!a)
		return -ENOMEM;
	view = k23_procview_child(a, k23_area_of(c->uc), flags);
	at = place_snapshot(c, a, sp, flags);
	if (ca) {
		ca->stack = a->stack_lo;
		ca->stack_size = at - a->stack_lo;
		r = k23_clone_raw(nr, (long)ca, size, 0, 0, 0);
	} else {
		r = k23_clone_raw(nr, (long)flags, (long)at, c->args[2], c->args[3], c->args[4]);
	}
	/* A vfork child has execed or exited by now. */
	if (view && (r < 0 || (flags & VM_VFORK) == VM_VFORK))
		k23_procview_done();
	if (fresh && (r < 0 || !(flags & CLONE_VM)))
		k23_unmap(a, K23_TA_SIZE); /* the child, if any, has its own copy */
	return r;
}

static long do_clone(struct k23_call *c)
{
	unsigned long long flags = (unsigned long)c->args[0];
	unsigned long sp = (unsigned long)c->args[1];

	if ((!sp && !(flags & CLONE_VM)) || !c->uc)
		return fork_like(__NR_clone, (long)flags, (long)sp, c->args[2], c->args[3],
				 c->args[4], flags);
	return new_child(c, __NR_clone, flags, sp ? sp : ((const struct k23_ucontext *)c->uc)->uc_mcontext.rsp, 0, 0);
}

/* clone3's argument checks that come before any child exists, as the
 * kernel makes them: 0 to go on, else the error (or 1: let the kernel
 * refuse it, since it creates nothing then). */
static long clone3_args(const struct k23_call *c, char *buf, unsigned long *size)
{
	unsigned long n = (unsigned long)c->args[1];
	const char *u = (const char *)c->args[0];
	char tail[64];

	if (n < 64 || n > CLONE_ARGS_PAGE)
		return 1; /* EINVAL, E2BIG */
	if (k23_copy_from(buf, u, n < CLONE_ARGS_MAX ? n : CLONE_ARGS_MAX))
		return -EFAULT;
	/* A newer struct: as the kernel, accept it only if the part k23 does
	 * not know is zero, else E2BIG - never pass it on unexamined, or the
	 * child would start unarmed. */
	for (unsigned long off = CLONE_ARGS_MAX; off < n; off += sizeof(tail)) {
		unsigned long k = n - off < sizeof(tail) ? n - off : sizeof(tail);

		if (k23_copy_from(tail, u + off, k))
			return -EFAULT;
		for (unsigned long i = 0; i < k; i++)
			if (tail[i])
				return -E2BIG;
	}
	*size = n < CLONE_ARGS_MAX ? n : CLONE_ARGS_MAX;
	if (*size < CLONE_ARGS_MAX)
		k23_memset(buf + *size, 0, CLONE_ARGS_MAX - *size);
	return 0;
}

static long do_clone3(struct k23_call *c)
{
	char buf[CLONE_ARGS_MAX] __attribute__((aligned(8)));
	struct clone_args *ca = (struct clone_args *)buf;
	unsigned long size = 0, sp;
	long r;

	if (!c->uc)
		return k23_passthrough(c);
	r = clone3_args(c, buf, &size);
	if (r)
		return r == 1 ? k23_passthrough(c) : r;
	/* A stack the kernel refuses (EINVAL): nothing is created. */
	if (!ca->stack != !ca->stack_size || ca->stack + ca->stack_size < ca->stack ||
	    ca->stack + ca->stack_size > TASK_SIZE_MAX)
		return k23_passthrough(c);
	if (!ca->stack && !(ca->flags & CLONE_VM))
		return fork_like(__NR_clone3, (long)buf, (long)size, 0, 0, 0, ca->flags);
	sp = ca->stack ? ca->stack + ca->stack_size : ((const struct k23_ucontext *)c->uc)->uc_mcontext.rsp;
	return new_child(c, __NR_clone3, ca->flags, sp, ca, (long)size);
}

/* Reports in the parent only: strace counts a clone once, and the child's
 * view of it (ret 0) is not a call of its own. */
void k23_do_clone(struct k23_call *c)
{
	switch (c->nr) {
	case __NR_clone:
		c->ret = do_clone(c);
		break;
	case __NR_clone3:
		c->ret = do_clone3(c);
		break;
	case __NR_fork:
		c->ret = fork_like(__NR_clone, SIGCHLD, 0, 0, 0, 0, 0);
		break;
	default: /* vfork: see the top of this file */
		c->ret = c->uc ? new_child(c, __NR_clone, VM_VFORK | SIGCHLD,
					   ((const struct k23_ucontext *)c->uc)->uc_mcontext.rsp, 0, 0)
			       : fork_like(__NR_clone, CLONE_VFORK | SIGCHLD, 0, 0, 0, 0, 0);
		break;
	}
	if (c->ret != 0)
		k23_report(c);
}
