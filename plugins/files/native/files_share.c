/* Deleted files and memfds whose open file description several processes share
 * (inherited across fork). At WRITE each names it as the core names shared
 * descriptions (fds.c): by the topmost ancestor holding it and its number there.
 * At RESTART that process, the leader, recreates it and publishes where it is;
 * at REFILL the others take the very same description from it. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stasis/plugin.h>
#include <stdio.h> /* snprintf only */
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "files_regular.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

static struct share_state {
    char text[1024];            /* /proc/PID/stat */
    char dents[4096];           /* /proc/PID/fd, a piece at a time */
    char proc_path[64];
} share_state;

static long parent_of(long pid)
{
    struct share_state *s = &share_state;
    snprintf(s->proc_path, sizeof s->proc_path, "/proc/%ld/stat", pid);
    long fd = files_sys(SYS_openat, AT_FDCWD, (long)s->proc_path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (fd < 0)
        return -1;
    long n = files_sys(SYS_read, fd, (long)s->text, sizeof s->text - 1, 0, 0, 0);
    files_sys(SYS_close, fd, 0, 0, 0, 0, 0);
    if (n <= 0)
        return -1;
    s->text[n] = 0;
    const char *p = strrchr(s->text, ')'); /* the command name may hold anything but ends there */
    if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
        return -1;
    long ppid = 0;
    for (p += 4; *p >= '0' && *p <= '9'; p++)
        ppid = ppid * 10 + (*p - '0');
    return ppid;
}

/* fd's description in process `holder`: its number there, or -1. */
static int number_in(long self, long holder, int fd, const struct stat *st)
{
    struct share_state *s = &share_state;
    char dir_path[64], entry[96];
    snprintf(dir_path, sizeof dir_path, "/proc/%ld/fd", holder);
    long dir = files_sys(SYS_openat, AT_FDCWD, (long)dir_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0, 0);
    if (dir < 0)
        return -1;
    int found = -1;
    char *buf = s->dents;
    for (long n; found < 0 && (n = files_sys(SYS_getdents64, dir, (long)buf, sizeof s->dents, 0, 0, 0)) > 0;) {
        for (long off = 0; off < n && found < 0;) {
            const char *name = buf + off + 19;
            unsigned short reclen;
            memcpy(&reclen, buf + off + 16, sizeof reclen);
            off += reclen;
            if (name[0] < '0' || name[0] > '9')
                continue;
            int other = 0;
            for (const char *p = name; *p >= '0' && *p <= '9'; p++)
                other = other * 10 + (*p - '0');
            struct stat o;
            snprintf(entry, sizeof entry, "%s/%d", dir_path, other);
            if (files_sys(SYS_newfstatat, AT_FDCWD, (long)entry, (long)&o, 0, 0, 0) == 0 && o.st_ino == st->st_ino &&
                o.st_dev == st->st_dev && files_sys(SYS_kcmp, self, holder, KCMP_FILE, fd, other, 0) == 0)
                found = other;
        }
    }
    files_sys(SYS_close, dir, 0, 0, 0, 0, 0);
    return found;
}

/* The topmost ancestor holding fd's description, as the core names shared
 * descriptions (fds.c): every process sharing it finds the same one. */
void files_find_share(int fd, const struct stat *st, struct files_share *out)
{
    long self = files_sys(SYS_getpid, 0, 0, 0, 0, 0, 0), holder = self;
    int holder_fd = fd;
    for (int depth = 0; depth < 64; depth++) {
        long up = parent_of(holder);
        if (up <= 1)
            break;
        int found = number_in(self, up, fd, st);
        if (found < 0)
            break;
        holder = up;
        holder_fd = found;
    }
    memset(out, 0, sizeof *out);
    out->pid = (int32_t)holder;
    out->fd = holder_fd;
    out->flags = holder == self ? FILES_SHARE_LEADER : 0;
}

static void share_key(const struct files_share *share, char *key, size_t cap)
{
    snprintf(key, cap, "files:share:%d:%d", (int)share->pid, (int)share->fd);
}

/* RESTART, in the leader of a shared description: where the others find it. */
void files_publish_if_leader(const struct files_share *share, int fd)
{
    if (!share->pid || !(share->flags & FILES_SHARE_LEADER))
        return;
    char key[64], value[64];
    share_key(share, key, sizeof key);
    int n = snprintf(value, sizeof value, "%ld %d", files_sys(SYS_getpid, 0, 0, 0, 0, 0, 0), fd);
    /* a failure is for the others to report (they wait for it at REFILL); most
     * leaders share with nobody */
    (void)stasis_publish(key, value, (size_t)n);
}

/* REFILL, in a process sharing a description with its leader: take the leader's
 * (the same open file description, else the same file) in place of the copy made
 * at RESTART, mappings included. Without it, the copy stays: logged, not fatal. */
int files_adopt_shared(int fd, const struct files_share *share, uint32_t open_flags, uint64_t offset,
                       const int32_t *aliases, uint32_t alias_count, const struct files_memfd_map *maps,
                       uint32_t map_count, const char *what)
{
    struct share_state *s = &share_state;
    char key[64], value[64];
    share_key(share, key, sizeof key);
    long n = stasis_lookup(key, value, sizeof value - 1);
    if (n < 0 || n >= (long)sizeof value) {
        files_log("%s (descriptor %d): the process it was shared with did not say where it is (error %ld); "
                  "this process keeps its own copy", what, fd, n < 0 ? -n : EMSGSIZE);
        return 0;
    }
    value[n] = 0;
    long pid = 0, theirs = 0;
    const char *p = value;
    for (; *p >= '0' && *p <= '9'; p++)
        pid = pid * 10 + (*p - '0');
    for (p += *p == ' '; *p >= '0' && *p <= '9'; p++)
        theirs = theirs * 10 + (*p - '0');
    long got = -1, pidfd = files_sys(SYS_pidfd_open, pid, 0, 0, 0, 0, 0);
    if (pidfd >= 0) {
        got = files_sys(SYS_pidfd_getfd, pidfd, theirs, 0, 0, 0, 0);
        files_sys(SYS_close, pidfd, 0, 0, 0, 0, 0);
    }
    if (got < 0) { /* no right to take it: the same file through /proc, offset no longer shared */
        snprintf(s->proc_path, sizeof s->proc_path, "/proc/%ld/fd/%ld", pid, theirs);
        got = files_sys(SYS_openat, AT_FDCWD, (long)s->proc_path, files_reopen_flags(open_flags), 0, 0, 0);
        if (got >= 0)
            files_sys(SYS_lseek, got, (long)offset, SEEK_SET, 0, 0, 0);
    }
    if (got < 0) {
        files_log("%s (descriptor %d): cannot reach the copy of process %ld (error %ld); this process keeps its own",
                  what, fd, pid, -got);
        return 0;
    }
    long r = 0;
    for (uint32_t i = 0; r >= 0 && i < map_count; i++)
        if (maps[i].flags & FILES_MAP_SHARED) {
            long m = files_sys(SYS_mmap, (long)maps[i].start, (long)(maps[i].end - maps[i].start), (long)maps[i].prot,
                               MAP_SHARED | MAP_FIXED, got, (long)maps[i].file_offset);
            r = m < 0 ? m : 0;
        }
    for (uint32_t i = 0; r >= 0 && i < alias_count; i++) {
        int32_t alias;
        memcpy(&alias, aliases + i, sizeof alias);
        long copy = files_sys(SYS_fcntl, got, F_DUPFD_CLOEXEC, 0, 0, 0, 0);
        r = copy < 0 ? copy : files_install((int)copy, alias);
    }
    if (r >= 0)
        return files_install((int)got, fd);
    files_sys(SYS_close, got, 0, 0, 0, 0, 0);
    files_log("%s (descriptor %d): cannot share it with process %ld again (error %ld)", what, fd, pid, -r);
    return (int)r;
}

