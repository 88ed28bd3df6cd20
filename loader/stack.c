/* stack.c - building the program's initial stack image below the strings the kernel left.
 *
 * The kernel recorded where this image's arguments and environment lie
 * (/proc/self/cmdline and /proc/self/environ read those ranges). The
 * program's argument strings are already there: k23 was executed with the
 * program's own argv (online/process/reexec.c), or its command line ends with them
 * and the record is moved to their start (mm_record.c). They are rewritten
 * in place (identical bytes), and only if a caller passes a longer argv do
 * they go below instead. Below, as Linux's binfmt_elf would lay them out:
 *
 *           environment strings    (untouched, above arg_end)
 *           argument strings       [arg_start, arg_end)
 *           execfn string          (AT_EXECFN)
 *           "x86_64"               (AT_PLATFORM)
 *           16 random bytes        (AT_RANDOM)
 *           padding to 16 bytes
 *           auxv pairs, AT_NULL
 *           envp[], NULL
 *           argv[], NULL
 *   sp  ->  argc
 */
#include <elf.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <string.h>
#include <sys/mman.h>
#include "selfcopy.h"
#include "stack.h"

struct layout {
	struct k23_stack_image *si;
	unsigned long str;	/* next string goes below this address */
};

static unsigned char *at(struct k23_stack_image *si, unsigned long addr)
{
	return si->buf + (addr - si->dest);
}

static unsigned long put_bytes(struct layout *l, const void *p, size_t n)
{
	l->str -= n;
	memcpy(at(l->si, l->str), p, n);
	return l->str;
}

static size_t count(char **v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

static size_t strings_size(char **v)
{
	size_t n = 0;

	for (size_t i = 0; v && v[i]; i++)
		n += strlen(v[i]) + 1;
	return n;
}

/* Strings of v, stored so that v[0] ends up lowest; addresses into out. */
static void put_strings(struct layout *l, char **v, size_t n, unsigned long *out)
{
	for (size_t i = n; i-- > 0;)
		out[i] = put_bytes(l, v[i], strlen(v[i]) + 1);
}

#define AUX_MAX 64

static size_t build_auxv(unsigned long *aux, const unsigned long *in, const struct k23_image *prog,
			 const struct k23_image *interp, unsigned long execfn,
			 unsigned long random, unsigned long platform)
{
	size_t n = 0;

	for (; in[0] != AT_NULL && n < AUX_MAX - 20; in += 2) {
		switch (in[0]) {
		case AT_PHDR: case AT_PHENT: case AT_PHNUM: case AT_BASE: case AT_ENTRY:
		case AT_EXECFN: case AT_RANDOM: case AT_PLATFORM: case AT_EXECFD:
		case AT_FLAGS: case AT_BASE_PLATFORM:
			continue; /* describe k23's image: replaced below */
		}
		aux[n++] = in[0];
		aux[n++] = in[1];
	}
	unsigned long mine[] = {
		AT_PHDR, prog->phdr, AT_PHENT, sizeof(Elf64_Phdr), AT_PHNUM, prog->phnum,
		AT_BASE, interp ? interp->bias : 0, AT_FLAGS, 0, AT_ENTRY, prog->entry,
		AT_RANDOM, random, AT_PLATFORM, platform, AT_EXECFN, execfn, AT_NULL, 0,
	};
	memcpy(aux + n, mine, sizeof(mine));
	return n + sizeof(mine) / sizeof(mine[0]);
}

/* The image of a small start (a page: the strings stay where the kernel
 * put them, so it holds pointers and auxv) in k23's bss, which the
 * launcher populated: no mmap at all. Once per image, so zero-filled. */
static void *small_buf(size_t len)
{
	static char buf[4096] __attribute__((aligned(16)));
	static int used;

	if (used || len > sizeof(buf))
		return NULL;
	used = 1;
	return buf;
}

int k23_stack_build(struct k23_stack_image *si, unsigned long arg_start, unsigned long arg_end,
		    char **argv, char **envp, const unsigned long *auxv_in,
		    const struct k23_image *prog, const struct k23_image *interp, const char *execfn)
{
	size_t argc = count(argv), envc = count(envp), need = strings_size(argv);
	int in_place = need <= arg_end - arg_start;
	size_t below = strlen(execfn) + 1 + 7 + 16 + (in_place ? 0 : need);
	size_t words = 1 + argc + 1 + envc + 1 + AUX_MAX;
	unsigned long aux[AUX_MAX], *argp, fn, random, platform, sp, *w;
	struct layout l;
	size_t auxn, buf_len, pristine;
	void *m;

	si->dest = (arg_start - below - 16 - words * 8) & ~15UL;
	si->size = arg_end - si->dest;
	/* One buffer for the image and the argument pointers, not malloc:
	 * nothing else on the way to the program allocates, and musl's first
	 * allocation costs more than the mapping (docs/benchmarks.md). It
	 * stays, as a heap block would; it is zero-filled as calloc's was.
	 * A page of k23's bss when it fits (small_buf), else a mapping
	 * populated in the same call: all of it is written below, and a
	 * fresh page the kernel fills here costs less than half the fault
	 * its first write would take on the reference VM (3.7 us against
	 * 8.4). The same buffer holds, after them, the bytes of k23's file
	 * that its self-copy keeps for good (selfcopy.c): one mmap, not two. */
	buf_len = (si->size + 7) / 8 * 8 + (argc + 1) * sizeof(unsigned long);
	pristine = k23_pristine_size();
	m = small_buf(buf_len + pristine);
	if (!m)
		m = mmap(NULL, buf_len + pristine, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (m == MAP_FAILED)
		return -1;
	k23_pristine_room((char *)m + buf_len, pristine);
	si->buf = m;
	argp = (unsigned long *)(si->buf + (si->size + 7) / 8 * 8);
	l.si = si;
	l.str = arg_start;
	if (in_place) {
		/* Where the kernel recorded the arguments: /proc/self/cmdline
		 * then shows the program's (the zero-filled rest stays NUL). */
		unsigned long p = arg_start;

		for (size_t i = 0; i < argc; i++) {
			size_t n = strlen(argv[i]) + 1;

			memcpy(at(si, p), argv[i], n);
			argp[i] = p;
			p += n;
		}
	} else {
		put_strings(&l, argv, argc, argp);
	}
	fn = put_bytes(&l, execfn, strlen(execfn) + 1);
	platform = put_bytes(&l, "x86_64", 7);
	random = put_bytes(&l, (const void *)getauxval(AT_RANDOM), 16);
	auxn = build_auxv(aux, auxv_in, prog, interp, fn, random, platform);

	/* argc, argv, NULL, envp, NULL, auxv: sp must end 16-byte aligned. */
	sp = (l.str - (1 + argc + 1 + envc + 1 + auxn) * 8) & ~15UL;
	if (sp < si->dest)
		return -1;
	w = (unsigned long *)at(si, sp);
	*w++ = argc;
	for (size_t i = 0; i < argc; i++)
		*w++ = argp[i];
	*w++ = 0;
	for (size_t i = 0; i < envc; i++)
		*w++ = (unsigned long)envp[i];
	*w++ = 0;
	memcpy(w, aux, auxn * 8);
	si->auxv = sp + (unsigned long)((unsigned char *)w - at(si, sp));
	si->auxv_words = auxn;
	/* Trim the unused bottom: the image starts at sp. */
	si->buf += sp - si->dest;
	si->size = arg_end - sp;
	si->dest = sp;
	return 0;
}
