/* vlib_prog.c - which libz and libbz2 this process got (tests/integration/virt_libs.sh): libz through ld.so's own search (DT_NEEDED), libbz2 through dlopen by name.
 *
 *   vlib_prog LABEL [SIBLING]
 *
 * Prints, each line prefixed with LABEL: zlibVersion(), BZ2_bzlibVersion()
 * of the dlopen'ed libbz2.so.1.0, and the files /proc/self/maps shows for
 * both. With SIBLING, runs it through `sh -c` (without LD_LIBRARY_PATH, so
 * that a native run with LD_LIBRARY_PATH=BUNDLE is the comparison for a
 * libraries: bundle that binds this executable only) and waits for it.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

static void maps(const char *label, const char *lib)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096], last[4096] = "";

	while (f && fgets(line, sizeof(line), f)) {
		char *path = strchr(line, '/'), *base;

		if (!path)
			continue;
		path[strcspn(path, "\n")] = 0;
		base = strrchr(path, '/') + 1;
		if (!strncmp(base, lib, strlen(lib)) && strcmp(path, last)) {
			printf("%s: maps %s\n", label, path);
			snprintf(last, sizeof(last), "%s", path);
		}
	}
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	const char *label = argc > 1 ? argv[1] : "prog";
	const char *(*bz)(void);
	void *h;

	printf("%s: zlibVersion %s\n", label, zlibVersion());
	h = dlopen("libbz2.so.1.0", RTLD_NOW);
	bz = h ? (const char *(*)(void))dlsym(h, "BZ2_bzlibVersion") : NULL;
	printf("%s: BZ2_bzlibVersion %s\n", label, bz ? bz() : dlerror());
	maps(label, "libz.so");
	maps(label, "libbz2.so");
	fflush(stdout);
	if (argc > 2) {
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			execl("/bin/sh", "sh", "-c", "unset LD_LIBRARY_PATH; exec \"$0\" sibling", argv[2],
			      (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
			return 1;
		return WEXITSTATUS(st);
	}
	return 0;
}
