/* tool_record.c - the record tool: each system-call site the program executes, once, as "object offset".
 *
 * `k23 prepare --record` runs a program under this tool and checks every
 * site it reports against the static list of the offline pass. A site is
 * the address of the syscall instruction (the trapped rip minus its two
 * bytes), named by the file mapped there and the offset in that file, so the
 * record does not depend on where the object was loaded. Each process keeps
 * the sites it has already written in a small lock-free set, so a site costs
 * one lookup in /proc/self/maps the first time and nothing after.
 *
 * Output lines: "site PATH FILE-OFFSET" (hex offset), or "site [vdso] ..." /
 * "site ? ADDRESS" for code not backed by a file.
 */
#include <asm/unistd.h>
#include <linux/fcntl.h>
#include "rt.h"
#include "rtlib.h"
#include "arch/x86_64/kabi.h"
#include "tools.h"

#define SEEN_SLOTS 4096

static unsigned long seen[SEEN_SLOTS];

/* 1 if addr was not seen before (and is now). A full set records again. */
static int first_sight(unsigned long addr)
{
	for (unsigned i = 0; i < SEEN_SLOTS; i++) {
		unsigned long *s = &seen[(addr / 2 + i) % SEEN_SLOTS];
		unsigned long cur = __atomic_load_n(s, __ATOMIC_ACQUIRE);

		if (cur == addr)
			return 0;
		if (cur == 0) {
			if (__atomic_compare_exchange_n(s, &cur, addr, 0, __ATOMIC_ACQ_REL,
							__ATOMIC_ACQUIRE))
				return 1;
			if (cur == addr)
				return 0;
		}
	}
	return 1;
}

static size_t put_hex(char *buf, unsigned long v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	size_t n = 0, i;

	do {
		tmp[n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	buf[0] = '0', buf[1] = 'x';
	for (i = 0; i < n; i++)
		buf[2 + i] = tmp[n - 1 - i];
	return n + 2;
}

/* Finds addr's line in /proc/self/maps: "start-end perms offset dev inode path".
 * Writes the path into path (or "?") and returns the file offset of addr. */
static unsigned long locate(unsigned long addr, char *path, size_t size)
{
	char buf[4096], line[512];
	size_t ln = 0;
	long fd = k23_syscall3(__NR_open, (long)"/proc/self/maps", O_RDONLY | O_CLOEXEC, 0), n;

	path[0] = '?', path[1] = 0;
	if (fd < 0)
		return addr;
	while ((n = k23_syscall3(__NR_read, fd, (long)buf, sizeof(buf))) > 0) {
		for (long i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (ln < sizeof(line) - 1)
					line[ln++] = buf[i];
				continue;
			}
			line[ln] = 0;
			ln = 0;
			const char *p = line;
			unsigned long start = k23_hex(&p), end, off;

			p++;
			end = k23_hex(&p);
			if (addr < start || addr >= end)
				continue;
			p++;			/* the space after end */
			while (*p && *p != ' ')	/* perms */
				p++;
			p++;
			off = k23_hex(&p);
			for (int field = 0; field < 2 && *p; field++) { /* dev, inode */
				p++;
				while (*p && *p != ' ')
					p++;
			}
			while (*p == ' ')
				p++;
			if (*p) {
				size_t len = k23_strlen(p);

				if (len >= size)
					len = size - 1;
				k23_memcpy(path, p, len);
				path[len] = 0;
				k23_syscall1(__NR_close, fd);
				return *p == '/' ? off + (addr - start) : addr - start;
			}
			k23_syscall1(__NR_close, fd);
			return addr;
		}
	}
	k23_syscall1(__NR_close, fd);
	return addr;
}

static void record(const struct k23_call *c)
{
	const struct k23_ucontext *uc = c->uc;
	char path[400], line[512];
	unsigned long site, off;
	size_t n = 0, len;

	if (!uc || k23_rt.out_fd < 0)
		return; /* only trapped calls have a site */
	site = uc->uc_mcontext.rip - 2;
	if (!first_sight(site))
		return;
	off = locate(site, path, sizeof(path));
	k23_memcpy(line, "site ", 5);
	n = 5;
	len = k23_strlen(path);
	k23_memcpy(line + n, path, len);
	n += len;
	line[n++] = ' ';
	n += put_hex(line + n, off);
	line[n++] = '\n';
	k23_write_all(k23_rt.out_fd, line, n);
}

const struct k23_tool k23_tool_record = { "record", record };
