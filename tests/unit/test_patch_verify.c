/* test_patch_verify.c - the patcher writes only where memory holds the sidecar's bytes (online/patch/patch.c).
 *
 * libc is prepared into a temporary cache by the real `build/k23 prepare`;
 * then one planned site's recorded bytes are changed and the sidecar is
 * written again with a correct checksum, so it still passes every check
 * but no longer matches memory at that site. libc's executable segment is
 * mapped here as ld.so would and patched: that site must be left exactly
 * as in the file and counted as "bytes differ", every other planned site
 * must start with the jump, and the pages must be executable again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "sidecar.h"
#include "online/core/rt.h"
#include "online/patch/patch.h"

#define LIBC "/lib/x86_64-linux-gnu/libc.so.6"

static char dir[64];

/* Changes one byte of the first planned window outside its syscall. */
static uint64_t spoil_one_site(const char *path)
{
	struct k23_sidecar sc;
	const char *why;
	char *slash = strrchr(path, '/');

	assert_int_equal(k23_sidecar_load(path, &sc, &why), K23_SC_OK);
	for (size_t i = 0; i < sc.nsites; i++) {
		struct k23_sidecar_site *s = &sc.sites[i].rec;
		unsigned sys = (unsigned)(s->vaddr - s->patch_vaddr);

		if (s->strategy != K23_SC_PLAN_JMP_STUB)
			continue;
		uint64_t at = s->patch_vaddr;

		s->orig[sys == 0 ? s->patch_len - 1 : 0] ^= 0x01;
		*slash = 0;
		assert_int_equal(k23_sidecar_store(path, slash + 1, &sc, &why), K23_SC_OK);
		*slash = '/';
		k23_sidecar_free(&sc);
		return at;
	}
	fail_msg("no planned site in %s", LIBC);
	return 0;
}

static void test_bytes_differ_left_alone(void **state)
{
	char cmd[256], path[512] = { 0 };
	struct k23_shared shared;
	Elf64_Ehdr eh;
	Elf64_Phdr ph[32], *x = NULL;
	FILE *ls;
	int fd;

	(void)state;
	if (access("build/k23", X_OK) != 0)
		skip();
	snprintf(dir, sizeof(dir), "/tmp/k23-test-patch-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "build/k23 prepare --quiet --cache %s " LIBC " > /dev/null", dir);
	assert_int_equal(system(cmd), 0);
	/* libc's own sidecar: the biggest file in the cache. */
	snprintf(cmd, sizeof(cmd), "ls -S %s/*.k23 | head -n 1", dir);
	ls = popen(cmd, "r");
	assert_non_null(fgets(path, sizeof(path), ls));
	pclose(ls);
	path[strcspn(path, "\n")] = 0;
	uint64_t spoiled = spoil_one_site(path);

	fd = open(LIBC, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &eh, sizeof(eh), 0), sizeof(eh));
	assert_true(eh.e_phnum <= 32);
	assert_int_equal(pread(fd, ph, eh.e_phnum * sizeof(*ph), (off_t)eh.e_phoff),
			 (ssize_t)(eh.e_phnum * sizeof(*ph)));
	for (int i = 0; i < eh.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X))
			x = &ph[i];
	assert_non_null(x);

	unsigned long off = x->p_offset & ~4095UL, len = x->p_offset + x->p_filesz - off;
	uint8_t *m = mmap(NULL, len, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, (off_t)off);
	uint8_t *file = malloc(len);

	assert_true(m != MAP_FAILED);
	assert_int_equal(pread(fd, file, len, (off_t)off), (ssize_t)len);
	memset(&shared, 0, sizeof(shared));
	snprintf(k23_rt.cache_dir, sizeof(k23_rt.cache_dir), "%s", dir);
	k23_rt.patch = K23_PATCH_STUB;
	k23_rt.stats_area = &shared.stats;
	/* As k23's loader calls it: with the headers it read (elf_file.h). */
	struct stat st;
	uint8_t head[2048];
	ssize_t hn = pread(fd, head, sizeof(head), 0);

	assert_int_equal(fstat(fd, &st), 0);
	assert_true(hn >= (ssize_t)sizeof(eh));
	struct k23_loaded_object l = {
		.file = { (uint64_t)st.st_dev, (uint64_t)st.st_ino, (uint64_t)st.st_size,
			  (uint64_t)st.st_mtim.tv_sec, (uint64_t)st.st_mtim.tv_nsec,
			  (uint64_t)st.st_ctim.tv_sec, (uint64_t)st.st_ctim.tv_nsec },
		.head = head, .head_len = (unsigned long)hn, .ph = ph, .phnum = eh.e_phnum,
	};

	k23_patch_region(fd, &l, (unsigned long)m, len, off, PROT_READ | PROT_EXEC, 0);

	/* address of a link-time vaddr in this mapping */
	unsigned long at = (unsigned long)(spoiled - x->p_vaddr + x->p_offset - off);

	assert_int_equal(shared.stats.skipped[K23_SKIP_BYTES], 1);
	assert_true(shared.stats.sites_patched > 400); /* libc: ~515 planned */
	assert_memory_equal(m + at, file + at, 16);
	assert_int_not_equal(m[at], 0xe9);
	/* Patched elsewhere: some window now differs from the file. */
	assert_memory_not_equal(m, file, len);
	/* Executable again, not writable: reading works, a write would fault. */
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[512];
	int seen = 0;

	while (fgets(line, sizeof(line), maps)) {
		unsigned long lo, hi;
		char perm[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) == 3 &&
		    (unsigned long)m + at >= lo && (unsigned long)m + at < hi) {
			assert_string_equal(perm, "r-xp");
			seen = 1;
		}
	}
	fclose(maps);
	assert_true(seen);

	/* A file that is not the one the loader read (its identity differs):
	 * the loader's bytes, zeros here, are not used; everything is read
	 * again and the result is the same. */
	static const uint8_t zeros[2048];
	struct k23_loaded_object stale = l;
	uint8_t *m2 = mmap(NULL, len, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, (off_t)off);

	assert_true(m2 != MAP_FAILED);
	stale.file.ctime_ns ^= 1;
	stale.head = zeros;
	memset(&shared, 0, sizeof(shared));
	k23_patch_region(fd, &stale, (unsigned long)m2, len, off, PROT_READ | PROT_EXEC, 0);
	assert_int_equal(shared.stats.skipped[K23_SKIP_BYTES], 1);
	assert_true(shared.stats.sites_patched > 400);
	assert_memory_equal(m2 + at, file + at, 16);
	assert_memory_not_equal(m2, file, len);
	munmap(m2, len);
	k23_rt.stats_area = NULL;
	free(file);
	close(fd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes_differ_left_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
