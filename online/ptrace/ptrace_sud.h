/* ptrace_sud.h - a tracer's PTRACE_SET/GET_SYSCALL_USER_DISPATCH_CONFIG on a tracee under k23 (ptrace_sud.c). */
#ifndef K23_PTRACE_SUD_H
#define K23_PTRACE_SUD_H

#define K23_PTRACE_SET_SUD 0x4210	/* PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG */
#define K23_PTRACE_GET_SUD 0x4211	/* PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG */

/* The request req on the tracee thread tid, with the tracer's size and
 * buffer: the tracee's emulated SUD set or read. 0 or -errno. */
long k23_tracee_sud(int tid, long req, unsigned long size, void *data);

#endif
