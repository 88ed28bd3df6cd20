/* prog_sud.c - a program that arms Syscall User Dispatch itself gets the kernel's semantics, emulated.
 *
 * The kernel offers one SUD configuration per thread and k23 holds it; if the
 * program could replace it, its calls would escape. So k23 records the
 * program's configuration (thread.h) and applies it to each call it traps:
 * a call from outside the program's exempt range while its selector says
 * BLOCK is not performed; the program's SIGSYS handler receives it with
 * si_code SYS_USER_DISPATCH and the registers rolled back, exactly as from
 * the kernel, and whatever it leaves in the context is what the program
 * resumes with. As with the kernel's SUD, the blocked call is not a system
 * call: tools do not see it, they see the calls the handler makes.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/signal.h>
#include "k23/compat.h"
#include "online/arch/x86_64/kabi.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/core/tarea.h"
#include "online/signals/signals.h"
#include "online/core/thread.h"
#include "online/views/prog_sud.h"
#include "online/dispatch/fastpath.h"
#include "online/ptrace/ptrace_shared.h"

/* Set once any thread arms its own SUD: until then no call pays for the
 * per-thread lookup (a gettid). */
int k23_prog_sud_seen;	/* some thread turned its own SUD on */

long k23_prog_sud_prctl(const struct k23_call *c)
{
	unsigned long mode = c->args[1], off = c->args[2], len = c->args[3];
	const void *sel = (const void *)c->args[4];
	struct k23_thread *t;

	if (mode == PR_SYS_DISPATCH_OFF) {
		if (off || len || sel)
			return -EINVAL;
		t = k23_thread_self(0);
		if (t)
			t->sud_on = 0;
		return 0;
	}
	if (mode == PR_SYS_DISPATCH_INCLUSIVE_ON) {
		/* Calls from inside the range are dispatched: the kernel
		 * inverts the range, and the wrap-around check in blocks()
		 * does the rest. */
		if (!len || off + len <= off)
			return -EINVAL;
		off += len;
		len = -len;
	} else if (mode != PR_SYS_DISPATCH_ON || (off && off + len <= off)) {
		return -EINVAL;
	}
	if ((unsigned long)sel >= (1UL << 47))
		return -EFAULT;
	t = k23_thread_self(1);
	if (!t)
		return -ENOMEM;
	t->sud_start = off;
	t->sud_len = len;
	t->sud_selector = sel;
	__atomic_store_n(&t->sud_on, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&k23_prog_sud_seen, 1, __ATOMIC_RELAXED);
	k23_fast_update();
	return 0;
}

/* A configuration a tracer under k23 set for this thread while it was
 * stopped (PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG, ptrace/ptrace_sud.c),
 * already checked there as the kernel checks it: taken into this thread's
 * entry before its next call is judged. */
static void take_requests(void)
{
	int tid = (int)k23_tid();

	for (int i = 0; i < K23_SUD_REQS; i++) {
		struct k23_sud_req *r = &k23_ptrace_shared.sud_req[i];
		struct k23_thread *t;

		if (__atomic_load_n(&r->tid, __ATOMIC_ACQUIRE) != tid)
			continue;
		t = k23_thread_self(r->on);
		if (t) {
			__atomic_store_n(&t->sud_on, 0, __ATOMIC_RELEASE);
			t->sud_start = r->start;
			t->sud_len = r->len;
			t->sud_selector = r->selector;
			__atomic_store_n(&t->sud_on, r->on, __ATOMIC_RELEASE);
		}
		__atomic_store_n(&r->tid, 0, __ATOMIC_RELEASE);
	}
}

static int blocks(const struct k23_thread *t, unsigned long ip)
{
	if (ip - t->sud_start < t->sud_len)
		return 0;
	if (t->sud_selector && *t->sud_selector == SYSCALL_DISPATCH_FILTER_ALLOW)
		return 0;
	return 1;
}

int k23_prog_sud_intercept(struct k23_call *c)
{
	struct k23_ucontext *uc = c->uc;
	struct k23_thread *t;
	struct k23_siginfo si;

	if (!__atomic_load_n(&k23_prog_sud_seen, __ATOMIC_RELAXED) || !uc)
		return 0;
	if (__atomic_load_n(&k23_ptrace_shared.sud_reqs, __ATOMIC_ACQUIRE))
		take_requests();
	t = k23_thread_self(0);
	if (!t || !__atomic_load_n(&t->sud_on, __ATOMIC_ACQUIRE) || !blocks(t, uc->uc_mcontext.rip))
		return 0;
	k23_memset(&si, 0, sizeof(si));
	si.si_signo = SIGSYS;
	si.si_code = SYS_USER_DISPATCH;
	si.u.sigsys.call_addr = (void *)uc->uc_mcontext.rip;
	si.u.sigsys.syscall = (int)c->nr;
	si.u.sigsys.arch = AUDIT_ARCH_X86_64;
	uc->uc_mcontext.rax = (unsigned long)c->nr; /* the kernel's rollback */
	k23_raise_program_sigsys(&si, uc);
	return 1;
}
