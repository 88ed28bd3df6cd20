/* procmaps.c - reading /proc/self/maps without libc: one line, "start-end perms offset dev inode path". */
#include <asm/unistd.h>
#include <linux/fcntl.h>
#include "online/core/rtlib.h"
#include "online/patch/procmaps.h"

static const char *next_field(const char *s)
{
	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	return s;
}

/* 1 if line holds addr (and fills *m), else 0. */
static int parse(const char *line, unsigned long addr, struct k23_mapping *m)
{
	const char *p = line, *path;
	size_t len;

	m->start = k23_hex(&p);
	if (*p++ != '-')
		return 0;
	m->end = k23_hex(&p);
	if (addr < m->start || addr >= m->end || *p++ != ' ')
		return 0;
	for (int i = 0; i < 4; i++)
		m->perms[i] = *p ? *p++ : '-';
	m->perms[4] = 0;
	p = next_field(p);
	m->offset = k23_hex(&p);
	path = next_field(next_field(next_field(p))); /* dev, inode */
	len = k23_strlen(path);
	if (len >= sizeof(m->path))
		len = sizeof(m->path) - 1;
	k23_memcpy(m->path, path, len);
	m->path[len] = 0;
	return 1;
}

int k23_mapping_of(unsigned long addr, struct k23_mapping *m)
{
	char buf[4096], line[512];
	size_t ln = 0;
	long fd = k23_syscall4(__NR_openat, AT_FDCWD, (long)"/proc/self/maps", O_RDONLY | O_CLOEXEC, 0);
	long n;
	int found = 0;

	if (fd < 0)
		return -1;
	while (!found && (n = k23_syscall3(__NR_read, fd, (long)buf, sizeof(buf))) > 0) {
		for (long i = 0; i < n && !found; i++) {
			if (buf[i] != '\n') {
				if (ln < sizeof(line) - 1)
					line[ln++] = buf[i];
				continue;
			}
			line[ln] = 0;
			ln = 0;
			found = parse(line, addr, m);
		}
	}
	k23_syscall1(__NR_close, fd);
	return found ? 0 : -1;
}
