# k23 - system-call interposer for Linux x86-64.
#
#   make          build build/k23
#   make run      install missing Debian packages, build, run the default job
#   make test     install missing Debian packages, build, run every test
#   make bench    run the benchmarks (prints ratios against native)
#   make install  PREFIX=/usr/local DESTDIR=...; make deb: build/k23_*.deb (install.mk)
#
# Two kinds of C code live here and are compiled differently:
#  - hosted code (cli/, loader/ stage 1, common/*.c) runs in k23's own process
#    before the program starts and may use k23's own (static) libc. In
#    build/k23 that libc is musl: k23 starts once per program image (every
#    execve in the tree), and a static glibc spends ~0.8 ms of each start on
#    its own initialisation here (CPU feature probing with cpuid, which traps
#    on a VM), musl almost nothing. The same sources are also compiled against
#    glibc for k23-prepare, which links capstone and zydis, and the unit tests;
#  - freestanding code (online/, common/rt/, loader/handoff.c) runs inside the
#    interposed program. It must not call any libc, so it is built with
#    -ffreestanding -mgeneral-regs-only (it never touches vector registers) and
#    partially linked alone: any undefined symbol fails the build.
#
# k23 is linked static at a fixed address, so its code sits at the same place
# in every process image - the seccomp filter, inherited across execve, allows
# exactly that range. The address must lie below 2 GiB: Debian's crt1.o and
# libc.a are built for the small code model and cannot be linked higher. It
# also stays below 0x40000000, the range MAP_32BIT hands out (old JITs need it),
# and well above 0x400000, where non-PIE programs are linked.

CC        ?= gcc
B         := build
K23_TEXT  := 0x23000000
# Build and test dependencies (diod: the 9P2000.L server the remote tests
# start; git, sqlite3: programs remote_run.sh runs in a remote tree;
# man-db: the install tests render the manual pages; dpkg-dev: make deb computes Depends). golang-go, openjdk-17-jdk-headless and nodejs
# are the real programs the thread/signal tests run under k23.
DEPS      := libcapstone-dev libzydis-dev libseccomp-dev liburing-dev libcmocka-dev strace \
             musl-tools golang-go openjdk-17-jdk-headless nodejs python3 time \
             libyaml-dev golang-github-containers-common git zlib1g-dev \
             man-db dpkg-dev diod sqlite3
# Optional: what tests/integration/container*.sh run k23 in (Podman with
# runc: about 14 MB to download, 35 s to install). make deps installs them
# too, but a machine that cannot install them still builds and tests k23;
# the tests say SKIP there, as they do where containers cannot run.
OPT_DEPS  := podman runc
# musl-gcc's include path holds musl's headers only; the kernel's (linux/,
# asm/, asm-generic/ from linux-libc-dev) are linked into $(B)/musl-include.
MUSL_CC   := musl-gcc

BASE_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
               -I. -Iinclude -Icommon -I$(B)/gen -fno-pie
HOST_CFLAGS := $(BASE_CFLAGS)
# A section per function in k23-core's objects (not the launcher's, all of
# which is .text.k23launch), so that loader/k23-hot.ld can put the ones
# every start runs together.
SECTIONS_CFLAGS := -ffunction-sections
RT_CFLAGS   := $(BASE_CFLAGS) -ffreestanding -fno-builtin -fno-stack-protector \
               -mgeneral-regs-only -fno-tree-loop-distribute-patterns \
               -fcf-protection=none -fno-jump-tables
DEPFLAGS     = -MMD -MP -MF $(@:.o=.d)

