/* Who this process is to Stasis (unique id, the pid it is known by, program
 * name), whether it runs under Stasis, and which descriptors are Stasis's own.
 * lifecycle.c sets these facts; every other module only reads them. */
#include "runtime.h"

#include <string.h>
#include <unistd.h>

#include "../common/sys.h"
#include "config.h"
#include "coord_client.h"
#include "fmt.h"
#include "log.h"
#include "procfs.h"

#define EXPORT __attribute__((visibility("default")))

static struct runtime_state {
    int active;
    volatile int leaving;            /* exit(3) said goodbye: no checkpoint of us any more */
    uint32_t original_pid;
    char unique_id[96];
    char program[64];
    int image_fd;                    /* the image being written, or -1 */
    int handshake_fd;                /* a new child's end of the fork handshake, or -1 */
    struct stasis_mailbox mailbox;   /* filled by the restorer; its address is in every image */
} runtime_state = {.image_fd = -1, .handshake_fd = -1};

int runtime_is_internal_fd(int fd)
{
    return fd >= 0 && (fd == coord_fd() || fd == log_fd() || fd == runtime_state.image_fd ||
                       fd == runtime_state.handshake_fd);
}

void runtime_set_image_fd(int fd)
{
    runtime_state.image_fd = fd;
}

void runtime_set_handshake_fd(int fd)
{
    runtime_state.handshake_fd = fd;
}

const char *runtime_unique_id(void)
{
    return runtime_state.unique_id;
}

const char *runtime_program(void)
{
    return runtime_state.program;
}

uint32_t runtime_original_pid(void)
{
    return runtime_state.original_pid;
}

struct stasis_mailbox *runtime_mailbox(void)
{
    return &runtime_state.mailbox;
}

int runtime_active(void)
{
    return runtime_state.active;
}

void runtime_set_active(int active)
{
    runtime_state.active = active;
}

EXPORT int stasis_is_enabled(void)
{
    return runtime_state.active && coord_is_connected();
}

void runtime_read_program_name(void)
{
    char *out = runtime_state.program;
    size_t cap = sizeof runtime_state.program;
    char buf[512];
    procfs_read("/proc/self/cmdline", buf, sizeof buf);
    const char *base = strrchr(buf, '/');
    base = base ? base + 1 : buf;
    stasis_fmt(out, cap, "%s", *base ? base : "program");
    /* the name goes into a file name */
    for (char *p = out; *p; p++)
        if (*p == ' ' || *p == '\t')
            *p = '_';
}

/* <hostid>-<pid>-<start time>: unique across hosts and pid reuse, so images of a
 * computation that moved between hosts never collide */
static void make_unique_id(char *out, size_t cap)
{
    char stat[1024];
    procfs_read("/proc/self/stat", stat, sizeof stat);
    const char *field = procfs_stat_field(stat, 22);
    uint64_t start = field ? procfs_dec(&field) : 0;
    stasis_fmt(out, cap, "%08lx-%ld-%lx", (unsigned long)(uint32_t)gethostid(), sys0(SYS_getpid),
               (unsigned long)start);
}

/* The pid and unique id this process is known by: its own, or, after an exec, the
 * ones the program that exec'ed it had (an exec does not make a new process). */
void runtime_adopt_identity(void)
{
    const char *unique = config_saved_variable("STASIS_UNIQUE_ID");
    const char *pid = config_saved_variable("STASIS_PID");
    if (unique && *unique && pid && *pid) {
        stasis_fmt(runtime_state.unique_id, sizeof runtime_state.unique_id, "%s", unique);
        uint32_t v = 0;
        for (const char *p = pid; *p >= '0' && *p <= '9'; p++)
            v = v * 10 + (uint32_t)(*p - '0');
        runtime_state.original_pid = v;
        return;
    }
    runtime_state.original_pid = (uint32_t)sys0(SYS_getpid);
    make_unique_id(runtime_state.unique_id, sizeof runtime_state.unique_id);
}

void runtime_become_new_process(void)
{
    runtime_state.original_pid = (uint32_t)sys0(SYS_getpid);
    make_unique_id(runtime_state.unique_id, sizeof runtime_state.unique_id);
}

int runtime_leaving(void)
{
    return __atomic_load_n(&runtime_state.leaving, __ATOMIC_ACQUIRE);
}

void runtime_set_leaving(void)
{
    __atomic_store_n(&runtime_state.leaving, 1, __ATOMIC_RELEASE);
}
