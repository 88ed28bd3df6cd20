/* record.c - the place of `k23 prepare --record`: merging sites observed at run time into sidecars.
 *
 * Still to come (the lead's part): running PROG once under `k23 run` with
 * patching off and collecting (object, link-time address) pairs; then
 * k23_prepare_record_merge() per object, reporting loudly every observed site
 * the static scan had not found.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
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
