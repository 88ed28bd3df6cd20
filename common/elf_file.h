/* elf_file.h - reading and validating the headers of ELF64 x86-64 files, hostile input included. */
#ifndef K23_ELF_H
#define K23_ELF_H

#include <elf.h>
#include <stddef.h>
#include <sys/types.h>

#define K23_ELF_MAX_PHNUM 256	/* real programs have < 20; more is hostile */

enum k23_elf_err {
	K23_ELF_OK = 0,
	K23_ELF_IO,		/* read failed: errno is set */
	K23_ELF_NOT_ELF,	/* no ELF magic */
	K23_ELF_WRONG_ARCH,	/* 32-bit, big-endian or not x86-64 */
	K23_ELF_WRONG_TYPE,	/* not an executable or shared object */
	K23_ELF_CORRUPT,	/* truncated or inconsistent headers */
};

struct k23_elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[K23_ELF_MAX_PHNUM];
	unsigned phnum;
	off_t size;		/* file size */
	const char *why;	/* detail of the last error, a static string */
};

/* Reads and checks the ELF header and program headers of fd: every PT_LOAD
 * must lie inside the file, be page-congruent and not overlap another. */
enum k23_elf_err k23_elf_read(int fd, struct k23_elf *e);

/* Reads PT_INTERP into buf (NUL-terminated); 0 if there is none, 1 if
 * found, -1 if it is malformed. */
int k23_elf_interp(int fd, const struct k23_elf *e, char *buf, size_t size);

/* A one-line description of an error, for messages. */
const char *k23_elf_strerror(enum k23_elf_err err, const struct k23_elf *e);

#endif
