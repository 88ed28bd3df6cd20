/* test_sidecar_rt.c - unit tests of the runtime's sidecar lookup (online/sidecar/sidecar_rt.c): found, missing, stale, corrupt, no build-id, malformed objects.
 *
 * Sidecars are written by the hosted encoder with the identity the hosted
 * ELF reader computes, so a runtime that read a build-id differently from
 * k23 prepare would find nothing. Synthetic objects built here byte by byte
 * reach the note layouts real objects rarely have (8-aligned notes, notes
 * past the first read, long build-ids), and are then damaged at every byte
 * and cut at every length: the lookup must answer, never fault.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "elf_info.h"
#include "sidecar.h"
#include "online/core/rt.h"
#include "online/sidecar/sidecar_rt.h"

static char tmp[64];		/* the test's directory, with cache/ inside */
static char cache[128];

static int setup(void **state)
{
	char cmd[160];

	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/k23-test-sidecar-rt.XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(cache, sizeof(cache), "%s/cache", tmp);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", cache);
	if (system(cmd) != 0)
		return -1;
	snprintf(k23_rt.cache_dir, sizeof(k23_rt.cache_dir), "%s", cache);
	return 0;
}

static int teardown(void **state)
{
	char cmd[160];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static void sh(const char *fmt, const char *a, const char *b)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	assert_int_equal(system(cmd), 0);
}

static void empty_cache(void)
{
	sh("rm -f '%s'/*.k23 '%s'/.*.k23.*", cache, cache);
}

/* A sidecar with one planned and one bare site, for the object id, written
 * as name (NULL: the name id gives it). */
static void store(const struct k23_sidecar_ident *id, const char *name)
{
	static const uint8_t bytes[] = { 0xb8, 0x27, 0, 0, 0, 0x0f, 0x05 };
	struct k23_sidecar_site s;
	struct k23_sidecar sc;
	char own[160];
	const char *why = "";

	k23_sidecar_init(&sc);
	sc.obj = *id;
	memset(&s, 0, sizeof(s));
	s.vaddr = 0x1005;
	s.patch_vaddr = 0x1000;
	s.kind = K23_SC_KIND_SYSCALL;
	s.verify = K23_SC_VERIFIED;
	s.strategy = K23_SC_PLAN_JMP_STUB;
	s.patch_len = 7;
	s.ninsns = 2;
	s.site_index = 1;
	memcpy(s.orig, bytes, sizeof(bytes));
	s.insn_len[0] = 5;
	s.insn_len[1] = 2;
	s.flags = K23_SC_F_STATIC;
	assert_int_equal(k23_sidecar_add(&sc, &s, "planned"), 0);
	memset(&s, 0, sizeof(s));
	s.vaddr = 0x2000;
	s.kind = K23_SC_KIND_SYSCALL;
	s.verify = K23_SC_DISAGREE;
	s.flags = K23_SC_F_STATIC;
	assert_int_equal(k23_sidecar_add(&sc, &s, "decoders disagree"), 0);
	if (!name) {
		assert_int_equal(k23_sidecar_name(id, own, sizeof(own)), 0);
		name = own;
	}
	assert_int_equal(k23_sidecar_store(cache, name, &sc, &why), K23_SC_OK);
	k23_sidecar_free(&sc);
}

/* The identity k23 prepare gives the file at path. */
static void ident(const char *path, struct k23_sidecar_ident *id)
{
	struct k23_elf_obj o;
	int n;

	assert_int_equal(k23_elf_load(path, &o), K23_ELF_OK);
	memset(id, 0, sizeof(*id));
	id->size = o.size;
	id->hash = k23_hash64(o.data, o.size);
	n = k23_elf_build_id(&o, id->build_id, sizeof(id->build_id));
	id->build_id_len = n > 0 ? (uint32_t)n : 0;
	k23_elf_unload(&o);
}

