/* open_missing.c - opens a file that does not exist, reports errno, exits 3. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	int fd = open("/nonexistent-k23/missing-file", O_RDONLY);

	printf("open: %d %s\n", fd, fd < 0 ? strerror(errno) : "opened?");
	return 3;
}
