/* What the event handlers (files_event.c, files_epoll.c) and the inotify wrappers
 * (files_inotify.c) share, and the payload layouts of their records.
 *
 * Every payload starts with the same 24 bytes, little-endian like all fields:
 *   i32 same_as     -1, or the lower descriptor number this one is a dup of (same
 *                   open file description): restored as a dup of it, the rest of
 *                   the payload is then informative only
 *   u32 open_flags  "flags:" of fdinfo (O_NONBLOCK is what matters)
 *   i32 share_pid, i32 share_fd   the open file description is also another
 *                   process's: named by the topmost ancestor holding it (its pid
 *                   at checkpoint time) and its number there (files_share.c)
 *   u32 share_role  0 not shared, 1 owner (recreates it; share_pid is this
 *                   process), 2 user (takes it from the owner at restart)
 *   u32 reserved
 * then, by kind:
 *   EVENTFD  (40 bytes)  u64 count, u32 semaphore (0/1), u32 reserved
 *   SIGNALFD (32 bytes)  u64 sigmask (bit n-1 = signal n)
 *   TIMERFD  (80 bytes)  i32 clockid, u32 settime_flags (TFD_TIMER_ABSTIME 1,
 *                        TFD_TIMER_CANCEL_ON_SET 2), u64 ticks (expirations not yet
 *                        read), i64 value_sec, i64 value_nsec, i64 interval_sec,
 *                        i64 interval_nsec, u32 absolute, u32 reserved.
 *                        value is the time left when absolute is 0; when 1 (a
 *                        CLOCK_REALTIME[_ALARM] timer set with TFD_TIMER_ABSTIME) the
 *                        deadline on that clock. value 0: disarmed.
 *   INOTIFY  (40 bytes + watches)  u32 watch_count, i32 next_wd (the number the
 *                        instance would hand out next, 0 if unknown), u32 dropped
 *                        (watches that did not fit in the record), u32 reserved;
 *                        then watch_count times: i32 wd, u32 mask (as fdinfo shows
 *                        it, IN_ONESHOT/IN_EXCL_UNLINK included), u32 add_flags
 *                        (IN_DONT_FOLLOW/IN_ONLYDIR given when it was added),
 *                        u32 sdev (the kernel's encoding, major << 20 | minor),
 *                        u64 ino, u32 path_length, path (not NUL-terminated,
 *                        0 bytes when the path is unknown), sorted by wd
 *   EPOLL    (32 bytes + targets)  u32 target_count, u32 dropped (registrations
 *                        that did not fit in the record);
 *                        then target_count times (24 bytes): i32 tfd, u32 events,
 *                        u64 data, i32 via_fd (the descriptor that holds the
 *                        registered file: tfd, another number when it was
 *                        registered through a dup closed since, -1 when no
 *                        descriptor holds it any more), u32 reserved */
#ifndef STASIS_FILES_EVENT_H
#define STASIS_FILES_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "files.h"

enum files_event_share_role { FILES_EVENT_SHARE_NONE = 0, FILES_EVENT_SHARE_OWNER = 1, FILES_EVENT_SHARE_USER = 2 };

struct files_event_head {
    int32_t same_as;
    uint32_t open_flags;
    int32_t share_pid;
    int32_t share_fd;
    uint32_t share_role;
    uint32_t reserved;
};

struct files_eventfd_payload {
    struct files_event_head head;
    uint64_t count;
    uint32_t semaphore;
    uint32_t reserved;
};

struct files_signalfd_payload {
    struct files_event_head head;
    uint64_t sigmask;
};

struct files_timerfd_payload {
    struct files_event_head head;
    int32_t clockid;
    uint32_t settime_flags;
    uint64_t ticks;
    int64_t value_sec, value_nsec;
    int64_t interval_sec, interval_nsec;
    uint32_t absolute;
    uint32_t reserved;
};

struct files_inotify_payload {
    struct files_event_head head;
    uint32_t watch_count;
    int32_t next_wd;
    uint32_t dropped;
    uint32_t reserved;
};

struct files_inotify_watch {
    int32_t wd;
    uint32_t mask;
    uint32_t add_flags;
    uint32_t sdev;
    uint64_t ino;
    uint32_t path_length;
} __attribute__((packed)); /* 28 bytes, then the path */

struct files_epoll_payload {
    struct files_event_head head;
    uint32_t target_count;
    uint32_t dropped;
};

struct files_epoll_target {
    int32_t tfd;
    uint32_t events;
    uint64_t data;
    int32_t via_fd;
    uint32_t reserved;
};

_Static_assert(sizeof(struct files_event_head) == 24, "common head layout");
_Static_assert(sizeof(struct files_eventfd_payload) == 40, "eventfd payload layout");
_Static_assert(sizeof(struct files_signalfd_payload) == 32, "signalfd payload layout");
_Static_assert(sizeof(struct files_timerfd_payload) == 80, "timerfd payload layout");
_Static_assert(sizeof(struct files_inotify_payload) == 40, "inotify payload layout");
_Static_assert(sizeof(struct files_inotify_watch) == 28, "inotify watch layout");
_Static_assert(sizeof(struct files_epoll_payload) == 32, "epoll payload layout");
_Static_assert(sizeof(struct files_epoll_target) == 24, "epoll target layout");

/* WRITE: fill in the share_* fields of a descriptor that is not a dup (the owner
 * is files_share.c's leader). */
void files_event_share_write(const struct files_fd *d, struct files_event_head *h);
/* RESTART, for a user: take the owner's descriptor (whose /proc link must read
 * `link`) to number fd. 0 done, STASIS_NOT_MINE when not a user, 1 when it could
 * not (logged): the caller then makes a copy of its own. */
int files_event_share_take(int fd, const struct files_event_head *h, const char *link);
/* RESTART, for an owner, once fd is recreated: tell the users where it is. */
void files_event_share_publish(int fd, const struct files_event_head *h);

/* WRITE: the lower descriptor of the same open file description among those the
 * event handlers saw so far in this pass, or -1; remembers `fd` for later ones. */
int files_event_same_as(int fd);

/* RESTART: `fd` becomes a dup of `original` (already restored). 0 or -errno. */
int files_event_restore_alias(int original, int fd);

/* The whole /proc/self/fdinfo/<fd> (the dispatcher's copy stops at 4 KiB, an
 * interest list or a watch list may not): a static buffer, valid until the next
 * call, or NULL. `truncated` is set when even that buffer was too small. */
const char *files_event_fdinfo(int fd, int *truncated);

/* What the inotify wrappers remember of a watch: its path and the flags it was
 * added with. `inotify_fd` is the descriptor it was added through, which is
 * preferred; any watch of the same wd on the same inode will do. The path is
 * copied into `path` (NUL-terminated). 0, or -ENOENT when unknown. */
int files_inotify_lookup(int inotify_fd, int wd, uint64_t ino, uint32_t sdev, char *path, size_t cap,
                         uint32_t *add_flags);
/* After a restart with --path-map: watch `wd` of `inotify_fd` was added again by
 * `path`, which the next checkpoint records instead of the saved one. */
void files_inotify_moved(int inotify_fd, int wd, const char *path);
/* The highest wd handed out through `inotify_fd` since it was created, or 0. */
int files_inotify_highest_wd(int inotify_fd);
/* EXEC and SPAWN (normal context): pass what the wrappers know of inherited
 * instances to the new program. 0 or -errno. */
int files_inotify_exec(void);

#endif
