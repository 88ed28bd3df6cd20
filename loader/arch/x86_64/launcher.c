/* launcher.c (x86-64) - build/k23: map k23's core from k23-core beside it and enter the core.
 *
 * This code is linked into k23-core like the rest of its text, and
 * scripts/mklauncher.c makes the file build/k23 out of the pages that hold
 * it: one PT_LOAD with those pages at the very addresses they have in the
 * core, and a bss reaching to the core's end (so that the kernel places the
 * heap above the core, as for k23-core itself). Run as a program, it
 *
 *   1. finds k23-core: a descriptor passed by the previous image of the
 *      program (online/process/reexec.c: AT_EXECFN "/dev/fd/N", the hand-over
 *      record at N-1, k23-core at N+1), else the file "k23-core" in the
 *      directory of the launcher's own file (/proc/self/exe);
 *   2. checks that the core holds these very pages at these addresses, so
 *      that step 3 maps the same bytes under the code running it;
 *   3. maps every PT_LOAD of the core at its address, over itself and its
 *      bss; no mapping of the executed file is left afterwards;
 *   4. points AT_PHDR, AT_PHNUM and AT_ENTRY at the core's and AT_BASE at
 *      the descriptor (loader/launcher.h), and jumps to the core's entry
 *      with the stack as the kernel made it.
 *
 * Everything here, constants and the entry included, lives in the section
 * .text.k23launch, between k23_launcher_start and k23_launcher_end (this
 * file is compiled with -fno-toplevel-reorder, and the Makefile checks that
 * launcher.o has nothing elsewhere and refers to nothing outside it):
 * nothing else of the core is mapped while it runs. Its system calls come from the core's
 * text range, so an inherited seccomp filter (online/catchall/seccomp_filter.c)
 * lets them through as the core's own. On failure: one line, exit 127.
 */
#include <stddef.h>
#include <elf.h>
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include <linux/mman.h>
#include <linux/auxvec.h>
#include "loader/launcher.h"

#define L __attribute__((section(".text.k23launch")))
#define INL static inline __attribute__((always_inline))
#define PAGE 4096UL
#define MAX_PHNUM 16
#define K23_STR2(x) #x
#define K23_STR(x) K23_STR2(x)
#define K23_LAUNCH_STACK_PREFAULT 24576

/* At process start %rsp points at argc; k23_launcher_main maps the core and
 * returns its entry, which gets the stack exactly as the kernel left it
 * (%rdx = 0: no rtld_fini, as for any static program). String literals would
 * land in .rodata, not mapped while the launcher runs: the constants are here. */
__asm__(".pushsection .text.k23launch, \"ax\", @progbits\n"
	".globl k23_launcher_start\n"
	".type k23_launcher_start, @function\n"
	"k23_launcher_start:\n"
	"	movq %rsp, %rbx\n"
	/* madvise(MADV_POPULATE_WRITE) of the pages below the stack's
	 * current one: the launcher's frame and the core's loader use about
	 * 20 KiB there, and a page populated in one call costs a tenth of a
	 * page fault on a paravirtualized MMU (docs/benchmarks.md). Before
	 * any store to them. Under a tiny RLIMIT_STACK the range may reach
	 * below the stack's mapping: the call fails and the pages fault in
	 * as before. */
	"	leaq -" K23_STR(K23_LAUNCH_STACK_PREFAULT) "(%rsp), %rdi\n"
	"	andq $-4096, %rdi\n"
	"	movq %rsp, %rsi\n"
	"	andq $-4096, %rsi\n"
	"	subq %rdi, %rsi\n"
	"	movl $23, %edx\n" /* MADV_POPULATE_WRITE */
	"	movl $" K23_STR(__NR_madvise) ", %eax\n"
	"	syscall\n"
	"	movq %rbx, %rdi\n"
	"	andq $-16, %rsp\n"
	"	call k23_launcher_main\n"
	"	movq %rbx, %rsp\n"
	"	xorl %edx, %edx\n"
	"	xorl %ebx, %ebx\n"
	"	jmp *%rax\n"
	".size k23_launcher_start, . - k23_launcher_start\n"
	"k23_launcher_exe: .asciz \"/proc/self/exe\"\n"
	"k23_launcher_core: .asciz \"" K23_CORE_NAME "\"\n"
	"k23_launcher_fdpath: .asciz \"/dev/fd/\"\n"
	"k23_launcher_handover: .ascii \"K23EXEC1\\n\"\n" /* K23_HANDOVER_MAGIC (reexec.h) */
	"k23_launcher_elfmag: .ascii \"\\177ELF\"\n"
	"k23_launcher_msg_find: .asciz \"k23: cannot open " K23_CORE_NAME
	" in the directory of k23's own file\\n\"\n"
	"k23_launcher_msg_nofd: .asciz \"k23: cannot open " K23_CORE_NAME
	": no file descriptor free (RLIMIT_NOFILE)\\n\"\n"
	"k23_launcher_msg_bad: .asciz \"k23: " K23_CORE_NAME
	" beside k23 is not the core this k23 was built with\\n\"\n"
	"k23_launcher_msg_map: .asciz \"k23: cannot map " K23_CORE_NAME " at its fixed address\\n\"\n"
	".popsection");