static int open_status(const char *path)
{
	struct k23_rt_sidecar sc;
	int fd = open(path, O_RDONLY), st;

	assert_true(fd >= 0);
	st = k23_rt_sidecar_open(fd, &sc);
	if (st == K23_RTSC_OK)
		k23_rt_sidecar_close(&sc);
	close(fd);
	return st;
}

/* A copy of /bin/true in the test directory, its path in buf. */
static void copy_true(char *buf, size_t size)
{
	snprintf(buf, size, "%s/true", tmp);
	sh("cp /bin/true '%s'%s", buf, "");
}

static void test_fresh(void **state)
{
	struct k23_sidecar_ident id;
	struct k23_rt_sidecar sc;
	char obj[128];
	int fd;

	(void)state;
	empty_cache();
	copy_true(obj, sizeof(obj));
	ident(obj, &id);
	assert_true(id.build_id_len > 0);
	store(&id, NULL);
	fd = open(obj, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(lseek(fd, 7, SEEK_SET), 7);
	assert_int_equal(k23_rt_sidecar_open(fd, &sc), K23_RTSC_OK);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 7);	/* only pread: the offset is the program's */
	assert_int_equal(sc.nsites, 2);
	assert_true(sc.hdr->object_size == id.size && sc.hdr->object_hash == id.hash);
	assert_true(sc.sites[0].vaddr == 0x1005 && sc.sites[1].vaddr == 0x2000);
	assert_int_equal(sc.sites[0].strategy, K23_SC_PLAN_JMP_STUB);
	assert_true((const char *)sc.sites == (const char *)sc.map + sizeof(*sc.hdr));
	assert_true(sc.map_len >= sizeof(*sc.hdr) + 2 * sizeof(*sc.sites));
	k23_rt_sidecar_close(&sc);
	assert_null(sc.map);
	close(fd);
}

static void test_missing_and_no_cache(void **state)
{
	char obj[128], saved[sizeof(k23_rt.cache_dir)];

	(void)state;
	empty_cache();
	copy_true(obj, sizeof(obj));
	assert_int_equal(open_status(obj), K23_RTSC_MISSING);
	memcpy(saved, k23_rt.cache_dir, sizeof(saved));
	snprintf(k23_rt.cache_dir, sizeof(k23_rt.cache_dir), "%s/no/such/dir", tmp);
	assert_int_equal(open_status(obj), K23_RTSC_MISSING);
	k23_rt.cache_dir[0] = 0;
	assert_int_equal(open_status(obj), K23_RTSC_NO_CACHE);
	/* A cache path that cannot fit with a build-id behind it. */
	memset(k23_rt.cache_dir, 'a', sizeof(k23_rt.cache_dir) - 1);
	k23_rt.cache_dir[sizeof(k23_rt.cache_dir) - 1] = 0;
	assert_int_equal(open_status(obj), K23_RTSC_IO);
	memcpy(k23_rt.cache_dir, saved, sizeof(saved));
}

/* One byte changed (the last: section headers, not loaded; the build-id
 * stays), one byte appended, another build-id in the header under this
 * object's name: each is stale. */
static void test_stale(void **state)
{
	struct k23_sidecar_ident id, other;
	char obj[128], name[160];
	struct stat st;
	int fd;

	(void)state;
	empty_cache();
	copy_true(obj, sizeof(obj));
	ident(obj, &id);
	store(&id, NULL);
	assert_int_equal(stat(obj, &st), 0);
	fd = open(obj, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "\x5a", 1, st.st_size - 1), 1);
	assert_int_equal(open_status(obj), K23_RTSC_STALE);
	copy_true(obj, sizeof(obj));
	assert_int_equal(open_status(obj), K23_RTSC_OK);
	assert_int_equal(pwrite(fd, "x", 1, st.st_size), 1);
	assert_int_equal(open_status(obj), K23_RTSC_STALE);
	close(fd);
	copy_true(obj, sizeof(obj));
	other = id;
	other.build_id[0] ^= 1;
	assert_int_equal(k23_sidecar_name(&id, name, sizeof(name)), 0);
	store(&other, name);
	assert_int_equal(open_status(obj), K23_RTSC_STALE);
}

