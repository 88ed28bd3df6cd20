/* sidecar.h - the on-disk layout of a k23 sidecar: what `k23 prepare` found and planned for one ELF object.
 *
 * The format is described in prose at the top of common/sidecar.c and in
 * docs/sidecar.md. Every field is fixed-width little-endian (k23 runs on
 * x86-64 only, so the structs below are the bytes on disk); positions are
 * offsets from the start of the file, never pointers. The _Static_asserts pin
 * the layout: if one fails, the format changed and K23_SIDECAR_VERSION must
 * change with it.
 */
#ifndef K23_SIDECAR_FORMAT_H
#define K23_SIDECAR_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define K23_SIDECAR_MAGIC	"K23SIDEC"	/* 8 bytes, no NUL */
#define K23_SIDECAR_VERSION	1
#define K23_SIDECAR_SUFFIX	".k23"
#define K23_SIDECAR_BUILD_ID_MAX 64	/* longer build-ids are treated as absent */
#define K23_SIDECAR_ORIG_MAX	16	/* bytes a patch plan may replace */
#define K23_SIDECAR_INSNS_MAX	8	/* instructions in the replaced bytes */

/* header.flags */
#define K23_SIDECAR_F_RECORDED	0x1u	/* merged with at least one --record run */
#define K23_SIDECAR_F_ALL	0x1u

struct k23_sidecar_header {
	char magic[8];			/*   0 K23_SIDECAR_MAGIC */
	uint32_t version;		/*   8 K23_SIDECAR_VERSION */
	uint32_t header_size;		/*  12 sizeof(struct k23_sidecar_header) */
	uint64_t file_size;		/*  16 bytes in this sidecar file */
	uint64_t self_hash;		/*  24 k23_hash64 of the file with this field zero */
	uint64_t object_size;		/*  32 size of the ELF object it describes */
	uint64_t object_hash;		/*  40 k23_hash64 of the whole ELF object */
	uint64_t producer_hash;		/*  48 k23_hash64 of the k23-prepare that wrote it */
	uint32_t flags;			/*  56 K23_SIDECAR_F_* */
	uint32_t object_path;		/*  60 string: the object's path when prepared */
	uint64_t sites_off;		/*  64 first site record, right after the header */
	uint32_t nsites;		/*  72 site records */
	uint32_t site_size;		/*  76 sizeof(struct k23_sidecar_site) */
	uint64_t strings_off;		/*  80 string table, right after the sites */
	uint32_t strings_size;		/*  88 its size: starts and ends with NUL */
	uint32_t nfuncs;		/*  92 .eh_frame function ranges the scan used */
	uint32_t nanchors;		/*  96 code entries given to the scan (symbols, relocations...) */
	uint32_t skipped_in_data;	/* 100 syscall bytes inside data the code references */
	uint32_t skipped_unreached;	/* 104 syscall bytes outside functions, reached by no code */
	uint32_t build_id_len;		/* 108 0: the object has no (usable) build-id */
	uint8_t build_id[K23_SIDECAR_BUILD_ID_MAX];	/* 112 NT_GNU_BUILD_ID descriptor */
};					/* 176 */

/* site.kind, site.verify, site.strategy: the values of enum k23_site_kind,
 * enum k23_verify and enum k23_strategy (offline/scan.h), plus verify 0 for
 * a site seen at run time that the scan did not find. */
#define K23_SC_KIND_SYSCALL	1
#define K23_SC_KIND_SYSENTER	2
#define K23_SC_NOT_FOUND	0	/* verify: observed only, never patched */
#define K23_SC_VERIFIED		1
#define K23_SC_DISAGREE		2
#define K23_SC_PLAN_NONE	0	/* catch-all only */
#define K23_SC_PLAN_JMP_STUB	1

/* site.flags */
#define K23_SC_F_STATIC		0x1u	/* found by the static scan */
#define K23_SC_F_OBSERVED	0x2u	/* executed in a --record run */
#define K23_SC_F_ALL		0x3u

struct k23_sidecar_site {
	uint64_t vaddr;			/*  0 the syscall/sysenter, link-time address */
	uint64_t patch_vaddr;		/*  8 first replaced byte (0 if no plan) */
	uint8_t kind;			/* 16 K23_SC_KIND_* */
	uint8_t verify;			/* 17 K23_SC_NOT_FOUND, _VERIFIED, _DISAGREE */
	uint8_t in_function;		/* 18 1: inside an .eh_frame range */
	uint8_t strategy;		/* 19 K23_SC_PLAN_* */
	uint8_t patch_len;		/* 20 bytes replaced, <= K23_SIDECAR_ORIG_MAX */
	uint8_t ninsns;			/* 21 instructions replaced, <= K23_SIDECAR_INSNS_MAX */
	uint8_t site_index;		/* 22 which of them is the syscall */
	uint8_t rip_relative_mask;	/* 23 bit i: instruction i is rip-relative */
	uint8_t orig[K23_SIDECAR_ORIG_MAX];		/* 24 the replaced bytes as in the file */
	uint8_t insn_len[K23_SIDECAR_INSNS_MAX];	/* 40 their instruction lengths */
	uint8_t disp_offset[K23_SIDECAR_INSNS_MAX];	/* 48 where instruction i's disp32 is */
	uint32_t reason;		/* 56 string: why the plan is safe, or why none */
	uint8_t flags;			/* 60 K23_SC_F_* */
	uint8_t zero[3];		/* 61 must be 0 */
};					/* 64 */

_Static_assert(sizeof(struct k23_sidecar_header) == 176, "sidecar header layout changed");
_Static_assert(offsetof(struct k23_sidecar_header, sites_off) == 64, "sidecar header layout changed");
_Static_assert(offsetof(struct k23_sidecar_header, build_id) == 112, "sidecar header layout changed");
_Static_assert(sizeof(struct k23_sidecar_site) == 64, "sidecar site layout changed");
_Static_assert(offsetof(struct k23_sidecar_site, orig) == 24, "sidecar site layout changed");
_Static_assert(offsetof(struct k23_sidecar_site, reason) == 56, "sidecar site layout changed");

#endif
