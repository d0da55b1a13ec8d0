/* Regular files. The core reopens a file that still has its path by itself; this
 * handler records what `stasis restart` needs to tell whether that file is still
 * the one the process had (FILE_STATE, with a saved copy on request), and saves
 * and recreates the files the core cannot reopen: deleted ones (UNLINKED) and
 * memfds (MEMFD), contents included.
 *
 * One record per open file description, written for its lowest descriptor
 * number; the others are listed as its aliases (the core has dup'ed the
 * placeholder there, so the new file goes there too). */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stasis/plugin.h>
#include <stdio.h> /* snprintf only */
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "files.h"

#define MAX_ALIASES 64
#define MAX_MAPS 64
#define DEFAULT_SAVE_MAX (16ull << 20)
/* The core's buffer for the whole section is 256 MiB; optional copies stop short of
 * it so fifos' data and the deleted files, which must be saved, still fit. */
#define SAVE_BUDGET ((256ull - 16) << 20)
#define DELETED " (deleted)"
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#define MEMFD_PREFIX "/memfd:"

static struct regular_state {
    int last_fd;                /* a lower number than this one starts a new WRITE pass */
    uint64_t saved_total;       /* optional copies written in this pass */
    int aliases[MAX_ALIASES];
    int alias_count;
    int same_file_as;           /* a lower number with another description of the same file, or -1 */
    struct files_memfd_map maps[MAX_MAPS];
    int map_count;
    unsigned char head[sizeof(struct files_memfd_head) + sizeof(struct files_memfd_map) * MAX_MAPS +
                       sizeof(int32_t) * MAX_ALIASES + 4096];
    char text[1 << 16];         /* /proc/self/maps, a piece at a time */
    char proc_path[64];
    unsigned char copy[1 << 16];
} regular_state = {.last_fd = -1};

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* ---- which files get a saved copy (files.save-open-files, files.save-max-size) ---- */

/* '*' any run of characters but '/', '?' one character but '/'. */
static int glob_match(const char *pattern, size_t plen, const char *path)
{
    if (plen == 0)
        return *path == 0;
    if (*pattern == '*') {
        for (const char *p = path;; p++) {
            if (glob_match(pattern + 1, plen - 1, p))
                return 1;
            if (*p == 0 || *p == '/')
                return 0;
        }
    }
    if (*path == 0 || *path == '/' ? *pattern != *path : *pattern != '?' && *pattern != *path)
        return 0;
    return glob_match(pattern + 1, plen - 1, path + 1);
}

/* An entry without wildcards names a file or a directory (everything under it). */
static int entry_matches(const char *entry, size_t len, const char *path)
{
    if (memchr(entry, '*', len) || memchr(entry, '?', len))
        return glob_match(entry, len, path);
    if (len == 0 || strncmp(path, entry, len) != 0)
        return 0;
    return path[len] == 0 || path[len] == '/' || entry[len - 1] == '/';
}

static int selected_for_saving(const char *path)
{
    const char *list = stasis_getenv("STASIS_FILES_SAVE_OPEN_FILES");
    if (!list || !*list)
        return 0;
    if (strcmp(list, "all") == 0)
        return 1;
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (entry_matches(p, len, path))
            return 1;
        p += len + (end != NULL);
    }
    return 0;
}

/* Bytes, with an optional K, M or G (powers of 1024); the Java side checked the syntax. */
static uint64_t save_max_size(void)
{
    const char *v = stasis_getenv("STASIS_FILES_SAVE_MAX_SIZE");
    if (!v || *v < '0' || *v > '9')
        return DEFAULT_SAVE_MAX;
    uint64_t n = 0;
    for (; *v >= '0' && *v <= '9'; v++)
        n = n * 10 + (uint64_t)(*v - '0');
    switch (*v) {
    case 'k': case 'K': return n << 10;
    case 'm': case 'M': return n << 20;
    case 'g': case 'G': return n << 30;
    default: return n;
    }
}

/* ---- WRITE ---- */

static int same_description(int fd, int other)
{
    long pid = files_sys(SYS_getpid, 0, 0, 0, 0, 0, 0);
    return files_sys(SYS_kcmp, pid, pid, KCMP_FILE, fd, other, 0) == 0;
}

static int same_file(const struct stat *st, int other)
{
    struct stat o;
    return files_sys(SYS_fstat, other, (long)&o, 0, 0, 0, 0) == 0 && o.st_dev == st->st_dev && o.st_ino == st->st_ino;
}