GEN_SRC  := $(B)/gen/syscall_names.c $(B)/gen/errno_names.c
# build/k23 is the launcher: pages of k23-core's own text cut out into a
# program of their own (loader/arch/x86_64/launcher.c, scripts/mklauncher.c).
LAUNCHER_SRC := loader/arch/x86_64/launcher.c
RT_SRC   := $(wildcard online/*/*.c common/rt/*.c) common/remote/chan.c loader/handoff.c \
            $(LAUNCHER_SRC)
RT_ASM   := $(wildcard online/arch/x86_64/*.S loader/arch/x86_64/*.S)
HOST_SRC := $(wildcard cli/*.c common/*.c policy/apply/*.c) common/remote/start.c \
            $(filter-out loader/handoff.c,$(wildcard loader/*.c))
# The offline pass (k23 prepare, k23 sites) decodes with capstone and zydis.
# Debian ships zydis only as a shared library, so it is a separate, dynamic
# program that the static k23 executes (cli/offline.c).
# It also reads and compiles policies (policy/*.c) with libyaml and
# libseccomp, which Debian builds against glibc only (docs/policy.md).
OFFLINE_SRC := $(wildcard offline/*.c policy/*.c)
OFFLINE_OBJ := $(OFFLINE_SRC:%.c=$(B)/%.o)
OFFLINE_LIBS := -lcapstone -lZydis -lseccomp -lyaml

RT_OBJ   := $(RT_SRC:%.c=$(B)/%.o) $(RT_ASM:%.S=$(B)/%.o) $(GEN_SRC:$(B)/gen/%.c=$(B)/gen/%.o)
HOST_OBJ := $(HOST_SRC:%.c=$(B)/%.o)
MUSL_OBJ := $(HOST_SRC:%.c=$(B)/musl/%.o)

.PHONY: all deps run test unit integration bench clean
all: $(B)/k23 $(B)/k23-core $(B)/k23-prepare $(B)/k23-remote

deps:
	@scripts/install-deps $(DEPS)
	@scripts/install-deps $(OPT_DEPS) || \
	  echo "k23: optional packages not installed ($(OPT_DEPS)): the tests that need them will SKIP"

# --- generated tables (names come from libseccomp and glibc at build time) ---
$(B)/gen/gen-syscalls: scripts/gen-syscalls.c | $(B)/gen
	$(CC) $(HOST_CFLAGS) -no-pie -o $@ $< -lseccomp
$(B)/gen/gen-errnos: scripts/gen-errnos.c | $(B)/gen
	$(CC) $(HOST_CFLAGS) -no-pie -o $@ $<
$(B)/gen/syscall_names.c: $(B)/gen/gen-syscalls
	$< > $@.tmp && mv $@.tmp $@
$(B)/gen/errno_names.c: $(B)/gen/gen-errnos
	$< > $@.tmp && mv $@.tmp $@
$(B)/gen:
	mkdir -p $@
# What names the runtime a patched copy in the cache was made by
# (online/patch/prepatched.c): a hash of the runtime's sources, so that a
# k23 whose stubs, entry or signal code differ never maps another's copy.
RT_HDR := $(wildcard online/*/*.h online/arch/x86_64/*.h common/rt/*.h include/k23/*.h)
$(B)/gen/rt_sources.h: $(RT_SRC) $(RT_ASM) $(RT_HDR) | $(B)/gen
	@printf '#define K23_RT_SOURCES "%s"\n' $$(cat $^ | sha256sum | cut -c1-16) > $@.tmp && mv $@.tmp $@
$(B)/online/patch/prepatched.o: $(B)/gen/rt_sources.h

$(B)/gen/%.o: $(B)/gen/%.c
	$(CC) $(RT_CFLAGS) -c -o $@ $<

# --- freestanding runtime ---
$(patsubst %.c,$(B)/%.o,$(filter-out $(LAUNCHER_SRC),$(RT_SRC))): $(B)/%.o: %.c | $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) $(SECTIONS_CFLAGS) $(DEPFLAGS) -c -o $@ $<
# The launcher runs before the rest of k23-core is mapped: all of it stays in
# .text.k23launch, in source order, and refers to nothing outside it but
# k23_launched_self, which it writes once it has mapped the core's bss.
$(LAUNCHER_SRC:%.c=$(B)/%.o): RT_CFLAGS += -fno-toplevel-reorder -fno-reorder-blocks-and-partition
$(LAUNCHER_SRC:%.c=$(B)/%.o): $(B)/%.o: %.c | $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) $(DEPFLAGS) -c -o $@.tmp $<
	@if readelf -rW $@.tmp | awk '/^Relocation section/ { sec = /rela.text.k23launch/; next } \
	    sec && $$1 != "Offset" && NF >= 5 && $$5 !~ /^(\.text\.k23launch|\.bss\.k23launched|k23_launcher_.*|k23_launched_self)$$/' | grep -q .; then \
	  echo "$<: the launcher refers to something outside .text.k23launch:"; readelf -rW $@.tmp; exit 1; fi
	@if size -A $@.tmp | awk '$$1 ~ /^\.(text|data|bss|rodata)/ && $$1 != ".text.k23launch" && $$1 != ".bss.k23launched" && $$2 > 0' | grep -q .; then \
	  echo "$<: the launcher has code or data outside .text.k23launch:"; size -A $@.tmp; exit 1; fi
	@# On a page of its own (it is under 4 KiB): build/k23 is then one page of
	@# text whatever code comes before it in the core, not two when it happens
	@# to straddle a page boundary (a pread and a page fault more per image).
	objcopy --set-section-alignment .text.k23launch=4096 $@.tmp
	mv $@.tmp $@
$(B)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(DEPFLAGS) -c -o $@ $<

# One relocatable object; an undefined symbol means freestanding code called
# something it may not (libc, or a compiler-inserted memcpy). __ehdr_start
# and _end are the linker's own (where k23's image begins and ends).
$(B)/runtime.o: $(RT_OBJ)
	ld -r -o $@ $(RT_OBJ)
	@undef=$$(nm -u $@ | grep -v -e '_GLOBAL_OFFSET_TABLE_' -e ' __ehdr_start$$' -e ' _end$$' || true); \
	if [ -n "$$undef" ]; then echo "freestanding runtime calls outside itself:"; \
	  echo "$$undef"; rm -f $@; exit 1; fi

# --- hosted code ---
$(HOST_OBJ): $(B)/%.o: %.c | $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(B)/musl-include:
	@command -v $(MUSL_CC) > /dev/null || \
	  { echo "k23: $(MUSL_CC) not found: run 'make deps' (Debian package musl-tools)"; exit 1; }
	mkdir -p $@.tmp
	ln -sfn /usr/include/linux $@.tmp/linux
	ln -sfn /usr/include/asm-generic $@.tmp/asm-generic
	ln -sfn /usr/include/$$($(CC) -print-multiarch)/asm $@.tmp/asm
	mv $@.tmp $@

$(MUSL_OBJ): $(B)/musl/%.o: %.c | $(GEN_SRC) $(B)/musl-include
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(HOST_CFLAGS) $(SECTIONS_CFLAGS) -isystem $(B)/musl-include $(DEPFLAGS) -c -o $@ $<

# The version's one source is the file VERSION (k23 --version).
K23_VERSION := $(shell cat VERSION)
$(B)/musl/cli/main.o $(B)/cli/main.o: HOST_CFLAGS += -DK23_VERSION='"$(K23_VERSION)"'
$(B)/musl/cli/main.o $(B)/cli/main.o: VERSION

$(B)/k23-core: $(MUSL_OBJ) $(B)/runtime.o loader/k23-core.ld loader/k23-hot.ld
	$(MUSL_CC) -static -no-pie -Wl,-Ttext-segment=$(K23_TEXT) -Wl,-T,loader/k23-core.ld \
	  -Wl,-T,loader/k23-hot.ld -o $@ \
	  $(MUSL_OBJ) $(B)/runtime.o
$(B)/mklauncher: scripts/mklauncher.c
	$(CC) $(HOST_CFLAGS) -no-pie -o $@ $<
$(B)/k23: $(B)/k23-core $(B)/mklauncher
	$(B)/mklauncher $(B)/k23-core $@.tmp && mv $@.tmp $@

$(OFFLINE_OBJ): $(B)/%.o: %.c | $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(DEPFLAGS) -c -o $@ $<

# Shares the hosted common/ objects (ELF reading, sidecars) with k23.
$(B)/k23-prepare: $(OFFLINE_OBJ) $(filter $(B)/common/%,$(HOST_OBJ)) $(B)/runtime.o
	$(CC) -no-pie -o $@ $^ $(OFFLINE_LIBS)

# --- the remote-call proxy (docs/remote.md) ---
# k23-remote serves the program tree's remote calls over 9P2000.L; k23 run
# starts it (common/remote/start.c) and finds it beside k23 like
# k23-prepare. It is a separate dynamic program because it links liburing
# (glibc) and runs threads; common/ninep/ is its 9P codec.
REMOTE_SRC := $(wildcard remote/*.c common/ninep/*.c)
REMOTE_OBJ := $(REMOTE_SRC:%.c=$(B)/%.o)
$(REMOTE_OBJ): $(B)/%.o: %.c | $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(B)/k23-remote: $(REMOTE_OBJ)
	$(CC) -no-pie -o $@ $^ -luring -lpthread

-include $(wildcard $(B)/*/*.d $(B)/*/*/*.d $(B)/*/*/*/*.d)

# --- what users run ---
# The main job: prepare ls (sidecars in build/cache), then run it with every
# call counted, and say how the calls came in (patched sites vs. traps).
run: deps
	$(MAKE) all
	$(B)/k23 prepare --cache $(B)/cache --quiet ls
	$(B)/k23 run --cache $(B)/cache --tool count --stats -- ls -l /

include install.mk
include tests/tests.mk
include bench/bench.mk

clean:
	rm -rf $(B)
