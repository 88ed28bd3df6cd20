/* vmap.c - path maps: a name the program uses, rewritten to the tree that serves it, and back.
 *
 * A name is looked at closely only if one of its components is ".." or the
 * last component of some map's path: no other name can enter a mapped
 * tree or leave one (a map of "/" is refused when the policy is read). So
 * a call that names no mapped path costs a scan of its name.
 *
 * Looked at closely, the name is made absolute from where the program
 * stands (the cwd or the dirfd, whose real names are shown back as the
 * program's), made normal ("." and "//" dropped, ".." taken lexically, as
 * if the mapped trees really were at their paths), and its longest mapped
 * prefix replaced by the map's target. A relative name from inside a
 * mapped tree that stays inside is left to the kernel, which resolves it
 * in the real tree as the program would in the named one.
 *
 * All work is done in the caller's buffer (k23's frame): no allocation, no
 * lock, nothing shared but the maps, which are read-only after attach.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include "online/core/rtlib.h"
#include "common/rt/path_part.h"
#include "online/virtual/vmap.h"

#define MAX K23_VIRT_PATH_MAX

struct vmap {
	const char *from, *to, *base;	/* path, target, last component of path */
	unsigned flen, tlen, blen;
	int ro;
};
static struct vmap *maps;
static unsigned nmaps;
static unsigned long first_bits[4];	/* first bytes of the maps' last components */

int k23_vmap_on(void)
{
	return nmaps != 0;
}

long k23_vmap_attach(const struct k23_policy_view *b)
{
	uint32_t n = b->h->n_map;

	if (!n)
		return 0;
	maps = k23_map_anon(n * sizeof(*maps));
	if (!maps)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct vmap *m = &maps[i];

		m->from = b->strings + b->map[i].path_off;
		m->to = b->strings + b->map[i].to_off;
		m->flen = (unsigned)k23_strlen(m->from);
		m->tlen = (unsigned)k23_strlen(m->to);
		if (m->flen < 2 || m->from[0] != '/' || m->tlen < 1 || m->to[0] != '/')
			return -EINVAL; /* k23-prepare writes only normal absolute names */
		m->base = m->from + m->flen;
		while (m->base[-1] != '/')
			m->base--;
		m->blen = (unsigned)(m->from + m->flen - m->base);
		m->ro = (b->map[i].flags & K23_MAP_READ_ONLY) != 0;
		first_bits[(unsigned char)m->base[0] / 64] |= 1UL << ((unsigned char)m->base[0] % 64);
	}
	nmaps = n;
	return 0;
}

static void move(char *dst, const char *src, size_t n)
{
	if (dst < src)
		for (size_t i = 0; i < n; i++)
			dst[i] = src[i];
	else
		for (size_t i = n; i-- > 0;)
			dst[i] = src[i];
}

/* 1 if some component is ".." or a map's last component. */
static int worth_a_look(const char *p)
{
	const char *c;
	size_t n;

	while ((c = k23_path_next(&p, &n))) {
		if (n == 2 && c[0] == '.' && c[1] == '.')
			return 1;
		if (!(first_bits[(unsigned char)c[0] / 64] & (1UL << ((unsigned char)c[0] % 64))))
			continue;
		for (unsigned i = 0; i < nmaps; i++)
			if (maps[i].blen == n && k23_memeq(maps[i].base, c, n))
				return 1;
	}
	return 0;
}

static int inside(const char *p, size_t len, const char *tree, size_t n)
{
	return len >= n && k23_memeq(p, tree, n) && (len == n || p[n] == '/');
}

/* The map whose path is the longest prefix of p[0..len), or -1. */
static int longest(const char *p, size_t len)
{
	int best = -1;

	for (unsigned i = 0; i < nmaps; i++)
		if (inside(p, len, maps[i].from, maps[i].flen) &&
		    (best < 0 || maps[i].flen > maps[best].flen))
			best = (int)i;
	return best;
}

/* Replaces buf's first cut bytes (len in all) by with (wlen): 0, or -1 if
 * the result would not fit in size bytes with its NUL. */
