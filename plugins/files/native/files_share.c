/* Descriptors whose open file description several processes share (inherited
 * through fork): one process recreates it at restart, the others take that very
 * description from it, so a write by one is still read by the other (an eventfd's
 * count, a deleted file's offset, a memfd's pages).
 *
 * At WRITE, as the core does for files (native/core/fds.c), the description is
 * named by the topmost ancestor holding it and running this fragment, and its
 * number there, found with kcmp: that ancestor is the leader, every process sharing
 * the description finds the same one (they all got it by inheritance from it). A
 * leader that no child shares with is no leader: pid 0, not shared.
 * At RESTART the leader recreates the descriptor and publishes where it is now
 * ("files:share:PID:FD" → "PID FD"); the others copy the descriptor with
 * pidfd_getfd(), which needs the right to ptrace the leader (same user; with
 * Yama's ptrace_scope 1, a child may not take from its parent). What a process
 * does when that fails or no leader shows up is its kind's to say (files_share.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stasis/services.h>
#include <stdio.h> /* snprintf only */
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "files_share.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

#define MAX_DEPTH 64
#define MAX_TASKS 256
#define WAIT_MS 20000
#define POLL_MS 10

static struct share_state {
    char text[4096];            /* /proc/PID/stat, a thread's children, a piece of /proc/PID/maps */
} share_state;

