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
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/arch/x86_64/kabi.h"
#include "online/tools/tools.h"
#include "online/patch/procmaps.h"

#define SEEN_SLOTS 4096

/* Mapped on the first record (32 KiB only `--tool record` needs). */
static void *seen;

/* 1 if addr was not seen before (and is now). A full set (or none, if the
 * mapping is refused) records again. */
static int first_sight(unsigned long addr)
{
	unsigned long *set = k23_map_lazy(&seen, SEEN_SLOTS * sizeof(*set), 1);

	return !set || k23_set_add(set, SEEN_SLOTS, addr) != 0;
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

/* Names the object mapped at addr: its path into path (or "?"), and
 * returns addr's offset in that file. */
static unsigned long locate(unsigned long addr, char *path, size_t size)
{
	struct k23_mapping m;
	size_t len;

	path[0] = '?', path[1] = 0;
	if (k23_mapping_of(addr, &m) || !m.path[0])
		return addr;
	len = k23_strlen(m.path);
	if (len >= size)
		len = size - 1;
	k23_memcpy(path, m.path, len);
	path[len] = 0;
	return m.path[0] == '/' ? m.offset + (addr - m.start) : addr - m.start;
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
	k23_rt_output(line, n);
}

const struct k23_tool k23_tool_record = { "record", record };
