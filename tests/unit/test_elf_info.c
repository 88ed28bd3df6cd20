/* test_elf_info.c - unit tests of ELF reading for the offline pass: build-id, .eh_frame ranges, anchors, dynamic section, ld.so.cache, closure.
 *
 * A synthetic object built here byte by byte checks exact answers and is then
 * damaged every way (each byte flipped, every length cut) to check that no
 * input crashes the readers. Real objects of this machine are checked
 * against binutils (readelf) and glibc (ldd).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "elf_dyn.h"
#include "elf_info.h"

/* --- a synthetic object -------------------------------------------------------
 *
 *   0x000 ELF header, 4 program headers (LOAD r-x 0..SIZE, NOTE, GNU_EH_FRAME, DYNAMIC)
 *   0x120 notes: an ABI tag, then the build-id 01..08
 *   0x180 .eh_frame_hdr (eh_frame_ptr pcrel sdata4)
 *   0x200 .eh_frame: CIE "zR" (FDEs pcrel sdata4), FDEs for 0x400+0x20,
 *         0x440+0x10, one for discarded code (pc_begin 0), terminator
 *   0x400 code
 *   0x500 dynamic: DT_NEEDED libfoo.so, DT_RUNPATH $ORIGIN/lib, DT_INIT 0x440,
 *         DT_RELA (one R_X86_64_RELATIVE to 0x460), DT_STRTAB
 *   0x600 .rela.dyn   0x700 .dynstr
 */
#define SYN_SIZE 0x900

static uint8_t syn[SYN_SIZE];

static void put(size_t off, const void *p, size_t n)
{
	memcpy(syn + off, p, n);
}

static void put32(size_t off, uint32_t v)
{
	put(off, &v, 4);
}

static size_t fde(size_t at, size_t cie, uint64_t func, uint32_t len)
{
	put32(at, 16);
	put32(at + 4, (uint32_t)(at + 4 - cie));
	put32(at + 8, func ? (uint32_t)(func - (at + 8)) : (uint32_t)0 - (uint32_t)(at + 8));
	put32(at + 12, len);
	syn[at + 16] = 0;	/* augmentation data length */
	return at + 20;
}

static void build_synthetic(void)
{
	Elf64_Ehdr eh = { 0 };
	Elf64_Phdr ph[4] = { { 0 } };
	Elf64_Dyn dyn[] = {
		{ DT_NEEDED, { 1 } }, { DT_RUNPATH, { 11 } }, { DT_INIT, { 0x440 } },
		{ DT_RELA, { 0x600 } }, { DT_RELASZ, { 24 } }, { DT_RELAENT, { 24 } },
		{ DT_STRTAB, { 0x700 } }, { DT_STRSZ, { 23 } }, { DT_NULL, { 0 } },
	};
	Elf64_Rela rela = { 0x800, ELF64_R_INFO(0, R_X86_64_RELATIVE), 0x460 };
	static const uint8_t cie[] = { 16, 0, 0, 0, 0, 0, 0, 0, 1, 'z', 'R', 0, 1, 0x78, 16, 1, 0x1b, 0, 0, 0 };
	size_t at;

	memset(syn, 0, sizeof(syn));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_DYN;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_entry = 0x400;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 4;
	put(0, &eh, sizeof(eh));
	ph[0] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_X, 0, 0, 0, SYN_SIZE, SYN_SIZE, 0x1000 };
	ph[1] = (Elf64_Phdr){ PT_NOTE, PF_R, 0x120, 0x120, 0x120, 56, 56, 4 };
	ph[2] = (Elf64_Phdr){ PT_GNU_EH_FRAME, PF_R, 0x180, 0x180, 0x180, 8, 8, 4 };
	ph[3] = (Elf64_Phdr){ PT_DYNAMIC, PF_R, 0x500, 0x500, 0x500, sizeof(dyn), sizeof(dyn), 8 };
	put(sizeof(eh), ph, sizeof(ph));
	/* An ABI-tag note first, so the reader has to step over one. */
	put32(0x120, 4);
	put32(0x124, 16);
	put32(0x128, NT_GNU_ABI_TAG);
	put(0x12c, "GNU", 4);
	put32(0x140, 4);
	put32(0x144, 8);
	put32(0x148, NT_GNU_BUILD_ID);
	put(0x14c, "GNU", 4);
	for (int i = 0; i < 8; i++)
		syn[0x150 + i] = (uint8_t)(i + 1);
	syn[0x180] = 1;
	syn[0x181] = 0x1b;
	syn[0x182] = 0xff;
	syn[0x183] = 0xff;
	put32(0x184, 0x200 - 0x184);
	put(0x200, cie, sizeof(cie));
	at = fde(0x200 + sizeof(cie), 0x200, 0x400, 0x20);
	at = fde(at, 0x200, 0x440, 0x10);
	at = fde(at, 0x200, 0, 0x10);	/* discarded by the linker */
	put32(at, 0);			/* terminator */
	memset(syn + 0x400, 0x90, 0x60);
	put(0x500, dyn, sizeof(dyn));
	put(0x600, &rela, sizeof(rela));
	put(0x700, "\0libfoo.so\0$ORIGIN/lib", 23);
}

