/* Wrappers of inotify_init/init1/add_watch/rm_watch: the kernel shows a watch's
 * inode but not the path it was added by, and a watch can only be added again by
 * path. None of these is a hot call; read() of the events is not wrapped.
 *
 * The table is read at WRITE while the program's threads are frozen anywhere,
 * possibly inside a wrapper: a slot is claimed, filled, then published with one
 * atomic store, so a reader sees either a whole entry or none. A watch whose
 * wrapper was frozen between the kernel's answer and the publication has no path:
 * the restart logs it and skips it.
 *
 * An instance that is not close-on-exec outlives an exec or a spawn: its watches
 * go to the new program in STASIS_FILES_INOTIFY, when files_plugin.c hands EXEC
 * and SPAWN to files_inotify_exec(). */
#include <errno.h>
#include <fcntl.h>
#include <stasis/services.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "files.h"
#include "files_event.h"

#define EXPORT __attribute__((visibility("default")))
#define MAX_WATCHES 1024
#define MAX_INSTANCES 256
#define PATH_CAP 1024
#define EXEC_VARIABLE "STASIS_FILES_INOTIFY"
#define EXEC_TEXT_CAP (32 * 1024)

enum { SLOT_FREE = 0, SLOT_FILLING = 1, SLOT_READY = 2 };

struct watch_entry {
    volatile int state;
    int fd, wd;
    uint32_t add_flags;
    uint32_t sdev;
    uint64_t ino;
    char path[PATH_CAP];
};

struct instance {
    volatile int fd;         /* 0 = free slot (an inotify fd is never 0 while stdin is open; if it is, untracked) */
    volatile int highest_wd;
};

static struct inotify_state {
    void *init, *init1, *add_watch, *rm_watch;
    struct watch_entry watches[MAX_WATCHES];
    struct instance instances[MAX_INSTANCES];
    char exec_text[EXEC_TEXT_CAP];
} inotify_state;

/* A new instance at `fd`: whatever was remembered for an earlier one there is stale. */
static void forget_fd(int fd)
{
    struct inotify_state *s = &inotify_state;
    for (int i = 0; i < MAX_WATCHES; i++)
        if (__atomic_load_n(&s->watches[i].state, __ATOMIC_ACQUIRE) == SLOT_READY && s->watches[i].fd == fd)
            __atomic_store_n(&s->watches[i].state, SLOT_FREE, __ATOMIC_RELEASE);
    for (int i = 0; i < MAX_INSTANCES; i++)
        if (s->instances[i].fd == fd)
            __atomic_store_n(&s->instances[i].highest_wd, 0, __ATOMIC_RELEASE);
}

