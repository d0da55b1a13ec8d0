/* Event descriptors that several processes hold as one open file description
 * (inherited through fork): one process recreates it at restart, the others take
 * that very description from it, so a write by one is still read by the other.
 *
 * At WRITE, as the core does for files (native/core/fds.c), the description is
 * named by the topmost ancestor holding it and running this fragment, and its
 * number there, found with kcmp: that ancestor is the owner, the others users. An
 * owner that no child shares with is no owner. At RESTART the owner recreates the descriptor and publishes where
 * it is now ("files:event:PID:FD" → "PID FD"); a user waits for that and copies
 * the descriptor with pidfd_getfd(), which needs the right to ptrace the owner
 * (same user; with Yama's ptrace_scope 1, a child may not take from its parent):
 * when that fails or no owner shows up, the user makes a copy of its own, as if
 * it were not shared, and says so. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stasis/plugin.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "files.h"
#include "files_event.h"

#define MAX_DEPTH 64
#define WAIT_MS 20000
#define POLL_MS 10

static struct event_share_state {
    char listing[4096];
    char children[4096];
} event_share_state;

/* Each entry of a /proc directory that is a number, until `visit` says stop (1). */
static int each_number(const char *dir, int (*visit)(long n, void *arg), void *arg)
{
    long d = files_sys(SYS_openat, AT_FDCWD, (long)dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0, 0);
    if (d < 0)
        return (int)d;
    int stop = 0;
    while (!stop) {
        long got = files_sys(SYS_getdents64, d, (long)event_share_state.listing, sizeof event_share_state.listing, 0, 0, 0);
        if (got <= 0)
            break;
        for (long off = 0; off < got && !stop;) {
            const char *name = event_share_state.listing + off + 19; /* struct linux_dirent64 */
            unsigned short reclen;
            memcpy(&reclen, event_share_state.listing + off + 16, sizeof reclen);
            off += reclen;
            if (name[0] < '0' || name[0] > '9')
                continue;
            long n = 0;
            for (const char *p = name; *p >= '0' && *p <= '9'; p++)
                n = n * 10 + (*p - '0');
            stop = visit(n, arg);
        }
    }
    files_sys(SYS_close, d, 0, 0, 0, 0, 0);
    return stop;
}

