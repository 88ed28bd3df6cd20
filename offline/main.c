/* main.c - k23-prepare: the offline pass behind `k23 prepare` and `k23 sites`, and what both share. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "log.h"
#include "offline.h"
#include "policy/policy.h"

void k23_object_ident(const struct k23_elf_obj *o, struct k23_sidecar_ident *id)
{
	int n;

	memset(id, 0, sizeof(*id));
	id->size = o->size;
	id->hash = o->hash;
	/* A malformed note or an over-long build-id: named by content hash. */
	n = k23_elf_build_id(o, id->build_id, sizeof(id->build_id));
	id->build_id_len = n > 0 ? (uint32_t)n : 0;
}

int k23_sidecar_path(const char *dir, const struct k23_sidecar_ident *id, char *buf, size_t size)
{
	char name[2 * K23_SIDECAR_BUILD_ID_MAX + 8];

	if (k23_sidecar_name(id, name, sizeof(name)) != 0)
		return -1;
	return snprintf(buf, size, "%s/%s", dir, name) < (int)size ? 0 : -1;
}

int k23_elf_load_error(const char *path, enum k23_elf_err err, const struct k23_elf_obj *o)
{
	if (err == K23_ELF_IO)
		return k23_fail(errno == ENOENT ? 127 : errno == EACCES ? 126 : 1, "%s: %s", path,
				strerror(errno));
	return k23_fail(126, "%s: %s", path, k23_elf_strerror(err, &o->e));
}

int main(int argc, char **argv)
{
	/* cli/offline.c executes "k23-prepare SUBCOMMAND ARGS...". */
	if (argc >= 2 && !strcmp(argv[1], "prepare"))
		return k23_prepare_main(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "policy"))
		return k23_policy_main(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "cache"))
		return k23_cache_main(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "sites"))
		return k23_sites_main(argc - 1, argv + 1);
	return k23_fail(2, "k23-prepare is run by k23: use `k23 prepare` or `k23 sites`");
}
