/* fuzz_ninep.c - libFuzzer target for what a 9P server sends k23's proxy.
 *
 * The input is one reply as it would arrive on the connection. It goes
 * through the decoder and, when it decodes, through the proxy's conversions
 * of server data into what the program sees (Rreaddir entries into
 * linux_dirent64 records, Rgetattr into struct statx), with output buffers
 * of every size from 0 up so that each bound is hit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ninep/ninep.h"
#include "remote/convert.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct p9_reply r;
	uint8_t *copy = malloc(n ? n : 1);

	/* The decoder sees exactly n bytes (ASan catches a read past them). */
	memcpy(copy, d, n);
	if (n <= 0xffffffffu && p9_decode(copy, (uint32_t)n, &r) == 0) {
		if (r.type == P9_RREADDIR) {
			uint32_t sizes[] = { 0, 19, 24, 64, 300, 4096 };
			for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
				uint8_t *out = malloc(sizes[i] ? sizes[i] : 1);
				uint64_t last = 0;
				k23_rconv_dirents(r.u.data.data, r.u.data.count, out, sizes[i], &last);
				free(out);
			}
		} else if (r.type == P9_RGETATTR) {
			uint8_t stx[256];
			k23_rconv_statx(&r.u.attr, stx, 7, 9);
		}
	}
	free(copy);
	return 0;
}