extern const char k23_launcher_start[], k23_launcher_end[];
extern const char k23_launcher_exe[], k23_launcher_core[], k23_launcher_fdpath[];
extern const char k23_launcher_handover[], k23_launcher_elfmag[];
extern const char k23_launcher_msg_find[], k23_launcher_msg_nofd[], k23_launcher_msg_bad[];
extern const char k23_launcher_msg_map[];

INL long sys(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "0"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return r;
}

INL __attribute__((noreturn)) void fail(const char *msg)
{
	size_t n = 0;

	while (msg[n])
		n++;
	sys(__NR_write, 2, (long)msg, (long)n, 0, 0, 0);
	for (;;)
		sys(__NR_exit_group, 127, 0, 0, 0, 0, 0);
}

INL int same(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* The descriptor of k23-core handed over by the previous image, or -1. */
INL long passed_core(const char *execfn)
{
	char magic[9];
	long n = 0;

	if (!execfn || !same(execfn, k23_launcher_fdpath, 8))
		return -1;
	for (execfn += 8; *execfn >= '0' && *execfn <= '9' && n < (1L << 30); execfn++)
		n = n * 10 + (*execfn - '0');
	if (*execfn || n < 1 ||
	    sys(__NR_pread64, n - 1, (long)magic, sizeof(magic), 0, 0, 0) != (long)sizeof(magic) ||
	    !same(magic, k23_launcher_handover, sizeof(magic)) ||
	    sys(__NR_fcntl, n + 1, F_GETFD, 0, 0, 0, 0) < 0)
		return -1;
	return n + 1;
}

/* k23-core in the directory of the launcher's own file (the kernel's exe
 * link: the real file, whatever symlink or relative name started it), whose
 * path is left in self. */
INL long core_beside(char *self, char *path, size_t size)
{
	long n = sys(__NR_readlink, (long)k23_launcher_exe, (long)self, (long)size, 0, 0, 0), fd;
	size_t dir;

	if (n <= 0 || (size_t)n >= size)
		return -1;
	self[n] = 0;
	for (dir = (size_t)n; dir > 0 && self[dir - 1] != '/'; dir--)
		;
	if (!dir || dir + sizeof(K23_CORE_NAME) > size)
		return -1;
	for (size_t i = 0; i < dir; i++)
		path[i] = self[i];
	for (size_t i = 0; i < sizeof(K23_CORE_NAME); i++)
		path[dir + i] = k23_launcher_core[i];
	fd = sys(__NR_open, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0, 0);
	if (fd == -EMFILE) {
		/* The table is full up to its soft limit (a program may start k23
		 * so): the core's own start makes room (online/guard/fdguard.c). */
		unsigned long lim[2], raised[2];

		if (sys(__NR_prlimit64, 0, 7 /* RLIMIT_NOFILE */, 0, (long)lim, 0, 0) == 0 &&
		    lim[0] < lim[1]) {
			raised[0] = lim[0] + 1, raised[1] = lim[1];
			sys(__NR_prlimit64, 0, 7, (long)raised, 0, 0, 0);
			fd = sys(__NR_open, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0, 0);
			sys(__NR_prlimit64, 0, 7, (long)lim, 0, 0, 0);
		}
	}
	return fd;
}

INL int prot_of(unsigned f)
{
	return (f & PF_R ? PROT_READ : 0) | (f & PF_W ? PROT_WRITE : 0) | (f & PF_X ? PROT_EXEC : 0);
}

/* Every PT_LOAD at its address (ET_EXEC: the file's own addresses), each
 * populated in its mmap. The core writes to some 20 pages of its data and
 * bss scattered over 150 KiB before the program starts, and its start
 * touches every 64 KiB stretch of its text and rodata (a fault maps 16
 * page-cache pages around the one it hit). On a paravirtualized MMU a page
 * fault costs ~12 us and a page populated in one call ~0.3 us (file) or
 * ~0.9 us (anonymous): 120 file pages populated cost ~35 us against ten
 * faults, ~120 us (docs/benchmarks.md). A segment with no file bytes is
 * the core's cold bss (common/cold.h, loader/k23-core.ld): mapped, from
 * the end of the one before (the gap the linker needs to start a segment
 * is the kernel's bss of the launcher, executable: replaced too), and
 * left to fault in. */
INL void map_core(long fd, const Elf64_Phdr *ph, unsigned n)
{
	unsigned long prev_end = 0;

	for (unsigned i = 0; i < n; i++) {
		unsigned long start = ph[i].p_vaddr & ~(PAGE - 1);
		unsigned long file_end = ph[i].p_vaddr + ph[i].p_filesz;
		unsigned long mem_end = (ph[i].p_vaddr + ph[i].p_memsz + PAGE - 1) & ~(PAGE - 1);
		unsigned long file_pages = (file_end + PAGE - 1) & ~(PAGE - 1);
		int prot = prot_of(ph[i].p_flags);
		long populate = MAP_POPULATE;

		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_filesz &&
		    sys(__NR_mmap, (long)start, (long)(file_pages - start), prot,
			MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd,
			(long)(ph[i].p_offset & ~(PAGE - 1))) != (long)start)
			fail(k23_launcher_msg_map);
		/* The rest of the last file page belongs to the bss. */
		if (ph[i].p_memsz > ph[i].p_filesz && file_pages > file_end) {
			if (!(prot & PROT_WRITE))
				fail(k23_launcher_msg_bad);
			for (char *z = (char *)file_end; z < (char *)file_pages; z++)
				*z = 0;
		}
		if (!ph[i].p_filesz) {
			populate = 0;
			if (prev_end && prev_end < file_pages)
				file_pages = prev_end;
		}
		if (mem_end > file_pages &&
		    sys(__NR_mmap, (long)file_pages, (long)(mem_end - file_pages), prot,
			MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | populate, -1, 0) != (long)file_pages)
			fail(k23_launcher_msg_map);
		prev_end = mem_end;
	}
}

