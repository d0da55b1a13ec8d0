#include "fds.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "../common/image_format.h"
#include "../common/mailbox.h"
#include "../common/sys.h"
#include "config.h"
#include "errtext.h"
#include "fmt.h"
#include "log.h"
#include "plugins.h"
#include "procfs.h"
#include "runtime.h"
#include "scratch.h"

#define MAX_FDS 4096
#define PIPE_DATA_MAX (1u << 20)
#define PIPE_AREA (64ull * PIPE_DATA_MAX) /* all pipes of one process */

struct fd_capture {
    struct img_fd records[MAX_FDS];
    int count;
    /* the first record of every open file description so far, in kcmp's order of
     * the kernel's file objects: finding a dup's first holder costs log n kcmp
     * calls instead of n (thousands of eventfds took seconds) */
    int descriptions[MAX_FDS];
    int description_count;
    unsigned char *pipe_data;       /* scratch; pipe contents, back to back */
    uint64_t pipe_data_used;
};

static struct fds_state {
    struct fd_capture *capture;     /* scratch, during a checkpoint */
} fds_state;

static int is_deleted(const char *path)
{
    size_t len = strlen(path);
    return len > 10 && strcmp(path + len - 10, " (deleted)") == 0;
}

const char *fds_resource_kind(const struct img_fd *f)
{
    switch (f->kind) {
    case IMG_FD_SOCKET:
        return STASIS_RESOURCE_SOCKET;
    case IMG_FD_OTHER:
        return S_ISFIFO(f->mode) ? STASIS_RESOURCE_FIFO : STASIS_RESOURCE_ANON;
    case IMG_FD_FILE:
        return is_deleted(f->path) ? STASIS_RESOURCE_DELETED : NULL;
    default:
        return NULL;
    }
}

