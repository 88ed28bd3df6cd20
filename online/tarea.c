/* tarea.c - allocating, installing and freeing the per-thread areas behind %gs. */
#include <asm/unistd.h>
#include <asm/prctl.h>
#include <linux/mman.h>
#include "arch/x86_64/tarea_layout.h"
#include "rt.h"
#include "rtlib.h"
#include "tarea.h"

volatile int k23_patch_disabled;
unsigned long k23_prog_gs;

static unsigned long current_area(void)
{
	unsigned long base = 0;

	if (k23_syscall2(__NR_arch_prctl, ARCH_GET_GS, (long)&base) != 0)
		return 0;
	return base;
}

long k23_tarea_setup(void)
{
	unsigned char *a = k23_map_anon(K23_TA_SIZE);
	long r;

	if (!a)
		return -12; /* ENOMEM */
	/* A stack overflow must fault, not overwrite the header. */
	k23_syscall3(__NR_mprotect, (long)(a + K23_TA_PAGE), K23_TA_PAGE, PROT_NONE);
	*(unsigned long *)(a + K23_TA_STACK_TOP) = (unsigned long)a + K23_TA_SIZE;
	*(unsigned long *)(a + K23_TA_STACK_LO) = (unsigned long)a + K23_TA_STACK_OFF;
	*(unsigned long *)(a + K23_TA_SELF) = (unsigned long)a;
	r = k23_syscall2(__NR_arch_prctl, ARCH_SET_GS, (long)a);
	if (r)
		k23_unmap(a, K23_TA_SIZE);
	return r;
}

void k23_tarea_release(void)
{
	unsigned long a = current_area(), sp = (unsigned long)__builtin_frame_address(0);

	if (!a || k23_patch_disabled || *(unsigned long *)(a + K23_TA_SELF) != a)
		return;
	if (sp >= a && sp < a + K23_TA_SIZE)
		return; /* exiting from a handler that interrupted a patched call */
	k23_syscall2(__NR_arch_prctl, ARCH_SET_GS, 0);
	k23_unmap((void *)a, K23_TA_SIZE);
}
