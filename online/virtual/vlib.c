/* vlib.c - per-executable libraries (libraries:): in an image of a bundle's executable, an open of a system library opens the bundle's file of that name.
 *
 * Which image: decided at attach, by the test the scope: rules use
 * (k23_pol_binds_image: the executable by path or by device and inode),
 * after loader/launch.c has identified the executable. An image of any
 * other executable has no row in force, so its opens keep the fast path.
 *
 * Which open: common/rt/vlib_match.c, the rule k23 prepare --policy
 * resolves closures with (docs/virtual.md, "Per-executable libraries"):
 * a read-only open of DIR/NAME, DIR one of the directories ld.so searches,
 * NAME one of the bundle's shared objects, is made on BUNDLE/NAME. The
 * kernel receives k23's copy of that name in the frame; the program's
 * argument is given back after the call (online/virtual/virt_call.c).
 */
#include <asm/unistd.h>
#include <linux/fcntl.h>
#include "online/core/rtlib.h"
#include "online/policy/policy.h"
#include "online/policy/pol_files.h"
#include "online/virtual/vlib.h"
#include "common/rt/vlib_match.h"

/* The policy's copy of a path fills a frame's buffer exactly. */
_Static_assert(K23_POL_PATH_MAX == K23_VIRT_PATH_MAX, "path buffers of one size");

static const struct k23_policy_view *vlib_view;
static const struct k23_policy_lib *vlib_cur;	/* the bundle of this image's executable */

long k23_vlib_attach(const struct k23_policy_view *b)
{
	vlib_view = b;
	vlib_cur = 0;
	for (uint32_t i = 0; i < b->h->n_lib; i++)
		if (k23_pol_binds_image(b->strings + b->lib[i].exe_off)) {
			vlib_cur = &b->lib[i];
			break;
		}
	return 0;
}

int k23_vlib_on(void)
{
	return vlib_cur != 0;
}

/* arg[0]: the path argument, arg[1]: the flags argument (virt_table.c). */
int k23_vlib_before(struct k23_call *c, struct k23_virt_call *vc, const struct k23_virt_row *r)
{
	long flags = c->args[r->arg[1]];
	unsigned long path = (unsigned long)c->args[r->arg[0]];

	/* ld.so opens what it loads O_RDONLY | O_CLOEXEC: a write, a create
	 * or an unnamed temporary file is never a library being loaded. */
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | __O_TMPFILE)) || !path ||
	    !vc->path[0] || !vc->path[1])
		return 0;
	/* The name may be an earlier row's (a map's real name, in path[0]):
	 * read into path[1], write into path[0]. */
	if (k23_pol_copy_path(vc->path[1], path))
		return 0; /* the kernel answers EFAULT or ENAMETOOLONG itself */
	if (k23_vlib_match(vlib_view, vlib_cur, vc->path[1], vc->path[0], K23_VIRT_PATH_MAX))
		c->args[r->arg[0]] = (long)vc->path[0];
	return 0;
}
