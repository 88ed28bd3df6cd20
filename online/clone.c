/* clone.c - clone, clone3, fork and vfork: every child is armed before it runs program code.
 *
 * SUD is not inherited, so the child must be armed from k23's text right after
 * the kernel creates it. Three shapes:
 *  - no new stack, own memory (fork): the child returns through the same
 *    dispatcher frame (a private copy) and arms itself there;
 *  - new stack (threads, posix_spawn): the parent leaves a register snapshot
 *    just below the child's stack pointer; clone.S arms the child and resumes
 *    it from the snapshot;
 *  - shared memory AND shared stack (vfork): the child would overwrite the
 *    parent's SIGSYS frame below the stack pointer, so k23 drops CLONE_VM and
 *    keeps CLONE_VFORK: the parent still waits for the child's exec or exit,
 *    the child gets a copy-on-write view instead of shared memory.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include "k23/compat.h"
#include "arch/x86_64/regs.h"
#include "arch/x86_64/kabi.h"
#include "rt.h"
#include "rtlib.h"
#include "arm.h"
#include "dispatch.h"
#include "thread.h"
#include "tarea.h"

#define CLONE_ARGS_MAX 128	/* bytes of struct clone_args k23 copies and edits */

/* What a new child does before its first program instruction; sigsys_blocked
 * is its creator's view of SIGSYS in the mask, which a new task inherits. */
static void child_setup(unsigned long long flags, int sigsys_blocked)
{
	long r = k23_arm_thread();

	if (r)
		k23_die("cannot arm a new thread", r);
	/* A fork child has its own copy of its creator's area; a thread needs its own. */
	if ((flags & CLONE_VM) && k23_rt.patch != K23_PATCH_OFF) {
		r = k23_tarea_setup();
		if (r)
			k23_die("cannot map a new thread's patching area", r);
	}
	if (flags & CLONE_CLEAR_SIGHAND)
		k23_install_sigsys();
	k23_thread_start(sigsys_blocked);
}

__attribute__((noreturn)) void k23_clone_child(struct k23_regs *r);
__attribute__((noreturn)) void k23_clone_child(struct k23_regs *r)
{
	child_setup(r->flags, (int)r->sigsys_blocked);
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

/* Places the snapshot below sp; returns the stack pointer the kernel gets. */
static unsigned long place_snapshot(const struct k23_call *c, unsigned long sp,
				    unsigned long long flags)
{
	unsigned long at = (sp - sizeof(struct k23_regs)) & ~63UL;

	snapshot((struct k23_regs *)at, c, sp, flags);
	return at;
}

static long fork_like(long nr, long a0, long a1, long a2, long a3, long a4,
		      unsigned long long flags)
{
	int blocked = k23_sigview_blocked();
	long r = k23_syscall5(nr, a0, a1, a2, a3, a4);

	if (r == 0)
		child_setup(flags, blocked);
	return r;
}

static long do_clone(struct k23_call *c)
{
	unsigned long long flags = (unsigned long)c->args[0];
	unsigned long sp = (unsigned long)c->args[1];

	if (sp && c->uc) {
		unsigned long nsp = place_snapshot(c, sp, flags);

		return k23_clone_raw(__NR_clone, (long)flags, (long)nsp, c->args[2],
				     c->args[3], c->args[4]);
	}
	if ((flags & CLONE_VM) && (flags & CLONE_VFORK))
		flags &= ~(unsigned long long)CLONE_VM;
	return fork_like(__NR_clone, (long)flags, (long)sp, c->args[2], c->args[3],
			 c->args[4], flags);
}

static long do_clone3(struct k23_call *c)
{
	unsigned long size = (unsigned long)c->args[1];
	struct clone_args ca;
	char buf[CLONE_ARGS_MAX] __attribute__((aligned(8)));

	if (size < sizeof(uint64_t) * 8 || !c->args[0] || !c->uc)
		return k23_passthrough(c); /* the kernel refuses it: nothing is created */
	if (size > sizeof(buf)) {
		/* A newer struct: as the kernel, accept it only if the part
		 * k23 does not know is zero, else E2BIG - never pass it on
		 * unexamined, or the child would start unarmed. */
		for (const char *p = (const char *)c->args[0] + sizeof(buf);
		     p < (const char *)c->args[0] + size; p++)
			if (*p)
				return -E2BIG;
		size = sizeof(buf);
	}
	k23_memcpy(buf, (const void *)c->args[0], size);
	k23_memcpy(&ca, buf, sizeof(ca) < size ? sizeof(ca) : size);
	if (ca.stack && ca.stack_size) {
		unsigned long top = (unsigned long)(ca.stack + ca.stack_size);
		unsigned long nsp = place_snapshot(c, top, ca.flags);

		if (nsp <= ca.stack)
			return -EINVAL;
		((struct clone_args *)buf)->stack_size = nsp - ca.stack;
		return k23_clone_raw(__NR_clone3, (long)buf, (long)size, 0, 0, 0);
	}
	if ((ca.flags & CLONE_VM) && (ca.flags & CLONE_VFORK))
		((struct clone_args *)buf)->flags &= ~(unsigned long long)CLONE_VM;
	return fork_like(__NR_clone3, (long)buf, (long)size, 0, 0, 0, ca.flags);
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
		c->ret = fork_like(__NR_clone, CLONE_VFORK | SIGCHLD, 0, 0, 0, 0, 0);
		break;
	}
	if (c->ret != 0)
		k23_report(c);
}
