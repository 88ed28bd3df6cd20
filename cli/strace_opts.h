/* strace_opts.h - strace's options of `k23 run` (-e trace=, status=, inject=, -T, -t, -y, -s, -c, -S, -ff, --json). */
#ifndef K23_STRACE_OPTS_H
#define K23_STRACE_OPTS_H

#include "online/tools/topts.h"

/* -S: how the count table is sorted. */
enum k23_sort { K23_SORT_CALLS = 0, K23_SORT_TIME, K23_SORT_ERRORS, K23_SORT_NAME, K23_SORT_NOTHING };

struct k23_strace_opts {
	struct k23_topts t;	/* what the runtime reads (t.flags has K23_TO_SET once any is given) */
	int count;		/* -c */
	int sort;		/* enum k23_sort */
	int follow;		/* -f given this many times (-ff: 2) */
	int output_implies_trace; /* an option only the trace tool's output uses */
	int inject;		/* an -e inject= spec */
};

void k23_strace_opts_init(struct k23_strace_opts *o);

/* One option: c is the short option ('e', 'T', 't', 'y', 's', 'c', 'S', 'f', 'z', 'Z')
 * or 'J' for --json, arg its argument (or NULL). 0, or 2 after a message
 * (a usage error). */
int k23_strace_opt(struct k23_strace_opts *o, int c, const char *arg);

/* After all options: what follows from them together (the local time's
 * offset for -t). 0, or 2 after a message. */
int k23_strace_opts_finish(struct k23_strace_opts *o, int tool);

/* Used by the tests: the call numbers of "SET" as -e trace=SET means it,
 * into set (K23_TOPTS_WORDS words). 0, or -1 with *why set. */
int k23_strace_set(const char *spec, uint64_t *set, const char **why);

#endif
