/* test_ninep.c - unit tests of the 9P2000.L codec (common/ninep/ninep.c).
 *
 * Expected bytes are written out by hand from the message layouts of
 * 9P2000.L (diod's protocol description, the Linux v9fs client), not
 * produced by the encoder under test. The decoder is held to rejecting every
 * truncation and every size lie of replies that it accepts whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ninep/ninep.h"

static uint8_t buf[512];

static void test_tversion(void **state)
{
	(void)state;
	static const uint8_t want[] = {
		21, 0, 0, 0, 100, 0xff, 0xff,		/* size type tag=NOTAG */
		0x00, 0x00, 0x02, 0x00,			/* msize 131072 */
		8, 0, '9', 'P', '2', '0', '0', '0', '.', 'L',
	};
	assert_int_equal(p9_tversion(buf, sizeof(buf), 131072, "9P2000.L"), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	/* One byte short: nothing. */
	assert_int_equal(p9_tversion(buf, sizeof(want) - 1, 131072, "9P2000.L"), 0);
}

static void test_twalk(void **state)
{
	(void)state;
	const char *names[2] = { "ab", "c" };
	const uint16_t lens[2] = { 2, 1 };
	static const uint8_t want[] = {
		24, 0, 0, 0, 110, 5, 0,
		1, 0, 0, 0, 2, 0, 0, 0, 2, 0,
		2, 0, 'a', 'b', 1, 0, 'c',
	};
	assert_int_equal(p9_twalk(buf, sizeof(buf), 5, 1, 2, 2, names, lens), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(p9_twalk(buf, sizeof(buf), 5, 1, 2, P9_MAXWELEM + 1, names, lens), 0);
}

static void test_tlock(void **state)
{
	(void)state;
	static const uint8_t want[] = {
		39, 0, 0, 0, 52, 1, 0,
		7, 0, 0, 0,			/* fid */
		1,				/* WRLCK */
		0, 0, 0, 0,			/* flags */
		0x10, 0, 0, 0, 0, 0, 0, 0,	/* start */
		0x20, 0, 0, 0, 0, 0, 0, 0,	/* length */
		0x39, 0x30, 0, 0,		/* proc 12345 */
		1, 0, 'h',
	};
	assert_int_equal(p9_tlock(buf, sizeof(buf), 1, 7, P9_LOCK_WRLCK, 0, 16, 32, 12345, "h"),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void test_twrite_header(void **state)
{
	(void)state;
	uint32_t n = p9_twrite_hdr(buf, sizeof(buf), 3, 9, 4096, 100);

	assert_int_equal(n, 23);
	assert_int_equal(p9_msg_size(buf), 123);	/* the data follows */
	assert_int_equal(buf[4], P9_TWRITE);
}

static void test_decode_rlerror(void **state)
{
	(void)state;
	static const uint8_t msg[] = { 11, 0, 0, 0, 7, 4, 0, 2, 0, 0, 0 };
	struct p9_reply r;

	assert_int_equal(p9_decode(msg, sizeof(msg), &r), 0);
	assert_int_equal(r.type, P9_RLERROR);
	assert_int_equal(r.tag, 4);
	assert_int_equal(r.u.ecode, 2);
}

static void test_decode_rwalk(void **state)
{
	(void)state;
	static const uint8_t msg[] = {
		35, 0, 0, 0, 111, 1, 0, 2, 0,
		0x80, 1, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0,
		0x00, 2, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0,
	};
	struct p9_reply r;

	assert_int_equal(p9_decode(msg, sizeof(msg), &r), 0);
	assert_int_equal(r.u.walk.n, 2);
	assert_int_equal(r.u.walk.qid[0].type, P9_QTDIR);
	assert_int_equal(r.u.walk.qid[1].path, 10);
}

static void test_decode_rread_and_readdir(void **state)
{
	(void)state;
	static const uint8_t rread[] = { 14, 0, 0, 0, 117, 0, 0, 3, 0, 0, 0, 'x', 'y', 'z' };
	/* one entry: qid, offset 1, type DT_REG (8), name "f" */
	static const uint8_t rdir[] = {
		36, 0, 0, 0, 41, 0, 0, 25, 0, 0, 0,
		0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 0, 8, 1, 0, 'f',
	};
	struct p9_reply r;
	struct p9_dirent e;
	uint32_t pos = 0;

	assert_int_equal(p9_decode(rread, sizeof(rread), &r), 0);
	assert_int_equal(r.u.data.count, 3);
	assert_memory_equal(r.u.data.data, "xyz", 3);
	/* the count claims one byte more than the message holds */
	uint8_t lie[sizeof(rread)];
	memcpy(lie, rread, sizeof(lie));
	lie[7] = 4;
	assert_int_equal(p9_decode(lie, sizeof(lie), &r), -1);

	assert_int_equal(p9_decode(rdir, sizeof(rdir) - 1, &r), -1);	/* size field says 36 */
	uint8_t ok[sizeof(rdir)];
	memcpy(ok, rdir, sizeof(ok));
	ok[7] = 24;
	assert_int_equal(p9_decode(ok, sizeof(ok), &r), -1);	/* a byte left over */
	ok[7] = 25;
	assert_int_equal(p9_decode(ok, sizeof(ok), &r), 0);
	assert_int_equal(p9_dirent_next(r.u.data.data, r.u.data.count, &pos, &e), 1);
	assert_int_equal(e.offset, 1);
	assert_int_equal(e.type, 8);
	assert_int_equal(e.name.len, 1);
	assert_int_equal(e.name.s[0], 'f');
	assert_int_equal(p9_dirent_next(r.u.data.data, r.u.data.count, &pos, &e), 0);
	/* a name that runs past the data */
	pos = 0;
	assert_int_equal(p9_dirent_next(r.u.data.data, r.u.data.count - 1, &pos, &e), -1);
}

/* Every proper prefix of a valid reply, with its size field rewritten to
 * match, is rejected; so is the whole reply with one byte appended. */
static void test_truncations_rejected(void **state)
{
	(void)state;
	uint8_t msg[160] = { 0 }, cut[161];
	struct p9_reply r;
	uint32_t n = 7 + 8 + 13 + 3 * 4 + 8 * 15;	/* Rgetattr */

	msg[4] = P9_RGETATTR;
	for (uint32_t i = 0; i < 4; i++)
		msg[i] = (uint8_t)(n >> (8 * i));
	assert_int_equal(p9_decode(msg, n, &r), 0);
	for (uint32_t k = 0; k < n; k++) {
		memcpy(cut, msg, k);
		if (k >= 4)
			for (uint32_t i = 0; i < 4; i++)
				cut[i] = (uint8_t)(k >> (8 * i));
		assert_int_equal(p9_decode(cut, k, &r), -1);
	}
	memcpy(cut, msg, n);
	cut[n] = 0;
	cut[0] = (uint8_t)(n + 1);
	assert_int_equal(p9_decode(cut, n + 1, &r), -1);
}

static void test_bad_types_and_walks(void **state)
{
	(void)state;
	uint8_t msg[16] = { 7, 0, 0, 0, P9_TREAD, 0, 0 };
	struct p9_reply r;

	assert_int_equal(p9_decode(msg, 7, &r), -1);	/* a request, not a reply */
	msg[4] = 200;
	assert_int_equal(p9_decode(msg, 7, &r), -1);
	uint8_t walk[] = { 9, 0, 0, 0, P9_RWALK, 0, 0, 17, 0 };
	assert_int_equal(p9_decode(walk, sizeof(walk), &r), -1);	/* 17 qids */
	uint8_t rclunk[] = { 7, 0, 0, 0, P9_RCLUNK, 0, 0 };
	assert_int_equal(p9_decode(rclunk, 6, &r), -1);		/* size field lies */
	assert_int_equal(p9_decode(rclunk, 7, &r), 0);
	/* a string length beyond the message */
	uint8_t rl[] = { 10, 0, 0, 0, P9_RREADLINK, 0, 0, 2, 0, 'a' };
	assert_int_equal(p9_decode(rl, sizeof(rl), &r), -1);
	rl[7] = 1;
	assert_int_equal(p9_decode(rl, sizeof(rl), &r), 0);
	assert_int_equal(r.u.target.len, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tversion),
		cmocka_unit_test(test_twalk),
		cmocka_unit_test(test_tlock),
		cmocka_unit_test(test_twrite_header),
		cmocka_unit_test(test_decode_rlerror),
		cmocka_unit_test(test_decode_rwalk),
		cmocka_unit_test(test_decode_rread_and_readdir),
		cmocka_unit_test(test_truncations_rejected),
		cmocka_unit_test(test_bad_types_and_walks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
