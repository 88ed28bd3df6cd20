/* test_sidecar.c - unit tests of the sidecar format (common/sidecar.c, sidecar_io.c): round trips, corruption, staleness, --record merging.
 *
 * Corruption is tested two ways: a damaged byte alone (the self hash must
 * catch it), and a damaged field with the self hash recomputed afterwards, so
 * that each field's own check is what must reject it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "sidecar.h"

#define HOFF(f) offsetof(struct k23_sidecar_header, f)
#define SOFF(f) offsetof(struct k23_sidecar_site, f)

/* XXH64 (seed 0) of these inputs, as libxxhash 0.8.1 computes them. */
static void test_hash_vectors(void **state)
{
	uint8_t big[1027];

	(void)state;
	for (size_t i = 0; i < 1024; i++)
		big[i] = (uint8_t)i;
	memcpy(big + 1024, "xyz", 3);
	assert_true(k23_hash64("", 0) == 0xef46db3751d8e999ULL);
	assert_true(k23_hash64("a", 1) == 0xd24ec4f1a98c6e5bULL);
	assert_true(k23_hash64("abc", 3) == 0x44bc2cf5ad770999ULL);
	assert_true(k23_hash64(big, sizeof(big)) == 0xe146cb31b65bc21aULL);
}

/* A site with a plan: mov $0x27,%eax ; syscall (5 + 2 bytes). */
static struct k23_sidecar_site planned_site(uint64_t vaddr)
{
	static const uint8_t bytes[] = { 0xb8, 0x27, 0, 0, 0, 0x0f, 0x05 };
	struct k23_sidecar_site s;

	memset(&s, 0, sizeof(s));
	s.vaddr = vaddr;
	s.patch_vaddr = vaddr - 5;
	s.kind = K23_SC_KIND_SYSCALL;
	s.verify = K23_SC_VERIFIED;
	s.in_function = 1;
	s.strategy = K23_SC_PLAN_JMP_STUB;
	s.patch_len = 7;
	s.ninsns = 2;
	s.site_index = 1;
	memcpy(s.orig, bytes, sizeof(bytes));
	s.insn_len[0] = 5;
	s.insn_len[1] = 2;
	s.flags = K23_SC_F_STATIC;
	return s;
}

static struct k23_sidecar_site bare_site(uint64_t vaddr, uint8_t verify)
{
	struct k23_sidecar_site s;

	memset(&s, 0, sizeof(s));
	s.vaddr = vaddr;
	s.kind = K23_SC_KIND_SYSCALL;
	s.verify = verify;
	s.flags = K23_SC_F_STATIC;
	return s;
}

static void make_sidecar(struct k23_sidecar *sc)
{
	struct k23_sidecar_site s;

	k23_sidecar_init(sc);
	sc->obj.size = 123456;
	sc->obj.hash = 0x1122334455667788ULL;
	sc->obj.build_id_len = 20;
	for (int i = 0; i < 20; i++)
		sc->obj.build_id[i] = (uint8_t)(0xa0 + i);
	sc->producer_hash = 42;
	sc->nfuncs = 7;
	sc->nanchors = 9;
	sc->skipped_in_data = 2;
	sc->skipped_unreached = 1;
	assert_int_equal(k23_sidecar_set_path(sc, "/lib/libtest.so"), 0);
	s = planned_site(0x1005);
	assert_int_equal(k23_sidecar_add(sc, &s, "safe: jmp over mov and syscall"), 0);
	s = bare_site(0x2000, K23_SC_DISAGREE);
	assert_int_equal(k23_sidecar_add(sc, &s, "decoders disagree"), 0);
	s = bare_site(0x3000, K23_SC_VERIFIED);
	s.kind = K23_SC_KIND_SYSENTER;
	assert_int_equal(k23_sidecar_add(sc, &s, "decoders disagree"), 0);
}

static uint8_t *encode(const struct k23_sidecar *sc, size_t *len)
{
	void *buf;
	const char *why = "";

	assert_int_equal(k23_sidecar_encode(sc, &buf, len, &why), K23_SC_OK);
	return buf;
}

/* Decodes a private copy; returns the status, *why the reason. */
static enum k23_sc_status decode_copy(const uint8_t *buf, size_t len, const char **why)
{
	struct k23_sidecar sc;
	void *copy = malloc(len ? len : 1);
	enum k23_sc_status st;

	memcpy(copy, buf, len);
	st = k23_sidecar_decode(copy, len, &sc, why);
	k23_sidecar_free(&sc);
	return st;
}

