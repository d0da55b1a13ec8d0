/* The files fragment: every file-like descriptor the core does not recreate by
 * itself — deleted files and memfds (contents saved), fifos (contents in flight
 * saved), eventfd, epoll, signalfd, timerfd, inotify — and the state of regular
 * files that `stasis restart` checks before it lets a process back in.
 *
 * The section is a run of records, each [u32 kind][i32 fd][u64 length][payload],
 * after the magic "FIL1". One handler per kind of descriptor writes them at WRITE
 * and recreates them at RESTART; the core has left a /dev/null placeholder at
 * every number this plugin owns (see native/core/fds.c). */
#ifndef STASIS_FILES_H
#define STASIS_FILES_H

#include <stddef.h>
#include <stdint.h>
#include <stasis/plugin.h>
#include <stasis/services.h>
#include <sys/stat.h>

#define FILES_MAGIC 0x314c4946u /* "FIL1" */

enum files_record_kind {
    FILES_REC_FILE_STATE = 1, /* a regular file the core reopens: size, mtime, maybe a saved copy */
    FILES_REC_UNLINKED = 2,   /* a deleted regular file: its contents */
    FILES_REC_MEMFD = 3,      /* memfd_create(): name, seals, contents */
    FILES_REC_FIFO = 4,       /* a named pipe: path, flags, bytes in flight */
    FILES_REC_EVENTFD = 5,
    FILES_REC_EPOLL = 6,      /* its interest list; restored after every other record */
    FILES_REC_SIGNALFD = 7,
    FILES_REC_TIMERFD = 8,
    FILES_REC_INOTIFY = 9,
};

/* ---- payloads of files_regular.c's records (little-endian, no padding; the
 * Java side, FilesSection, reads the same layout) ---- */

#define FILES_STATE_SAVED 1u    /* the file's `size` bytes follow the path */
#define FILES_STATE_TOO_BIG 2u  /* selected for saving, but over the size limit or the section's budget */

/* FILE_STATE: head, path bytes (no NUL), then the saved copy if FILES_STATE_SAVED. */
struct files_state_head {
    uint64_t dev, ino, size;
    int64_t mtime_ns;
    uint64_t offset;
    uint32_t open_flags, mode;
    uint32_t path_length, flags;
};

/* A deleted file or memfd whose open file description several processes share
 * (inherited across fork): named by the process at the top of the family that
 * holds it and runs this fragment (its kernel pid at the checkpoint) and its
 * number there (files_share.c). The leader (that process) recreates it at RESTART
 * and publishes where it is; the others take the same description from it at
 * REFILL. pid 0: not shared. */
#define FILES_SHARE_LEADER 1u
struct files_share {
    int32_t pid, fd;
    uint32_t flags, reserved;
};

/* UNLINKED: head, `alias_count` int32 descriptor numbers sharing the description,
 * the original path (no NUL, without " (deleted)"), then `size` bytes of contents.
 * `same_file_as` >= 0: another description of the file restored at that (lower)
 * number, whose contents it shares; `size` is then 0 and nothing follows the path. */
struct files_unlinked_head {
    uint64_t offset, size;
    uint32_t open_flags, mode;
    uint32_t path_length, alias_count;
    int32_t same_file_as;
    uint32_t reserved;
    struct files_share share;
};

/* MEMFD: head, `map_count` mappings, `alias_count` int32 numbers, the name (no NUL,
 * without "/memfd:" and " (deleted)"), then `size` bytes of contents; `same_file_as`
 * as for UNLINKED (no mappings, no contents then). */
struct files_memfd_head {
    uint64_t offset, size;
    uint32_t open_flags, seals;
    uint32_t name_length, alias_count;
    uint32_t map_count;
    int32_t same_file_as;
    struct files_share share;
};

#define FILES_MAP_SHARED 1u
struct files_memfd_map {
    uint64_t start, end, file_offset;
    uint32_t prot, flags;
};

/* One descriptor of the process, as WRITE found it. */
struct files_fd {
    int fd;
    struct stat st;
    char link[4096];        /* readlink of /proc/self/fd/N ("anon_inode:[eventfd]", "/a (deleted)"…) */
    uint32_t open_flags;    /* "flags:" of /proc/self/fdinfo/N */
    uint64_t offset;        /* "pos:" */
    char fdinfo[4096];      /* the whole fdinfo text */
};

/* One kind of descriptor. */
struct files_handler {
    const char *name;
    /* WRITE (may be NULL): a new checkpoint's walk starts; reset per-pass state. */
    void (*begin)(void);
    /* WRITE: if the descriptor is this handler's, emit its record(s) with
     * files_emit() and return 0; else STASIS_NOT_MINE; -errno fails the checkpoint. */
    int (*write)(const struct files_fd *d);
    /* RESTART: recreate the descriptor of one of its records at number fd. */
    int (*restore)(uint32_t kind, int fd, const void *payload, uint64_t length);
    /* REFILL (may be NULL): after every process restarted, put data back. */
    int (*refill)(uint32_t kind, int fd, const void *payload, uint64_t length);
    uint32_t kinds[6];      /* the record kinds restore() takes, 0-terminated */
    int late;               /* restored after every other handler's records (epoll) */
};

extern const struct files_handler files_regular_handler;   /* files_regular.c: state, unlinked, memfd */
extern const struct files_handler files_fifo_handler;      /* files_fifo.c */
extern const struct files_handler files_event_handler;     /* files_event.c: eventfd, signalfd, timerfd, inotify */
extern const struct files_handler files_epoll_handler;     /* files_epoll.c */

/* WRITE: one record; the payload is `head` then `content_length` bytes read
 * from `content_fd` at offset 0 (pass -1 and 0 for none). 0 or -errno. */
int files_emit(uint32_t kind, int fd, const void *head, size_t head_length, int content_fd, uint64_t content_length);

/* RESTART: put `source` at number `target`, keeping the close-on-exec flag the
 * core gave the placeholder there; `source` is closed. 0 or -errno. */
int files_install(int source, int target);

/* Each entry of a /proc directory that is a number (descriptors, threads), until
 * `visit` returns 1; `listing` is the descriptor the listing itself holds meanwhile
 * (one of the entries when the directory is this process's /proc/self/fd).
 * 1 stopped, 0 done, -errno. */
int files_proc_each(const char *dir, int (*visit)(long n, int listing, void *arg), void *arg);

/* What /proc/self/fd/<fd> reads ("anon_inode:[eventfd]"), NUL-terminated in buf:
 * its length, or -errno. files_fd_link_is: does it read `link`? */
long files_fd_link(int fd, char *buf, size_t cap);
int files_fd_link_is(int fd, const char *link);

/* Does s begin (end) with the given text? */
int files_starts_with(const char *s, const char *prefix);
int files_ends_with(const char *s, const char *suffix);

/* Text after "name" in an fdinfo ("eventfd-count:"), or NULL. */
const char *files_fdinfo_field(const char *fdinfo, const char *name);
/* A number in an fdinfo field, in the base given (0 = C's rules). */
uint64_t files_fdinfo_number(const char *fdinfo, const char *name, int base);

/* A warning in the process's Stasis log; when the event then fails, it is the
 * one line the restart or checkpoint reports. */
#define files_log(...) stasis_log(STASIS_LOG_WARN, __VA_ARGS__)

/* System calls that no wrapper sees. */
long files_sys(long number, long a, long b, long c, long d, long e, long f);

#endif
