/* eh_frame.c - function ranges and landing pads from .eh_frame, its CIEs, FDEs and LSDAs parsed here.
 *
 * The layout is the LSB's "Exception Frames" (a DWARF .debug_frame variant
 * with pointer encodings) and GCC's LSDA in .gcc_except_table. Only what
 * locates code is decoded: each FDE's pc_begin and pc_range, and the landing
 * pads of its LSDA (code the unwinder jumps to, so no patch may cover one).
 * The data is untrusted: every read goes through a bounded cursor, and a
 * record that does not parse fails the whole walk rather than yield guesses.
 */
#include <stdlib.h>
#include <string.h>
#include "elf_info.h"

#define MAX_CIES 4096			/* a linked object has a handful */

/* A read position inside frame data whose link-time address is known. */
struct cur {
	const uint8_t *p, *end;
	uint64_t vaddr;		/* of *p */
	int bad;		/* a read went past end: every later read fails too */
};

static void skip(struct cur *c, uint64_t n)
{
	if (c->bad || (uint64_t)(c->end - c->p) < n) {
		c->bad = 1;
		return;
	}
	c->p += n;
	c->vaddr += n;
}

static uint64_t get(struct cur *c, unsigned n)
{
	uint64_t v = 0;

	if (c->bad || (uint64_t)(c->end - c->p) < n) {
		c->bad = 1;
		return 0;
	}
	memcpy(&v, c->p, n);	/* little-endian host */
	skip(c, n);
	return v;
}

static uint64_t uleb(struct cur *c)
{
	uint64_t v = 0;

	for (unsigned shift = 0; ; shift += 7) {
		uint8_t b = (uint8_t)get(c, 1);

		if (c->bad)
			return 0;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
		if (shift > 70) {	/* absurdly long encoding */
			c->bad = 1;
			return 0;
		}
	}
}

static int64_t sleb(struct cur *c)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;

	do {
		b = (uint8_t)get(c, 1);
		if (c->bad || shift > 70) {
			c->bad = 1;
			return 0;
		}
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		v |= ~0ULL << shift;
	return (int64_t)v;
}

/* DW_EH_PE_* pointer encodings (LSB). */
#define PE_OMIT 0xff
#define PE_FMT(e) ((e) & 0x0f)
#define PE_APP(e) ((e) & 0x70)
#define PE_INDIRECT 0x80
#define PE_PCREL 0x10
#define PE_DATAREL 0x30

/* Reads a value of encoding enc's format; applies pc-relative (and, with
 * datarel_base non-zero, data-relative) adjustment. Other applications and
 * indirect pointers do not occur in linked x86-64 .eh_frame: they fail. */
static int get_enc(struct cur *c, uint8_t enc, uint64_t datarel_base, int apply, uint64_t *out)
{
	uint64_t at = c->vaddr, v;

	if (enc == PE_OMIT)
		return -1;
	switch (PE_FMT(enc)) {
	case 0x00: v = get(c, 8); break;			/* absptr */
	case 0x01: v = uleb(c); break;
	case 0x02: v = get(c, 2); break;
	case 0x03: v = get(c, 4); break;
	case 0x04: case 0x0c: v = get(c, 8); break;
	case 0x09: v = (uint64_t)sleb(c); break;
	case 0x0a: v = (uint64_t)(int64_t)(int16_t)get(c, 2); break;
	case 0x0b: v = (uint64_t)(int64_t)(int32_t)get(c, 4); break;
	default: return -1;
	}
	if (c->bad)
		return -1;
	if (apply) {
		if (enc & PE_INDIRECT)
			return -1;
		if (PE_APP(enc) == PE_PCREL)
			v += at;
		else if (PE_APP(enc) == PE_DATAREL && datarel_base)
			v += datarel_base;
		else if (PE_APP(enc) != 0)
			return -1;
	}
	*out = v;
	return 0;
}

