/* vmap_views.c - names the kernel reports, shown as the program's: getcwd, /proc's cwd, fd/N and exe links, unix socket names.
 *
 * A cwd or a descriptor inside a mapped tree is really inside its target:
 * the kernel reports the real name, which is shown back with the map's
 * path in its place (k23_vmap_reverse). A unix socket's name is a path
 * too: bind and connect get it rewritten, getsockname and getpeername
 * report it back.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include "online/core/rtlib.h"
#include "online/virtual/vmap.h"
#include "online/virtual/vmap_calls.h"

#define MAX K23_VIRT_PATH_MAX

/* "/proc/" ... "/cwd", ".../exe", or ".../fd/N": a link whose text is the
 * kernel's name of an object (self, thread-self, a pid, a task). */
static int names_object(const char *p)
{
	size_t n = k23_strlen(p);
	const char *f;

	if (k23_strncmp(p, "/proc/", 6))
		return 0;
	if ((n >= 4 && !k23_strcmp(p + n - 4, "/cwd")) || (n >= 4 && !k23_strcmp(p + n - 4, "/exe")))
		return 1;
	for (f = p + 5; *f; f++)
		if (!k23_strncmp(f, "/fd/", 4))
			return 1;
	return 0;
}

void k23_vmap_readlink_after(struct k23_call *c, struct k23_virt_call *vc,
			     const struct k23_virt_row *r)
{
	int at = c->nr == __NR_readlinkat;
	char *text = vc->path[1];
	long n, size = vc->args[at + 2];

	(void)r;
	if (c->ret <= 0 || !names_object(vc->path[0]))
		return;
	/* The whole text again (the program's buffer may have cut it). */
	n = at ? k23_syscall4(__NR_readlinkat, c->args[0], c->args[1], (long)text, MAX - 1)
	       : k23_syscall3(__NR_readlink, c->args[0], (long)text, MAX - 1);
	if (n <= 0)
		return;
	text[n] = 0;
	if ((n = k23_vmap_reverse(text)) < 0)
		return;
	if (n > size)
		n = size; /* readlink cuts, as the kernel does */
	if (k23_copy_to((void *)vc->args[at + 1], text, (size_t)n) == 0)
		c->ret = n;
}

void k23_vmap_getcwd_after(struct k23_call *c, struct k23_virt_call *vc,
			   const struct k23_virt_row *r)
{
	char *buf = vc->path[0];
	long n;

	(void)r;
	if (c->ret <= 0)
		return;
	n = k23_syscall2(__NR_getcwd, (long)buf, MAX);
	if (n <= 1 || buf[0] != '/' || (n = k23_vmap_reverse(buf)) < 0)
		return;
	if ((unsigned long)n + 1 > (unsigned long)vc->args[1]) {
		c->ret = -ERANGE;
		return;
	}
	if (k23_copy_to((void *)vc->args[0], buf, (size_t)n + 1) == 0)
		c->ret = n + 1;
}

#define SUN_OFF 2		/* offsetof(struct sockaddr_un, sun_path) */
#define SUN_LEN 108		/* sizeof(sun_path) */
#define AF_UNIX_ 1

/* bind, connect: a unix socket's path name, rewritten; the address the
 * kernel receives is a copy (the program's is never written). The copy
 * is in the frame's second buffer (the name at its start, the address at
 * its end: the name is resolved in place, and the address written again
 * from it): the first is network identity's (vnet.c), which may hold an
 * inet address's copy for the same call. */
int k23_vmap_sock_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	unsigned char *sa = (unsigned char *)vc->path[1] + MAX - 128;
	char *name = vc->path[1];
	long len = c->args[2], n, res;
	int ro;

	(void)r;
	if (!c->args[1] || len <= SUN_OFF + 1 || len > SUN_OFF + SUN_LEN ||
	    k23_copy_from(sa, (const void *)c->args[1], (size_t)len))
		return 0; /* the kernel's answer, whatever it is */
	if ((sa[0] | sa[1] << 8) != AF_UNIX_ || !sa[SUN_OFF])
		return 0; /* another family, or an abstract name */
	for (n = 0; n < len - SUN_OFF && sa[SUN_OFF + n]; n++)
		name[n] = (char)sa[SUN_OFF + n];
	name[n] = 0;
	res = k23_vmap_resolve(AT_FDCWD, name, &ro);
	if (res < 0) {
		c->ret = res;
		return 1;
	}
	if (res == VMAP_SAME)
		return 0;
	if (ro && c->nr == __NR_bind) {
		c->ret = -EROFS; /* bind creates the socket's file */
		return 1;
	}
	n = (long)k23_strlen(name);
	if (n >= SUN_LEN) {
		c->ret = -ENAMETOOLONG; /* the real name does not fit an address */
		return 1;
	}
	sa[0] = AF_UNIX_;
	sa[1] = 0;
	k23_memcpy(sa + SUN_OFF, name, (size_t)n + 1);
	c->args[1] = (long)sa;
	c->args[2] = SUN_OFF + n + 1;
	return 0;
}

/* getsockname, getpeername: a unix socket's real name shown as the
 * program's, cut to its buffer as the kernel cuts, with the full length. */
void k23_vmap_sockname_after(struct k23_call *c, struct k23_virt_call *vc,
			     const struct k23_virt_row *r)
{
	unsigned char *sa = (unsigned char *)vc->path[1] + MAX - 128;
	char *name = vc->path[1];
	int ulen, rlen;
	long n;

	(void)r;
	if (c->ret != 0 || !vc->args[1] || !vc->args[2] ||
	    k23_copy_from(&ulen, (const void *)vc->args[2], sizeof(ulen)))
		return;
	/* The kernel's full answer again, into k23's copy. */
	rlen = SUN_OFF + SUN_LEN;
	if (k23_syscall3(c->nr, c->args[0], (long)sa, (long)&rlen) != 0 || rlen <= SUN_OFF + 1 ||
	    (sa[0] | sa[1] << 8) != AF_UNIX_ || !sa[SUN_OFF])
		return;
	for (n = 0; n < rlen - SUN_OFF && sa[SUN_OFF + n]; n++)
		name[n] = (char)sa[SUN_OFF + n];
	name[n] = 0;
	if ((n = k23_vmap_reverse(name)) < 0 || n >= SUN_LEN)
		return;
	sa[0] = AF_UNIX_;
	sa[1] = 0;
	k23_memcpy(sa + SUN_OFF, name, (size_t)n + 1);
	rlen = SUN_OFF + (int)n + 1;
	if (k23_copy_to((void *)vc->args[1], sa, (size_t)(rlen < ulen ? rlen : ulen)) == 0)
		k23_copy_to((void *)vc->args[2], &rlen, sizeof(rlen));
}
