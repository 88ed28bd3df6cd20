/* patched_call.c - the C side of a patched site: pass the call through, or send it to the catch-all.
 *
 * A patched call has no kernel frame: no saved signal mask to edit, no
 * registers to hand a new thread, no rt_sigreturn frame. Every call whose
 * handling needs one (k23_needs_frame) is sent back to a real `syscall`
 * outside k23's text, so the catch-all traps it and the usual path runs
 * with the kernel's frame. Everything else is issued here from k23's text
 * and reported like a trapped call, with via = K23_VIA_PATCH.
 *
 * Signals are not held here (no SIGSYS frame to restore a mask from): a
 * signal arriving meanwhile runs the program's handler at once, on the
 * program's stacks (onstack.c), shown the program's context from the
 * entry's frame (sigctx.c): f->call names the call being made, and its
 * ret stays K23_RET_NONE until it is made.
 */
#include <asm/unistd.h>
#include "k23/tool.h"
#include "online/arch/x86_64/patch_layout.h"
#include "online/arch/x86_64/call_layout.h"
#include "online/core/rt.h"
#include "online/dispatch/dispatch.h"

long k23_patched_refuse(struct k23_patch_frame *f)
{
	if (f->kind == K23_ENTRY_PAGE0)
		return f->rax == __NR_rt_sigreturn ? 2 : 1; /* 2: it never returns to the ring */
	f->ret += *(const uint32_t *)(f->ret + K23_STUB_META_FALLBACK);
	return 1;
}

long k23_patched_call(struct k23_patch_frame *f)
{

	struct k23_call c = {
		.nr = (long)f->rax,
		.args = { (long)f->rdi, (long)f->rsi, (long)f->rdx, (long)f->r10, (long)f->r8,
			  (long)f->r9 },
		.ret = K23_RET_NONE,	/* until made (sigctx.c tells by it) */
		.via = K23_VIA_PATCH,
		.uc = 0,
	};

	f->call = (unsigned long)&c; /* a handler that interrupts the call finds it */

	if (k23_needs_frame(&c)) {
		f->call = 0;
		return k23_patched_refuse(f);
	}
	k23_dispatch(&c);
	f->rax = (unsigned long)c.ret;
	f->r11 = f->rflags; /* rcx: the stub sets it, page0's entry loads it */
	return 0;
}
