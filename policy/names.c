/* names.c - call, group and errno names of a policy: lookup, and the nearest known name for a misspelt one.
 *
 * Call names are resolved by libseccomp for x86-64, the same table the
 * filter is built from; errno names come from k23's generated table (glibc's
 * names).
 */
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include "rt/syscall_table.h"
#include "policy/groups.h"
#include "policy/policy.h"

int k23_pol_call_nr(const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name);

	return nr >= 0 ? nr : -1;
}

int k23_pol_errno(const char *name)
{
	char *end;
	long v = strtol(name, &end, 10);

	if (*name >= '0' && *name <= '9')
		return *end || v < 1 || v > K23_ERRNO_MAX ? -1 : (int)v;
	for (int e = 1; e <= k23_errno_named; e++)
		if (k23_errno_names[e] && !strcmp(k23_errno_names[e], name))
			return e;
	return -1;
}

const char *k23_pol_errno_name(int e)
{
	return e > 0 && e <= k23_errno_named && k23_errno_names[e] ? k23_errno_names[e] : "?";
}

/* Levenshtein distance, two rows; names are short. */
static int distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	int row[2][64];

	if (la > 62 || lb > 62)
		return 99;
	for (int j = 0; j <= lb; j++)
		row[0][j] = j;
	for (int i = 1; i <= la; i++) {
		int *cur = row[i & 1], *prev = row[!(i & 1)];

		cur[0] = i;
		for (int j = 1; j <= lb; j++) {
			int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			int del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	}
	return row[la & 1][lb];
}

/* The nearest candidate, if it is near enough to be what was meant. */
const char *k23_pol_nearest(const char *word, const char *const *cands, int n)
{
	const char *best = NULL;
	int bd = 1 << 30;

	for (int i = 0; i < n; i++) {
		int d;

		if (!cands[i])
			continue;
		d = distance(word, cands[i]);
		if (d < bd) {
			bd = d;
			best = cands[i];
		}
	}
	return best && bd <= (int)strlen(word) / 2 + 1 ? best : NULL;
}

const char *k23_pol_suggest_call(const char *name)
{
	static char *names[K23_SYSCALL_TABLE_SIZE];
	static int loaded;

	if (!loaded) {
		for (int nr = 0; nr < K23_SYSCALL_TABLE_SIZE; nr++)
			names[nr] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
		loaded = 1;
	}
	return k23_pol_nearest(name, (const char *const *)names, K23_SYSCALL_TABLE_SIZE);
}

const char *k23_pol_suggest_errno(const char *name)
{
	return k23_pol_nearest(name, (const char *const *)k23_errno_names + 1, k23_errno_named);
}

const char *k23_pol_suggest_group(const char *name)
{
	const char *c[64];
	int n = 0;

	for (int i = 0; i < k23_pol_ngroups && n < 64; i++)
		c[n++] = k23_pol_groups[i].name;
	return k23_pol_nearest(name, c, n);
}

const char *k23_pol_group(const char *name, const char **help)
{
	for (int i = 0; i < k23_pol_ngroups; i++) {
		if (!strcmp(k23_pol_groups[i].name, name)) {
			if (help)
				*help = k23_pol_groups[i].help;
			return k23_pol_groups[i].members;
		}
	}
	return NULL;
}
