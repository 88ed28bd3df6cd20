/* cache_cli.c - `k23 cache list|verify|prune`: what the sidecar cache holds, whether it still fits, and cleaning it.
 *
 * A sidecar is stale when the object it was prepared from (the path in its
 * header) is gone or is now another file: another build-id (an upgraded
 * library), size or content. verify hashes each object whole, as k23
 * prepare does. prune removes stale and corrupt sidecars with their stamps,
 * want markers naming objects that are gone, and leftovers of interrupted
 * writers: temporary files not written to for LEFTOVER_S, and the lock
 * files of objects (a k23 prepare removes its own; one killed leaves it),
 * only while it holds a lock on the cache directory exclusively (no k23
 * prepare at work: each holds it shared). `prune --all` empties the
 * cache of everything k23 made. Nothing is removed that k23 did not make:
 * sidecars, stamps and markers are recognised by their magic, locks (empty)
 * and temporary files by their names; anything else is left alone and
 * counted.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "log.h"
#include "offline.h"
#include "online/sidecar/sidecar_want.h"

#define LEFTOVER_S 60	/* a temporary file untouched this long has no writer left */
#define STAMP_MAGIC "K23SEEN1"

enum action { A_LIST, A_VERIFY, A_PRUNE };

struct cache {
	char dir[PATH_MAX];
	int dfd;
	int idle;	/* the directory locked exclusively: no k23 prepare at work */
	int all;	/* prune --all */
	size_t removed, kept, foreign, bad;
	unsigned long long removed_bytes;
};

static int usage_error(const char *what)
{
	return k23_fail(2, "cache: %s (usage: k23 cache [--cache DIR] list|verify|prune [--all])", what);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/* name is "<hex>SUFFIX" or "h<hex>SUFFIX" (a sidecar's, a stamp's, a lock's). */
static int hex_name(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	const char *p = name[0] == 'h' ? name + 1 : name;

	if (!ends_with(name, suffix) || n - k - (size_t)(p - name) < 2)
		return 0;
	return strspn(p, "0123456789abcdef") == n - k - (size_t)(p - name);
}

/* The first 8 bytes of dir/name are magic (a regular file, not followed);
 * with last_page, the first 8 of its last 4096 (a patched copy's trailer). */
static int magic_at(int dfd, const char *name, const char *magic, int last_page)
{
	char buf[8];
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	int r = 0;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (!last_page || st.st_size >= 4096) &&
	    pread(fd, buf, 8, last_page ? st.st_size - 4096 : 0) == 8)
		r = !memcmp(buf, magic, 8);
	close(fd);
	return r;
}

static int has_magic(int dfd, const char *name, const char *magic)
{
	return magic_at(dfd, name, magic, 0);
}

/* name is a patched copy, "<hex id>.<16 hex>-<offset>.patched"
 * (online/patch/prepatched.c), or its stamp (the same and ".seen"): the
 * length of its id, else 0. */
static size_t copy_name(const char *name, int *stamp)
{
	const char *p = name[0] == 'h' ? name + 1 : name;
	size_t id = strspn(p, "0123456789abcdef"), rt, off;

	p += id;
	if (id < 2 || *p++ != '.' || (rt = strspn(p, "0123456789abcdef")) != 16 || p[16] != '-')
		return 0;
	p += 17;
	if (!(off = strspn(p, "0123456789")))
		return 0;
	p += off;
	*stamp = !strcmp(p, ".patched.seen");
	return *stamp || !strcmp(p, ".patched") ? id + (name[0] == 'h') : 0;
}

static void age(time_t t, char *buf, size_t size)
{
	long s = (long)(time(NULL) - t);

	if (s < 0)
		s = 0;
	if (s < 120)
		snprintf(buf, size, "%lds", s);
	else if (s < 7200)
		snprintf(buf, size, "%ldm", s / 60);
	else if (s < 172800)
		snprintf(buf, size, "%ldh", s / 3600);
	else
		snprintf(buf, size, "%ldd", s / 86400);
}

static void remove_file(struct cache *c, int dfd, const char *name, const char *why)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return;
	if (unlinkat(dfd, name, 0) != 0) {
		fprintf(stderr, "k23: cache: cannot remove %s: %s\n", name, strerror(errno));
		c->bad++;
		return;
	}
	c->removed++;
	c->removed_bytes += (unsigned long long)st.st_size;
	if (why)
		printf("removed %s: %s\n", name, why);
}

