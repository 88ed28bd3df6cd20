/* policy_nokernel.c - runs a command on a "kernel" without Landlock or without seccomp filters, as far as the command can tell.
 *
 *   policy_nokernel nolandlock|noseccomp CMD [ARGS...]
 * Installs a seccomp filter that answers landlock_create_ruleset with
 * ENOSYS (nolandlock), or prctl(PR_GET_SECCOMP) and seccomp() with EINVAL
 * (noseccomp: what a kernel built without CONFIG_SECCOMP_FILTER says), then
 * executes CMD.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#define NR offsetof(struct seccomp_data, nr)
#define ARG0 offsetof(struct seccomp_data, args[0])

int main(int argc, char **argv)
{
	struct sock_filter nolandlock[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 444 /* landlock_create_ruleset */, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter noseccomp[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_seccomp, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_prctl, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PR_GET_SECCOMP, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog;

	if (argc < 3)
		return fprintf(stderr, "usage: policy_nokernel nolandlock|noseccomp CMD [ARGS...]\n"), 2;
	if (!strcmp(argv[1], "nolandlock"))
		prog = (struct sock_fprog){ sizeof(nolandlock) / sizeof(nolandlock[0]), nolandlock };
	else
		prog = (struct sock_fprog){ sizeof(noseccomp) / sizeof(noseccomp[0]), noseccomp };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return perror("seccomp"), 1;
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
