/* groups.h - systemd's system call groups (@mount, @file-system, ...), as a table. */
#ifndef K23_POLICY_GROUPS_H
#define K23_POLICY_GROUPS_H

struct k23_pol_group {
	const char *name;	/* "@mount" */
	const char *help;
	const char *members;	/* NUL-separated, ends with an empty member */
};
extern const struct k23_pol_group k23_pol_groups[];
extern const int k23_pol_ngroups;

#endif
