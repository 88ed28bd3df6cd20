/* sigsys.c - the SIGSYS handler: turns a trapped system call into a dispatcher call.
 *
 *   program: syscall ──SUD or seccomp──▶ kernel builds SIGSYS frame
 *       ──▶ k23_sigsys_handler(uc) ──▶ k23_dispatch(call) ──▶ raw syscall in k23 text
 *       ◀── rax = result; return ──▶ k23_restore_rt: rt_sigreturn ──▶ program, after its syscall
 *
 * Both mechanisms roll the registers back to the system-call entry, so the
 * frame's rax holds the call number and rdi..r9 its arguments; rip already
 * points after the syscall instruction.
 */
#include <asm/unistd.h>
#include <linux/signal.h>
#include "k23/compat.h"
#include "rt.h"
#include "rtlib.h"
#include "arm.h"
#include "dispatch.h"
#include "signals.h"
#include "prog_sud.h"
#include "patch.h"
#include "arch/x86_64/call_layout.h"
#include "sigsys.h"

static int trap_kind(const struct k23_siginfo *si)
{
	if (si->si_code == SYS_USER_DISPATCH)
		return K23_VIA_SUD;
	if (si->si_code == SYS_SECCOMP && si->si_errno == K23_SECCOMP_TRAP_DATA)
		return K23_VIA_SECCOMP;
	return 0;
}

static void read_args(struct k23_call *c, const struct sigcontext *m)
{
	c->args[0] = (long)m->rdi;
	c->args[1] = (long)m->rsi;
	c->args[2] = (long)m->rdx;
	c->args[3] = (long)m->r10;
	c->args[4] = (long)m->r8;
	c->args[5] = (long)m->r9;
}

/* A SIGSYS that is not one of k23's traps: sent by kill, or raised by a
 * seccomp filter of the program's own. */
static void foreign_sigsys(int sig, struct k23_siginfo *si, struct k23_ucontext *uc)
{
	struct sigcontext *m = &uc->uc_mcontext;

	if (si->si_code == SYS_SECCOMP && m->rip == (unsigned long)k23_call_raw_resume) {
		/* The program's filter trapped a call k23 was making for it:
		 * its handler must see its own frame, as without k23. */
		struct k23_call *outer = (struct k23_call *)m->r12;
		struct k23_ucontext *ouc = outer->uc;

		if (ouc) {
			si->u.sigsys.call_addr = (void *)ouc->uc_mcontext.rip;
			ouc->uc_mcontext.rax = (unsigned long)outer->nr; /* rolled back */
			k23_deliver_program_sigsys(sig, si, ouc);
			m->rax = (unsigned long)K23_RET_NONE; /* the handler decided */
			return;
		}
	} else if (si->si_code == SYS_SECCOMP &&
		   (m->rip < k23_rt.text_start || m->rip > k23_rt.text_end)) {
		/* The program's filter took precedence over k23's for one of
		 * the program's calls: not performed, but asked for. */
		struct k23_call c = { .nr = si->u.sigsys.syscall, .ret = K23_RET_NONE,
				      .via = K23_VIA_SECCOMP, .uc = uc };

		read_args(&c, m);
		k23_report(&c);
	}
	k23_deliver_program_sigsys(sig, si, uc);
}

void k23_sigsys_handler(int sig, struct k23_siginfo *si, struct k23_ucontext *uc)
{
	struct sigcontext *m = &uc->uc_mcontext;
	struct k23_call c;

	c.via = trap_kind(si);
	if (!c.via) {
		foreign_sigsys(sig, si, uc);
		return;
	}
	if (c.via == K23_VIA_SECCOMP && (k23_rt.catch_all & K23_CATCH_SUD))
		k23_arm_thread(); /* the backstop caught a thread SUD missed: arm it */
	c.nr = si->u.sigsys.syscall;
	read_args(&c, m);
	c.uc = uc;
	c.ret = 0;

	if (c.nr == __NR_rt_sigreturn) {
		/* Leave this frame into the stub that re-issues rt_sigreturn from
		 * exempt text with the program's rsp (its own signal frame).
		 * What it "returns" is the rax that frame restores (strace shows
		 * the same); a bad frame faults here as it would in the kernel. */
		c.ret = (long)((const struct k23_ucontext *)m->rsp)->uc_mcontext.rax;
		k23_report(&c);
		m->rip = (unsigned long)k23_restore_rt;
		m->rax = __NR_rt_sigreturn;
		return;
	}
	if (k23_prog_sud_intercept(&c))
		return; /* the program's handler set the registers */
	k23_dispatch(&c);
	if (c.ret == K23_RET_NONE)
		return; /* the program's own SIGSYS handler set the registers */
	if (k23_rt.lazy && k23_rt.patch == K23_PATCH_STUB && !k23_needs_frame(&c))
		k23_lazy_patch(m->rip, c.nr);
	m->rax = (unsigned long)c.ret;
	/* What the syscall instruction leaves in rcx and r11. */
	m->rcx = m->rip;
	m->r11 = m->eflags;
}
