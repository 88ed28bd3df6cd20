/* print_ids.c - prints the real and effective user and group ids (a setuid copy shows whether privileges were gained). */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("uid %d euid %d gid %d egid %d\n", (int)getuid(), (int)geteuid(), (int)getgid(),
	       (int)getegid());
	return 0;
}
