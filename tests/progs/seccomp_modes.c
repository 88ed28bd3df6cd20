/* seccomp_modes.c - the program's own seccomp: its mode as PR_GET_SECCOMP reports it, strict mode, killing filters, inheritance.
 *
 * Each case runs in a forked child (seccomp cannot be undone); the parent
 * prints what the child printed and how it ended. Natively and under k23
 * the output must be the same.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void say(const char *s)
{
	/* write only: allowed in strict mode */
	syscall(SYS_write, 1, s, strlen(s));
}

static void say_num(const char *what, long v)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s: %ld\n", what, v);
	say(buf);
}

/* A filter: getppid gets `action`, everything else is allowed. */
static long install(unsigned action)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { .len = 4, .filter = f };

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p);
}

static long err(long r)
{
	return r < 0 ? -errno : r;
}

static void run(const char *name, void (*fn)(void))
{
	int st;
	pid_t pid;

	printf("%s:\n", name);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fn();
		syscall(SYS_exit, 0);
	}
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st))
		printf("  killed by signal %d\n", WTERMSIG(st));
	else
		printf("  exited %d\n", WEXITSTATUS(st));
	fflush(stdout);
}

static void get_mode(void)
{
	say_num("  PR_GET_SECCOMP", err(prctl(PR_GET_SECCOMP)));
	say_num("  install filter", err(install(SECCOMP_RET_ERRNO | ENOTTY)));
	say_num("  PR_GET_SECCOMP", err(prctl(PR_GET_SECCOMP)));
	say_num("  getppid", err(syscall(SYS_getppid)));
}

static void strict_prctl(void)
{
	say_num("  PR_SET_SECCOMP strict", err(prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT)));
	say("  write works\n");
	syscall(SYS_getppid);
	say("  not reached\n");
}

static void strict_exit(void)
{
	say_num("  seccomp strict bad flags", err(syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 1, 0)));
	say_num("  seccomp strict", err(syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, 0)));
	say("  exit works\n");
	syscall(SYS_exit, 3);
}

static void strict_prctl_get(void)
{
	prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT);
	prctl(PR_GET_SECCOMP);
	say("  not reached\n");
}

static void strict_after_filter(void)
{
	install(SECCOMP_RET_ALLOW);
	say_num("  PR_SET_SECCOMP strict", err(prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT)));
}

static void kill_thread(void)
{
	install(SECCOMP_RET_KILL_THREAD);
	syscall(SYS_getppid);
	say("  not reached\n");
}

static void kill_process(void)
{
	install(SECCOMP_RET_KILL_PROCESS);
	syscall(SYS_getppid);
	say("  not reached\n");
}

static void inherited(void)
{
	int st;

	install(SECCOMP_RET_ERRNO | EXDEV);
	if (fork() == 0) {
		say_num("  child getppid", err(syscall(SYS_getppid)));
		say_num("  child PR_GET_SECCOMP", err(prctl(PR_GET_SECCOMP)));
		syscall(SYS_exit, 0);
	}
	wait(&st);
}

int main(void)
{
	setvbuf(stdout, 0, _IONBF, 0);
	run("mode", get_mode);
	run("strict, then a forbidden call", strict_prctl);
	run("strict by seccomp(), then exit", strict_exit);
	run("strict, then PR_GET_SECCOMP", strict_prctl_get);
	run("strict after a filter", strict_after_filter);
	run("filter killing the thread", kill_thread);
	run("filter killing the process", kill_process);
	run("filter inherited by a fork child", inherited);
	return 0;
}
