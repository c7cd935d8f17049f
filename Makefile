# burstsim - discrete-event simulator of KEDA ScaledJob / Azure Container Apps
# event-driven jobs. GNU make. User CC/CFLAGS/LDFLAGS come first; project
# flags are kept apart (SIM_*), so `make CFLAGS=-O0 -g` works.
#
# Targets: all (build/burstsim), run, test, asan, bench, install, clean, echo.

CC      ?= cc
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
BUILD   ?= build
V       ?= 0

PKGS      = gsl libcsv yaml-0.1 jansson
DEPS_OK  := $(shell scripts/install-deps --check >/dev/null 2>&1 && echo yes)

SIM_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. \
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wdouble-promotion \
  -Wstrict-prototypes -Wmissing-prototypes -Wundef -Wwrite-strings \
  -Werror -ffp-contract=off -MMD -MP -pthread
SIM_LIBS   = -lgsl -lgslcblas -lcsv -lyaml -ljansson -lm -pthread
TEST_LIBS  = -lcmocka

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
SIM_CFLAGS += -DBURSTSIM_VERSION='"$(VERSION)"'

ifeq ($(V),1)
Q =
else
Q = @
endif

LIB_SRC  := $(filter-out sim/cli/main.c,$(wildcard sim/*/*.c models/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/sim/cli/main.o
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run test asan bench install clean echo deps
# Keep test and bench objects (make would delete them as intermediates).
.SECONDARY:

all: deps $(BUILD)/burstsim

# Install missing Debian packages once (scripts/install-deps is a no-op when
# everything is present).
deps:
ifneq ($(DEPS_OK),yes)
	@scripts/install-deps
endif

$(BUILD)/burstsim: $(MAIN_OBJ) $(BUILD)/libburstsim.a
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(SIM_CFLAGS) $(LDFLAGS) -o $@ $^ $(SIM_LIBS)

$(BUILD)/libburstsim.a: $(LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(SIM_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/libburstsim.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(SIM_CFLAGS) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(SIM_LIBS)

$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(SIM_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

run: all
	$(BUILD)/burstsim run scenarios/default.yaml

# Unit tests (cmocka, one binary per module) and command-line / scenario
# tests (tests/cli/*.sh); ends with "N passed, N failed".
test: all $(TEST_BIN)
	@BUILD=$(BUILD) tests/run.sh $(TEST_BIN)

# The same tests under AddressSanitizer + UndefinedBehaviorSanitizer, in a
# separate build folder, with the debug invariant checks on (SIM_DEBUG).
asan: deps
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -DSIM_DEBUG -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fsanitize=address,undefined" test

bench: all $(BUILD)/bench
	@BUILD=$(BUILD) tests/bench/run.sh

$(BUILD)/bench: $(BUILD)/obj/tests/bench/bench.o $(BUILD)/libburstsim.a
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(SIM_CFLAGS) $(LDFLAGS) -o $@ $^ $(SIM_LIBS)

$(BUILD)/obj/tests/bench/%.o: tests/bench/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(SIM_CFLAGS) -c -o $@ $<

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/burstsim/scenarios
	install -m 755 $(BUILD)/burstsim $(DESTDIR)$(PREFIX)/bin/burstsim
	install -m 644 scenarios/*.yaml $(DESTDIR)$(PREFIX)/share/burstsim/scenarios/

clean:
	rm -rf build build-asan

echo:
	@echo "CC=$(CC)"; echo "CFLAGS=$(CFLAGS)"; echo "SIM_CFLAGS=$(SIM_CFLAGS)"; \
	echo "SIM_LIBS=$(SIM_LIBS)"; echo "LIB_SRC=$(LIB_SRC)"; echo "TEST_BIN=$(TEST_BIN)"

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
