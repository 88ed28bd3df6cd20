/* tarea.c - allocating, installing and freeing the per-thread areas (layout: arch/x86_64/tarea_layout.h). */
#include <asm/unistd.h>
#include <asm/prctl.h>
#include <linux/mman.h>
#include "k23/compat.h"
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/arch/x86_64/kabi.h"
#include "online/core/tarea.h"

#define SS_DISABLE 2

volatile int k23_patch_disabled;
unsigned long k23_prog_gs;
volatile int k23_gs_areas;

long k23_tid(void)
{
	struct k23_area *a = k23_area_here();
	long tid = a ? *k23_area_tid(a) : 0;

	if (!tid) {
		tid = k23_syscall0(__NR_gettid);
		if (a)
			*k23_area_tid(a) = tid; /* asked once per thread */
	}
	return tid;
}

/* Overflows must fault, not overwrite the header or the other stack: a
 * guard page, marked in the page tables (MADV_GUARD_INSTALL, Linux 6.13),
 * or made PROT_NONE where the kernel refuses that. The marker leaves the
 * area one mapping (mprotect makes three of it): two guards cost ~3 us
 * against ~7 us on the reference VM, for every thread and process. */
static void guard(unsigned char *page)
{
	if (k23_syscall3(__NR_madvise, (long)page, K23_TA_PAGE, MADV_GUARD_INSTALL))
		k23_syscall3(__NR_mprotect, (long)page, K23_TA_PAGE, PROT_NONE);
}

struct k23_area *k23_area_new(void)
{
	unsigned char *p = k23_map_anon(K23_TA_SIZE);
	struct k23_area *a = (struct k23_area *)p;

	if (!p)
		return 0;
	guard(p + K23_TA_PAGE);
	guard(p + K23_TA_STACK_END);
	/* The pages every thread touches, populated now: the header, the
	 * private stack's top (the loader's patching runs three pages deep
	 * there, a patched call within the top one) and the signal stack's
	 * top, where the kernel puts each SIGSYS frame (every process exits
	 * through one). A page fault costs ~12 us on a paravirtualized MMU,
	 * a page populated by madvise ~1 us (docs/benchmarks.md). Failure
	 * (a kernel before 5.14) leaves them to fault in. */
	k23_syscall3(__NR_madvise, (long)p, K23_TA_PAGE, MADV_POPULATE_WRITE);
	k23_syscall3(__NR_madvise, (long)(p + K23_TA_STACK_END - 3 * K23_TA_PAGE), 3 * K23_TA_PAGE,
		     MADV_POPULATE_WRITE);
	k23_syscall3(__NR_madvise, (long)(p + K23_TA_SIZE - K23_TA_PAGE), K23_TA_PAGE, MADV_POPULATE_WRITE);
	a->stack_top = (unsigned long)p + K23_TA_STACK_END;
	a->stack_lo = (unsigned long)p + K23_TA_STACK_OFF;
	a->entry_sp = a->stack_top;
	a->self = (unsigned long)p;
	a->prog_ss.ss_flags = SS_DISABLE;
	return a;
}

long k23_area_enter(struct k23_area *a)
{
	struct k23_stack ss = { .ss_sp = (char *)a + K23_TA_ALT_OFF, .ss_size = K23_TA_ALT_SIZE };
	long r;

	a->entry_sp = a->stack_top;
	*k23_area_tid(a) = 0; /* not known yet (k23_tid) */
	r = k23_syscall2(__NR_sigaltstack, (long)&ss, 0);
	if (r == 0 && k23_rt.patch != K23_PATCH_OFF && !k23_patch_disabled) {
		r = k23_syscall2(__NR_arch_prctl, ARCH_SET_GS, (long)a);
		if (r == 0 && !k23_gs_areas)
			k23_gs_areas = 1;
	}
	return r;
}

struct k23_area *k23_area_of(const struct k23_ucontext *uc)
{
	unsigned long p = (unsigned long)uc->uc_stack.ss_sp - K23_TA_ALT_OFF;

	if (uc->uc_stack.ss_size != K23_TA_ALT_SIZE || !uc->uc_stack.ss_sp ||
	    ((struct k23_area *)p)->self != p)
		return 0;
	return (struct k23_area *)p;
}

struct k23_area *k23_area_spare(struct k23_area *a)
{
	if (!a->spare) {
		struct k23_area *s = k23_area_new();

		if (!s)
			return 0;
		s->kind = K23_AREA_SPARE;
		a->spare = (unsigned long)s;
	}
	return (struct k23_area *)a->spare;
}

long k23_tarea_setup(void)
{
	struct k23_area *a = k23_area_new();
	long r;

	if (!a)
		return -12; /* ENOMEM */
	r = k23_area_enter(a);
	if (r)
		k23_unmap(a, K23_TA_SIZE);
	return r;
}

void k23_area_exit(struct k23_area *a, long code)
{
	k23_procview_exit(a);
	if (a->kind == K23_AREA_SPARE) { /* a vfork child's: its parent's to keep */
		k23_syscall1(__NR_exit, code);
		__builtin_unreachable();
	}
	/* A thread's vfork children are done when it can exit. */
	for (struct k23_area *s = (struct k23_area *)a->spare, *n; s; s = n) {
		n = (struct k23_area *)s->spare;
		k23_unmap(s, K23_TA_SIZE);
	}
	/* This code runs on the area: unmap and exit without a stack. */
	k23_unmap_exit(a, K23_TA_SIZE, code);
}

unsigned long k23_area_program_sp(struct k23_area *a, struct k23_ucontext *uc)
{
	struct sigcontext *m = &uc->uc_mcontext;
	unsigned long top;

	/* A context inside patch_entry.S's entry was moved to its stub by
	 * k23_sigctx_settle already: rsp on the private stack is C's. */
	if (m->rsp - a->stack_lo >= K23_TA_STACK_SIZE)
		return m->rsp;
	top = a->stack_top - (a->stack_top - 1 - m->rsp) / K23_TA_LEVEL * K23_TA_LEVEL;
	return *(unsigned long *)(top - 8);
}
