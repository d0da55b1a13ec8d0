/* Deleted regular files (their /proc/self/fd link ends in " (deleted)"): no path
 * for the core to reopen, so their contents go into the image (UNLINKED) and come
 * back as an unlinked file in the same directory. */
#include <errno.h>
#include <fcntl.h>
#include <stasis/services.h>
#include <stdio.h> /* snprintf only */
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "files_regular.h"
#include "files_share.h"

static struct unlinked_state {
    unsigned char head[sizeof(struct files_unlinked_head) + sizeof(int32_t) * FILES_MAX_ALIASES + 4096];
    char dir[4096];
    char moved[4096];       /* dir after stasis restart --path-map */
    char name[4096 + 64];
    char what[4200];
} unlinked_state;

static void put(unsigned char **at, const void *data, size_t length)
{
    memcpy(*at, data, length);
    *at += length;
}

int files_unlinked_write(const struct files_fd *d, const struct files_description *desc)
{
    struct unlinked_state *s = &unlinked_state;
    size_t path_length = strlen(d->link) - strlen(FILES_DELETED);
    struct files_unlinked_head h = {
        .offset = d->offset, .size = (uint64_t)d->st.st_size, .open_flags = d->open_flags,
        .mode = d->st.st_mode, .path_length = (uint32_t)path_length, .alias_count = desc->alias_count,
        .same_file_as = desc->same_file_as,
    };
    if (h.same_file_as >= 0)
        h.size = 0; /* the other description's record holds the contents */
    else
        files_share_identify(d->fd, &d->st, &h.share);
    unsigned char *at = s->head;
    put(&at, &h, sizeof h);
    put(&at, desc->aliases, sizeof(int32_t) * (size_t)desc->alias_count);
    put(&at, d->link, path_length);
    long readable = h.size ? files_readable(d) : d->fd;
    if (readable < 0) {
        files_log("deleted file %.*s (descriptor %d): cannot read it (%s)", (int)path_length, d->link, d->fd,
                  stasis_strerror(readable));
        return (int)readable;
    }
    int r = files_emit(FILES_REC_UNLINKED, d->fd, s->head, (size_t)(at - s->head), (int)readable, h.size);
    files_done_reading(d, readable);
    if (r == -ENOSPC)
        files_log("deleted file %.*s: its %llu bytes do not fit in the image's files section", (int)path_length,
                  d->link, (unsigned long long)h.size);
    return r;
}

/* An unlinked file in `dir`: O_TMPFILE, else a unique name removed at once. */
static long unlinked_file_in(const char *dir, uint32_t mode)
{
    struct unlinked_state *s = &unlinked_state;
    long fd = files_sys(SYS_openat, AT_FDCWD, (long)dir, O_TMPFILE | O_RDWR | O_CLOEXEC, mode & 07777, 0, 0);
    if (fd >= 0 || (fd != -EOPNOTSUPP && fd != -EISDIR && fd != -EINVAL))
        return fd;
    long pid = files_sys(SYS_getpid, 0, 0, 0, 0, 0, 0);
    for (int attempt = 0; attempt < 100; attempt++) {
        char *name = s->name;
        snprintf(name, sizeof s->name, "%s/.stasis-unlinked-%ld-%d", dir, pid, attempt);
        fd = files_sys(SYS_openat, AT_FDCWD, (long)name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, mode & 07777, 0, 0);
        if (fd == -EEXIST)
            continue;
        if (fd >= 0)
            files_sys(SYS_unlinkat, AT_FDCWD, (long)name, 0, 0, 0, 0);
        return fd;
    }
    return -EEXIST;
}

int files_unlinked_restore(int fd, const unsigned char *payload, uint64_t length)
{
    struct unlinked_state *s = &unlinked_state;
    struct files_unlinked_head h;
    if (length < sizeof h)
        return -EINVAL;
    memcpy(&h, payload, sizeof h);
    uint64_t fixed = sizeof h + sizeof(int32_t) * (uint64_t)h.alias_count + h.path_length;
    if (h.path_length >= 4096 || h.alias_count > FILES_MAX_ALIASES || fixed > length || length - fixed != h.size)
        return -EINVAL;
    const int32_t *aliases = (const int32_t *)(payload + sizeof h);
    const char *path = (const char *)(payload + sizeof h + sizeof(int32_t) * h.alias_count);
    snprintf(s->what, sizeof s->what, "deleted file %.*s", (int)h.path_length, path);
    if (h.same_file_as >= 0) {
        long again = files_reopen_restored(h.same_file_as, fd, s->what);
        return again < 0 ? (int)again
                         : files_install_as((int)again, fd, h.open_flags, h.offset, aliases, h.alias_count, s->what);
    }
    char *dir = s->dir; /* NUL-terminated */
    memcpy(dir, path, h.path_length);
    dir[h.path_length] = 0;
    size_t moved = stasis_restart_path(dir, s->moved, sizeof s->moved);
    if (moved < sizeof s->moved)
        memcpy(dir, s->moved, moved + 1);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = 0;
    else if (slash)
        *slash = 0;
    long rw = slash ? unlinked_file_in(dir, h.mode) : -ENOENT;
    if (rw < 0) {
        /* the directory is gone or unwritable: the contents matter more than where they live */
        const char *tmp = stasis_getenv("STASIS_TMPDIR");
        long again = unlinked_file_in(tmp && *tmp == '/' ? tmp : "/tmp", h.mode);
        if (again < 0) {
            files_log("deleted file %.*s (descriptor %d): cannot recreate it in %s (%s)", (int)h.path_length,
                      path, fd, dir, stasis_strerror(rw));
            return (int)rw;
        }
        files_log("deleted file %.*s (descriptor %d): recreated in the temporary directory, %s is not usable "
                  "(%s)", (int)h.path_length, path, fd, dir, stasis_strerror(rw));
        rw = again;
    }
    int r = files_write_all((int)rw, payload + fixed, h.size);
    if (r < 0) {
        files_sys(SYS_close, rw, 0, 0, 0, 0, 0);
        files_log("deleted file %.*s (descriptor %d): cannot write its contents back (%s)", (int)h.path_length,
                  path, fd, stasis_strerror(r));
        return r;
    }
    r = files_install_as((int)rw, fd, h.open_flags, h.offset, aliases, h.alias_count, s->what);
    if (r == 0)
        files_share_publish(&h.share, fd);
    return r;
}

int files_unlinked_refill(int fd, const unsigned char *payload, uint64_t length)
{
    struct files_unlinked_head h;
    if (length < sizeof h)
        return 0; /* RESTART said what is wrong with it */
    memcpy(&h, payload, sizeof h);
    if (!h.share.pid || (h.share.flags & FILES_SHARE_LEADER) || h.same_file_as >= 0 ||
        h.alias_count > FILES_MAX_ALIASES || sizeof h + sizeof(int32_t) * (uint64_t)h.alias_count > length)
        return 0;
    return files_adopt_shared(fd, &h.share, h.open_flags, h.offset, (const int32_t *)(payload + sizeof h),
                              h.alias_count, NULL, 0, "deleted file");
}
