/* own.c - what k23 itself must be able to open under a policy's file rules, granted and labelled.
 *
 * Landlock binds the whole process, k23's runtime included, and cannot tell
 * k23's opens from the program's: whatever k23 needs is granted to the
 * program too, which is why `k23 policy explain` lists these grants.
 *  - k23's binary: every execve in the tree re-executes it (online/process/reexec.c),
 *    and k23-core beside it, which that launcher maps (loader/launcher.h);
 *  - k23-prepare: so that `k23` commands keep working inside the tree;
 *  - the sidecar cache: read at every image start to patch syscall sites;
 *  - /proc: the loader reads /proc/self/stat (loader/mm_record.c) and lazy
 *    patching /proc/self/maps. Paths reached through /proc's magic links
 *    (/proc/self/root/..., /proc/self/fd/N) are checked on the file they
 *    lead to, so this grant opens no other tree.
 * The tool output (-o FILE, or stderr) is opened before the policy is
 * installed: Landlock checks opens, not the use of descriptors already open.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "policy/policy.h"

static void grant(struct policy *p, const char *path, const char *why)
{
	char real[PATH_MAX];

	if (!path || !realpath(path, real))
		return;
	for (int i = 0; i < p->npaths; i++)
		if (p->paths[i].own && !strcmp(p->paths[i].path, real))
			return;
	p->paths = realloc(p->paths, (size_t)(p->npaths + 1) * sizeof(*p->paths));
	if (!p->paths)
		abort();
	p->paths[p->npaths++] = (struct pol_path_rule){ .kind = POL_PATH_READ, .path = strdup(real),
		.written = strdup(real), .own = 1, .why = why };
}

void k23_policy_add_own(struct policy *p, const struct pol_self *self)
{
	grant(p, self->k23, "k23's binary: every execve re-executes it");
	grant(p, self->core, "k23-core: k23's launcher maps it at every start");
	grant(p, self->prepare, "k23-prepare: k23's offline commands");
	grant(p, self->cache, "the sidecar cache, read-only: read at each image's start");
	grant(p, "/proc", "the loader reads /proc/self/stat and /proc/self/maps");
}
