/* ptrace_shared.h - what a tracer's k23 and a tracee's k23 know of each other.
 *
 * k23 is linked at a fixed address, so the same symbol lies at the same
 * address in every k23 image: a tracer's k23 reads and writes the tracee's
 * copy of k23_ptrace_shared with process_vm_readv/writev at the address of
 * its own. The magic tells a tracee running under k23 (of this very build)
 * from any other process.
 *
 * A tracee under a k23 tracer marks each of the program's system calls with
 * two marker calls from fixed instructions (ptrace_mark.S): one before k23
 * performs the call, one after, each with the call record in %rdi. The
 * tracer's k23 shows the tracer these as the program's syscall-entry and
 * syscall-exit stops, with the program's registers, and hides every other
 * stop k23's own work causes (ptrace_tracer.c).
 */
#ifndef K23_PTRACE_SHARED_H
#define K23_PTRACE_SHARED_H

#include "k23/tool.h"

#define K23_PTRACE_MAGIC "k23-ptrace-v1\0\0"

/* A tracer's PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG for thread tid of
 * the tracee, taken into the thread's emulated SUD at its next trapped
 * call (views/prog_sud.c, ptrace/ptrace_sud.c). */
#define K23_SUD_REQS 8
struct k23_sud_req {
	int tid;		/* 0: a free slot */
	int on;
	unsigned long start, len;
	const volatile unsigned char *selector;
};

struct k23_ptrace_shared {
	char magic[16];
	int traced;	/* a k23 tracer traces some thread: mark calls, trap by SUD */
	int in_loader;	/* 1 from the image's start until k23 enters the program */
	int entry_trap;	/* stop with int3 just before the program's first instruction */
	int sud_reqs;	/* a tracer has left requests in sud_req */
	struct k23_sud_req sud_req[K23_SUD_REQS];
};

extern struct k23_ptrace_shared k23_ptrace_shared;

/* ptrace_mark.S: the marker calls (getpid, with the record in %rdi) and the
 * addresses right after their syscall instructions, where the tracer finds
 * the tracee stopped. */
void k23_ptrace_mark_enter(struct k23_call *c);
void k23_ptrace_mark_exit(struct k23_call *c);
extern const char k23_ptrace_enter_ip[], k23_ptrace_exit_ip[];
/* enter.S: right after the int3 the loader executes when entry_trap is set. */
extern const char k23_enter_trap_ip[];
/* sigreturn.S: where the program's own rt_sigreturn is re-issued. */
extern const char k23_restore_prog_rt_ip[];

#endif
