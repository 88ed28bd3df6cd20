/* serve.h - the proxy's loop: channel slots in, 9P sessions out. */
#ifndef K23_REMOTE_SERVE_H
#define K23_REMOTE_SERVE_H

#include "remote/chan.h"
#include "remote/conn.h"

/* st_dev of files of mount i: makedev(K23_REMOTE_DEV_MAJOR, i). */
#define K23_REMOTE_DEV_MAJOR 0x923

struct rserver {
	struct k23_chan_hdr *hdr;
	struct rconn conn[K23_CHAN_MAX_MOUNTS];
	int life_fd;		/* read end of the life pipe */
};

/* Serves until the life pipe reports that the tree is gone. */
void rserve_run(struct rserver *s);

/* One request (exposed for the loop and for tests). */
void rserve_one(struct rserver *s, struct k23_chan_slot *slot);

#endif
