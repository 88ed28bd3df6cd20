/* selfexec.c - a program that executes itself again, the ways daemons, container runtimes and test harnesses do.
 *
 * Usage: selfexec HOW [HOW...]: executes itself by the first HOW with the
 * rest as arguments; with none left, prints what the final image sees
 * (its argv, /proc/self/exe, its signal mask, whether it is the thread
 * group leader) and exits. HOW is one of
 *   proc      execv("/proc/self/exe")
 *   fexecve   fexecve of /proc/self/exe opened O_RDONLY
 *   execveat  execveat(fd, "", AT_EMPTY_PATH) of /proc/self/exe opened O_PATH
 *   memfd     fexecve of a memfd holding a copy of /proc/self/exe
 *   thread    execv("/proc/self/exe") from a second thread while others run
 *   churn     the same while other threads keep starting and exiting
 *   tpath     execv of this program's path from a second thread while others run
 *   blocked   every signal blocked, then execv("/proc/self/exe")
 *   nocaps    CAP_SYS_ADMIN and CAP_CHECKPOINT_RESTORE dropped from every
 *             set (bounding included), then execv("/proc/self/exe")
 *   mntns=DIR a private mount namespace with a tmpfs over DIR (which holds
 *             this program), then execv("/proc/self/exe")
 *   pause     print "ready", wait for end of input, go on
 *   txtbsy    print the errno of open(O_WRONLY) of this program's own file
 *   hideexe   the final image leaves /proc/self/exe out of its report (for
 *             where it differs under k23 by design: docs/differences.md)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>

extern char **environ;
static char **next;	/* argv for the next image: argv[0] then the remaining HOWs */

static void fail(const char *what)
{
	printf("%s: %s\n", what, strerrorname_np(errno));
	exit(1);
}

static void report(char **argv)
{
	char exe[4096];
	sigset_t m;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[n > 0 ? n : 0] = 0;
	if (getenv("SELFEXEC_HIDE_EXE"))
		strcpy(exe, "(not shown)");
	printf("final image: argv[0]=%s exe=%s leader=%d\n", argv[0], exe, getpid() == gettid());
	sigprocmask(SIG_BLOCK, NULL, &m);
	printf("blocked:");
	for (int s = 1; s < 65; s++)
		if (sigismember(&m, s))
			printf(" %d", s);
	printf("\n");
}

static void exec_proc(void)
{
	execve("/proc/self/exe", next, environ);
	fail("execve /proc/self/exe");
}

static void exec_fd(int fd)
{
	if (fd < 0)
		fail("open");
	fexecve(fd, next, environ);
	fail("fexecve");
}

static void exec_memfd(void)
{
	int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), fd = memfd_create("selfcopy", MFD_CLOEXEC);
	struct stat st;
	off_t off = 0;

	if (src < 0 || fd < 0 || fstat(src, &st) != 0)
		fail("memfd");
	while (off < st.st_size)
		if (sendfile(fd, src, &off, (size_t)(st.st_size - off)) <= 0)
			fail("sendfile");
	exec_fd(fd);
}

static void *spin(void *arg)
{
	for (;;)
		getppid();
	return arg;
}

static void *exiter(void *arg)
{
	usleep(100);
	return arg;
}

static void *churn(void *arg)
{
	for (;;) {
		pthread_t t;

		if (pthread_create(&t, NULL, exiter, NULL) == 0)
			pthread_detach(t);
	}
	return arg;
}

static int by_path;

static void *exec_later(void *arg)
{
	usleep(20000);
	if (by_path) {
		execve(next[0], next, environ);
		fail("execve");
	}
	exec_proc();
	return arg;
}

static void from_thread(void *(*others)(void *))
{
	pthread_t t;

	for (int i = 0; i < 3; i++)
		if (pthread_create(&t, NULL, others, NULL) != 0)
			fail("pthread_create");
	if (pthread_create(&t, NULL, exec_later, NULL) != 0)
		fail("pthread_create");
	pause();
}

static void drop_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	const int caps[] = { CAP_SYS_ADMIN, 40 /* CAP_CHECKPOINT_RESTORE */ };

	if (syscall(SYS_capget, &h, d) != 0)
		fail("capget");
	for (unsigned i = 0; i < 2; i++) {
		int c = caps[i];

		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 && errno != EINVAL)
			fail("PR_CAPBSET_DROP");
		d[c / 32].effective &= ~(1u << (c % 32));
		d[c / 32].permitted &= ~(1u << (c % 32));
		d[c / 32].inheritable &= ~(1u << (c % 32));
	}
	if (syscall(SYS_capset, &h, d) != 0)
		fail("capset");
}

static void new_mount_ns(const char *dir)
{
	if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("none", dir, "tmpfs", 0, NULL) != 0)
		fail("mount namespace");
}

static void txtbsy(void)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int fd;

	if (n <= 0)
		fail("readlink");
	self[n] = 0;
	fd = open(self, O_WRONLY);
	printf("open O_WRONLY of the running program: %s\n", fd < 0 ? strerrorname_np(errno) : "success");
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : NULL;
	sigset_t all;
	char line[64];

	setvbuf(stdout, NULL, _IONBF, 0);
	if (how && !strcmp(how, "hideexe")) {
		setenv("SELFEXEC_HIDE_EXE", "1", 1);
		argv[1] = argv[0];
		return main(argc - 1, argv + 1);
	}
	if (!how) {
		report(argv);
		return 0;
	}
	next = argv + 1;
	next[0] = argv[0];
	if (!strcmp(how, "proc"))
		exec_proc();
	if (!strcmp(how, "fexecve"))
		exec_fd(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
	if (!strcmp(how, "execveat")) {
		int fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);

		if (fd < 0)
			fail("open");
		syscall(SYS_execveat, fd, "", next, environ, AT_EMPTY_PATH);
		fail("execveat");
	}
	if (!strcmp(how, "memfd"))
		exec_memfd();
	if (!strcmp(how, "thread"))
		from_thread(spin);
	if (!strcmp(how, "churn"))
		from_thread(churn);
	if (!strcmp(how, "tpath")) {
		by_path = 1;
		from_thread(spin);
	}
	if (!strcmp(how, "blocked")) {
		sigfillset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		exec_proc();
	}
	if (!strcmp(how, "nocaps")) {
		drop_caps();
		exec_proc();
	}
	if (!strncmp(how, "mntns=", 6)) {
		new_mount_ns(how + 6);
		exec_proc();
	}
	if (!strcmp(how, "pause")) {
		printf("ready\n");
		while (fgets(line, sizeof(line), stdin))
			;
		exec_proc();
	}
	if (!strcmp(how, "txtbsy")) {
		txtbsy();
		exec_proc();
	}
	fprintf(stderr, "selfexec: unknown HOW '%s'\n", how);
	return 2;
}
