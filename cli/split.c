/* split.c - `-o FILE -ff`: each thread's lines into FILE.TID, as strace -ff writes them.
 *
 * The interposed tree writes its trace into a pipe, one line per write
 * (never longer than PIPE_BUF, so lines of concurrent threads never mix).
 * This process, a child of k23's supervisor, reads it until every writer
 * is gone, takes the thread id off each line ("[pid N] " of a text line,
 * "tid" of a JSON line), and appends the rest of the line to FILE.N. strace
 * -ff names each file by the thread, so does k23.
 *
 * A file that cannot be written is reported once and the pipe is still
 * read to its end, so no writer gets SIGPIPE; the exit status tells the
 * supervisor (1: some output was lost).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "cli.h"

#define OPEN_FILES 64

struct file {
	long tid;
	int fd;
};

struct splitter {
	const char *path;
	struct file open[OPEN_FILES];	/* recently written files, kept open */
	int next;			/* the slot to reuse */
	int failed;
};

static long tid_of(const char *line, size_t n, size_t *skip)
{
	char *end;
	long tid;

	*skip = 0;
	if (n > 6 && !memcmp(line, "[pid ", 5)) {
		const char *p = line + 5;

		while (*p == ' ')
			p++;
		tid = strtol(p, &end, 10);
		if (end > p && *end == ']' && end[1] == ' ') {
			*skip = (size_t)(end + 2 - line);
			return tid;
		}
		return -1;
	}
	if (n > 2 && line[0] == '{') {
		const char *t = strstr(line, "\"tid\":");

		if (t && t < line + n) {
			tid = strtol(t + 6, &end, 10);
			return end > t + 6 ? tid : -1;
		}
	}
	return -1;
}

static int file_of(struct splitter *s, long tid)
{
	char name[4200];
	struct file *f;
	int fd;

	for (int i = 0; i < OPEN_FILES; i++)
		if (s->open[i].fd >= 0 && s->open[i].tid == tid)
			return s->open[i].fd;
	f = &s->open[s->next];
	s->next = (s->next + 1) % OPEN_FILES;
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	snprintf(name, sizeof(name), "%s.%ld", s->path, tid);
	/* appended: a thread whose file was closed for another may come back */
	fd = open(name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	if (fd < 0) {
		if (!s->failed)
			k23_fail(1, "%s: %s", name, strerror(errno));
		s->failed = 1;
		return -1;
	}
	f->tid = tid;
	f->fd = fd;
	return fd;
}

static void put(struct splitter *s, const char *line, size_t n)
{
	size_t skip;
	long tid = tid_of(line, n, &skip);
	int fd;

	if (tid < 0)
		tid = 0; /* not a trace line: FILE.0 keeps it rather than losing it */
	fd = file_of(s, tid);
	line += skip, n -= skip;
	while (fd >= 0 && n) {
		ssize_t w = write(fd, line, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!s->failed)
				k23_fail(1, "%s.%ld: %s", s->path, tid, w < 0 ? strerror(errno) : "short write");
			s->failed = 1;
			return;
		}
		line += w, n -= (size_t)w;
	}
}

#define BUF_SIZE (1 << 16)

static int run(int rfd, const char *path)
{
	/* allocated, not static: k23's bss is mapped in every program process
	 * too, where it counts against `ulimit -v` */
	char *buf = malloc(BUF_SIZE);
	struct splitter s = { .path = path };
	size_t have = 0;

	if (!buf) {
		k23_fail(1, "%s: %s", path, strerror(errno));
		/* still read the pipe to its end: no writer may get SIGPIPE */
		for (;;) {
			char c[512];
			ssize_t r = read(rfd, c, sizeof(c));

			if (r > 0 || (r < 0 && errno == EINTR))
				continue;
			return 1;
		}
	}
	for (int i = 0; i < OPEN_FILES; i++)
		s.open[i].fd = -1;
	for (;;) {
		ssize_t r = read(rfd, buf + have, BUF_SIZE - have);
		size_t start = 0;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
		for (size_t i = 0; i < have; i++) {
			if (buf[i] != '\n')
				continue;
			put(&s, buf + start, i + 1 - start);
			start = i + 1;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have == BUF_SIZE) { /* no newline in 64 KiB: not a line of k23's */
			put(&s, buf, have);
			have = 0;
		}
	}
	if (have)
		put(&s, buf, have);
	free(buf);
	for (int i = 0; i < OPEN_FILES; i++)
		if (s.open[i].fd >= 0 && close(s.open[i].fd) != 0 && !s.failed) {
			k23_fail(1, "%s.%ld: %s", path, s.open[i].tid, strerror(errno));
			s.failed = 1;
		}
	return s.failed;
}

int k23_split_start(const char *path, int *pid)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) != 0)
		return k23_fail(1, "pipe: %s", strerror(errno)), -1;
	*pid = fork();
	if (*pid < 0) {
		close(p[0]);
		close(p[1]);
		return k23_fail(1, "fork: %s", strerror(errno)), -1;
	}
	if (*pid == 0) {
		/* Signals meant for the program must not end the splitter first. */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
		close(p[1]);
		_exit(run(p[0], path));
	}
	close(p[0]);
	return p[1];
}