/* "flags:\t0100002" in /proc/self/fdinfo/N: the open flags, in octal */
static uint32_t open_flags_of(int fd)
{
    char path[64], buf[512];
    stasis_fmt(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    if (procfs_read(path, buf, sizeof buf) <= 0)
        return 0;
    const char *p = strstr(buf, "flags:");
    if (!p)
        return 0;
    p += 6;
    while (*p == ' ' || *p == '\t')
        p++;
    uint32_t v = 0;
    while (*p >= '0' && *p <= '7')
        v = v * 8 + (uint32_t)(*p++ - '0');
    return v;
}

/* Copy what is in a pipe without taking it out: tee() into a private pipe. */
static uint32_t peek_pipe(int fd, struct fd_capture *c)
{
    int tmp[2];
    long r = sys2(SYS_pipe2, (long)tmp, O_CLOEXEC | O_NONBLOCK);
    if (r < 0)
        return 0;
    long capacity = sys3(SYS_fcntl, fd, F_GETPIPE_SZ, 0);
    if (capacity > 0)
        sys3(SYS_fcntl, tmp[1], F_SETPIPE_SZ, capacity);
    uint32_t total = 0;
    long n = sys4(SYS_tee, fd, tmp[1], PIPE_DATA_MAX, 2 /* SPLICE_F_NONBLOCK */);
    while (n > 0 && c->pipe_data_used + (uint64_t)n <= PIPE_AREA) {
        long got = sys3(SYS_read, tmp[0], (long)(c->pipe_data + c->pipe_data_used), n);
        if (got <= 0)
            break;
        c->pipe_data_used += (uint64_t)got;
        total += (uint32_t)got;
        n -= got;
    }
    sys1(SYS_close, tmp[0]);
    sys1(SYS_close, tmp[1]);
    return total;
}

/* ---- which descriptors of other processes are the same open file description ---- */

static long parent_of(long pid)
{
    char path[64], stat[1024];
    stasis_fmt(path, sizeof path, "/proc/%ld/stat", pid);
    if (procfs_read(path, stat, sizeof stat) <= 0)
        return -1;
    const char *f = procfs_stat_field(stat, 4);
    return f ? (long)procfs_dec(&f) : -1;
}

struct same_description {
    long self, holder;       /* our process; the process being searched */
    int fd;                  /* our descriptor */
    uint64_t inode;
    int found;               /* its number in holder, or -1 */
};

static int match_in_holder(long n, void *arg)
{
    struct same_description *m = arg;
    char path[64];
    struct stat st;
    stasis_fmt(path, sizeof path, "/proc/%ld/fd/%ld", m->holder, n);
    if (sys4(SYS_newfstatat, AT_FDCWD, (long)path, (long)&st, 0) < 0 || st.st_ino != m->inode)
        return 0;
    if (sys5(SYS_kcmp, m->self, m->holder, KCMP_FILE, m->fd, n) == 0) {
        m->found = (int)n;
        return 1;
    }
    return 0;
}

/* The topmost ancestor holding this very open file description, and its number
 * there: every process sharing the description finds the same one (they all got it
 * by inheritance from it), which makes a share id the restart can match. kcmp needs
 * the right to inspect the ancestor (same user): the walk stops where that ends. */
static uint64_t description_id(int fd, uint64_t inode)
{
    long self = sys0(SYS_getpid), holder = self;
    int holder_fd = fd;
    for (int depth = 0; depth < 64; depth++) {
        long up = parent_of(holder);
        if (up <= 1)
            break;
        char dir[64];
        stasis_fmt(dir, sizeof dir, "/proc/%ld/fd", up);
        struct same_description m = {self, up, fd, inode, -1};
        procfs_each_number(dir, match_in_holder, &m);
        if (m.found < 0)
            break;
        holder = up;
        holder_fd = m.found;
    }
    return IMG_SHARE_ID(holder, holder_fd);
}

/* A pipe's read end polls as hung up once no write end is left anywhere: the
 * writer exited (and everyone else closed theirs), not merely one outside the
 * computation, which the restart cannot tell apart without this. */
static int writer_gone(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return sys3(SYS_poll, (long)&p, 1, 0) > 0 && (p.revents & POLLHUP);
}

static int is_tty(int fd)
{
    struct termios t;
    return sys3(SYS_ioctl, fd, TCGETS, (long)&t) == 0;
}

/* The lowest descriptor of fd's open file description, or IMG_FD_NOT_SHARED when
 * fd is its first (which then joins the ordered list as the record being made). */
static uint32_t first_holder(struct fd_capture *c, int fd)
{
    long pid = sys0(SYS_getpid);
    int lo = 0, hi = c->description_count;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        const struct img_fd *known = &c->records[c->descriptions[mid]];
        long order = sys5(SYS_kcmp, pid, pid, KCMP_FILE, fd, (long)known->fd);
        if (order == 0)
            return known->fd;
        if (order == 1)
            hi = mid;
        else if (order == 2)
            lo = mid + 1;
        else
            return IMG_FD_NOT_SHARED; /* kcmp refused (no ptrace right): no dup is known */
    }
    memmove(&c->descriptions[lo + 1], &c->descriptions[lo], (size_t)(c->description_count - lo) * sizeof(int));
    c->descriptions[lo] = c->count;
    c->description_count++;
    return IMG_FD_NOT_SHARED;
}

static void capture_one(struct fd_capture *c, int fd)
{
    struct stat st;
    if (sys2(SYS_fstat, fd, (long)&st) < 0)
        return;
    struct img_fd *rec = &c->records[c->count];
    memset(rec, 0, sizeof *rec);
    rec->fd = (uint32_t)fd;
    rec->same_as = IMG_FD_NOT_SHARED;
    rec->inode = st.st_ino;
    rec->device = st.st_dev;
    rec->mode = st.st_mode;
    rec->open_flags = open_flags_of(fd);
    long fdflags = sys3(SYS_fcntl, fd, F_GETFD, 0);
    rec->fd_flags = fdflags > 0 ? (uint32_t)fdflags : 0;
    char link[64];
    stasis_fmt(link, sizeof link, "/proc/self/fd/%d", fd);
    long n = sys4(SYS_readlinkat, AT_FDCWD, (long)link, (long)rec->path, sizeof rec->path - 1);
    rec->path[n > 0 ? n : 0] = 0;
    long pos = sys3(SYS_lseek, fd, 0, SEEK_CUR);
    rec->offset = pos > 0 ? (uint64_t)pos : 0;
    switch (st.st_mode & S_IFMT) {
    case S_IFREG:
        rec->kind = IMG_FD_FILE;
        break;
    case S_IFDIR:
        rec->kind = IMG_FD_DIR;
        break;
    case S_IFCHR:
        rec->kind = is_tty(fd) ? IMG_FD_TTY : IMG_FD_CHAR;
        break;
    case S_IFIFO:
        if (strncmp(rec->path, "pipe:", 5) != 0) {
            rec->kind = IMG_FD_OTHER; /* a named fifo: a plugin's (STASIS_RESOURCE_FIFO) */
            break;
        }
        rec->kind = (rec->open_flags & O_ACCMODE) == O_WRONLY ? IMG_FD_PIPE_WRITE : IMG_FD_PIPE_READ;
        if (rec->kind == IMG_FD_PIPE_READ && writer_gone(fd))
            rec->fd_flags |= IMG_FD_NO_WRITER;
        {
            long capacity = sys3(SYS_fcntl, fd, F_GETPIPE_SZ, 0);
            rec->offset = capacity > 0 ? (uint64_t)capacity : 65536;
        }
        break;
    case S_IFSOCK:
        rec->kind = IMG_FD_SOCKET;
        break;
    default:
        rec->kind = IMG_FD_OTHER;
    }
    if (rec->kind == IMG_FD_PIPE_READ || rec->kind == IMG_FD_PIPE_WRITE)
        rec->share_id = IMG_SHARE_PIPE | rec->inode;
    else if (rec->kind == IMG_FD_FILE || rec->kind == IMG_FD_DIR || rec->kind == IMG_FD_CHAR)
        rec->share_id = description_id(fd, rec->inode);
    /* dup()ed descriptors share one open file description: remember with which */
    rec->same_as = first_holder(c, fd);
    c->count++;
}

