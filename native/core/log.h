/* One uniquely named log per process (like DMTCP's jassert logs):
 * $STASIS_TMPDIR/stasis-<prog>-<pid>-<n>.log, mode 0600, created on the first
 * message that is written. Debug messages are written only with STASIS_DEBUG=1;
 * warnings and errors always. Errors that end the process also go to stderr as
 * one line. Async-signal-safe. */
#ifndef STASIS_LOG_H
#define STASIS_LOG_H

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

void log_configure(const char *tmpdir, const char *program, int debug);
/* after fork or restart the pid changes: the next message opens a new file */
void log_reopen(void);
int log_debug_enabled(void);
int log_fd(void);
void log_write(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* one line "stasis: <message>" on stderr and in the log */
void log_stderr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define LOG_DEBUG(...)                                   \
    do {                                                 \
        if (log_debug_enabled())                         \
            log_write(LOG_LEVEL_DEBUG, __VA_ARGS__);     \
    } while (0)
#define LOG_WARN(...) log_write(LOG_LEVEL_WARN, __VA_ARGS__)
#define LOG_ERROR(...) log_write(LOG_LEVEL_ERROR, __VA_ARGS__)

#endif
