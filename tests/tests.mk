# tests/tests.mk - builds and runs k23's tests: cmocka unit tests, test programs, integration tests.
#
#   make test          deps, build/k23, then unit and integration (fails if any test fails)
#   make unit          build tests/unit/test_*.c into build/tests/test_* and run each
#   make integration   build the test programs and run tests/integration/*.sh
#   make progs         build tests/progs/*.c into build/tests/progs/
#   make stress        the thread/signal stress test, 20 runs
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
UNIT_LINK  := $(B)/runtime.o $(UNIT_OFFLINE_LIB) $(UNIT_LIB)

# Test programs are ordinary hosted programs, dynamic unless named static_*:
# static_X.c is built twice, static (ET_EXEC) as static_X and static-pie as
# static_X_pie.
PROG_CFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE
PROG_SRC     := $(wildcard tests/progs/*.c)
STATIC_SRC   := $(filter tests/progs/static_%.c,$(PROG_SRC))
DYN_SRC      := $(filter-out $(STATIC_SRC),$(PROG_SRC))
PROG_BIN     := $(DYN_SRC:tests/progs/%.c=$(PROGS_B)/%) \
                $(STATIC_SRC:tests/progs/%.c=$(PROGS_B)/%) \
                $(STATIC_SRC:tests/progs/%.c=$(PROGS_B)/%_pie)

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

progs: $(PROG_BIN)

# --- integration tests ---
integration: $(B)/k23 $(B)/k23-prepare progs
	@tests/run-integration

# The stress test of the thread/signal issue at full length: 20 runs of
# 64 threads x 100,000 calls with signals arriving (make test runs 2).
.PHONY: stress
stress: $(B)/k23 progs
	@STRESS_RUNS=20 TIMEOUT=1800 tests/run-integration stress

# --- fuzzing ---
# make fuzz: libFuzzer (clang) with ASan and UBSan on the readers of
# untrusted files, for FUZZ_SECONDS (default 60). Inputs that crash are
# written to tests/fuzz/crashes/, which `make test` replays every time
# (fuzz-regress) once it holds any: keep them there as regression tests.
FUZZ_SECONDS ?= 60
FUZZ_B   := $(B)/fuzz
FUZZ_SRC := common/elf_info.c common/eh_frame.c common/elf_dyn.c common/elf_file.c \
            common/elf_closure.c common/sidecar.c common/sidecar_io.c common/log.c
.PHONY: fuzz fuzz-regress

$(FUZZ_B)/fuzz_readers: tests/fuzz/fuzz_readers.c $(FUZZ_SRC)
	@mkdir -p $(dir $@)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	  -D_GNU_SOURCE -Iinclude -Icommon -I. -o $@ $^

fuzz: $(B)/k23 $(B)/k23-prepare $(FUZZ_B)/fuzz_readers
	@scripts/install-deps clang libclang-rt-14-dev
	tests/fuzz/seed $(FUZZ_B)/seeds $(B)/k23
	@mkdir -p $(FUZZ_B)/corpus tests/fuzz/crashes
	$(FUZZ_B)/fuzz_readers -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
	  -artifact_prefix=tests/fuzz/crashes/ $(FUZZ_B)/corpus $(FUZZ_B)/seeds

fuzz-regress:
	@if ls tests/fuzz/crashes/* > /dev/null 2>&1; then \
	  $(MAKE) --no-print-directory $(FUZZ_B)/fuzz_readers && \
	  $(FUZZ_B)/fuzz_readers tests/fuzz/crashes/* && echo "PASS fuzz-regress"; \
	else echo "fuzz-regress: no saved crash inputs"; fi
