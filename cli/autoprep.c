/* autoprep.c - `k23 run --prepare=background|now|never`: sidecars for what a run lacked, made by a detached, idle k23 prepare.
 *
 * Where the preparer starts: here, in k23 run's front end, before the
 * program's first instruction. No later point will do: once the program
 * runs, each process of its tree carries k23's seccomp filter (and a
 * policy's Landlock rules), which any child inherits, and a child of the
 * program would show in the program's own wait(). Before loading, the front
 * end knows the program's file (after #!) and its interpreter; the
 * libraries ld.so maps, dlopen'ed objects and the programs the tree
 * executes are seen only by the runtime, which leaves a want marker in the
 * cache for each object it mapped without a usable sidecar
 * (online/sidecar/sidecar_want.c). So the cheap check here is: do the
 * program and its interpreter have sidecars (their build-ids against the
 * sidecars' headers: a few small reads), and is want/ empty? Only if not is
 * a preparer started: a run that finds everything prepared forks nothing
 * (a watcher started always, for this run's markers, cost 2-4 ms of CPU
 * and ~10 ms of wall time per `k23 run -- /bin/true`, itself ~20 ms, on
 * the loaded 2-core VM: two forks and their scheduling). So an
 * object only the runtime sees is marked by one run and prepared by the
 * preparer of the next (the one after is patched), unless the program or
 * its interpreter started a preparer in the first. An object whose lock is
 * held is being prepared already: it does not count as missing, so two
 * runs do not start two preparers for it.
 *
 * The background preparer is a grandchild of this process in a session of
 * its own (so neither the program's wait() nor the shell's job control
 * sees it), reparented away at once; stdin, stdout and stderr are
 * /dev/null, every other descriptor is closed but its locks; it runs
 * SCHED_IDLE at nice 19 with idle I/O priority, in /. It runs k23 prepare
 * on the program (its whole closure, as an explicit prepare would) and on
 * the objects of the want markers earlier runs left, then waits for the
 * program to end (at most PROGRAM_WAIT_S) and prepares the objects this
 * run marked. Where the orphaned preparer would be reparented to the
 * program itself (k23 is PID 1, a container's entrypoint, or a child
 * subreaper), none is started. It writes nothing but the cache: k23
 * prepare writes sidecars, stamps and locks there and nowhere else. While
 * it lives it holds a shared lock on the cache directory itself, so `flock
 * <cache> true` waits for every background preparer.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "elf_info.h"
#include "log.h"
#include "sidecar.h"
#include "online/core/rt.h"
#include "online/guard/fdguard.h"
#include "loader/launch.h"
#include "loader/target.h"
#include "cli.h"
#include "cli/autoprep.h"

#define PROGRAM_WAIT_S 60	/* want markers are taken at the program's end, or after this */

int k23_prepare_mode(const char *s)
{
	if (!strcmp(s, "background"))
		return K23_PREP_BACKGROUND;
	if (!strcmp(s, "now"))
		return K23_PREP_NOW;
	if (!strcmp(s, "never"))
		return K23_PREP_NEVER;
	return -1;
}

/* 1 if some process holds a lock on the file open as fd. */
static int locked_fd(int fd)
{
	return flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
}

/* 1 if some process holds a lock on path (a preparer at work). Opened
 * with openat, as in the loader (loader/target.c): musl's open() adds an
 * fcntl for O_CLOEXEC. */
static int locked(const char *path)
{
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW), r;

	if (fd < 0)
		return 0;
	r = locked_fd(fd);
	close(fd);
	return r;
}

/* 1 if the object open as fd (headers in e) needs nothing: its sidecar is
 * there (same build-id and size; the runtime checks the rest), it has no
 * build-id (the runtime finds sidecars by build-id only), or a preparer
 * holds its lock. The runtime marks a sidecar that turns out stale. */
