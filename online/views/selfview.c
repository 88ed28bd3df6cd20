/* selfview.c - what the program sees of itself: /proc/self/exe, and prctl calls that would undo interposition. */
#include <asm/unistd.h>
#include <asm/errno.h>
#include <linux/fcntl.h>
#include "k23/compat.h"
#include <asm/prctl.h>
#include "online/core/rt.h"
#include "online/core/tarea.h"
#include "online/arch/x86_64/patch_layout.h"
#include "online/dispatch/fastpath.h"
#include "online/views/prog_seccomp.h"
#include "online/core/rtlib.h"
#include "online/dispatch/dispatch.h"
#include "online/views/prog_sud.h"

/* "/proc/self/exe", "/proc/thread-self/exe" or "/proc/<our pid>/exe". */
static int names_own_exe(const char *p)
{
	char pid[24];
	size_t n;

	if (k23_strncmp(p, "/proc/", 6) != 0)
		return 0;
	p += 6;
	if (!k23_strcmp(p, "self/exe") || !k23_strcmp(p, "thread-self/exe"))
		return 1;
	n = k23_utoa((unsigned long)k23_syscall0(__NR_getpid), pid);
	return !k23_strncmp(p, pid, n) && !k23_strcmp(p + n, "/exe");
}

void k23_do_readlink(struct k23_call *c)
{
	int at = c->nr == __NR_readlinkat;
	const char *path = (const char *)c->args[at];
	char *buf = (char *)c->args[at + 1];
	long size = c->args[at + 2];
	size_t len = k23_strlen(k23_rt.exe_path);

	if (!path || !k23_rt.exe_path[0] || !names_own_exe(path) || size <= 0) {
		c->ret = k23_passthrough(c);
		return;
	}
	if ((size_t)size < len)
		len = (size_t)size;
	k23_memcpy(buf, k23_rt.exe_path, len);
	c->ret = (long)len;
}

void k23_do_prctl(struct k23_call *c)
{
	/* Handing SUD to the program would let its calls escape: k23 keeps the
	 * kernel's and emulates the program's (prog_sud.c). */
	if (c->args[0] == PR_SET_SYSCALL_USER_DISPATCH) {
		c->ret = k23_prog_sud_prctl(c);
		return;
	}
	if (k23_prog_seccomp_call(c))
		return; /* strict mode, a filter, PR_GET_SECCOMP: the program's own */
	c->ret = k23_passthrough(c);
}

/* k23's patched sites find their per-thread area through %gs (tarea.h).
 * A program that moves %gs itself gets it, and patched sites stop using
 * the area: every call then takes the catch-all, correct and slower. */
void k23_do_arch_prctl(struct k23_call *c)
{
	if (c->args[0] == ARCH_GET_GS && k23_rt.patch && !k23_patch_disabled) {
		unsigned long gs;

		c->ret = k23_judged_probe(c, ARCH_GET_GS, (long)&gs, 0, 0);
		if (!c->ret)
			c->ret = k23_copy_to((void *)c->args[1], &k23_prog_gs, sizeof(k23_prog_gs));
		return;
	}
	if (c->args[0] == ARCH_SET_GS && k23_rt.patch) {
		__atomic_store_n(&k23_patch_disabled, 1, __ATOMIC_SEQ_CST);
		__atomic_store_n(&k23_stub_go, (unsigned long)k23_stub_trap, __ATOMIC_SEQ_CST);
		k23_fast_update();
		k23_prog_gs = (unsigned long)c->args[1];
	}
	c->ret = k23_passthrough(c);
}
