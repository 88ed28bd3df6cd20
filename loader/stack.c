/* stack.c - building the program's initial stack image.
 *
 * Layout, from the top of the stack down (as Linux's binfmt_elf builds it):
 *
 *   top ->  8 zero bytes
 *           execfn string          (AT_EXECFN)
 *           environment strings    [env_start, env_end)
 *           argument strings       [arg_start, arg_end)
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

int k23_stack_build(struct k23_stack_image *si, unsigned long top, char **argv, char **envp,
		    const unsigned long *auxv_in, const struct k23_image *prog,
		    const struct k23_image *interp, const char *execfn)
{
	size_t argc = count(argv), envc = count(envp);
	size_t strs = 8 + strlen(execfn) + 1 + strings_size(argv) + strings_size(envp) + 7 + 16;
	size_t words = 1 + argc + 1 + envc + 1 + AUX_MAX;
	unsigned long aux[AUX_MAX], *argp, *envpp, fn, random, platform, sp, *w;
	unsigned char zero[8] = { 0 };
	struct layout l;
	size_t auxn;

	si->dest = (top - strs - 16 - words * 8) & ~15UL;
	si->size = top - si->dest;
	si->buf = calloc(1, si->size);
	argp = calloc(argc + envc + 2, sizeof(unsigned long));
	if (!si->buf || !argp)
		return -1;
	envpp = argp + argc + 1;
	l.si = si;
	l.str = top;
	put_bytes(&l, zero, 8);
	fn = put_bytes(&l, execfn, strlen(execfn) + 1);
	si->env_end = l.str;
	put_strings(&l, envp, envc, envpp);
	si->env_start = si->arg_end = l.str;
	put_strings(&l, argv, argc, argp);
	si->arg_start = l.str;
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
		*w++ = envpp[i];
	*w++ = 0;
	memcpy(w, aux, auxn * 8);
	free(argp);
	/* Trim the unused bottom: the image starts at sp. */
	si->buf += sp - si->dest;
	si->size = top - sp;
	si->dest = sp;
	return 0;
}
