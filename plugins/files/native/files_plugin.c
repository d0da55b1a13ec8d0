/* The plugin's events: walk the descriptors at WRITE, hand each to the handler
 * that owns its kind, and replay the records at RESTART and REFILL. */
#include <errno.h>
#include <fcntl.h>
#include <stasis/plugin.h>
#include <stasis/services.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "files.h"
#include "files_event.h"

#define MAX_FDS 4096

static const struct files_handler *const handlers[] = {
    &files_regular_handler, &files_fifo_handler, &files_event_handler, &files_epoll_handler,
};
#define HANDLER_COUNT (sizeof handlers / sizeof handlers[0])

struct record_header {
    uint32_t kind;
    int32_t fd;
    uint64_t length;
};

static struct files_state {
    int fds[MAX_FDS];
    int fd_count;
    struct files_fd current;      /* the descriptor being written (too big for the stack) */
    unsigned char copy[1 << 16];  /* streaming saved contents into the section */
} files_state;

long files_sys(long number, long a, long b, long c, long d, long e, long f)
{
    return stasis_real_syscall(number, a, b, c, d, e, f);
}

int files_emit(uint32_t kind, int fd, const void *head, size_t head_length, int content_fd, uint64_t content_length)
{
    struct record_header h = {kind, fd, head_length + content_length};
    int r = stasis_section_write(&h, sizeof h);
    if (r == 0 && head_length)
        r = stasis_section_write(head, head_length);
    for (uint64_t done = 0; r == 0 && done < content_length;) {
        uint64_t want = content_length - done;
        if (want > sizeof files_state.copy)
            want = sizeof files_state.copy;
        long got = files_sys(SYS_pread64, content_fd, (long)files_state.copy, (long)want, (long)done, 0, 0);
        if (got <= 0) /* the file shrank under us: keep the record's length honest */
            return got < 0 ? (int)got : -EIO;
        r = stasis_section_write(files_state.copy, (size_t)got);
        done += (uint64_t)got;
    }
    return r;
}

int files_install(int source, int target)
{
    if (source == target)
        return 0;
    long flags = files_sys(SYS_fcntl, target, F_GETFD, 0, 0, 0, 0);
    long r = files_sys(SYS_dup3, source, target, (flags > 0 && (flags & FD_CLOEXEC)) ? O_CLOEXEC : 0, 0, 0, 0);
    files_sys(SYS_close, source, 0, 0, 0, 0, 0);
    return r < 0 ? (int)r : 0;
}

int files_proc_each(const char *dir, int (*visit)(long n, int listing, void *arg), void *arg)
{
    long d = files_sys(SYS_openat, AT_FDCWD, (long)dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0, 0);
    if (d < 0)
        return (int)d;
    char buf[4096];
    int stop = 0;
    for (long got; !stop && (got = files_sys(SYS_getdents64, d, (long)buf, sizeof buf, 0, 0, 0)) > 0;) {
        for (long off = 0; off < got && !stop;) {
            const char *name = buf + off + 19; /* struct linux_dirent64: d_name after 19 bytes */
            unsigned short reclen;
            memcpy(&reclen, buf + off + 16, sizeof reclen);
            off += reclen;
            if (name[0] < '0' || name[0] > '9')
                continue;
            long n = 0;
            for (const char *p = name; *p >= '0' && *p <= '9'; p++)
                n = n * 10 + (*p - '0');
            stop = visit(n, (int)d, arg);
        }
    }
    files_sys(SYS_close, d, 0, 0, 0, 0, 0);
    return stop;
}

long files_fd_link(int fd, char *buf, size_t cap)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    long n = files_sys(SYS_readlinkat, AT_FDCWD, (long)path, (long)buf, (long)cap - 1, 0, 0);
    buf[n > 0 ? n : 0] = 0;
    return n;
}

int files_fd_link_is(int fd, const char *link)
{
    char got[256];
    return files_fd_link(fd, got, sizeof got) > 0 && strcmp(got, link) == 0;
}

int files_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int files_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

const char *files_fdinfo_field(const char *fdinfo, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = fdinfo; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, name, n) == 0) {
            p += n;
            while (*p == ' ' || *p == '\t')
                p++;
            return p;
        }
    return NULL;
}