struct cie {
	uint64_t off;		/* of its length field, from the start of .eh_frame */
	uint8_t fde_enc;
	uint8_t lsda_enc;	/* PE_OMIT: FDEs carry no LSDA pointer */
	uint8_t aug_z;		/* FDEs carry an augmentation length */
	uint8_t usable;
};

/* Parses a CIE body (after the id) far enough to know how FDEs encode pc. */
static void parse_cie(struct cur c, struct cie *ci)
{
	const char *aug;
	uint8_t version = (uint8_t)get(&c, 1);
	size_t alen;

	ci->fde_enc = 0;	/* absptr unless 'R' says otherwise */
	ci->lsda_enc = PE_OMIT;
	ci->aug_z = 0;
	ci->usable = 0;
	if (c.bad || (version != 1 && version != 3 && version != 4))
		return;
	aug = (const char *)c.p;
	alen = strnlen(aug, (size_t)(c.end - c.p));
	if (alen == (size_t)(c.end - c.p))
		return;
	skip(&c, alen + 1);
	if (aug[0] == 'e' && aug[1] == 'h')
		skip(&c, 8);	/* old GCC: a pointer to exception data */
	if (version == 4)
		skip(&c, 2);	/* address_size, segment_selector_size */
	uleb(&c);		/* code alignment */
	sleb(&c);		/* data alignment */
	if (version == 1)
		get(&c, 1);
	else
		uleb(&c);	/* return address register */
	if (c.bad)
		return;
	if (aug[0] != 'z') {
		ci->usable = 1;
		return;
	}
	ci->aug_z = 1;
	uint64_t zlen = uleb(&c), tmp;
	struct cur z = c;

	if (c.bad || zlen > (uint64_t)(c.end - c.p))
		return;
	z.end = c.p + zlen;
	for (const char *a = aug + 1; *a; a++) {
		if (*a == 'R') {
			ci->fde_enc = (uint8_t)get(&z, 1);
		} else if (*a == 'L') {
			ci->lsda_enc = (uint8_t)get(&z, 1);
		} else if (*a == 'P') {
			uint8_t penc = (uint8_t)get(&z, 1);

			if (get_enc(&z, penc & 0x7f, 0, 0, &tmp) != 0)
				return;
		} else if (*a != 'S' && *a != 'B' && *a != 'G') {
			/* Unknown: what follows cannot be read. Without an 'R'
			 * still to come, the FDE encoding is known anyway. */
			ci->usable = !strchr(a, 'R');
			return;
		}
		if (z.bad)
			return;
	}
	ci->usable = 1;
}

