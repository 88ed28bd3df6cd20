/* apply.h - `k23 run --policy`: obtain the compiled policy from k23-prepare, install it before the program's first instruction. */
#ifndef K23_POLICY_APPLY_H
#define K23_POLICY_APPLY_H

/* Runs k23-prepare (beside self_exe) to read, check and compile file; keeps
 * the result for k23_policy_install. Returns 0, or the exit status after
 * one line on stderr (2 for a policy that is wrong or cannot be enforced
 * here). */
int k23_policy_load(const char *file, int accept_weaker, const char *self_exe, const char *cache_dir);

/* Installs the loaded policy, if any, into this process: Landlock first,
 * then the seccomp filter. Both are inherited by every child and thread and
 * survive execve, so the first image is the only one that installs them.
 * Returns 0, or an exit status after a message. */
int k23_policy_install(void);

#endif
