/* What recreating a deleted file or a memfd takes on both sides: at WRITE, a
 * descriptor its contents can be read from; at RESTART, writing them back and
 * putting the new file at its numbers, opened the way the original was. */
#include <errno.h>
#include <fcntl.h>
#include <stasis/plugin.h>
#include <stdio.h> /* snprintf only */
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "files_regular.h"

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
            files_log("%s (descriptor %d): cannot reopen it with its flags (error %ld)", what, fd, -target);
            return (int)target;
        }
    }
    long r = files_sys(SYS_lseek, target, (long)offset, SEEK_SET, 0, 0, 0);
    for (uint32_t i = 0; r >= 0 && i < alias_count; i++) {
        int32_t alias;
        memcpy(&alias, aliases + i, sizeof alias);
        long copy = files_sys(SYS_fcntl, target, F_DUPFD_CLOEXEC, 0, 0, 0, 0);
        r = copy < 0 ? copy : files_install((int)copy, alias);
    }
    if (r < 0) {
        files_sys(SYS_close, target, 0, 0, 0, 0, 0);
        files_log("%s (descriptor %d): cannot put it back (error %ld)", what, fd, -r);
        return (int)r;
    }
    r = files_install((int)target, fd);
    if (r < 0)
        files_log("%s (descriptor %d): cannot put it back (error %ld)", what, fd, -r);
    return (int)r;
}

/* Another description of a file restored earlier at number `first`. */
long files_reopen_restored(int first, int fd, const char *what)
{
    struct recreate_state *s = &recreate_state;
    snprintf(s->proc_path, sizeof s->proc_path, "/proc/self/fd/%d", first);
    long rw = files_sys(SYS_openat, AT_FDCWD, (long)s->proc_path, O_RDWR | O_CLOEXEC, 0, 0, 0);
    if (rw < 0)
        files_log("%s (descriptor %d): cannot open it again through descriptor %d (error %ld)", what, fd, first, -rw);
    return rw;
}

