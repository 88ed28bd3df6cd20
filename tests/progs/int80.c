/* int80.c - system calls of another ABI from a 64-bit program: i386 `int $0x80` and x32 numbers.
 *
 * Each must be made as the call it is: i386 getpid is number 20, which on
 * x86-64 is writev. Exits 77 (after printing why) if this kernel does not
 * run int $0x80 for 64-bit programs (no CONFIG_IA32_EMULATION, or
 * ia32_emulation=0), as found in a child first.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static long int80(long nr, long a, long b, long c)
{
	long r;

	asm volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return r;
}

int main(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(int80(20, 0, 0, 0) == getpid() ? 0 : 1);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 2;
	if (!WIFEXITED(st)) {
		printf("int $0x80 not available here (child killed by signal %d)\n", WTERMSIG(st));
		return 77;
	}
	setvbuf(stdout, 0, _IONBF, 0);
	/* i386 numbers: getpid 20, getppid 64, write 4, close 6. */
	printf("i386 getpid: %s\n", int80(20, 0, 0, 0) == getpid() ? "pid" : "wrong");
	printf("i386 getppid: %s\n", int80(64, 0, 0, 0) == getppid() ? "ppid" : "wrong");
	char *low = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (low == MAP_FAILED)
		return 2;
	strcpy(low, "written by i386 write\n");
	printf("i386 write: %ld\n", int80(4, 1, (long)low, (long)strlen(low)));
	printf("i386 close(-1): %ld\n", int80(6, -1, 0, 0));
	/* An x32 number: ENOSYS unless the kernel has the x32 ABI. */
	long r = syscall(0x40000000 | SYS_getpid);
	printf("x32 getpid: %s\n", r == getpid() ? "pid" : strerror(errno));
	return 0;
}
