/* rt.c - the runtime's state and its start in each process image. */
#include <asm/unistd.h>
#include <linux/mman.h>
#include "online/core/rt.h"
#include "online/core/rtlib.h"
#include "online/catchall/arm.h"
#include "online/tools/tool_count.h"
#include "online/tools/tools.h"
#include "online/process/procview.h"
#include "online/policy/policy.h"

struct k23_rt k23_rt = { .out_fd = -1, .state_fd = -1, .policy_fd = -1, .log_fd = -1, .chan_fd = -1, .life_fd = -1 };

long k23_rt_attach_tool(void)
{
	long pr = k23_policy_attach();

	if (pr)
		return pr;
	if (k23_rt.state_fd >= 0) {
		long p = k23_syscall6(__NR_mmap, 0, sizeof(struct k23_shared),
				      PROT_READ | PROT_WRITE, MAP_SHARED, k23_rt.state_fd, 0);

		if ((unsigned long)p > -4096UL)
			return p;
		k23_rt.shared = (struct k23_shared *)p;
		k23_rt.counts = &k23_rt.shared->counts;
		if (k23_rt.shared->opts.flags & K23_TO_SET)
			k23_rt.opts = &k23_rt.shared->opts;
		if (k23_rt.stats)
			k23_rt.stats_area = &((struct k23_shared *)p)->stats;
	}
	switch (k23_rt.tool) {
	case K23_TOOL_COUNT:
		if (!k23_rt.counts)
			return -9; /* EBADF: no shared state was handed over */
		k23_rt.tool_ops = &k23_tool_count;
		return 0;
	case K23_TOOL_TRACE:
		k23_rt.tool_ops = &k23_tool_trace;
		return 0;
	case K23_TOOL_RECORD:
		k23_rt.tool_ops = &k23_tool_record;
		return 0;
	default:
		k23_rt.tool_ops = 0;
		return 0;
	}
}

int k23_tool_wants(long nr)
{
	const struct k23_topts *o = k23_rt.opts;

	if (!o)
		return 1;
	if ((unsigned long)nr >= K23_TOPTS_CALLS)
		return (o->flags & K23_TO_OTHER) != 0;
	return k23_topts_bit(o->trace, (unsigned long)nr);
}

void k23_rt_output(const char *buf, size_t n)
{
	int fd = __atomic_load_n(k23_out_fd_ref(), __ATOMIC_RELAXED);
	long r;

	if (fd < 0)
		return;
	r = k23_write_all(fd, buf, n);
	if (r < 0 && k23_rt.shared) {
		int none = 0;

		__atomic_compare_exchange_n(&k23_rt.shared->out_errno, &none, (int)-r, 0,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	}
}
