/* static_hello.c - a small program built -static and -static-pie: a few syscalls, output, exit status 5. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *buf = malloc(1 << 20); /* brk or mmap, as natively */
	int fd = open("/nonexistent-k23/static", O_RDONLY);

	printf("hello from %s: argc %d, open %d, malloc %s\n", argv[0], argc, fd,
	       buf ? "ok" : "failed");
	fflush(stdout);
	write(2, "static stderr\n", 14);
	free(buf);
	return 5;
}
