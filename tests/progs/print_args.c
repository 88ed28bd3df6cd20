/* print_args.c - prints what a program can see of how it was started: argv, /proc/self/{exe,cmdline,comm,auxv,stat}, AT_EXECFN. */
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

/* The value of TYPE in the auxiliary vector on the initial stack (glibc's
 * getauxval rewrites some, such as AT_HWCAP). */
static int stack_aux(const unsigned long *auxv, unsigned long type, unsigned long *val)
{
	for (; auxv[0] != AT_NULL; auxv += 2)
		if (auxv[0] == type) {
			*val = auxv[1];
			return 1;
		}
	return 0;
}

/* Whether the kernel's copy of the auxiliary vector (/proc/self/auxv) is
 * the one the program was started with: every entry there with the value
 * on the initial stack. Prints the first type that differs. */
static void check_auxv(char **envp)
{
	unsigned long a[2], v;
	int n = 0, bad = -1;
	FILE *f = fopen("/proc/self/auxv", "r");

	while (*envp)
		envp++;
	while (f && fread(a, sizeof(a), 1, f) == 1 && a[0] != AT_NULL) {
		n++;
		if (bad < 0 && (!stack_aux((const unsigned long *)(envp + 1), a[0], &v) || v != a[1]))
			bad = (int)a[0];
	}
	if (f)
		fclose(f);
	if (bad >= 0)
		printf("auxv:type %d differs from getauxval\n", bad);
	else
		printf("auxv:%s\n", n > 5 ? "as the program got it" : "missing");
}

/* Field 28 of /proc/self/stat is the initial stack pointer, where argc was. */
static void check_startstack(char **argv)
{
	unsigned long v = 0;
	char buf[1024], *p;
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	for (int field = 2; p && field < 28; field++)
		p = strchr(p + 1, ' ');
	if (p)
		v = strtoul(p + 1, NULL, 10);
	printf("startstack:%s\n", v == (unsigned long)argv - 8 ? "at argc" : "elsewhere");
}

int main(int argc, char **argv, char **envp)
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
	check_auxv(envp);
	check_startstack(argv);
	return 0;
}