/* Called from launcher_entry.S with the process's initial stack; returns
 * the core's entry address. */
L __attribute__((used)) unsigned long k23_launcher_main(unsigned long *sp)
{
	char self[sizeof(k23_launched_self)], path[sizeof(self)], page[PAGE];
	union {
		Elf64_Ehdr eh;
		char b[sizeof(Elf64_Ehdr) + MAX_PHNUM * sizeof(Elf64_Phdr)];
	} u;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(u.b + sizeof(Elf64_Ehdr));
	unsigned long *auxv = sp + 1 + sp[0] + 1, phdr = 0;
	const char *execfn = NULL;
	unsigned long lo = (unsigned long)k23_launcher_start & ~(PAGE - 1);
	unsigned long hi = ((unsigned long)k23_launcher_end + PAGE - 1) & ~(PAGE - 1);
	long fd;
	unsigned i;

	while (*auxv)
		auxv++;
	auxv++;
	for (unsigned long *a = auxv; a[0] != AT_NULL; a += 2)
		if (a[0] == AT_EXECFN)
			execfn = (const char *)a[1];
	fd = passed_core(execfn);
	if (fd < 0)
		fd = core_beside(self, path, sizeof(path));
	else
		self[0] = 0;
	if (fd < 0)
		fail(fd == -EMFILE ? k23_launcher_msg_nofd : k23_launcher_msg_find);
	if (sys(__NR_pread64, fd, (long)u.b, sizeof(u.b), 0, 0, 0) < (long)sizeof(Elf64_Ehdr) ||
	    !same((const char *)u.eh.e_ident, k23_launcher_elfmag, SELFMAG) || u.eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    u.eh.e_machine != EM_X86_64 || u.eh.e_type != ET_EXEC || u.eh.e_phoff != sizeof(Elf64_Ehdr) ||
	    u.eh.e_phentsize != sizeof(Elf64_Phdr) || !u.eh.e_phnum || u.eh.e_phnum > MAX_PHNUM)
		fail(k23_launcher_msg_bad);
	/* The core must hold the launcher's pages at the launcher's addresses:
	 * mapping its text replaces the pages this code runs on. */
	for (i = 0; i < u.eh.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) && ph[i].p_vaddr <= lo &&
		    hi <= ph[i].p_vaddr + ph[i].p_filesz)
			break;
	if (i == u.eh.e_phnum)
		fail(k23_launcher_msg_bad);
	for (unsigned long at = lo; at < hi; at += PAGE)
		if (sys(__NR_pread64, fd, (long)page, PAGE, (long)(ph[i].p_offset + (at - ph[i].p_vaddr)),
			0, 0) != (long)PAGE ||
		    !same(page, (const char *)at, PAGE))
			fail(k23_launcher_msg_bad);
	for (i = 0; i < u.eh.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0 && ph[i].p_filesz)
			phdr = ph[i].p_vaddr + u.eh.e_phoff;
	if (!phdr)
		fail(k23_launcher_msg_bad);
	map_core(fd, ph, u.eh.e_phnum);
	/* Into the core's bss, mapped now: the core need not ask the kernel again. */
	for (size_t k = 0; k < sizeof(self) && (k23_launched_self[k] = self[k]); k++)
		;
	for (unsigned long *a = auxv; a[0] != AT_NULL; a += 2) {
		if (a[0] == AT_PHDR)
			a[1] = phdr;
		else if (a[0] == AT_PHNUM)
			a[1] = u.eh.e_phnum;
		else if (a[0] == AT_ENTRY)
			a[1] = u.eh.e_entry;
		else if (a[0] == AT_BASE)
			a[1] = K23_LAUNCH_TAG | (unsigned long)fd;
	}
	return u.eh.e_entry;
}

/* The launcher's own path, for the core (loader/launcher.h); in the core's
 * bss, written only once the launcher has mapped it. */
char k23_launched_self[4096] __attribute__((section(".bss.k23launched")));

/* The end of what mklauncher cuts. */
__asm__(".pushsection .text.k23launch, \"ax\", @progbits\n"
	".globl k23_launcher_end\n"
	"k23_launcher_end: int3\n"
	".popsection");