/* A flipped byte (the self hash catches it), a truncated file, an empty one,
 * a directory in its place: corrupt, or unreadable. */
static void test_corrupt(void **state)
{
	struct k23_sidecar_ident id;
	char obj[128], name[160], path[320];
	struct stat st;
	int fd;

	(void)state;
	empty_cache();
	copy_true(obj, sizeof(obj));
	ident(obj, &id);
	store(&id, NULL);
	assert_int_equal(k23_sidecar_name(&id, name, sizeof(name)), 0);
	snprintf(path, sizeof(path), "%s/%s", cache, name);
	assert_int_equal(stat(path, &st), 0);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	for (off_t at = 0; at < st.st_size; at += 7) {
		uint8_t b, f;

		assert_int_equal(pread(fd, &b, 1, at), 1);
		f = b ^ 0x10;
		assert_int_equal(pwrite(fd, &f, 1, at), 1);
		assert_int_equal(open_status(obj), K23_RTSC_CORRUPT);
		assert_int_equal(pwrite(fd, &b, 1, at), 1);
	}
	assert_int_equal(open_status(obj), K23_RTSC_OK);
	assert_int_equal(ftruncate(fd, st.st_size - 1), 0);
	assert_int_equal(open_status(obj), K23_RTSC_CORRUPT);
	assert_int_equal(ftruncate(fd, 100), 0);
	assert_int_equal(open_status(obj), K23_RTSC_CORRUPT);
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(open_status(obj), K23_RTSC_CORRUPT);
	close(fd);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(open_status(obj), K23_RTSC_CORRUPT); /* not a regular file */
	assert_int_equal(rmdir(path), 0);
}

/* Writes b[0..len) as the whole content of fd and looks it up. */
static int memfd_status(int fd, const uint8_t *b, size_t len)
{
	struct k23_rt_sidecar sc;
	int st;

	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(pwrite(fd, b, len, 0), (ssize_t)len);
	st = k23_rt_sidecar_open(fd, &sc);
	if (st == K23_RTSC_OK)
		k23_rt_sidecar_close(&sc);
	return st;
}

/* Whatever the descriptor is, an answer: text, a pipe, a directory, a
 * closed descriptor, truncated copies of a real object. */
static void test_not_elf(void **state)
{
	struct k23_sidecar_ident id;
	struct k23_rt_sidecar sc;
	char obj[128], path[160];
	uint8_t *whole;
	int p[2], fd;

	(void)state;
	empty_cache();
	snprintf(path, sizeof(path), "%s/text", tmp);
	sh("echo 'not an ELF file, only some text to read' > '%s'%s", path, "");
	assert_int_equal(open_status(path), K23_RTSC_NO_BUILD_ID);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(k23_rt_sidecar_open(p[0], &sc), K23_RTSC_NO_BUILD_ID);
	close(p[0]);
	close(p[1]);
	assert_int_equal(open_status(tmp), K23_RTSC_NO_BUILD_ID);
	assert_int_equal(k23_rt_sidecar_open(-1, &sc), K23_RTSC_IO);
	/* Truncated: inside the ELF header, the program headers and the notes
	 * no build-id; past the notes the build-id names a sidecar whose
	 * object was longer. */
	copy_true(obj, sizeof(obj));
	ident(obj, &id);
	store(&id, NULL);
	whole = malloc(id.size);
	fd = open(obj, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, whole, id.size, 0), (ssize_t)id.size);
	close(fd);
	fd = memfd_create("cut", 0);
	assert_true(fd >= 0);
	for (size_t len = 0; len < 1024; len += len < 80 ? 1 : 13) {
		int st = memfd_status(fd, whole, len);

		assert_true(st == K23_RTSC_NO_BUILD_ID || st == K23_RTSC_STALE);
		if (len < 64)
			assert_int_equal(st, K23_RTSC_NO_BUILD_ID);
	}
	assert_int_equal(memfd_status(fd, whole, id.size / 2), K23_RTSC_STALE);
	assert_int_equal(memfd_status(fd, whole, id.size), K23_RTSC_OK);
	close(fd);
	free(whole);
}

