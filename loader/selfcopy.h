/* selfcopy.h - moving k23's own image out of its file, so the exe link can name the program. */
#ifndef K23_SELFCOPY_H
#define K23_SELFCOPY_H

#include <stddef.h>

/* 1 if this process may move its exe link (PR_SET_MM_MAP with exe_fd). */
int k23_selfcopy_allowed(void);

/* Replaces every mapping of k23's file by an anonymous copy at the same
 * address, and keeps the file bytes of its writable segment in
 * k23_rt.pristine. 0 or -errno (then some mappings may still be the file's). */
int k23_selfcopy(void);

/* What k23_selfcopy keeps of k23's file (the writable segment's bytes):
 * their size, and room for them (len bytes that stay mapped) in memory a
 * caller maps anyway before it, so that it maps none of its own. */
size_t k23_pristine_size(void);
void k23_pristine_room(void *room, size_t len);

#endif