static void rehash(uint8_t *buf, size_t len)
{
	uint64_t h = 0;

	memcpy(buf + HOFF(self_hash), &h, 8);
	h = k23_hash64(buf, len);
	memcpy(buf + HOFF(self_hash), &h, 8);
}

static void test_round_trip(void **state)
{
	struct k23_sidecar sc, back;
	size_t len;
	uint8_t *buf;
	const char *why = "";

	(void)state;
	make_sidecar(&sc);
	buf = encode(&sc, &len);
	assert_int_equal(len, sizeof(struct k23_sidecar_header) + 3 * sizeof(struct k23_sidecar_site) +
			 1 + strlen("/lib/libtest.so") + 1 + strlen("safe: jmp over mov and syscall") + 1 +
			 strlen("decoders disagree") + 1);
	assert_int_equal(k23_sidecar_decode(buf, len, &back, &why), K23_SC_OK);
	assert_true(k23_sidecar_matches(&back, &sc.obj));
	assert_true(back.producer_hash == 42);
	assert_int_equal(back.nfuncs, 7);
	assert_int_equal(back.nanchors, 9);
	assert_int_equal(back.skipped_in_data, 2);
	assert_int_equal(back.skipped_unreached, 1);
	assert_string_equal(back.object_path, "/lib/libtest.so");
	assert_int_equal(back.nsites, 3);
	for (size_t i = 0; i < 3; i++) {
		struct k23_sidecar_site a = sc.sites[i].rec, b = back.sites[i].rec;

		a.reason = b.reason = 0;	/* an offset on disk only */
		assert_memory_equal(&a, &b, sizeof(a));
		assert_string_equal(back.sites[i].reason, sc.sites[i].reason);
	}
	k23_sidecar_free(&back);
	k23_sidecar_free(&sc);
}

static void test_empty_sidecar(void **state)
{
	struct k23_sidecar sc, back;
	size_t len;
	uint8_t *buf;
	const char *why;

	(void)state;
	k23_sidecar_init(&sc);
	sc.obj.size = 64;
	buf = encode(&sc, &len);
	assert_int_equal(k23_sidecar_decode(buf, len, &back, &why), K23_SC_OK);
	assert_int_equal(back.nsites, 0);
	assert_string_equal(back.object_path, "");
	k23_sidecar_free(&back);
}

/* Every byte flipped alone, and every truncation, is rejected. */
static void test_flips_and_truncation(void **state)
{
	struct k23_sidecar sc;
	size_t len;
	uint8_t *buf;
	const char *why;

	(void)state;
	make_sidecar(&sc);
	buf = encode(&sc, &len);
	for (size_t i = 0; i < len; i++) {
		buf[i] ^= 0x40;
		assert_int_equal(decode_copy(buf, len, &why), K23_SC_CORRUPT);
		buf[i] ^= 0x40;
	}
	for (size_t l = 0; l < len; l++)
		assert_int_equal(decode_copy(buf, l, &why), K23_SC_CORRUPT);
	assert_int_equal(decode_copy(buf, len, &why), K23_SC_OK);
	free(buf);
	k23_sidecar_free(&sc);
}

struct field_case {
	size_t off, size;
	uint64_t value;
	const char *why;	/* expected substring */
};

/* Each header field set to a bad value, self hash recomputed. */
static void test_header_fields(void **state)
{
	const size_t sites_end = sizeof(struct k23_sidecar_header) + 3 * sizeof(struct k23_sidecar_site);
	const struct field_case cases[] = {
		{ HOFF(magic), 8, 0x4f4f4f4f4f4f4f4fULL, "bad magic" },
		{ HOFF(version), 4, 2, "version" },
		{ HOFF(version), 4, 0, "version" },
		{ HOFF(header_size), 4, 168, "header or record size" },
		{ HOFF(file_size), 8, 12, "file size" },
		{ HOFF(object_size), 8, 10, "object size" },
		{ HOFF(flags), 4, 0x80, "header flags" },
		{ HOFF(object_path), 4, 100000, "object path" },
		{ HOFF(sites_off), 8, 8, "site table" },
		{ HOFF(sites_off), 8, 1ULL << 40, "site table" },
		{ HOFF(nsites), 4, 5, "site table" },
		{ HOFF(nsites), 4, 0xffffffff, "site table" },
		{ HOFF(nsites), 4, 2, "string table" },
		{ HOFF(site_size), 4, 56, "header or record size" },
		{ HOFF(strings_off), 8, sites_end + 1, "string table" },
		{ HOFF(strings_off), 8, ~0ULL, "string table" },
		{ HOFF(strings_size), 4, 0, "string table" },
		{ HOFF(strings_size), 4, 0xffffffff, "string table" },
		{ HOFF(build_id_len), 4, 65, "build-id" },
		{ HOFF(build_id_len), 4, 19, "build-id" },	/* leaves a non-zero byte after it */
	};
	struct k23_sidecar sc;
	size_t len;
	uint8_t *buf;

	(void)state;
	make_sidecar(&sc);
	buf = encode(&sc, &len);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		uint8_t *b = malloc(len);
		const char *why = "";

		memcpy(b, buf, len);
		memcpy(b + cases[i].off, &cases[i].value, cases[i].size);
		rehash(b, len);
		assert_int_equal(decode_copy(b, len, &why), K23_SC_CORRUPT);
		if (!strstr(why, cases[i].why))
			print_message("case %zu: got \"%s\", want \"%s\"\n", i, why, cases[i].why);
		assert_non_null(strstr(why, cases[i].why));
		free(b);
	}
	/* The string table must end in NUL, and may not be followed by junk. */
	buf[len - 1] = 'x';
	rehash(buf, len);
	{
		const char *why = "";

		assert_int_equal(decode_copy(buf, len, &why), K23_SC_CORRUPT);
		assert_non_null(strstr(why, "NUL"));
	}
	free(buf);
	k23_sidecar_free(&sc);
}