static int capture_if_ours(long fd, void *arg)
{
    struct fd_capture *c = arg;
    if (!runtime_is_internal_fd((int)fd) && c->count < MAX_FDS)
        capture_one(c, (int)fd);
    return 0;
}

int fds_capture(void)
{
    struct fd_capture *c = scratch_alloc(sizeof *c);
    if (!c)
        return -ENOMEM;
    c->count = 0;
    c->description_count = 0;
    c->pipe_data_used = 0;
    c->pipe_data = scratch_alloc(PIPE_AREA);
    if (!c->pipe_data) {
        scratch_free(c, sizeof *c);
        return -ENOMEM;
    }
    fds_state.capture = c;
    int r = procfs_each_number("/proc/self/fd", capture_if_ours, c);
    if (r < 0)
        return r;
    /* pipe contents go with the first read end of each pipe */
    for (int i = 0; i < c->count; i++) {
        struct img_fd *rec = &c->records[i];
        if (rec->kind != IMG_FD_PIPE_READ || rec->same_as != IMG_FD_NOT_SHARED)
            continue;
        int first = 1;
        for (int k = 0; k < i; k++)
            if (c->records[k].kind == IMG_FD_PIPE_READ && c->records[k].inode == rec->inode)
                first = 0;
        if (first) {
            uint64_t at = c->pipe_data_used;
            int queued = 0;
            sys3(SYS_ioctl, rec->fd, FIONREAD, (long)&queued);
            rec->data_length = peek_pipe((int)rec->fd, c);
            rec->data = c->pipe_data + at;
            /* a copy with a hole in it would restart a stream that lost bytes */
            if (queued > 0 && rec->data_length != (uint32_t)queued) {
                LOG_WARN("pipe %s (descriptor %u): could copy only %u of the %d bytes in it", rec->path, rec->fd,
                         rec->data_length, queued);
                return -EIO;
            }
        }
    }
    LOG_DEBUG("captured %d descriptors, %lu bytes in pipes", c->count, (unsigned long)c->pipe_data_used);
    return 0;
}

int fds_encode(struct wbuf *out)
{
    struct fd_capture *c = fds_state.capture;
    wb_u32(out, c ? (uint32_t)c->count : 0);
    for (int i = 0; c && i < c->count; i++)
        img_encode_fd(out, &c->records[i]);
    return out->overflow ? -ENOSPC : 0;
}

const struct img_fd *fds_captured(int *count)
{
    struct fd_capture *c = fds_state.capture;
    *count = c ? c->count : 0;
    return c ? c->records : NULL;
}

void fds_release(void)
{
    struct fd_capture *c = fds_state.capture;
    if (!c)
        return;
    scratch_free(c->pipe_data, PIPE_AREA);
    scratch_free(c, sizeof *c);
    fds_state.capture = NULL;
}

