/* Named pipes (fifos). A fifo is reopened by its path at restart, and the bytes
 * that were in flight in it are put back exactly once for the whole computation.
 *
 * WRITE: one FIFO record per descriptor. The first read end of a fifo in the
 * process also carries a copy of the bytes in it, taken with tee() so nothing is
 * consumed: a checkpoint that is only resumed has nothing to refill.
 *
 * RESTART: open the fifo O_RDWR first — that never blocks on Linux and counts as a
 * reader and a writer, so the real open (saved flags | O_NONBLOCK, through
 * /proc/self/fd of the holder so it is the very same fifo) never blocks and never
 * fails with ENXIO. A data holder publishes "files:fifo:<dev>:<ino>" with a random
 * token of its own (last writer wins) and keeps its O_RDWR holder, so the pipe
 * cannot lose its last opener before the data is back.
 *
 * REFILL (every process has passed RESTARTED): the data holder whose token is the
 * published one writes the bytes; a process restarted without a coordinator writes
 * its own. Holders are closed here, before any user thread runs. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stasis/plugin.h>
#include <stasis/services.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "files.h"

/* The record's payload, little-endian, then path_length bytes of path (no NUL),
 * then data_length bytes in flight. FifoRecords.java reads the same layout. */
struct fifo_head {
    uint64_t device;        /* st_dev, st_ino at checkpoint: the name-service key */
    uint64_t inode;
    uint32_t open_flags;    /* fdinfo "flags:", O_NONBLOCK included */
    uint32_t mode;          /* st_mode, for mkfifo when the path vanished */
    uint32_t capacity;      /* F_GETPIPE_SZ */
    uint32_t flags;         /* FIFO_* */
    int32_t alias_of;       /* a lower descriptor of the same open file description, or -1 */
    uint32_t path_length;
    uint64_t data_length;
};
_Static_assert(sizeof(struct fifo_head) == 48, "the record layout is part of the image format");

#define FIFO_HOLDS_DATA 1u  /* the first read end in this process: data_length bytes follow */
#define FIFO_DELETED 2u     /* the fifo had been unlinked: path is where it was */

#define MAX_HOLDERS 256
#define TOKEN_BYTES 16
#define DELETED_SUFFIX " (deleted)"

struct holder {
    long pid;               /* the kernel's pid of the process that claimed it */
    int fd;                 /* the descriptor restored (the record's number) */
    int holder;             /* O_RDWR descriptor keeping the pipe alive until REFILL */
    int alone;              /* no coordinator: write our own bytes */
    unsigned char token[TOKEN_BYTES];
};

static struct fifo_state {
    struct {
        struct fifo_head h;
        char path[4096];
    } head;                          /* the record being written (too big for the stack) */
    char now[4096];                  /* the record's path after stasis restart --path-map */
    unsigned char chunk[1 << 16];    /* moving the peeked bytes into a memfd */
    struct holder holders[MAX_HOLDERS];
    int holder_count;
} fifo_state;

/* Can this descriptor read the fifo's bytes? Not a write end, not an O_PATH one. */
static int reads(long open_flags)
{
    return (open_flags & O_ACCMODE) != O_WRONLY && !(open_flags & O_PATH);
}

static long sys(long n, long a, long b, long c, long d)
{
    return files_sys(n, a, b, c, d, 0, 0);
}

static void close_fd(int fd)
{
    if (fd >= 0)
        sys(SYS_close, fd, 0, 0, 0);
}

static void key_of(char *key, size_t cap, uint64_t device, uint64_t inode)
{
    snprintf(key, cap, "files:fifo:%llu:%llu", (unsigned long long)device, (unsigned long long)inode);
}

/* ---- WRITE ---- */

struct earlier {
    int alias_of;           /* a lower number sharing the open file description, or -1 */
    int reader_before;      /* a lower number that is a read end of the same fifo */
};

/* What lower descriptors of this process hold the same fifo. Asked of the kernel
 * rather than remembered between calls, so it cannot go stale across checkpoints. */
static struct earlier look_below(const struct files_fd *d)
{
    struct earlier e = {-1, 0};
    long pid = sys(SYS_getpid, 0, 0, 0, 0);
    for (int k = 0; k < d->fd; k++) {
        struct stat st;
        if (stasis_is_internal_fd(k) || sys(SYS_fstat, k, (long)&st, 0, 0) < 0)
            continue;
        if (!S_ISFIFO(st.st_mode) || st.st_dev != d->st.st_dev || st.st_ino != d->st.st_ino)
            continue;
        long fl = sys(SYS_fcntl, k, F_GETFL, 0, 0);
        if (fl >= 0 && reads(fl))
            e.reader_before = 1;
        if (e.alias_of < 0 && files_sys(SYS_kcmp, pid, pid, KCMP_FILE, k, d->fd, 0) == 0)
            e.alias_of = k;
    }
    return e;
}

