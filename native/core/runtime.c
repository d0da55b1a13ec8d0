/* Start-up of libstasis in every process launched under Stasis: read the
 * configuration, install the checkpoint signal handler, start the checkpoint
 * thread. Without a configured coordinator the library stays dormant (a program
 * exec'ed by a checkpointed one, for now). */
#include "runtime.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/sys.h"
#include "ckpt_thread.h"
#include "config.h"
#include "coord_client.h"
#include "errtext.h"
#include "fmt.h"
#include "log.h"
#include "procfs.h"
#include "guard.h"
#include "plugins.h"
#include "spawn_notify.h"
#include "threads.h"

#define EXPORT __attribute__((visibility("default")))
#define CHILD_REGISTER_TIMEOUT_MS 5000
#define STARTUP_REGISTER_TIMEOUT_MS 5000

static struct runtime_state {
    int active;
    volatile int leaving;            /* exit(3) said goodbye: no checkpoint of us any more */
    uint32_t original_pid;
    char unique_id[96];
    char program[64];
    int handshake_fd_plus_one;       /* a new child's end of the fork handshake, +1 (0: none) */
    struct stasis_mailbox mailbox;   /* filled by the restorer; its address is in every image */
} runtime_state;

int runtime_is_internal_fd(int fd)
{
    return fd >= 0 && (fd == coord_fd() || fd == log_fd() || ckpt_thread_is_image_fd(fd) ||
                       fd == runtime_state.handshake_fd_plus_one - 1);
}

void runtime_set_handshake_fd(int fd)
{
    runtime_state.handshake_fd_plus_one = fd + 1;
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

EXPORT int stasis_is_enabled(void)
{
    return runtime_state.active && coord_is_connected();
}

static void read_program_name(char *out, size_t cap)
{
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
static void adopt_identity(void)
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

int runtime_after_fork_child(void)
{
    if (!runtime_state.active)
        return 0;
    runtime_state.original_pid = (uint32_t)sys0(SYS_getpid);
    make_unique_id(runtime_state.unique_id, sizeof runtime_state.unique_id);
    log_reopen();
    coord_forget_after_fork();
    threads_reset_after_fork();
    guard_reset();
    plugins_dispatch(STASIS_EVENT_FORK_CHILD, 0, NULL);
    if (ckpt_thread_start_in_child() < 0) {
        LOG_WARN("cannot start the checkpoint thread of a forked child: it is not checkpointed");
        runtime_state.active = 0;
        return -1;
    }
    if (ckpt_thread_wait_registered(CHILD_REGISTER_TIMEOUT_MS) < 0) {
        LOG_WARN("forked child could not register with the coordinator in time");
        return -1;
    }
    return 0;
}

int runtime_leaving(void)
{
    return __atomic_load_n(&runtime_state.leaving, __ATOMIC_ACQUIRE);
}

/* Registered at start-up, so it runs after the program's own atexit handlers. The
 * guard keeps a checkpoint from splitting it (one under way finishes first). */
static void runtime_at_exit(void)
{
    if (!runtime_state.active || runtime_leaving())
        return;
    guard_enter();
    const char *failed = NULL;
    int r = plugins_dispatch(STASIS_EVENT_EXIT, 0, &failed);
    if (r < 0)
        LOG_WARN("plugin %s failed at exit (%s)", failed, errtext(r));
    __atomic_store_n(&runtime_state.leaving, 1, __ATOMIC_RELEASE);
    coord_send_bye(0);
    guard_leave();
}

void runtime_before_exec(void)
{
    if (runtime_state.active)
        coord_send_bye(1);
}

void runtime_exec_failed(void)
{
    if (runtime_state.active)
        coord_drop_connection();
}

/* 1 when the process runs under Stasis and is registered with the coordinator. */
static int start_up(void)
{
    config_load_from_environment();
    const struct stasis_config *c = config_get();
    read_program_name(runtime_state.program, sizeof runtime_state.program);
    log_configure(c->tmpdir, runtime_state.program, c->debug);
    if (!c->enabled) {
        LOG_DEBUG("no coordinator configured: this process is not checkpointed");
        return 0;
    }
    adopt_identity();
    if (threads_init(c->sigckpt) < 0) {
        LOG_WARN("cannot install the checkpoint signal handler: not checkpointable");
        return 0;
    }
    if (ckpt_thread_start() < 0) {
        LOG_WARN("cannot start the checkpoint thread: not checkpointable");
        return 0;
    }
    runtime_state.active = 1;
    if (atexit(runtime_at_exit) != 0)
        LOG_WARN("cannot register the exit handler: plugins will not see the exit");
    LOG_DEBUG("libstasis ready: %s, coordinator %s:%u", runtime_state.unique_id, c->coord_host, c->coord_port);
    /* registered before main: an exec'ed program that ends at once (make's `cp`)
     * is known and says goodbye, and whoever spawned us may let checkpoints in */
    return ckpt_thread_wait_first_attempt(STARTUP_REGISTER_TIMEOUT_MS) == 0;
}

__attribute__((constructor)) static void stasis_init(void)
{
    spawn_notify_parent(start_up());
}
