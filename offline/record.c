/* record.c - `k23 prepare --record`: run the program once, merge the sites it executed into sidecars.
 *
 * The program runs under `k23 run --tool record` (online/tools/tool_record.c),
 * which writes each executed syscall site once per process as a file and an
 * offset in it; here offsets become link-time addresses and are merged into
 * each object's sidecar with k23_prepare_record_merge(), and every executed
 * site the static scan had not found is reported loudly. Sites outside any
 * file (vDSO, generated code) are counted: only the catch-all covers them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include <limits.h>
#include <string.h>
#include "elf_file.h"
#include "log.h"
#include "offline.h"

int k23_prepare_record_merge(const char *cache, const char *path, const struct k23_observed *obs,
			     size_t n, size_t *unknown)
{
	struct k23_elf_obj o;
	struct k23_sidecar_ident id;
	struct k23_sidecar sc;
	enum k23_elf_err err = k23_elf_load(path, &o);
	enum k23_sc_status st;
	char spath[PATH_MAX];
	const char *why;
	int rc = 1;

	if (err)
		return k23_elf_load_error(path, err, &o);
	k23_object_ident(&o, &id);
	k23_elf_unload(&o);
	if (k23_sidecar_path(cache, &id, spath, sizeof(spath)))
		return k23_fail(1, "%s: sidecar path too long", path);
	st = k23_sidecar_load(spath, &sc, &why);
	if (st == K23_SC_MISSING)
		rc = k23_fail(1, "%s: not prepared (no %s)", path, spath);
	else if (st == K23_SC_IO)
		rc = k23_fail(1, "%s: %s", spath, strerror(errno));
	else if (st != K23_SC_OK)
		rc = k23_fail(1, "%s: corrupt sidecar: %s", spath, why);
	else if (!k23_sidecar_matches(&sc, &id))
		rc = k23_fail(1, "%s: sidecar %s is stale", path, spath);
	else if (k23_sidecar_merge_observed(&sc, obs, n, unknown))
		rc = k23_fail(1, "out of memory");
	else if ((st = k23_sidecar_store(cache, strrchr(spath, '/') + 1, &sc, &why)) != K23_SC_OK)
		rc = k23_fail(1, "cannot write sidecar %s: %s", spath,
			      st == K23_SC_IO ? strerror(errno) : why);
	else
		rc = 0;
	k23_sidecar_free(&sc);
	return rc;
}

/* The record tool's line: "site PATH 0xOFFSET" (PATH may hold spaces). */
static int parse_site(char *line, char **path, uint64_t *off)
{
	char *sp = strrchr(line, ' ');

	if (strncmp(line, "site ", 5) != 0 || !sp || sp == line + 4)
		return -1;
	*sp = 0;
	*path = line + 5;
	*off = strtoull(sp + 1, NULL, 16);
	return 0;
}

/* File offset -> link-time address and kind, from the object's segments and
 * the bytes at that offset. -1 if the offset is not in executable code. */
static int to_observed(const char *path, uint64_t off, struct k23_observed *o)
{
	struct k23_elf e;
	unsigned char b[2];
	int fd = open(path, O_RDONLY | O_CLOEXEC), r = -1;

	if (fd < 0)
		return -1;
	if (k23_elf_read(fd, &e) == K23_ELF_OK && pread(fd, b, 2, (off_t)off) == 2 && b[0] == 0x0f &&
	    (b[1] == 0x05 || b[1] == 0x34)) {
		for (unsigned i = 0; i < e.phnum; i++) {
			const Elf64_Phdr *p = &e.ph[i];

			if (p->p_type == PT_LOAD && (p->p_flags & PF_X) && off >= p->p_offset &&
			    off < p->p_offset + p->p_filesz) {
				o->vaddr = p->p_vaddr + (off - p->p_offset);
				o->kind = b[1] == 0x05 ? K23_SC_KIND_SYSCALL : K23_SC_KIND_SYSENTER;
				r = 0;
				break;
			}
		}
	}
	close(fd);
	return r;
}

