/* prepare_libs.c - `k23 prepare --policy FILE PROG`: the closure PROG loads under the policy's libraries:, bundle files in place of the system's.
 *
 * The policy is compiled to its blob (policy/blob.h) and the closure's
 * candidates are passed through the runtime's own rule
 * (common/rt/vlib_match.c), so prepare and the runtime cannot disagree on
 * which file an image of PROG loads: the bundle's libraries get sidecars
 * and are patched at load, as the system's would.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "elf_dyn.h"
#include "log.h"
#include "offline.h"
#include "policy/policy.h"
#include "policy/blob.h"
#include "common/rt/vlib_match.h"

static struct {
	struct k23_policy_view v;
	const struct k23_policy_lib *lib;
} bundle;

static int redirect(const char *path, char *out, void *arg)
{
	(void)arg;
	return k23_vlib_match(&bundle.v, bundle.lib, path, out, PATH_MAX) != 0;
}

/* The blob as k23 run would receive it, mapped from a memfd. */
static int compile_view(const struct policy *p, struct k23_policy_view *v)
{
	struct pol_compiled c = { 0 };
	int fd = memfd_create("k23-policy", MFD_CLOEXEC);
	struct stat st;
	void *m;

	if (fd < 0 || k23_policy_write_blob(p, &c, fd) != 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return -1;
	return k23_policy_view(m, (unsigned long)st.st_size, v) ? 0 : -1;
}

int k23_prepare_libs(const char *file, const char *prog, struct k23_ld_config *cfg)
{
	struct policy p;
	struct stat st;
	char real[PATH_MAX];
	int rc = k23_policy_read(file, &p);

	if (rc)
		return rc;
	if (!realpath(prog, real) || stat(real, &st) != 0) {
		k23_policy_free(&p);
		return k23_fail(1, "%s: %s", prog, strerror(errno));
	}
	/* The images of prog are those the runtime binds: by path or file. */
	for (int i = 0; i < p.nlibs; i++) {
		if (strcmp(p.libs[i].exe, real) && (p.libs[i].dev != st.st_dev || p.libs[i].ino != st.st_ino))
			continue;
		if (compile_view(&p, &bundle.v) != 0) {
			k23_policy_free(&p);
			return k23_fail(1, "%s: cannot compile the policy: %s", file, strerror(errno));
		}
		bundle.lib = &bundle.v.lib[i];
		cfg->redirect = redirect;
		break;
	}
	k23_policy_free(&p);
	return 0;
}