static int covered(const char *dir, int fd, const struct k23_elf *e)
{
	uint8_t id[K23_SIDECAR_BUILD_ID_MAX];
	struct k23_sidecar_header h;
	char hex[2 * K23_SIDECAR_BUILD_ID_MAX + 1], path[PATH_MAX + 160];
	int n = k23_elf_build_id_fd(fd, e, id, sizeof(id)), sfd, ok = 0;

	if (n <= 0)
		return 1;
	for (int i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	if (snprintf(path, sizeof(path), "%s/%s%s", dir, hex, K23_SIDECAR_SUFFIX) >= (int)sizeof(path))
		return 1;
	sfd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
	if (sfd >= 0) {
		ok = pread(sfd, &h, sizeof(h), 0) == (ssize_t)sizeof(h) &&
		     !memcmp(h.magic, K23_SIDECAR_MAGIC, 8) && h.version == K23_SIDECAR_VERSION &&
		     h.build_id_len == (uint32_t)n && !memcmp(h.build_id, id, (size_t)n) &&
		     h.object_size == (uint64_t)e->size;
		close(sfd);
	}
	if (ok)
		return 1;
	snprintf(path, sizeof(path), "%s/%s.lock", dir, hex);
	return locked(path);
}

/* 1 if the interpreter named by the program's PT_INTERP is covered (or
 * unreadable: the loader will say so). */
static int interp_covered(const char *dir, const struct k23_target *t)
{
	/* 16 KiB, not on a stack `ulimit -s` may shrink: the loader's own
	 * (loader/launch.h), which reads the interpreter's headers later. */
	struct k23_elf *e = &k23_interp_elf;
	char name[PATH_MAX];
	int fd, r = 1;

	if (k23_elf_interp(t->fd, &t->elf, name, sizeof(name)) != 1)
		return 1;
	fd = openat(AT_FDCWD, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	if (k23_elf_read(fd, e) != K23_ELF_OK) {
		close(fd);
		return r;
	}
	r = covered(dir, fd, e);
	k23_interp_release();
	k23_interp_fd = fd; /* for the loader, which maps this file (launch.c) */
	return r;
}

/* k23-prepare beside k23's own binary (as cli/offline.c runs it). */
static int prepare_binary(char *buf, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	self[n] = 0;
	slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = 0;
	return snprintf(buf, size, "%s/k23-prepare", self) < (int)size ? 0 : -1;
}

/* Runs k23-prepare with argv (argv[0] is its path) and waits: its exit
 * status, or -1. Its stdout (the summary line) goes to /dev/null: the
 * program's stdout is the program's. */
static int run_prepare(char **argv)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		if (null >= 0)
			dup2(null, 1);	/* the copy is not close-on-exec, null is */
		/* k23-prepare is dynamic: a preload meant for the program must
		 * not load into it (as cli/offline.c). */
		unsetenv("LD_PRELOAD");
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

struct job {
	char bin[PATH_MAX];	/* k23-prepare */
	char dir[PATH_MAX];	/* the cache, absolute */
	char prog[PATH_MAX];	/* the program, absolute; "" when it is covered */
	char policy[PATH_MAX];	/* --policy FILE, absolute, or "" */
};

/* argv of `k23-prepare prepare [--background] [--wanted] --quiet --cache DIR
 * [--policy P -- PROG]`: the program's closure, or (wanted) the objects of
 * the want markers. */
static void prepare_argv(const struct job *j, int background, int wanted, char **v)
{
	int n = 0;

	v[n++] = (char *)j->bin;
	v[n++] = "prepare";
	if (background)
		v[n++] = "--background";
	if (wanted)
		v[n++] = "--wanted";
	v[n++] = "--quiet";
	v[n++] = "--cache";
	v[n++] = (char *)j->dir;
	if (!wanted && j->policy[0]) {
		v[n++] = "--policy";
		v[n++] = (char *)j->policy;
	}
	if (!wanted) {
		v[n++] = "--";
		v[n++] = (char *)j->prog;
	}
	v[n] = NULL;
}

/* Closes every descriptor from 3 up except keep[0..n) (sorted, -1 ignored). */
static void close_others(const int *keep, int n)
{
	unsigned from = 3;

	for (int i = 0; i < n; i++) {
		if (keep[i] < (int)from)
			continue;
		if ((unsigned)keep[i] > from)
			syscall(SYS_close_range, from, (unsigned)keep[i] - 1, 0);
		from = (unsigned)keep[i] + 1;
	}
	syscall(SYS_close_range, from, ~0U, 0);
}

/* Out of the program's way: no terminal, no descriptors, idle priority. */
static void detach(int glock, int pidfd)
{
	int keep[2] = { glock < pidfd ? glock : pidfd, glock < pidfd ? pidfd : glock };
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	struct sched_param sp = { 0 };
	sigset_t all;

	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	close_others(keep, 2);
	for (int sig = 1; sig < 65; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	/* the descriptor limit k23 raised for its own room is the program's again */
	struct rlimit lim = { k23_fd_start_room.saved.cur, k23_fd_start_room.saved.max };

	if (k23_fd_start_room.changed)
		setrlimit(RLIMIT_NOFILE, &lim);
	setpriority(PRIO_PROCESS, 0, 19);
	syscall(SYS_sched_setscheduler, 0, SCHED_IDLE, &sp); /* musl's wrapper is ENOSYS */
	syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, 3 << 13 /* IOPRIO_CLASS_IDLE */);
	prctl(PR_SET_NAME, "k23-autoprep", 0, 0, 0); /* what ps shows instead of "k23" */
	if (chdir("/") != 0)
		_exit(1);
}

/* Waits for the program (pidfd, else its pid) to end, at most PROGRAM_WAIT_S. */
static void wait_program(int pidfd, pid_t pid)
{
	if (pidfd >= 0) {
		struct pollfd p = { pidfd, POLLIN, 0 };

		while (poll(&p, 1, PROGRAM_WAIT_S * 1000) < 0 && errno == EINTR)
			;
		return;
	}
	for (int i = 0; i < PROGRAM_WAIT_S * 10 && kill(pid, 0) == 0; i++)
		usleep(100000);
}

/* 1 if the directory open as fd holds a name not starting with '.' (a
 * marker; the temporary files are dot files). Read with getdents64, with
 * no DIR (a malloc) around it; a file that is no directory holds none. */
static int marked_fd(int fd)
{
	char buf[2048] __attribute__((aligned(8)));
	long n;

	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			const struct dirent *d = (const struct dirent *)(buf + off);

			if (d->d_name[0] != '.')
				return 1;
			off += d->d_reclen;
		}
	}
	return 0;
}

