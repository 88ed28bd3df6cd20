/* elf_info.h - a whole ELF object in memory: sections, build-id, .eh_frame function ranges. */
#ifndef K23_ELF_INFO_H
#define K23_ELF_INFO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>	/* off_t, which elf_file.h uses */
#include "elf_file.h"

/* A whole file mapped, its headers checked by k23_elf_read. */
struct k23_elf_obj {
	struct k23_elf e;
	uint8_t *data;		/* the file, mapped read-only */
	size_t size;
	uint64_t hash;		/* k23_hash64 of the whole file */
	struct stat st;		/* the file as it was hashed */
};

/* Opens path, checks its headers, hashes it and maps it whole. On
 * K23_ELF_IO errno says why; other errors are described by
 * k23_elf_strerror(err, &o->e). */
enum k23_elf_err k23_elf_load(const char *path, struct k23_elf_obj *o);
/* The same from an open descriptor (not closed). */
enum k23_elf_err k23_elf_load_fd(int fd, struct k23_elf_obj *o);
void k23_elf_unload(struct k23_elf_obj *o);

/* The file bytes behind link-time address vaddr: a pointer and, in *avail,
 * how many bytes follow inside the same PT_LOAD's file part; NULL if vaddr
 * is not backed by file bytes. */
const uint8_t *k23_elf_at(const struct k23_elf_obj *o, uint64_t vaddr, uint64_t *avail);

/* The section named name: 1 found (copied to *sh, its file range checked
 * unless SHT_NOBITS), 0 no such section or no section headers, -1 the section
 * headers are malformed (*why). */
int k23_elf_section(const struct k23_elf_obj *o, const char *name, Elf64_Shdr *sh, const char **why);

/* The NT_GNU_BUILD_ID descriptor from the PT_NOTE segments: its length
 * (copied to out), 0 if there is none or it is longer than max, -1 if the
 * notes are malformed. */
int k23_elf_build_id(const struct k23_elf_obj *o, uint8_t *out, size_t max);
/* The same read from fd, whose headers k23_elf_read filled into e. */
int k23_elf_build_id_fd(int fd, const struct k23_elf *e, uint8_t *out, size_t max);

/* A function's extent from an .eh_frame FDE, [start, end) link-time. */
struct k23_elf_range {
	uint64_t start, end;
};

/* Function ranges of every FDE in .eh_frame (found through PT_GNU_EH_FRAME,
 * else the .eh_frame section) that lies inside an executable segment; sorted
 * by start, exact duplicates removed (hostile files may still overlap).
 * With pads non-NULL, also the landing pads of the FDEs' LSDAs (the code
 * the unwinder enters), sorted and unique. Arrays are malloc'd (NULL when
 * empty). Returns 0 (no .eh_frame: nothing found) or -1 with *why if the
 * frame data is malformed; nothing is returned then. (eh_frame.c) */
int k23_elf_func_ranges(const struct k23_elf_obj *o, struct k23_elf_range **out, size_t *n,
			uint64_t **pads, size_t *npads, const char **why);

/* Addresses in executable segments the object itself names as code: the
 * entry point, DT_INIT/DT_FINI and the init/fini arrays, function symbols
 * (.symtab, .dynsym), and the targets of relative, IRELATIVE and absolute
 * relocations (RELA and RELR). Sorted, unique, malloc'd into *out. Returns
 * 0, or -1 with *why when the dynamic data is malformed (the symbols and
 * entry found so far are still returned). */
int k23_elf_code_anchors(const struct k23_elf_obj *o, uint64_t **out, size_t *n, const char **why);

#endif
