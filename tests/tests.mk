# tests/tests.mk - builds and runs k23's tests: cmocka unit tests, test programs, integration tests.
#
#   make test          deps, build/k23, then unit and integration (fails if any test fails)
#   make unit          build tests/unit/test_*.c into build/tests/test_* and run each
#   make integration   build the test programs and run tests/integration/*.sh
#                      twice: with patching on (sidecars prepared for the run),
#                      then with `k23 run --no-patch` (catch-all only)
#   make progs         build tests/progs/*.c (and patch_*.S, libpatch_dl.so) into build/tests/progs/
#   make stress        the thread/signal stress test and the lazy-patch race, 20 runs each
#   make check-suites  test suites written by others under k23 against native runs
#                      (CPython's OS modules, tests/suites/run-cpython); not in make test
#
# Unit tests link the freestanding runtime and the hosted objects except
# cli/main.o (each test has its own main). They run with cmocka's TAP output,
# which is turned into one PASS/FAIL line per test.

TEST_B     := $(B)/tests
PROGS_B    := $(TEST_B)/progs
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(TEST_B)/%)
UNIT_HOST  := $(filter-out $(B)/cli/main.o,$(HOST_OBJ))
UNIT_LIB   := $(TEST_B)/libk23host.a
UNIT_OFFLINE := $(filter-out $(B)/offline/main.o,$(OFFLINE_OBJ))
UNIT_OFFLINE_LIB := $(TEST_B)/libk23offline.a
UNIT_REMOTE_LIB := $(TEST_B)/libk23remote.a
UNIT_LINK  := $(B)/runtime.o $(UNIT_OFFLINE_LIB) $(UNIT_LIB) $(UNIT_REMOTE_LIB)

