/* elf_file.h - reading and validating the headers of ELF64 x86-64 files, hostile input included. */
#ifndef K23_ELF_H
#define K23_ELF_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#define K23_ELF_MAX_PHNUM 256	/* real programs have < 20; more is hostile */
#define K23_ELF_HEAD 2048	/* the file's first bytes, read at once (below) */

enum k23_elf_err {
	K23_ELF_OK = 0,
	K23_ELF_IO,		/* read failed: errno is set */
	K23_ELF_NOT_ELF,	/* no ELF magic */
	K23_ELF_WRONG_ARCH,	/* 32-bit, big-endian or not x86-64 */
	K23_ELF_WRONG_TYPE,	/* not an executable or shared object */
	K23_ELF_CORRUPT,	/* truncated or inconsistent headers */
};

/* The ELF header, the program headers, PT_INTERP and the build-id note
 * of an ordinary object all lie in its first K23_ELF_HEAD bytes: they are
 * read with one pread and kept in head, so the loader and k23 run's checks
 * find each of them there instead of reading the file again. */
struct k23_elf {
	Elf64_Ehdr eh;
	unsigned phnum;
	off_t size;		/* file size */
	const char *why;	/* detail of the last error, a static string */
	struct stat st;		/* the file when its headers were read */
	size_t head_len;	/* bytes of head read (fewer for a short file) */
	unsigned char head[K23_ELF_HEAD];
	/* Last, so that the pages a small object's headers use are the
	 * first few (the struct is 16 KiB, most of it never touched). */
	Elf64_Phdr ph[K23_ELF_MAX_PHNUM];
};

/* Reads and checks the ELF header and program headers of fd: every PT_LOAD
 * must lie inside the file, be page-congruent and not overlap another. */
enum k23_elf_err k23_elf_read(int fd, struct k23_elf *e);
/* The same when e->head already holds the file's first n bytes (n < 0:
 * the read failed, errno says why). */
enum k23_elf_err k23_elf_read_head(int fd, struct k23_elf *e, ssize_t n);
/* n bytes of the file at off into buf, from head when they lie there: 0,
 * or -1 when the file is shorter or the read fails. */
int k23_elf_pread(int fd, const struct k23_elf *e, void *buf, size_t n, uint64_t off);

/* Reads PT_INTERP into buf (NUL-terminated); 0 if there is none, 1 if
 * found, -1 if it is malformed. */
int k23_elf_interp(int fd, const struct k23_elf *e, char *buf, size_t size);

/* A one-line description of an error, for messages. */
const char *k23_elf_strerror(enum k23_elf_err err, const struct k23_elf *e);

#endif