void fds_forget(void)
{
    fds_state.capture = NULL;
}

/* ---- restart ---- */

struct restore_ctx {
    int stdio[3];          /* the restarting command's 0, 1, 2, moved out of the way */
    int above;             /* lowest number no restored descriptor uses */
    const struct stasis_restart_share *shares;
    int share_count;
    char *why;
    size_t why_cap;
};

static int fail(struct restore_ctx *x, const char *what, const char *path, long err)
{
    stasis_fmt(x->why, x->why_cap, "%s %s: %s", what, path, errtext(err));
    return -1;
}

/* Put `source` at number `target` (closing `source` unless it is shared). */
static int place(int source, int target, uint32_t fd_flags, int keep_source)
{
    long r = source == target ? 0 : sys3(SYS_dup3, source, target, (fd_flags & FD_CLOEXEC) ? O_CLOEXEC : 0);
    if (source == target)
        sys3(SYS_fcntl, target, F_SETFD, fd_flags & FD_CLOEXEC);
    if (!keep_source && source != target)
        sys1(SYS_close, source);
    return r < 0 ? (int)r : 0;
}

static int placeholder(const struct img_fd *f, int warn);

/* Stand-in for something that led outside the process: the restarting command's
 * descriptor of the same number, or /dev/null opened the same way. */
static int inherit_or_null(struct restore_ctx *x, const struct img_fd *f)
{
    if (f->fd <= 2 && x->stdio[f->fd] >= 0)
        return place(x->stdio[f->fd], (int)f->fd, f->fd_flags, 1);
    if (f->kind == IMG_FD_TTY)
        for (int i = 0; i < 3; i++)
            if (x->stdio[i] >= 0 && is_tty(x->stdio[i]))
                return place(x->stdio[i], (int)f->fd, f->fd_flags, 1);
    return placeholder(f, 1);
}

/* /dev/null opened the way the descriptor was, at its number: what is left of it
 * unless a plugin (files, sockets…) puts the real thing there at RESTART. */
static int placeholder(const struct img_fd *f, int warn)
{
    long n = sys4(SYS_openat, AT_FDCWD, (long)"/dev/null", (long)(f->open_flags & O_ACCMODE), 0);
    if (n < 0)
        return (int)n;
    if (warn)
        LOG_WARN("descriptor %u (%s) led outside the process; it is /dev/null after restart", f->fd, f->path);
    return place((int)n, (int)f->fd, f->fd_flags, 0);
}


static int reopen_path(struct restore_ctx *x, const struct img_fd *f)
{
    uint32_t flags = f->open_flags & ~(uint32_t)(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC);
    if (f->kind == IMG_FD_DIR)
        flags |= O_DIRECTORY;
    if (is_deleted(f->path)) {
        if (plugins_owner(STASIS_RESOURCE_DELETED))
            return placeholder(f, 0); /* that plugin saved its contents */
        return fail(x, "cannot reopen deleted file (no enabled plugin restores deleted files)", f->path, -ENOENT);
    }
    static char path[sizeof f->path];
    if (config_restart_path(f->path, path, sizeof path) >= sizeof path)
        return fail(x, "cannot reopen (too long a path with --path-map)", f->path, -ENAMETOOLONG);
    long n = sys4(SYS_openat, AT_FDCWD, (long)path, (long)flags, 0);
    if (n < 0)
        return fail(x, "cannot reopen", path, n);
    if (f->kind == IMG_FD_FILE || f->kind == IMG_FD_DIR)
        sys3(SYS_lseek, n, (long)f->offset, SEEK_SET);
    return place((int)n, (int)f->fd, f->fd_flags, 0);
}

/* A new pipe's ends start blocking: O_NONBLOCK as the program had set it (a
 * non-blocking end that came back blocking would hang a poll loop). */
static void pipe_status_flags(const struct img_fd *f)
{
    sys3(SYS_fcntl, f->fd, F_SETFL, f->open_flags & O_NONBLOCK);
}

/* Both ends of a pipe were in the process: make a new pipe, give every
 * descriptor of it its end, put the saved bytes back in. */
