/* nofile.c - the program's own RLIMIT_NOFILE, where k23 keeps the kernel's hard limit a little higher.
 *
 * k23 makes descriptors above the program's soft limit (fdguard.c), which
 * needs the soft limit raised for a moment; without CAP_SYS_RESOURCE only
 * up to the hard limit. A program that lowers its hard limit down to its
 * soft one (setrlimit {3, 3} before an execve) would leave k23 no way to
 * open the file it executes. So when the program lowers its hard limit,
 * the kernel's stays up to K23_NOFILE_SPARE above the new soft limit
 * (never higher than it was), and k23 keeps the hard limit the program set
 * (k23_rt.nofile_hard, or a vfork child's own: online/process/procview.c;
 * inherited across fork and execve) and shows it:
 * getrlimit and prlimit64 report it, and raising the hard limit above it
 * fails with EPERM without CAP_SYS_RESOURCE, as the kernel would. Only
 * /proc/PID/limits shows the kernel's (docs/differences.md). The soft limit,
 * which decides EMFILE, is always exactly the program's.
 */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <asm-generic/resource.h>
#include <linux/capability.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/dispatch/dispatch.h"
#include "online/guard/fdguard.h"
#include "online/process/procview.h"

#define K23_NOFILE_SPARE 64	/* the start of an image takes a room of 64 */

static long get_real(struct k23_rlimit64 *r)
{
	return k23_syscall4(__NR_prlimit64, 0, RLIMIT_NOFILE, 0, (long)r);
}

/* The program's setrlimit or prlimit64 with the limit k23 applies, from
 * the instruction a seccomp filter of the program's own judges
 * (own_filter.c): k23's own prlimit64 would pass it. */
static long apply_judged(const struct k23_call *c, long new_arg, long old_arg,
			 const struct k23_rlimit64 *r)
{
	struct k23_call copy = *c;

	copy.args[new_arg] = (long)r;
	if (old_arg >= 0)
		copy.args[old_arg] = 0;
	return k23_passthrough(&copy);
}

static int may_raise_hard(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (k23_syscall2(__NR_capget, (long)&h, (long)d) < 0)
		return 0;
	return (d[CAP_TO_INDEX(CAP_SYS_RESOURCE)].effective & CAP_TO_MASK(CAP_SYS_RESOURCE)) != 0;
}

/* The hard limit in a result the kernel just wrote to the program's memory
 * (so it is writable): the program's, not the kernel's. */
static void show_hard(struct k23_call *c, long old_arg)
{
	unsigned long h = __atomic_load_n(k23_nofile_hard_ref(), __ATOMIC_RELAXED);

	if (c->ret == 0 && h && c->args[old_arg] &&
	    k23_copy_to(&((struct k23_rlimit64 *)c->args[old_arg])->max, &h, sizeof(h)))
		c->ret = -EFAULT;
}

/* A new limit for the program's own descriptors, checked as the kernel
 * checks it against the hard limit the program knows. */
static long set_nofile(struct k23_call *c, long new_arg, long old_arg)
{
	struct k23_rlimit64 want, before, apply, shown;
	unsigned long hard;
	long r;

	if (k23_copy_from(&want, (const void *)c->args[new_arg], sizeof(want)))
		return -EFAULT;
	if (get_real(&before) < 0)
		return k23_passthrough(c);
	hard = __atomic_load_n(k23_nofile_hard_ref(), __ATOMIC_RELAXED);
	if (!hard)
		hard = before.max;
	if (want.cur > want.max)
		return -EINVAL;
	if (want.max > hard && !may_raise_hard())
		return -EPERM;
	apply = want;
	if (want.max < before.max) { /* lowered: keep some room for k23 */
		unsigned long spare = want.cur + K23_NOFILE_SPARE;

		apply.max = spare > before.max ? before.max : spare;
		if (apply.max < want.max)
			apply.max = want.max;
	}
	r = apply_judged(c, new_arg, old_arg, &apply);
	if (r)
		return r; /* the kernel's own checks (fs.nr_open), the program's filter */
	__atomic_store_n(k23_nofile_hard_ref(), apply.max > want.max ? want.max : 0, __ATOMIC_RELAXED);
	if (old_arg >= 0 && c->args[old_arg]) {
		shown.cur = before.cur;
		shown.max = hard;
		if (k23_copy_to((void *)c->args[old_arg], &shown, sizeof(shown)))
			return -EFAULT;
	}
	return 0;
}

/* setrlimit / prlimit64 / getrlimit of the program's own RLIMIT_NOFILE. */
static void own_nofile(struct k23_call *c, long new_arg, long old_arg)
{
	if (new_arg >= 0 && c->args[new_arg]) {
		c->ret = set_nofile(c, new_arg, old_arg);
		return;
	}
	c->ret = k23_passthrough(c);
	show_hard(c, old_arg);
}

int k23_nofile_call(struct k23_call *c)
{
	switch (c->nr) {
	case __NR_getrlimit:
		if (c->args[0] != RLIMIT_NOFILE)
			return 0;
		own_nofile(c, -1, 1);
		return 1;
	case __NR_setrlimit:
		if (c->args[0] != RLIMIT_NOFILE)
			return 0;
		own_nofile(c, 1, -1);
		return 1;
	case __NR_prlimit64:
		if (c->args[1] != RLIMIT_NOFILE ||
		    (c->args[0] && c->args[0] != k23_syscall0(__NR_getpid)))
			return 0;
		own_nofile(c, 2, 3);
		return 1;
	}
	return 0;
}
