# Compiler flags shared by the core's build (Makefile) and every plugin's (fragment.mk).
CC ?= gcc
# Debian's hardening flags (dpkg-buildflags), spelled out so dpkg-dev is not needed.
HARDEN := -fstack-protector-strong -D_FORTIFY_SOURCE=2 -Wformat -Werror=format-security
WARN := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes
CFLAGS_COMMON := -std=gnu11 -O2 -g $(WARN) $(HARDEN) -D_GNU_SOURCE
LDHARDEN := -Wl,-z,relro,-z,now
# test programs: ordinary dynamically linked programs, as users build theirs
PROGRAM_CFLAGS := -std=gnu11 -O1 -g -Wall -pthread