static int recreate_pipe(struct restore_ctx *x, const struct img_fd *all, int count, int index)
{
    const struct img_fd *f = &all[index];
    int ends[2];
    long r = sys2(SYS_pipe2, (long)ends, O_CLOEXEC);
    if (r < 0)
        return (int)r;
    /* pipe2 hands out the lowest free numbers, which may be where this very pipe's
     * other end belongs: lift both ends above every number being restored first */
    for (int end = 0; end < 2; end++) {
        long high = sys3(SYS_fcntl, ends[end], F_DUPFD_CLOEXEC, x->above);
        sys1(SYS_close, ends[end]);
        if (high < 0) {
            if (end)
                sys1(SYS_close, ends[0]);
            return (int)high;
        }
        ends[end] = (int)high;
    }
    if (f->offset)
        sys3(SYS_fcntl, ends[1], F_SETPIPE_SZ, (long)f->offset);
    const unsigned char *data = NULL;
    uint32_t data_length = 0;
    for (int i = 0; i < count; i++) {
        const struct img_fd *g = &all[i];
        if (g->inode != f->inode || g->device != f->device || g->same_as != IMG_FD_NOT_SHARED)
            continue;
        int end = g->kind == IMG_FD_PIPE_WRITE;
        if (g->kind != IMG_FD_PIPE_READ && g->kind != IMG_FD_PIPE_WRITE)
            continue;
        place(ends[end], (int)g->fd, g->fd_flags, 1);
        if (g->data_length) {
            data = g->data;
            data_length = g->data_length;
        }
    }
    /* a pipe that could not be made as large as it was fails the restart, not hangs it */
    sys3(SYS_fcntl, ends[1], F_SETFL, O_NONBLOCK);
    uint32_t done = 0;
    while (done < data_length) {
        long n = sys3(SYS_write, ends[1], (long)(data + done), data_length - done);
        if (n <= 0)
            break;
        done += (uint32_t)n;
    }
    for (int i = 0; i < count; i++)
        if (all[i].inode == f->inode && all[i].device == f->device && all[i].same_as == IMG_FD_NOT_SHARED &&
            (all[i].kind == IMG_FD_PIPE_READ || all[i].kind == IMG_FD_PIPE_WRITE))
            pipe_status_flags(&all[i]);
    sys1(SYS_close, ends[0]);
    sys1(SYS_close, ends[1]);
    if (done < data_length) {
        stasis_fmt(x->why, x->why_cap, "cannot put the %u bytes of pipe %s back (%u fit)", data_length, f->path,
                   done);
        return -1;
    }
    return 0;
}

static const struct stasis_restart_share *shared_object(const struct restore_ctx *x, uint64_t id)
{
    for (int i = 0; id && i < x->share_count; i++)
        if (x->shares[i].share_id == id)
            return &x->shares[i];
    return NULL;
}

static int has_both_ends(const struct img_fd *all, int count, const struct img_fd *f)
{
    int reader = 0, writer = 0;
    for (int i = 0; i < count; i++)
        if (all[i].inode == f->inode && all[i].device == f->device) {
            reader |= all[i].kind == IMG_FD_PIPE_READ;
            writer |= all[i].kind == IMG_FD_PIPE_WRITE;
        }
    return reader && writer;
}

struct keep_list {
    const int *keep;
    int count;
    const struct restore_ctx *ctx;
    int victims[256];
    int victim_count;
};

static int note_victim(long fd, void *arg)
{
    struct keep_list *k = arg;
    int kept = runtime_is_internal_fd((int)fd);
    for (int i = 0; i < k->count && !kept; i++)
        kept = k->keep[i] == fd;
    for (int i = 0; k->ctx && i < k->ctx->share_count && !kept; i++)
        kept = k->ctx->shares[i].fd == fd || k->ctx->shares[i].write_fd == fd;
    if (!kept && k->victim_count < 256)
        k->victims[k->victim_count++] = (int)fd;
    return 0;
}

/* Close every descriptor but ours and `keep` (closing while listing would confuse
 * the listing: collect first). */
static void close_all_but(const struct restore_ctx *x, const int *keep, int nkeep)
{
    struct keep_list k = {.keep = keep, .count = nkeep, .ctx = x};
    procfs_each_number("/proc/self/fd", note_victim, &k);
    for (int i = 0; i < k.victim_count; i++)
        sys1(SYS_close, k.victims[i]);
}