/* Each site field set to a bad value in the first (planned) record. */
static void test_site_fields(void **state)
{
	const size_t base = sizeof(struct k23_sidecar_header);
	const struct field_case cases[] = {
		{ SOFF(kind), 1, 3, "kind" },
		{ SOFF(kind), 1, K23_SC_KIND_SYSENTER, "not a syscall/sysenter" },
		{ SOFF(verify), 1, 3, "verification" },
		{ SOFF(verify), 1, K23_SC_DISAGREE, "not verified" },
		{ SOFF(in_function), 1, 2, "boolean" },
		{ SOFF(strategy), 1, 2, "strategy" },
		{ SOFF(patch_len), 1, 17, "length" },
		{ SOFF(patch_len), 1, 8, "add up" },
		{ SOFF(ninsns), 1, 9, "instruction count" },
		{ SOFF(ninsns), 1, 1, "instruction count" },	/* site_index 1 no longer inside */
		{ SOFF(site_index), 1, 0, "patch plan puts" },
		{ SOFF(site_index), 1, 2, "instruction count" },
		{ SOFF(rip_relative_mask), 1, 4, "add up" },
		{ SOFF(rip_relative_mask), 1, 1, "displacement" },
		{ SOFF(orig) + 6, 1, 0x34, "not a syscall/sysenter" },
		{ SOFF(orig) + 9, 1, 0x90, "stray bytes" },
		{ SOFF(insn_len), 1, 0, "instruction length" },
		{ SOFF(insn_len) + 5, 1, 3, "stray instruction" },
		{ SOFF(disp_offset), 1, 1, "displacement" },
		{ SOFF(patch_vaddr), 8, 0x1001, "patch plan puts" },
		{ SOFF(vaddr), 8, 1ULL << 48, "out of range" },
		{ SOFF(reason), 4, 1 << 20, "reason" },
		{ SOFF(flags), 1, 0x10, "flags" },
		{ SOFF(flags), 1, 0, "flags" },
		{ SOFF(flags), 1, K23_SC_F_OBSERVED, "origin" },
		{ SOFF(zero), 1, 1, "reserved" },
		/* A later record before an earlier one. */
		{ sizeof(struct k23_sidecar_site) + SOFF(vaddr), 8, 0x1005, "sorted" },
		/* Plan fields on a record without a plan. */
		{ sizeof(struct k23_sidecar_site) + SOFF(patch_len), 1, 2, "without a plan" },
		{ sizeof(struct k23_sidecar_site) + SOFF(orig), 1, 0x0f, "without a plan" },
	};
	struct k23_sidecar sc;
	size_t len;
	uint8_t *buf;

	(void)state;
	make_sidecar(&sc);
	buf = encode(&sc, &len);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		uint8_t *b = malloc(len);
		const char *why = "";

		memcpy(b, buf, len);
		memcpy(b + base + cases[i].off, &cases[i].value, cases[i].size);
		rehash(b, len);
		assert_int_equal(decode_copy(b, len, &why), K23_SC_CORRUPT);
		if (!strstr(why, cases[i].why))
			print_message("case %zu: got \"%s\", want \"%s\"\n", i, why, cases[i].why);
		assert_non_null(strstr(why, cases[i].why));
		free(b);
	}
	free(buf);
	k23_sidecar_free(&sc);
}