/* Copy the bytes in the fifo into a memfd without taking them out: tee() them
 * into a private pipe at least as large, then read that. Every user thread of the
 * computation is frozen, so the count cannot change under us. 0 with the memfd in
 * *out (-1 when the fifo is empty) and the length, or -errno. */
static int peek(const struct files_fd *d, int *out, uint64_t *length)
{
    struct fifo_state *s = &fifo_state;
    int queued = 0;
    *out = -1;
    *length = 0;
    long r = sys(SYS_ioctl, d->fd, FIONREAD, (long)&queued, 0);
    if (r < 0 || queued <= 0)
        return r < 0 ? (int)r : 0;
    int tmp[2];
    r = sys(SYS_pipe2, (long)tmp, O_CLOEXEC | O_NONBLOCK, 0, 0);
    if (r < 0)
        return (int)r;
    long capacity = sys(SYS_fcntl, d->fd, F_GETPIPE_SZ, 0, 0);
    if (capacity < queued)
        capacity = queued;
    sys(SYS_fcntl, tmp[1], F_SETPIPE_SZ, capacity, 0);
    long copied = sys(SYS_tee, d->fd, tmp[1], queued, SPLICE_F_NONBLOCK);
    int memfd = -1;
    if (copied != queued) {
        /* the private pipe could not be made large enough (pipe-user-pages limits):
         * refuse rather than save a stream with a hole in it */
        files_log("fifo %s (descriptor %d): could copy only %ld of the %d bytes in flight", d->link, d->fd,
                  copied, queued);
        r = copied < 0 ? copied : -ENOSPC;
        goto out;
    }
    r = sys(SYS_memfd_create, (long)"stasis-fifo", MFD_CLOEXEC, 0, 0);
    if (r < 0)
        goto out;
    memfd = (int)r;
    for (long done = 0; done < copied;) {
        long want = copied - done < (long)sizeof s->chunk ? copied - done : (long)sizeof s->chunk;
        long got = sys(SYS_read, tmp[0], (long)s->chunk, want, 0);
        if (got <= 0) {
            r = got < 0 ? got : -EIO;
            goto out;
        }
        for (long put = 0; put < got;) {
            long w = sys(SYS_write, memfd, (long)(s->chunk + put), got - put, 0);
            if (w <= 0) {
                r = w < 0 ? w : -EIO;
                goto out;
            }
            put += w;
        }
        done += got;
    }
    *length = (uint64_t)copied;
    *out = memfd;
    memfd = -1;
    r = 0;
out:
    close_fd(memfd);
    close_fd(tmp[0]);
    close_fd(tmp[1]);
    return (int)r;
}

static int write_fifo(const struct files_fd *d)
{
    struct fifo_state *s = &fifo_state;
    if (!S_ISFIFO(d->st.st_mode) || strncmp(d->link, "pipe:", 5) == 0)
        return STASIS_NOT_MINE; /* anonymous pipes are the core's */
    struct fifo_head *h = &s->head.h;
    memset(h, 0, sizeof *h);
    h->device = d->st.st_dev;
    h->inode = d->st.st_ino;
    h->open_flags = d->open_flags;
    h->mode = d->st.st_mode;
    long capacity = sys(SYS_fcntl, d->fd, F_GETPIPE_SZ, 0, 0);
    h->capacity = capacity > 0 ? (uint32_t)capacity : 0;
    size_t path_length = strlen(d->link);
    size_t suffix = sizeof DELETED_SUFFIX - 1;
    if (path_length > suffix && strcmp(d->link + path_length - suffix, DELETED_SUFFIX) == 0) {
        h->flags |= FIFO_DELETED;
        path_length -= suffix;
    }
    h->path_length = (uint32_t)path_length;
    memcpy(s->head.path, d->link, path_length);
    struct earlier e = look_below(d);
    h->alias_of = e.alias_of;
    int memfd = -1;
    if (e.alias_of < 0 && !e.reader_before && reads(d->open_flags)) {
        int r = peek(d, &memfd, &h->data_length);
        if (r < 0)
            return r;
        h->flags |= FIFO_HOLDS_DATA;
    }
    int r = files_emit(FILES_REC_FIFO, d->fd, &s->head, sizeof *h + path_length, memfd, h->data_length);
    close_fd(memfd);
    return r;
}

/* ---- RESTART ---- */

static int parse(int fd, const void *payload, uint64_t length, struct fifo_head *h, char *path, size_t cap)
{
    if (length < sizeof *h)
        goto bad;
    memcpy(h, payload, sizeof *h);
    if (h->path_length == 0 || h->path_length >= cap || h->data_length > length - sizeof *h
        || h->path_length != length - sizeof *h - h->data_length)
        goto bad;
    memcpy(path, (const char *)payload + sizeof *h, h->path_length);
    path[h->path_length] = 0;
    return 0;
bad:
    files_log("descriptor %d: malformed fifo record", fd);
    return -EINVAL;
}

