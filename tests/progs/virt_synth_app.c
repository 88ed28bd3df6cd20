/* virt_synth_app.c - a program written against /etc/myapp.conf: reads its port= line, and reports what every way of reading the file shows.
 *
 *   virt_synth_app [FILE]     (default /etc/myapp.conf)
 *
 * Prints the port, the size and mode fstat and stat give, the content as
 * read, pread, readv and a private mapping see it, that two opens have
 * their own offsets, that a write open and a write on the read-only
 * descriptor fail (with which errno), and what a forked child reads.
 * Natively on a real file of mode 0444 on a read-only mount, and under k23
 * with the file synthesized, the output is the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>

static const char *err_name(int e)
{
	switch (e) {
	case EROFS: return "EROFS";
	case EACCES: return "EACCES";
	case EBADF: return "EBADF";
	case EPERM: return "EPERM";
	case EEXIST: return "EEXIST";
	case ENOTDIR: return "ENOTDIR";
	case ENOENT: return "ENOENT";
	}
	return strerror(e);
}

static unsigned sum(const char *b, size_t n)
{
	unsigned h = 5381;

	for (size_t i = 0; i < n; i++)
		h = h * 33 + (unsigned char)b[i];
	return h;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/etc/myapp.conf";
	char buf[8192], a[4] = { 0 }, b[4] = { 0 }, *port;
	struct stat st, sp;
	struct iovec iov[2];
	ssize_t n;
	int fd, fd2, st2;
	void *m;
	pid_t pid;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("open: %s\n", err_name(errno));
		return 1;
	}
	printf("fd %d\n", fd);
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return 2;
	buf[n] = 0;
	port = strstr(buf, "port=");
	printf("port %d\n", port ? atoi(port + 5) : -1);
	if (fstat(fd, &st) || stat(path, &sp))
		return 3;
	printf("fstat size %lld mode %o; stat size %lld mode %o nlink %ld\n", (long long)st.st_size,
	       st.st_mode, (long long)sp.st_size, sp.st_mode, (long)sp.st_nlink);
	printf("read %zd bytes, sum %u\n", n, sum(buf, (size_t)n));
	printf("pread(5, 4): %zd \"%.4s\"\n", pread(fd, a, 4, 5), a);
	printf("lseek end: %lld\n", (long long)lseek(fd, 0, SEEK_END));
	lseek(fd, 0, SEEK_SET);
	iov[0] = (struct iovec){ a, 2 };
	iov[1] = (struct iovec){ b, 3 };
	n = readv(fd, iov, 2);
	printf("readv: %zd \"%.2s\" \"%.3s\"\n", n, a, b);
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	printf("mmap private: %s, sum %u\n", m == MAP_FAILED ? err_name(errno) : "ok",
	       m == MAP_FAILED ? 0 : sum(m, (size_t)st.st_size));
	m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("mmap shared writable: %s\n", m == MAP_FAILED ? err_name(errno) : "ok");
	/* Offsets are per open. */
	lseek(fd, 0, SEEK_SET);
	fd2 = open(path, O_RDONLY);
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	if (read(fd, a, 3) != 3 || read(fd, a, 3) != 3 || read(fd2, b, 3) != 3)
		return 4;
	printf("two opens: \"%.3s\" \"%.3s\"\n", a, b);
	close(fd2);
	printf("write on it: %s\n", write(fd, "x", 1) < 0 ? err_name(errno) : "written");
	fd2 = open(path, O_WRONLY);
	printf("open O_WRONLY: %s\n", fd2 < 0 ? err_name(errno) : "opened");
	fd2 = open(path, O_RDWR | O_CREAT, 0644);
	printf("open O_RDWR|O_CREAT: %s\n", fd2 < 0 ? err_name(errno) : "opened");
	fd2 = open(path, O_RDONLY | O_CREAT | O_EXCL, 0644);
	printf("open O_CREAT|O_EXCL: %s\n", fd2 < 0 ? err_name(errno) : "opened");
	fd2 = open(path, O_RDONLY | O_DIRECTORY);
	printf("open O_DIRECTORY: %s\n", fd2 < 0 ? err_name(errno) : "opened");
	printf("access R_OK %d, W_OK %s\n", access(path, R_OK),
	       access(path, W_OK) < 0 ? err_name(errno) : "ok");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int c = open(path, O_RDONLY);

		n = c < 0 ? -1 : read(c, buf, sizeof(buf));
		printf("child read %zd bytes, sum %u\n", n, n > 0 ? sum(buf, (size_t)n) : 0);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st2, 0);
	return 0;
}
