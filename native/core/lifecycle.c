/* The life of libstasis in every process launched under Stasis: start-up (read
 * the configuration, install the checkpoint signal handler, start the checkpoint
 * thread), a fork's child becoming a process of its own, an exec, and the exit.
 * Without a configured coordinator the library stays dormant (a program exec'ed by
 * a checkpointed one, for now). */
#include "lifecycle.h"

#include <stdlib.h>

#include "ckpt_thread.h"
#include "config.h"
#include "coord_client.h"
#include "errtext.h"
#include "guard.h"
#include "log.h"
#include "plugins.h"
#include "runtime.h"
#include "spawn_notify.h"
#include "threads.h"

#define CHILD_REGISTER_TIMEOUT_MS 5000
#define STARTUP_REGISTER_TIMEOUT_MS 5000

int lifecycle_after_fork_child(void)
{
    if (!runtime_active())
        return 0;
    runtime_become_new_process();
    log_reopen();
    coord_forget_after_fork();
    threads_reset_after_fork();
    guard_reset();
    plugins_dispatch(STASIS_EVENT_FORK_CHILD, 0, NULL);
    if (ckpt_thread_start_in_child() < 0) {
        LOG_WARN("cannot start the checkpoint thread of a forked child: it is not checkpointed");
        runtime_set_active(0);
        return -1;
    }
    if (ckpt_thread_wait_registered(CHILD_REGISTER_TIMEOUT_MS) < 0) {
        LOG_WARN("forked child could not register with the coordinator in time");
        return -1;
    }
    return 0;
}

/* Registered at start-up, so it runs after the program's own atexit handlers. The
 * guard keeps a checkpoint from splitting it (one under way finishes first). */
static void at_exit(void)
{
    if (!runtime_active() || runtime_leaving())
        return;
    guard_enter();
    const char *failed = NULL;
    int r = plugins_dispatch(STASIS_EVENT_EXIT, 0, &failed);
    if (r < 0)
        LOG_WARN("plugin %s failed at exit (%s)", failed, errtext(r));
    runtime_set_leaving();
    coord_send_bye(0);
    guard_leave();
}

void lifecycle_before_exec(void)
{
    if (runtime_active())
        coord_send_bye(1);
}

void lifecycle_exec_failed(void)
{
    if (runtime_active())
        coord_drop_connection();
}

/* 1 when the process runs under Stasis and is registered with the coordinator. */
static int start_up(void)
{
    config_load_from_environment();
    const struct stasis_config *c = config_get();
    runtime_read_program_name();
    log_configure(c->tmpdir, runtime_program(), c->debug);
    if (!c->enabled) {
        LOG_DEBUG("no coordinator configured: this process is not checkpointed");
        return 0;
    }
    runtime_adopt_identity();
    if (threads_init(c->sigckpt) < 0) {
        LOG_WARN("cannot install the checkpoint signal handler: not checkpointable");
        return 0;
    }
    if (ckpt_thread_start() < 0) {
        LOG_WARN("cannot start the checkpoint thread: not checkpointable");
        return 0;
    }
    runtime_set_active(1);
    if (atexit(at_exit) != 0)
        LOG_WARN("cannot register the exit handler: plugins will not see the exit");
    LOG_DEBUG("libstasis ready: %s, coordinator %s:%u", runtime_unique_id(), c->coord_host, c->coord_port);
    /* registered before main: an exec'ed program that ends at once (make's `cp`)
     * is known and says goodbye, and whoever spawned us may let checkpoints in */
    return ckpt_thread_wait_first_attempt(STARTUP_REGISTER_TIMEOUT_MS) == 0;
}

__attribute__((constructor)) static void stasis_init(void)
{
    spawn_notify_parent(start_up());
}