/* Why the sidecar sc (file name) no longer fits its object, or NULL. */
static const char *stale_why(const struct k23_sidecar *sc, const char *name, char *buf, size_t size)
{
	struct k23_sidecar_ident id;
	struct k23_elf_obj o;
	char want[2 * K23_SIDECAR_BUILD_ID_MAX + 8];
	const char *path = sc->object_path;
	enum k23_elf_err err;

	if (k23_sidecar_name(&sc->obj, want, sizeof(want)) || strcmp(want, name))
		return "its name is not its object's";
	if (!path || path[0] != '/')
		return "no object path recorded";
	err = k23_elf_load(path, &o);
	if (err == K23_ELF_IO && (errno == ENOENT || errno == ENOTDIR)) {
		snprintf(buf, size, "%s is gone", path);
		return buf;
	}
	if (err) {
		snprintf(buf, size, "%s: %s", path, err == K23_ELF_IO ? strerror(errno) : k23_elf_strerror(err, &o.e));
		return buf;
	}
	k23_object_ident(&o, &id);
	k23_elf_unload(&o);
	if (k23_sidecar_matches(sc, &id))
		return NULL;
	if (id.build_id_len != sc->obj.build_id_len ||
	    memcmp(id.build_id, sc->obj.build_id, id.build_id_len))
		snprintf(buf, size, "%s now has another build-id (upgraded or rebuilt)", path);
	else if (id.size != sc->obj.size)
		snprintf(buf, size, "%s changed (size %llu, was %llu)", path, (unsigned long long)id.size,
			 (unsigned long long)sc->obj.size);
	else
		snprintf(buf, size, "%s changed (content)", path);
	return buf;
}