/* An unlinked fifo: a new one under a private name next to where it was, unlinked
 * again once open. Processes that shared it get one each. */
static int open_deleted(const char *path, uint32_t mode)
{
    char tmp[4200];
    long pid = sys(SYS_getpid, 0, 0, 0, 0);
    if (snprintf(tmp, sizeof tmp, "%.4095s.stasis-restart-%ld", path, pid) >= (int)sizeof tmp)
        return -ENAMETOOLONG;
    long r = sys(SYS_mknodat, AT_FDCWD, (long)tmp, S_IFIFO | (mode & 07777), 0);
    if (r < 0 && r != -EEXIST) {
        files_log("cannot recreate deleted fifo %s: %s", path, stasis_strerror(r));
        return (int)r;
    }
    long fd = sys(SYS_openat, AT_FDCWD, (long)tmp, O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
    sys(SYS_unlinkat, AT_FDCWD, (long)tmp, 0, 0);
    if (fd < 0)
        files_log("cannot open recreated fifo %s: %s", path, stasis_strerror(fd));
    return (int)fd;
}

/* The O_RDWR holder of the fifo at path, made again if the path vanished. */
static int open_holder(const char *path, uint32_t mode)
{
    struct stat st;
    long r = sys(SYS_newfstatat, AT_FDCWD, (long)path, (long)&st, 0);
    if (r == -ENOENT) {
        r = sys(SYS_mknodat, AT_FDCWD, (long)path, S_IFIFO | (mode & 07777), 0);
        if (r < 0 && r != -EEXIST) { /* another process of the computation just made it: fine */
            files_log("fifo %s vanished and cannot be recreated: %s", path, stasis_strerror(r));
            return (int)r;
        }
        if (r == 0)
            files_log("fifo %s vanished since the checkpoint: recreated it", path);
        r = sys(SYS_newfstatat, AT_FDCWD, (long)path, (long)&st, 0);
    }
    if (r < 0) {
        files_log("cannot reach fifo %s: %s", path, stasis_strerror(r));
        return (int)r;
    }
    if (!S_ISFIFO(st.st_mode)) {
        files_log("%s was a fifo at checkpoint time and is something else now", path);
        return -EEXIST;
    }
    long fd = sys(SYS_openat, AT_FDCWD, (long)path, O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
    if (fd < 0)
        files_log("cannot open fifo %s: %s", path, stasis_strerror(fd));
    return (int)fd;
}

/* The table is in the image like all memory: an entry a previous life of the
 * process left (a restart that failed before REFILL) names descriptors that are
 * not ours any more, and is forgotten without closing anything. */
static struct holder *find_holder(int fd)
{
    struct fifo_state *s = &fifo_state;
    long pid = sys(SYS_getpid, 0, 0, 0, 0);
    for (int i = 0; i < s->holder_count;) {
        if (s->holders[i].pid != pid) {
            s->holders[i] = s->holders[--s->holder_count];
            continue;
        }
        if (s->holders[i].fd == fd)
            return &s->holders[i];
        i++;
    }
    return NULL;
}

static struct holder *holder_for(int fd)
{
    struct fifo_state *s = &fifo_state;
    struct holder *k = find_holder(fd);
    if (k) /* the same number twice: only a damaged image does that */
        close_fd(k->holder);
    else if (s->holder_count < MAX_HOLDERS)
        k = &s->holders[s->holder_count++];
    if (k)
        k->pid = sys(SYS_getpid, 0, 0, 0, 0);
    return k;
}

static void drop_holder(struct holder *k)
{
    struct fifo_state *s = &fifo_state;
    close_fd(k->holder);
    *k = s->holders[--s->holder_count];
}

/* Claim the refill for this process, unless another process of the computation
 * claims it after us. */
static int claim(const struct fifo_head *h, int fd, int holder_fd)
{
    struct holder *k = holder_for(fd);
    if (!k) {
        files_log("more than %d fifos with data in one process", MAX_HOLDERS);
        return -ENOSPC;
    }
    k->fd = fd;
    k->holder = holder_fd;
    k->alone = 0;
    if (sys(SYS_getrandom, (long)k->token, sizeof k->token, 0, 0) != (long)sizeof k->token) {
        long seed[2] = {sys(SYS_getpid, 0, 0, 0, 0), fd};
        memcpy(k->token, seed, sizeof k->token);
    }
    char key[STASIS_NAME_KEY_MAX + 1];
    key_of(key, sizeof key, h->device, h->inode);
    int r = stasis_publish(key, k->token, sizeof k->token);
    if (r == -ENOTCONN) {
        k->alone = 1;
        r = 0;
    }
    if (r < 0) {
        files_log("descriptor %d: cannot publish %s (%s)", fd, key, stasis_strerror(r));
        drop_holder(k);
    }
    return r;
}

static int restore_fifo(uint32_t kind, int fd, const void *payload, uint64_t length)
{
    struct fifo_state *s = &fifo_state;
    struct fifo_head h;
    char *path = s->head.path;
    int r = parse(fd, payload, length, &h, path, sizeof s->head.path);
    if (r < 0)
        return r;
    if (h.alias_of >= 0) { /* restored before us: records come in descriptor order */
        long copy = sys(SYS_fcntl, h.alias_of, F_DUPFD_CLOEXEC, 0, 0);
        return copy < 0 ? (int)copy : files_install((int)copy, fd);
    }
    if (stasis_restart_path(s->head.path, s->now, sizeof s->now) >= sizeof s->now) {
        files_log("fifo %s: too long a path with --path-map", s->head.path);
        return -ENAMETOOLONG;
    }
    path = s->now;
    int holder = (h.flags & FIFO_DELETED) ? open_deleted(path, h.mode) : open_holder(path, h.mode);
    if (holder < 0)
        return holder;
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", holder);
    uint32_t flags = h.open_flags & ~(uint32_t)(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY | O_CLOEXEC);
    long opened = sys(SYS_openat, AT_FDCWD, (long)self, flags | O_NONBLOCK | O_CLOEXEC, 0);
    if (opened < 0) {
        files_log("cannot reopen fifo %s: %s", path, stasis_strerror(opened));
        close_fd(holder);
        return (int)opened;
    }
    if (!(h.open_flags & O_NONBLOCK))
        sys(SYS_fcntl, opened, F_SETFL, flags & ~(uint32_t)O_NONBLOCK, 0);
    if (h.capacity && sys(SYS_fcntl, opened, F_SETPIPE_SZ, h.capacity, 0) < 0 && h.data_length > 65536)
        files_log("fifo %s: cannot make it %u bytes again; its %llu bytes in flight may not fit", path,
                  h.capacity, (unsigned long long)h.data_length);
    if ((r = files_install((int)opened, fd)) < 0) {
        close_fd(holder);
        return r;
    }
    if (!(h.flags & FIFO_HOLDS_DATA) || h.data_length == 0) {
        close_fd(holder);
        return 0;
    }
    return claim(&h, fd, holder);
}

/* ---- REFILL ---- */

static int refill_fifo(uint32_t kind, int fd, const void *payload, uint64_t length)
{
    struct fifo_state *s = &fifo_state;
    struct fifo_head h;
    if (parse(fd, payload, length, &h, s->head.path, sizeof s->head.path) < 0)
        return -EINVAL;
    if (h.alias_of >= 0 || !(h.flags & FIFO_HOLDS_DATA) || h.data_length == 0)
        return 0;
    struct holder *k = find_holder(fd);
    if (!k)
        return 0; /* not claimed at RESTART */
    int mine = k->alone;
    if (!mine) {
        char key[STASIS_NAME_KEY_MAX + 1];
        unsigned char winner[TOKEN_BYTES];
        key_of(key, sizeof key, h.device, h.inode);
        long n = stasis_lookup(key, winner, sizeof winner);
        if (n < 0) {
            /* we published it: only a lost coordinator gets here, and then the
             * REFILLED barrier fails the restart anyway */
            files_log("fifo %s: cannot look up %s (%s)", s->head.path, key, stasis_strerror(n));
            drop_holder(k);
            return (int)n;
        }
        mine = n == TOKEN_BYTES && memcmp(winner, k->token, TOKEN_BYTES) == 0;
    }
    int r = 0;
    if (mine) {
        const unsigned char *data = (const unsigned char *)payload + sizeof h + h.path_length;
        for (uint64_t done = 0; done < h.data_length;) {
            long w = sys(SYS_write, k->holder, (long)(data + done), (long)(h.data_length - done), 0);
            if (w <= 0) {
                files_log("fifo %s: %llu of its %llu bytes in flight did not fit back (%s)", s->head.path,
                          (unsigned long long)(h.data_length - done), (unsigned long long)h.data_length,
                          stasis_strerror(w));
                r = w < 0 ? (int)w : -EIO;
                break;
            }
            done += (uint64_t)w;
        }
    }
    drop_holder(k);
    return r;
}

const struct files_handler files_fifo_handler = {
    .name = "fifo",
    .write = write_fifo,
    .restore = restore_fifo,
    .refill = refill_fifo,
    .kinds = {FILES_REC_FIFO, 0},
    .late = 0,
};
