/* own_filter.h - a program's own seccomp filter, installed behind a prologue that lets k23's own calls through. */
#ifndef K23_OWN_FILTER_H
#define K23_OWN_FILTER_H

#include <linux/filter.h>
#include "k23/tool.h"

/* One instruction k23 makes its own calls from: the address the kernel
 * reports for it (the one after the syscall) and the numbers it may make
 * there past the program's filter. */
struct k23_own_site {
	unsigned long ip;
	const int *nrs;
	int n;
};

/* A number k23 makes with a fixed argument: it passes the prologue only
 * if argument arg (its low 32 bits) is one of vals. */
struct k23_own_arg {
	int nr;
	int arg;
	const unsigned *vals;
	int n;
};

#define K23_OWN_PROLOGUE_MAX 128	/* instructions k23_own_prologue may write */

/* Writes the prologue for these sites (at most 32, all in one 4 GiB
 * window) into out: an x86-64 call whose number one of the sites allows,
 * whose instruction pointer is that site's and whose argument, for a
 * number in a, is one of a's values, is allowed; every other call
 * goes on, with A and X zero as at a filter's start, to the instruction
 * right after the prologue, where the program's filter is put unchanged.
 * Returns the prologue's length, or -1 if the sites cannot be expressed. */
int k23_own_prologue(struct sock_filter *out, int max, const struct k23_own_site *s, int ns,
		     const struct k23_own_arg *a, int na);

/* The sites and argument rules of this k23 image (own_filter.c). */
extern const struct k23_own_site k23_own_sites[];
extern const int k23_own_nsites;
extern const struct k23_own_arg k23_own_args[];
extern const int k23_own_nargs;

/* seccomp(SECCOMP_SET_MODE_FILTER) or prctl(PR_SET_SECCOMP,
 * SECCOMP_MODE_FILTER) made by the program: installs its filter behind the
 * prologue, with its flags, through the instruction k23 makes the program's
 * calls with; returns what the kernel returned. */
long k23_own_filter_install(struct k23_call *c);

#endif
