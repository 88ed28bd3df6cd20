/* topts.h - what the tools were asked for with strace's options (-e trace=, -e status=, -e inject=, -T, -t, -y, -s, -ff, --json).
 *
 * k23 (cli/strace_opts.c) decides everything before the program starts and
 * writes it into the shared state memfd (struct k23_shared), which every
 * process of the tree maps: the options reach each image across fork and
 * execve without being encoded again. The runtime only reads them.
 *
 * Which calls a tool reports is a bit per call number: a call the filter
 * leaves out costs what it costs with no tool, since the patched fast path
 * (dispatch/fastpath.c) takes every call the tool does not want and no
 * injection names, and the dispatcher skips the tool for the trapped ones.
 */
#ifndef K23_TOPTS_H
#define K23_TOPTS_H

#include <stdint.h>

#define K23_TOPTS_CALLS 512		/* = K23_MAX_SYSCALLS */
#define K23_TOPTS_WORDS (K23_TOPTS_CALLS / 64)
#define K23_INJECT_RULES 32		/* distinct -e inject= specs */
#define K23_STR_MAX 1024		/* -s beyond this shows this many bytes */

/* flags */
#define K23_TO_SET	0x01	/* the options were given (else: defaults, every call) */
#define K23_TO_DURATION	0x02	/* -T: " <seconds>" after the result */
#define K23_TO_FDPATH	0x04	/* -y: descriptors as 3</path> */
#define K23_TO_JSON	0x08	/* --json: one JSON object per line */
#define K23_TO_FF	0x10	/* -ff: no pid prefix, the supervisor splits by pid */
#define K23_TO_OTHER	0x20	/* report numbers k23 has no name for (strace always does) */
#define K23_TO_COUNT_TIME 0x40	/* -c with -S time: count measures time per call */

/* status: which outcomes are shown (-e status=); 0 = all */
#define K23_ST_SUCCESSFUL	0x1
#define K23_ST_FAILED		0x2
#define K23_ST_UNFINISHED	0x4	/* calls that do not return: exit, exit_group, execve */

/* One -e inject= spec: what the call returns instead of being made, and on
 * which of a thread's calls of the set (strace counts per thread: each
 * thread and each new process starts at 0; `when` is 1-based). */
#define K23_INJ_ERROR	0x1	/* ret = -value */
#define K23_INJ_RETVAL	0x2	/* ret = value */
#define K23_INJ_DELAY_ENTER 0x4
#define K23_INJ_DELAY_EXIT 0x8
#define K23_INJ_LAST_MAX 0xffffffffU	/* no LAST: up to any count */
struct k23_inject {
	uint32_t kind;		/* K23_INJ_* bits */
	uint32_t first, last, step; /* when=FIRST..LAST+STEP; default 1..~0 +1 */
	int64_t value;
	uint64_t delay_enter_us, delay_exit_us;
};

struct k23_topts {
	uint32_t flags;			/* K23_TO_* */
	uint32_t tstamp;		/* 0, 1 (-t), 2 (-tt), 3 (-ttt) */
	uint32_t strmax;		/* -s N (default 32) */
	uint32_t status;		/* K23_ST_* shown; 0 = all */
	int64_t tz_offset;		/* seconds east of UTC, for -t and -tt */
	uint64_t trace[K23_TOPTS_WORDS];	/* bit nr: the tool reports call nr */
	uint64_t inject_any[K23_TOPTS_WORDS];	/* bit nr: inject_rule[nr] is set */
	uint8_t inject_rule[K23_TOPTS_CALLS];	/* 1 + index in inject[], 0: none */
	uint32_t ninject;
	struct k23_inject inject[K23_INJECT_RULES];
};

static inline int k23_topts_bit(const uint64_t *set, unsigned long nr)
{
	return nr < K23_TOPTS_CALLS && (set[nr / 64] >> (nr % 64) & 1);
}

#endif
