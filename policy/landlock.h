/* landlock.h - Landlock's UAPI as k23 uses it: the rights up to ABI 5 and the raw system calls.
 *
 * Debian 12's kernel headers stop at ABI 3; what later ABIs add is defined
 * here, each guarded, with the kernel's values. Both k23-prepare (which
 * decides the rules) and k23 (which installs them) include this file.
 */
#ifndef K23_POLICY_LANDLOCK_H
#define K23_POLICY_LANDLOCK_H

#include <stdint.h>
#include <linux/landlock.h>
#include <sys/syscall.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#endif
#define K23_LANDLOCK_RULE_NET_PORT 2	/* LANDLOCK_RULE_NET_PORT (ABI 4) */

/* struct landlock_ruleset_attr as of ABI 4 (handled_access_net added). */
struct k23_landlock_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
};

/* struct landlock_net_port_attr (ABI 4). */
struct k23_landlock_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

/* Rights that apply to a file (the others only to directories). */
#define K23_LANDLOCK_FILE_RIGHTS (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
				  LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE | \
				  LANDLOCK_ACCESS_FS_IOCTL_DEV)
/* "read": list, open for reading, execute (k23 maps programs by reading them). */
#define K23_LANDLOCK_READ (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | \
			   LANDLOCK_ACCESS_FS_READ_DIR)

#endif
