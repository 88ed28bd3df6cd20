/* fuzz_readers.c - libFuzzer target for the readers of untrusted files: ELF (headers, notes, .eh_frame, dynamic section), ld.so.cache, sidecars.
 *
 * The first input byte picks the reader, the rest is the file: sidecars are
 * decoded from memory (and, when valid, merged and re-encoded); everything
 * else is written to a memfd and read the way k23 prepare reads files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "elf_dyn.h"
#include "elf_info.h"
#include "sidecar.h"

static int memfd = -1;

static void sidecar(const uint8_t *d, size_t n)
{
	void *copy = malloc(n ? n : 1), *enc;
	struct k23_observed seen = { 0x1000, 1 };
	struct k23_sidecar sc;
	const char *why;
	size_t unknown, len;

	memcpy(copy, d, n);
	/* decode takes ownership of copy, whatever the outcome */
	if (k23_sidecar_decode(copy, n, &sc, &why) == K23_SC_OK) {
		k23_sidecar_merge_observed(&sc, &seen, 1, &unknown);
		if (k23_sidecar_encode(&sc, &enc, &len, &why) == K23_SC_OK)
			free(enc);
	}
	k23_sidecar_free(&sc);
}

static void ldcache(void)
{
	struct k23_ldcache c;
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	if (!k23_ldcache_load(path, &c)) {
		k23_ldcache_lookup(&c, "libc.so.6", 4);
		k23_ldcache_free(&c);
	}
}

static void elf(void)
{
	struct k23_elf_range *ranges;
	struct k23_elf_obj o;
	struct k23_dyn dyn;
	uint64_t *points, *anchors;
	size_t nr, np, na;
	uint8_t id[64];
	const char *why;

	if (k23_elf_load_fd(memfd, &o) != K23_ELF_OK)
		return;
	k23_elf_build_id(&o, id, sizeof(id));
	if (!k23_elf_func_ranges(&o, &ranges, &nr, &points, &np, &why)) {
		free(ranges);
		free(points);
	}
	k23_elf_code_anchors(&o, &anchors, &na, &why); /* partial results on error too */
	free(anchors);
	if (!k23_dyn_read(memfd, &o.e, &dyn, &why))
		k23_dyn_free(&dyn);
	k23_elf_unload(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	uint8_t pick;

	if (n < 1)
		return 0;
	pick = d[0], d++, n--;
	if (pick & 1) {
		sidecar(d, n);
		return 0;
	}
	if (memfd < 0)
		memfd = memfd_create("k23-fuzz", 0);
	if (ftruncate(memfd, 0) || pwrite(memfd, d, n, 0) != (ssize_t)n)
		return 0;
	if (pick & 2)
		ldcache();
	else
		elf();
	return 0;
}