uint64_t files_fdinfo_number(const char *fdinfo, const char *name, int base)
{
    const char *p = files_fdinfo_field(fdinfo, name);
    uint64_t v = 0;
    if (!p)
        return 0;
    if (base == 0 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (base == 0) {
        base = 10;
    }
    for (;; p++) {
        int digit = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
                  : *p >= 'A' && *p <= 'F' ? *p - 'A' + 10 : 99;
        if (digit >= base)
            return v;
        v = v * (uint64_t)base + (uint64_t)digit;
    }
}

/* ---- WRITE ---- */

static int note_fd(long fd, int listing, void *arg)
{
    struct files_state *s = arg;
    if (fd != listing && !stasis_is_internal_fd((int)fd) && s->fd_count < MAX_FDS)
        s->fds[s->fd_count++] = (int)fd;
    return 0;
}

/* The descriptor numbers, listed before any is looked at (the listing itself
 * holds a descriptor). */
static int list_fds(void)
{
    files_state.fd_count = 0;
    int r = files_proc_each("/proc/self/fd", note_fd, &files_state);
    return r < 0 ? r : 0;
}

static int read_small(const char *path, char *buf, size_t cap)
{
    long fd = files_sys(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (fd < 0)
        return (int)fd;
    long n = files_sys(SYS_read, fd, (long)buf, (long)cap - 1, 0, 0, 0);
    files_sys(SYS_close, fd, 0, 0, 0, 0, 0);
    buf[n > 0 ? n : 0] = 0;
    return n < 0 ? (int)n : 0;
}

static int describe(int fd, struct files_fd *d)
{
    char path[64];
    memset(d, 0, sizeof *d);
    d->fd = fd;
    long r = files_sys(SYS_fstat, fd, (long)&d->st, 0, 0, 0, 0);
    if (r < 0)
        return (int)r;
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    long n = files_sys(SYS_readlinkat, AT_FDCWD, (long)path, (long)d->link, sizeof d->link - 1, 0, 0);
    d->link[n > 0 ? n : 0] = 0;
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    read_small(path, d->fdinfo, sizeof d->fdinfo);
    d->open_flags = (uint32_t)files_fdinfo_number(d->fdinfo, "flags:", 8);
    d->offset = files_fdinfo_number(d->fdinfo, "pos:", 10);
    return 0;
}

/* What the core reopens or recreates itself (fds.c), and sockets and terminals,
 * which are their plugins' (pidfds, io_uring, userfaultfd… are nobody's). */
static int restored_by_someone_else(const struct files_fd *d)
{
    switch (d->st.st_mode & S_IFMT) {
    case S_IFREG:
    case S_IFDIR:
    case S_IFCHR:
    case S_IFBLK:
    case S_IFSOCK:
        return 1;
    case S_IFIFO:
        return strncmp(d->link, "pipe:", 5) == 0;
    default:
        return 0;
    }
}

static int write_section(void)
{
    struct files_state *s = &files_state;
    uint32_t magic = FILES_MAGIC;
    int r = list_fds();
    if (r < 0)
        return r;
    if ((r = stasis_section_write(&magic, sizeof magic)) < 0)
        return r;
    for (unsigned h = 0; h < HANDLER_COUNT; h++)
        if (handlers[h]->begin)
            handlers[h]->begin();
    for (int i = 0; i < s->fd_count; i++) {
        if (describe(s->fds[i], &s->current) < 0)
            continue; /* closed meanwhile by nobody: every thread is frozen, so never */
        for (unsigned h = 0; h < HANDLER_COUNT; h++) {
            r = handlers[h]->write(&s->current);
            if (r != STASIS_NOT_MINE)
                break;
        }
        if (r == STASIS_NOT_MINE && !restored_by_someone_else(&s->current))
            stasis_report_unrestored("fd %d %s (/dev/null after a restart)", s->current.fd, s->current.link);
        if (r < 0 && r != STASIS_NOT_MINE)
            return r;
    }
    return 0;
}

/* ---- RESTART, REFILL ---- */

static const struct files_handler *handler_of(uint32_t kind)
{
    for (unsigned h = 0; h < HANDLER_COUNT; h++)
        for (const uint32_t *k = handlers[h]->kinds; *k; k++)
            if (*k == kind)
                return handlers[h];
    return NULL;
}

/* Every record, in order, whose handler is (or is not) late. */
static int replay(int late, int refill)
{
    size_t length;
    const unsigned char *section = stasis_section_read(&length);
    if (!section)
        return 0; /* nothing of ours in the image */
    uint32_t magic;
    if (length < sizeof magic || (memcpy(&magic, section, sizeof magic), magic != FILES_MAGIC)) {
        files_log("the image's files section is not one this version reads");
        return -EINVAL;
    }
    for (size_t at = sizeof magic; at < length;) {
        struct record_header h;
        if (length - at < sizeof h) {
            files_log("the image's files section is truncated");
            return -EINVAL;
        }
        memcpy(&h, section + at, sizeof h);
        at += sizeof h;
        if (h.length > length - at) {
            files_log("the image's files section is truncated");
            return -EINVAL;
        }
        const struct files_handler *handler = handler_of(h.kind);
        if (!handler) {
            files_log("descriptor %d: unknown record kind %u", h.fd, h.kind);
            return -EINVAL;
        }
        int r = 0;
        if (handler->late == late) {
            if (!refill)
                r = handler->restore(h.kind, h.fd, section + at, h.length);
            else if (handler->refill)
                r = handler->refill(h.kind, h.fd, section + at, h.length);
        }
        if (r < 0)
            return r;
        at += h.length;
    }
    return 0;
}

static int files_event(const struct stasis_event_info *info)
{
    int r;
    switch (info->event) {
    case STASIS_EVENT_WRITE:
        return write_section();
    case STASIS_EVENT_RESTART:
        if ((r = replay(0, 0)) < 0)
            return r;
        return replay(1, 0);
    case STASIS_EVENT_REFILL:
        return replay(0, 1);
    case STASIS_EVENT_EXEC:
    case STASIS_EVENT_SPAWN:
        return files_inotify_exec(); /* the watches' paths go with the program */
    default:
        return STASIS_NOT_MINE;
    }
}

static const char *const files_restores[] = {
    STASIS_RESOURCE_FIFO, STASIS_RESOURCE_DELETED, STASIS_RESOURCE_ANON, NULL,
};

static const struct stasis_plugin files_plugin = {
    .api_version = STASIS_PLUGIN_API_VERSION,
    .id = "files",
    .on_event = files_event,
    .restores = files_restores,
};

STASIS_PLUGIN_REGISTER(files_plugin)
