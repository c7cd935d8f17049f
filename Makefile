# burstsim - discrete-event simulator of KEDA ScaledJob / Azure Container Apps
# event-driven jobs. GNU make. User CC/CFLAGS/LDFLAGS come first; project
# flags are kept apart (SIM_*), so `make CFLAGS=-O0 -g` works.
#
# Targets: all (build/burstsim), run, test, test-quick, test-stat, layers,
# asan, bench, fuzz, install, deps, clean, echo.
# Variables: CC (cc; clang works), CFLAGS, LDFLAGS, BUILD (build folder),
# WERROR=1 (warnings are errors; CI sets it), V=1 (show commands).
#
# Three archives, lowest layer first: libengine.a (sim/engine), libmodels.a
# (models), libprogram.a (the rest of sim/ but main.c); linked program,
# models, engine, so a lower layer cannot lean on a higher one at link time.
#
# `make` never installs anything; run, test, test-*, asan and bench call
# scripts/install-deps first (at parse time, so a parallel build never
# compiles before the packages are there) when a package is missing.

CC      ?= cc
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
BUILD   ?= build
V       ?= 0
WERROR  ?= 0

# ---- Debian packages ----------------------------------------------------
DEPS_OPT     := $(if $(or $(findstring clang,$(notdir $(CC))),$(filter fuzz,$(MAKECMDGOALS))),--clang)
DEPS_CMD     := $(strip scripts/install-deps $(DEPS_OPT))
DEPS_MISSING := $(shell $(DEPS_CMD) --check 2>/dev/null)
DEPS_GOALS   := run test test-quick test-stat asan bench fuzz
ifneq ($(DEPS_MISSING),)
ifneq ($(filter $(DEPS_GOALS),$(MAKECMDGOALS)),)
DEPS_RC := $(shell $(DEPS_CMD) >&2; echo $$?)
ifneq ($(DEPS_RC),0)
$(error burstsim: $(DEPS_CMD) failed)
endif
else ifeq ($(filter deps clean echo,$(MAKECMDGOALS)),)
$(warning burstsim: $(DEPS_MISSING); `make test` or $(DEPS_CMD) installs them)
endif
endif

# ---- flags ----------------------------------------------------------------
SIM_WARN = -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wdouble-promotion \
  -Wstrict-prototypes -Wmissing-prototypes -Wundef -Wwrite-strings
ifeq ($(WERROR),1)
SIM_WARN += -Werror
endif
SIM_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. \
  $(SIM_WARN) -ffp-contract=off -MMD -MP -pthread
SIM_LIBS   = -lgsl -lgslcblas -lcsv -lyaml -ljansson -lm -pthread
TEST_LIBS  = -lcmocka

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
SIM_CFLAGS += -DBURSTSIM_VERSION='"$(VERSION)"'

ifeq ($(V),1)
Q =
else
Q = @
endif

# $(BUILD)/flags holds the compiler and flags the objects were built with;
# it is rewritten when they change and every object depends on it, so
# `make CC=clang` or `make WERROR=1` after a plain `make` rebuilds instead of
# reusing objects made another way.
BUILD_FLAGS := $(CC) | $(CFLAGS) | $(SIM_CFLAGS) | $(LDFLAGS)
ifeq ($(filter clean,$(MAKECMDGOALS)),)
ifneq ($(file <$(BUILD)/flags),$(BUILD_FLAGS))
$(shell mkdir -p $(BUILD))
$(file >$(BUILD)/flags,$(BUILD_FLAGS))
endif
endif

# ---- sources, by layer (wildcards: a new file is picked up) --------------
ENGINE_SRC  := $(wildcard sim/engine/*.c)
MODELS_SRC  := $(wildcard models/*.c)
PROGRAM_SRC := $(filter-out sim/engine/% sim/cli/main.c,$(wildcard sim/*/*.c))
obj = $(1:%.c=$(BUILD)/obj/%.o)
LIB_OBJ  := $(call obj,$(ENGINE_SRC) $(MODELS_SRC) $(PROGRAM_SRC))
MAIN_OBJ := $(BUILD)/obj/sim/cli/main.o
# Link order: higher layers first, each archive once, so a lower layer that
# called into a higher one would be a link error.
LIBS     := $(BUILD)/libprogram.a $(BUILD)/libmodels.a $(BUILD)/libengine.a
LINK_LIBS = $(LIBS)

# Tests. tests/unit/test_*.c are the quick group, one binary each in
# $(BUILD)/tests/; the long statistical checks are the stat group in
# $(BUILD)/tests/stat/: tests/stat/test_*.c and the tests/unit files named in
# STAT_TESTS. `make test` runs both (the stat group beside the quick one).
STAT_TESTS ?= test_queueing
UNIT_NAMES := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
QUICK_BIN  := $(addprefix $(BUILD)/tests/,$(filter-out $(STAT_TESTS),$(UNIT_NAMES)))
STAT_BIN   := $(addprefix $(BUILD)/tests/stat/,$(filter $(STAT_TESTS),$(UNIT_NAMES)) \
                $(patsubst tests/stat/%.c,%,$(wildcard tests/stat/test_*.c)))
