# xenbounce — see README.md. The two commands: `make run` and `make test`.
CC ?= gcc
BUILD ?= build
PKGS := jansson inih xencontrol xentoollog xenstore libkmod libdrm libdrm_amdgpu libpng
CFLAGS ?= -O2 -g
# -Wno-missing-field-initializers: tables (classifier rules) leave trailing
# fields zero on purpose. -Wno-format-truncation: messages are cut to their
# buffers on purpose. -Wno-format-nonliteral: the KTAP writer forwards formats.
XB_CFLAGS := -std=c11 -D_GNU_SOURCE -Iharness -I. -Wall -Wextra -Werror -Wshadow -Wformat=2 \
	-Wno-format-nonliteral -Wno-missing-field-initializers -Wno-format-truncation $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
XB_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
SAN ?=
ifeq ($(SAN),1)
BUILD := build/san
CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

# Layers, each using only those before it (tests/layout/layers.sh checks it):
# core <- userspace (workload API, drivers, libraries) <- evidence <- runner <- cli.
LAYERS := harness/core userspace harness/evidence harness/runner harness/cli
LIB_SRCS := $(filter-out harness/cli/main.c,$(foreach d,$(LAYERS),$(wildcard $(d)/*.c)))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: lava lava-instance lava-instance-down nightly nightly-check install-src regressions mutants kmod-check bisect-demo install install-dkms bench all deps check-deps kmod test unit unit-san style lab-test run clean help fuzz fuzz-build
all: $(BUILD)/xenbounce

help:
	@echo "make run     boot the QEMU reference lab and run the default scenarios"
	@echo "make test    the whole test suite (unit, sanitizers, style, lab, LAVA)"
	@echo "make lava    run the LAVA test definition under a real lava-run in the lab"
	@echo "make lava-instance  a LAVA server and two workers on this machine (lava-instance-down stops it)"
	@echo "make nightly the nightly set as sharded jobs on that instance, one merged verdict"
	@echo "make nightly-check  make nightly, make run of the same suites, test by test (and tampered)"
	@echo "make         build userspace into $(BUILD)/; make kmod builds the module"
	@echo "make deps    install the Debian packages (root) or name them"

deps:
	@harness/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(XB_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# Debian's xenctrl.h needs GNU C; only harness/evidence/xen.c includes it.
$(BUILD)/harness/evidence/xen.o: XB_CFLAGS += -std=gnu11

$(BUILD)/libxenbounce.a: $(LIB_OBJS)
	ar rcs $@ $^

$(BUILD)/xenbounce: $(BUILD)/harness/cli/main.o $(BUILD)/libxenbounce.a
	$(CC) $(LDFLAGS) -o $@ $^ $(XB_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/libxenbounce.a
	@mkdir -p $(dir $@)
	$(CC) $(XB_CFLAGS) $(CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< \
		$(BUILD)/libxenbounce.a $(LDFLAGS) $(XB_LIBS) $(shell pkg-config --libs cmocka)

# Unit tests: cmocka, each binary prints its own summary; tests/summary.sh adds them up.
unit: $(BUILD)/xenbounce $(UNIT_BINS)
	@tests/unit/run.sh $(BUILD)

unit-san:
	@$(MAKE) --no-print-directory SAN=1 unit

# Fuzzing: libFuzzer targets (clang), ASan + UBSan. `make fuzz` runs each
# for FUZZ_RUNS executions from the committed seeds (tests/fuzz/seeds/).
FUZZ_CC ?= clang-14
FUZZ_RUNS ?= 1000000
FUZZ_BUILD := build/fuzz
FUZZ_FLAGS := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -Wno-unknown-warning-option
FUZZ_TARGETS := scenario ktap classify
FUZZ_OBJS := $(LIB_SRCS:%.c=$(FUZZ_BUILD)/%.o)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(XB_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/harness/evidence/xen.o: XB_CFLAGS += -std=gnu11

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(XB_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(XB_LIBS)

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_RUNS)

# LAB_KERNEL (a release, a series such as 6.12, or a bzImage) chooses the
# kernel the lab boots and the module is built for; default: the 6.1 series.
export LAB_KERNEL
KDIR ?=
kmod:
	@$(MAKE) --no-print-directory -C kmod KDIR=$(KDIR)

# The module against every installed linux-headers-*-amd64, W=1, 0 warnings.
kmod-check:
	@$(MAKE) --no-print-directory -C kmod check

style:
	@harness/deps.sh style
	@kmod/checkpatch.sh

lab-test: all kmod
	@harness/deps.sh lab
	@tests/lab/run.sh

# The whole suite; the last line is "N passed, N failed".
test:
	@harness/deps.sh build test lab style dkms lava
	@tests/run-all.sh

run:
	@harness/deps.sh build lab
	@$(MAKE) --no-print-directory all kmod
	@harness/lab/lab.sh run

# The LAVA test definition run by a real lava-run (Debian's lava-dispatcher,
# no server) in the reference lab's dom0 (README, "Running under LAVA").
lava:
	@harness/deps.sh build lab lava
	@$(MAKE) --no-print-directory all kmod
	@harness/lava/run.sh

# A real LAVA instance on this machine (PostgreSQL, lava-server, scheduler,
# two lava-workers; README "A LAVA instance"), the nightly set as sharded
# jobs on it with one merged verdict, and the check that this verdict
# agrees test by test with make run of the same suites.
lava-instance:
	@harness/deps.sh build lab lava-instance
	@harness/lava/instance.sh up

lava-instance-down:
	@harness/lava/instance.sh down

nightly:
	@harness/deps.sh build lab lava-instance
	@$(MAKE) --no-print-directory all kmod
	@harness/lava/nightly.sh

nightly-check:
	@harness/deps.sh build lab lava-instance
	@$(MAKE) --no-print-directory all kmod
	@tests/lava/nightly.sh

# Real upstream DMA regressions rebuilt in the lab kernel, and whether the
# suite catches each (README, "Catching real regressions").
# make regressions runs the corpus and the mutants (--set all); make
# mutants only the mutants (harness/regressions/mutants/, issue #26).
regressions:
	@harness/deps.sh build lab bisect
	@$(MAKE) --no-print-directory all
	@harness/regressions/run.sh --set all

mutants:
	@harness/deps.sh build lab bisect
	@$(MAKE) --no-print-directory all
	@harness/regressions/run.sh --set mutants

# A real bisection of an injected xen-swiotlb regression (see README).
bisect-demo:
	@harness/deps.sh build lab bisect
	@$(MAKE) --no-print-directory all
	@harness/bisect/demo.sh

# Benchmarks print figures (README, "Performance"); they never pass or fail.
bench:
	@harness/deps.sh build lab
	@$(MAKE) --no-print-directory all kmod
	@bench/run.sh

# Installation: binary, scenarios, man page, a kselftest-style tree
# (kselftest-list.txt + one executable per scenario, kselftest exit codes),
# and the module's sources for DKMS.
PREFIX ?= /usr/local
DESTDIR ?=
KSFT_DIR = $(DESTDIR)$(PREFIX)/lib/xenbounce/kselftest
install: all
	install -D -m 0755 $(BUILD)/xenbounce $(DESTDIR)$(PREFIX)/bin/xenbounce
	install -D -m 0644 docs/xenbounce.1 $(DESTDIR)$(PREFIX)/share/man/man1/xenbounce.1
	install -d $(DESTDIR)$(PREFIX)/share/xenbounce/scenarios
	cp -r scenarios/. $(DESTDIR)$(PREFIX)/share/xenbounce/scenarios/
	install -D -m 0755 harness/lava/report.sh $(DESTDIR)$(PREFIX)/share/xenbounce/lava/report.sh
	install -D -m 0755 harness/lava/export.sh $(DESTDIR)$(PREFIX)/share/xenbounce/lava/export.sh
	install -D -m 0644 harness/lava/xenbounce.yaml $(DESTDIR)$(PREFIX)/share/xenbounce/lava/xenbounce.yaml
	install -d $(KSFT_DIR)/xenbounce
	printf 'timeout=600\n' > $(KSFT_DIR)/xenbounce/settings
	: > $(KSFT_DIR)/kselftest-list.txt
	for f in scenarios/*.ini; do \
		n=$$(basename $$f .ini); \
		printf '#!/bin/sh\n# kselftest wrapper for the xenbounce scenario %s\nexec %s/bin/xenbounce run -q -r "$${TMPDIR:-/tmp}/xenbounce-ksft" %s/share/xenbounce/scenarios/%s.ini\n' \
			"$$n" "$(PREFIX)" "$(PREFIX)" "$$n" > $(KSFT_DIR)/xenbounce/$$n; \
		chmod 0755 $(KSFT_DIR)/xenbounce/$$n; \
		echo "xenbounce:$$n" >> $(KSFT_DIR)/kselftest-list.txt; \
	done
	@$(MAKE) --no-print-directory install-src

# The module's sources for DKMS: exactly the files Kbuild builds from, so
# build products in kmod/ (xenbounce.mod.c, *.o, .*.cmd) never travel.
KMOD_SRCS := $(patsubst %.o,kmod/%.c,$(shell sed -n 's/^xenbounce-y *:= *//p' kmod/Kbuild))
KMOD_HDRS := $(wildcard kmod/*.h)
install-src:
	install -d $(DESTDIR)/usr/src/xenbounce-0.1/include/uapi
	install -m 0644 $(KMOD_SRCS) $(KMOD_HDRS) \
		kmod/Kbuild kmod/Makefile kmod/dkms.conf $(DESTDIR)/usr/src/xenbounce-0.1/
	install -m 0644 kmod/include/uapi/xenbounce.h $(DESTDIR)/usr/src/xenbounce-0.1/include/uapi/

# Register, build and install the module with DKMS (root, dkms installed),
# for DKMS_KERNELS (default: the running kernel). tests/dkms.sh runs it.
DKMS_KERNELS ?=
DKMS_K := $(foreach k,$(DKMS_KERNELS),-k $(k))
install-dkms: install
	dkms add -m xenbounce -v 0.1 && dkms build -m xenbounce -v 0.1 $(DKMS_K) && \
		dkms install -m xenbounce -v 0.1 $(DKMS_K)

clean:
	rm -rf build
	@$(MAKE) --no-print-directory -C kmod clean >/dev/null 2>&1 || true

-include $(shell find $(BUILD)/harness $(BUILD)/userspace -name '*.d' -type f 2>/dev/null)
