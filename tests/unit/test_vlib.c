/* test_vlib.c - unit tests of libraries:' rule (common/rt/vlib_match.c) on a compiled policy, and of the blob checks of its section.
 *
 * A bundle with two shared objects and a file that is not one is compiled
 * the way `k23 run --policy` compiles it; the rule must replace exactly
 * the names ld.so opens in the directories it searches, and the blob
 * check must refuse a section whose indexes or offsets lie outside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "policy/policy.h"
#include "policy/blob.h"
#include "common/rt/vlib_match.h"

static char dir[] = "/tmp/k23-test-vlib.XXXXXX", bundle[256];
static unsigned char *blob;
static size_t blob_len;
static struct k23_policy_view v;

static void touch(const char *name)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", bundle, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
}

static int setup(void **state)
{
	char pol[PATH_MAX];
	struct pol_compiled c = { 0 };
	struct policy p;
	struct stat st;
	FILE *f;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(bundle, sizeof(bundle), "%s/bundle", dir);
	assert_int_equal(mkdir(bundle, 0755), 0);
	touch("libz.so.1");
	touch("libfoo.so");
	touch("README");
	snprintf(pol, sizeof(pol), "%s/p.yaml", dir);
	f = fopen(pol, "w");
	assert_non_null(f);
	fprintf(f, "libraries:\n  - exe: /bin/sh\n    bundle: %s\n", bundle);
	fclose(f);
	assert_int_equal(k23_policy_read(pol, &p), 0);
	assert_int_equal(p.nlibs, 1);
	assert_int_equal(p.libs[0].nnames, 2);
	fd = memfd_create("blob", 0);
	assert_true(fd >= 0);
	assert_int_equal(k23_policy_write_blob(&p, &c, fd), 0);
	assert_int_equal(fstat(fd, &st), 0);
	blob_len = (size_t)st.st_size;
	blob = malloc(blob_len);
	assert_int_equal(pread(fd, blob, blob_len, 0), (ssize_t)blob_len);
	close(fd);
	k23_policy_free(&p);
	assert_int_equal(k23_policy_view(blob, blob_len, &v), 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	free(blob);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* What the rule makes of path: the bundle's name, or "" (unchanged). */
static const char *match(const char *path)
{
	static char out[PATH_MAX];

	if (!k23_vlib_match(&v, &v.lib[0], path, out, sizeof(out)))
		out[0] = 0;
	return out;
}

static void test_rule(void **state)
{
	char want[PATH_MAX];

	(void)state;
	assert_int_equal(v.h->n_lib, 1);
	assert_true(v.h->n_libdir >= 4);
	snprintf(want, sizeof(want), "%s/libz.so.1", bundle);
	/* ld.so.cache's and the default path's directories, and a hwcaps one. */
	assert_string_equal(match("/lib/x86_64-linux-gnu/libz.so.1"), want);
	assert_string_equal(match("/usr/lib/x86_64-linux-gnu/libz.so.1"), want);
	assert_string_equal(match("/usr/lib/libz.so.1"), want);
	assert_string_equal(match("/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libz.so.1"), want);
	snprintf(want, sizeof(want), "%s/libfoo.so", bundle);
	assert_string_equal(match("/usr/lib/x86_64-linux-gnu/libfoo.so"), want);
	/* Anything else is left alone. */
	assert_string_equal(match("/opt/app/lib/libz.so.1"), "");
	assert_string_equal(match("libz.so.1"), "");
	assert_string_equal(match("./libz.so.1"), "");
	assert_string_equal(match("/lib/x86_64-linux-gnu//libz.so.1"), "");
	assert_string_equal(match("/lib/x86_64-linux-gnu/../x86_64-linux-gnu/libz.so.1"), "");
	assert_string_equal(match("/lib/x86_64-linux-gnu/libz.so.1.2.13"), "");
	assert_string_equal(match("/lib/x86_64-linux-gnu/libz.so"), "");
	assert_string_equal(match("/lib/x86_64-linux-gnu/README"), "");
	assert_string_equal(match("/lib/x86_64-linux-gnu/"), "");
	assert_string_equal(match("/lib/x86_64-linux-gnu"), "");
	assert_string_equal(match(bundle), "");
}

static void test_no_room(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(k23_vlib_match(&v, &v.lib[0], "/lib/x86_64-linux-gnu/libz.so.1", out, sizeof(out)), 0);
}

/* Each field that names something elsewhere in the blob is checked. */
static void test_blob_checks(void **state)
{
	unsigned char *b = malloc(blob_len);
	struct k23_policy_view w;
	struct k23_policy_hdr *h = (struct k23_policy_hdr *)b;
	size_t lib_at = (size_t)((const unsigned char *)v.lib - blob);
	size_t str_at = (size_t)((const unsigned char *)v.libstr - blob);
	struct k23_policy_lib *l = (struct k23_policy_lib *)(b + lib_at);
	uint32_t *s = (uint32_t *)(b + str_at);

	(void)state;
#define RESET() memcpy(b, blob, blob_len)
	RESET();
	assert_int_equal(k23_policy_view(b, blob_len, &w), 1);
	l->nnames++;
	assert_int_equal(k23_policy_view(b, blob_len, &w), 0);
	RESET();
	l->name0 = 0; /* names among the directories */
	assert_int_equal(k23_policy_view(b, blob_len, &w), 0);
	RESET();
	l->bundle_off = h->strings_size;
	assert_int_equal(k23_policy_view(b, blob_len, &w), 0);
	RESET();
	l->exe_off = 0xffffffffu;
	assert_int_equal(k23_policy_view(b, blob_len, &w), 0);
	RESET();
	s[h->n_libstr - 1] = h->strings_size;
	assert_int_equal(k23_policy_view(b, blob_len, &w), 0);
	RESET();
	h->n_libdir = h->n_libstr + 1;
	assert_int_equal(k23_policy_view(b, blob_len, &w), 0);
	RESET();
	h->n_lib++; /* the sizes no longer add up */
	assert_int_equal(k23_policy_view(b, blob_len, &w), 0);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule),
		cmocka_unit_test(test_no_room),
		cmocka_unit_test(test_blob_checks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