int fds_restore(const void *section, uint64_t length, const struct stasis_restart_share *shares, int share_count,
                char *why, size_t why_cap)
{
    struct restore_ctx x = {.why = why, .why_cap = why_cap, .shares = shares, .share_count = share_count};
    struct rbuf r;
    rb_init(&r, section, length);
    uint32_t count = rb_u32(&r);
    if (count > MAX_FDS)
        return fail(&x, "image has", "too many descriptors", -EINVAL);
    struct fd_capture *c = scratch_alloc(sizeof *c);
    if (!c)
        return fail(&x, "out of memory", "restoring descriptors", -ENOMEM);
    int highest = 2;
    for (uint32_t i = 0; i < count; i++) {
        if (img_decode_fd(&r, &c->records[i]) < 0) {
            scratch_free(c, sizeof *c);
            return fail(&x, "image has", "a malformed FDS section", -EINVAL);
        }
        if ((int)c->records[i].fd > highest)
            highest = (int)c->records[i].fd;
    }
    /* the restarting command's stdio, above every number we are about to fill */
    for (int i = 0; i < 3; i++) {
        long moved = sys3(SYS_fcntl, i, F_DUPFD_CLOEXEC, highest + 1);
        x.stdio[i] = moved < 0 ? -1 : (int)moved;
    }
    for (int i = 0; i < share_count; i++)
        if (shares[i].fd > highest || shares[i].write_fd > highest)
            highest = shares[i].fd > shares[i].write_fd ? shares[i].fd : shares[i].write_fd;
    x.above = highest + 1;
    close_all_but(&x, x.stdio, 3);
    int rc = 0;
    for (uint32_t i = 0; i < count && !rc; i++) {
        const struct img_fd *f = &c->records[i];
        if (f->same_as != IMG_FD_NOT_SHARED)
            continue;
        const struct stasis_restart_share *shared = shared_object(&x, f->share_id);
        if (shared) {
            int source = f->kind == IMG_FD_PIPE_WRITE ? shared->write_fd : shared->fd;
            rc = place(source, (int)f->fd, f->fd_flags, 1);
            if (!rc && (f->kind == IMG_FD_PIPE_READ || f->kind == IMG_FD_PIPE_WRITE))
                pipe_status_flags(f);
            continue;
        }
        switch (f->kind) {
        case IMG_FD_FILE:
        case IMG_FD_DIR:
        case IMG_FD_CHAR:
            rc = reopen_path(&x, f);
            break;
        case IMG_FD_PIPE_READ:
        case IMG_FD_PIPE_WRITE:
            if (!has_both_ends(c->records, (int)count, f)) {
                /* its writer lives on outside the computation, in the pipe the
                 * restarting command no longer shares: said, not silently dropped */
                if (f->data_length)
                    LOG_WARN("descriptor %u (%s): its write end led outside the computation; the %u bytes "
                             "that were in it are not put back",
                             f->fd, f->path, f->data_length);
                rc = inherit_or_null(&x, f);
            } else if (sys3(SYS_fcntl, f->fd, F_GETFD, 0) < 0) /* not yet made by its other end */
                rc = recreate_pipe(&x, c->records, (int)count, (int)i);
            break;
        default:
            /* sockets, fifos, event descriptors: whichever plugin declared their kind; a
             * terminal (the core's) or a kind nobody declared: what the restart has there */
            if (plugins_owner(fds_resource_kind(f)))
                rc = placeholder(f, 0);
            else
                rc = inherit_or_null(&x, f);
        }
    }
    for (uint32_t i = 0; i < count && !rc; i++) {
        const struct img_fd *f = &c->records[i];
        if (f->same_as != IMG_FD_NOT_SHARED)
            rc = place((int)f->same_as, (int)f->fd, f->fd_flags, 1);
    }
    /* a failed restart reports on the restarting command's stderr */
    if (rc && x.stdio[2] >= 0)
        sys3(SYS_dup3, x.stdio[2], 2, 0);
    for (int i = 0; i < 3; i++)
        if (x.stdio[i] >= 0)
            sys1(SYS_close, x.stdio[i]);
    for (int i = 0; i < share_count; i++) {
        sys1(SYS_close, shares[i].fd);
        if (shares[i].write_fd >= 0)
            sys1(SYS_close, shares[i].write_fd);
    }
    scratch_free(c, sizeof *c);
    if (rc && !why[0])
        stasis_fmt(why, why_cap, "cannot restore file descriptors: %s", errtext(rc));
    return rc ? -1 : 0;
}