static long parent_of(long pid)
{
    char path[64], stat[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    long f = files_sys(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (f < 0)
        return -1;
    long n = files_sys(SYS_read, f, (long)stat, sizeof stat - 1, 0, 0, 0);
    files_sys(SYS_close, f, 0, 0, 0, 0, 0);
    if (n <= 0)
        return -1;
    stat[n] = 0;
    const char *p = strrchr(stat, ')'); /* the name may hold anything: fields start after its last ')' */
    if (!p || strlen(p) < 5)
        return -1;
    p += 4; /* ") S " */
    long ppid = 0;
    while (*p >= '0' && *p <= '9')
        ppid = ppid * 10 + (*p++ - '0');
    return ppid;
}

struct search {
    long self, other;
    int fd;
    int found;  /* the number in `other`, or -1 */
};

static int same_file(long n, void *arg)
{
    struct search *s = arg;
    if (files_sys(SYS_kcmp, s->self, s->other, KCMP_FILE, s->fd, n, 0) != 0)
        return 0;
    s->found = (int)n;
    return 1;
}

static int held_by(long self, long other, int fd)
{
    char dir[64];
    struct search s = {self, other, fd, -1};
    snprintf(dir, sizeof dir, "/proc/%ld/fd", other);
    each_number(dir, same_file, &s);
    return s.found;
}

/* The threads of this process, then the children of each: does one hold it? */
static int child_holds(long self, int fd)
{
    char path[96];
    long tids[256];
    int ntids = 0;
    snprintf(path, sizeof path, "/proc/%ld/task", self);
    long d = files_sys(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0, 0);
    if (d < 0)
        return 0;
    for (;;) {
        long got = files_sys(SYS_getdents64, d, (long)event_share_state.listing, sizeof event_share_state.listing, 0, 0, 0);
        if (got <= 0)
            break;
        for (long off = 0; off < got;) {
            const char *name = event_share_state.listing + off + 19;
            unsigned short reclen;
            memcpy(&reclen, event_share_state.listing + off + 16, sizeof reclen);
            off += reclen;
            long n = 0;
            for (const char *p = name; *p >= '0' && *p <= '9'; p++)
                n = n * 10 + (*p - '0');
            if (n > 0 && ntids < 256)
                tids[ntids++] = n;
        }
    }
    files_sys(SYS_close, d, 0, 0, 0, 0, 0);
    for (int t = 0; t < ntids; t++) {
        snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", self, tids[t]);
        long f = files_sys(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
        if (f < 0)
            continue;
        long n = files_sys(SYS_read, f, (long)event_share_state.children, sizeof event_share_state.children - 1, 0, 0, 0);
        files_sys(SYS_close, f, 0, 0, 0, 0, 0);
        event_share_state.children[n > 0 ? n : 0] = 0;
        for (const char *p = event_share_state.children; *p;) {
            long child = 0;
            while (*p >= '0' && *p <= '9')
                child = child * 10 + (*p++ - '0');
            while (*p == ' ' || *p == '\n')
                p++;
            if (child <= 0)
                break;
            if (held_by(self, child, fd) >= 0)
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
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/maps", pid);
    long f = files_sys(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (f < 0)
        return 0;
    size_t kept = 0;
    int found = 0;
    char *buf = event_share_state.children;
    while (!found) {
        long n = files_sys(SYS_read, f, (long)(buf + kept), (long)(sizeof event_share_state.children - 1 - kept), 0, 0, 0);
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

void files_event_share_write(int fd, struct files_event_head *h)
{
    long self = files_sys(SYS_getpid, 0, 0, 0, 0, 0, 0), holder = self;
    int holder_fd = fd;
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
        long up = parent_of(holder);
        if (up <= 1)
            break;
        int there = held_by(self, up, fd);
        if (there < 0 || !runs_fragment(up))
            break;
        holder = up;
        holder_fd = there;
    }
    if (holder != self) {
        h->share_role = FILES_EVENT_SHARE_USER;
    } else if (child_holds(self, fd)) {
        h->share_role = FILES_EVENT_SHARE_OWNER;
    } else {
        h->share_role = FILES_EVENT_SHARE_NONE;
        return;
    }
    h->share_pid = (int32_t)holder;
    h->share_fd = holder_fd;
}

static void key_of(const struct files_event_head *h, char *key, size_t cap)
{
    snprintf(key, cap, "files:event:%d:%d", h->share_pid, h->share_fd);
}

void files_event_share_publish(int fd, const struct files_event_head *h)
{
    if (h->share_role != FILES_EVENT_SHARE_OWNER)
        return;
    char key[64], value[64];
    key_of(h, key, sizeof key);
    int n = snprintf(value, sizeof value, "%ld %d", files_sys(SYS_getpid, 0, 0, 0, 0, 0, 0), fd);
    int r = stasis_publish(key, value, (size_t)n);
    if (r < 0)
        files_log("descriptor %d: cannot offer it to the processes sharing it (error %d)", fd, -r);
}

static int is_kind(int fd, const char *link)
{
    char path[64], got[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    long n = files_sys(SYS_readlinkat, AT_FDCWD, (long)path, (long)got, sizeof got - 1, 0, 0);
    if (n <= 0)
        return 0;
    got[n] = 0;
    return strcmp(got, link) == 0;
}

int files_event_share_take(int fd, const struct files_event_head *h, const char *link)
{
    if (h->share_role != FILES_EVENT_SHARE_USER)
        return STASIS_NOT_MINE;
    char key[64], value[64];
    key_of(h, key, sizeof key);
    const struct timespec pause = {0, POLL_MS * 1000000L};
    long error = -ENOENT;
    for (int waited = 0; waited < WAIT_MS; waited += POLL_MS) {
        long n = stasis_lookup(key, value, sizeof value - 1);
        if (n > 0 && n < (long)sizeof value) {
            value[n] = 0;
            long pid = 0;
            int owner_fd = 0;
            const char *p = value;
            while (*p >= '0' && *p <= '9')
                pid = pid * 10 + (*p++ - '0');
            while (*p == ' ')
                p++;
            while (*p >= '0' && *p <= '9')
                owner_fd = owner_fd * 10 + (*p++ - '0');
            long pidfd = files_sys(SYS_pidfd_open, pid, 0, 0, 0, 0, 0);
            long got = pidfd < 0 ? pidfd : files_sys(SYS_pidfd_getfd, pidfd, owner_fd, 0, 0, 0, 0);
            if (pidfd >= 0)
                files_sys(SYS_close, pidfd, 0, 0, 0, 0, 0);
            if (got >= 0 && is_kind((int)got, link))
                return files_install((int)got, fd);
            if (got >= 0)
                files_sys(SYS_close, got, 0, 0, 0, 0, 0);
            error = got < 0 ? got : -EBADF;
            if (error == -EPERM)
                break; /* not allowed to take from the owner: waiting changes nothing */
        } else if (n < 0 && n != -ENOENT) {
            error = n;
            break; /* no name service */
        }
        files_sys(SYS_nanosleep, (long)&pause, 0, 0, 0, 0, 0);
    }
    files_log("descriptor %d: shared with fd %d of process %d before, now a copy of its own (error %ld)", fd,
              h->share_fd, h->share_pid, -error);
    return 1;
}
