/* vlib.h - per-executable libraries (libraries:): the bundle's files opened in place of the system's, in the images of one executable. */
#ifndef K23_VLIB_H
#define K23_VLIB_H

#include "online/virtual/virt.h"

/* Finds the bundle of this image's executable, if any (0). */
long k23_vlib_attach(const struct k23_policy_view *b);
/* 1 if this image's executable has a bundle. */
int k23_vlib_on(void);
/* open, openat: a system library's name replaced by the bundle's. */
int k23_vlib_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r);

#endif