/* Loads bytes through a memfd, as a file would be. */
static enum k23_elf_err load_bytes(const uint8_t *p, size_t n, struct k23_elf_obj *o)
{
	int fd = memfd_create("k23-test", MFD_CLOEXEC);
	enum k23_elf_err err;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	err = k23_elf_load_fd(fd, o);
	close(fd);
	return err;
}

static void test_synthetic(void **state)
{
	struct k23_elf_obj o;
	struct k23_elf_range *r;
	uint64_t *pads, *anchors;
	size_t nr, np, na;
	uint8_t id[64];
	const char *why = "";

	(void)state;
	build_synthetic();
	assert_int_equal(load_bytes(syn, SYN_SIZE, &o), K23_ELF_OK);
	assert_int_equal(k23_elf_build_id(&o, id, sizeof(id)), 8);
	assert_memory_equal(id, "\1\2\3\4\5\6\7\10", 8);
	assert_int_equal(k23_elf_build_id(&o, id, 4), 0);	/* longer than allowed: none */
	assert_int_equal(k23_elf_func_ranges(&o, &r, &nr, &pads, &np, &why), 0);
	assert_int_equal(nr, 2);
	assert_true(r[0].start == 0x400 && r[0].end == 0x420);
	assert_true(r[1].start == 0x440 && r[1].end == 0x450);
	assert_int_equal(np, 0);
	assert_int_equal(k23_elf_code_anchors(&o, &anchors, &na, &why), 0);
	assert_int_equal(na, 3);
	assert_true(anchors[0] == 0x400 && anchors[1] == 0x440 && anchors[2] == 0x460);
	free(r);
	free(anchors);
	k23_elf_unload(&o);
}

static void test_synthetic_dynamic(void **state)
{
	struct k23_elf e;
	struct k23_dyn d;
	const char *why = "";
	int fd = memfd_create("k23-test", MFD_CLOEXEC);

	(void)state;
	build_synthetic();
	assert_int_equal(write(fd, syn, SYN_SIZE), SYN_SIZE);
	assert_int_equal(k23_elf_read(fd, &e), K23_ELF_OK);
	assert_int_equal(k23_dyn_read(fd, &e, &d, &why), 0);
	assert_int_equal(d.nneeded, 1);
	assert_string_equal(d.needed[0], "libfoo.so");
	assert_string_equal(d.runpath, "$ORIGIN/lib");
	assert_null(d.rpath);
	k23_dyn_free(&d);
	/* DT_NEEDED naming a string past the table. */
	put32(0x508, 500);
	assert_int_equal(pwrite(fd, syn, SYN_SIZE, 0), SYN_SIZE);
	assert_int_equal(k23_dyn_read(fd, &e, &d, &why), -1);
	close(fd);
}