static void note_wd(int fd, int wd)
{
    struct inotify_state *s = &inotify_state;
    struct instance *free_slot = NULL;
    for (int i = 0; i < MAX_INSTANCES; i++) {
        struct instance *in = &s->instances[i];
        int at = __atomic_load_n(&in->fd, __ATOMIC_ACQUIRE);
        if (at == fd) {
            int high = __atomic_load_n(&in->highest_wd, __ATOMIC_ACQUIRE);
            while (wd > high && !__atomic_compare_exchange_n(&in->highest_wd, &high, wd, 0, __ATOMIC_ACQ_REL,
                                                             __ATOMIC_ACQUIRE))
                ;
            return;
        }
        if (at == 0 && !free_slot)
            free_slot = in;
    }
    int zero = 0;
    if (free_slot && __atomic_compare_exchange_n(&free_slot->fd, &zero, fd, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        __atomic_store_n(&free_slot->highest_wd, wd, __ATOMIC_RELEASE);
}

/* Is watch `wd` still in instance `fd`? The kernel drops watches by itself (the
 * inode deleted, IN_ONESHOT fired) and only says so to read(), which is not
 * wrapped: fdinfo tells. Its lines are read in chunks, a cut line carried over. */
static int watch_alive(int fd, int wd)
{
    char path[64], want[32], buf[4096 + 64];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    int want_length = snprintf(want, sizeof want, "inotify wd:%x ", (unsigned)wd);
    long f = stasis_real_syscall(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (f < 0)
        return 0;
    size_t kept = 0;
    int alive = 0;
    for (;;) {
        long n = stasis_real_syscall(SYS_read, f, (long)(buf + kept), (long)(sizeof buf - 1 - kept), 0, 0, 0);
        if (n <= 0)
            break;
        size_t used = kept + (size_t)n;
        buf[used] = 0;
        for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
            if (strncmp(line, want, (size_t)want_length) == 0)
                alive = 1;
        const char *last = memrchr(buf, '\n', used);
        kept = last ? used - (size_t)(last + 1 - buf) : 0;
        if (kept > 64)
            kept = 0; /* no line of ours is that long before the wd */
        memmove(buf, buf + used - kept, kept);
        if (alive)
            break;
    }
    stasis_real_syscall(SYS_close, f, 0, 0, 0, 0, 0);
    return alive;
}

/* The table is full: drop the watches the kernel no longer has. */
static void collect(void)
{
    struct inotify_state *s = &inotify_state;
    for (int i = 0; i < MAX_WATCHES; i++) {
        struct watch_entry *e = &s->watches[i];
        int ready = SLOT_READY;
        if (__atomic_load_n(&e->state, __ATOMIC_ACQUIRE) != SLOT_READY || watch_alive(e->fd, e->wd))
            continue;
        __atomic_compare_exchange_n(&e->state, &ready, SLOT_FREE, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    }
}

/* Kernel device numbers as fdinfo prints them (MKDEV: major << 20 | minor). */
static uint32_t kernel_dev(dev_t dev)
{
    return (uint32_t)(major(dev) << 20 | minor(dev));
}

static void remember(int fd, int wd, const char *path, uint32_t add_flags)
{
    struct inotify_state *s = &inotify_state;
    char cwd[PATH_CAP];
    size_t prefix = 0, length = strlen(path);
    if (path[0] != '/') {
        long n = stasis_real_syscall(SYS_getcwd, (long)cwd, sizeof cwd, 0, 0, 0, 0);
        if (n <= 0)
            return;
        prefix = strlen(cwd);
    }
    if (prefix + 1 + length >= PATH_CAP)
        return; /* too long to remember: the restart logs the watch as pathless */
    struct stat st;
    int nofollow = (add_flags & IN_DONT_FOLLOW) ? AT_SYMLINK_NOFOLLOW : 0;
    if (stasis_real_syscall(SYS_newfstatat, AT_FDCWD, (long)path, (long)&st, nofollow, 0, 0) < 0)
        return;
    /* the same watch added again (another mask): one entry per fd and wd */
    for (int i = 0; i < MAX_WATCHES; i++)
        if (__atomic_load_n(&s->watches[i].state, __ATOMIC_ACQUIRE) == SLOT_READY && s->watches[i].fd == fd &&
            s->watches[i].wd == wd)
            __atomic_store_n(&s->watches[i].state, SLOT_FREE, __ATOMIC_RELEASE);
    for (int i = 0, collected = 0; i < MAX_WATCHES; i++) {
        struct watch_entry *e = &s->watches[i];
        int expected = SLOT_FREE;
        if (!__atomic_compare_exchange_n(&e->state, &expected, SLOT_FILLING, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            if (i == MAX_WATCHES - 1 && !collected) {
                collect();
                collected = 1;
                i = -1;
            }
            continue;
        }
        e->fd = fd;
        e->wd = wd;
        e->add_flags = add_flags;
        e->ino = st.st_ino;
        e->sdev = kernel_dev(st.st_dev);
        if (prefix) {
            memcpy(e->path, cwd, prefix);
            e->path[prefix] = '/';
            memcpy(e->path + prefix + 1, path, length + 1);
        } else {
            memcpy(e->path, path, length + 1);
        }
        __atomic_store_n(&e->state, SLOT_READY, __ATOMIC_RELEASE);
        return;
    }
}

void files_inotify_moved(int inotify_fd, int wd, const char *path)
{
    struct inotify_state *s = &inotify_state;
    size_t length = strlen(path);
    if (length >= PATH_CAP)
        return;
    for (int i = 0; i < MAX_WATCHES; i++) {
        struct watch_entry *e = &s->watches[i];
        if (__atomic_load_n(&e->state, __ATOMIC_ACQUIRE) == SLOT_READY && e->fd == inotify_fd && e->wd == wd)
            memcpy(e->path, path, length + 1);
    }
}

EXPORT int inotify_init(void)
{
    int fd = ((int (*)(void))stasis_next_fn_cached(&inotify_state.init, "inotify_init"))();
    if (fd >= 0)
        forget_fd(fd);
    return fd;
}

EXPORT int inotify_init1(int flags)
{
    int fd = ((int (*)(int))stasis_next_fn_cached(&inotify_state.init1, "inotify_init1"))(flags);
    if (fd >= 0)
        forget_fd(fd);
    return fd;
}

EXPORT int inotify_add_watch(int fd, const char *path, uint32_t mask)
{
    int wd = ((int (*)(int, const char *, uint32_t))stasis_next_fn_cached(&inotify_state.add_watch, "inotify_add_watch"))(fd, path,
                                                                                                       mask);
    if (wd >= 0 && path) {
        int saved = errno;
        note_wd(fd, wd);
        remember(fd, wd, path, mask & (IN_DONT_FOLLOW | IN_ONLYDIR));
        errno = saved;
    }
    return wd;
}

EXPORT int inotify_rm_watch(int fd, int wd)
{
    int r = ((int (*)(int, int))stasis_next_fn_cached(&inotify_state.rm_watch, "inotify_rm_watch"))(fd, wd);
    if (r == 0) {
        struct inotify_state *s = &inotify_state;
        for (int i = 0; i < MAX_WATCHES; i++)
            if (__atomic_load_n(&s->watches[i].state, __ATOMIC_ACQUIRE) == SLOT_READY && s->watches[i].fd == fd &&
                s->watches[i].wd == wd)
                __atomic_store_n(&s->watches[i].state, SLOT_FREE, __ATOMIC_RELEASE);
    }
    return r;
}

int files_inotify_lookup(int inotify_fd, int wd, uint64_t ino, uint32_t sdev, char *path, size_t cap,
                         uint32_t *add_flags)
{
    const struct inotify_state *s = &inotify_state;
    const struct watch_entry *found = NULL;
    int best = 0;
    for (int i = 0; i < MAX_WATCHES; i++) {
        const struct watch_entry *e = &s->watches[i];
        if (e->state != SLOT_READY || e->wd != wd)
            continue;
        /* stat's device may not be the kernel's s_dev (btrfs subvolumes, overlayfs),
         * so the device only breaks ties; the descriptor or the inode must agree */
        int score = (e->fd == inotify_fd) * 4 + (e->ino == ino) * 2 + (e->sdev == sdev);
        if (score >= 2 && score > best) {
            best = score;
            found = e;
        }
    }
    if (!found || strlen(found->path) >= cap)
        return -ENOENT;
    strcpy(path, found->path);
    *add_flags = found->add_flags;
    return 0;
}

int files_inotify_highest_wd(int inotify_fd)
{
    const struct inotify_state *s = &inotify_state;
    for (int i = 0; i < MAX_INSTANCES; i++)
        if (s->instances[i].fd == inotify_fd)
            return s->instances[i].highest_wd;
    return 0;
}

/* ---- across exec ---- */

static int inherited(int fd)
{
    long flags = stasis_real_syscall(SYS_fcntl, fd, F_GETFD, 0, 0, 0, 0);
    return flags >= 0 && !(flags & FD_CLOEXEC);
}

/* "i FD HIGHEST " per instance, "w FD WD FLAGS INO SDEV LENGTH:PATH" per watch: a
 * path may hold any byte but NUL, so it is counted, not delimited. Whatever does
 * not fit is left out (those watches come back pathless: logged, skipped). */
int files_inotify_exec(void)
{
    struct inotify_state *s = &inotify_state;
    size_t used = 0;
    for (int i = 0; i < MAX_INSTANCES; i++) {
        int fd = s->instances[i].fd;
        if (fd <= 0 || !inherited(fd))
            continue;
        int n = snprintf(s->exec_text + used, sizeof s->exec_text - used, "i %d %d ", fd, s->instances[i].highest_wd);
        if (n < 0 || (size_t)n >= sizeof s->exec_text - used)
            break;
        used += (size_t)n;
    }
    for (int i = 0; i < MAX_WATCHES; i++) {
        const struct watch_entry *e = &s->watches[i];
        if (__atomic_load_n(&e->state, __ATOMIC_ACQUIRE) != SLOT_READY || !inherited(e->fd))
            continue;
        size_t length = strlen(e->path);
        int n = snprintf(s->exec_text + used, sizeof s->exec_text - used, "w %d %d %u %llu %u %zu:", e->fd, e->wd,
                         e->add_flags, (unsigned long long)e->ino, e->sdev, length);
        if (n < 0 || (size_t)n + length >= sizeof s->exec_text - used)
            break;
        memcpy(s->exec_text + used + (size_t)n, e->path, length);
        used += (size_t)n + length;
    }
    s->exec_text[used] = 0;
    return used ? stasis_exec_setenv(EXEC_VARIABLE, s->exec_text) : 0;
}

static unsigned long long number(const char **p)
{
    unsigned long long v = 0;
    while (**p == ' ')
        (*p)++;
    while (**p >= '0' && **p <= '9')
        v = v * 10 + (unsigned long long)(*(*p)++ - '0');
    return v;
}

/* What the program that exec'ed this one knew (its table is gone with its memory). */
__attribute__((constructor)) static void import_watches(void)
{
    struct inotify_state *s = &inotify_state;
    const char *p = stasis_getenv(EXEC_VARIABLE);
    int watches = 0;
    while (p && (*p == 'i' || *p == 'w')) {
        char type = *p++;
        int fd = (int)number(&p);
        if (type == 'i') {
            note_wd(fd, (int)number(&p));
            while (*p == ' ')
                p++;
            continue;
        }
        if (watches == MAX_WATCHES)
            return;
        struct watch_entry *e = &s->watches[watches];
        e->fd = fd;
        e->wd = (int)number(&p);
        e->add_flags = (uint32_t)number(&p);
        e->ino = number(&p);
        e->sdev = (uint32_t)number(&p);
        size_t length = (size_t)number(&p);
        if (*p != ':' || length >= PATH_CAP || strnlen(p + 1, length) != length)
            return; /* not what files_inotify_exec() writes: keep what was whole */
        memcpy(e->path, p + 1, length);
        e->path[length] = 0;
        e->state = SLOT_READY;
        watches++;
        p += 1 + length;
    }
}
