/* rpath.c - which tree a call's (dirfd, path) names: a remote one (which, and the path inside it) or the local one.
 *
 * An absolute path is made normal lexically ("//", "." dropped, ".." taken
 * component by component, as vmap.c does for maps) and compared with each
 * remote tree's path: "/mnt/data/../etc" is local, as natively. A relative
 * path is remote when its dirfd is a remote descriptor (the proxy resolves
 * it from that directory); from AT_FDCWD it is taken from the working
 * directory: a local one leaves it to the kernel, a remote one (rcwd.c)
 * makes it absolute first - and when that names a local file, the caller
 * hands the kernel that absolute name, for the kernel's own working
 * directory is not the program's then. A name that cannot be read is left
 * to the kernel, which answers with its EFAULT or ENAMETOOLONG.
 */
#include "online/core/rtlib.h"
#include "common/rt/path_part.h"
#include "online/virtual/vmem.h"
#include "online/remote/rremote.h"

extern const struct k23_policy_view *k23_rr_blob;

/* s (absolute) made normal into out (size K23_VIRT_PATH_MAX): its length. */
size_t k23_rr_normal(const char *s, char *out)
{
	size_t o = 0, n;
	const char *c;

	while ((c = k23_path_next(&s, &n))) {
		if (n == 1 && c[0] == '.')
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			while (o && out[o - 1] != '/')
				o--;
			if (o)
				o--;
			continue;
		}
		out[o++] = '/';
		k23_memcpy(out + o, c, n);
		o += n;
	}
	out[o] = 0;
	return o;
}

int k23_rr_where(long dirfd, unsigned long upath, char *out, uint32_t *mount, uint64_t *handle)
{
	char path[K23_VIRT_PATH_MAX];
	struct k23_rfd f;
	size_t len;
	int local = 0;

	if (k23_vmem_copy_name(path, upath, sizeof(path)))
		return 0;
	if (path[0] != '/' && (int)dirfd == -100) {	/* AT_FDCWD, an int */
		if (!k23_rr_cwd_join(path, out))
			return 0;
		k23_memcpy(path, out, k23_strlen(out) + 1);
		local = k23_rr_cwd.on ? 2 : 0;
	} else if (path[0] != '/') {
		if (!k23_rr_fd(dirfd, &f))
			return 0;
		k23_memcpy(out, path, k23_strlen(path) + 1);
		*mount = f.mount;
		*handle = f.handle;
		return 1;
	}
	len = k23_rr_normal(path, out);
	for (uint32_t i = 0; i < k23_rr_blob->h->n_remote; i++) {
		const char *p = k23_rr_blob->strings + k23_rr_blob->remote[i].path_off;
		size_t n = k23_strlen(p);

		if (len < n || !k23_memeq(out, p, n) || (out[n] && out[n] != '/'))
			continue;
		/* The path inside the tree, without its leading '/'. */
		n += out[n] == '/';
		k23_memcpy(out, out + n, len - n + 1);
		*mount = i;
		*handle = 0;
		return 1;
	}
	return local;
}
