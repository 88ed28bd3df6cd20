/* bpf_sim.c - what the compiled filter answers one call: how `check` and `explain` learn it.
 *
 * Asking the filter itself, rather than the rules it came from, means that
 * what k23 reports is what the kernel will do - libseccomp's ordering of
 * rules and its architecture checks included. The interpreter is the
 * runtime's (online/policy/pol_bpf.c, linked into k23-prepare with the rest
 * of the runtime), so complain mode and `check` cannot disagree.
 */
#include "online/policy/pol_bpf.h"
#include "policy/policy.h"

uint32_t k23_bpf_run(const void *bpf, unsigned len, uint32_t arch, int nr, uint64_t ip,
		     const uint64_t args[6])
{
	return k23_pol_bpf_run(bpf, len, arch, nr, ip, args, NULL);
}

uint32_t k23_bpf_run_steps(const void *bpf, unsigned len, uint32_t arch, int nr, uint64_t ip,
			   const uint64_t args[6], unsigned *steps)
{
	return k23_pol_bpf_run(bpf, len, arch, nr, ip, args, steps);
}
