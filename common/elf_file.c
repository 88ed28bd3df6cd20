/* elf_file.c - ELF64 header and program header validation.
 *
 * Everything is read with pread into fixed-size buffers and checked before use:
 * counts are bounded, offsets and sizes are checked for overflow and against
 * the file size, so a truncated or hostile file yields an error, never a crash.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "elf_file.h"

#define PAGE 4096UL

static enum k23_elf_err fail(struct k23_elf *e, enum k23_elf_err err, const char *why)
{
	e->why = why;
	return err;
}

static int range_ok(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static enum k23_elf_err check_ident(struct k23_elf *e)
{
	const unsigned char *id = e->eh.e_ident;

	if (memcmp(id, ELFMAG, SELFMAG) != 0)
		return fail(e, K23_ELF_NOT_ELF, "not an ELF file");
	if (id[EI_CLASS] == ELFCLASS32)
		return fail(e, K23_ELF_WRONG_ARCH, "32-bit ELF; k23 runs x86-64 programs only");
	if (id[EI_CLASS] != ELFCLASS64 || id[EI_DATA] != ELFDATA2LSB)
		return fail(e, K23_ELF_WRONG_ARCH, "not a little-endian ELF64 file");
	if (e->eh.e_machine != EM_X86_64)
		return fail(e, K23_ELF_WRONG_ARCH, "ELF for another machine; k23 runs x86-64 programs only");
	if (e->eh.e_type != ET_EXEC && e->eh.e_type != ET_DYN)
		return fail(e, K23_ELF_WRONG_TYPE, "ELF file is neither an executable nor a shared object");
	return K23_ELF_OK;
}

static enum k23_elf_err check_loads(struct k23_elf *e)
{
	uint64_t prev_end = 0;
	int loads = 0;

	for (unsigned i = 0; i < e->phnum; i++) {
		const Elf64_Phdr *p = &e->ph[i];

		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_filesz > p->p_memsz || p->p_memsz > (1UL << 40))
			return fail(e, K23_ELF_CORRUPT, "segment sizes are inconsistent");
		if (!range_ok(p->p_offset, p->p_filesz, (uint64_t)e->size))
			return fail(e, K23_ELF_CORRUPT, "segment lies beyond the end of the file (truncated?)");
		if ((p->p_offset % PAGE) != (p->p_vaddr % PAGE))
			return fail(e, K23_ELF_CORRUPT, "segment offset and address are not page-congruent");
		if (p->p_vaddr + p->p_memsz < p->p_vaddr || p->p_vaddr + p->p_memsz > (1UL << 47))
			return fail(e, K23_ELF_CORRUPT, "segment address out of range");
		if (loads && p->p_vaddr < prev_end)
			return fail(e, K23_ELF_CORRUPT, "segments overlap or are out of order");
		prev_end = p->p_vaddr + p->p_memsz;
		loads++;
	}
	if (!loads)
		return fail(e, K23_ELF_CORRUPT, "no loadable segment");
	return K23_ELF_OK;
}

int k23_elf_pread(int fd, const struct k23_elf *e, void *buf, size_t n, uint64_t off)
{
	if (off <= e->head_len && n <= e->head_len - off) {
		memcpy(buf, e->head + off, n);
		return 0;
	}
	return pread(fd, buf, n, (off_t)off) == (ssize_t)n ? 0 : -1;
}

enum k23_elf_err k23_elf_read(int fd, struct k23_elf *e)
{
	return k23_elf_read_head(fd, e, pread(fd, e->head, sizeof(e->head), 0));
}

enum k23_elf_err k23_elf_read_head(int fd, struct k23_elf *e, ssize_t n)
{
	size_t phsize;
	enum k23_elf_err err;

	e->why = "";
	e->head_len = 0;
	if (n < 0)
		return fail(e, K23_ELF_IO, "cannot read");
	e->head_len = (size_t)n;
	if (fstat(fd, &e->st) != 0)
		return fail(e, K23_ELF_IO, "cannot stat");
	e->size = e->st.st_size;
	if (n < SELFMAG || memcmp(e->head, ELFMAG, SELFMAG) != 0)
		return fail(e, K23_ELF_NOT_ELF, "not an ELF file");
	if ((size_t)n < sizeof(e->eh))
		return fail(e, K23_ELF_CORRUPT, "truncated ELF header");
	memcpy(&e->eh, e->head, sizeof(e->eh));
	err = check_ident(e);
	if (err)
		return err;
	if (e->eh.e_phentsize != sizeof(Elf64_Phdr))
		return fail(e, K23_ELF_CORRUPT, "bad program header entry size");
	if (e->eh.e_phnum == 0 || e->eh.e_phnum > K23_ELF_MAX_PHNUM)
		return fail(e, K23_ELF_CORRUPT, "bad program header count");
	e->phnum = e->eh.e_phnum;
	phsize = e->phnum * sizeof(Elf64_Phdr);
	if (!range_ok(e->eh.e_phoff, phsize, (uint64_t)e->size))
		return fail(e, K23_ELF_CORRUPT, "program headers lie beyond the end of the file (truncated?)");
	if (e->eh.e_phoff <= (uint64_t)n && phsize <= (uint64_t)n - e->eh.e_phoff) {
		memcpy(e->ph, e->head + e->eh.e_phoff, phsize);
	} else {
		n = pread(fd, e->ph, phsize, (off_t)e->eh.e_phoff);
		if (n < 0)
			return fail(e, K23_ELF_IO, "cannot read");
		if ((size_t)n != phsize)
			return fail(e, K23_ELF_CORRUPT, "truncated program headers");
	}
	return check_loads(e);
}

int k23_elf_interp(int fd, const struct k23_elf *e, char *buf, size_t size)
{
	for (unsigned i = 0; i < e->phnum; i++) {
		const Elf64_Phdr *p = &e->ph[i];

		if (p->p_type != PT_INTERP)
			continue;
		if (p->p_filesz < 2 || p->p_filesz > size ||
		    !range_ok(p->p_offset, p->p_filesz, (uint64_t)e->size))
			return -1;
		if (k23_elf_pread(fd, e, buf, p->p_filesz, p->p_offset) != 0)
			return -1;
		if (buf[p->p_filesz - 1] != 0 || strlen(buf) != p->p_filesz - 1)
			return -1;
		return 1;
	}
	return 0;
}

const char *k23_elf_strerror(enum k23_elf_err err, const struct k23_elf *e)
{
	if (err == K23_ELF_IO)
		return strerror(errno);
	return e->why && e->why[0] ? e->why : "bad ELF file";
}
