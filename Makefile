# ingress-doctor: plain GNU Makefile with pkg-config.
#
#   make                 build build/ingress-doctor
#   make check           everything CI runs: unit tests, scenarios, bad input,
#                        fuzz smoke, then the same suite under ASan + UBSan
#   make test            every suite on the normal build (unit, scenarios, bad input,
#                        cli, logs, live, nginx rig, probe, probe-pod)
#   make SAN=1 test      the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz            build the libFuzzer targets (clang)
#   make bench           run the benchmarks (bench/README.md); bench-live: against kubectl
#   make install         install binary, kubectl plugin link and man page

PKGS     := libfyaml zlib libcurl
CC       ?= cc
PREFIX   ?= /usr/local
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wvla -Wno-unused-parameter
CFLAGS   ?= -O2 -g
ALL_CFLAGS := -std=c17 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(shell pkg-config --cflags $(PKGS)) \
              -DID_VERSION='"$(VERSION)"' -MMD -MP
LDLIBS   := $(shell pkg-config --libs $(PKGS)) -lm

# libfyaml leaks on some parse errors (tests/lsan.supp)
export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/lsan.supp

ifeq ($(SAN),1)
  B := build-san
  ALL_CFLAGS += -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
  LDFLAGS += -fsanitize=address,undefined
else
  B := build
endif

SRCS     := $(sort $(wildcard src/*/*.c))
MAIN_SRC := src/cli/main.c
LIB_SRCS := $(filter-out $(MAIN_SRC),$(SRCS))
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/%.o) $(B)/demo_blob.o
DEMO_FILES := $(sort $(wildcard examples/demo/*.yaml))

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)

BIN := $(B)/ingress-doctor

.PHONY: all test unit scenarios badinput cli logs live rig probe probe-pod check fuzz fuzz-smoke bench bench-live install lint clean

all: $(BIN)

$(BIN): $(B)/$(MAIN_SRC:.c=.o) $(B)/libid.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/libid.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# the bundled example cluster, one YAML stream embedded in the binary
$(B)/demo.yaml: $(DEMO_FILES)
	@mkdir -p $(B)
	for f in $(DEMO_FILES); do echo "---"; echo "# $$f"; cat $$f; done > $@
	printf '\0' >> $@

$(B)/demo_blob.o: src/cli/demo_blob.S $(B)/demo.yaml
	$(CC) -c -DDEMO_FILE='"$(B)/demo.yaml"' -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/libid.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(B)/libid.a \
		$(LDFLAGS) $(LDLIBS) $(shell pkg-config --libs cmocka)

unit: $(UNIT_BINS)
	@tests/run-unit.sh $(UNIT_BINS)

scenarios: $(BIN)
	@tests/run-scenarios.sh $(BIN)

badinput: $(BIN)
	@tests/run-badinput.sh $(BIN)

cli: $(BIN)
	@tests/run-cli.sh $(BIN)

logs: $(BIN)
	@tests/run-logs.sh $(BIN)

# offline and live (through tests/apiserver) must agree; faults, auth, kubectl
# and through nginx as an HTTP/2 front: one connection, multiplexed streams
live: $(BIN) $(B)/libid.a
	@tests/run-live.sh $(BIN)
	@tests/run-live-h2.sh $(BIN)

# a real nginx in front of failing backends: the logs it writes, through `logs`
rig: $(BIN)
	@tests/run-nginx-rig.sh $(BIN)

# probe through the test API server's proxy subresources to real backends
probe: $(BIN) $(B)/libid.a
	@tests/run-probe.sh $(BIN)

# probe from a debug pod: its life cycle simulated, its script run for real
probe-pod: $(BIN) $(B)/libid.a
	@tests/run-probe-pod.sh $(BIN)

test: unit scenarios badinput cli logs live rig probe probe-pod

fuzz:
	@$(MAKE) -C fuzz

fuzz-smoke:
	@$(MAKE) -C fuzz smoke

check:
	$(MAKE) test
	$(MAKE) fuzz-smoke
	$(MAKE) SAN=1 test
	$(MAKE) lint

lint:
	@tests/lint.sh

bench: $(BIN)
	@bench/run.sh $(BIN)

# live diagnose -A against kubectl, pages pre-serialised behind nginx (BENCH_PODS=100000)
bench-live: $(BIN) $(B)/libid.a
	@bench/live.sh $(BIN)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/ingress-doctor
	ln -sf ingress-doctor $(DESTDIR)$(PREFIX)/bin/kubectl-ingress_doctor
	install -m 0644 docs/ingress-doctor.1 $(DESTDIR)$(PREFIX)/share/man/man1/ingress-doctor.1

clean:
	rm -rf build build-san fuzz/build

-include $(shell find $(B) -name '*.d' 2>/dev/null)
