/* mklauncher.c - build/k23 out of build/k23-core: the pages holding the launcher, as a program of their own.
 *
 *   mklauncher CORE OUT
 *
 * The launcher (loader/arch/x86_64/launcher.c) is part of the core's text,
 * between the symbols k23_launcher_start and k23_launcher_end. OUT is an
 * ELF executable with one PT_LOAD: the text pages holding that range, at
 * the addresses they have in the core, and a bss up to the core's end, so
 * that the kernel places the heap where it would for the core; its entry is
 * k23_launcher_start. Fails (exit 1, one line) if the range is not in the
 * core's executable segment or another k23_launcher_ symbol lies outside it.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PAGE 4096UL

static unsigned char *core;
static size_t core_len;

static void die(const char *what)
{
	fprintf(stderr, "mklauncher: %s\n", what);
	exit(1);
}

static const void *at(size_t off, size_t len)
{
	if (off > core_len || len > core_len - off)
		die("the core is truncated");
	return core + off;
}

static void read_core(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET))
		die(strerror(errno));
	core_len = (size_t)n;
	core = malloc(core_len);
	if (!core || fread(core, 1, core_len, f) != core_len)
		die("cannot read the core");
	fclose(f);
}

int main(int argc, char **argv)
{
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph, *text = NULL;
	const Elf64_Shdr *sh;
	unsigned long start = 0, end = 0, lo, hi, core_end = 0;
	Elf64_Ehdr oh;
	Elf64_Phdr op[2];
	FILE *out;

	if (argc != 3)
		die("usage: mklauncher CORE OUT");
	read_core(argv[1]);
	eh = at(0, sizeof(*eh));
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_type != ET_EXEC || eh->e_phentsize != sizeof(*ph) || eh->e_shentsize != sizeof(*sh))
		die("the core is not a 64-bit ELF executable");
	ph = at(eh->e_phoff, eh->e_phnum * sizeof(*ph));
	sh = at(eh->e_shoff, eh->e_shnum * sizeof(*sh));

	/* Both ends, then every other k23_launcher_ symbol between them. */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < eh->e_shnum; i++) {
			const Elf64_Sym *sym;
			const char *names;

			if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
				continue;
			sym = at(sh[i].sh_offset, sh[i].sh_size);
			names = at(sh[sh[i].sh_link].sh_offset, sh[sh[i].sh_link].sh_size);
			for (size_t k = 0; k < sh[i].sh_size / sizeof(*sym); k++) {
				const char *name;

				if (sym[k].st_name >= sh[sh[i].sh_link].sh_size)
					die("bad symbol name");
				name = names + sym[k].st_name;
				if (strncmp(name, "k23_launcher_", 13))
					continue;
				if (!pass && !strcmp(name, "k23_launcher_start"))
					start = sym[k].st_value;
				else if (!pass && !strcmp(name, "k23_launcher_end"))
					end = sym[k].st_value + 1;
				else if (pass && (sym[k].st_value < start ||
						  sym[k].st_value + sym[k].st_size > end)) {
					fprintf(stderr, "mklauncher: %s lies outside the launcher\n", name);
					return 1;
				}
			}
		}
	if (!start || end <= start)
		die("no k23_launcher_start/k23_launcher_end in the core");
	lo = start & ~(PAGE - 1);
	hi = (end + PAGE - 1) & ~(PAGE - 1);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if ((ph[i].p_flags & PF_X) && ph[i].p_vaddr <= lo && hi <= ph[i].p_vaddr + ph[i].p_filesz)
			text = &ph[i];
		if (ph[i].p_vaddr + ph[i].p_memsz > core_end)
			core_end = ph[i].p_vaddr + ph[i].p_memsz;
	}
	if (!text)
		die("the launcher's pages are not in the core's executable segment");
	core_end = (core_end + PAGE - 1) & ~(PAGE - 1);

	memset(&oh, 0, sizeof(oh));
	memcpy(oh.e_ident, eh->e_ident, EI_NIDENT);
	oh.e_type = ET_EXEC;
	oh.e_machine = eh->e_machine;
	oh.e_version = EV_CURRENT;
	oh.e_entry = start;
	oh.e_phoff = sizeof(oh);
	oh.e_ehsize = sizeof(oh);
	oh.e_phentsize = sizeof(op[0]);
	oh.e_phnum = 2;
	memset(op, 0, sizeof(op));
	op[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = PAGE, .p_vaddr = lo,
			      .p_paddr = lo, .p_filesz = hi - lo, .p_memsz = core_end - lo, .p_align = PAGE };
	op[1] = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W, .p_align = 16 };

	out = fopen(argv[2], "wb");
	if (!out || fwrite(&oh, sizeof(oh), 1, out) != 1 || fwrite(op, sizeof(op), 1, out) != 1 ||
	    fseek(out, (long)PAGE, SEEK_SET) ||
	    fwrite(at(text->p_offset + (lo - text->p_vaddr), hi - lo), hi - lo, 1, out) != 1 ||
	    fclose(out) || chmod(argv[2], 0755))
		die(strerror(errno));
	return 0;
}
