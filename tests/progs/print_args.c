/* print_args.c - prints what a program can see of how it was started: argv, /proc/self/{exe,cmdline,comm}, AT_EXECFN. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static void print_file(const char *label, const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;

	printf("%s:", label);
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\0' || buf[i] == '\n')
			printf("\\%c", buf[i] ? 'n' : '0');
		else
			putchar(buf[i]);
	}
	putchar('\n');
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *execfn = (const char *)getauxval(AT_EXECFN);

	printf("argc:%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]:%s\n", i, argv[i]);
	printf("exe:%.*s\n", n < 0 ? 0 : (int)n, exe);
	printf("execfn:%s\n", execfn ? execfn : "(none)");
	print_file("cmdline", "/proc/self/cmdline");
	print_file("comm", "/proc/self/comm");
	return 0;
}