static long parent_of(long pid)
{
    struct share_state *s = &share_state;
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    long f = files_sys(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (f < 0)
        return -1;
    long n = files_sys(SYS_read, f, (long)s->text, sizeof s->text - 1, 0, 0, 0);
    files_sys(SYS_close, f, 0, 0, 0, 0, 0);
    if (n <= 0)
        return -1;
    s->text[n] = 0;
    const char *p = strrchr(s->text, ')'); /* the command name may hold anything but ends there */
    if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
        return -1;
    long ppid = 0;
    for (p += 4; *p >= '0' && *p <= '9'; p++) /* ") S " */
        ppid = ppid * 10 + (*p - '0');
    return ppid;
}

struct search {
    long self, other;
    int fd;
    const struct stat *st;
    int found;  /* the number in `other`, or -1 */
};

static int same_description(long n, int listing, void *arg)
{
    struct search *s = arg;
    char entry[64];
    struct stat o;
    snprintf(entry, sizeof entry, "/proc/%ld/fd/%ld", s->other, n);
    if (files_sys(SYS_newfstatat, AT_FDCWD, (long)entry, (long)&o, 0, 0, 0) != 0 || o.st_ino != s->st->st_ino ||
        o.st_dev != s->st->st_dev || files_sys(SYS_kcmp, s->self, s->other, KCMP_FILE, s->fd, n, 0) != 0)
        return 0;
    s->found = (int)n;
    return 1;
}

/* fd's description in process `other`: its number there, or -1. */
static int held_by(long self, long other, int fd, const struct stat *st)
{
    char dir[64];
    struct search s = {self, other, fd, st, -1};
    snprintf(dir, sizeof dir, "/proc/%ld/fd", other);
    files_proc_each(dir, same_description, &s);
    return s.found;
}

struct tasks {
    long ids[MAX_TASKS];
    int count;
};

static int note_task(long n, int listing, void *arg)
{
    struct tasks *t = arg;
    if (n > 0 && t->count < MAX_TASKS)
        t->ids[t->count++] = n;
    return 0;
}

/* The threads of this process, then the children of each: does one hold it? A
 * kernel without /proc/PID/task/TID/children cannot tell: then yes, since a
 * leader that publishes for nobody costs a message, and one that does not costs
 * the others their sharing. */
static int child_holds(long self, int fd, const struct stat *st)
{
    struct share_state *s = &share_state;
    char path[96];
    struct tasks tasks = {.count = 0};
    snprintf(path, sizeof path, "/proc/%ld/task", self);
    if (files_proc_each(path, note_task, &tasks) < 0)
        return 0;
    for (int t = 0; t < tasks.count; t++) {
        snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", self, tasks.ids[t]);
        long f = files_sys(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
        if (f == -ENOENT && t == 0)
            return 1;
        if (f < 0)
            continue;
        long n = files_sys(SYS_read, f, (long)s->text, sizeof s->text - 1, 0, 0, 0);
        files_sys(SYS_close, f, 0, 0, 0, 0, 0);
        s->text[n > 0 ? n : 0] = 0;
        for (const char *p = s->text; *p;) {
            long child = 0;
            while (*p >= '0' && *p <= '9')
                child = child * 10 + (*p++ - '0');
            while (*p == ' ' || *p == '\n')
                p++;
            if (child <= 0)
                break;
            if (held_by(self, child, fd, st) >= 0)
                return 1;
        }
    }
    return 0;
}

/* Does process `pid` run this fragment, so that it will recreate and publish at
 * restart? An ancestor outside the computation holding the description too must
 * not be waited for. Its maps are read in chunks, a cut line carried over. */
static int runs_fragment(long pid)
{
    static const char name[] = "/libstasis_files.so";
    struct share_state *s = &share_state;
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/maps", pid);
    long f = files_sys(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (f < 0)
        return 0;
    size_t kept = 0;
    int found = 0;
    char *buf = s->text;
    while (!found) {
        long n = files_sys(SYS_read, f, (long)(buf + kept), (long)(sizeof s->text - 1 - kept), 0, 0, 0);
        if (n <= 0)
            break;
        size_t used = kept + (size_t)n;
        buf[used] = 0;
        found = strstr(buf, name) != NULL;
        kept = used < sizeof name ? used : sizeof name - 1;
        memmove(buf, buf + used - kept, kept);
    }
    files_sys(SYS_close, f, 0, 0, 0, 0, 0);
    return found;
}

/* The walk stops at the first ancestor that does not run this fragment, holding
 * the description or not: the shell or launcher the computation was started from,
 * or a program that runs without the files plugin, never publishes. Were it the
 * leader, every process of the computation sharing the description would wait for
 * it in vain and keep a copy of its own, shared with none of the others; the
 * topmost holder that runs the fragment recreates it and shares it with them. */
void files_share_identify(int fd, const struct stat *st, struct files_share *out)
{
    long self = files_sys(SYS_getpid, 0, 0, 0, 0, 0, 0), holder = self;
    int holder_fd = fd;
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
        long up = parent_of(holder);
        if (up <= 1)
            break;
        int there = held_by(self, up, fd, st);
        if (there < 0 || !runs_fragment(up))
            break;
        holder = up;
        holder_fd = there;
    }
    memset(out, 0, sizeof *out);
    if (holder == self && !child_holds(self, fd, st))
        return;
    out->pid = (int32_t)holder;
    out->fd = holder_fd;
    out->flags = holder == self ? FILES_SHARE_LEADER : 0;
}

static void key_of(const struct files_share *share, char *key, size_t cap)
{
    snprintf(key, cap, "files:share:%d:%d", (int)share->pid, (int)share->fd);
}

void files_share_publish(const struct files_share *share, int fd)
{
    if (!share->pid || !(share->flags & FILES_SHARE_LEADER))
        return;
    char key[64], value[64];
    key_of(share, key, sizeof key);
    int n = snprintf(value, sizeof value, "%ld %d", files_sys(SYS_getpid, 0, 0, 0, 0, 0, 0), fd);
    int r = stasis_publish(key, value, (size_t)n);
    if (r < 0)
        files_log("descriptor %d: cannot offer it to the processes sharing it (%s)", fd, stasis_strerror(r));
}

/* Descriptor `theirs` of process `pid`, as `how` allows; *denied when the kernel
 * refused us the right to take it. */
static long take_from(long pid, long theirs, const struct files_share_how *how, int *denied)
{
    long pidfd = files_sys(SYS_pidfd_open, pid, 0, 0, 0, 0, 0);
    long got = pidfd < 0 ? pidfd : files_sys(SYS_pidfd_getfd, pidfd, theirs, 0, 0, 0, 0);
    if (pidfd >= 0)
        files_sys(SYS_close, pidfd, 0, 0, 0, 0, 0);
    if (got >= 0 && how->link && !files_fd_link_is((int)got, how->link)) {
        files_sys(SYS_close, got, 0, 0, 0, 0, 0);
        got = -EBADF;
    }
    *denied = got == -EPERM;
    if (got < 0 && how->reopen_flags >= 0) {
        /* no right to take it: the same file through /proc, offset no longer shared */
        char path[64];
        snprintf(path, sizeof path, "/proc/%ld/fd/%ld", pid, theirs);
        got = files_sys(SYS_openat, AT_FDCWD, (long)path, how->reopen_flags, 0, 0, 0);
        if (got >= 0)
            files_sys(SYS_lseek, got, (long)how->reopen_offset, SEEK_SET, 0, 0, 0);
    }
    return got;
}

long files_share_take(const struct files_share *share, const struct files_share_how *how, long *leader)
{
    char key[64], value[64];
    key_of(share, key, sizeof key);
    const struct timespec pause = {0, POLL_MS * 1000000L};
    *leader = 0;
    for (int waited = 0;; waited += POLL_MS) {
        long got, n = stasis_lookup(key, value, sizeof value - 1);
        int denied = 0;
        if (n > 0 && n < (long)sizeof value) {
            value[n] = 0;
            long pid = 0, theirs = 0;
            const char *p = value;
            while (*p >= '0' && *p <= '9')
                pid = pid * 10 + (*p++ - '0');
            while (*p == ' ')
                p++;
            while (*p >= '0' && *p <= '9')
                theirs = theirs * 10 + (*p++ - '0');
            *leader = pid;
            got = take_from(pid, theirs, how, &denied);
            if (got >= 0)
                return got;
        } else if (n == -ENOENT) {
            got = n; /* not published (yet) */
        } else {
            return n < 0 ? n : -EMSGSIZE; /* no name service, or not a value a leader gives */
        }
        /* not allowed to take from the leader: waiting changes nothing */
        if (!how->wait || denied || waited + POLL_MS >= WAIT_MS)
            return got;
        files_sys(SYS_nanosleep, (long)&pause, 0, 0, 0, 0, 0);
    }
}
