/* What libstasis offers a plugin's fragment: its image section, barriers, the
 * coordinator's name service, logging, the real functions behind wrappers, settings
 * handed down by the launcher, and paths that moved. Each says from which events
 * it may be called; the events themselves are in <stasis/plugin.h>. */
#ifndef STASIS_SERVICES_H
#define STASIS_SERVICES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

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

/* During RESTART and REFILL: the path to use now for a path saved in the image.
 * `stasis restart --path-map OLD=NEW` moves whatever was under OLD to NEW (whole
 * components, the longest OLD wins); without one, or outside every OLD, it is
 * `saved` itself. Written to out (always NUL-terminated when cap > 0); returns
 * its length, cap or more when it did not fit. Keep saving the path the kernel
 * shows (/proc): after a moved restart that is the new one. */
size_t stasis_restart_path(const char *saved, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
