/* kstack.h - the kernel's stack_t (sigaltstack, uc_stack), apart from kabi.h so that hosted code can use it too. */
#ifndef K23_KSTACK_H
#define K23_KSTACK_H

#include <stddef.h>

struct k23_stack {
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
};

#endif
