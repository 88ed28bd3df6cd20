/* rtlib.c - freestanding string, number and memory helpers of the runtime. */
#include <asm/unistd.h>
#include <linux/mman.h>
#include <asm/errno.h>
#include "online/core/rtlib.h"
#include "online/core/tarea.h"

void k23_memcpy(void *dst, const void *src, size_t n)
{
	char *d = dst;
	const char *s = src;

	while (n--)
		*d++ = *s++;
}

void k23_memset(void *dst, int c, size_t n)
{
	char *d = dst;

	while (n--)
		*d++ = (char)c;
}

size_t k23_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int k23_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int k23_strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

int k23_set_add(unsigned long *slots, size_t n, unsigned long key)
{
	size_t h = (size_t)((key * 0x9e3779b97f4a7c15UL) >> 32);

	for (size_t i = 0; i < n; i++) {
		unsigned long *s = &slots[(h + i) % n], cur = __atomic_load_n(s, __ATOMIC_ACQUIRE);

		if (cur == key)
			return 0;
		if (cur == 0) {
			if (__atomic_compare_exchange_n(s, &cur, key, 0, __ATOMIC_ACQ_REL,
							__ATOMIC_ACQUIRE))
				return 1;
			if (cur == key)
				return 0;
		}
	}
	return -1;
}

int k23_memeq(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

size_t k23_utoa(unsigned long v, char *buf)
{
	char tmp[21];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = 0;
	return n;
}

long k23_atol(const char *s)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (1L << 48))
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

long k23_write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		long r = k23_syscall3(__NR_write, fd, (long)buf, (long)n);

		if (r == -EINTR)
			continue;
		if (r < 0)
			return r;
		buf += r;
		n -= (size_t)r;
	}
	return 0;
}

void *k23_map_anon(size_t size)
{
	long p = k23_syscall6(__NR_mmap, 0, (long)size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return (unsigned long)p > -4096UL ? NULL : (void *)p;
}

void k23_unmap(void *p, size_t size)
{
	if (p)
		k23_syscall2(__NR_munmap, (long)p, (long)size);
}

void *k23_map_lazy(void **slot, size_t size, int create)
{
	void *t = __atomic_load_n(slot, __ATOMIC_ACQUIRE), *none = 0;

	if (t || !create)
		return t;
	t = k23_map_anon(size);
	if (!t)
		return 0;
	if (!__atomic_compare_exchange_n(slot, &none, t, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		k23_unmap(t, size); /* another thread mapped it first */
		return none;
	}
	return t;
}

/* struct iovec, without libc's header. */
struct k23_iovec {
	void *base;
	size_t len;
};

/* cnt regions (local[i] and remote[i] of the same length) in one call. */
static long vm_copy(long nr, struct k23_iovec *local, struct k23_iovec *remote, int cnt)
{
	size_t n = 0;
	long got;

	for (int i = 0; i < cnt; i++)
		n += local[i].len;
	/* The thread id, not the process id: after the main thread exits, the
	 * process id names a zombie without memory. */
	got = k23_syscall6(nr, k23_tid(), (long)local, cnt, (long)remote, cnt, 0);
	if (got == (long)n)
		return 0;
	if (got == -EPERM || got == -ENOSYS || got == -EACCES)
		return 1; /* not allowed here: the caller copies directly */
	return -EFAULT;
}

long k23_copy_from(void *dst, const void *src, size_t n)
{
	struct k23_iovec l = { dst, n }, r = { (void *)src, n };
	long ret = n ? vm_copy(__NR_process_vm_readv, &l, &r, 1) : 0;

	if (ret == 1) {
		k23_memcpy(dst, src, n);
		ret = 0;
	}
	return ret;
}

long k23_copy_to(void *dst, const void *src, size_t n)
{
	return k23_copy_to2(dst, src, n, 0, 0, 0);
}

long k23_copy_to2(void *dst, const void *src, size_t n, void *dst2, const void *src2, size_t n2)
{
	struct k23_iovec l[2] = { { (void *)src, n }, { (void *)src2, n2 } };
	struct k23_iovec r[2] = { { dst, n }, { dst2, n2 } };
	int first = !n, cnt = 2 - first - !n2;
	long ret = cnt ? vm_copy(__NR_process_vm_writev, l + first, r + first, cnt) : 0;

	if (ret == 1) {
		k23_memcpy(dst, src, n);
		k23_memcpy(dst2, src2, n2);
		ret = 0;
	}
	return ret;
}

void k23_die(const char *what, long err)
{
	char line[256], num[24];
	size_t n = 0, len;
	const char *parts[] = { "k23: runtime: ", what, err ? " (errno " : "", "" };

	for (int i = 0; i < 3; i++) {
		len = k23_strlen(parts[i]);
		if (n + len > sizeof(line) - 32)
			len = sizeof(line) - 32 - n;
		k23_memcpy(line + n, parts[i], len);
		n += len;
	}
	if (err) {
		len = k23_utoa((unsigned long)(err < 0 ? -err : err), num);
		k23_memcpy(line + n, num, len);
		n += len;
		line[n++] = ')';
	}
	line[n++] = '\n';
	k23_write_all(2, line, n);
	for (;;)
		k23_syscall1(__NR_exit_group, 127);
}

unsigned long k23_hex(const char **s)
{
	unsigned long v = 0;

	for (;; (*s)++) {
		char c = **s;

		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (unsigned long)(c - 'a' + 10);
		else
			return v;
	}
}
