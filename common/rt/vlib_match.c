/* vlib_match.c - which file an open of a library opens instead, under libraries: (freestanding; k23-prepare and the runtime share it).
 *
 * One rule, decided on the name the kernel is asked to open, for an image
 * of the bundle's executable: an absolute path DIR/NAME, where DIR is one
 * of the directories ld.so searches (the blob's libstr[0..n_libdir)) and
 * NAME one of the bundle's shared objects, opens BUNDLE/NAME instead. The
 * runtime applies it to the program's opens (online/virtual/vlib.c);
 * `k23 prepare --policy` applies it to the closure it resolves
 * (common/elf_closure.c), so both agree on which files are loaded.
 */
#include "policy/blob.h"
#include "common/rt/vlib_match.h"

static int cmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

/* 1 if the n bytes at dir are the string s. */
static int same(const char *dir, unsigned long n, const char *s)
{
	for (unsigned long i = 0; i < n; i++)
		if (s[i] != dir[i])
			return 0;
	return !s[n];
}

unsigned long k23_vlib_match(const struct k23_policy_view *v, const struct k23_policy_lib *l,
			     const char *path, char *out, unsigned long size)
{
	const char *slash = 0, *name, *bundle = v->strings + l->bundle_off;
	unsigned long dl, bl, nl, lo, hi;
	int in_dir = 0;

	if (path[0] != '/')
		return 0;
	for (const char *p = path; *p; p++)
		if (*p == '/')
			slash = p;
	name = slash + 1;
	if (!*name)
		return 0;
	dl = (unsigned long)(slash - path);
	for (uint32_t i = 0; i < v->h->n_libdir && !in_dir; i++)
		in_dir = same(path, dl, v->strings + v->libstr[i]);
	if (!in_dir)
		return 0;
	lo = 0;
	hi = l->nnames;
	while (lo < hi) {	/* the names are sorted (policy/parse_libs.c) */
		unsigned long mid = lo + (hi - lo) / 2;
		int c = cmp(name, v->strings + v->libstr[l->name0 + mid]);

		if (!c)
			break;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo >= hi)
		return 0;
	for (bl = 0; bundle[bl]; bl++)
		;
	for (nl = 0; name[nl]; nl++)
		;
	if (bl + 1 + nl + 1 > size)
		return 0;
	for (unsigned long i = 0; i < bl; i++)
		out[i] = bundle[i];
	out[bl] = '/';
	for (unsigned long i = 0; i <= nl; i++)
		out[bl + 1 + i] = name[i];
	return bl + 1 + nl;
}
