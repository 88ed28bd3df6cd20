/* start.c - k23_remote_start: the launcher's side of the remote-call proxy.
 *
 * Hosted code of k23 itself (musl): creates the channel, starts k23-remote
 * detached from the caller (a double fork in a new session: the program
 * never sees the proxy as its child, nor does a terminal's ^C reach it) and
 * waits until the proxy reports that every server answered.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "remote/chan.h"

#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 2U
#endif

static int fail(const char *what)
{
	fprintf(stderr, "k23: remote: %s: %s\n", what, strerror(errno));
	return -1;
}

static int make_channel(const struct k23_remote_mount *m, unsigned n, unsigned timeout_ms)
{
	uint64_t size = k23_chan_region_size();
	struct k23_chan_hdr *h;
	int fd = (int)syscall(SYS_memfd_create, "k23-remote-channel", MFD_ALLOW_SEALING);

	if (fd < 0)
		return fail("memfd_create");
	if (ftruncate(fd, (off_t)size) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0) {
		close(fd);
		return fail("channel");
	}
	h = mmap(NULL, sizeof(*h), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (h == MAP_FAILED) {
		close(fd);
		return fail("mmap");
	}
	h->magic = K23_CHAN_MAGIC;
	h->version = K23_CHAN_VERSION;
	h->nslots = K23_CHAN_NSLOTS;
	h->slot_size = K23_CHAN_SLOT_SIZE;
	h->payload_max = K23_CHAN_SLOT_SIZE - (uint32_t)sizeof(struct k23_chan_slot);
	h->slot_off = (uint32_t)((sizeof(*h) + 4095) & ~4095ul);
	h->server_timeout_ms = timeout_ms;
	/* The proxy answers by its own bound; the client's covers a stalled
	 * proxy and leaves room for one reconnect attempt after a failure. */
	h->timeout_ms = 2 * timeout_ms + 1000;
	h->nmounts = n;
	h->region_size = size;
	for (unsigned i = 0; i < n; i++) {
		snprintf(h->mounts[i].prefix, sizeof(h->mounts[i].prefix), "%s", m[i].prefix);
		snprintf(h->mounts[i].url, sizeof(h->mounts[i].url), "%s", m[i].url);
		h->mounts[i].flags = m[i].start_anyway ? K23_CHAN_MOUNT_START_ANYWAY : 0;
	}
	munmap(h, sizeof(*h));
	return fd;
}

/* Moves fd to exactly `to` (the proxy's argv names its descriptors). */
static void put_fd(int fd, int to)
{
	if (fd != to) {
		dup2(fd, to);
		close(fd);
	}
}

static void proxy_child(const char *proxy, int chan, int status, int life, int anyway,
			const char *uname)
{
	char a[4][16];
	int null;

	setsid();
	if (fork() != 0)
		_exit(0);
	/* Out of the way of 3..5 first, then into them. */
	chan = fcntl(chan, F_DUPFD, 10);
	status = fcntl(status, F_DUPFD, 10);
	life = fcntl(life, F_DUPFD, 10);
	put_fd(chan, 3);
	put_fd(status, 4);
	put_fd(life, 5);
	/* Nothing else of the program's: a pipe end held here would keep its
	 * reader from seeing EOF. */
	if (syscall(436 /* close_range */, 6, ~0u, 0) < 0)
		for (int fd = 6; fd < 4096; fd++)
			close(fd);
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		if (null > 2)
			close(null);
	}
	snprintf(a[0], sizeof(a[0]), "%d", 3);
	snprintf(a[1], sizeof(a[1]), "%d", 4);
	snprintf(a[2], sizeof(a[2]), "%d", 5);
	snprintf(a[3], sizeof(a[3]), "%d", anyway ? 1 : 0);
	unsetenv("LD_PRELOAD");
	execl(proxy, "k23-remote", a[0], a[1], a[2], a[3], uname, (char *)NULL);
	dprintf(4, "ERR cannot run %s: %s\n", proxy, strerror(errno));
	_exit(127);
}

int k23_remote_start(const struct k23_remote_mount *m, unsigned n,
		     const struct k23_remote_opts *o, int *chan_fd, int *life_fd)
{
	char self[PATH_MAX], proxy[PATH_MAX + 16], uname[64], line[1100];
	int st[2], life[2], chan, status;
	size_t got = 0;
	ssize_t k;
	pid_t pid;

	if (n == 0 || n > K23_CHAN_MAX_MOUNTS) {
		fprintf(stderr, "k23: remote: %u mounts (1 to %d)\n", n, K23_CHAN_MAX_MOUNTS);
		return -1;
	}
	if (o->proxy) {
		snprintf(proxy, sizeof(proxy), "%s", o->proxy);
	} else {
		ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (len <= 0)
			return fail("/proc/self/exe");
		self[len] = 0;
		*strrchr(self, '/') = 0;
		snprintf(proxy, sizeof(proxy), "%s/k23-remote", self);
	}
	if (o->uname) {
		snprintf(uname, sizeof(uname), "%s", o->uname);
	} else {
		struct passwd *pw = getpwuid(getuid());
		if (pw)
			snprintf(uname, sizeof(uname), "%s", pw->pw_name);
		else
			snprintf(uname, sizeof(uname), "%u", (unsigned)getuid());
	}
	chan = make_channel(m, n, o->timeout_ms ? o->timeout_ms : 5000);
	if (chan < 0)
		return -1;
	if (pipe2(st, O_CLOEXEC) < 0 || pipe2(life, O_CLOEXEC) < 0) {
		close(chan);
		return fail("pipe");
	}
	pid = fork();
	if (pid < 0) {
		close(chan);
		return fail("fork");
	}
	if (pid == 0) {
		close(st[0]);
		close(life[1]);
		proxy_child(proxy, chan, st[1], life[0], o->start_anyway, uname);
	}
	close(st[1]);
	close(life[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	while (got < sizeof(line) - 1 && (k = read(st[0], line + got, sizeof(line) - 1 - got)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		got += (size_t)k;
	}
	close(st[0]);
	line[got] = 0;
	if (strncmp(line, "ok\n", 3)) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		fprintf(stderr, "k23: %s\n", got > 4 ? line + 4 : "remote: the proxy failed to start");
		close(chan);
		close(life[1]);
		return -1;
	}
	/* Both travel into the program (execve included). */
	fcntl(life[1], F_SETFD, 0);
	*chan_fd = chan;
	*life_fd = life[1];
	return 0;
}
