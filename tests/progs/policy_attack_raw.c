/* policy_attack_raw.c - calls a policy denies, made through an instruction of the attacker's choosing (k23's text, a fresh RWX page, libc).
 *
 *   policy_attack_raw HOW OP ARG [OP ARG]...
 * HOW: libc | text:ADDR | rwx (policy_attack.h). OPs, in order:
 *   mkdir PATH        prints "mkdir: ok" or the errno name
 *   personality N     personality(N) (N decimal): "personality: ok" or errno
 *   open PATH         openat + read: "open: ok FIRST-LINE" or errno
 *   connect PORT      a TCP connect to 127.0.0.1:PORT (the socket from
 *                     libc, the connect through HOW): "connect: ok" or errno
 *   peek PID:ADDR     process_vm_readv of 8 bytes at ADDR (hex) in process
 *                     PID: "peek: ok" or errno
 *   signal PID        kill(PID, 0), whether a signal could be sent:
 *                     "signal: ok" or errno
 *   k23 -             "k23: mapped" if /proc/self/maps shows k23's fixed
 *                     range (0x23000000), else "k23: absent"
 *   exec PATH ARGS... execve(PATH, {PATH, ARGS...}, environ) through HOW,
 *                     the last OP; only a failure returns: "exec: ERRNO"
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "policy_attack.h"

extern char **environ;

static void op_open(const char *path)
{
	char buf[128] = "";
	long fd = attack_call(SYS_openat, AT_FDCWD, (long)path, O_RDONLY, 0, 0, 0), n;

	if (fd < 0) {
		printf("open: %s\n", attack_err(fd));
		return;
	}
	n = attack_call(SYS_read, fd, (long)buf, sizeof(buf) - 1, 0, 0, 0);
	attack_call(SYS_close, fd, 0, 0, 0, 0, 0);
	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	printf("open: ok %s\n", buf);
}

static void op_connect(const char *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				   .sin_port = htons((unsigned short)atoi(port)) };
	int s = socket(AF_INET, SOCK_STREAM, 0);
	long r = attack_call(SYS_connect, s, (long)&sin, sizeof(sin), 0, 0, 0);

	printf("connect: %s\n", r < 0 ? attack_err(r) : "ok");
	close(s);
}

int main(int argc, char **argv)
{
	if (argc < 4 || attack_how(argv[1]))
		return fprintf(stderr, "usage: policy_attack_raw HOW OP ARG...\n"), 2;
	for (int i = 2; i + 1 < argc; i += 2) {
		const char *op = argv[i], *arg = argv[i + 1];
		long r;

		fflush(stdout);
		if (!strcmp(op, "mkdir")) {
			r = attack_call(SYS_mkdir, (long)arg, 0700, 0, 0, 0, 0);
			printf("mkdir: %s\n", r < 0 ? attack_err(r) : "ok");
		} else if (!strcmp(op, "personality")) {
			r = attack_call(SYS_personality, atol(arg), 0, 0, 0, 0, 0);
			printf("personality: %s\n", r < 0 ? attack_err(r) : "ok");
		} else if (!strcmp(op, "open")) {
			op_open(arg);
		} else if (!strcmp(op, "connect")) {
			op_connect(arg);
		} else if (!strcmp(op, "peek")) {
			char buf[8];
			struct iovec l = { buf, sizeof(buf) }, rm = { NULL, sizeof(buf) };
			char *colon = strchr(arg, ':');

			rm.iov_base = (void *)strtoul(colon ? colon + 1 : "0", NULL, 16);
			r = attack_call(SYS_process_vm_readv, atol(arg), (long)&l, 1, (long)&rm, 1, 0);
			printf("peek: %s\n", r < 0 ? attack_err(r) : "ok");
		} else if (!strcmp(op, "signal")) {
			r = attack_call(SYS_kill, atol(arg), 0, 0, 0, 0, 0);
			printf("signal: %s\n", r < 0 ? attack_err(r) : "ok");
		} else if (!strcmp(op, "k23")) {
			char line[512];
			FILE *f = fopen("/proc/self/maps", "r");
			int mapped = 0;

			while (f && fgets(line, sizeof(line), f))
				mapped |= !strncmp(line, "23000000-", 9);
			printf("k23: %s\n", mapped ? "mapped" : "absent");
			if (f)
				fclose(f);
		} else if (!strcmp(op, "exec")) {
			r = attack_call(SYS_execve, (long)arg, (long)(argv + i + 1), (long)environ, 0, 0, 0);
			printf("exec: %s\n", attack_err(r));
			return 0;
		} else {
			return fprintf(stderr, "policy_attack_raw: unknown op %s\n", op), 2;
		}
	}
	return 0;
}
