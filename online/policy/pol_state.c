/* pol_state.c - each image attaches the compiled policy: the sealed memfd mapped read-only, checked, and the deny rules' identities taken.
 *
 * The memfd is sealed against writes and guarded like the tool output
 * (online/guard/fdguard.c): the program cannot name it, so it cannot
 * change the rules this layer reads. The blob is checked again here,
 * as in policy/apply/apply.c: nothing is used before its sizes are.
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

struct k23_pol k23_pol;
int k23_pol_on;

int k23_pol_inside(const char *path, const char *tree)
{
	size_t n = k23_strlen(tree);

	if (n == 1 && tree[0] == '/')
		return 1;
	return !k23_strncmp(path, tree, n) && (path[n] == '/' || !path[n]);
}

static long check_sizes(const struct k23_policy_hdr *h, size_t len)
{
	size_t need;

	if (len < sizeof(*h) || h->magic != K23_POLICY_MAGIC || h->version != K23_POLICY_VERSION ||
	    h->n_bpf > K23_POLICY_MAX_BPF || h->n_fs > K23_POLICY_MAX_RULES ||
	    h->n_net > K23_POLICY_MAX_RULES || h->strings_size > K23_POLICY_MAX_STRINGS ||
	    h->n_call > K23_POLICY_MAX_RULES || h->n_deny > K23_POLICY_MAX_RULES ||
	    h->n_dest > K23_POLICY_MAX_RULES)
		return -EINVAL;
	need = sizeof(*h) + (size_t)h->n_bpf * sizeof(struct sock_filter) +
	       (size_t)h->n_fs * sizeof(struct k23_policy_fs) +
	       (size_t)h->n_net * sizeof(struct k23_policy_net) + h->strings_size +
	       (size_t)h->n_call * sizeof(struct k23_policy_call) +
	       (size_t)h->n_deny * sizeof(struct k23_policy_deny) +
	       (size_t)h->n_dest * sizeof(struct k23_policy_dest);
	return need == len ? 0 : -EINVAL;
}

static int offsets_ok(void)
{
	const struct k23_policy_hdr *h = k23_pol.h;

	if (h->strings_size && k23_pol.strings[h->strings_size - 1])
		return 0;
	for (uint32_t i = 0; i < h->n_fs; i++)
		if (k23_pol.fs[i].path_off >= h->strings_size)
			return 0;
	for (uint32_t i = 0; i < h->n_deny; i++)
		if (k23_pol.deny[i].path_off >= h->strings_size ||
		    (k23_pol.deny[i].exe_off != K23_POLICY_EVERY_IMAGE &&
		     k23_pol.deny[i].exe_off >= h->strings_size))
			return 0;
	for (uint32_t i = 0; i < h->n_dest; i++)
		if ((k23_pol.dest[i].kind == K23_DEST_UNIX || k23_pol.dest[i].kind == K23_DEST_ABSTRACT) &&
		    k23_pol.dest[i].name_off >= h->strings_size)
			return 0;
	return 1;
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

/* Whether a rule scoped to exe binds this image: its executable is exe by
 * path (as /proc/self/exe names it) or by (st_dev, st_ino) (a hard link or
 * a bind mount of it). */
static int binds_image(const char *exe)
{
	struct stat st;

	if (k23_rt.exe_path[0] && !k23_strcmp(exe, k23_rt.exe_path))
		return 1;
	return k23_rt.exe_ino && identity(exe, &st) && st.st_dev == k23_rt.exe_dev &&
	       st.st_ino == k23_rt.exe_ino;
}

void k23_policy_bind_image(void)
{
	if (!k23_pol_on || !k23_pol.ids)
		return;
	for (uint32_t i = 0; i < k23_pol.h->n_deny; i++)
		if (k23_pol.deny[i].exe_off != K23_POLICY_EVERY_IMAGE)
			k23_pol.ids[i].other = !binds_image(k23_pol.strings + k23_pol.deny[i].exe_off);
}

/* The deny rules' files as they are when this image starts: a hard link
 * or a bind mount reaches the same (st_dev, st_ino) under another path.
 * A scope's rules bind nothing until k23_policy_bind_image. */
static long take_identities(void)
{
	size_t size = (size_t)k23_pol.h->n_deny * sizeof(*k23_pol.ids);

	if (!size)
		return 0;
	if (!(k23_pol.ids = k23_map_anon(size))) {
		for (uint32_t i = 0; i < k23_pol.h->n_deny; i++)
			if (k23_pol.deny[i].exe_off != K23_POLICY_EVERY_IMAGE)
				return -ENOMEM; /* no place to say which rules bind */
		k23_pol.trees = 1; /* by path alone */
		return 0;
	}
	for (uint32_t i = 0; i < k23_pol.h->n_deny; i++) {
		struct stat st;
		long fd = k23_syscall4(__NR_openat, AT_FDCWD,
				       (long)(k23_pol.strings + k23_pol.deny[i].path_off),
				       O_PATH | O_CLOEXEC, 0);

		/* Until the image's executable is known (k23_policy_bind_image). */
		k23_pol.ids[i].other = k23_pol.deny[i].exe_off != K23_POLICY_EVERY_IMAGE;

		if (fd < 0 || k23_syscall2(__NR_fstat, fd, (long)&st) != 0) {
			k23_pol.trees = 1;
		} else {
			k23_pol.ids[i].dev = st.st_dev;
			k23_pol.ids[i].ino = st.st_ino;
			if ((st.st_mode & S_IFMT) == S_IFDIR)
				k23_pol.trees = 1;
		}
		if (fd >= 0)
			k23_syscall1(__NR_close, fd);
	}
	return 0;
}

long k23_policy_attach(void)
{
	struct stat st;
	const char *b;
	long p, r;

	if (k23_rt.policy_fd < 0)
		return 0;
	r = k23_syscall2(__NR_fstat, k23_rt.policy_fd, (long)&st);
	if (r)
		return r;
	p = k23_syscall6(__NR_mmap, 0, st.st_size, PROT_READ, MAP_SHARED, k23_rt.policy_fd, 0);
	if ((unsigned long)p > -4096UL)
		return p;
	k23_pol.h = (const struct k23_policy_hdr *)p;
	if ((r = check_sizes(k23_pol.h, (size_t)st.st_size)) != 0)
		return r;
	b = (const char *)p + sizeof(*k23_pol.h);
	k23_pol.bpf = b;
	k23_pol.fs = (const void *)(b + k23_pol.h->n_bpf * sizeof(struct sock_filter));
	k23_pol.net = (const void *)(k23_pol.fs + k23_pol.h->n_fs);
	k23_pol.strings = (const char *)(k23_pol.net + k23_pol.h->n_net);
	k23_pol.calls = (const void *)(k23_pol.strings + k23_pol.h->strings_size);
	k23_pol.deny = (const void *)(k23_pol.calls + k23_pol.h->n_call);
	k23_pol.dest = (const void *)(k23_pol.deny + k23_pol.h->n_deny);
	if (!offsets_ok())
		return -EINVAL;
	k23_pol.complain = k23_pol.h->mode == K23_POLICY_COMPLAIN;
	k23_pol.observe = k23_pol.complain || k23_rt.log_fd >= 0;
	if ((r = take_identities()) != 0)
		return r;
	k23_pol_build_map();
	__atomic_store_n(&k23_pol_on, 1, __ATOMIC_RELEASE);
	return 0;
}