/* Runs every reader; only a crash can fail here. */
static void read_everything(const uint8_t *p, size_t n)
{
	struct k23_elf_obj o;
	struct k23_elf_range *r;
	uint64_t *pads, *anchors;
	size_t nr, np, na;
	uint8_t id[64];
	Elf64_Shdr sh;
	const char *why;

	if (load_bytes(p, n, &o) != K23_ELF_OK)
		return;
	k23_elf_build_id(&o, id, sizeof(id));
	if (k23_elf_func_ranges(&o, &r, &nr, &pads, &np, &why) == 0) {
		for (size_t i = 0; i < nr; i++)
			assert_true(r[i].start < r[i].end);
		free(r);
		free(pads);
	}
	k23_elf_code_anchors(&o, &anchors, &na, &why);
	free(anchors);
	k23_elf_section(&o, ".text", &sh, &why);
	k23_elf_unload(&o);
}

static void test_synthetic_damaged(void **state)
{
	uint8_t copy[SYN_SIZE];

	(void)state;
	build_synthetic();
	for (size_t i = 0; i < SYN_SIZE; i++) {
		static const uint8_t flips[] = { 0xff, 0x80, 0x01 };

		for (size_t k = 0; k < sizeof(flips); k++) {
			memcpy(copy, syn, SYN_SIZE);
			copy[i] ^= flips[k];
			read_everything(copy, SYN_SIZE);
		}
	}
	for (size_t n = 0; n < SYN_SIZE; n++)
		read_everything(syn, n);
}

/* Random damage to a real program, headers left intact so the deeper
 * readers are reached. */
static void test_real_damaged(void **state)
{
	struct k23_elf_obj o;
	uint8_t *copy;
	unsigned seed = 23;

	(void)state;
	assert_int_equal(k23_elf_load("/bin/true", &o), K23_ELF_OK);
	copy = malloc(o.size);
	for (int round = 0; round < 300; round++) {
		memcpy(copy, o.data, o.size);
		for (int k = 0; k < 64; k++) {
			size_t at = 64 + (size_t)rand_r(&seed) % (o.size - 64);

			copy[at] = (uint8_t)rand_r(&seed);
		}
		read_everything(copy, o.size);
	}
	free(copy);
	k23_elf_unload(&o);
}

/* --- real objects against binutils -------------------------------------------- */

static const char *const real_files[] = {
	"/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2", "/bin/bash",
	"/usr/bin/python3",
};

static int run(const char *cmd, char *out, size_t size)
{
	FILE *f = popen(cmd, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(out, 1, size - 1, f);
	out[n] = 0;
	return pclose(f) == 0 ? 0 : -1;
}

static void test_real_build_ids(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(real_files) / sizeof(*real_files); i++) {
		struct k23_elf_obj o;
		char cmd[512], want[128], got[160] = "";
		uint8_t id[64];
		int n;

		snprintf(cmd, sizeof(cmd), "readelf -n %s | sed -n 's/.*Build ID: *//p'", real_files[i]);
		if (run(cmd, want, sizeof(want)) != 0 || !*want) {
			print_message("readelf unavailable: %s not compared\n", real_files[i]);
			continue;
		}
		want[strcspn(want, "\n")] = 0;
		assert_int_equal(k23_elf_load(real_files[i], &o), K23_ELF_OK);
		n = k23_elf_build_id(&o, id, sizeof(id));
		for (int k = 0; k < n; k++)
			snprintf(got + 2 * k, 3, "%02x", id[k]);
		assert_string_equal(got, want);
		k23_elf_unload(&o);
	}
}

