/* vhost.c - identity: hostname: in uname's nodename, and the names readlink shows for synthesized files.
 *
 * uname is made, then its nodename field (65 bytes after sysname) is
 * overwritten with the policy's name, NUL-padded as the kernel fills it.
 * A synthesized file's descriptor is a memfd named k23-synth:N; readlink
 * of /proc/self/fd/N (any /proc link to it) shows the path the policy
 * gives instead of "/memfd:k23-synth:N (deleted)".
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include "online/core/rtlib.h"
#include "online/policy/pol_files.h"
#include "online/virtual/vfile.h"

#define UTS_LEN 65

int k23_vhost_take(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	(void)c, (void)r;
	k23_virt_take(vc);
	return 0;
}

void k23_vhost_uname(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	const struct k23_policy_hdr *h = k23_vfile_blob->h;
	char node[UTS_LEN];
	size_t n;

	(void)vc, (void)r;
	if (c->ret != 0 || h->hostname_off == K23_POLICY_NO_HOSTNAME)
		return;
	n = k23_strlen(k23_vfile_blob->strings + h->hostname_off);
	if (n >= UTS_LEN)
		return; /* the parser keeps it to 64 */
	k23_memset(node, 0, sizeof(node));
	k23_memcpy(node, k23_vfile_blob->strings + h->hostname_off, n);
	k23_copy_to((char *)c->args[0] + UTS_LEN, node, sizeof(node));
}

static const char prefix[] = "/memfd:" K23_VFILE_MEMFD;
static const char deleted[] = " (deleted)";

/* The synthesized file a memfd's link names, or -1. */
static long which(const char *s, long n)
{
	long p = sizeof(prefix) - 1, d = sizeof(deleted) - 1, i = 0;

	if (n <= p + d || !k23_memeq(s, prefix, (size_t)p) || !k23_memeq(s + n - d, deleted, (size_t)d))
		return -1;
	for (long k = p; k < n - d; k++) {
		if (s[k] < '0' || s[k] > '9' || i > 1000000)
			return -1;
		i = i * 10 + (s[k] - '0');
	}
	return i < (long)k23_vfile_blob->h->n_synth ? i : -1;
}

void k23_vhost_readlink(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	int at = c->nr == __NR_readlinkat;
	long size = c->args[at + 2], n;
	char got[64], path[K23_POL_PATH_MAX], link[128];
	const char *name;
	long i;

	(void)vc, (void)r;
	if (c->ret < 7 || !k23_vfile_blob->h->n_synth ||
	    k23_copy_from(got, (const void *)c->args[at + 1], 7) || !k23_memeq(got, prefix, 7))
		return;
	/* Again into k23's memory: the program's buffer may have cut it short. */
	if (k23_pol_copy_path(path, (unsigned long)c->args[at]))
		return;
	n = k23_syscall4(__NR_readlinkat, at ? c->args[0] : -100, (long)path, (long)link, sizeof(link));
	if (n <= 0 || (i = which(link, n)) < 0)
		return;
	name = k23_vfile_path((uint32_t)i);
	n = (long)k23_strlen(name);
	if (n > size)
		n = size;
	if (!k23_copy_to((char *)c->args[at + 1], name, (size_t)n))
		c->ret = n;
}