# Test programs are ordinary hosted programs, dynamic unless named static_*:
# static_X.c is built twice, static (ET_EXEC) as static_X and static-pie as
# static_X_pie. X_lib.c is a shared object, libX.so (dlopened by a test
# program). patch_X.S is a static program without libc (-nostdlib), whose
# assembly decides where every syscall instruction sits.
PROG_CFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE
PROG_SRC     := $(wildcard tests/progs/*.c)
LIB_SRC      := $(filter tests/progs/%_lib.c,$(PROG_SRC))
STATIC_SRC   := $(filter tests/progs/static_%.c,$(PROG_SRC))
NOLIBC_SRC   := $(filter tests/progs/nolibc_%.c,$(PROG_SRC))
DYN_SRC      := $(filter-out $(STATIC_SRC) $(LIB_SRC) $(NOLIBC_SRC),$(PROG_SRC))
ASM_SRC      := $(wildcard tests/progs/patch_*.S)
PROG_BIN     := $(DYN_SRC:tests/progs/%.c=$(PROGS_B)/%) \
                $(STATIC_SRC:tests/progs/%.c=$(PROGS_B)/%) \
                $(STATIC_SRC:tests/progs/%.c=$(PROGS_B)/%_pie) \
                $(LIB_SRC:tests/progs/%_lib.c=$(PROGS_B)/lib%.so) \
                $(ASM_SRC:tests/progs/%.S=$(PROGS_B)/%) \
                $(NOLIBC_SRC:tests/progs/%.c=$(PROGS_B)/%)

.PHONY: progs

test: deps
	$(MAKE) all
	@rc=0; \
	$(MAKE) --no-print-directory unit || rc=1; \
	$(MAKE) --no-print-directory integration || rc=1; \
	$(MAKE) --no-print-directory fuzz-regress || rc=1; \
	if [ $$rc -ne 0 ]; then echo "make test: FAILED"; else echo "make test: all passed"; fi; \
	exit $$rc

# --- unit tests ---
# The hosted objects go in an archive, so a test pulls in only the objects it
# needs: cli/run.o, say, refers to symbols of the left-out cli/main.o.
$(UNIT_LIB): $(UNIT_HOST)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $(UNIT_HOST)

# The remote proxy's objects (but its main): the 9P codec, conversions.
$(UNIT_REMOTE_LIB): $(filter-out $(B)/remote/main.o,$(REMOTE_OBJ))
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# The offline pass's objects (but its main) likewise, with its decoders.
$(UNIT_OFFLINE_LIB): $(UNIT_OFFLINE)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $(UNIT_OFFLINE)

$(TEST_B)/test_%: tests/unit/test_%.c $(UNIT_LINK)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -no-pie -o $@ $< $(UNIT_LINK) -lcmocka $(OFFLINE_LIBS) $(LDLIBS)

# Each binary runs in its own process; a crash or a non-zero exit fails it
# even when its TAP lines look fine.
unit: $(UNIT_BIN)
	@pass=0; fail=0; \
	for t in $(UNIT_BIN); do \
	  n=$$(basename $$t); \
	  rc=0; CMOCKA_MESSAGE_OUTPUT=TAP $$t > $$t.log 2>&1 || rc=$$?; \
	  p=$$(awk -v n=$$n '/^ok /{ sub(/^ok [0-9]+ - /, ""); print "PASS unit/" n "/" $$0 }' $$t.log); \
	  f=$$(awk -v n=$$n '/^not ok /{ sub(/^not ok [0-9]+ - /, ""); print "FAIL unit/" n "/" $$0 }' $$t.log); \
	  [ -z "$$p" ] || echo "$$p"; [ -z "$$f" ] || echo "$$f"; \
	  pass=$$((pass + $$(printf '%s' "$$p" | grep -c '^PASS'))); \
	  if [ $$rc -ne 0 ] || [ -n "$$f" ] || [ -z "$$p" ]; then \
	    fail=$$((fail + 1)); echo "FAIL unit/$$n (exit status $$rc), output:"; \
	    sed 's/^/  | /' $$t.log; \
	  fi; \
	done; \
	echo "unit: $$pass tests passed, $$fail binaries failed ($(words $(UNIT_BIN)) binaries)"; \
	[ $$fail -eq 0 ]

# --- test programs ---
$(PROGS_B)/%: tests/progs/%.c
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -o $@ $<

$(PROGS_B)/static_%: tests/progs/static_%.c
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -static -no-pie -o $@ $<

$(PROGS_B)/static_%_pie: tests/progs/static_%.c
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -static-pie -fpie -o $@ $<

# nolibc_X.c: static, no C library at all (its own _start).
$(PROGS_B)/nolibc_%: tests/progs/nolibc_%.c
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -static -nostdlib -fno-stack-protector -fcf-protection=none -o $@ $<

# uring_X.c uses liburing (liburing-dev, in DEPS).
$(PROGS_B)/uring_%: tests/progs/uring_%.c
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -o $@ $< -luring

# remote_X.c drives the remote-call proxy through its channel: it links the
# client side (common/remote/chan.c) and the launcher's k23_remote_start.
$(PROGS_B)/remote_%: tests/progs/remote_%.c common/remote/chan.c common/remote/start.c common/remote/chan.h common/remote/chan_request.h
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -I. -Icommon -o $@ $(filter %.c,$^)

$(PROGS_B)/lib%.so: tests/progs/%_lib.c
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -shared -fPIC -o $@ $<

$(PROGS_B)/patch_%: tests/progs/patch_%.S
	@mkdir -p $(dir $@)
	$(CC) -nostdlib -static -no-pie -Wa,--noexecstack -o $@ $<

# Links libz (Debian's zlib1g-dev, in DEPS) and dlopens libbz2: virt_libs.sh.
$(PROGS_B)/vlib_prog: tests/progs/vlib_prog.c
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -o $@ $< -lz -ldl

# Links liburing (Debian's liburing-dev, in DEPS).
$(PROGS_B)/policy_uring: tests/progs/policy_uring.c
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) -o $@ $< -luring

progs: $(PROG_BIN)

# --- integration tests ---
# Two passes over the same tests: the default (hot patching on, with a
# sidecar cache that run-integration prepares for the run), then every
# `k23 run` with --no-patch (the catch-alls alone). The second pass leaves
# out the prepare_* tests, which never use `k23 run` (see run-integration).
# Both passes always run; either failing fails the target.
integration: $(B)/k23 $(B)/k23-prepare progs
	@rc=0; \
	echo "=== integration, patching on"; \
	tests/run-integration || rc=1; \
	echo "=== integration, --no-patch"; \
	tests/run-integration --no-patch || rc=1; \
	exit $$rc

# The stress test of the thread/signal issue at full length: 20 runs of
# 64 threads x 100,000 calls with signals arriving (make test runs 2); and
# 20 runs of the lazy-patch race of 8 threads (make test runs 3).
.PHONY: stress
stress: $(B)/k23 $(B)/k23-prepare progs
	@STRESS_RUNS=20 RACE_RUNS=20 TIMEOUT=1800 tests/run-integration stress patch_race

# --- suites written by others ---
# CPython's regression modules that exercise the OS, test by test against a
# native run, with patching on and with --no-patch (docs/testing.md). Takes
# about half an hour; SUITE_ARGS passes options (--mode, modules, --timeout).
.PHONY: check-suites
check-suites: deps $(B)/k23 $(B)/k23-prepare
	@scripts/install-deps libpython3.11-testsuite
	tests/suites/run-cpython $(SUITE_ARGS)

# --- fuzzing ---
# make fuzz: libFuzzer (clang) with ASan and UBSan on the readers of
# untrusted files, for FUZZ_SECONDS (default 60). Inputs that crash are
# written to tests/fuzz/crashes/, which `make test` replays every time
# (fuzz-regress) once it holds any: keep them there as regression tests.
FUZZ_SECONDS ?= 60
FUZZ_B   := $(B)/fuzz
FUZZ_SRC := common/rt/hash64.c common/rt/sidecar_check.c common/elf_info.c common/eh_frame.c common/elf_dyn.c common/elf_file.c \
            common/elf_closure.c common/sidecar.c common/sidecar_io.c common/log.c
.PHONY: fuzz fuzz-regress

$(FUZZ_B)/fuzz_readers: tests/fuzz/fuzz_readers.c $(FUZZ_SRC)
	@mkdir -p $(dir $@)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	  -D_GNU_SOURCE -Iinclude -Icommon -I. -o $@ $^

fuzz: $(B)/k23 $(B)/k23-prepare $(FUZZ_B)/fuzz_readers $(FUZZ_B)/fuzz_policy $(FUZZ_B)/fuzz_ninep
	@scripts/install-deps clang libclang-rt-14-dev
	tests/fuzz/seed $(FUZZ_B)/seeds $(B)/k23
	@mkdir -p $(FUZZ_B)/corpus tests/fuzz/crashes
	$(FUZZ_B)/fuzz_readers -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
	  -artifact_prefix=tests/fuzz/crashes/ $(FUZZ_B)/corpus $(FUZZ_B)/seeds
	@mkdir -p $(FUZZ_B)/policy-corpus $(FUZZ_B)/policy-seeds tests/fuzz/crashes-policy
	cp tests/fuzz/policy-seeds/* /usr/share/containers/seccomp.json $(FUZZ_B)/policy-seeds/
	$(FUZZ_B)/fuzz_policy -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
	  -artifact_prefix=tests/fuzz/crashes-policy/ $(FUZZ_B)/policy-corpus $(FUZZ_B)/policy-seeds
	@mkdir -p $(FUZZ_B)/ninep-corpus tests/fuzz/crashes-ninep
	$(FUZZ_B)/fuzz_ninep -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
	  -artifact_prefix=tests/fuzz/crashes-ninep/ $(FUZZ_B)/ninep-corpus tests/fuzz/ninep-corpus

# What a 9P server sends the remote proxy: the codec and the conversions of
# replies into dirents and statx (common/ninep/, remote/convert.c).
FUZZ_NINEP_SRC := common/ninep/ninep.c remote/convert.c
$(FUZZ_B)/fuzz_ninep: tests/fuzz/fuzz_ninep.c $(FUZZ_NINEP_SRC)
	@mkdir -p $(dir $@)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	  -D_GNU_SOURCE -Iinclude -Icommon -I. -o $@ $^

# The policy reader (YAML and JSON, both forms), linked with libyaml and
# libseccomp like k23-prepare.
FUZZ_POLICY_SRC := $(filter-out policy/main.c policy/learn.c policy/compile.c policy/explain.c policy/needs.c \
                     policy/own.c policy/bpf_sim.c,$(wildcard policy/*.c)) $(B)/gen/errno_names.c \
                   common/elf_closure.c common/elf_dyn.c common/elf_file.c
$(FUZZ_B)/fuzz_policy: tests/fuzz/fuzz_policy.c $(FUZZ_POLICY_SRC)
	@mkdir -p $(dir $@)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	  -D_GNU_SOURCE -Iinclude -Icommon -I. -o $@ $^ -lseccomp -lyaml

# The 9P decoder's saved corpus (tests/fuzz/ninep-corpus: replies diod sent,
# and inputs a fuzzing run found that reach new code) and the policy seeds are
# replayed every time, with any crash inputs, so every fuzz target is built by
# make test too (a link error shows here, not at the next make fuzz); without
# clang the replay is skipped with a reason.
fuzz-regress:
	@if command -v clang > /dev/null; then \
	  $(MAKE) --no-print-directory $(FUZZ_B)/fuzz_ninep && \
	  $(FUZZ_B)/fuzz_ninep tests/fuzz/ninep-corpus/* $$(ls tests/fuzz/crashes-ninep/* 2> /dev/null) \
	    > $(FUZZ_B)/ninep-regress.log 2>&1 && echo "PASS fuzz-regress (9P decoder)" || \
	  { echo "FAIL fuzz-regress (9P decoder)"; tail -20 $(FUZZ_B)/ninep-regress.log; exit 1; }; \
	else echo "SKIP fuzz-regress (9P decoder): clang not installed (make fuzz installs it)"; fi
	@if ls tests/fuzz/crashes/* > /dev/null 2>&1; then \
	  $(MAKE) --no-print-directory $(FUZZ_B)/fuzz_readers && \
	  $(FUZZ_B)/fuzz_readers tests/fuzz/crashes/* && echo "PASS fuzz-regress"; \
	else echo "fuzz-regress: no saved crash inputs"; fi
	@if command -v clang > /dev/null; then \
	  rm -f $(FUZZ_B)/policy-regress.log; \
	  $(MAKE) --no-print-directory $(FUZZ_B)/fuzz_policy $(FUZZ_B)/fuzz_readers && \
	  $(FUZZ_B)/fuzz_policy tests/fuzz/policy-seeds/* $$(ls tests/fuzz/crashes-policy/* 2> /dev/null) \
	    > $(FUZZ_B)/policy-regress.log 2>&1 && echo "PASS fuzz-regress (policy seeds; fuzz targets build)" || \
	  { echo "FAIL fuzz-regress (policy)"; tail -20 $(FUZZ_B)/policy-regress.log 2> /dev/null; exit 1; }; \
	else echo "SKIP fuzz-regress (policy): clang not installed (make fuzz installs it)"; fi
