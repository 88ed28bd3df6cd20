/* convert.h - server data (9P replies) into the records the program reads. */
#ifndef K23_REMOTE_CONVERT_H
#define K23_REMOTE_CONVERT_H

#include <stdint.h>
#include "ninep/ninep.h"

/* Rreaddir data -> struct linux_dirent64 records in out (cap bytes).
 * Returns the bytes written (whole records only), or -1 if the server's data
 * is malformed. *last gets the d_off of the last record written (the cookie
 * to continue from). Entries "." and ".." are passed on like any other. A
 * first record that does not fit in cap: -2 (EINVAL for getdents64). */
long k23_rconv_dirents(const uint8_t *data, uint32_t count, uint8_t *out, uint32_t cap,
		       uint64_t *last);

/* Rgetattr -> struct statx (256 bytes at out). dev_major/minor name the
 * remote mount (st_dev); stx_mask says what the server gave. */
void k23_rconv_statx(const struct p9_attr *a, void *out, uint32_t dev_major,
		     uint32_t dev_minor);

/* A server errno (Linux numbers on diod's side) into one the program may see:
 * values outside 1..4095 become EIO. */
int k23_rconv_errno(uint32_t ecode);

#endif
