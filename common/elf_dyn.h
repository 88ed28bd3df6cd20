/* elf_dyn.h - the dynamic section, ld.so.cache, and a program's dependency closure resolved the way ld.so does. */
#ifndef K23_ELF_DYN_H
#define K23_ELF_DYN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "elf_file.h"

#define K23_DYN_MAX_NEEDED 4096		/* more DT_NEEDED entries is hostile */

/* What ld.so reads from an object's PT_DYNAMIC to find its dependencies.
 * Strings are malloc'd, NULL when absent; DSTs ($ORIGIN...) unexpanded. */
struct k23_dyn {
	char **needed;
	size_t nneeded;
	char *soname, *rpath, *runpath;
	uint64_t flags_1;		/* DT_FLAGS_1 (DF_1_NODEFLIB...) */
};

/* Reads fd's dynamic section (e from k23_elf_read of fd). An object without
 * PT_DYNAMIC (static) yields an empty k23_dyn. Returns 0, or -1 with *why
 * (malformed, or out of memory). */
int k23_dyn_read(int fd, const struct k23_elf *e, struct k23_dyn *d, const char **why);
void k23_dyn_free(struct k23_dyn *d);

/* /etc/ld.so.cache in glibc's "glibc-ld.so.cache1.1" format (alone, or
 * after the old "ld.so-1.7.0" table). */
struct k23_ldcache {
	uint8_t *data;			/* the whole file, NULL if unusable */
	size_t size;
	size_t base;			/* start of the new-format part */
	uint32_t nlibs;
	uint32_t hwcaps_off, hwcaps_n;	/* glibc-hwcaps subdirectory names */
};

/* Loads and validates a cache file. Returns 0, or -1 if it is missing or
 * unusable (the search then goes on without it, as ld.so's does). */
int k23_ldcache_load(const char *path, struct k23_ldcache *c);
void k23_ldcache_free(struct k23_ldcache *c);
/* The path the cache gives for a library name (an x86-64 libc6 entry, the
 * best glibc-hwcaps variant this CPU supports), or NULL. */
const char *k23_ldcache_lookup(const struct k23_ldcache *c, const char *name, int hwcaps_level);
/* The path of entry i (< nlibs) if it is an x86-64 libc6 entry, or NULL. */
const char *k23_ldcache_path(const struct k23_ldcache *c, uint32_t i);

/* Finds PROG as execvp would: a name with '/' is taken as is (any readable
 * regular file, so libraries can be named directly), else the first
 * executable match in $PATH. Returns 0 with the path in out, else a shell
 * exit status (127 not found, 126 found but unusable) with *why. */
int k23_find_program(const char *prog, char *out, size_t size, const char **why);

/* How to search, as ld.so would see it in this environment. */
struct k23_ld_config {
	const char *library_path;	/* LD_LIBRARY_PATH */
	const char *preload;		/* LD_PRELOAD */
	const char *preload_file;	/* /etc/ld.so.preload */
	const char *cache_file;		/* /etc/ld.so.cache */
	int hwcaps_level;		/* x86-64-vN subdirectories searched: N <= this */
	/* Each candidate file ld.so would open: the file opened instead (a
	 * bundle's, under a policy's libraries:), its name in out (PATH_MAX
	 * bytes) and 1; 0 to open the candidate. NULL: none. */
	int (*redirect)(const char *path, char *out, void *arg);
	void *redirect_arg;
};
/* From the environment and this CPU. */
void k23_ld_config_default(struct k23_ld_config *cfg);

/* Every directory in which ld.so opens a library it searches for by name
 * on this system, apart from DT_RPATH, DT_RUNPATH and LD_LIBRARY_PATH: the
 * system directories with their glibc-hwcaps and legacy subdirectories,
 * and the directory of each entry of cache_file (ld.so.cache). fn may see
 * a directory twice. */
void k23_ld_search_dirs(const char *cache_file, void (*fn)(const char *dir, void *arg), void *arg);

/* One object of the closure. */
struct k23_dep {
	char *path;		/* where it was found; NULL if not found */
	char *name;		/* as requested (DT_NEEDED, LD_PRELOAD, PT_INTERP, PROG) */
	int parent;		/* index of the object that first needed it, -1 if none */
	int interp;		/* 1: the program interpreter */
	int preload;		/* 1: from LD_PRELOAD or /etc/ld.so.preload */
	const char *why;	/* not found, or unusable: what is wrong (static) */
	dev_t dev;
	ino_t ino;
	struct k23_dyn dyn;
};

struct k23_closure {
	struct k23_dep *v;
	size_t n, cap;
};

/* Resolves prog (a path), its PT_INTERP, the LD_PRELOAD and ld.so.preload
 * objects and the whole DT_NEEDED closure in ld.so's order, each object
 * once. Objects that cannot be found or are not usable x86-64 ELF are kept
 * with path NULL or why set, so the caller can report them. Returns 0, or -1
 * when prog itself is unusable (c->v[0].why) or memory runs out. */
int k23_closure_resolve(const char *prog, const struct k23_ld_config *cfg, struct k23_closure *c);
void k23_closure_free(struct k23_closure *c);

#endif
