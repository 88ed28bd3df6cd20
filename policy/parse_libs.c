/* parse_libs.c - the libraries: section: for one executable, the shared objects of a bundle directory replace the system's.
 *
 *   libraries:
 *     - exe: /usr/bin/python3.11        # resolved with realpath, as scope: does
 *       bundle: /srv/bundle/lib         # a directory (realpath)
 *
 * The bundle is listed here, when the policy is compiled: its shared
 * objects (regular files, symbolic links followed, named *.so or *.so.*)
 * are the names the runtime replaces (online/virtual/vlib.c), and the
 * directories ld.so searches on this system (its default path, their
 * glibc-hwcaps and legacy subdirectories, and the directories of
 * /etc/ld.so.cache's entries: k23_ld_search_dirs) are where it replaces
 * them. docs/virtual.md, "Per-executable libraries".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "policy/yamlw.h"
#include "elf_dyn.h"

static const char *const lib_keys[] = { "exe", "bundle", "comment", NULL };

/* A shared object's name as ld.so asks for one: *.so or *.so.* */
static int so_name(const char *s)
{
	const char *p = strstr(s, ".so");

	for (; p; p = strstr(p + 1, ".so"))
		if (p != s && (!p[3] || p[3] == '.'))
			return 1;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The bundle's shared objects, sorted (the blob's order does not depend
 * on the directory's). */
static int list_bundle(struct yw *w, yaml_node_t *n, struct pol_lib *l)
{
	DIR *d = opendir(l->bundle);
	struct dirent *e;

	if (!d)
		return yw_err(w, n, "bundle: '%s': %s", l->bundle, strerror(errno));
	while ((e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;

		if (!so_name(e->d_name) ||
		    snprintf(path, sizeof(path), "%s/%s", l->bundle, e->d_name) >= (int)sizeof(path) ||
		    stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		l->names = realloc(l->names, (size_t)(l->nnames + 1) * sizeof(char *));
		if (!l->names || !(l->names[l->nnames++] = strdup(e->d_name)))
			abort();
	}
	closedir(d);
	if (l->nnames)
		qsort(l->names, (size_t)l->nnames, sizeof(char *), by_name);
	return 0;
}

/* A #! script never is an image's executable (the kernel runs its
 * interpreter, and so does k23). */
static int is_script(const char *path)
{
	char head[2] = { 0, 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return 0;
	r = read(fd, head, 2) == 2 && head[0] == '#' && head[1] == '!';
	close(fd);
	return r;
}

/* An absolute path that exists, made real; *st its status. */
static int real_path(struct yw *w, yaml_node_t *n, const char *key, char *out, struct stat *st)
{
	const char *s = yw_str(w, n, key);

	if (!s)
		return 2;
	if (s[0] != '/')
		return yw_err(w, n, "%s: '%s' is not absolute", key, s);
	if (!realpath(s, out) || stat(out, st) != 0)
		return yw_err(w, n, "%s: '%s': %s", key, s, strerror(errno));
	return 0;
}

static int one_lib(struct yw *w, yaml_node_t *n, void *arg)
{
	struct policy *p = w->p;
	yaml_node_t *e, *b;
	struct pol_lib l = { 0 };
	char exe[PATH_MAX], bundle[PATH_MAX];
	struct stat est, bst;
	int r;

	(void)arg;
	if (n->type != YAML_MAPPING_NODE)
		return yw_err(w, n, "libraries: expected a mapping (exe:, bundle:)");
	if ((r = yw_keys(w, n, "libraries", lib_keys)))
		return r;
	if (!(e = yw_get(w, n, "exe")))
		return yw_err(w, n, "libraries: no exe: (the executable whose images use the bundle)");
	if (!(b = yw_get(w, n, "bundle")))
		return yw_err(w, n, "libraries: no bundle: (the directory of its libraries)");
	if ((r = real_path(w, e, "exe", exe, &est)))
		return r;
	if (!S_ISREG(est.st_mode))
		return yw_err(w, e, "exe: '%s' is not a regular file", exe);
	if (is_script(exe))
		return yw_err(w, e, "exe: '%s' is a #! script: its images are its interpreter's; "
			      "name the interpreter", exe);
	/* One bundle per executable: by path, or the same file under another
	 * name (a hard link), as the runtime matches an image. */
	for (int i = 0; i < p->nlibs; i++)
		if (!strcmp(p->libs[i].exe, exe) ||
		    (p->libs[i].dev == est.st_dev && p->libs[i].ino == est.st_ino))
			return yw_err(w, e, "exe: %s is named twice (line %d): one bundle per executable",
				      exe, p->libs[i].at.line);
	if ((r = real_path(w, b, "bundle", bundle, &bst)))
		return r;
	if (!S_ISDIR(bst.st_mode))
		return yw_err(w, b, "bundle: '%s' is not a directory", bundle);
	l.at = yw_at(e);
	l.bundle_at = yw_at(b);
	l.exe = strdup(exe);
	l.bundle = strdup(bundle);
	l.dev = est.st_dev;
	l.ino = est.st_ino;
	if (!l.exe || !l.bundle)
		abort();
	if ((r = list_bundle(w, b, &l))) {
		free(l.exe);
		free(l.bundle);
		return r;
	}
	p->libs = realloc(p->libs, (size_t)(p->nlibs + 1) * sizeof(*p->libs));
	if (!p->libs)
		abort();
	p->libs[p->nlibs++] = l;
	return 0;
}

static void add_dir(const char *dir, void *arg)
{
	struct policy *p = arg;

	for (int i = 0; i < p->nlibdirs; i++)
		if (!strcmp(p->libdirs[i], dir))
			return;
	p->libdirs = realloc(p->libdirs, (size_t)(p->nlibdirs + 1) * sizeof(char *));
	if (!p->libdirs || !(p->libdirs[p->nlibdirs++] = strdup(dir)))
		abort();
}

/* Under files: rules the bundle's files are opened under their own names
 * (Landlock decides on the object the kernel reaches): a grant must cover
 * them, or ld.so would fail to load what the program needs. */
static int granted(const struct policy *p, const char *dir)
{
	for (int i = 0; i < p->npaths; i++) {
		const struct pol_path_rule *r = &p->paths[i];
		size_t n = strlen(r->path);

		if (r->kind == POL_PATH_DENY || r->scope)
			continue;
		if (!strcmp(r->path, "/") || (!strncmp(dir, r->path, n) && (!dir[n] || dir[n] == '/')))
			return 1;
	}
	return 0;
}

int k23_pol_parse_libs(struct yw *w, yaml_node_t *n)
{
	struct policy *p = w->p;
	int r;

	if (yw_is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return yw_err(w, n, "libraries: expected a list (- exe: PATH, bundle: DIR)");
	if ((r = yw_each(w, n, "libraries", one_lib, NULL)))
		return r;
	for (int i = 0; p->has_files && i < p->nlibs; i++)
		if (!granted(p, p->libs[i].bundle))
			return k23_pol_error(p->file, p->libs[i].bundle_at, "bundle: '%s' is not readable "
					     "under files: (grant it: - allow: read, paths: [%s])",
					     p->libs[i].bundle, p->libs[i].bundle);
	if (p->nlibs && !p->nlibdirs)
		k23_ld_search_dirs("/etc/ld.so.cache", add_dir, p);
	return 0;
}
