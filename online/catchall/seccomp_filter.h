/* seccomp_filter.h - k23's seccomp catch-all as a BPF program, built apart from installing it so it can be tested. */
#ifndef K23_SECCOMP_FILTER_H
#define K23_SECCOMP_FILTER_H

#include <linux/filter.h>

#define K23_FILTER_MAX 48	/* instructions k23_seccomp_program may write */

/* The x86-64 calls the by-number filter judges by address (seccomp_filter.c). */
extern const int k23_filter_checked[];
extern const int k23_filter_nchecked;

/* Writes the filter for k23's text [start, end] (one 4 GiB window) and the
 * address right after the int $0x80 k23 re-issues i386 calls with; returns
 * its length, or -1 if the range spans a 4 GiB boundary. by_number: the
 * backstop of the default mode, which tests the address only for the calls
 * in k23_filter_checked; else every x86-64 call is judged by its address. */
int k23_seccomp_program(struct sock_filter *out, unsigned long start, unsigned long end,
			unsigned long int80_ip, int by_number);

#endif
