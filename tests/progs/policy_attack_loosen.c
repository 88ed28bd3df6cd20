/* policy_attack_loosen.c - a child installs a permissive seccomp filter and Landlock ruleset of its own, hoping to loosen the policy.
 *
 *   policy_attack_loosen HOW MKDIR-PATH OPEN-PATH
 * A forked child, through HOW (policy_attack.h):
 *   - prctl(PR_SET_NO_NEW_PRIVS, 1);
 *   - seccomp(SECCOMP_SET_MODE_FILTER) with a filter that allows every call
 *     (and again with SECCOMP_FILTER_FLAG_TSYNC);
 *   - a Landlock ruleset that handles reading files and grants it on "/",
 *     restricted onto itself;
 * then tries mkdir MKDIR-PATH and opens OPEN-PATH. Filters and Landlock
 * domains only stack: the kernel runs every filter and keeps the strictest
 * verdict, and a new domain can only narrow the one it is nested in.
 * Prints each step's outcome ("no_new_privs: ok", "seccomp allow-all: ok",
 * "seccomp allow-all tsync: ok", "landlock grant /: ok", "mkdir: ...",
 * "open: ok FIRST-LINE" or the errno).
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include "policy_attack.h"

static void step(const char *what, long r)
{
	printf("%s: %s\n", what, r < 0 ? attack_err(r) : "ok");
}

static void loosen(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &allow };
	struct landlock_ruleset_attr ra = { .handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE };
	struct landlock_path_beneath_attr pb = { .allowed_access = LANDLOCK_ACCESS_FS_READ_FILE };
	long rs, r;

	step("no_new_privs", attack_call(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0));
	step("seccomp allow-all", attack_call(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)&prog, 0, 0, 0));
	step("seccomp allow-all tsync",
	     attack_call(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, (long)&prog, 0, 0, 0));
	rs = attack_call(SYS_landlock_create_ruleset, (long)&ra, sizeof(ra), 0, 0, 0, 0);
	r = rs;
	if (rs >= 0) {
		pb.parent_fd = open("/", O_PATH | O_CLOEXEC);
		r = attack_call(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, (long)&pb, 0, 0, 0);
		if (r >= 0)
			r = attack_call(SYS_landlock_restrict_self, rs, 0, 0, 0, 0, 0);
	}
	step("landlock grant /", r);
}

int main(int argc, char **argv)
{
	char buf[128] = "";
	int status, fd;
	pid_t pid;
	long r;

	if (argc != 4 || attack_how(argv[1]))
		return fprintf(stderr, "usage: policy_attack_loosen HOW MKDIR-PATH OPEN-PATH\n"), 2;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		loosen();
		r = attack_call(SYS_mkdir, (long)argv[2], 0700, 0, 0, 0, 0);
		step("mkdir", r);
		fd = (int)attack_call(SYS_openat, AT_FDCWD, (long)argv[3], O_RDONLY, 0, 0, 0);
		if (fd < 0) {
			step("open", fd);
		} else {
			r = read(fd, buf, sizeof(buf) - 1);
			buf[r > 0 ? r : 0] = 0;
			buf[strcspn(buf, "\n")] = 0;
			printf("open: ok %s\n", buf);
		}
		fflush(stdout);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
