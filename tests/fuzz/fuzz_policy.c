/* fuzz_policy.c - libFuzzer target for the policy reader: YAML/JSON in both forms, as `k23 policy check` reads it.
 *
 * The input is written to a memfd and read through /proc/self/fd/N, the way
 * a policy file is read; whatever the reader accepts is freed again, so
 * AddressSanitizer sees every allocation of a parse, good or bad.
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include "policy/policy.h"

static int memfd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct policy p;

	if (memfd < 0) {
		memfd = memfd_create("policy", 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
		/* Error messages are the expected outcome of most inputs;
		 * stderr stays libFuzzer's and AddressSanitizer's. */
		k23_pol_errors = fopen("/dev/null", "w");
	}
	if (ftruncate(memfd, 0) != 0 || pwrite(memfd, d, n, 0) != (ssize_t)n)
		return 0;
	k23_policy_read(path, &p);
	k23_policy_free(&p);
	return 0;
}
