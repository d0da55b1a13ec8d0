/* Stasis native plugin API — everything a plugin's fragment needs, nothing else.
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
 * the plugin registers. */
#ifndef STASIS_PLUGIN_H
#define STASIS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STASIS_PLUGIN_API_VERSION 1
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

struct stasis_plugin {
    uint32_t api_version;           /* STASIS_PLUGIN_API_VERSION */
    const char *id;                 /* same id as the Java plugin, e.g. "pid-virt" */
    stasis_event_fn on_event;
    const char *const *barriers;    /* extra barrier names it waits at, NULL-terminated, or NULL */
};

int stasis_plugin_register(const struct stasis_plugin *plugin);

#define STASIS_PLUGIN_REGISTER(descriptor)                                       \
    __attribute__((constructor)) static void stasis_register_##descriptor(void) \
    {                                                                            \
        stasis_plugin_register(&(descriptor));                                   \
    }

/* During WRITE: append bytes to this plugin's image section (may be called
 * several times). 0 or -errno. */
int stasis_section_write(const void *data, size_t length);
/* During RESTART and REFILL: this plugin's section from the image, or NULL. */
const void *stasis_section_read(size_t *length);

/* Wait until every process of the computation reached this named barrier
 * ("<plugin>:<stage>"). 0, or -1 when the checkpoint/restart was aborted. */
int stasis_barrier(const char *name);

/* The coordinator's name service, for resources whose two ends live in different
 * processes (a socket's peer, a shared segment's owner). Keys are "<plugin id>:…"
 * (1 to STASIS_NAME_KEY_MAX bytes), values at most STASIS_NAME_VALUE_MAX bytes; they
 * are visible to every process of the computation and last until the next
 * checkpoint generation starts. Only from the checkpoint thread's events
 * (PRECHECKPOINT, WRITE, RESUME, RESTART, REFILL): publishing at RESTART and looking
 * up at REFILL needs no barrier of its own, since every process passes the core's
 * RESTARTED barrier between the two.
 * publish: 0, -EPERM (key not under this plugin's id), -EINVAL, -ENOTCONN (no
 * coordinator) or -ECONNRESET. lookup: the value's full length (at most capacity
 * bytes copied), -ENOENT when nobody published it, or -errno; it does not wait
 * for the key to appear. */
#define STASIS_NAME_KEY_MAX 255
#define STASIS_NAME_VALUE_MAX 65536
int stasis_publish(const char *key, const void *value, size_t length);
long stasis_lookup(const char *key, void *value, size_t capacity);

/* A line in this process's Stasis log ($STASIS_TMPDIR/stasis-<prog>-<pid>-<n>.log),
 * never on the program's own stdout or stderr. DEBUG lines only with STASIS_DEBUG=1.
 * A WARN or ERROR line also becomes the reason given if the plugin's current event
 * fails (the one line `stasis restart` or `stasis checkpoint` prints). Conversions:
 * %s %c %d %i %u %o %x %p with l, ll or z; no floats. Async-signal-safe. */
enum stasis_log_level { STASIS_LOG_DEBUG = 0, STASIS_LOG_WARN = 1, STASIS_LOG_ERROR = 2 };
void stasis_log(enum stasis_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* During a checkpoint (from SECTION_WRITE or earlier events): one resource of the
 * process that will not come back after a restart, "fd 7 anon_inode:[pidfd]"
 * (formatted as stasis_log). It is logged and `stasis checkpoint` prints it as
 * "warning: pid N (prog): <what> will not be restored". Async-signal-safe. */
void stasis_report_unrestored(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* strerror's words for an errno, positive or negated ("No space left on device"),
 * async-signal-safe. Unknown values read "error N", valid until the next call. */
const char *stasis_strerror(long err);

/* Is this descriptor Stasis's own (the coordinator connection, the log)? A plugin
 * walking /proc/self/fd leaves those alone. */
int stasis_is_internal_fd(int fd);

/* The real function behind a wrapper (dlsym(RTLD_NEXT)); cache the result. */
void *stasis_next_fn(const char *name);
/* The same, looked up once into *cache (a wrapper may run in several threads). */
static inline void *stasis_next_fn_cached(void **cache, const char *name)
{
    void *fn = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
    if (!fn) {
        fn = stasis_next_fn(name);
        __atomic_store_n(cache, fn, __ATOMIC_RELEASE);
    }
    return fn;
}
/* A system call that no wrapper sees (not even syscall(2)'s); -errno on failure. */
long stasis_real_syscall(long number, long a, long b, long c, long d, long e, long f);

/* A STASIS_* variable the launcher (or the program that exec'ed this one) set.
 * libstasis removes them from environ before any fragment runs: read them here. */
const char *stasis_getenv(const char *name);
/* During EXEC or SPAWN: pass NAME=value (NAME starting STASIS_<ID>_) to the new
 * program's fragments, which read it with stasis_getenv(). 0 or -errno. */
int stasis_exec_setenv(const char *name, const char *value);

/* The plugin that virtualizes process ids (pid-virt) tells the core how the
 * program knows ids, so images record the ids the program saw. */
typedef int (*stasis_id_map)(int id);
void stasis_provide_ids(stasis_id_map to_virtual, stasis_id_map to_kernel);
/* …and how a kernel pid from before the last restart maps to the kernel pid of the
 * same process now (a waitpid() interrupted by the checkpoint is issued again
 * after restart with the ids it had). */
void stasis_provide_id_refresh(stasis_id_map refresh);

/* During RESTART and REFILL: the path to use now for a path saved in the image.
 * `stasis restart --path-map OLD=NEW` moves whatever was under OLD to NEW (whole
 * components, the longest OLD wins); without one, or outside every OLD, it is
 * `saved` itself. Written to out (always NUL-terminated when cap > 0); returns
 * its length, cap or more when it did not fit. Keep saving the path the kernel
 * shows (/proc): after a moved restart that is the new one. */
size_t stasis_restart_path(const char *saved, char *out, size_t cap);

/* After a restart of several processes: the kernel pid each process of the
 * computation got on this host, by the pid the program knew it by. Returns the
 * number of entries (0 when this process was restarted alone). */
struct stasis_restarted_process {
    int known_pid;
    int kernel_pid;
};
int stasis_restarted_processes(struct stasis_restarted_process *out, int max);

/* Threads of the process, for plugins that translate thread ids. */
struct stasis_thread {
    int known_tid;                  /* the id the program knows the thread by */
    int kernel_tid;                 /* the kernel's id now */
    int *descriptor_tid;            /* glibc's copy of the tid (struct pthread), or NULL */
};
int stasis_thread_count(void);
int stasis_thread_get(int index, struct stasis_thread *out);
/* Where glibc keeps a thread's tid, given its pthread_t; NULL if unknown. */
int *stasis_pthread_tid(unsigned long thread);

#ifdef __cplusplus
}
#endif
#endif