TEST_BIN   := $(QUICK_BIN) $(STAT_BIN)
ALL_OBJ    := $(LIB_OBJ) $(MAIN_OBJ) $(call obj,$(wildcard tests/*/*.c))

.PHONY: all run test test-quick test-stat layers asan bench fuzz install clean echo deps
# Keep test and bench objects (make would delete them as intermediates).
.SECONDARY:

all: $(BUILD)/burstsim

# Install missing Debian packages (a no-op when everything is present).
deps:
	@$(DEPS_CMD)

$(BUILD)/burstsim: $(MAIN_OBJ) $(LIBS)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(SIM_CFLAGS) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(LINK_LIBS) $(SIM_LIBS)

# The archives are made in layer order (order-only: a rebuilt engine does
# not force the others to be re-archived).
$(BUILD)/libengine.a: $(call obj,$(ENGINE_SRC))
$(BUILD)/libmodels.a: $(call obj,$(MODELS_SRC)) | $(BUILD)/libengine.a
$(BUILD)/libprogram.a: $(call obj,$(PROGRAM_SRC)) | $(BUILD)/libmodels.a
$(LIBS):
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $(filter %.o,$^)

$(BUILD)/obj/%.o: %.c $(BUILD)/flags
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(SIM_CFLAGS) $(SIM_XFLAGS) -c -o $@ $<

# cmocka test functions and bench helpers are not prototyped.
$(BUILD)/obj/tests/%.o: SIM_XFLAGS = -Wno-missing-prototypes

# A test binary: its object, the archives, cmocka.
define LINK_TEST
@mkdir -p $(dir $@)
@echo "  LD      $@"
$(Q)$(CC) $(CFLAGS) $(SIM_CFLAGS) $(LDFLAGS) -o $@ $< $(LINK_LIBS) $(TEST_LIBS) $(SIM_LIBS)
endef

$(BUILD)/tests/stat/%: $(BUILD)/obj/tests/unit/%.o $(LIBS)
	$(LINK_TEST)

$(BUILD)/tests/stat/%: $(BUILD)/obj/tests/stat/%.o $(LIBS)
	$(LINK_TEST)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIBS)
	$(LINK_TEST)

run: all
	$(BUILD)/burstsim run scenarios/default.yaml

# Layering: includes and symbol references only downwards (engine < models
# < program), no include or call cycle between files (scripts/check-layers).
layers: $(LIB_OBJ) $(MAIN_OBJ)
	@scripts/check-layers $(BUILD)/obj

LAYERS_RUN = scripts/check-layers $(BUILD)/obj

# Every test: the layer check, the unit tests (cmocka, one binary per
# module), the statistical group (run beside them) and the command-line /
# scenario tests (tests/cli/*.sh); ends with "N passed, N failed".
test: $(BUILD)/burstsim $(TEST_BIN)
	@$(LAYERS_RUN)
	@BUILD=$(BUILD) tests/run.sh $(addprefix --bg ,$(STAT_BIN)) $(QUICK_BIN)

# The quick group only (unit and command-line tests, no stat group).
test-quick: $(BUILD)/burstsim $(QUICK_BIN)
	@$(LAYERS_RUN)
	@BUILD=$(BUILD) tests/run.sh $(QUICK_BIN)

# The statistical group only.
test-stat: $(STAT_BIN)
	@BUILD=$(BUILD) tests/run.sh --no-cli $(STAT_BIN)

# The same tests under AddressSanitizer + UndefinedBehaviorSanitizer, in a
# separate build folder, with the debug invariant checks on (SIM_DEBUG).
asan:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -DSIM_DEBUG -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fsanitize=address,undefined" test

bench: $(BUILD)/burstsim $(BUILD)/bench
	@BUILD=$(BUILD) tests/bench/run.sh

$(BUILD)/bench: $(BUILD)/obj/tests/bench/bench.o $(LIBS)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(SIM_CFLAGS) $(LDFLAGS) -o $@ $< $(LINK_LIBS) $(SIM_LIBS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/burstsim/scenarios
	install -m 755 $(BUILD)/burstsim $(DESTDIR)$(PREFIX)/bin/burstsim
	install -m 644 scenarios/*.yaml $(DESTDIR)$(PREFIX)/share/burstsim/scenarios/

# libFuzzer harnesses (tests/fuzz/README.md), built with clang in
# build-fuzz/, each run FUZZ_SECONDS on a copy of its committed corpus.
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) tests/fuzz/run.sh

clean:
	rm -rf build build-asan build-clang build-fuzz $(BUILD)

echo:
	@echo "CC=$(CC)"; echo "CFLAGS=$(CFLAGS)"; echo "SIM_CFLAGS=$(SIM_CFLAGS)"; \
	echo "SIM_LIBS=$(SIM_LIBS)"; echo "ENGINE_SRC=$(ENGINE_SRC)"; \
	echo "MODELS_SRC=$(MODELS_SRC)"; echo "PROGRAM_SRC=$(PROGRAM_SRC)"; \
	echo "QUICK_BIN=$(QUICK_BIN)"; echo "STAT_BIN=$(STAT_BIN)"; \
	echo "DEPS_MISSING=$(DEPS_MISSING)"

-include $(ALL_OBJ:.o=.d)