/* The writer refuses what the reader would refuse. */
static void test_encode_checks(void **state)
{
	struct k23_sidecar sc;
	struct k23_sidecar_site s = planned_site(0x500);
	void *buf;
	size_t len;
	const char *why = "";

	(void)state;
	make_sidecar(&sc);
	assert_int_equal(k23_sidecar_add(&sc, &s, "out of order"), 0);
	assert_int_equal(k23_sidecar_encode(&sc, &buf, &len, &why), K23_SC_CORRUPT);
	assert_non_null(strstr(why, "sorted"));
	assert_null(buf);
	k23_sidecar_free(&sc);
	s.orig[5] = 0x90;
	assert_non_null(k23_sidecar_check_site(&s));
	s = planned_site(0x500);
	assert_null(k23_sidecar_check_site(&s));
}

static void test_stale(void **state)
{
	struct k23_sidecar sc;
	struct k23_sidecar_ident id;

	(void)state;
	make_sidecar(&sc);
	id = sc.obj;
	assert_true(k23_sidecar_matches(&sc, &id));
	id.size++;
	assert_false(k23_sidecar_matches(&sc, &id));
	id = sc.obj;
	id.hash ^= 1;
	assert_false(k23_sidecar_matches(&sc, &id));
	id = sc.obj;
	id.build_id[3] ^= 1;
	assert_false(k23_sidecar_matches(&sc, &id));
	id = sc.obj;
	id.build_id_len = 0;
	assert_false(k23_sidecar_matches(&sc, &id));
	k23_sidecar_free(&sc);
}