static int splice(char *buf, size_t len, size_t cut, const char *with, size_t wlen, size_t size)
{
	if (len - cut + wlen + 1 > size)
		return -1;
	move(buf + wlen, buf + cut, len - cut + 1);
	k23_memcpy(buf, with, wlen);
	return 0;
}

static long reverse_in(char *buf, size_t size)
{
	size_t len = k23_strlen(buf);
	int best = -1;

	for (unsigned i = 0; i < nmaps; i++)
		if (inside(buf, len, maps[i].to, maps[i].tlen) &&
		    (best < 0 || maps[i].tlen > maps[best].tlen))
			best = (int)i;
	if (best < 0 || splice(buf, len, maps[best].tlen, maps[best].from, maps[best].flen, size))
		return -1;
	return (long)(len - maps[best].tlen + maps[best].flen);
}

int k23_vmap_in_ro(const char *real)
{
	size_t len = k23_strlen(real);
	int best = -1;

	for (unsigned i = 0; i < nmaps; i++)
		if (inside(real, len, maps[i].to, maps[i].tlen) &&
		    (best < 0 || maps[i].tlen > maps[best].tlen))
			best = (int)i;
	return best >= 0 && maps[best].ro;
}

long k23_vmap_reverse(char *buf)
{
	return reverse_in(buf, MAX);
}

/* Where a relative name starts: the real name of the cwd or of dirfd,
 * into buf (size bytes): its length, or -1 when it has none (a deleted
 * directory, a descriptor that is no directory: the kernel decides). */
static long base_of(long dirfd, char *buf, size_t size)
{
	long n;

	if (dirfd == AT_FDCWD) {
		n = k23_syscall2(__NR_getcwd, (long)buf, (long)size);
		if (n <= 1 || buf[0] != '/')
			return -1;
		return n - 1;
	} else {
		char link[40] = "/proc/self/fd/";

		k23_utoa((unsigned long)dirfd, link + 14);
		n = k23_syscall3(__NR_readlink, (long)link, (long)buf, (long)size - 1);
		if (n <= 0 || buf[0] != '/')
			return -1;
		buf[n] = 0;
		return n;
	}
}

/* Makes buf normal in place; *touched: some prefix on the way was a
 * mapped path (then ".." may have left a map). Returns the length. */
