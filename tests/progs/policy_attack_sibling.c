/* policy_attack_sibling.c - a process of the tree tries to switch off the seccomp filter of another with ptrace and process_vm_writev.
 *
 *   policy_attack_sibling HOW PATH [own-filter]
 * The program forks a child that waits for a flag in its memory. The
 * parent then (through HOW, policy_attack.h)
 *   - seizes the child with PTRACE_O_SUSPEND_SECCOMP, the one way the
 *     kernel offers to switch a task's filters off (checkpoint/restore):
 *     the kernel allows it only to a tracer with CAP_SYS_ADMIN that is not
 *     under seccomp itself;
 *   - sets the child's flag with process_vm_writev: it can write the
 *     child's memory, but a filter lives in the kernel, not there.
 * The child then reports its seccomp state from /proc/self/status and
 * tries mkdir PATH. With own-filter the child installs a filter of its own
 * first (mkdir -> EPERM), standing in natively for a policy: an
 * unconfined root parent can suspend it, and mkdir goes through.
 * Prints "ptrace suspend-seccomp: ok|ERRNO", "process_vm_writev: ok|ERRNO",
 * "child: Seccomp N, Seccomp_filters M, PR_GET_SECCOMP N" and "child mkdir: ok|ERRNO".
 */
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "policy_attack.h"

static volatile int go;

static void own_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mkdir, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		perror("own filter"), exit(1);
}

static void child(const char *path, int wfd)
{
	char status[4096], *p;
	long r;
	FILE *f;

	write(wfd, "r", 1);
	while (!go)
		usleep(1000);
	f = fopen("/proc/self/status", "r");
	printf("child:");
	while (f && fgets(status, sizeof(status), f))
		if (!strncmp(status, "Seccomp", 7) && (p = strchr(status, '\t'))) {
			*strchr(p, '\n') = 0;
			status[strcspn(status, ":")] = 0;
			printf(" %s %s,", status, p + 1);
		}
	printf(" PR_GET_SECCOMP %d\n", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
	r = mkdir(path, 0700) ? -errno : 0;
	printf("child mkdir: %s\n", r < 0 ? attack_err(r) : "ok");
	exit(0);
}

int main(int argc, char **argv)
{
	int one = 1, pfd[2], status;
	struct iovec local = { &one, sizeof(one) }, remote = { (void *)&go, sizeof(go) };
	char c;
	pid_t pid;
	long r;

	if (argc < 3 || attack_how(argv[1]))
		return fprintf(stderr, "usage: policy_attack_sibling HOW PATH [own-filter]\n"), 2;
	if (pipe(pfd))
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (argc > 3)
			own_filter();
		child(argv[2], pfd[1]);
	}
	if (read(pfd[0], &c, 1) != 1)
		return 1;
	r = attack_call(SYS_ptrace, PTRACE_SEIZE, pid, 0, PTRACE_O_SUSPEND_SECCOMP, 0, 0);
	printf("ptrace suspend-seccomp: %s\n", r < 0 ? attack_err(r) : "ok");
	r = attack_call(SYS_process_vm_writev, pid, (long)&local, 1, (long)&remote, 1, 0);
	printf("process_vm_writev: %s\n", r < 0 ? attack_err(r) : "ok");
	fflush(stdout);
	if (r < 0) {
		kill(pid, SIGKILL);
		return 1;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return 0;
}
