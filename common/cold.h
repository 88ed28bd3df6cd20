/* cold.h - K23_COLD: k23's zero-filled objects that a start does not touch.
 *
 * Every page of k23's bss is populated in the launcher's mmap (a page the
 * start writes costs ~4 us so against ~12 us as a fault on the reference
 * VM), but a populated page nobody writes still costs ~1 us, per image
 * (docs/benchmarks.md, "k23's cold bss"). Objects of a few KiB and more
 * that only some programs or commands ever write (records of the
 * program's signal handlers and of signal frames, lazy patching's set,
 * the remote layer's directory, `k23 run`'s own buffers) go to a segment
 * of their own after the bss (.k23cold, placed by loader/k23-core.ld),
 * which the launcher maps without populating it: faulted in where used.
 */
#ifndef K23_COLD_H
#define K23_COLD_H

/* A name the compiler makes NOBITS (zero-filled, no file bytes), which
 * loader/k23-core.ld collects. */
#define K23_COLD __attribute__((section(".lbss.k23cold")))

#endif
