/* apply.h - `k23 run --policy`: obtain the compiled policy from k23-prepare, install it before the program's first instruction. */
#ifndef K23_POLICY_APPLY_H
#define K23_POLICY_APPLY_H

/* Runs k23-prepare (beside self_exe) to read, check and compile file; keeps
 * the result for k23_policy_install. Returns 0, or the exit status after
 * one line on stderr (2 for a policy that is wrong or cannot be enforced
 * here). */
int k23_policy_load(const char *file, int accept_weaker, const char *self_exe, const char *cache_dir);

/* Installs the loaded policy, if any, into this process: the remote trees'
 * proxy first (started outside the policy), then Landlock, then the
 * seccomp filter (neither under complain mode). Both are inherited
 * by every child and thread and survive execve, so the first image is the
 * only one that installs them. For the in-process layer it sets *policy_fd
 * (a sealed memfd holding the compiled policy) and *log_fd (the audit log),
 * and with remote trees *chan_fd and *life_fd (the proxy's channel and
 * lifetime pipe, common/remote/chan.h), or -1 each: descriptors the caller
 * keeps for the runtime of every image. Returns 0, or an exit status after
 * a message (1: a server that must answer at start did not). */
int k23_policy_install(int *policy_fd, int *log_fd, int *chan_fd, int *life_fd);

#endif