/* 1 if want/ holds a marker. */
static int want_marked(const char *dir)
{
	char path[PATH_MAX + 16];
	int fd, r;

	snprintf(path, sizeof(path), "%s/want", dir);
	fd = openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	r = marked_fd(fd);
	close(fd);
	return r;
}

/* 1 if want/ holds a marker and no preparer is taking the markers. One
 * descriptor for both questions: want/ does not exist at all in the usual
 * case, one failed openat. (The lock is looked for without following a
 * last symlink, the markers with: a want that is not a plain directory is
 * read as before, by name.) */
static int want_pending(const char *dir)
{
	char path[PATH_MAX + 16];
	int fd, r;

	snprintf(path, sizeof(path), "%s/want", dir);
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : want_marked(dir);
	r = !locked_fd(fd) && marked_fd(fd);
	close(fd);
	return r;
}

/* Prepares the objects of the markers there are now, one preparer at a
 * time (a lock on the directory want/, waited for). */
static void take_marked(const struct job *j)
{
	char *v[16], path[PATH_MAX + 16];
	int wlock;

	if (!want_marked(j->dir))
		return;
	snprintf(path, sizeof(path), "%s/want", j->dir);
	wlock = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	while (wlock >= 0 && flock(wlock, LOCK_EX) != 0 && errno == EINTR)
		;
	if (want_marked(j->dir)) {
		prepare_argv(j, 1, 1, v);
		run_prepare(v);
	}
	if (wlock >= 0)
		close(wlock);
}

