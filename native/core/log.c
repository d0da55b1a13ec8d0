#include "log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <time.h>

#include "../common/sys.h"
#include "fmt.h"

static struct log_state {
    int fd;          /* -1 until the first message */
    int debug;
    int sequence;    /* distinguishes several logs of one pid (exec, restart) */
    char tmpdir[1024];
    char program[64];
} log_state = {.fd = -1, .tmpdir = "/tmp", .program = "stasis"};

static void copy(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; src && src[i] && i + 1 < cap; i++)
        dst[i] = src[i];
    dst[i] = 0;
}

void log_configure(const char *tmpdir, const char *program, int debug)
{
    if (tmpdir && *tmpdir)
        copy(log_state.tmpdir, sizeof log_state.tmpdir, tmpdir);
    if (program && *program)
        copy(log_state.program, sizeof log_state.program, program);
    log_state.debug = debug;
}

void log_reopen(void)
{
    if (log_state.fd >= 0)
        sys1(SYS_close, log_state.fd);
    log_state.fd = -1;
}

int log_debug_enabled(void)
{
    return log_state.debug;
}

int log_fd(void)
{
    return log_state.fd;
}

static int log_open(void)
{
    if (log_state.fd >= 0)
        return log_state.fd;
    char path[1200];
    long pid = sys0(SYS_getpid);
    for (int attempt = 0; attempt < 100; attempt++) {
        stasis_fmt(path, sizeof path, "%s/stasis-%s-%ld-%d.log", log_state.tmpdir, log_state.program, pid,
                   log_state.sequence++);
        long fd = sys4(SYS_openat, AT_FDCWD, (long)path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_APPEND, 0600);
        if (fd == -17 /* EEXIST */)
            continue;
        if (fd < 0)
            return -1;
        /* keep it out of the way of the program's own low descriptors */
        long high = sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 900);
        if (high >= 0) {
            sys1(SYS_close, fd);
            fd = high;
        }
        log_state.fd = (int)fd;
        return log_state.fd;
    }
    return -1;
}

static void emit(int fd, const char *prefix, const char *fmt, va_list ap)
{
    char line[1536];
    size_t n = 0;
    if (prefix)
        n = stasis_fmt(line, sizeof line, "%s", prefix);
    n += stasis_vfmt(line + n, sizeof line - n - 1, fmt, ap);
    line[n++] = '\n';
    sys3(SYS_write, fd, (long)line, (long)n);
}

void log_write(enum log_level level, const char *fmt, ...)
{
    if (level == LOG_LEVEL_DEBUG && !log_state.debug)
        return;
    int fd = log_open();
    if (fd < 0)
        return;
    struct timespec ts;
    sys2(SYS_clock_gettime, CLOCK_REALTIME, (long)&ts);
    char prefix[96];
    static const char *const names[] = {"debug", "warn", "error"};
    stasis_fmt(prefix, sizeof prefix, "%ld.%03ld [%ld] %s: ", (long)ts.tv_sec, ts.tv_nsec / 1000000,
               sys0(SYS_gettid), names[level]);
    va_list ap;
    va_start(ap, fmt);
    emit(fd, prefix, fmt, ap);
    va_end(ap);
}

void log_stderr(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(2, "stasis: ", fmt, ap);
    va_end(ap);
    int fd = log_open();
    if (fd >= 0) {
        va_start(ap, fmt);
        emit(fd, "error: ", fmt, ap);
        va_end(ap);
    }
}
