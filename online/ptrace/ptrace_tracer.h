/* ptrace_tracer.h - a tracer running under k23 sees its tracees as it would natively.
 *
 * Shared between ptrace_tracer.c (the wait side: which stops the tracer
 * sees) and ptrace_view.c (the request side: what registers and syscall
 * information it reads at them).
 */
#ifndef K23_PTRACE_TRACER_H
#define K23_PTRACE_TRACER_H

#include "k23/tool.h"
#include "online/arch/x86_64/kabi.h"

/* How the tracee's current stop is shown to the tracer. */
enum k23_view {
	K23_VIEW_REAL = 0,	/* as the kernel reports it */
	K23_VIEW_ENTER,		/* enter marker: the program call's syscall-entry stop */
	K23_VIEW_EXIT,		/* exit marker: its syscall-exit stop */
	K23_VIEW_INCALL,	/* an event or signal stop inside k23, during a program call */
	K23_VIEW_EXEC_EVENT,	/* PTRACE_EVENT_EXEC, moved to the program's first instruction */
	K23_VIEW_EXEC_EXIT,	/* execve's syscall-exit stop, likewise */
	K23_VIEW_EXEC_TRAP,	/* the SIGTRAP after execve of a PTRACE_TRACEME tracee, likewise */
};

/* struct user_regs_struct, as PTRACE_GETREGS fills it. */
struct k23_user_regs {
	unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi,
		orig_rax, rip, cs, eflags, rsp, ss, fs_base, gs_base, ds, es, fs, gs;
};

#define K23_MAX_FAKES 3
#define K23_CALL_DEPTH 8

struct k23_tracee {
	int tid;
	int k23;		/* 1: runs under k23, -1: does not, 0: not known yet */
	long req;		/* the tracer's last resume request */
	unsigned long options;	/* PTRACE_O_* */
	int stepping;		/* k23 single-steps it out of k23's text */
	int sigret;		/* its last hidden entry re-issued the program's rt_sigreturn */
	int loader;		/* between an execve and the program's first instruction */
	int launching;		/* ... and still in k23's launcher, before the core's data */
	int view;		/* enum k23_view of the stop the tracer holds */
	int shown;		/* that stop was returned by a wait and not resumed since */
	int shown_status;
	unsigned long rec;	/* call record of an ENTER/EXIT/INCALL view */
	unsigned long calls[K23_CALL_DEPTH];	/* records of shown entries without exit */
	int depth;
	int fakes[K23_MAX_FAKES];	/* views still to show, without resuming it */
	int nfakes;
	int fake_ready;		/* fakes[0] is due at the next wait */
	int ev_status;		/* status of the stop the exec was noticed at */
	unsigned long ev_msg;	/* PTRACE_GETEVENTMSG of the exec event */
	long exec_nr;		/* execve or execveat */
	struct k23_siginfo trap_si;	/* siginfo of the exec's SIGTRAP */
};

/* The tracer's entry for tid (created if create); NULL if the table is full. */
struct k23_tracee *k23_tracee_get(int tid, int create);
void k23_tracee_forget(int tid);

/* 1 if addr lies in k23's text (the same in every k23 image). */
int k23_in_k23_text(unsigned long addr);

/* Reads or writes the tracee's memory; 0 or -errno. */
long k23_tracee_read(int tid, unsigned long addr, void *buf, unsigned long n);
long k23_tracee_write(int tid, unsigned long addr, const void *buf, unsigned long n);

/* ptrace(2) issued by k23 itself. */
long k23_ptrace_raw(long req, int tid, unsigned long addr, unsigned long data);

/* Reads the tracee's shared block; tells whether it runs under k23 and marks
 * it traced. Returns 1 for a k23 tracee, 0 otherwise. */
int k23_tracee_check(struct k23_tracee *t, int *in_loader);

/* Status of the view fakes[0] stands for. */
int k23_fake_status(const struct k23_tracee *t, int view);

/* The tracer resumed t and fakes[0] is due at its next wait. */
void k23_tracee_fake_next(struct k23_tracee *t);

/* wait4 and waitid: hidden stops are resumed and waited past. */
void k23_do_wait(struct k23_call *c);
/* ptrace: resume requests are remembered, register reads of presented stops
 * emulated (ptrace_view.c). */
void k23_do_ptrace(struct k23_call *c);

#endif
