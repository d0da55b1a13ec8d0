/* Regular files. The core reopens a file that still has its path by itself; this
 * handler records what `stasis restart` needs to tell whether that file is still
 * the one the process had (FILE_STATE, with a saved copy on request), and hands
 * the files the core cannot reopen to their parts: deleted ones (UNLINKED,
 * files_unlinked.c) and memfds (MEMFD, files_memfd.c).
 *
 * One record per open file description, written for its lowest descriptor
 * number; the others are listed as its aliases (the core has dup'ed the
 * placeholder there, so the new file goes there too). */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stasis/plugin.h>
#include <stasis/services.h>
#include <stdio.h> /* snprintf only */
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "files_regular.h"

#define DEFAULT_SAVE_MAX (16ull << 20)
/* The core's buffer for the whole section is 256 MiB; optional copies stop short of
 * it so fifos' data and the deleted files, which must be saved, still fit. */
#define SAVE_BUDGET ((256ull - 16) << 20)

static struct regular_state {
    uint64_t saved_total;       /* optional copies written in this pass */
    struct files_description description;
    unsigned char head[sizeof(struct files_state_head) + 4096];
} regular_state;

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

struct alias_search {
    int fd;
    const struct stat *st;
    int lower;  /* a lower number has the same description */
};

static int note_alias(long n, int listing, void *arg)
{
    struct alias_search *a = arg;
    struct files_description *s = &regular_state.description;
    int other = (int)n;
    if (other == a->fd || other == listing || stasis_is_internal_fd(other))
        return 0;
    if (!same_description(a->fd, other)) {
        if (other < a->fd && (s->same_file_as < 0 || other < s->same_file_as) && same_file(a->st, other))
            s->same_file_as = other;
        return 0;
    }
    if (other < a->fd)
        a->lower = 1;
    else if (s->alias_count < FILES_MAX_ALIASES)
        s->aliases[s->alias_count++] = other;
    else
        files_log("descriptor %d: more than %d aliases, %d is not restored", a->fd, FILES_MAX_ALIASES, other);
    return 0;
}

/* The other numbers of fd's open file description, and the lowest number with
 * another description of the same file. 1 when a lower number has the same
 * description (that one writes the record), 0 otherwise, -errno. */
static int find_aliases(int fd, const struct stat *st)
{
    struct files_description *s = &regular_state.description;
    s->alias_count = 0;
    s->same_file_as = -1;
    struct alias_search a = {fd, st, 0};
    int r = files_proc_each("/proc/self/fd", note_alias, &a);
    return r < 0 ? r : a.lower;
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
    long readable = (h.flags & FILES_STATE_SAVED) ? files_readable(d) : d->fd;
    if (readable < 0) {
        files_log("%s: cannot read it to save it (%s), not saved", d->link, stasis_strerror(readable));
        h.flags = (h.flags & ~FILES_STATE_SAVED) | FILES_STATE_TOO_BIG;
        memcpy(s->head, &h, sizeof h);
        readable = d->fd;
    }
    int r = files_emit(FILES_REC_FILE_STATE, d->fd, s->head, (size_t)(at - s->head), (int)readable,
                       (h.flags & FILES_STATE_SAVED) ? h.size : 0);
    files_done_reading(d, readable);
    return r;
}

static void begin_regular(void)
{
    regular_state.saved_total = 0;
}

static int write_regular(const struct files_fd *d)
{
    struct regular_state *s = &regular_state;
    if (!S_ISREG(d->st.st_mode))
        return STASIS_NOT_MINE;
    int memfd = files_starts_with(d->link, FILES_MEMFD_PREFIX);
    int deleted = !memfd && files_ends_with(d->link, FILES_DELETED); /* no path to reopen, even with links left */
    if (!memfd && !deleted && (d->link[0] != '/' || files_starts_with(d->link, "/proc/") || files_starts_with(d->link, "/sys/")))
        return STASIS_NOT_MINE; /* nothing on disk to check */
    int lower = find_aliases(d->fd, &d->st);
    if (lower < 0)
        return lower;
    if (lower)
        return 0; /* the description's lowest number has written its record */
    if (memfd)
        return files_memfd_write(d, &s->description);
    if (deleted)
        return files_unlinked_write(d, &s->description);
    return write_state(d);
}

/* ---- RESTART, REFILL ---- */

static int restore_regular(uint32_t kind, int fd, const void *payload, uint64_t length)
{
    int r = 0;
    switch (kind) {
    case FILES_REC_FILE_STATE:
        return 0; /* the core reopened it; `stasis restart` checked it beforehand */
    case FILES_REC_UNLINKED:
        r = files_unlinked_restore(fd, payload, length);
        break;
    case FILES_REC_MEMFD:
        r = files_memfd_restore(fd, payload, length);
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
    if (kind == FILES_REC_UNLINKED)
        return files_unlinked_refill(fd, payload, length);
    if (kind == FILES_REC_MEMFD)
        return files_memfd_refill(fd, payload, length);
    return 0;
}

const struct files_handler files_regular_handler = {
    .name = "regular",
    .begin = begin_regular,
    .write = write_regular,
    .restore = restore_regular,
    .refill = refill_regular,
    .kinds = {FILES_REC_FILE_STATE, FILES_REC_UNLINKED, FILES_REC_MEMFD, 0},
    .late = 0,
};
