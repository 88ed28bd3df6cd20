/* sidecar_io.c - sidecars as files: reading whole, writing atomically, naming, and where the cache lives. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "sidecar.h"

#define MAX_SIDECAR K23_SIDECAR_MAX_SIZE

enum k23_sc_status k23_sidecar_load(const char *path, struct k23_sidecar *sc, const char **why)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	int fd;

	k23_sidecar_init(sc);
	*why = "";
	/* A FIFO or device must neither hang nor be read: no blocking open, no
	 * last symlink (k23 writes sidecars as regular files), then only a
	 * regular file is read. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0 && errno == ELOOP) {
		*why = "a symbolic link, not a regular file";
		return K23_SC_CORRUPT;
	}
	if (fd < 0)
		return errno == ENOENT ? K23_SC_MISSING : K23_SC_IO;
	if (fstat(fd, &st) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return K23_SC_IO;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		*why = S_ISDIR(st.st_mode) ? "a directory, not a regular file" : "not a regular file";
		return K23_SC_CORRUPT;
	}
	if ((uint64_t)st.st_size > MAX_SIDECAR) {
		close(fd);
		*why = "too large to be a sidecar";
		return K23_SC_CORRUPT;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		close(fd);
		*why = "out of memory";
		return K23_SC_NOMEM;
	}
	/* A file that shrinks meanwhile is read short: the size check in the
	 * header then rejects it. */
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			free(buf);
			errno = e;
			return K23_SC_IO;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return k23_sidecar_decode(buf, got, sc, why);
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

enum k23_sc_status k23_sidecar_store(const char *dir, const char *name, const struct k23_sidecar *sc,
				     const char **why)
{
	char tmp[PATH_MAX], dst[PATH_MAX];
	enum k23_sc_status st;
	void *buf;
	size_t len;
	int fd, e;

	st = k23_sidecar_encode(sc, &buf, &len, why);
	if (st != K23_SC_OK)
		return st;
	*why = "";
	if (snprintf(dst, sizeof(dst), "%s/%s", dir, name) >= (int)sizeof(dst) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name) >= (int)sizeof(tmp)) {
		free(buf);
		errno = ENAMETOOLONG;
		return K23_SC_IO;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		e = errno;
		free(buf);
		errno = e;
		return K23_SC_IO;
	}
	/* Readable by all: a cache prepared at image build time is read by
	 * whichever user the container runs as. */
	if (fchmod(fd, 0644) != 0 || write_all(fd, buf, len) != 0) {
		e = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) != 0 || rename(tmp, dst) != 0) {
		e = errno;
		goto fail;
	}
	free(buf);
	return K23_SC_OK;
fail:
	unlink(tmp);
	free(buf);
	errno = e;
	return K23_SC_IO;
}

/* --- identity, names, places --------------------------------------------------- */

int k23_sidecar_matches(const struct k23_sidecar *sc, const struct k23_sidecar_ident *obj)
{
	return sc->obj.size == obj->size && sc->obj.hash == obj->hash &&
	       sc->obj.build_id_len == obj->build_id_len &&
	       !memcmp(sc->obj.build_id, obj->build_id, obj->build_id_len);
}

int k23_sidecar_name(const struct k23_sidecar_ident *obj, char *buf, size_t size)
{
	size_t need = obj->build_id_len ? obj->build_id_len * 2 + 5 : 22;

	if (need > size)
		return -1;
	if (!obj->build_id_len) {
		snprintf(buf, size, "h%016llx%s", (unsigned long long)obj->hash, K23_SIDECAR_SUFFIX);
		return 0;
	}
	for (uint32_t i = 0; i < obj->build_id_len; i++)
		snprintf(buf + 2 * i, 3, "%02x", obj->build_id[i]);
	strcpy(buf + 2 * obj->build_id_len, K23_SIDECAR_SUFFIX);
	return 0;
}

static int join(char *buf, size_t size, const char *a, const char *b)
{
	return snprintf(buf, size, "%s%s", a, b) < (int)size ? 0 : -1;
}

int k23_sidecar_cache_dir(const char *opt, char *buf, size_t size, const char **why)
{
	const char *v;

	*why = "cache directory path too long";
	if (opt && *opt)
		return join(buf, size, opt, "");
	v = getenv("K23_CACHE");
	if (v && *v)
		return join(buf, size, v, "");
	/* The XDG spec says a relative XDG_CACHE_HOME is invalid: ignore it. */
	v = getenv("XDG_CACHE_HOME");
	if (v && v[0] == '/')
		return join(buf, size, v, "/k23");
	v = getenv("HOME");
	if (v && *v)
		return join(buf, size, v, "/.cache/k23");
	*why = "no cache directory: set K23_CACHE, XDG_CACHE_HOME or HOME, or use --cache DIR";
	return -1;
}

int k23_mkdir_p(const char *dir)
{
	char p[PATH_MAX];
	size_t n = strlen(dir);
	struct stat st;

	/* Nearly always there already: one stat instead of a mkdir per
	 * component (k23 run makes the cache directory at every start). */
	if (n && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (n == 0 || n >= sizeof(p)) {
		errno = n ? ENAMETOOLONG : ENOENT;
		return -1;
	}
	memcpy(p, dir, n + 1);
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;

		*s = 0;
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return -1;
		*s = c;
		if (!c)
			break;
	}
	if (stat(dir, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

