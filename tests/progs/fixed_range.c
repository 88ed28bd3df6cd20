/* fixed_range.c - maps, unmaps, protects and advises the range at 0x23000000 (free natively, where k23's image sits under k23).
 *
 *   fixed_range [ADDR]      ADDR defaults to 0x23000000
 *
 * Each step prints "NAME: RESULT", RESULT being "ok" or the errno's name
 * (for the hint: "at hint" or "elsewhere"), and goes on whatever happened;
 * memory the program got is written and read back. The last line,
 * "alive", shows the process survived every step. A page the program maps
 * just below ADDR tells whether munmap and mprotect acted on the part of
 * a range outside the occupied one. Exits 0.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define K 65536UL

static const char *res(long r)
{
	static char b[32];

	if (r != -1)
		return "ok";
	snprintf(b, sizeof(b), "%s", strerrorname_np(errno) ? strerrorname_np(errno) : "?");
	return b;
}

static void *map(unsigned long a, unsigned long len, int flags)
{
	return mmap((void *)a, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
}

/* The page at a is mapped (mincore succeeds only on mapped pages). */
static int mapped(unsigned long a)
{
	unsigned char v;

	return mincore((void *)a, 4096, &v) == 0;
}

/* The permissions ("r--p") /proc/self/maps shows for the page at a, or "none". */
static const char *perms(unsigned long a)
{
	static char pr[8];
	unsigned long lo, hi;
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	strcpy(pr, "none");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, pr) == 3 && a >= lo && a < hi)
			break;
		else
			strcpy(pr, "none");
	if (f)
		fclose(f);
	return pr;
}

/* Where the program's brk heap starts ([heap] in /proc/self/maps), or 0. */
static unsigned long heap_start(void)
{
	unsigned long lo = 0, hi;
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[heap]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			break;
	if (f)
		fclose(f);
	return lo;
}

static void use(void *p, unsigned long len)
{
	memset(p, 0x5a, len);
	if (((volatile char *)p)[len - 1] != 0x5a)
		abort();
}

int main(int argc, char **argv)
{
	unsigned long a = argc > 1 ? strtoul(argv[1], 0, 0) : 0x23000000UL, below = a - K;
	unsigned long top = a + (16UL << 20), heap = heap_start();
	void *p;

	/* The large ranges below reach up to 16 MiB past a, which natively
	 * holds nothing of the program's. Under k23 the kernel put the brk
	 * heap after k23's image (docs/differences.md), possibly inside that:
	 * the ranges stop below it rather than unmap the program's own heap. */
	if (heap > a && heap < top)
		top = heap;

	setvbuf(stdout, 0, _IOLBF, 0);
	p = map(a, K, 0);
	printf("hint: %s\n", p == MAP_FAILED ? res(-1) : p == (void *)a ? "at hint" : "elsewhere");
	if (p != MAP_FAILED) {
		use(p, K);
		munmap(p, K);
	}
	p = map(a, K, MAP_FIXED_NOREPLACE);
	printf("fixed_noreplace: %s\n", res(p == MAP_FAILED ? -1 : 0));
	if (p != MAP_FAILED && p != (void *)a)
		munmap(p, K); /* a kernel before 4.17 took it as a hint */
	p = map(a, K, MAP_FIXED);
	printf("fixed: %s\n", res(p == MAP_FAILED ? -1 : 0));
	if (p != MAP_FAILED)
		use(p, K);
	printf("mprotect: %s\n", res(mprotect((void *)a, K, PROT_READ)));
	printf("madvise_dontneed: %s\n", res(madvise((void *)a, K, MADV_DONTNEED)));
	printf("munmap: %s\n", res(munmap((void *)a, K)));

	/* A range that starts in the program's own page below a. */
	p = map(below, K, MAP_FIXED_NOREPLACE);
	printf("below: %s\n", res(p == (void *)below ? 0 : -1));
	printf("mprotect_across: %s\n", res(mprotect((void *)below, 2 * K, PROT_READ)));
	printf("below_perms: %s\n", perms(below));
	printf("madvise_across: %s\n", res(madvise((void *)below, 2 * K, MADV_DONTNEED)));
	printf("munmap_across: %s\n", res(munmap((void *)below, top - below)));
	printf("below_unmapped: %s\n", mapped(below) ? "no" : "ok");

	/* mremap from and onto the range. */
	printf("mremap_from: %s\n", res(mremap((void *)a, 4096, 8192, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0));
	p = map(0, K, 0);
	if (p != MAP_FAILED) {
		use(p, K);
		void *q = mremap(p, K, K, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)a);

		printf("mremap_onto: %s\n", res(q == MAP_FAILED ? -1 : 0));
		if (q != MAP_FAILED)
			use(q, K);
		munmap(q == MAP_FAILED ? p : q, K);
	}

	/* A large fixed mapping over the whole neighbourhood, and its unmapping. */
	p = mmap((void *)(a - (16UL << 20)), top - (a - (16UL << 20)), PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("fixed_large: %s\n", res(p == MAP_FAILED ? -1 : 0));
	printf("munmap_large: %s\n", res(munmap((void *)(a - (16UL << 20)), top - (a - (16UL << 20)))));

	printf("getpid: %s\n", getpid() > 0 ? "ok" : "no");
	printf("alive\n");
	return 0;
}