static void test_real_fde_counts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(real_files) / sizeof(*real_files); i++) {
		struct k23_elf_obj o;
		struct k23_elf_range *r;
		uint64_t *pads;
		size_t nr, np;
		char cmd[512], out[64];
		const char *why = "";
		long fdes;

		snprintf(cmd, sizeof(cmd), "readelf --debug-dump=frames %s 2>/dev/null | grep -c ' FDE '",
			 real_files[i]);
		if (run(cmd, out, sizeof(out)) != 0) {
			print_message("readelf unavailable: %s not compared\n", real_files[i]);
			continue;
		}
		fdes = strtol(out, NULL, 10);
		assert_int_equal(k23_elf_load(real_files[i], &o), K23_ELF_OK);
		assert_int_equal(k23_elf_func_ranges(&o, &r, &nr, &pads, &np, &why), 0);
		print_message("%s: %zu function ranges, readelf %ld FDEs, %zu landing pads\n",
			      real_files[i], nr, fdes, np);
		/* Discarded and duplicate FDEs are dropped: a few at most. */
		assert_true(fdes > 50);
		assert_true((long)nr <= fdes && (long)nr >= fdes - fdes / 50);
		for (size_t k = 1; k < nr; k++)
			assert_true(r[k - 1].start <= r[k].start);
		free(r);
		free(pads);
		k23_elf_unload(&o);
	}
}

/* C++ code has LSDAs: their landing pads lie inside their functions. */
static void test_landing_pads(void **state)
{
	const char *lib = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
	struct k23_elf_obj o;
	struct k23_elf_range *r;
	uint64_t *pads;
	size_t nr, np, k = 0;
	const char *why = "";

	(void)state;
	if (access(lib, R_OK) != 0) {
		print_message("%s missing: landing pads not checked\n", lib);
		return;
	}
	assert_int_equal(k23_elf_load(lib, &o), K23_ELF_OK);
	assert_int_equal(k23_elf_func_ranges(&o, &r, &nr, &pads, &np, &why), 0);
	assert_true(np > 100);
	for (size_t i = 0; i < np; i++) {
		while (k < nr && r[k].end <= pads[i])
			k++;
		/* Ranges may nest in odd files; here each pad has a holder. */
		assert_true(k < nr && r[k].start <= pads[i]);
	}
	free(r);
	free(pads);
	k23_elf_unload(&o);
}

/* --- ld.so.cache and the closure ------------------------------------------- */

static void test_ldcache_real(void **state)
{
	struct k23_ldcache c;
	const char *p;
	char a[PATH_MAX], b[PATH_MAX];

	(void)state;
	assert_int_equal(k23_ldcache_load("/etc/ld.so.cache", &c), 0);
	p = k23_ldcache_lookup(&c, "libc.so.6", 4);
	assert_non_null(p);
	assert_non_null(realpath(p, a));
	assert_non_null(realpath("/lib/x86_64-linux-gnu/libc.so.6", b));
	assert_string_equal(a, b);
	assert_null(k23_ldcache_lookup(&c, "libno-such-k23.so.1", 4));
	k23_ldcache_free(&c);
	assert_int_equal(k23_ldcache_load("/nonexistent/ld.so.cache", &c), -1);
}