static void test_names(void **state)
{
	struct k23_sidecar_ident id;
	char buf[160];

	(void)state;
	memset(&id, 0, sizeof(id));
	id.hash = 0xabc;
	assert_int_equal(k23_sidecar_name(&id, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "h0000000000000abc.k23");
	assert_int_equal(k23_sidecar_name(&id, buf, 21), -1);
	id.build_id_len = 3;
	id.build_id[0] = 0x01;
	id.build_id[1] = 0xab;
	id.build_id[2] = 0xff;
	assert_int_equal(k23_sidecar_name(&id, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "01abff.k23");
}

static void test_cache_dir(void **state)
{
	char buf[256];
	const char *why;

	(void)state;
	setenv("K23_CACHE", "/k23/env", 1);
	setenv("XDG_CACHE_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	assert_int_equal(k23_sidecar_cache_dir("/opt/dir", buf, sizeof(buf), &why), 0);
	assert_string_equal(buf, "/opt/dir");
	assert_int_equal(k23_sidecar_cache_dir(NULL, buf, sizeof(buf), &why), 0);
	assert_string_equal(buf, "/k23/env");
	unsetenv("K23_CACHE");
	assert_int_equal(k23_sidecar_cache_dir(NULL, buf, sizeof(buf), &why), 0);
	assert_string_equal(buf, "/xdg/k23");
	setenv("XDG_CACHE_HOME", "relative", 1);	/* invalid per the XDG spec */
	assert_int_equal(k23_sidecar_cache_dir(NULL, buf, sizeof(buf), &why), 0);
	assert_string_equal(buf, "/home/u/.cache/k23");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("HOME");
	assert_int_equal(k23_sidecar_cache_dir(NULL, buf, sizeof(buf), &why), -1);
	assert_int_equal(k23_sidecar_cache_dir("/x", buf, 2, &why), -1);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* Files: stored atomically (no temporary left), read back, missing and
 * damaged files told apart. */
static void test_store_and_load(void **state)
{
	char dir[] = "/tmp/k23-test-sidecar.XXXXXX", path[256], sub[300];
	struct k23_sidecar sc, back;
	const char *why = "";
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	make_sidecar(&sc);
	assert_int_equal(k23_sidecar_store(dir, "x.k23", &sc, &why), K23_SC_OK);
	assert_int_equal(count_entries(dir), 1);
	snprintf(path, sizeof(path), "%s/x.k23", dir);
	assert_int_equal(k23_sidecar_load(path, &back, &why), K23_SC_OK);
	assert_int_equal(back.nsites, 3);
	k23_sidecar_free(&back);
	/* Overwrite in place: still one file. */
	sc.producer_hash = 43;
	assert_int_equal(k23_sidecar_store(dir, "x.k23", &sc, &why), K23_SC_OK);
	assert_int_equal(count_entries(dir), 1);
	/* Truncated on disk. */
	assert_int_equal(truncate(path, 100), 0);
	assert_int_equal(k23_sidecar_load(path, &back, &why), K23_SC_CORRUPT);
	k23_sidecar_free(&back);
	/* Garbage, an empty file, a directory, nothing. */
	f = fopen(path, "w");
	fputs("not a sidecar at all, just text\n", f);
	fclose(f);
	assert_int_equal(k23_sidecar_load(path, &back, &why), K23_SC_CORRUPT);
	assert_non_null(strstr(why, "not a k23 sidecar"));
	k23_sidecar_free(&back);
	assert_int_equal(truncate(path, 0), 0);
	assert_int_equal(k23_sidecar_load(path, &back, &why), K23_SC_CORRUPT);
	k23_sidecar_free(&back);
	/* Not a regular file: corrupt, named so (sidecar_not_regular.sh). */
	assert_int_equal(k23_sidecar_load(dir, &back, &why), K23_SC_CORRUPT);
	assert_non_null(strstr(why, "not a regular file"));
	k23_sidecar_free(&back);
	snprintf(sub, sizeof(sub), "%s/none.k23", dir);
	assert_int_equal(k23_sidecar_load(sub, &back, &why), K23_SC_MISSING);
	/* A store that cannot happen leaves nothing behind. */
	snprintf(sub, sizeof(sub), "%s/no/such/dir", dir);
	assert_int_equal(k23_sidecar_store(sub, "x.k23", &sc, &why), K23_SC_IO);
	assert_int_equal(count_entries(dir), 1);
	/* mkdir -p */
	snprintf(sub, sizeof(sub), "%s/a/b/c", dir);
	assert_int_equal(k23_mkdir_p(sub), 0);
	assert_int_equal(k23_mkdir_p(sub), 0);
	assert_int_equal(k23_mkdir_p(path), -1);
	assert_int_equal(errno, ENOTDIR);
	k23_sidecar_free(&sc);
	unlink(path);
	snprintf(sub, sizeof(sub), "rm -rf '%s'", dir);
	assert_int_equal(system(sub), 0);
}

/* --record: observed sites merged, known ones flagged, unknown ones added
 * (and counted for a loud report), the result still a valid sidecar. */
static void test_merge_observed(void **state)
{
	const struct k23_observed obs[] = {
		{ 0x2000, K23_SC_KIND_SYSCALL },	/* known (disagree) */
		{ 0x1005, K23_SC_KIND_SYSCALL },	/* known (planned) */
		{ 0x1800, K23_SC_KIND_SYSCALL },	/* unknown */
		{ 0x9000, K23_SC_KIND_SYSENTER },	/* unknown */
		{ 0x1800, K23_SC_KIND_SYSCALL },	/* seen twice */
	};
	struct k23_sidecar sc, back;
	size_t unknown, len;
	uint8_t *buf;
	const char *why;

	(void)state;
	make_sidecar(&sc);
	assert_int_equal(k23_sidecar_merge_observed(&sc, obs, 5, &unknown), 0);
	assert_int_equal(unknown, 2);
	assert_int_equal(sc.nsites, 5);
	assert_true(sc.flags & K23_SIDECAR_F_RECORDED);
	buf = encode(&sc, &len);
	assert_int_equal(k23_sidecar_decode(buf, len, &back, &why), K23_SC_OK);
	{
		const uint64_t want[] = { 0x1005, 0x1800, 0x2000, 0x3000, 0x9000 };
		const uint8_t flags[] = { 3, 2, 3, 1, 2 };

		for (int i = 0; i < 5; i++) {
			assert_true(back.sites[i].rec.vaddr == want[i]);
			assert_int_equal(back.sites[i].rec.flags, flags[i]);
		}
		assert_int_equal(back.sites[1].rec.verify, K23_SC_NOT_FOUND);
		assert_int_equal(back.sites[1].rec.strategy, K23_SC_PLAN_NONE);
		assert_int_equal(back.sites[4].rec.kind, K23_SC_KIND_SYSENTER);
		assert_non_null(strstr(back.sites[1].reason, "not found by the static scan"));
		assert_true(back.flags & K23_SIDECAR_F_RECORDED);
	}
	/* Merging the same again changes nothing. */
	assert_int_equal(k23_sidecar_merge_observed(&back, obs, 5, &unknown), 0);
	assert_int_equal(unknown, 0);
	assert_int_equal(back.nsites, 5);
	k23_sidecar_free(&back);
	k23_sidecar_free(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_vectors),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty_sidecar),
		cmocka_unit_test(test_flips_and_truncation),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_site_fields),
		cmocka_unit_test(test_encode_checks),
		cmocka_unit_test(test_stale),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_cache_dir),
		cmocka_unit_test(test_store_and_load),
		cmocka_unit_test(test_merge_observed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
