/* pol_state.c - each image attaches the compiled policy: the sealed memfd mapped read-only, checked, and the deny rules' identities taken.
 *
 * The memfd is sealed against writes and guarded like the tool output
 * (online/guard/fdguard.c): the program cannot name it, so it cannot
 * change the rules this layer reads. The blob is checked again here
 * (k23_policy_view, as k23 checked it before the program started):
 * nothing is used before its sizes are.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <asm/stat.h>
#include <linux/fcntl.h>
#include <linux/stat.h>
#include <linux/filter.h>
#include <linux/mman.h>
#include "online/core/rtlib.h"
#include "online/policy/pol_int.h"
#include "online/virtual/virt.h"

struct k23_pol k23_pol;
int k23_pol_on;

int k23_pol_inside(const char *path, const char *tree)
{
	size_t n = k23_strlen(tree);

	if (n == 1 && tree[0] == '/')
		return 1;
	return !k23_strncmp(path, tree, n) && (path[n] == '/' || !path[n]);
}

/* The identity of path (0: none). openat and fstat: calls k23 needs
 * anyway (policy/needs.c), so no policy can deny them to it. */
static int identity(const char *path, struct stat *st)
{
	long fd = k23_syscall4(__NR_openat, AT_FDCWD, (long)path, O_PATH | O_CLOEXEC, 0);
	int ok = fd >= 0 && k23_syscall2(__NR_fstat, fd, (long)st) == 0;

	if (fd >= 0)
		k23_syscall1(__NR_close, fd);
	return ok;
}

int k23_pol_binds_image(const char *exe)
{
	struct stat st;

	if (k23_rt.exe_path[0] && !k23_strcmp(exe, k23_rt.exe_path))
		return 1;
	return k23_rt.exe_ino && identity(exe, &st) && st.st_dev == k23_rt.exe_dev &&
	       st.st_ino == k23_rt.exe_ino;
}

/* k23_pol_binds_image, asked once per run of rules naming the same executable. */
static int binds_cached(uint32_t exe_off, uint32_t *last_off, int *last)
{
	if (exe_off != *last_off) {
		*last_off = exe_off;
		*last = k23_pol_binds_image(k23_pol.b.strings + exe_off);
	}
	return *last;
}

void k23_policy_bind_image(void)
{
	uint32_t last_off = K23_POLICY_EVERY_IMAGE;
	int last = 0;

	if (!k23_pol_on)
		return;
	for (uint32_t i = 0; k23_pol.ids && i < k23_pol.b.h->n_deny; i++)
		if (k23_pol.b.deny[i].exe_off != K23_POLICY_EVERY_IMAGE)
			k23_pol.ids[i].other = !binds_cached(k23_pol.b.deny[i].exe_off, &last_off, &last);
	for (uint32_t i = 0; k23_pol.dest_other && i < k23_pol.b.h->n_dest; i++)
		if (k23_pol.b.dest[i].exe_off != K23_POLICY_EVERY_IMAGE)
			k23_pol.dest_other[i] = !binds_cached(k23_pol.b.dest[i].exe_off, &last_off, &last);
}

/* Scoped destination rules bind nothing until k23_policy_bind_image; with
 * no memory to say which do, the image cannot start (rather than apply a
 * scope's rules to every executable, or to none). */
static long take_dest_scopes(void)
{
	uint32_t i, n = k23_pol.b.h->n_dest;

	for (i = 0; i < n && k23_pol.b.dest[i].exe_off == K23_POLICY_EVERY_IMAGE; i++)
		;
	if (i == n)
		return 0;
	if (!(k23_pol.dest_other = k23_map_anon(n)))
		return -ENOMEM;
	for (i = 0; i < n; i++)
		k23_pol.dest_other[i] = k23_pol.b.dest[i].exe_off != K23_POLICY_EVERY_IMAGE;
	return 0;
}

/* The deny rules' files as they are when this image starts: a hard link
 * or a bind mount reaches the same (st_dev, st_ino) under another path.
 * A scope's rules bind nothing until k23_policy_bind_image. */
static long take_identities(void)
{
	size_t size = (size_t)k23_pol.b.h->n_deny * sizeof(*k23_pol.ids);

	if (!size)
		return 0;
	if (!(k23_pol.ids = k23_map_anon(size))) {
		for (uint32_t i = 0; i < k23_pol.b.h->n_deny; i++)
			if (k23_pol.b.deny[i].exe_off != K23_POLICY_EVERY_IMAGE)
				return -ENOMEM; /* no place to say which rules bind */
		k23_pol.trees = 1; /* by path alone */
		return 0;
	}
	for (uint32_t i = 0; i < k23_pol.b.h->n_deny; i++) {
		struct stat st;
		long fd = k23_syscall4(__NR_openat, AT_FDCWD,
				       (long)(k23_pol.b.strings + k23_pol.b.deny[i].path_off),
				       O_PATH | O_CLOEXEC, 0);

		/* Until the image's executable is known (k23_policy_bind_image). */
		k23_pol.ids[i].other = k23_pol.b.deny[i].exe_off != K23_POLICY_EVERY_IMAGE;

		if (fd < 0 || k23_syscall2(__NR_fstat, fd, (long)&st) != 0) {
			k23_pol.trees = 1;
		} else {
			k23_pol.ids[i].dev = st.st_dev;
			k23_pol.ids[i].ino = st.st_ino;
			if ((st.st_mode & S_IFMT) == S_IFDIR)
				k23_pol.trees = 1;
			else
				k23_pol.by_id = 1;
		}
		if (fd >= 0)
			k23_syscall1(__NR_close, fd);
	}
	return 0;
}

long k23_policy_attach(void)
{
	struct stat st;
	long p, r;

	if (k23_rt.policy_fd < 0)
		return 0;
	r = k23_syscall2(__NR_fstat, k23_rt.policy_fd, (long)&st);
	if (r)
		return r;
	p = k23_syscall6(__NR_mmap, 0, st.st_size, PROT_READ, MAP_SHARED, k23_rt.policy_fd, 0);
	if ((unsigned long)p > -4096UL)
		return p;
	if (!k23_policy_view((const void *)p, (unsigned long)st.st_size, &k23_pol.b))
		return -EINVAL;
	k23_pol.complain = k23_pol.b.h->mode == K23_POLICY_COMPLAIN;
	k23_pol.observe = k23_pol.complain || k23_rt.log_fd >= 0;
	if ((r = take_identities()) != 0 || (r = take_dest_scopes()) != 0)
		return r;
	if ((r = k23_virt_attach(&k23_pol.b)) != 0)
		return r;
	k23_pol_build_map();
	__atomic_store_n(&k23_pol_on, 1, __ATOMIC_RELEASE);
	return 0;
}