/* A cache in the new format with a plain entry and two glibc-hwcaps ones. */
static void test_ldcache_hwcaps(void **state)
{
	uint8_t b[512] = { 0 };
	const char *strs = "libx.so.1\0/plain/libx.so.1\0/v2/libx.so.1\0/v3/libx.so.1\0x86-64-v2\0x86-64-v3";
	uint32_t soff = 0x100, ext = 0x1c0;
	char path[] = "/tmp/k23-test-ldcache.XXXXXX";
	struct k23_ldcache c;
	int fd;

	(void)state;
	memcpy(b, "glibc-ld.so.cache1.1", 20);
	memcpy(b + 20, &(uint32_t){ 3 }, 4);
	b[28] = 2;
	memcpy(b + 32, &ext, 4);
	memcpy(b + 0x100, strs, 75);
	/* entries: flags, key, value, osversion, hwcap */
	for (int i = 0; i < 3; i++) {
		uint8_t *e = b + 48 + 24 * i;
		uint32_t val = soff + (uint32_t[]){ 10, 27, 41 }[i];
		uint64_t hw = i == 0 ? 0 : (1ULL << 62) | (uint64_t)(i - 1);

		memcpy(e, &(int32_t){ 0x0303 }, 4);
		memcpy(e + 4, &soff, 4);
		memcpy(e + 8, &val, 4);
		memcpy(e + 16, &hw, 8);
	}
	/* extension: magic, count 1, section {tag 1, flags, offset, size} */
	memcpy(b + ext, &(uint32_t){ 0xEAA42174 }, 4);
	memcpy(b + ext + 4, &(uint32_t){ 1 }, 4);
	memcpy(b + ext + 8, &(uint32_t){ 1 }, 4);
	memcpy(b + ext + 16, &(uint32_t){ 0x1e0 }, 4);
	memcpy(b + ext + 20, &(uint32_t){ 8 }, 4);
	memcpy(b + 0x1e0, &(uint32_t){ soff + 55 }, 4);
	memcpy(b + 0x1e4, &(uint32_t){ soff + 65 }, 4);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, sizeof(b)), sizeof(b));
	close(fd);
	assert_int_equal(k23_ldcache_load(path, &c), 0);
	assert_string_equal(k23_ldcache_lookup(&c, "libx.so.1", 4), "/v3/libx.so.1");
	assert_string_equal(k23_ldcache_lookup(&c, "libx.so.1", 2), "/v2/libx.so.1");
	assert_string_equal(k23_ldcache_lookup(&c, "libx.so.1", 1), "/plain/libx.so.1");
	k23_ldcache_free(&c);
	/* A count past the end, and a cut header, make the cache unusable. */
	memcpy(b + 20, &(uint32_t){ 1000 }, 4);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, b, sizeof(b)), sizeof(b));
	close(fd);
	assert_int_equal(k23_ldcache_load(path, &c), -1);
	assert_int_equal(truncate(path, 30), 0);
	assert_int_equal(k23_ldcache_load(path, &c), -1);
	unlink(path);
}

/* The closure of python3 is what ldd lists (vDSO aside), each once. */
static void test_closure_like_ldd(void **state)
{
	const char *prog = "/usr/bin/python3";
	struct k23_ld_config cfg;
	struct k23_closure c;
	char out[8192], cmd[256], *line, *save = NULL;
	size_t seen = 0;

	(void)state;
	snprintf(cmd, sizeof(cmd), "ldd %s", prog);
	if (run(cmd, out, sizeof(out)) != 0) {
		print_message("ldd unavailable: closure not compared\n");
		return;
	}
	k23_ld_config_default(&cfg);
	assert_int_equal(k23_closure_resolve(prog, &cfg, &c), 0);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = strstr(line, "=> "), path[PATH_MAX], real[PATH_MAX], mine[PATH_MAX];
		int found = 0;

		if (strstr(line, "linux-vdso"))
			continue;
		p = p ? p + 3 : line + strspn(line, " \t");
		snprintf(path, sizeof(path), "%.*s", (int)strcspn(p, " ("), p);
		assert_non_null(realpath(path, real));
		for (size_t i = 0; i < c.n; i++)
			found += c.v[i].path && realpath(c.v[i].path, mine) && !strcmp(mine, real);
		if (found != 1)
			print_message("ldd lists %s: found %d times in the closure\n", real, found);
		assert_int_equal(found, 1);
		seen++;
	}
	assert_int_equal(seen + 1, c.n);	/* + the program itself */
	for (size_t i = 0; i < c.n; i++)
		assert_null(c.v[i].why);
	k23_closure_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_synthetic_dynamic),
		cmocka_unit_test(test_synthetic_damaged),
		cmocka_unit_test(test_real_damaged),
		cmocka_unit_test(test_real_build_ids),
		cmocka_unit_test(test_real_fde_counts),
		cmocka_unit_test(test_landing_pads),
		cmocka_unit_test(test_ldcache_real),
		cmocka_unit_test(test_ldcache_hwcaps),
		cmocka_unit_test(test_closure_like_ldd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