/* --- synthetic objects ---------------------------------------------------------
 *
 * An ELF header, two program headers (PT_NOTE, then a second PT_NOTE or
 * PT_NULL) and the notes, at note_off. Shapes:
 *   BIG     ABI tag, a 600-byte note, the build-id: the note window refills
 *   ALIGN8  an 8-aligned segment whose first note pads its 12-byte descriptor to 16
 *   LONG    a 65-byte build-id: more than a sidecar records, so none
 *   SECOND  no build-id in the first PT_NOTE, found in the second
 *   NONE    an ABI tag only
 */
enum shape { BIG, ALIGN8, LONG, SECOND, NONE };

static size_t put_note(uint8_t *p, uint32_t type, const char *name, uint32_t dsz, uint8_t fill,
		       unsigned align)
{
	uint32_t nsz = (uint32_t)strlen(name) + 1;
	size_t name_end = (12 + nsz + align - 1) & ~(size_t)(align - 1);

	memcpy(p, &nsz, 4);
	memcpy(p + 4, &dsz, 4);
	memcpy(p + 8, &type, 4);
	memcpy(p + 12, name, nsz);
	for (uint32_t i = 0; i < dsz; i++)
		p[name_end + i] = (uint8_t)(fill + i);
	return (name_end + dsz + align - 1) & ~(size_t)(align - 1);
}

static void put_phdr(uint8_t *b, int i, uint32_t type, uint64_t off, uint64_t size, uint64_t align)
{
	uint8_t *p = b + 64 + 56 * i;

	memcpy(p, &type, 4);
	memcpy(p + 8, &off, 8);
	memcpy(p + 32, &size, 8);	/* p_filesz */
	memcpy(p + 40, &size, 8);	/* p_memsz */
	memcpy(p + 48, &align, 8);
}

/* Builds shape at note_off into b; returns the length, and the build-id in id. */
static size_t synth(uint8_t *b, enum shape shape, size_t note_off, struct k23_sidecar_ident *id)
{
	static const uint8_t ehdr[24] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					  3, 0, 62, 0, 1, 0, 0, 0 };
	uint16_t phentsize = 56, phnum = 2;
	uint64_t phoff = 64;
	size_t n = note_off, first;

	memset(b, 0, 8192);
	memcpy(b, ehdr, sizeof(ehdr));
	memcpy(b + 32, &phoff, 8);
	memcpy(b + 54, &phentsize, 2);
	memcpy(b + 56, &phnum, 2);
	if (shape == ALIGN8)
		n += put_note(b + n, 5, "GNU", 12, 0x40, 8);
	else
		n += put_note(b + n, 1, "GNU", 16, 0, 4);	/* ABI tag */
	if (shape == BIG)
		n += put_note(b + n, 0x1234, "Xyz", 600, 0x11, 4);
	first = n;
	if (shape != NONE)
		n += put_note(b + n, 3, "GNU", shape == LONG ? 65 : 20, 0xa0, shape == ALIGN8 ? 8 : 4);
	if (shape == SECOND) {
		put_phdr(b, 0, PT_NOTE, note_off, first - note_off, 4);
		put_phdr(b, 1, PT_NOTE, first, n - first, 4);
	} else {
		put_phdr(b, 0, PT_NOTE, note_off, n - note_off, shape == ALIGN8 ? 8 : 4);
	}
	n += 64;	/* something after the notes */
	memset(id, 0, sizeof(*id));
	id->size = n;
	id->hash = k23_hash64(b, n);
	if (shape != NONE && shape != LONG) {
		id->build_id_len = 20;
		for (int i = 0; i < 20; i++)
			id->build_id[i] = (uint8_t)(0xa0 + i);
	}
	return n;
}