static const struct cie *find_cie(const struct cie *v, size_t n, uint64_t off)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].off == off)
			return &v[mid];
		if (v[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int in_exec_segment(const struct k23_elf_obj *o, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < o->e.phnum; i++) {
		const Elf64_Phdr *p = &o->e.ph[i];

		if (p->p_type == PT_LOAD && (p->p_flags & PF_X) && start >= p->p_vaddr &&
		    end <= p->p_vaddr + p->p_memsz)
			return 1;
	}
	return 0;
}

struct ranges {
	struct k23_elf_range *v;
	size_t n, cap;
	uint64_t *pads;
	size_t npads, padcap;
	int want_pads;
	struct cie *cies;
	size_t ncies;
};

static int grow(void **v, size_t *cap, size_t n, size_t elem)
{
	size_t c = *cap ? *cap * 2 : 256;
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*v, c * elem);
	if (!p)
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

static int push_range(struct ranges *r, uint64_t start, uint64_t end)
{
	if (grow((void **)&r->v, &r->cap, r->n, sizeof(*r->v)))
		return -1;
	r->v[r->n].start = start;
	r->v[r->n++].end = end;
	return 0;
}

/* The landing pads of the LSDA at vaddr for the function at func: GCC's
 * layout (lpstart, type table, call-site table of start, length, pad,
 * action). Returns 0, -1 malformed, -2 out of memory. */
static int add_pads(const struct k23_elf_obj *o, struct ranges *r, uint64_t vaddr, uint64_t func,
		    uint64_t func_end)
{
	uint64_t avail, lpstart = func, v, table_len, start, len, pad;
	const uint8_t *p = k23_elf_at(o, vaddr, &avail);
	struct cur c;
	uint8_t enc, cs_enc;

	if (!p)
		return -1;
	c = (struct cur){ p, p + avail, vaddr, 0 };
	enc = (uint8_t)get(&c, 1);
	if (enc != PE_OMIT && get_enc(&c, enc, 0, 1, &lpstart) != 0)
		return -1;
	enc = (uint8_t)get(&c, 1);
	if (enc != PE_OMIT)
		uleb(&c);		/* type table offset */
	cs_enc = (uint8_t)get(&c, 1);
	table_len = uleb(&c);
	if (c.bad || table_len > (uint64_t)(c.end - c.p))
		return -1;
	c.end = c.p + table_len;
	while (c.p < c.end) {
		if (get_enc(&c, cs_enc & 0x0f, 0, 0, &start) || get_enc(&c, cs_enc & 0x0f, 0, 0, &len) ||
		    get_enc(&c, cs_enc & 0x0f, 0, 0, &pad))
			return -1;
		(void)start;
		(void)len;
		uleb(&c);		/* action */
		if (c.bad)
			return -1;
		v = lpstart + pad;
		if (!pad || v < func || v >= func_end)
			continue;	/* no pad, or one outside the function: ignored */
		if (grow((void **)&r->pads, &r->padcap, r->npads, sizeof(*r->pads)))
			return -2;
		r->pads[r->npads++] = v;
	}
	return 0;
}

static int add_fde(const struct k23_elf_obj *o, struct ranges *r, struct cur c, const struct cie *ci)
{
	uint64_t begin, len, lsda = 0;

	if (get_enc(&c, ci->fde_enc, 0, 1, &begin) != 0 ||
	    get_enc(&c, ci->fde_enc & 0x0f, 0, 0, &len) != 0)
		return -1;
	/* pc_begin 0 or an empty range: an FDE of code the linker discarded. */
	if (begin == 0 || len == 0 || begin + len < begin || !in_exec_segment(o, begin, begin + len))
		return 0;
	if (push_range(r, begin, begin + len))
		return -2;
	if (!ci->aug_z || ci->lsda_enc == PE_OMIT || !r->want_pads)
		return 0;
	uleb(&c);		/* augmentation data length */
	if (get_enc(&c, ci->lsda_enc, 0, 1, &lsda) != 0)
		return -1;
	return lsda ? add_pads(o, r, lsda, begin, begin + len) : 0;
}

/* Walks the records of .eh_frame [p, p+len) at vaddr. Two passes: CIEs
 * first (an FDE may name a CIE anywhere before it), then FDEs. */
static int walk(const struct k23_elf_obj *o, const uint8_t *p, uint64_t len, uint64_t vaddr,
		struct ranges *r, int fdes, const char **why)
{
	uint64_t off = 0;

	while (len - off >= 4) {
		struct cur c = { p + off, p + len, vaddr + off, 0 };
		uint64_t rlen = get(&c, 4), body, id_off;
		uint32_t id;

		if (rlen == 0)
			break;		/* terminator */
		if (rlen == 0xffffffff)
			rlen = get(&c, 8);
		body = (uint64_t)(c.p - p);
		if (c.bad || rlen < 4 || rlen > len - body) {
			*why = ".eh_frame record reaches past its end";
			return -1;
		}
		c.end = p + body + rlen;
		id_off = body;
		id = (uint32_t)get(&c, 4);
		if (id == 0 && !fdes) {
			if (r->ncies == MAX_CIES) {
				*why = "too many CIEs in .eh_frame";
				return -1;
			}
			r->cies[r->ncies].off = off;
			parse_cie(c, &r->cies[r->ncies++]);
		} else if (id != 0 && fdes) {
			const struct cie *ci = id <= id_off ? find_cie(r->cies, r->ncies, id_off - id) : NULL;
			int e;

			if (!ci) {
				*why = "FDE names no CIE";
				return -1;
			}
			e = ci->usable ? add_fde(o, r, c, ci) : 0;
			if (e == -2) {
				*why = "out of memory";
				return -1;
			}
			if (e) {
				*why = "FDE or LSDA with an unreadable address";
				return -1;
			}
		}
		off = body + rlen;
	}
	return 0;
}

/* Where .eh_frame starts and how long it can be. */
static int locate(const struct k23_elf_obj *o, const uint8_t **p, uint64_t *len, uint64_t *vaddr,
		  const char **why)
{
	Elf64_Shdr sh;
	uint64_t avail;
	int have_sec = k23_elf_section(o, ".eh_frame", &sh, why);

	if (have_sec < 0)
		have_sec = 0;	/* sections are optional; the segment view suffices */
	if (have_sec && sh.sh_type == SHT_NOBITS)
		have_sec = 0;
	for (unsigned i = 0; i < o->e.phnum; i++) {
		const Elf64_Phdr *ph = &o->e.ph[i];
		const uint8_t *h;
		struct cur c;
		uint64_t ptr;

		if (ph->p_type != PT_GNU_EH_FRAME)
			continue;
		h = k23_elf_at(o, ph->p_vaddr, &avail);
		if (!h || avail < 4 || h[0] != 1) {
			*why = "bad .eh_frame_hdr";
			return -1;
		}
		c = (struct cur){ h + 4, h + avail, ph->p_vaddr + 4, 0 };
		if (get_enc(&c, h[1], ph->p_vaddr, 1, &ptr) != 0) {
			*why = "bad .eh_frame_hdr";
			return -1;
		}
		*vaddr = ptr;
		goto found;
	}
	if (!have_sec)
		return 0;
	*vaddr = sh.sh_addr;
found:
	*p = k23_elf_at(o, *vaddr, &avail);
	if (!*p) {
		*why = ".eh_frame is not inside a loaded segment";
		return -1;
	}
	*len = avail;
	if (have_sec && sh.sh_addr == *vaddr && sh.sh_size < avail)
		*len = sh.sh_size;
	return 1;
}

static int by_start(const void *a, const void *b)
{
	const struct k23_elf_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

static int by_value(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

int k23_elf_func_ranges(const struct k23_elf_obj *o, struct k23_elf_range **out, size_t *n,
			uint64_t **pads, size_t *npads, const char **why)
{
	struct ranges r = { .want_pads = pads != NULL };
	const uint8_t *p;
	uint64_t len, vaddr;
	int found;
	size_t i, k;

	*out = NULL;
	*n = 0;
	if (pads) {
		*pads = NULL;
		*npads = 0;
	}
	found = locate(o, &p, &len, &vaddr, why);
	if (found <= 0)
		return found;
	r.cies = malloc(MAX_CIES * sizeof(*r.cies));
	if (!r.cies) {
		*why = "out of memory";
		return -1;
	}
	if (walk(o, p, len, vaddr, &r, 0, why) || walk(o, p, len, vaddr, &r, 1, why)) {
		free(r.cies);
		free(r.v);
		free(r.pads);
		return -1;
	}
	free(r.cies);
	if (r.n)
		qsort(r.v, r.n, sizeof(*r.v), by_start);
	for (i = 0, k = 0; i < r.n; i++)
		if (!k || r.v[i].start != r.v[k - 1].start || r.v[i].end != r.v[k - 1].end)
			r.v[k++] = r.v[i];
	*out = r.v;
	*n = k;
	if (pads) {
		if (r.npads)
			qsort(r.pads, r.npads, sizeof(*r.pads), by_value);
		for (i = 0, k = 0; i < r.npads; i++)
			if (!k || r.pads[i] != r.pads[k - 1])
				r.pads[k++] = r.pads[i];
		*pads = r.pads;
		*npads = k;
	}
	return 0;
}