static void one_sidecar(struct cache *c, const char *name, enum action a)
{
	struct k23_sidecar sc;
	struct stat st;
	char path[PATH_MAX * 2], why_buf[PATH_MAX + 128], when[24], id[160];
	const char *why;
	enum k23_sc_status s;

	snprintf(path, sizeof(path), "%s/%s", c->dir, name);
	if (fstatat(c->dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return;
	snprintf(id, sizeof(id), "%.*s", (int)(strlen(name) - strlen(K23_SIDECAR_SUFFIX)), name);
	s = k23_sidecar_load(path, &sc, &why);
	if (s != K23_SC_OK) {
		const char *what = s == K23_SC_IO ? strerror(errno) : why;

		if (!has_magic(c->dfd, name, K23_SIDECAR_MAGIC)) {
			c->foreign++;
			if (a != A_PRUNE)
				printf("%-41s not a k23 sidecar (%s); left alone\n", id, what);
			k23_sidecar_free(&sc);
			return;
		}
		if (a == A_PRUNE && c->all) {
			remove_file(c, c->dfd, name, NULL);
		} else if (a == A_PRUNE) {
			snprintf(why_buf, sizeof(why_buf), "corrupt (%s)", what);
			remove_file(c, c->dfd, name, why_buf);
		} else {
			printf("%-41s corrupt: %s\n", id, what);
			c->bad++;
		}
		k23_sidecar_free(&sc);
		return;
	}
	if (a == A_PRUNE && c->all) {
		remove_file(c, c->dfd, name, NULL);
		k23_sidecar_free(&sc);
		return;
	}
	if (a == A_LIST) {
		age(st.st_mtime, when, sizeof(when));
		printf("%-41s %6zu %8lld %5s  %s\n", id, sc.nsites, (long long)st.st_size, when,
		       sc.object_path ? sc.object_path : "?");
		c->kept++;
		k23_sidecar_free(&sc);
		return;
	}
	why = stale_why(&sc, name, why_buf, sizeof(why_buf));
	if (!why) {
		if (a == A_VERIFY)
			printf("ok      %s  %s\n", id, sc.object_path);
		c->kept++;
	} else if (a == A_VERIFY) {
		printf("stale   %s  %s\n", id, why);
		c->bad++;
	} else {
		char stamp[200];

		remove_file(c, c->dfd, name, why);
		snprintf(stamp, sizeof(stamp), "%s.seen", id);
		if (has_magic(c->dfd, stamp, STAMP_MAGIC))
			remove_file(c, c->dfd, stamp, NULL);
	}
	k23_sidecar_free(&sc);
}

static int is_temp(const char *name)
{
	/* .<sidecar>.XXXXXX (k23_sidecar_store), <stamp>.tmp<tid> (stamps),
	 * .<id>.tmp<tid> (want markers), .k23-probe.XXXXXX (k23 prepare) */
	const char *t = strstr(name, ".tmp");

	if (!strncmp(name, ".k23-probe.", 11))
		return 1;
	if (name[0] == '.' && strstr(name, K23_SIDECAR_SUFFIX "."))
		return 1;
	return t && t[4] && strspn(t + 4, "0123456789") == strlen(t + 4);
}

/* A temporary file nobody writes any more. */
static int leftover(int dfd, const char *name)
{
	struct stat st;

	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
	       time(NULL) - st.st_mtime > LEFTOVER_S;
}

static int empty_regular(int dfd, const char *name)
{
	struct stat st;

	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
	       st.st_size == 0;
}

/* want/: markers whose object is gone (all of them with --all), leftovers. */
static void prune_want(struct cache *c)
{
	int wfd = openat(c->dfd, "want", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	DIR *w = wfd >= 0 ? fdopendir(wfd) : NULL;
	struct dirent *d;

	if (!w) {
		if (wfd >= 0)
			close(wfd);
		return;
	}
	while ((d = readdir(w))) {
		char buf[8 + PATH_MAX];
		const char *n = d->d_name;
		int fd;
		ssize_t len;

		if (!strcmp(n, ".") || !strcmp(n, ".."))
			continue;
		if (is_temp(n)) {
			if (c->all || leftover(dirfd(w), n))
				remove_file(c, dirfd(w), n, NULL);
			continue;
		}
		fd = openat(dirfd(w), n, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
		len = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		if (fd >= 0)
			close(fd);
		if (len <= 8 || memcmp(buf, K23_WANT_MAGIC, 8)) {
			c->foreign++;
			continue;
		}
		buf[len] = 0;
		if (c->all || access(buf + 8, F_OK) != 0)
			remove_file(c, dirfd(w), n, NULL);
	}
	closedir(w);
	if (c->all)
		unlinkat(c->dfd, "want", AT_REMOVEDIR);
}

/* Everything but the sidecars: stamps, locks, temporary files, the image copy. */
static void prune_other(struct cache *c, const char *n)
{
	char side[300];
	int stamp;

	if (copy_name(n, &stamp))
		return;	/* after the sidecars (prune_copies) */
	if (hex_name(n, ".seen")) {
		snprintf(side, sizeof(side), "%.*s%s", (int)(strlen(n) - 5), n, K23_SIDECAR_SUFFIX);
		if (!has_magic(c->dfd, n, STAMP_MAGIC))
			c->foreign++;
		else if (c->all || faccessat(c->dfd, side, F_OK, AT_SYMLINK_NOFOLLOW) != 0)
			remove_file(c, c->dfd, n, NULL);
		return;
	}
	if (hex_name(n, ".lock")) {
		if (!empty_regular(c->dfd, n))
			c->foreign++;
		else if (c->idle)
			remove_file(c, c->dfd, n, NULL);
		return;
	}
	if (is_temp(n)) {
		if ((c->all && c->idle) || leftover(c->dfd, n))
			remove_file(c, c->dfd, n, NULL);
		return;
	}
	if (!strcmp(n, ".k23-image")) {	/* loader/selfcopy.c's, made again when needed */
		if (c->all)
			remove_file(c, c->dfd, n, NULL);
		return;
	}
	if (strcmp(n, "want"))
		c->foreign++;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

#define COPY_MAGIC "K23PTXT1"

/* A patched copy goes with its sidecar (and with --all); its stamp with it. */
static void prune_copy(struct cache *c, const char *n, size_t id, int stamp)
{
	char other[300];

	if (stamp) {
		snprintf(other, sizeof(other), "%.*s", (int)(strlen(n) - 5), n);
		if (!has_magic(c->dfd, n, STAMP_MAGIC))
			c->foreign++;
		else if (c->all || faccessat(c->dfd, other, F_OK, AT_SYMLINK_NOFOLLOW) != 0)
			remove_file(c, c->dfd, n, NULL);
		return;
	}
	snprintf(other, sizeof(other), "%.*s%s", (int)id, n, K23_SIDECAR_SUFFIX);
	if (!magic_at(c->dfd, n, COPY_MAGIC, 1))
		c->foreign++;
	else if (c->all || faccessat(c->dfd, other, F_OK, AT_SYMLINK_NOFOLLOW) != 0)
		remove_file(c, c->dfd, n, NULL);
}

/* Patched copies once the sidecars are pruned (a copy sorts before its
 * sidecar), their stamps once the copies are. */
static void prune_copies(struct cache *c)
{
	for (int pass = 0; pass < 2; pass++) {
		struct dirent **names;
		int n = scandir(c->dir, &names, NULL, by_name);

		for (int i = 0; i < n; i++) {
			int stamp;
			size_t id = copy_name(names[i]->d_name, &stamp);

			if (id && stamp == pass)
				prune_copy(c, names[i]->d_name, id, stamp);
			free(names[i]);
		}
		if (n >= 0)
			free(names);
	}
}

int k23_cache_main(int argc, char **argv)
{
	const char *opt = NULL, *why;
	struct cache c = { .dfd = -1 };
	struct dirent **names;
	int action = -1, n, lfd = -1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cache")) {
			if (++i == argc)
				return usage_error("--cache needs a directory");
			opt = argv[i];
		} else if (!strncmp(argv[i], "--cache=", 8)) {
			opt = argv[i] + 8;
		} else if (!strcmp(argv[i], "--all")) {
			c.all = 1;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: k23 cache [--cache DIR] list|verify|prune [--all]\n"
			       "  list          each sidecar: build-id, sites, bytes, age, the object it was made for\n"
			       "  verify        whether each sidecar still fits its object (exit 1 if one does not)\n"
			       "  prune         remove stale and corrupt sidecars and leftovers of k23's own\n"
			       "  prune --all   remove everything k23 made in the cache\n");
			return 0;
		} else if (argv[i][0] == '-') {
			return usage_error("unknown option");
		} else if (action >= 0) {
			return usage_error("one action only");
		} else if (!strcmp(argv[i], "list")) {
			action = A_LIST;
		} else if (!strcmp(argv[i], "verify")) {
			action = A_VERIFY;
		} else if (!strcmp(argv[i], "prune")) {
			action = A_PRUNE;
		} else {
			return usage_error("unknown action");
		}
	}
	if (action < 0)
		return usage_error("list, verify or prune?");
	if (c.all && action != A_PRUNE)
		return usage_error("--all is for prune");
	if (k23_sidecar_cache_dir(opt, c.dir, sizeof(c.dir), &why) != 0)
		return k23_fail(1, "%s", why);
	c.dfd = open(c.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c.dfd < 0) {
		if (errno == ENOENT && action != A_VERIFY) {
			printf("k23 cache: %s does not exist: empty\n", c.dir);
			return 0;
		}
		return k23_fail(1, "cache: %s: %s", c.dir, strerror(errno));
	}
	if (action == A_PRUNE) {
		/* on its own open file: c.dfd's is read by scandir */
		lfd = open(c.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		c.idle = lfd >= 0 && flock(lfd, LOCK_EX | LOCK_NB) == 0;
		if (c.all && !c.idle) {
			close(c.dfd);
			return k23_fail(1, "cache: %s: a k23 prepare is at work in this cache; try again later", c.dir);
		}
	}
	n = scandir(c.dir, &names, NULL, by_name);
	if (n < 0) {
		close(c.dfd);
		return k23_fail(1, "cache: %s: %s", c.dir, strerror(errno));
	}
	if (action == A_LIST)
		printf("%-41s %6s %8s %5s  %s\n", "BUILD-ID", "SITES", "BYTES", "AGE", "OBJECT");
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		if (strcmp(name, ".") && strcmp(name, "..")) {
			if (name[0] != '.' && ends_with(name, K23_SIDECAR_SUFFIX))
				one_sidecar(&c, name, action);
			else if (action == A_PRUNE)
				prune_other(&c, name);
		}
		free(names[i]);
	}
	free(names);
	if (action == A_PRUNE) {
		prune_copies(&c);
		prune_want(&c);
		printf("k23 cache prune: removed %zu file%s (%llu bytes)%s; %zu sidecar%s kept; "
		       "%zu file%s not k23's left alone; cache %s\n",
		       c.removed, c.removed == 1 ? "" : "s", c.removed_bytes,
		       c.idle ? "" : "; a k23 prepare is at work: its locks and files left",
		       c.kept, c.kept == 1 ? "" : "s", c.foreign, c.foreign == 1 ? "" : "s", c.dir);
	} else if (action == A_VERIFY) {
		printf("k23 cache verify: %zu sidecar%s fit, %zu stale or corrupt; cache %s\n", c.kept,
		       c.kept == 1 ? "" : "s", c.bad, c.dir);
	} else {
		size_t marks = 0;
		int wfd = openat(c.dfd, "want", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		DIR *w = wfd >= 0 ? fdopendir(wfd) : NULL;
		struct dirent *d;

		while (w && (d = readdir(w)))
			marks += d->d_name[0] != '.';
		if (w)
			closedir(w);
		else if (wfd >= 0)
			close(wfd);
		printf("k23 cache: %zu sidecar%s, %zu object%s marked for preparation; cache %s\n",
		       c.kept, c.kept == 1 ? "" : "s", marks, marks == 1 ? "" : "s", c.dir);
	}
	if (lfd >= 0)
		close(lfd);
	close(c.dfd);
	return action != A_LIST && c.bad ? 1 : 0;
}
