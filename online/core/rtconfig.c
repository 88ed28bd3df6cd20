/* rtconfig.c - encoding k23_rt's inheritable fields as "c=N,t=N,o=FD,s=FD,f=N,p=N,l=N,v=N,n=N,y=FD,a=FD,r=FD,e=FD,w=N,u=N[,g=1],d=DIR".
 *
 * d, the sidecar cache directory, comes last and runs to the end of the
 * string: a path may hold commas. g=1, present only then, says the program
 * installed a seccomp filter of its own, which the new image is still
 * under (k23_program_filters, dispatch.c). h=X.X..., present when there are
 * any, carries the digests of the stamps this process read or wrote
 * (k23_rt.seen, online/sidecar/sidecar_stamp.c) in hex. */
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/core/rtconfig.h"
#include "online/process/procview.h"
#include "online/dispatch/dispatch.h"

static const char keys[] = "ctosfplvnyarewu";
#define NKEYS 15

static long *field(char key, long *vals)
{
	for (int i = 0; keys[i]; i++)
		if (keys[i] == key)
			return &vals[i];
	return 0;
}

/* The hand-over record also carries AT_EXECFN and k23's path after these
 * settings (online/process/reexec.c): the stamps' digests, an
 * optimisation, go only where they leave room for both at their longest. */
#define SEEN_ROOM (2 * 4096 + 64)

static size_t encode_seen(char *buf, size_t n, size_t size)
{
	const char *sep = ",h=";

	for (unsigned i = 0; i < K23_SEEN_KEPT; i++) {
		uint64_t d = __atomic_load_n(&k23_rt.seen[i], __ATOMIC_RELAXED);

		if (!d || n + 3 + 16 + SEEN_ROOM > size)
			continue;
		k23_memcpy(buf + n, sep, k23_strlen(sep));
		n += k23_strlen(sep);
		sep = ".";
		for (int k = 60; k >= 0; k -= 4)
			buf[n++] = "0123456789abcdef"[(d >> k) & 15];
	}
	return n;
}

/* h=X.X...: into k23_rt.seen; the position after it, or 0 if malformed. */
static const char *decode_seen(const char *s)
{
	unsigned i = 0;

	s += 2;
	for (;;) {
		uint64_t d = 0;
		int k = 0;

		for (; k < 16; k++, s++) {
			int c = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;

			if (c < 0)
				break;
			d = d << 4 | (unsigned)c;
		}
		if (k != 16 || !d || i == K23_SEEN_KEPT)
			return 0;
		k23_rt.seen[i++] = d;
		if (*s != '.')
			break;
		s++;
	}
	k23_rt.seen_next = i;
	return *s == ',' ? s + 1 : 0;
}

size_t k23_rtconfig_encode(char *buf, size_t size)
{
	/* The descriptors and limit of the calling process (procview.c),
	 * looked up once. */
	const struct k23_procview *v = k23_procview();
#define MINE(f) (v ? (long)v->f : (long)k23_rt.f)
	long vals[NKEYS] = { k23_rt.catch_all, k23_rt.tool, MINE(out_fd), MINE(state_fd),
			      k23_rt.install_filter, k23_rt.patch, k23_rt.lazy, k23_rt.stats,
			      MINE(nofile_hard), MINE(policy_fd), MINE(log_fd), MINE(chan_fd),
			      MINE(life_fd), k23_rt.cache_write, (long)k23_rt.cache_uid };
#undef MINE
	size_t dlen = k23_strlen(k23_rt.cache_dir);
	char num[24];
	size_t n = 0;

	for (int i = 0; keys[i]; i++) {
		size_t len = k23_utoa((unsigned long)(vals[i] < 0 ? 0 : vals[i]), num);

		if (n + len + 5 > size)
			return 0;
		if (i)
			buf[n++] = ',';
		buf[n++] = keys[i];
		buf[n++] = '=';
		if (vals[i] < 0)
			buf[n++] = '-', num[0] = '1', len = 1;
		k23_memcpy(buf + n, num, len);
		n += len;
	}
	if (n + dlen + 8 > size)
		return 0;
	if (__atomic_load_n(&k23_program_filters, __ATOMIC_ACQUIRE)) {
		k23_memcpy(buf + n, ",g=1", 4);
		n += 4;
	}
	n = encode_seen(buf, n, size - dlen);
	if (n + dlen + 8 > size)
		return 0;
	k23_memcpy(buf + n, ",d=", 3);
	k23_memcpy(buf + n + 3, k23_rt.cache_dir, dlen);
	n += 3 + dlen;
	buf[n] = 0;
	return n;
}

int k23_rtconfig_decode(const char *s)
{
	long vals[NKEYS] = { -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2 };
	const char *dir = 0;
	int prog_filters = 0;

	while (*s) {
		if (s[0] == 'd' && s[1] == '=') {
			dir = s + 2;
			break;
		}
		if (s[0] == 'h' && s[1] == '=') {
			if (!(s = decode_seen(s)))
				return -1;
			continue;
		}
		if (s[0] == 'g' && s[1] == '=' && s[2] == '1' && s[3] == ',') {
			prog_filters = 1;
			s += 4;
			continue;
		}
		char key = *s, num[24];
		long *v = field(key, vals);
		int neg = 0;
		size_t len = 0;

		if (!v || s[1] != '=')
			return -1;
		s += 2;
		if (*s == '-')
			neg = 1, s++;
		while (*s && *s != ',' && len < sizeof(num) - 1)
			num[len++] = *s++;
		num[len] = 0;
		*v = k23_atol(num);
		if (*v < 0)
			return -1;
		if (neg)
			*v = -*v;
		if (*s == ',')
			s++;
	}
	for (int i = 0; i < NKEYS; i++)
		if (vals[i] == -2)
			return -1;
	if (!dir || k23_strlen(dir) >= sizeof(k23_rt.cache_dir))
		return -1;
	k23_memcpy(k23_rt.cache_dir, dir, k23_strlen(dir) + 1);
	k23_rt.catch_all = (int)vals[0];
	k23_rt.tool = (int)vals[1];
	k23_rt.out_fd = (int)vals[2];
	k23_rt.state_fd = (int)vals[3];
	k23_rt.install_filter = (int)vals[4];
	k23_rt.patch = (int)vals[5];
	k23_rt.lazy = (int)vals[6];
	k23_rt.stats = (int)vals[7];
	k23_rt.nofile_hard = (unsigned long)vals[8];
	k23_rt.policy_fd = (int)vals[9];
	k23_rt.log_fd = (int)vals[10];
	k23_rt.chan_fd = (int)vals[11];
	k23_rt.life_fd = (int)vals[12];
	k23_rt.cache_write = (int)vals[13];
	k23_rt.cache_uid = (unsigned long)vals[14];
	if (prog_filters)
		__atomic_store_n(&k23_program_filters, 1, __ATOMIC_RELEASE);
	return 0;
}
