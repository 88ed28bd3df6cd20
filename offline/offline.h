/* offline.h - the k23-prepare subcommands and what they share. */
#ifndef K23_OFFLINE_H
#define K23_OFFLINE_H

#include <stddef.h>
#include "elf_info.h"
#include "sidecar.h"

/* argv[0] is the subcommand name; the return value is the exit status. */
int k23_prepare_main(int argc, char **argv);
int k23_sites_main(int argc, char **argv);
int k23_cache_main(int argc, char **argv);	/* cache_cli.c */

/* The identity of a loaded object (size, content hash, build-id). */
void k23_object_ident(const struct k23_elf_obj *o, struct k23_sidecar_ident *id);

/* dir/<sidecar name of id> into buf; 0 or -1 (too long). */
int k23_sidecar_path(const char *dir, const struct k23_sidecar_ident *id, char *buf, size_t size);

/* Turns an ELF loading error into a message and an exit status: 126 for a
 * file that is not a usable x86-64 ELF, 1 for I/O errors. */
int k23_elf_load_error(const char *path, enum k23_elf_err err, const struct k23_elf_obj *o);

/* For `k23 prepare --record`: merges sites observed executing in the object
 * at path (link-time addresses) into its sidecar in cache, which must exist
 * and be current. *unknown: observed sites the static scan had not found,
 * to be reported loudly. Returns 0, or an exit status after a message. */
int k23_prepare_record_merge(const char *cache, const char *path, const struct k23_observed *obs,
			     size_t n, size_t *unknown);

/* `k23 prepare --record -- PROG ARGS`: runs PROG once under `k23 run
 * --tool record` (k23 beside k23-prepare) and merges every site it executed
 * into the sidecars in cache (under policy, if not NULL). Returns 0, or an exit status after a message. */
int k23_prepare_record(const char *cache, char **argv, const char *policy);

/* prepare_libs.c: `k23 prepare --policy FILE`: if the policy's libraries:
 * name prog, cfg resolves its closure with the bundle's files in place of
 * the system's. Returns 0, or an exit status after a message. */
struct k23_ld_config;
int k23_prepare_libs(const char *file, const char *prog, struct k23_ld_config *cfg);

#endif
