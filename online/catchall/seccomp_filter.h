/* seccomp_filter.h - k23's seccomp catch-all as a BPF program, built apart from installing it so it can be tested. */
#ifndef K23_SECCOMP_FILTER_H
#define K23_SECCOMP_FILTER_H

#include <linux/filter.h>

#define K23_FILTER_MAX 16	/* instructions k23_seccomp_program may write */

/* Writes the filter for k23's text [start, end] (one 4 GiB window) and the
 * address right after the int $0x80 k23 re-issues i386 calls with; returns
 * its length, or -1 if the range spans a 4 GiB boundary. */
int k23_seccomp_program(struct sock_filter *out, unsigned long start, unsigned long end,
			unsigned long int80_ip);

#endif
