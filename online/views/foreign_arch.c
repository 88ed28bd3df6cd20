/* foreign_arch.c - a trapped call that is not an x86-64 call is made as what it is, never dispatched as one.
 *
 * The kernel tells the architecture of every trapped call (si_arch): an
 * `int $0x80` of a 64-bit program arrives as AUDIT_ARCH_I386 with an i386
 * number (20 is getpid there, writev on x86-64), an x32 call as
 * AUDIT_ARCH_X86_64 with __X32_SYSCALL_BIT in its number. k23 re-issues an
 * i386 call through its one int $0x80 (arch/x86_64/int80.S) and an x32
 * number unchanged, so the kernel gives each the meaning it gives natively;
 * neither goes through the dispatcher's x86-64 special cases. Only x32
 * numbers are reported to the tool (counted apart from x86-64 numbers).
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include "k23/compat.h"
#include "online/core/rt.h"
#include "online/dispatch/dispatch.h"
#include "online/arch/x86_64/call_layout.h"
#include "online/views/foreign_arch.h"

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

long k23_int80(const long regs[7]);

int k23_is_foreign(const struct k23_siginfo *si)
{
	return si->u.sigsys.arch != AUDIT_ARCH_X86_64 ||
	       (si->u.sigsys.syscall & __X32_SYSCALL_BIT);
}

void k23_foreign_call(const struct k23_siginfo *si, struct k23_ucontext *uc, int via)
{
	struct sigcontext *m = &uc->uc_mcontext;
	struct k23_call c = {
		.nr = si->u.sigsys.syscall,
		.args = { (long)m->rdi, (long)m->rsi, (long)m->rdx, (long)m->r10, (long)m->r8,
			  (long)m->r9 },
		.via = via,
		.uc = uc,
	};

	/* Made with signals held, on k23's signal stack: a blocking call of
	 * another ABI is not interrupted by the program's signals. */
	if (si->u.sigsys.arch == AUDIT_ARCH_I386) {
		const long regs[7] = { c.nr, (long)m->rbx, (long)m->rcx, (long)m->rdx,
				       (long)m->rsi, (long)m->rdi, (long)m->rbp };

		/* int $0x80 leaves every register but eax as it was. */
		m->rax = (unsigned long)k23_int80(regs);
	} else if (si->u.sigsys.arch == AUDIT_ARCH_X86_64) {
		c.ret = k23_call_raw(&c);
		m->rax = (unsigned long)c.ret;
		m->rcx = m->rip;
		m->r11 = m->eflags;
	} else {
		m->rax = (unsigned long)-ENOSYS;
	}
	if (si->u.sigsys.arch == AUDIT_ARCH_X86_64)
		k23_report(&c);
}
