/* policy_blob.c - checking a compiled policy (policy/blob.h) and finding its sections; k23 and the runtime share it. */
#include <linux/filter.h>
#include "policy/blob.h"

static int sizes_ok(const struct k23_policy_hdr *h, unsigned long len)
{
	unsigned long need;

	if (len < sizeof(*h) || h->magic != K23_POLICY_MAGIC || h->version != K23_POLICY_VERSION ||
	    h->n_bpf > K23_POLICY_MAX_BPF || h->n_fs > K23_POLICY_MAX_RULES ||
	    h->n_net > K23_POLICY_MAX_RULES || h->strings_size > K23_POLICY_MAX_STRINGS ||
	    h->n_call > K23_POLICY_MAX_RULES || h->n_deny > K23_POLICY_MAX_RULES ||
	    h->n_dest > K23_POLICY_MAX_RULES || h->n_map > K23_POLICY_MAX_RULES ||
	    h->n_host > K23_POLICY_MAX_RULES || h->n_rewrite > K23_POLICY_MAX_RULES ||
	    h->n_lib > K23_POLICY_MAX_RULES ||
	    h->n_libstr > K23_POLICY_MAX_RULES || h->n_libdir > h->n_libstr ||
	    h->n_remote > K23_POLICY_MAX_REMOTE ||
	    h->n_synth > K23_POLICY_MAX_RULES || h->synth_size > K23_POLICY_MAX_SYNTH)
		return 0;
	need = sizeof(*h) + (unsigned long)h->n_bpf * sizeof(struct sock_filter) +
	       (unsigned long)h->n_fs * sizeof(struct k23_policy_fs) +
	       (unsigned long)h->n_net * sizeof(struct k23_policy_net) + h->strings_size +
	       (unsigned long)h->n_call * sizeof(struct k23_policy_call) +
	       (unsigned long)h->n_deny * sizeof(struct k23_policy_deny) +
	       (unsigned long)h->n_dest * sizeof(struct k23_policy_dest) +
	       (unsigned long)h->n_map * sizeof(struct k23_policy_map) +
	       (unsigned long)h->n_host * sizeof(struct k23_policy_host) +
	       (unsigned long)h->n_rewrite * sizeof(struct k23_policy_rewrite) +
	       (unsigned long)h->n_lib * sizeof(struct k23_policy_lib) +
	       (unsigned long)h->n_libstr * sizeof(uint32_t) +
	       (unsigned long)h->n_remote * sizeof(struct k23_policy_remote) +
	       (unsigned long)h->n_synth * sizeof(struct k23_policy_synth) + h->synth_size;
	return need == len;
}

static int offsets_ok(const struct k23_policy_view *v)
{
	const struct k23_policy_hdr *h = v->h;

	if (h->strings_size && v->strings[h->strings_size - 1])
		return 0;
	for (uint32_t i = 0; i < h->n_fs; i++)
		if (v->fs[i].path_off >= h->strings_size)
			return 0;
	for (uint32_t i = 0; i < h->n_deny; i++)
		if (v->deny[i].path_off >= h->strings_size ||
		    (v->deny[i].exe_off != K23_POLICY_EVERY_IMAGE && v->deny[i].exe_off >= h->strings_size))
			return 0;
	for (uint32_t i = 0; i < h->n_dest; i++)
		if (((v->dest[i].kind == K23_DEST_UNIX || v->dest[i].kind == K23_DEST_ABSTRACT) &&
		     v->dest[i].name_off >= h->strings_size) ||
		    (v->dest[i].exe_off != K23_POLICY_EVERY_IMAGE && v->dest[i].exe_off >= h->strings_size))
			return 0;
	for (uint32_t i = 0; i < h->n_map; i++)
		if (v->map[i].path_off >= h->strings_size || v->map[i].to_off >= h->strings_size)
			return 0;
	for (uint32_t i = 0; i < h->n_host; i++)
		if (v->host[i].name_off >= h->strings_size)
			return 0;
	for (uint32_t i = 0; i < h->n_lib; i++)
		if (v->lib[i].exe_off >= h->strings_size || v->lib[i].bundle_off >= h->strings_size ||
		    v->lib[i].name0 < h->n_libdir ||
		    (unsigned long)v->lib[i].name0 + v->lib[i].nnames > h->n_libstr)
			return 0;
	for (uint32_t i = 0; i < h->n_libstr; i++)
		if (v->libstr[i] >= h->strings_size)
			return 0;
	for (uint32_t i = 0; i < h->n_remote; i++)
		if (v->remote[i].path_off >= h->strings_size || v->strings[v->remote[i].path_off] != '/' ||
		    v->remote[i].host_off >= h->strings_size || v->remote[i].export_off >= h->strings_size ||
		    v->remote[i].port - 1 > 65534u)
			return 0;
	for (uint32_t i = 0; i < h->n_synth; i++)
		if (v->synth[i].path_off >= h->strings_size || v->strings[v->synth[i].path_off] != '/' ||
		    v->synth[i].size > K23_POLICY_MAX_SYNTH_FILE || v->synth[i].data_off > h->synth_size ||
		    v->synth[i].size > h->synth_size - v->synth[i].data_off)
			return 0;
	if (h->hostname_off != K23_POLICY_NO_HOSTNAME && h->hostname_off >= h->strings_size)
		return 0;
	return h->log_off == K23_POLICY_NO_LOG || h->log_off < h->strings_size;
}

int k23_policy_view(const void *blob, unsigned long len, struct k23_policy_view *v)
{
	const struct k23_policy_hdr *h = blob;

	if (!sizes_ok(h, len))
		return 0;
	v->h = h;
	v->bpf = h + 1;
	v->fs = (const void *)((const struct sock_filter *)v->bpf + h->n_bpf);
	v->net = (const void *)(v->fs + h->n_fs);
	v->strings = (const char *)(v->net + h->n_net);
	v->calls = (const void *)(v->strings + h->strings_size);
	v->deny = (const void *)(v->calls + h->n_call);
	v->dest = (const void *)(v->deny + h->n_deny);
	v->map = (const void *)(v->dest + h->n_dest);
	v->host = (const void *)(v->map + h->n_map);
	v->rewrite = (const void *)(v->host + h->n_host);
	v->lib = (const void *)(v->rewrite + h->n_rewrite);
	v->libstr = (const void *)(v->lib + h->n_lib);
	v->remote = (const void *)(v->libstr + h->n_libstr);
	v->synth = (const void *)(v->remote + h->n_remote);
	v->synth_data = (const char *)(v->synth + h->n_synth);
	return offsets_ok(v);
}
