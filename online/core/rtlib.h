/* rtlib.h - the runtime's own tiny libc: strings, numbers, memory, fatal exits.
 *
 * The runtime lives inside someone else's process and must never call that
 * process's libc (locks, TLS, reentrancy) nor k23's own static libc (whose
 * memcpy may use vector registers the program owns). Everything it needs is here.
 */
#ifndef K23_RTLIB_H
#define K23_RTLIB_H

#include <stddef.h>
#include <stdint.h>
#include "arch/x86_64/syscall.h"

/* Forbid the libc names in runtime code so a slip fails to compile, not to link. */
#define malloc k23_forbidden_malloc
#define free k23_forbidden_free
#define printf k23_forbidden_printf
#define snprintf k23_forbidden_snprintf
#define memcpy k23_forbidden_memcpy
#define memset k23_forbidden_memset
#define strlen k23_forbidden_strlen
#define errno k23_forbidden_errno

void k23_memcpy(void *dst, const void *src, size_t n);
void k23_memset(void *dst, int c, size_t n);
size_t k23_strlen(const char *s);
int k23_strcmp(const char *a, const char *b);
int k23_strncmp(const char *a, const char *b, size_t n);
/* Adds key (not 0) to a lock-free set of n slots shared by threads and
 * signal handlers: 1 if it was absent, 0 if already there, -1 if full. */
int k23_set_add(unsigned long *slots, size_t n, unsigned long key);
/* 1 if the n bytes at a and b are equal. */
int k23_memeq(const void *a, const void *b, size_t n);
/* Decimal of v into buf (at least 21 bytes); returns the length. */
size_t k23_utoa(unsigned long v, char *buf);
/* Parses a non-negative decimal; returns -1 on anything else. */
long k23_atol(const char *s);
/* Parses lower-case hex digits at *s (as in /proc/self/maps), advancing *s
 * past them; 0 if there are none. */
unsigned long k23_hex(const char **s);

/* Writes all of buf, retrying on EINTR and short writes; returns 0 or -errno. */
long k23_write_all(int fd, const char *buf, size_t n);

/* Anonymous private memory straight from mmap; NULL on failure. */
void *k23_map_anon(size_t size);
void k23_unmap(void *p, size_t size);
/* A table k23 maps on first need (address space it holds counts against the
 * program's `ulimit -v`, docs/architecture.md "Address space"): *slot, or,
 * with create, a fresh zeroed mapping of size bytes published there (two
 * threads racing keep the first). NULL when not mapped yet (create 0) or
 * when the mapping is refused: callers treat that as a full table. */
void *k23_map_lazy(void **slot, size_t size, int create);

/* Copy n bytes from or to the program's memory. A bad pointer must become
 * the EFAULT the kernel would return, not a fault inside k23, so the copy is
 * made by the kernel (process_vm_readv/writev on this process); if the
 * program's own seccomp filter forbids those, it falls back to a plain copy.
 * 0 or -EFAULT. */
long k23_copy_from(void *dst, const void *src, size_t n);
long k23_copy_to(void *dst, const void *src, size_t n);
/* Two regions written in one call (either n may be 0). */
long k23_copy_to2(void *dst, const void *src, size_t n, void *dst2, const void *src2, size_t n2);

/* For errors with nobody to report to: one line on stderr, then exit_group. */
__attribute__((noreturn)) void k23_die(const char *what, long err);

#endif