/* Runs `k23 run --tool record -o out -- argv...`; k23 is beside us. */
static int run_recorded(char **argv, const char *out, const char *policy)
{
	char self[PATH_MAX], k23[PATH_MAX + 8];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int argc = 0, status;
	pid_t pid;

	if (n <= 0)
		return k23_fail(1, "cannot find k23-prepare's own path");
	self[n] = 0;
	*strrchr(self, '/') = 0;
	snprintf(k23, sizeof(k23), "%s/k23", self);
	while (argv[argc])
		argc++;
	char **v = calloc((size_t)argc + 12, sizeof(char *));
	if (!v)
		return k23_fail(1, "out of memory");
	v[0] = k23, v[1] = "run", v[2] = "--tool", v[3] = "record", v[4] = "-o";
	v[5] = (char *)out;
	v[6] = "--prepare=never";	/* this command prepares; the run only records */
	n = 7;
	if (policy) /* the files an image loads under its libraries: */
		v[n++] = "--policy", v[n++] = (char *)policy;
	v[n++] = "--";
	memcpy(v + n, argv, (size_t)argc * sizeof(char *));
	pid = fork();
	if (pid == 0) {
		execv(k23, v);
		_exit(k23_fail(127, "%s: %s", k23, strerror(errno)));
	}
	free(v);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return k23_fail(1, "cannot run %s: %s", k23, strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fprintf(stderr, "k23: record: %s ended with status %d (its sites are still merged)\n",
			argv[0], WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

struct object_obs {
	char *path;
	struct k23_observed *v;
	size_t n, cap;
};

static int add_obs(struct object_obs **objs, size_t *nobjs, const char *path,
		   const struct k23_observed *o)
{
	size_t i;

	for (i = 0; i < *nobjs && strcmp((*objs)[i].path, path); i++)
		;
	if (i == *nobjs) {
		struct object_obs *nv = realloc(*objs, (*nobjs + 1) * sizeof(**objs));

		if (!nv)
			return -1;
		*objs = nv;
		memset(&nv[i], 0, sizeof(nv[i]));
		if (!(nv[i].path = strdup(path)))
			return -1;
		++*nobjs;
	}
	struct object_obs *ob = &(*objs)[i];
	for (size_t j = 0; j < ob->n; j++)
		if (ob->v[j].vaddr == o->vaddr)
			return 0; /* seen by another process already */
	if (ob->n == ob->cap) {
		size_t cap = ob->cap ? ob->cap * 2 : 32;
		struct k23_observed *nv = realloc(ob->v, cap * sizeof(*nv));

		if (!nv)
			return -1;
		ob->v = nv, ob->cap = cap;
	}
	ob->v[ob->n++] = *o;
	return 0;
}

int k23_prepare_record(const char *cache, char **argv, const char *policy)
{
	char out[] = "/tmp/k23-record.XXXXXX", line[PATH_MAX + 64];
	struct object_obs *objs = NULL;
	size_t nobjs = 0, elsewhere = 0, total = 0, unknown_all = 0;
	int fd = mkstemp(out), rc = 0;
	FILE *f;

	if (fd < 0)
		return k23_fail(1, "record: cannot create a temporary file: %s", strerror(errno));
	close(fd);
	rc = run_recorded(argv, out, policy);
	f = rc ? NULL : fopen(out, "r");
	while (f && fgets(line, sizeof(line), f)) {
		struct k23_observed o;
		uint64_t off;
		char *path;

		line[strcspn(line, "\n")] = 0;
		if (parse_site(line, &path, &off) != 0)
			continue;
		if (path[0] != '/' || to_observed(path, off, &o) != 0) {
			elsewhere++; /* vDSO, anonymous or JIT code: left to the catch-all */
			continue;
		}
		if (add_obs(&objs, &nobjs, path, &o)) {
			rc = k23_fail(1, "out of memory");
			break;
		}
	}
	if (f)
		fclose(f);
	unlink(out);
	for (size_t i = 0; i < nobjs; i++) {
		size_t unknown = 0;

		total += objs[i].n;
		if (!rc && k23_prepare_record_merge(cache, objs[i].path, objs[i].v, objs[i].n,
						    &unknown) != 0)
			rc = 1;
		if (unknown)
			fprintf(stderr, "k23: record: WARNING: %s: %zu executed site(s) the static scan "
				"did not find (kept catch-all only)\n", objs[i].path, unknown);
		unknown_all += unknown;
		free(objs[i].path);
		free(objs[i].v);
	}
	free(objs);
	if (!rc)
		printf("k23 prepare --record: %zu sites executed in %zu objects, %zu not found by the "
		       "static scan; %zu outside files (vDSO, generated code)\n",
		       total, nobjs, unknown_all, elsewhere);
	return rc;
}