static void test_synthetic_shapes(void **state)
{
	static uint8_t b[8192];
	struct k23_sidecar_ident id;
	int fd = memfd_create("synth", 0);

	(void)state;
	assert_true(fd >= 0);
	/* At 0x100 the notes lie in the first read; at 0x900 and 0x7f0 (a
	 * note straddling its end) they need reads of their own. */
	for (size_t off = 0x100; off <= 0x900; off += 0x800) {
		for (enum shape s = BIG; s <= SECOND; s++) {
			size_t len = synth(b, s, s == BIG && off == 0x900 ? 0x7f0 : off, &id);

			empty_cache();	/* every shape has the same build-id */
			if (s == LONG || s == NONE) {
				assert_int_equal(memfd_status(fd, b, len), K23_RTSC_NO_BUILD_ID);
				continue;
			}
			assert_int_equal(memfd_status(fd, b, len), K23_RTSC_MISSING);
			store(&id, NULL);
			assert_int_equal(memfd_status(fd, b, len), K23_RTSC_OK);
		}
	}
	assert_int_equal(memfd_status(fd, b, synth(b, NONE, 0x100, &id)), K23_RTSC_NO_BUILD_ID);
	close(fd);
}

/* Every byte of headers and notes damaged, every length cut: an answer
 * each time, and never a sidecar for bytes it does not describe. */
static void test_synthetic_damage(void **state)
{
	static uint8_t b[8192];
	struct k23_sidecar_ident id;
	int fd = memfd_create("synth", 0);

	(void)state;
	assert_true(fd >= 0);
	empty_cache();
	for (enum shape s = BIG; s <= ALIGN8; s++) {
		size_t len = synth(b, s, 0x100, &id);

		store(&id, NULL);
		for (size_t i = 0; i < len; i++) {
			static const uint8_t flips[] = { 0x01, 0x80, 0xff };

			for (size_t f = 0; f < sizeof(flips); f++) {
				int st;

				b[i] ^= flips[f];
				st = memfd_status(fd, b, len);
				b[i] ^= flips[f];
				assert_true(st == K23_RTSC_NO_BUILD_ID || st == K23_RTSC_MISSING ||
					    st == K23_RTSC_STALE);
			}
		}
		for (size_t cut = 0; cut < len; cut++) {
			int st = memfd_status(fd, b, cut);

			assert_true(st == K23_RTSC_NO_BUILD_ID || st == K23_RTSC_STALE);
		}
		assert_int_equal(memfd_status(fd, b, len), K23_RTSC_OK);
	}
	close(fd);
}

/* The object read in 128 KiB pieces hashes as it would whole, and a lookup
 * racing others (who may find the shared read buffer taken) agrees. */
struct race {
	const char *path;
	int bad;
};

static void *race(void *arg)
{
	struct race *r = arg;

	for (int i = 0; i < 20; i++)
		if (open_status(r->path) != K23_RTSC_OK)
			r->bad++;
	return NULL;
}

