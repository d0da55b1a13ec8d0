/* Stasis native plugin API: the events a fragment receives and how it registers.
 * What the core offers a fragment during those events is in <stasis/services.h>.
 *
 * A fragment is a shared library preloaded after libstasis.so when its plugin is
 * enabled. It describes itself with one struct stasis_plugin and registers it with
 * STASIS_PLUGIN_REGISTER. The core then calls its event function:
 *   - INIT when it registers, checkpoint-side events (PRECHECKPOINT, WRITE) and
 *     FORK_CHILD, EXEC, SPAWN in load order,
 *   - RESUME, RESTART, REFILL and EXIT in reverse load order,
 * so a plugin always sees the state of the plugins it depends on (loaded before
 * it) set up before its own at checkpoint and torn down after it at restart.
 * EXIT comes once, when the program calls exit(3) or returns from main, after its
 * own atexit handlers and never during a checkpoint; not on _exit, a fatal signal,
 * an exec (that is EXEC) or a failed restart. No event follows it.
 * An event function returns 0, STASIS_NOT_MINE (nothing to do, not an error) or
 * another negative errno value, which fails the checkpoint or the restart.
 *
 * PRECHECKPOINT to REFILL run on the checkpoint thread while every user thread is
 * frozen, at arbitrary points: use no malloc, no stdio, no locks the program might
 * hold. FORK_CHILD, EXEC and SPAWN run in the thread that forks, execs or spawns,
 * possibly in the child of a multi-threaded process: the same rules apply.
 *
 * The enum only ever grows at its end; STASIS_PLUGIN_API_VERSION is checked when
 * the plugin registers: a fragment built for version 1 (no `restores`) still loads. */
#ifndef STASIS_PLUGIN_H
#define STASIS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STASIS_PLUGIN_API_VERSION 2
#define STASIS_NOT_MINE (-95) /* -ENOTSUP */

enum stasis_event {
    STASIS_EVENT_INIT = 0,          /* in the process, at start-up (normal context) */
    STASIS_EVENT_PRECHECKPOINT = 1, /* threads frozen: record state, drain */
    STASIS_EVENT_WRITE = 2,         /* write this plugin's image section */
    STASIS_EVENT_RESUME = 3,        /* the checkpoint is done, threads about to continue */
    STASIS_EVENT_RESTART = 4,       /* memory is back: recreate resources */
    STASIS_EVENT_REFILL = 5,        /* every process has restarted: put drained data back */
    STASIS_EVENT_EXIT = 6,          /* the process is exiting (normal context) */
    STASIS_EVENT_FORK_CHILD = 7,    /* in a new child, before fork() returns there */
    STASIS_EVENT_EXEC = 8,          /* this process is about to exec: stasis_exec_setenv() */
    STASIS_EVENT_SPAWN = 9,         /* a new program is about to be spawned: stasis_exec_setenv() */
};

struct stasis_event_info {
    enum stasis_event event;
    uint32_t generation;            /* checkpoint generation */
};

typedef int (*stasis_event_fn)(const struct stasis_event_info *info);

/* The kinds of resource the core finds in a process and routes to the first plugin
 * (in load order) that declares it restores them; a kind nobody declares is
 * reported at checkpoint as one that will not come back. */
#define STASIS_RESOURCE_SOCKET "fd:socket"   /* a socket of any family */
#define STASIS_RESOURCE_FIFO "fd:fifo"       /* a named fifo */
#define STASIS_RESOURCE_DELETED "fd:deleted" /* a regular file without a path: unlinked, memfd */
#define STASIS_RESOURCE_ANON "fd:anon"       /* anon_inode and other pathless kinds (eventfd, epoll, …) */
#define STASIS_RESOURCE_PTY "fd:pty"         /* a pseudo-terminal other than the one the program runs on */
#define STASIS_RESOURCE_SYSV_SHM "map:sysv"  /* an attached System V shared memory segment */

struct stasis_plugin {
    uint32_t api_version;           /* STASIS_PLUGIN_API_VERSION */
    const char *id;                 /* same id as the Java plugin, e.g. "pid-virt" */
    stasis_event_fn on_event;
    const char *const *barriers;    /* extra barrier names it waits at, NULL-terminated, or NULL */
    /* since version 2: the STASIS_RESOURCE_* kinds it restores, NULL-terminated, or
     * NULL. The core leaves each such resource to it (a placeholder descriptor at
     * restart) and reports none of them; a fragment that finds one it cannot restore
     * after all says so with stasis_report_unrestored(). */
    const char *const *restores;
};

int stasis_plugin_register(const struct stasis_plugin *plugin);

#define STASIS_PLUGIN_REGISTER(descriptor)                                       \
    __attribute__((constructor)) static void stasis_register_##descriptor(void) \
    {                                                                            \
        stasis_plugin_register(&(descriptor));                                   \
    }

#ifdef __cplusplus
}
#endif
#endif