static __attribute__((noreturn)) void preparer(const struct job *j, int glock, int pidfd, pid_t pid)
{
	char *v[16];

	detach(glock, pidfd);
	if (j->prog[0]) {
		prepare_argv(j, 1, 0, v);
		run_prepare(v);
	}
	/* What earlier runs found missing or stale, at once; then what this
	 * one finds (libraries, dlopen'ed objects, programs it executes),
	 * once the program is done. */
	take_marked(j);
	wait_program(pidfd, pid);
	take_marked(j);
	_exit(0);
}

static int absolute(const char *in, char *out)
{
	return realpath(in, out) ? 0 : -1;
}

/* Starts the detached preparer; nothing stays open in this process. */
static void start_background(const struct job *j)
{
	int glock, pidfd;
	pid_t a, self = getpid();

	glock = open(j->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (glock < 0)
		return;
	/* Shared by every preparer; `k23 cache prune` takes it exclusively
	 * (then no preparer is started this time). The lock belongs to the
	 * open file, which the preparer inherits. */
	if (flock(glock, LOCK_SH | LOCK_NB) != 0) {
		close(glock);
		return;
	}
	pidfd = (int)syscall(SYS_pidfd_open, self, 0);
	a = fork();
	if (a == 0) {
		setsid();
		if (fork() == 0)
			preparer(j, glock, pidfd, self);
		_exit(0);
	}
	close(glock);
	if (pidfd >= 0)
		close(pidfd);
	/* Reaped now, before the program exists in this process. */
	while (a > 0 && waitpid(a, NULL, 0) < 0 && errno == EINTR)
		;
}

/* --prepare=now: k23 prepare in the foreground (its messages on stderr). */
static void prepare_now(const struct job *j, int wanted)
{
	char *v[16];

	if (j->prog[0]) {
		prepare_argv(j, 0, 0, v);
		run_prepare(v);
	}
	if (wanted) {
		prepare_argv(j, 0, 1, v);
		run_prepare(v);
	}
}

/* 1 if an orphan of this process would become the program's child: k23
 * is PID 1 (a container's entrypoint) or a child subreaper, and the
 * program is this process after the loader. */
static int orphans_are_ours(void)
{
	int sub = 0;

	return getpid() == 1 || (prctl(PR_GET_CHILD_SUBREAPER, &sub, 0, 0, 0) == 0 && sub);
}

void k23_autoprep(int mode, const struct k23_target *t, const char *policy)
{
	struct job *j;
	int missing, wanted = 0;

	if (mode == K23_PREP_NEVER || !k23_rt.cache_dir[0])
		return;
	/* Nothing is started when all is there: the steady state costs a few
	 * reads. Objects only the runtime sees (libraries, dlopen'ed ones,
	 * programs the tree executes) are marked by this run and prepared by
	 * the next run's preparer, unless one starts now for the program. */
	missing = !covered(k23_rt.cache_dir, t->fd, &t->elf) || !interp_covered(k23_rt.cache_dir, t);
	wanted = mode == K23_PREP_NOW ? want_marked(k23_rt.cache_dir) : want_pending(k23_rt.cache_dir);
	if (!missing && !wanted)
		return;
	/* Asked only now: two system calls the steady state does not need. */
	if (mode == K23_PREP_BACKGROUND && orphans_are_ours())
		return;
	j = calloc(1, sizeof(*j));
	if (!j)
		return;
	if (prepare_binary(j->bin, sizeof(j->bin)) != 0 || access(j->bin, X_OK) != 0) {
		/* a k23 copied alone (into a container, say): runs go on unprepared */
		if (mode == K23_PREP_NOW)
			k23_fail(0, "run --prepare=now: %s: %s (k23 prepare needs it beside k23)", j->bin,
				 strerror(errno));
		goto out;
	}
	if (k23_mkdir_p(k23_rt.cache_dir) != 0 || absolute(k23_rt.cache_dir, j->dir) != 0 ||
	    (missing && absolute(t->path, j->prog) != 0) || (policy && absolute(policy, j->policy) != 0))
		goto out;
	if (mode == K23_PREP_NOW)
		prepare_now(j, wanted);
	else
		start_background(j);
out:
	free(j);
}