static void test_big_object_threads(void **state)
{
	struct k23_sidecar_ident id;
	struct race r[4];
	pthread_t t[4];
	char obj[128];

	(void)state;
	empty_cache();
	snprintf(obj, sizeof(obj), "%s/libc.so.6", tmp);
	sh("cp /lib/x86_64-linux-gnu/libc.so.6 '%s'%s", obj, "");
	ident(obj, &id);
	assert_true(id.size > (128u << 10) * 4);
	store(&id, NULL);
	for (int i = 0; i < 4; i++) {
		r[i] = (struct race){ obj, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(r[i].bad, 0);
	}
}

/* Sidecars written by the real `k23 prepare` for /bin/true's closure. */
static void test_real_prepare(void **state)
{
	static const char *const objs[] = { "/bin/true", "/lib/x86_64-linux-gnu/libc.so.6",
					    "/lib64/ld-linux-x86-64.so.2" };
	char cmd[512];

	(void)state;
	if (access("build/k23", X_OK) != 0)
		skip();
	empty_cache();
	snprintf(cmd, sizeof(cmd), "build/k23 prepare --quiet --cache '%s' /bin/true > /dev/null", cache);
	assert_int_equal(system(cmd), 0);
	for (size_t i = 0; i < sizeof(objs) / sizeof(*objs); i++) {
		struct k23_sidecar_ident id;
		struct k23_sidecar hosted;
		struct k23_rt_sidecar sc;
		char name[160], path[320];
		const char *why;
		int fd = open(objs[i], O_RDONLY);

		assert_true(fd >= 0);
		assert_int_equal(k23_rt_sidecar_open(fd, &sc), K23_RTSC_OK);
		ident(objs[i], &id);
		assert_int_equal(k23_sidecar_name(&id, name, sizeof(name)), 0);
		snprintf(path, sizeof(path), "%s/%s", cache, name);
		assert_int_equal(k23_sidecar_load(path, &hosted, &why), K23_SC_OK);
		assert_int_equal(sc.nsites, hosted.nsites);
		for (uint32_t k = 0; k < sc.nsites; k++)
			assert_memory_equal(&sc.sites[k], &hosted.sites[k].rec, sizeof(sc.sites[k]));
		k23_sidecar_free(&hosted);
		k23_rt_sidecar_close(&sc);
		close(fd);
	}
}

static void test_hash_pieces(void **state)
{
	static uint8_t buf[5000];
	struct k23_hash64_state s;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 131 + (i >> 7));
	for (size_t len = 0; len <= sizeof(buf); len += len < 100 ? 1 : 97) {
		uint64_t whole = k23_hash64(buf, len);

		for (size_t piece = 32; piece <= 4096; piece *= 4) {
			size_t at = 0;

			k23_hash64_init(&s);
			for (; len - at > piece; at += piece)
				k23_hash64_stripes(&s, buf + at, piece);
			assert_true(k23_hash64_finish(&s, buf + at, len - at) == whole);
		}
	}
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(k23_rt_sidecar_strerror(K23_RTSC_MISSING), "no sidecar");
	assert_string_equal(k23_rt_sidecar_strerror(K23_RTSC_STALE), "stale sidecar");
	assert_string_equal(k23_rt_sidecar_strerror(K23_RTSC_CORRUPT), "corrupt sidecar");
	for (int i = K23_RTSC_OK; i <= K23_RTSC_IO + 1; i++)
		for (int j = K23_RTSC_OK; j < i; j++)
			assert_string_not_equal(k23_rt_sidecar_strerror(i), k23_rt_sidecar_strerror(j));
}

/* The validator reads the image in place: it refuses a misaligned one
 * rather than misread it. */
static void test_validate_alignment(void **state)
{
	struct k23_sidecar_ident id;
	struct k23_sidecar sc;
	uint8_t *img, *odd;
	size_t len;
	const char *why = "";
	void *buf;

	(void)state;
	memset(&id, 0, sizeof(id));
	id.size = 4096;
	k23_sidecar_init(&sc);
	sc.obj = id;
	assert_int_equal(k23_sidecar_encode(&sc, &buf, &len, &why), K23_SC_OK);
	img = buf;
	assert_null(k23_sidecar_validate(img, len));
	odd = malloc(len + 1);
	memcpy(odd + 1, img, len);
	assert_non_null(k23_sidecar_validate(odd + 1, len));
	free(odd);
	free(buf);
	k23_sidecar_free(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh),
		cmocka_unit_test(test_missing_and_no_cache),
		cmocka_unit_test(test_stale),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_not_elf),
		cmocka_unit_test(test_synthetic_shapes),
		cmocka_unit_test(test_synthetic_damage),
		cmocka_unit_test(test_big_object_threads),
		cmocka_unit_test(test_real_prepare),
		cmocka_unit_test(test_hash_pieces),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_validate_alignment),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
