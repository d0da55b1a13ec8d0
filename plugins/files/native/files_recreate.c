/* What recreating a deleted file or a memfd takes on both sides: at WRITE, a
 * descriptor its contents can be read from; at RESTART, writing them back and
 * putting the new file at its numbers, opened the way the original was; at
 * REFILL, taking the leader's instead when other processes shared it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* snprintf only */
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "files_regular.h"
#include "files_share.h"

static struct recreate_state {
    char proc_path[64];
} recreate_state;

long files_readable(const struct files_fd *d)
{
    struct recreate_state *s = &recreate_state;
    if ((d->open_flags & O_ACCMODE) != O_WRONLY)
        return d->fd;
    /* pread needs a readable descriptor: the same file through /proc */
    snprintf(s->proc_path, sizeof s->proc_path, "/proc/self/fd/%d", d->fd);
    return files_sys(SYS_openat, AT_FDCWD, (long)s->proc_path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
}

void files_done_reading(const struct files_fd *d, long readable)
{
    if (readable >= 0 && readable != d->fd)
        files_sys(SYS_close, readable, 0, 0, 0, 0, 0);
}

int files_write_all(int fd, const unsigned char *data, uint64_t length)
{
    for (uint64_t done = 0; done < length;) {
        uint64_t want = length - done > (1u << 30) ? (1u << 30) : length - done;
        long n = files_sys(SYS_pwrite64, fd, (long)(data + done), (long)want, (long)done, 0, 0);
        if (n < 0)
            return (int)n;
        if (n == 0)
            return -EIO;
        done += (uint64_t)n;
    }
    return 0;
}

/* The flags a descriptor can be reopened with: its access mode and status flags. */
long files_reopen_flags(uint32_t open_flags)
{
    return (long)(open_flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_SYNC | O_DSYNC | O_LARGEFILE)) | O_CLOEXEC;
}

/* `target` dup'ed at every alias. */
static long put_at_aliases(long target, const int32_t *aliases, uint32_t alias_count)
{
    long r = 0;
    for (uint32_t i = 0; r >= 0 && i < alias_count; i++) {
        int32_t alias;
        memcpy(&alias, aliases + i, sizeof alias);
        long copy = files_sys(SYS_fcntl, target, F_DUPFD_CLOEXEC, 0, 0, 0, 0);
        r = copy < 0 ? copy : files_install((int)copy, alias);
    }
    return r;
}

int files_install_as(int rw, int fd, uint32_t open_flags, uint64_t offset, const int32_t *aliases,
                     uint32_t alias_count, const char *what)
{
    struct recreate_state *s = &recreate_state;
    long target = rw;
    if ((open_flags & O_ACCMODE) != O_RDWR || (open_flags & (O_APPEND | O_NONBLOCK | O_SYNC | O_DSYNC))) {
        snprintf(s->proc_path, sizeof s->proc_path, "/proc/self/fd/%d", rw);
        target = files_sys(SYS_openat, AT_FDCWD, (long)s->proc_path, files_reopen_flags(open_flags), 0, 0, 0);
        files_sys(SYS_close, rw, 0, 0, 0, 0, 0);
        if (target < 0) {
            files_log("%s (descriptor %d): cannot reopen it with its flags (%s)", what, fd, stasis_strerror(target));
            return (int)target;
        }
    }
    long r = files_sys(SYS_lseek, target, (long)offset, SEEK_SET, 0, 0, 0);
    if (r >= 0)
        r = put_at_aliases(target, aliases, alias_count);
    if (r < 0) {
        files_sys(SYS_close, target, 0, 0, 0, 0, 0);
        files_log("%s (descriptor %d): cannot put it back (%s)", what, fd, stasis_strerror(r));
        return (int)r;
    }
    r = files_install((int)target, fd);
    if (r < 0)
        files_log("%s (descriptor %d): cannot put it back (%s)", what, fd, stasis_strerror(r));
    return (int)r;
}

/* Another description of a file restored earlier at number `first`. */
long files_reopen_restored(int first, int fd, const char *what)
{
    struct recreate_state *s = &recreate_state;
    snprintf(s->proc_path, sizeof s->proc_path, "/proc/self/fd/%d", first);
    long rw = files_sys(SYS_openat, AT_FDCWD, (long)s->proc_path, O_RDWR | O_CLOEXEC, 0, 0, 0);
    if (rw < 0)
        files_log("%s (descriptor %d): cannot open it again through descriptor %d (%s)", what, fd, first,
                  stasis_strerror(rw));
    return rw;
}

/* REFILL, in a process sharing a description with its leader: take the leader's
 * (the same open file description, else the same file) in place of the copy made
 * at RESTART, mappings included. Without it, the copy stays: logged, not fatal. */
int files_adopt_shared(int fd, const struct files_share *share, uint32_t open_flags, uint64_t offset,
                       const int32_t *aliases, uint32_t alias_count, const struct files_memfd_map *maps,
                       uint32_t map_count, const char *what)
{
    if (!share->pid || (share->flags & FILES_SHARE_LEADER))
        return 0;
    const struct files_share_how how = {
        .wait = 0, .link = NULL, .reopen_flags = files_reopen_flags(open_flags), .reopen_offset = offset,
    };
    long pid, got = files_share_take(share, &how, &pid);
    if (got < 0 && !pid) {
        files_log("%s (descriptor %d): the process it was shared with did not say where it is (%s); "
                  "this process keeps its own copy", what, fd, stasis_strerror(got));
        return 0;
    }
    if (got < 0) {
        files_log("%s (descriptor %d): cannot reach the copy of process %ld (%s); this process keeps its own",
                  what, fd, pid, stasis_strerror(got));
        return 0;
    }
    long r = 0;
    for (uint32_t i = 0; r >= 0 && i < map_count; i++)
        if (maps[i].flags & FILES_MAP_SHARED) {
            long m = files_sys(SYS_mmap, (long)maps[i].start, (long)(maps[i].end - maps[i].start), (long)maps[i].prot,
                               MAP_SHARED | MAP_FIXED, got, (long)maps[i].file_offset);
            r = m < 0 ? m : 0;
        }
    if (r >= 0)
        r = put_at_aliases(got, aliases, alias_count);
    if (r >= 0)
        return files_install((int)got, fd);
    files_sys(SYS_close, got, 0, 0, 0, 0, 0);
    files_log("%s (descriptor %d): cannot share it with process %ld again (%s)", what, fd, pid, stasis_strerror(r));
    return (int)r;
}
