/* shared_code.c - runs code from a shared file mapping, the way a JIT cache or a program that maintains its own code file does.
 *
 *   shared_code elf SRC DST M [FLAGS]   copy the ELF object SRC (libpatch_dl.so) to DST,
 *                                       map DST whole and call its patch_dl_run(M)
 *   shared_code jit DST M [FLAGS]       write a small function (mov $__NR_getpgrp,%eax;
 *                                       syscall, M times) to DST, map it and call it
 *   shared_code memfd M [FLAGS]         the same function in a memfd
 * FLAGS (default "rw,shared"): the descriptor's mode, "rw" or "ro"; the
 * mapping's type, "shared", "validate" (MAP_SHARED_VALIDATE) or "private";
 * and ",fork": a child process runs the code first, then the parent (the
 * child shares a shared mapping's pages, not the parent's private memory).
 *
 * The mapping is PROT_READ|PROT_EXEC. Prints how many calls returned the
 * right value, then whether the file still holds exactly the bytes written
 * to it ("file unchanged" or "file CHANGED at offset N"), and exits 0 only
 * if all calls were right and the file is unchanged.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	char *b;

	if (fd < 0 || fstat(fd, &st) != 0 || !(b = malloc(st.st_size)) ||
	    read(fd, b, st.st_size) != st.st_size) {
		perror(path);
		exit(2);
	}
	close(fd);
	*len = st.st_size;
	return b;
}

/* File offset of the dynamic symbol name in the ELF image b. */
static long sym_offset(const char *b, const char *name)
{
	const Elf64_Ehdr *eh = (const void *)b;
	const Elf64_Shdr *sh = (const void *)(b + eh->e_shoff);
	const Elf64_Phdr *ph = (const void *)(b + eh->e_phoff);

	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_DYNSYM)
			continue;
		const Elf64_Sym *s = (const void *)(b + sh[i].sh_offset);
		const char *str = b + sh[sh[i].sh_link].sh_offset;

		for (size_t k = 0; k < sh[i].sh_size / sizeof(*s); k++) {
			if (strcmp(str + s[k].st_name, name))
				continue;
			for (int j = 0; j < eh->e_phnum; j++)
				if (ph[j].p_type == PT_LOAD && s[k].st_value >= ph[j].p_vaddr &&
				    s[k].st_value < ph[j].p_vaddr + ph[j].p_filesz)
					return (long)(s[k].st_value - ph[j].p_vaddr + ph[j].p_offset);
		}
	}
	fprintf(stderr, "%s not found\n", name);
	exit(2);
}

/* long f(long m, long want): m times getpgrp, counting results equal to want. */
static const unsigned char jit_code[] = {
	0x31, 0xd2,			/*    xor %edx,%edx          right = 0 */
	0x48, 0x85, 0xff,		/*    test %rdi,%rdi */
	0x74, 0x14,			/*    je done */
	0xfc,				/* 1: cld (a byte lazy patching accepts before the mov) */
	0xb8, 0x6f, 0x00, 0x00, 0x00,	/*    mov $__NR_getpgrp,%eax (within one aligned 16 bytes) */
	0x0f, 0x05,			/*    syscall */
	0x48, 0x39, 0xf0,		/*    cmp %rsi,%rax */
	0x75, 0x03,			/*    jne 2f */
	0x48, 0xff, 0xc2,		/*    inc %rdx */
	0x48, 0xff, 0xcf,		/* 2: dec %rdi */
	0x75, 0xec,			/*    jne 1b */
	0x48, 0x89, 0xd0,		/* done: mov %rdx,%rax */
	0xc3,				/*    ret */
};

static void write_all(int fd, const void *b, size_t n)
{
	if (pwrite(fd, b, n, 0) != (ssize_t)n) {
		perror("write");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "", *flags = "rw,shared", *dst = 0;
	char *want_bytes;
	size_t len;
	long m, off = 0, calls;
	int fd, ai;

	if (!strcmp(mode, "elf") && argc >= 5) {
		want_bytes = slurp(argv[2], &len);
		off = sym_offset(want_bytes, "patch_dl_run");
		dst = argv[3], ai = 4;
	} else if (!strcmp(mode, "jit") && argc >= 4) {
		want_bytes = (char *)jit_code, len = sizeof(jit_code);
		dst = argv[2], ai = 3;
	} else if (!strcmp(mode, "memfd") && argc >= 3) {
		want_bytes = (char *)jit_code, len = sizeof(jit_code);
		ai = 2;
	} else {
		fprintf(stderr, "usage: shared_code elf SRC DST M [FLAGS] | jit DST M [FLAGS] | memfd M [FLAGS]\n");
		return 2;
	}
	m = atol(argv[ai]);
	if (argc > ai + 1)
		flags = argv[ai + 1];
	calls = !strcmp(mode, "elf") ? 2 * m : m;

	fd = dst ? open(dst, O_RDWR | O_CREAT | O_TRUNC, 0700) : memfd_create("shared_code", 0);
	if (fd < 0) {
		perror(dst ? dst : "memfd_create");
		return 2;
	}
	write_all(fd, want_bytes, len);
	if (dst && !strncmp(flags, "ro", 2)) {
		close(fd);
		fd = open(dst, O_RDONLY);
	}
	int type = strstr(flags, "private") ? MAP_PRIVATE :
		   strstr(flags, "validate") ? MAP_SHARED_VALIDATE : MAP_SHARED;
	char *code = mmap(0, len, PROT_READ | PROT_EXEC, type, fd, 0);

	if (code == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	long (*f)(long, long) = (long (*)(long, long))(code + off);
	long right;

	if (strstr(flags, "fork")) {
		int st;
		pid_t pid = fork();

		if (pid == 0)
			_exit(f(m, getpgrp()) == calls ? 0 : 1);
		if (pid < 0 || waitpid(pid, &st, 0) != pid) {
			perror("fork");
			return 2;
		}
		printf("child: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "all calls right" :
					WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : "calls wrong");
		fflush(stdout);
	}
	right = f(m, getpgrp());

	printf("%ld of %ld calls right\n", right, calls);
	munmap(code, len);

	char *now = malloc(len + 1);
	long n = pread(fd, now, len + 1, 0);
	long diff = n == (long)len ? -1 : n;

	for (size_t i = 0; diff < 0 && i < len; i++)
		if (now[i] != want_bytes[i])
			diff = (long)i;
	if (diff < 0)
		printf("file unchanged\n");
	else
		printf("file CHANGED at offset %ld\n", diff);
	return right == calls && diff < 0 ? 0 : 1;
}
