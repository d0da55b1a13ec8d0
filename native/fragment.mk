# The build of one plugin's native side. plugins/<id>/Makefile sets PLUGIN := <id> and
# includes this file; it builds, under the plugin's own target/:
#   native/*.c          → target/native/libstasis_<id without dashes>.so, a fragment
#                         linked with libstasis.so, which is always preloaded before it
#   tests/programs/*.c  → target/test-programs/<name>, the plugin's end-to-end programs
#                         (they may include the core's test helpers, tests/programs/*.h)
# against the core that native/ built (its public headers and target/lib/libstasis.so).

STASIS_NATIVE := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
include $(STASIS_NATIVE)/flags.mk
CORE_TEST_HELPERS := $(STASIS_NATIVE)/../tests/programs

ifndef PLUGIN
$(error set PLUGIN to the plugin's id before including fragment.mk)
endif

PLUGIN_TARGET := target
PLUGIN_FRAGMENT := $(PLUGIN_TARGET)/native/libstasis_$(subst -,,$(PLUGIN)).so
PLUGIN_SRC := $(wildcard native/*.c)
PLUGIN_HEADERS := $(wildcard native/*.h) $(wildcard $(STASIS_NATIVE)/include/stasis/*.h)
PLUGIN_PROGRAMS := $(patsubst tests/programs/%.c,$(PLUGIN_TARGET)/test-programs/%,$(wildcard tests/programs/*.c))
LIBSTASIS_DIR := $(STASIS_NATIVE)/target/lib

all: $(if $(PLUGIN_SRC),$(PLUGIN_FRAGMENT)) $(PLUGIN_PROGRAMS)

$(PLUGIN_FRAGMENT): $(PLUGIN_SRC) $(PLUGIN_HEADERS) $(LIBSTASIS_DIR)/libstasis.so
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -I$(STASIS_NATIVE)/include -fPIC -fvisibility=hidden -shared $(LDHARDEN) \
	  -o $@ $(PLUGIN_SRC) -L$(LIBSTASIS_DIR) -lstasis -ldl

$(LIBSTASIS_DIR)/libstasis.so:
	@echo "fragment.mk: $@ is missing: build the core first (make -C $(STASIS_NATIVE), or mvn from the top)" >&2
	@exit 1

$(PLUGIN_TARGET)/test-programs/%: tests/programs/%.c $(wildcard tests/programs/*.h) $(wildcard $(CORE_TEST_HELPERS)/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(PROGRAM_CFLAGS) -I$(CORE_TEST_HELPERS) -o $@ $< -lm

check: all

clean:
	rm -rf $(PLUGIN_TARGET)/native $(PLUGIN_TARGET)/test-programs

.PHONY: all check clean