/* The other numbers of fd's open file description, and the lowest number with
 * another description of the same file. 1 when a lower number has the same
 * description (that one writes the record), 0 otherwise, -errno. */
static int find_aliases(int fd, const struct stat *st)
{
    struct regular_state *s = &regular_state;
    s->alias_count = 0;
    s->same_file_as = -1;
    long dir = files_sys(SYS_openat, AT_FDCWD, (long)"/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0, 0);
    if (dir < 0)
        return (int)dir;
    char buf[2048];
    int lower = 0;
    for (;;) {
        long n = files_sys(SYS_getdents64, dir, (long)buf, sizeof buf, 0, 0, 0);
        if (n <= 0)
            break;
        for (long off = 0; off < n;) {
            const char *name = buf + off + 19; /* struct linux_dirent64: d_name after 19 bytes */
            unsigned short reclen;
            memcpy(&reclen, buf + off + 16, sizeof reclen);
            off += reclen;
            if (name[0] < '0' || name[0] > '9')
                continue;
            int other = 0;
            for (const char *p = name; *p >= '0' && *p <= '9'; p++)
                other = other * 10 + (*p - '0');
            if (other == fd || other == dir || stasis_is_internal_fd(other))
                continue;
            if (!same_description(fd, other)) {
                if (other < fd && (s->same_file_as < 0 || other < s->same_file_as) && same_file(st, other))
                    s->same_file_as = other;
                continue;
            }
            if (other < fd)
                lower = 1;
            else if (s->alias_count < MAX_ALIASES)
                s->aliases[s->alias_count++] = other;
            else
                files_log("descriptor %d: more than %d aliases, %d is not restored", fd, MAX_ALIASES, other);
        }
    }
    files_sys(SYS_close, dir, 0, 0, 0, 0, 0);
    return lower;
}

/* ---- descriptions shared with other processes ---- */

static long parent_of(long pid)
{
    struct regular_state *s = &regular_state;
    snprintf(s->proc_path, sizeof s->proc_path, "/proc/%ld/stat", pid);
    long fd = files_sys(SYS_openat, AT_FDCWD, (long)s->proc_path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (fd < 0)
        return -1;
    long n = files_sys(SYS_read, fd, (long)s->text, 1024, 0, 0, 0);
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
    struct regular_state *s = &regular_state;
    char dir_path[64], entry[96];
    snprintf(dir_path, sizeof dir_path, "/proc/%ld/fd", holder);
    long dir = files_sys(SYS_openat, AT_FDCWD, (long)dir_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0, 0);
    if (dir < 0)
        return -1;
    int found = -1;
    char *buf = (char *)s->copy;
    for (long n; found < 0 && (n = files_sys(SYS_getdents64, dir, (long)buf, sizeof s->copy, 0, 0, 0)) > 0;) {
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
static void find_share(int fd, const struct stat *st, struct files_share *out)
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

static void put(unsigned char **at, const void *data, size_t length)
{
    memcpy(*at, data, length);
    *at += length;
}

static int write_state(const struct files_fd *d)
{
    struct regular_state *s = &regular_state;
    struct files_state_head h = {
        .dev = d->st.st_dev, .ino = d->st.st_ino, .size = (uint64_t)d->st.st_size,
        .mtime_ns = (int64_t)d->st.st_mtim.tv_sec * 1000000000 + d->st.st_mtim.tv_nsec,
        .offset = d->offset, .open_flags = d->open_flags, .mode = d->st.st_mode,
        .path_length = (uint32_t)strlen(d->link),
    };
    int writable = (d->open_flags & O_ACCMODE) != O_RDONLY;
    if (writable && selected_for_saving(d->link)) {
        if (h.size > save_max_size() || s->saved_total + h.size > SAVE_BUDGET) {
            h.flags |= FILES_STATE_TOO_BIG;
            files_log("%s: %llu bytes, not saved (over files.save-max-size or the image's budget)", d->link,
                      (unsigned long long)h.size);
        } else {
            h.flags |= FILES_STATE_SAVED;
            s->saved_total += h.size;
        }
    }
    unsigned char *at = s->head;
    put(&at, &h, sizeof h);
    put(&at, d->link, h.path_length);
    int content_fd = d->fd;
    if ((h.flags & FILES_STATE_SAVED) && (d->open_flags & O_ACCMODE) == O_WRONLY) {
        /* pread needs a readable descriptor: the same file through /proc */
        snprintf(s->proc_path, sizeof s->proc_path, "/proc/self/fd/%d", d->fd);
        long rfd = files_sys(SYS_openat, AT_FDCWD, (long)s->proc_path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
        if (rfd < 0) {
            files_log("%s: cannot read it to save it (error %ld), not saved", d->link, -rfd);
            h.flags = (h.flags & ~FILES_STATE_SAVED) | FILES_STATE_TOO_BIG;
            memcpy(s->head, &h, sizeof h);
        } else {
            content_fd = (int)rfd;
        }
    }
    int r = files_emit(FILES_REC_FILE_STATE, d->fd, s->head, (size_t)(at - s->head), content_fd,
                       (h.flags & FILES_STATE_SAVED) ? h.size : 0);
    if (content_fd != d->fd)
        files_sys(SYS_close, content_fd, 0, 0, 0, 0, 0);
    return r;
}

static int write_unlinked(const struct files_fd *d)
{
    struct regular_state *s = &regular_state;
    size_t path_length = strlen(d->link) - strlen(DELETED);
    struct files_unlinked_head h = {
        .offset = d->offset, .size = (uint64_t)d->st.st_size, .open_flags = d->open_flags,
        .mode = d->st.st_mode, .path_length = (uint32_t)path_length, .alias_count = (uint32_t)s->alias_count,
        .same_file_as = s->same_file_as,
    };
    if (h.same_file_as >= 0)
        h.size = 0; /* the other description's record holds the contents */
    else
        find_share(d->fd, &d->st, &h.share);
    unsigned char *at = s->head;
    put(&at, &h, sizeof h);
    put(&at, s->aliases, sizeof(int32_t) * (size_t)s->alias_count);
    put(&at, d->link, path_length);
    int content_fd = d->fd;
    if ((d->open_flags & O_ACCMODE) == O_WRONLY && h.size) {
        snprintf(s->proc_path, sizeof s->proc_path, "/proc/self/fd/%d", d->fd);
        long rfd = files_sys(SYS_openat, AT_FDCWD, (long)s->proc_path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
        if (rfd < 0) {
            files_log("deleted file %.*s (descriptor %d): cannot read it (error %ld)", (int)path_length, d->link,
                      d->fd, -rfd);
            return (int)rfd;
        }
        content_fd = (int)rfd;
    }
    int r = files_emit(FILES_REC_UNLINKED, d->fd, s->head, (size_t)(at - s->head), content_fd, h.size);
    if (content_fd != d->fd)
        files_sys(SYS_close, content_fd, 0, 0, 0, 0, 0);
    if (r == -ENOSPC)
        files_log("deleted file %.*s: its %llu bytes do not fit in the image's files section", (int)path_length,
                  d->link, (unsigned long long)h.size);
    return r;
}

/* "start-end perms offset major:minor inode path" */
static int parse_hex(const char **p, uint64_t *out)
{
    uint64_t v = 0;
    int digits = 0;
    for (;; (*p)++, digits++) {
        char c = **p;
        int x = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (x < 0)
            break;
        v = v * 16 + (uint64_t)x;
    }
    *out = v;
    return digits > 0;
}

static void note_mapping(const char *line, const struct files_fd *d)
{
    struct regular_state *s = &regular_state;
    const char *p = line;
    uint64_t start, end, offset, major, minor, inode = 0;
    if (!parse_hex(&p, &start) || *p++ != '-' || !parse_hex(&p, &end) || *p++ != ' ')
        return;
    char perms[4];
    memcpy(perms, p, 4);
    p += 5;
    if (!parse_hex(&p, &offset) || *p++ != ' ' || !parse_hex(&p, &major) || *p++ != ':' ||
        !parse_hex(&p, &minor) || *p++ != ' ')
        return;
    for (; *p >= '0' && *p <= '9'; p++)
        inode = inode * 10 + (uint64_t)(*p - '0');
    while (*p == ' ')
        p++;
    if (inode != d->st.st_ino || major != major(d->st.st_dev) || minor != minor(d->st.st_dev) ||
        !starts_with(p, MEMFD_PREFIX))
        return;
    if (s->map_count == MAX_MAPS) {
        files_log("memfd %s: more than %d mappings, the rest stay private copies", d->link, MAX_MAPS);
        return;
    }
    struct files_memfd_map *m = &s->maps[s->map_count++];
    m->start = start;
    m->end = end;
    m->file_offset = offset;
    m->prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
              (perms[2] == 'x' ? PROT_EXEC : 0);
    m->flags = perms[3] == 's' ? FILES_MAP_SHARED : 0;
}

/* The process's mappings of this memfd, from /proc/self/maps. */
static int find_mappings(const struct files_fd *d)
{
    struct regular_state *s = &regular_state;
    s->map_count = 0;
    long fd = files_sys(SYS_openat, AT_FDCWD, (long)"/proc/self/maps", O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (fd < 0)
        return (int)fd;
    size_t kept = 0;
    for (;;) {
        long n = files_sys(SYS_read, fd, (long)(s->text + kept), (long)(sizeof s->text - 1 - kept), 0, 0, 0);
        if (n < 0) {
            files_sys(SYS_close, fd, 0, 0, 0, 0, 0);
            return (int)n;
        }
        size_t have = kept + (size_t)n;
        s->text[have] = 0;
        char *line = s->text;
        for (char *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
            *nl = 0;
            note_mapping(line, d);
        }
        kept = have - (size_t)(line - s->text);
        if (n == 0 || kept == sizeof s->text - 1) /* the end, or a line longer than the buffer */
            break;
        memmove(s->text, line, kept);
    }
    files_sys(SYS_close, fd, 0, 0, 0, 0, 0);
    return 0;
}

static int write_memfd(const struct files_fd *d)
{
    struct regular_state *s = &regular_state;
    int r = 0;
    s->map_count = 0;
    if (s->same_file_as < 0 && (r = find_mappings(d)) < 0)
        return r;
    const char *name = d->link + strlen(MEMFD_PREFIX);
    size_t name_length = strlen(name) - (ends_with(name, DELETED) ? strlen(DELETED) : 0);
    long seals = files_sys(SYS_fcntl, d->fd, F_GET_SEALS, 0, 0, 0, 0);
    struct files_memfd_head h = {
        .offset = d->offset, .size = (uint64_t)d->st.st_size, .open_flags = d->open_flags,
        .seals = seals > 0 ? (uint32_t)seals : 0, .name_length = (uint32_t)name_length,
        .alias_count = (uint32_t)s->alias_count, .map_count = (uint32_t)s->map_count,
        .same_file_as = s->same_file_as,
    };
    if (h.same_file_as >= 0)
        h.size = 0;
    else
        find_share(d->fd, &d->st, &h.share);
    unsigned char *at = s->head;
    put(&at, &h, sizeof h);
    put(&at, s->maps, sizeof s->maps[0] * (size_t)s->map_count);
    put(&at, s->aliases, sizeof(int32_t) * (size_t)s->alias_count);
    put(&at, name, name_length);
    int content_fd = d->fd;
    if ((d->open_flags & O_ACCMODE) == O_WRONLY && h.size) {
        snprintf(s->proc_path, sizeof s->proc_path, "/proc/self/fd/%d", d->fd);
        long rfd = files_sys(SYS_openat, AT_FDCWD, (long)s->proc_path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
        if (rfd < 0)
            return (int)rfd;
        content_fd = (int)rfd;
    }
    r = files_emit(FILES_REC_MEMFD, d->fd, s->head, (size_t)(at - s->head), content_fd, h.size);
    if (content_fd != d->fd)
        files_sys(SYS_close, content_fd, 0, 0, 0, 0, 0);
    if (r == -ENOSPC)
        files_log("memfd %.*s: its %llu bytes do not fit in the image's files section", (int)name_length, name,
                  (unsigned long long)h.size);
    return r;
}

/* The image this very checkpoint is writing (".ckpt_<prog>_<id>.stasis.tmp", renamed
 * once complete) is open in the process but is not the program's: stasis_is_internal_fd()
 * does not know it (yet), and a record of it would name a file that is gone by restart. */
static int is_image_being_written(const struct files_fd *d)
{
    const char *base = strrchr(d->link, '/');
    return base && starts_with(base, "/.ckpt_") && ends_with(base, ".stasis.tmp") && (d->open_flags & O_CLOEXEC);
}

static int write_regular(const struct files_fd *d)
{
    struct regular_state *s = &regular_state;
    if (!S_ISREG(d->st.st_mode))
        return STASIS_NOT_MINE;
    /* the dispatcher walks the descriptors in increasing order: going down means a new checkpoint */
    if (d->fd <= s->last_fd)
        s->saved_total = 0;
    s->last_fd = d->fd;
    int memfd = starts_with(d->link, MEMFD_PREFIX);
    int deleted = !memfd && ends_with(d->link, DELETED); /* no path to reopen, even with links left */
    if (!memfd && !deleted && (d->link[0] != '/' || starts_with(d->link, "/proc/") || starts_with(d->link, "/sys/")))
        return STASIS_NOT_MINE; /* nothing on disk to check */
    if (is_image_being_written(d))
        return STASIS_NOT_MINE;
    int lower = find_aliases(d->fd, &d->st);
    if (lower < 0)
        return lower;
    if (lower)
        return 0; /* the description's lowest number has written its record */
    if (memfd)
        return write_memfd(d);
    if (deleted)
        return write_unlinked(d);
    return write_state(d);
}

/* ---- RESTART ---- */

static int write_all(int fd, const unsigned char *data, uint64_t length)
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
static long reopen_flags(uint32_t open_flags)
{
    return (long)(open_flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_SYNC | O_DSYNC | O_LARGEFILE)) | O_CLOEXEC;
}

/* `rw` (read-write, offset anywhere) becomes a descriptor opened the way the
 * original was, at its offset, installed at fd and at its aliases. */
static int install_as(int rw, int fd, uint32_t open_flags, uint64_t offset, const int32_t *aliases, uint32_t alias_count,
                      const char *what)
{
    struct regular_state *s = &regular_state;
    long target = rw;
    if ((open_flags & O_ACCMODE) != O_RDWR || (open_flags & (O_APPEND | O_NONBLOCK | O_SYNC | O_DSYNC))) {
        snprintf(s->proc_path, sizeof s->proc_path, "/proc/self/fd/%d", rw);
        target = files_sys(SYS_openat, AT_FDCWD, (long)s->proc_path, reopen_flags(open_flags), 0, 0, 0);
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

/* The leader of a shared description says where the others find it. */
static void publish_if_leader(const struct files_share *share, int fd, const char *what)
{
    if (!share->pid || !(share->flags & FILES_SHARE_LEADER))
        return;
    char key[64], value[64];
    share_key(share, key, sizeof key);
    int n = snprintf(value, sizeof value, "%ld %d", files_sys(SYS_getpid, 0, 0, 0, 0, 0, 0), fd);
    /* a failure is for the others to report (they wait for it at REFILL); most
     * leaders share with nobody */
    (void)stasis_publish(key, value, (size_t)n);
    (void)what;
}

/* REFILL, in a process sharing a description with its leader: take the leader's
 * (the same open file description, else the same file) in place of the copy made
 * at RESTART, mappings included. Without it, the copy stays: logged, not fatal. */
static int adopt_shared(int fd, const struct files_share *share, uint32_t open_flags, uint64_t offset,
                        const int32_t *aliases, uint32_t alias_count, const struct files_memfd_map *maps,
                        uint32_t map_count, const char *what)
{
    struct regular_state *s = &regular_state;
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
        got = files_sys(SYS_openat, AT_FDCWD, (long)s->proc_path, reopen_flags(open_flags), 0, 0, 0);
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

/* Another description of a file restored earlier at number `first`. */
static long reopen_restored(int first, int fd, const char *what)
{
    struct regular_state *s = &regular_state;
    snprintf(s->proc_path, sizeof s->proc_path, "/proc/self/fd/%d", first);
    long rw = files_sys(SYS_openat, AT_FDCWD, (long)s->proc_path, O_RDWR | O_CLOEXEC, 0, 0, 0);
    if (rw < 0)
        files_log("%s (descriptor %d): cannot open it again through descriptor %d (error %ld)", what, fd, first, -rw);
    return rw;
}

/* An unlinked file in `dir`: O_TMPFILE, else a unique name removed at once. */
static long unlinked_file_in(const char *dir, uint32_t mode)
{
    struct regular_state *s = &regular_state;
    long fd = files_sys(SYS_openat, AT_FDCWD, (long)dir, O_TMPFILE | O_RDWR | O_CLOEXEC, mode & 07777, 0, 0);
    if (fd >= 0 || (fd != -EOPNOTSUPP && fd != -EISDIR && fd != -EINVAL))
        return fd;
    long pid = files_sys(SYS_getpid, 0, 0, 0, 0, 0, 0);
    for (int attempt = 0; attempt < 100; attempt++) {
        char *name = (char *)s->text;
        snprintf(name, sizeof s->text, "%s/.stasis-unlinked-%ld-%d", dir, pid, attempt);
        fd = files_sys(SYS_openat, AT_FDCWD, (long)name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, mode & 07777, 0, 0);
        if (fd == -EEXIST)
            continue;
        if (fd >= 0)
            files_sys(SYS_unlinkat, AT_FDCWD, (long)name, 0, 0, 0, 0);
        return fd;
    }
    return -EEXIST;
}

static int restore_unlinked(int fd, const unsigned char *payload, uint64_t length)
{
    struct regular_state *s = &regular_state;
    struct files_unlinked_head h;
    if (length < sizeof h)
        return -EINVAL;
    memcpy(&h, payload, sizeof h);
    uint64_t fixed = sizeof h + sizeof(int32_t) * (uint64_t)h.alias_count + h.path_length;
    if (h.path_length >= 4096 || h.alias_count > MAX_ALIASES || fixed > length || length - fixed != h.size)
        return -EINVAL;
    const int32_t *aliases = (const int32_t *)(payload + sizeof h);
    const char *path = (const char *)(payload + sizeof h + sizeof(int32_t) * h.alias_count);
    snprintf((char *)s->head, sizeof s->head, "deleted file %.*s", (int)h.path_length, path);
    if (h.same_file_as >= 0) {
        long again = reopen_restored(h.same_file_as, fd, (const char *)s->head);
        return again < 0 ? (int)again
                         : install_as((int)again, fd, h.open_flags, h.offset, aliases, h.alias_count,
                                      (const char *)s->head);
    }
    char *dir = (char *)s->copy; /* the directory, NUL-terminated */
    memcpy(dir, path, h.path_length);
    dir[h.path_length] = 0;
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
            files_log("deleted file %.*s (descriptor %d): cannot recreate it in %s (error %ld)", (int)h.path_length,
                      path, fd, dir, -rw);
            return (int)rw;
        }
        files_log("deleted file %.*s (descriptor %d): recreated in the temporary directory, %s is not usable "
                  "(error %ld)", (int)h.path_length, path, fd, dir, -rw);
        rw = again;
    }
    int r = write_all((int)rw, payload + fixed, h.size);
    if (r < 0) {
        files_sys(SYS_close, rw, 0, 0, 0, 0, 0);
        files_log("deleted file %.*s (descriptor %d): cannot write its contents back (error %d)", (int)h.path_length,
                  path, fd, -r);
        return r;
    }
    r = install_as((int)rw, fd, h.open_flags, h.offset, aliases, h.alias_count, (const char *)s->head);
    if (r == 0)
        publish_if_leader(&h.share, fd, (const char *)s->head);
    return r;
}

static int restore_memfd(int fd, const unsigned char *payload, uint64_t length)
{
    struct regular_state *s = &regular_state;
    struct files_memfd_head h;
    if (length < sizeof h)
        return -EINVAL;
    memcpy(&h, payload, sizeof h);
    uint64_t fixed = sizeof h + sizeof(struct files_memfd_map) * (uint64_t)h.map_count +
                     sizeof(int32_t) * (uint64_t)h.alias_count + h.name_length;
    if (h.name_length > 249 || h.map_count > MAX_MAPS || h.alias_count > MAX_ALIASES || fixed > length ||
        length - fixed != h.size)
        return -EINVAL;
    const unsigned char *at = payload + sizeof h;
    memcpy(s->maps, at, sizeof(struct files_memfd_map) * h.map_count);
    at += sizeof(struct files_memfd_map) * h.map_count;
    const int32_t *aliases = (const int32_t *)at;
    at += sizeof(int32_t) * h.alias_count;
    char *name = (char *)s->text;
    memcpy(name, at, h.name_length);
    name[h.name_length] = 0;
    snprintf((char *)s->head, sizeof s->head, "memfd %.*s", (int)h.name_length, name);
    const char *what = (const char *)s->head;
    if (h.same_file_as >= 0) {
        long again = reopen_restored(h.same_file_as, fd, what);
        return again < 0 ? (int)again : install_as((int)again, fd, h.open_flags, h.offset, aliases, h.alias_count, what);
    }
    /* sealing is always allowed here: the saved seals (F_SEAL_SEAL among them when
     * the original did not allow it) are put back last */
    long rw = files_sys(SYS_memfd_create, (long)name, MFD_CLOEXEC | MFD_ALLOW_SEALING, 0, 0, 0, 0);
    if (rw < 0) {
        files_log("%s (descriptor %d): memfd_create failed (error %ld)", what, fd, -rw);
        return (int)rw;
    }
    long r = files_sys(SYS_ftruncate, rw, (long)h.size, 0, 0, 0, 0);
    if (r == 0)
        r = write_all((int)rw, payload + fixed, h.size);
    /* the core put the pages back as anonymous memory; shared ones must be the
     * memfd's own again, or writes through the mapping and the descriptor part ways */
    for (uint32_t i = 0; r == 0 && i < h.map_count; i++) {
        const struct files_memfd_map *m = &s->maps[i];
        if (!(m->flags & FILES_MAP_SHARED))
            continue;
        long got = files_sys(SYS_mmap, (long)m->start, (long)(m->end - m->start), (long)m->prot,
                             MAP_SHARED | MAP_FIXED, rw, (long)m->file_offset);
        if (got < 0)
            r = got;
    }
    if (r == 0 && h.seals)
        r = files_sys(SYS_fcntl, rw, F_ADD_SEALS, (long)h.seals, 0, 0, 0);
    if (r < 0) {
        files_sys(SYS_close, rw, 0, 0, 0, 0, 0);
        files_log("%s (descriptor %d): cannot recreate it (error %ld)", what, fd, -r);
        return (int)r;
    }
    r = install_as((int)rw, fd, h.open_flags, h.offset, aliases, h.alias_count, what);
    if (r == 0)
        publish_if_leader(&h.share, fd, what);
    return (int)r;
}

static int restore_regular(uint32_t kind, int fd, const void *payload, uint64_t length)
{
    int r = 0;
    switch (kind) {
    case FILES_REC_FILE_STATE:
        return 0; /* the core reopened it; `stasis restart` checked it beforehand */
    case FILES_REC_UNLINKED:
        r = restore_unlinked(fd, payload, length);
        break;
    case FILES_REC_MEMFD:
        r = restore_memfd(fd, payload, length);
        break;
    default:
        return -EINVAL;
    }
    if (r == -EINVAL)
        files_log("descriptor %d: malformed record of kind %u (%llu bytes)", fd, kind, (unsigned long long)length);
    return r;
}

static int refill_regular(uint32_t kind, int fd, const void *payload, uint64_t length)
{
    struct regular_state *s = &regular_state;
    const unsigned char *at = payload;
    if (kind == FILES_REC_UNLINKED) {
        struct files_unlinked_head h;
        if (length < sizeof h)
            return 0; /* RESTART said what is wrong with it */
        memcpy(&h, at, sizeof h);
        if (!h.share.pid || (h.share.flags & FILES_SHARE_LEADER) || h.same_file_as >= 0 ||
            h.alias_count > MAX_ALIASES || sizeof h + sizeof(int32_t) * (uint64_t)h.alias_count > length)
            return 0;
        return adopt_shared(fd, &h.share, h.open_flags, h.offset, (const int32_t *)(at + sizeof h), h.alias_count,
                            NULL, 0, "deleted file");
    }
    if (kind == FILES_REC_MEMFD) {
        struct files_memfd_head h;
        if (length < sizeof h)
            return 0;
        memcpy(&h, at, sizeof h);
        uint64_t maps_length = sizeof(struct files_memfd_map) * (uint64_t)h.map_count;
        if (!h.share.pid || (h.share.flags & FILES_SHARE_LEADER) || h.same_file_as >= 0 || h.map_count > MAX_MAPS ||
            h.alias_count > MAX_ALIASES || sizeof h + maps_length + sizeof(int32_t) * (uint64_t)h.alias_count > length)
            return 0;
        memcpy(s->maps, at + sizeof h, maps_length);
        return adopt_shared(fd, &h.share, h.open_flags, h.offset, (const int32_t *)(at + sizeof h + maps_length),
                            h.alias_count, s->maps, h.map_count, "memfd");
    }
    return 0;
}

const struct files_handler files_regular_handler = {
    .name = "regular",
    .write = write_regular,
    .restore = restore_regular,
    .refill = refill_regular,
    .kinds = {FILES_REC_FILE_STATE, FILES_REC_UNLINKED, FILES_REC_MEMFD, 0},
    .late = 0,
};
