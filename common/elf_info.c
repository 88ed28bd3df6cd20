/* elf_info.c - an ELF object mapped whole: sections, build-id, the addresses it names as code.
 *
 * The file is untrusted. Every offset, size and count is checked against the
 * bytes actually read before it is used; a pointer is only formed once the
 * range behind it is known to lie inside the buffer. (.eh_frame: eh_frame.c.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "rt/hash64.h"
#include "elf_info.h"

#define MAX_OBJECT (4ULL << 30)		/* refuse to read anything bigger */
#define MAX_SECTIONS 65536

static int range_ok(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* --- loading --------------------------------------------------------------- */

/* The content hash of the first size bytes, read through a small buffer:
 * hashing through the mapping would bring every page of the file into the
 * process, 1 GB of a sparse 1 GB file. 0, or -1 (errno set) when a read
 * fails or comes short. */
#define HASH_CHUNK (256u << 10)	/* a multiple of 32, as k23_hash64_stripes wants */
static int hash_fd(int fd, uint64_t size, uint64_t *hash)
{
	struct k23_hash64_state s;
	uint8_t *buf = malloc(HASH_CHUNK);
	uint64_t off = 0;

	if (!buf)
		return -1;
	k23_hash64_init(&s);
	for (;;) {
		size_t want = size - off < HASH_CHUNK ? (size_t)(size - off) : HASH_CHUNK, got = 0;

		while (got < want) {
			ssize_t n = pread(fd, buf + got, want - got, (off_t)(off + got));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				free(buf);
				if (n == 0)
					errno = EIO;
				return -1;
			}
			got += (size_t)n;
		}
		off += want;
		if (off == size) {
			*hash = k23_hash64_finish(&s, buf, want);
			free(buf);
			return 0;
		}
		k23_hash64_stripes(&s, buf, want);
	}
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* The object is mapped, not read: only the pages the scan looks at (headers,
 * sections, code) are ever brought in, so memory does not grow with the
 * file (a 1 GB sparse ELF). k23 prepare scans in a worker process, so a
 * file truncated under the mapping (SIGBUS) fails that one object. */
enum k23_elf_err k23_elf_load_fd(int fd, struct k23_elf_obj *o)
{
	enum k23_elf_err err;
	struct stat after;
	void *p;

	o->data = NULL;
	o->size = 0;
	err = k23_elf_read(fd, &o->e);
	if (err)
		return err;
	if ((uint64_t)o->e.size > MAX_OBJECT) {
		o->e.why = "file too large";
		return K23_ELF_CORRUPT;
	}
	if (fstat(fd, &o->st) != 0 || hash_fd(fd, (uint64_t)o->e.size, &o->hash) != 0)
		return K23_ELF_IO;
	/* Any write changes ctime: the hash is of what is mapped, and o->st
	 * identifies that content (for the .seen stamp). */
	if (fstat(fd, &after) != 0 || !same_file(&o->st, &after) || after.st_size != o->e.size) {
		o->e.why = "file changed while being read";
		return K23_ELF_CORRUPT;
	}
	p = mmap(NULL, (size_t)o->e.size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return K23_ELF_IO;
	o->data = p;
	o->size = (size_t)o->e.size;
	return K23_ELF_OK;
}

enum k23_elf_err k23_elf_load(const char *path, struct k23_elf_obj *o)
{
	enum k23_elf_err err;
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	o->data = NULL;
	o->size = 0;
	if (fd < 0)
		return K23_ELF_IO;
	err = k23_elf_load_fd(fd, o);
	e = errno;
	close(fd);
	errno = e;
	return err;
}

void k23_elf_unload(struct k23_elf_obj *o)
{
	if (o->data)
		munmap(o->data, o->size);
	o->data = NULL;
	o->size = 0;
}

const uint8_t *k23_elf_at(const struct k23_elf_obj *o, uint64_t vaddr, uint64_t *avail)
{
	for (unsigned i = 0; i < o->e.phnum; i++) {
		const Elf64_Phdr *p = &o->e.ph[i];

		if (p->p_type != PT_LOAD || vaddr < p->p_vaddr || vaddr - p->p_vaddr >= p->p_filesz)
			continue;
		/* k23_elf_read checked p_offset + p_filesz against the file size. */
		*avail = p->p_filesz - (vaddr - p->p_vaddr);
		return o->data + p->p_offset + (vaddr - p->p_vaddr);
	}
	*avail = 0;
	return NULL;
}

/* --- sections ---------------------------------------------------------------- */

static void shdr(const struct k23_elf_obj *o, size_t i, Elf64_Shdr *sh)
{
	memcpy(sh, o->data + o->e.eh.e_shoff + i * sizeof(*sh), sizeof(*sh));
}

/* The number of section headers once their table is checked: 0 none, -1
 * malformed. */
static int64_t sections(const struct k23_elf_obj *o)
{
	const Elf64_Ehdr *eh = &o->e.eh;
	uint64_t shnum = eh->e_shnum;
	Elf64_Shdr sh0;

	if (eh->e_shoff == 0)
		return 0;
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || !range_ok(eh->e_shoff, sizeof(sh0), o->size))
		return -1;
	shdr(o, 0, &sh0);
	if (shnum == 0)		/* more than SHN_LORESERVE sections: count in sh[0] */
		shnum = sh0.sh_size;
	if (shnum == 0 || shnum > MAX_SECTIONS ||
	    !range_ok(eh->e_shoff, shnum * sizeof(sh0), o->size))
		return -1;
	return (int64_t)shnum;
}

int k23_elf_section(const struct k23_elf_obj *o, const char *name, Elf64_Shdr *out, const char **why)
{
	int64_t shnum = sections(o);
	uint64_t strndx = o->e.eh.e_shstrndx;
	Elf64_Shdr sh, str;
	size_t nlen = strlen(name) + 1;

	*why = "malformed section headers";
	if (shnum <= 0)
		return (int)shnum;
	if (strndx == SHN_XINDEX) {
		shdr(o, 0, &sh);
		strndx = sh.sh_link;
	}
	if (strndx >= (uint64_t)shnum)
		return -1;
	shdr(o, strndx, &str);
	if (str.sh_type != SHT_STRTAB || !range_ok(str.sh_offset, str.sh_size, o->size))
		return -1;
	for (int64_t i = 1; i < shnum; i++) {
		shdr(o, (size_t)i, &sh);
		if (sh.sh_name >= str.sh_size || str.sh_size - sh.sh_name < nlen ||
		    memcmp(o->data + str.sh_offset + sh.sh_name, name, nlen) != 0)
			continue;
		if (sh.sh_type != SHT_NOBITS && !range_ok(sh.sh_offset, sh.sh_size, o->size))
			return -1;
		*out = sh;
		return 1;
	}
	return 0;
}

/* --- build-id ------------------------------------------------------------------ */

static int find_build_id(const uint8_t *p, uint64_t len, uint64_t align, uint8_t *out, size_t max)
{
	uint64_t off = 0;

	while (len - off >= 12) {
		uint32_t nsz, dsz, type;
		uint64_t name_end, desc_end;

		memcpy(&nsz, p + off, 4);
		memcpy(&dsz, p + off + 4, 4);
		memcpy(&type, p + off + 8, 4);
		name_end = (off + 12 + nsz + align - 1) & ~(align - 1);
		desc_end = (name_end + dsz + align - 1) & ~(align - 1);
		if (name_end > len || name_end + dsz > len)
			return -1;
		if (type == NT_GNU_BUILD_ID && nsz == 4 && !memcmp(p + off + 12, "GNU", 4)) {
			if (dsz == 0 || dsz > max)
				return 0;
			memcpy(out, p + name_end, dsz);
			return (int)dsz;
		}
		off = desc_end > len ? len : desc_end;
	}
	return 0;
}

int k23_elf_build_id(const struct k23_elf_obj *o, uint8_t *out, size_t max)
{
	for (unsigned i = 0; i < o->e.phnum; i++) {
		const Elf64_Phdr *p = &o->e.ph[i];
		int r;

		if (p->p_type != PT_NOTE)
			continue;
		if (!range_ok(p->p_offset, p->p_filesz, o->size))
			return -1;
		/* Notes are 4-byte padded, except in 8-aligned segments
		 * (.note.gnu.property), as the gABI allows for ELF64. */
		r = find_build_id(o->data + p->p_offset, p->p_filesz, p->p_align == 8 ? 8 : 4, out, max);
		if (r != 0)
			return r;
	}
	return 0;
}

/* The same from an open file whose headers k23_elf_read checked: only the
 * notes are read (k23 run's check for missing sidecars, cli/autoprep.c, must
 * not read whole objects). Note segments larger than 64 KiB are not read: 0. */
int k23_elf_build_id_fd(int fd, const struct k23_elf *e, uint8_t *out, size_t max)
{
	uint8_t small[512];

	for (unsigned i = 0; i < e->phnum; i++) {
		const Elf64_Phdr *p = &e->ph[i];
		const uint8_t *notes;
		uint8_t *buf = small;
		int r;

		if (p->p_type != PT_NOTE)
			continue;
		if (!range_ok(p->p_offset, p->p_filesz, (uint64_t)e->size))
			return -1;
		if (p->p_offset <= e->head_len && p->p_filesz <= e->head_len - p->p_offset) {
			notes = e->head + p->p_offset; /* read with the headers */
			buf = NULL;
		} else if (p->p_filesz > sizeof(small) &&
			   (p->p_filesz > 65536 || !(buf = malloc(p->p_filesz)))) {
			/* Larger note segments are read into the heap, not
			 * onto a stack `ulimit -s 32` may leave small. */
			continue;
		} else if (pread(fd, buf, p->p_filesz, (off_t)p->p_offset) != (ssize_t)p->p_filesz) {
			if (buf != small)
				free(buf);
			return -1;
		} else {
			notes = buf;
		}
		r = find_build_id(notes, p->p_filesz, p->p_align == 8 ? 8 : 4, out, max);
		if (buf && buf != small)
			free(buf);
		if (r != 0)
			return r;
	}
	return 0;
}

/* --- code anchors -------------------------------------------------------------- */

#ifndef DT_RELR
#define DT_RELRSZ 35
#define DT_RELR 36
#endif

struct vec {
	uint64_t *v;
	size_t n, cap;
	int nomem;
};

static int in_exec(const struct k23_elf_obj *o, uint64_t va)
{
	for (unsigned i = 0; i < o->e.phnum; i++) {
		const Elf64_Phdr *p = &o->e.ph[i];

		if (p->p_type == PT_LOAD && (p->p_flags & PF_X) && va >= p->p_vaddr &&
		    va - p->p_vaddr < p->p_filesz)
			return 1;
	}
	return 0;
}

static void push(struct vec *a, const struct k23_elf_obj *o, uint64_t va)
{
	/* 0 is an absent DT_FINI or a null pointer, never code. */
	if (a->nomem || !va || !in_exec(o, va))
		return;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 1024;
		uint64_t *v = realloc(a->v, cap * sizeof(*v));

		if (!v) {
			a->nomem = 1;
			return;
		}
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = va;
}

/* The 8 bytes the file holds at vaddr, if any. */
static int word_at(const struct k23_elf_obj *o, uint64_t vaddr, uint64_t *val)
{
	uint64_t avail;
	const uint8_t *p = k23_elf_at(o, vaddr, &avail);

	if (!p || avail < 8)
		return -1;
	memcpy(val, p, 8);
	return 0;
}

static void symbols(struct vec *a, const struct k23_elf_obj *o)
{
	int64_t shnum = sections(o);
	Elf64_Shdr sh;
	Elf64_Sym sym;

	for (int64_t i = 1; i < shnum; i++) {
		shdr(o, (size_t)i, &sh);
		if ((sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    sh.sh_entsize != sizeof(sym) || !range_ok(sh.sh_offset, sh.sh_size, o->size))
			continue;
		for (uint64_t k = 1; k < sh.sh_size / sizeof(sym); k++) {
			memcpy(&sym, o->data + sh.sh_offset + k * sizeof(sym), sizeof(sym));
			if ((ELF64_ST_TYPE(sym.st_info) == STT_FUNC ||
			     ELF64_ST_TYPE(sym.st_info) == STT_GNU_IFUNC) && sym.st_shndx != SHN_UNDEF)
				push(a, o, sym.st_value);
		}
	}
}

/* Targets of RELA relocations at table[0..size): relative and IRELATIVE
 * addends, and locally defined symbols for absolute ones. */
static int rela(struct vec *a, const struct k23_elf_obj *o, const uint8_t *t, uint64_t size,
		uint64_t symtab)
{
	Elf64_Rela r;
	Elf64_Sym sym;
	uint64_t avail;

	for (uint64_t off = 0; off + sizeof(r) <= size; off += sizeof(r)) {
		const uint8_t *sp;

		memcpy(&r, t + off, sizeof(r));
		switch (ELF64_R_TYPE(r.r_info)) {
		case R_X86_64_RELATIVE:
		case R_X86_64_IRELATIVE:
			push(a, o, (uint64_t)r.r_addend);
			break;
		case R_X86_64_64:
		case R_X86_64_GLOB_DAT:
		case R_X86_64_JUMP_SLOT:
			if (!symtab || !ELF64_R_SYM(r.r_info))
				break;
			sp = k23_elf_at(o, symtab + ELF64_R_SYM(r.r_info) * sizeof(sym), &avail);
			if (!sp || avail < sizeof(sym))
				return -1;
			memcpy(&sym, sp, sizeof(sym));
			if (sym.st_shndx != SHN_UNDEF)
				push(a, o, sym.st_value +
				     (ELF64_R_TYPE(r.r_info) == R_X86_64_64 ? (uint64_t)r.r_addend : 0));
			break;
		}
	}
	return 0;
}

/* RELR: an address entry, then bitmaps of the 63 words after it. */
static void relr(struct vec *a, const struct k23_elf_obj *o, const uint8_t *t, uint64_t size)
{
	uint64_t where = 0, e, v;

	for (uint64_t off = 0; off + 8 <= size; off += 8) {
		memcpy(&e, t + off, 8);
		if (!(e & 1)) {
			if (!word_at(o, e, &v))
				push(a, o, v);
			where = e + 8;
			continue;
		}
		for (unsigned i = 0; (e >>= 1) != 0; i++)
			if ((e & 1) && !word_at(o, where + 8 * i, &v))
				push(a, o, v);
		where += 63 * 8;
	}
}

/* A table named by a pair of dynamic tags, wholly inside the file. */
static const uint8_t *table(const struct k23_elf_obj *o, uint64_t vaddr, uint64_t size)
{
	uint64_t avail;
	const uint8_t *p = vaddr && size ? k23_elf_at(o, vaddr, &avail) : NULL;

	return p && size <= avail ? p : NULL;
}

static int dynamic(struct vec *a, const struct k23_elf_obj *o, const char **why)
{
	uint64_t tag[40] = { 0 }, v;	/* the tags below 40 that matter here */
	const Elf64_Phdr *p = NULL;
	static const int arrays[][2] = {
		{ DT_INIT_ARRAY, DT_INIT_ARRAYSZ }, { DT_FINI_ARRAY, DT_FINI_ARRAYSZ },
		{ DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ },
	};

	for (unsigned i = 0; i < o->e.phnum; i++)
		if (o->e.ph[i].p_type == PT_DYNAMIC)
			p = &o->e.ph[i];
	if (!p)
		return 0;
	if (!range_ok(p->p_offset, p->p_filesz, o->size)) {
		*why = "dynamic section lies outside the file";
		return -1;
	}
	for (uint64_t off = 0; off + sizeof(Elf64_Dyn) <= p->p_filesz; off += sizeof(Elf64_Dyn)) {
		Elf64_Dyn d;

		memcpy(&d, o->data + p->p_offset + off, sizeof(d));
		if (d.d_tag == DT_NULL)
			break;
		if (d.d_tag >= 0 && d.d_tag < 40)
			tag[d.d_tag] = d.d_un.d_val;
	}
	push(a, o, tag[DT_INIT]);
	push(a, o, tag[DT_FINI]);
	for (size_t k = 0; k < 3; k++) {
		const uint8_t *t = table(o, tag[arrays[k][0]], tag[arrays[k][1]]);

		for (uint64_t off = 0; t && off + 8 <= tag[arrays[k][1]]; off += 8) {
			memcpy(&v, t + off, 8);
			push(a, o, v);
		}
	}
	if (tag[DT_RELR] && table(o, tag[DT_RELR], tag[DT_RELRSZ]))
		relr(a, o, table(o, tag[DT_RELR], tag[DT_RELRSZ]), tag[DT_RELRSZ]);
	*why = "malformed dynamic relocations";
	if ((tag[DT_RELA] && !table(o, tag[DT_RELA], tag[DT_RELASZ])) ||
	    (tag[DT_JMPREL] && !table(o, tag[DT_JMPREL], tag[DT_PLTRELSZ])))
		return -1;
	if (tag[DT_RELA] && rela(a, o, table(o, tag[DT_RELA], tag[DT_RELASZ]), tag[DT_RELASZ],
				 tag[DT_SYMTAB]))
		return -1;
	if (tag[DT_JMPREL] && tag[DT_PLTREL] == DT_RELA &&
	    rela(a, o, table(o, tag[DT_JMPREL], tag[DT_PLTRELSZ]), tag[DT_PLTRELSZ], tag[DT_SYMTAB]))
		return -1;
	return 0;
}

/* Static executables carry IRELATIVE relocations (.rela.iplt) outside any
 * dynamic section: read every RELA section. */
static void rela_sections(struct vec *a, const struct k23_elf_obj *o)
{
	int64_t shnum = sections(o);
	Elf64_Shdr sh;

	for (int64_t i = 1; i < shnum; i++) {
		shdr(o, (size_t)i, &sh);
		if (sh.sh_type == SHT_RELA && sh.sh_entsize == sizeof(Elf64_Rela) &&
		    range_ok(sh.sh_offset, sh.sh_size, o->size))
			rela(a, o, o->data + sh.sh_offset, sh.sh_size, 0);
	}
}

static int by_value(const void *x, const void *y)
{
	const uint64_t *a = x, *b = y;

	return *a < *b ? -1 : *a > *b;
}

int k23_elf_code_anchors(const struct k23_elf_obj *o, uint64_t **out, size_t *n, const char **why)
{
	struct vec a = { 0 };
	int rc;
	size_t k = 0;

	push(&a, o, o->e.eh.e_entry);
	symbols(&a, o);
	rela_sections(&a, o);
	rc = dynamic(&a, o, why);
	if (a.nomem) {
		free(a.v);
		*why = "out of memory";
		*out = NULL;
		*n = 0;
		return -1;
	}
	if (a.n)
		qsort(a.v, a.n, sizeof(*a.v), by_value);
	for (size_t i = 0; i < a.n; i++)
		if (!k || a.v[i] != a.v[k - 1])
			a.v[k++] = a.v[i];
	*out = a.v;
	*n = k;
	return rc;
}