static size_t normal(char *buf, int *touched)
{
	size_t i = 0, o = 0, len = k23_strlen(buf);
	int slash = len > 1 && buf[len - 1] == '/';

	while (i < len) {
		size_t c, n;

		while (i < len && buf[i] == '/')
			i++;
		c = i;
		while (i < len && buf[i] != '/')
			i++;
		n = i - c;
		if (!n || (n == 1 && buf[c] == '.'))
			continue;
		if (n == 2 && buf[c] == '.' && buf[c + 1] == '.') {
			while (o > 0 && buf[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		buf[o++] = '/';
		move(buf + o, buf + c, n);
		o += n;
		if (!*touched && longest(buf, o) >= 0)
			*touched = 1;
	}
	if (!o)
		buf[o++] = '/';
	else if (slash)
		buf[o++] = '/';
	buf[o] = 0;
	return o;
}

int k23_vmap_resolve(long dirfd, char *buf, int *ro)
{
	size_t len = k23_strlen(buf);
	int from_map = 0, touched = 0, m;

	*ro = 0;
	if (!len || !nmaps || !worth_a_look(buf))
		return VMAP_SAME;
	if (buf[0] != '/') {
		char *tail = buf + MAX - len - 1;
		long b, r;

		if (len + 3 > MAX)
			return VMAP_SAME;
		move(tail, buf, len + 1);
		b = base_of(dirfd, buf, MAX - len - 2);
		if (b < 0) {
			move(buf, tail, len + 1);
			return VMAP_SAME;
		}
		if ((r = reverse_in(buf, MAX - len - 2)) >= 0) {
			from_map = 1;
			b = r;
		}
		buf[b] = '/';
		move(buf + b + 1, tail, len + 1);
	}
	len = normal(buf, &touched);
	m = longest(buf, len);
	if (m >= 0) {
		*ro = maps[m].ro;
		if (splice(buf, len, maps[m].flen, maps[m].to, maps[m].tlen, MAX))
			return -ENAMETOOLONG;
		return VMAP_MAPPED;
	}
	/* Outside every map now: the normal name is the real one; it is
	 * needed only if the program's name passed through a map. */
	return from_map || touched ? VMAP_MAPPED : VMAP_SAME;
}

/* out = the real name of the virtual name v[0..len) (its longest mapped
 * prefix replaced): 1 if some map served it, 0 if not, -1 if too long. */
static int map_into(const char *v, size_t len, char *out)
{
	int m = longest(v, len);

	k23_memcpy(out, v, len);
	out[len] = 0;
	if (m < 0)
		return 0;
	return splice(out, len, maps[m].flen, maps[m].to, maps[m].tlen, MAX) ? -1 : 1;
}

long k23_vmap_walk(long dirfd, const char *name, int nofollow, char *out)
{
	char *todo = k23_map_anon(3 * MAX), *real, *text;
	size_t tlen = k23_strlen(name), i = 0, clen = 0;
	int trailing = tlen > 1 && name[tlen - 1] == '/', links = 0, hit = 0;
	long r = 0;

	if (!todo)
		return -ENOMEM;
	real = todo + MAX;
	text = real + MAX;
	k23_memcpy(todo, name, tlen + 1);
	if (name[0] != '/') {
		long b = base_of(dirfd, out, MAX), rv;

		if (b < 0) {
			r = -ENOENT;
			goto done;
		}
		if ((rv = reverse_in(out, MAX)) >= 0) {
			b = rv;
			hit = 1;
		}
		clen = (size_t)b;
		if (clen == 1)
			clen = 0; /* "/" */
	}
	out[clen] = 0;
	for (;;) {
		size_t c, n, j;
		long t;

		while (i < tlen && todo[i] == '/')
			i++;
		if (i >= tlen)
			break;
		c = i;
		while (i < tlen && todo[i] != '/')
			i++;
		n = i - c;
		if (n == 1 && todo[c] == '.')
			continue;
		if (n == 2 && todo[c] == '.' && todo[c + 1] == '.') {
			while (clen > 0 && out[clen - 1] != '/')
				clen--;
			if (clen > 0)
				clen--;
			out[clen] = 0;
			continue;
		}
		if (clen + 1 + n >= MAX) {
			r = -ENAMETOOLONG;
			goto done;
		}
		out[clen] = '/';
		k23_memcpy(out + clen + 1, todo + c, n);
		out[clen + 1 + n] = 0;
		for (j = i; j < tlen && todo[j] == '/'; j++)
			;
		if (j < tlen || !nofollow || trailing) {
			int mp = map_into(out, clen + 1 + n, real);

			if (mp < 0) {
				r = -ENAMETOOLONG;
				goto done;
			}
			hit |= mp;
			t = k23_syscall3(__NR_readlink, (long)real, (long)text, MAX - 1);
			if (t > 0) {
				size_t rest = tlen - i;

				if (++links > 40) {
					r = -ELOOP;
					goto done;
				}
				if ((size_t)t + 1 + rest >= MAX) {
					r = -ENAMETOOLONG;
					goto done;
				}
				move(todo + t + 1, todo + i, rest + 1);
				k23_memcpy(todo, text, (size_t)t);
				todo[t] = '/';
				tlen = (size_t)t + 1 + rest;
				i = 0;
				if (text[0] == '/')
					clen = 0;
				out[clen] = 0;
				continue;
			}
		}
		clen += 1 + n;
	}
	if (!clen)
		out[clen++] = '/';
	else if (trailing)
		out[clen++] = '/';
	out[clen] = 0;
	k23_memcpy(real, out, clen + 1);
	if ((r = map_into(real, clen, out)) < 0)
		r = -ENAMETOOLONG;
	else
		r = hit || r ? 1 : 0;
done:
	k23_unmap(todo, 3 * MAX);
	return r;
}
