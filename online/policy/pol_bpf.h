/* pol_bpf.h - a seccomp BPF program run on one call, as the kernel runs it (pol_bpf.c). */
#ifndef K23_POL_BPF_H
#define K23_POL_BPF_H

#include <stdint.h>

/* The filter's return value for the call; SECCOMP_RET_KILL_PROCESS for a
 * program the kernel would have refused to load. steps, if not NULL, is
 * increased by the number of instructions run. */
uint32_t k23_pol_bpf_run(const void *bpf, unsigned len, uint32_t arch, int nr, uint64_t ip,
			 const uint64_t args[6], unsigned *steps);

#endif
