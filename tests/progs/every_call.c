/* every_call.c - makes every x86-64 system call number 0..511 once, none of them for real.
 *
 * A seccomp filter of the program's own makes each call whose sixth
 * argument is MAGIC fail with ENOSYS before the kernel acts on it, so the
 * other arguments never matter; every other call (the C library's, a
 * tracer's or k23's own) is allowed. A tracer sees every call at its
 * entry: run under `strace -e trace=%CLASS` it shows which calls strace
 * puts in CLASS (scripts/gen-strace-classes), and under `k23 run -e
 * trace=%CLASS` which k23 does (tests/integration/trace_classes.sh).
 *
 * Skipped: 335 and 336 (uretprobe, uprobe), which the kernel lets past
 * every seccomp filter and which kill a caller that is not a probe's
 * trampoline with SIGILL; with the argument "k23", also the calls whose
 * handling in k23 acts before the kernel could refuse them (exit frees
 * the thread's k23 area, rt_sigreturn restores a frame, clone, fork and
 * vfork start a child, execve loads the program): their classes come from
 * strace alone.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAGIC 0x6b32336b32336b32L

int main(int argc, char **argv)
{
	int k23 = argc > 1 && argv[1][0] == 'k';
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[5])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)MAGIC, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[5]) + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)(MAGIC >> 32), 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 38 /* ENOSYS */),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return 1;
	for (long nr = 0; nr < 512; nr++) {
		if (nr == 335 || nr == 336)
			continue;
		if (k23 && (nr == __NR_exit || nr == __NR_rt_sigreturn || nr == __NR_clone ||
			    nr == __NR_fork || nr == __NR_vfork || nr == __NR_clone3 ||
			    nr == __NR_execve || nr == __NR_execveat))
			continue;
		syscall(nr, 0, 0, 0, 0, 0, MAGIC);
	}
	return 0;
}
