/* procview.c - k23's per-process state in a child that shares its parent's memory but not its descriptor table.
 *
 * glibc's posix_spawn runs its child with CLONE_VM | CLONE_VFORK: the child
 * has a descriptor table of its own (a copy) in the parent's memory. When
 * its file actions dup2 onto one of k23's descriptors, k23 moves its
 * descriptor away in the child's table (fdguard.c); the new number is the
 * child's alone. Written to k23_rt, which the parent shares, it would make
 * the parent's k23 look for its tool output and counters where its own
 * table has nothing (and the parent's other threads run meanwhile). So such
 * a child keeps the numbers, and the hard descriptor limit the program set
 * (its own limits too), in its k23 area, which is private to it: the
 * parent sets the view up before the clone, the child's k23 finds it through %gs
 * or the kernel's alternate signal stack setting (both its area's), and an
 * execve hands the child's numbers to the next image (rtconfig.c). Where
 * %gs is not the area (--no-patch) the lookup costs a system call, so it
 * is made only while such a child may exist (k23_procviews is not 0).
 */
#include <asm/unistd.h>
#include <linux/sched.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/core/tarea.h"
#include "online/process/procview.h"

int k23_procviews;

static struct k23_area *current_area(void)
{
	struct k23_area *here = k23_area_here();
	struct k23_stack ss;
	unsigned long p;

	if (here)
		return here;
	if (k23_syscall2(__NR_sigaltstack, 0, (long)&ss) != 0 || ss.ss_size != K23_TA_ALT_SIZE)
		return 0;
	p = (unsigned long)ss.ss_sp - K23_TA_ALT_OFF;
	return ((struct k23_area *)p)->self == p ? (struct k23_area *)p : 0;
}

struct k23_procview *k23_procview_lookup(void)
{
	struct k23_area *a = current_area();

	return a ? a->view : 0;
}

int k23_procview_child(struct k23_area *a, const struct k23_area *own, unsigned long long flags)
{
	struct k23_procview *cur = own ? own->view : 0;

	a->view_ends_at_exit = 0;
	if ((flags & CLONE_VM) && !(flags & CLONE_FILES)) {
		/* A table of its own: the numbers as they are now, private. */
		a->own_view.out_fd = *k23_out_fd_ref();
		a->own_view.state_fd = *k23_state_fd_ref();
		a->own_view.policy_fd = *k23_policy_fd_ref();
		a->own_view.log_fd = *k23_log_fd_ref();
		a->own_view.chan_fd = *k23_chan_fd_ref();
		a->own_view.life_fd = *k23_life_fd_ref();
		a->own_view.nofile_hard = *k23_nofile_hard_ref();
		a->view = &a->own_view;
		a->view_ends_at_exit = !(flags & CLONE_VFORK);
		__atomic_add_fetch(&k23_procviews, 1, __ATOMIC_SEQ_CST);
		return 1;
	}
	/* The same table (a thread), or a memory of its own (fork): the
	 * creator's view; a fork child makes it k23_rt (k23_procview_forked). */
	if (own && cur == &own->own_view && !(flags & CLONE_VM)) {
		a->own_view = *cur;
		a->view = &a->own_view;
	} else {
		a->view = cur;
	}
	return 0;
}

void k23_procview_done(void)
{
	__atomic_sub_fetch(&k23_procviews, 1, __ATOMIC_SEQ_CST);
}

void k23_procview_forked(struct k23_area *a)
{
	if (!__atomic_load_n(&k23_procviews, __ATOMIC_ACQUIRE))
		return;
	if (!a)
		a = current_area();
	if (a && a->view) {
		k23_rt.out_fd = a->view->out_fd;
		k23_rt.state_fd = a->view->state_fd;
		k23_rt.policy_fd = a->view->policy_fd;
		k23_rt.log_fd = a->view->log_fd;
		k23_rt.chan_fd = a->view->chan_fd;
		k23_rt.life_fd = a->view->life_fd;
		k23_rt.nofile_hard = a->view->nofile_hard;
		a->view = 0;
	}
	/* The other threads, and their children, are not in this copy. */
	k23_procviews = 0;
}

void k23_procview_exit(struct k23_area *a)
{
	if (a->view_ends_at_exit && a->view == &a->own_view)
		k23_procview_done();
}
