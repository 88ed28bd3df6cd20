/* main.c - k23-remote: the proxy that serves a program tree's remote calls.
 *
 *   k23-remote CHAN_FD STATUS_FD LIFE_FD START_ANYWAY UNAME
 *
 * Started only by k23_remote_start (common/remote/start.c), which created
 * the channel (CHAN_FD, header filled in: mounts, timeouts) and waits on
 * STATUS_FD for one line: "ok", or "ERR <message>" when a server could not
 * be reached (unless START_ANYWAY is 1, or the mount's flags say
 * K23_CHAN_MOUNT_START_ANYWAY: then the mount is marked down and its calls
 * fail with EIO until the server answers: each call tries to connect). LIFE_FD is the read end
 * of the life pipe: EOF there means the tree is gone and the proxy exits.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include "remote/serve.h"

static struct rserver server;

static int status(int fd, const char *line)
{
	size_t n = strlen(line);

	return write(fd, line, n) == (ssize_t)n ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct k23_chan_hdr *h;
	struct stat st;
	int cfd, sfd, start_anyway;
	char line[1024];

	if (argc != 6) {
		fprintf(stderr, "k23-remote: started by k23 run only\n");
		return 2;
	}
	cfd = atoi(argv[1]);
	sfd = atoi(argv[2]);
	server.life_fd = atoi(argv[3]);
	start_anyway = atoi(argv[4]);
	if (fstat(cfd, &st) < 0 || (size_t)st.st_size < sizeof(*h))
		return 2;
	h = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
	if (h == MAP_FAILED || h->magic != K23_CHAN_MAGIC || h->region_size != (uint64_t)st.st_size ||
	    h->nmounts > K23_CHAN_MAX_MOUNTS)
		return 2;
	close(cfd);
	server.hdr = h;
	signal(SIGPIPE, SIG_IGN);
	/* Programs of the tree fetch their placeholder descriptors from us
	 * with pidfd_getfd, which needs ptrace access (Yama). */
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	for (uint32_t i = 0; i < h->nmounts; i++) {
		struct k23_chan_mount *m = &h->mounts[i];
		struct rconn *c = &server.conn[i];

		m->prefix[sizeof(m->prefix) - 1] = m->url[sizeof(m->url) - 1] = 0;
		if (rconn_init(c, m->url, argv[5], h->server_timeout_ms) < 0) {
			snprintf(line, sizeof(line), "ERR remote %s: %s: not a 9p://HOST:PORT/EXPORT URL\n",
				 m->prefix, m->url);
			status(sfd, line);
			return 1;
		}
		if (rconn_up(c) == 0)
			continue;
		if (!start_anyway && !(m->flags & K23_CHAN_MOUNT_START_ANYWAY)) {
			snprintf(line, sizeof(line), "ERR remote %s: %s: %s\n", m->prefix, m->url, c->err);
			status(sfd, line);
			return 1;
		}
		m->down = 1;
		fprintf(stderr, "k23: remote %s: %s: %s (its calls fail with EIO until it answers)\n",
			m->prefix, m->url, c->err);
	}
	h->proxy_pid = (uint32_t)getpid();
	__atomic_store_n(&h->alive, 1, __ATOMIC_RELEASE);
	status(sfd, "ok\n");
	close(sfd);
	rserve_run(&server);
	return 0;
}
