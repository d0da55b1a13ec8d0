/* eventfd, signalfd, timerfd and inotify descriptors: their state from fdinfo at
 * WRITE, a new descriptor of the same kind at RESTART (layouts in files_event.h).
 *
 * timerfd: the time left is re-armed relative to restart time (CLOCK_MONOTONIC is
 * not the same clock after restart), except a CLOCK_REALTIME timer set with
 * TFD_TIMER_ABSTIME, which keeps its deadline on the wall clock. Expirations not
 * yet read are put back with TFD_IOC_SET_TICKS; a kernel without it (no
 * CONFIG_CHECKPOINT_RESTORE) gets one immediate expiration instead.
 *
 * signalfd: only its mask is the descriptor's; the signals pending at checkpoint
 * time are the process's, and the core does not save them (one sent just before a
 * checkpoint is lost at restart, not at resume).
 *
 * inotify: each watch is added again by the path the wrappers (files_inotify.c)
 * remembered, and gets its old wd: a new instance hands wds out in increasing
 * order, so filler watches are added and removed until the cursor reaches it, and
 * then on to where the old instance would have continued. Removing a filler queues
 * an IN_IGNORED, so the new queue is emptied at the end: events queued and not
 * read at checkpoint time, and any that come during those milliseconds of the
 * restart, are lost (nothing is lost at resume). */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stasis/plugin.h>
#include <stasis/services.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "files_event.h"
#include "files_share.h"

#ifndef TFD_IOC_SET_TICKS
#define TFD_IOC_SET_TICKS _IOW('T', 0, uint64_t)
#endif
#define MAX_SEEN 4096
#define MAX_WATCHES 2048
#define FDINFO_CAP (1024 * 1024)
#define PAYLOAD_CAP (512 * 1024)
#define FILLER_DRAIN_EVERY 4096

struct watch {
    int32_t wd;
    uint32_t mask;
    uint32_t sdev;
    uint64_t ino;
};

static struct event_state {
    int seen[MAX_SEEN];             /* event descriptors met in this WRITE pass, one per description */
    int seen_count;
    int last_fd;
    char fdinfo[FDINFO_CAP];
    struct watch watches[MAX_WATCHES];
    unsigned char payload[PAYLOAD_CAP];
    char path[4096];
    char moved[4096];               /* path after stasis restart --path-map */
    unsigned char events[4096];     /* drained inotify events at restart */
} event_state;

/* ---- shared with files_epoll.c ---- */

/* Is fd still one of the descriptors the event handlers write? */
static int still_event(int fd)
{
    static const char *const kinds[] = {"anon_inode:[eventfd]", "anon_inode:[signalfd]", "anon_inode:[timerfd]",
                                        "anon_inode:inotify", "anon_inode:[eventpoll]"};
    char link[64];
    if (files_fd_link(fd, link, sizeof link) <= 0)
        return 0;
    for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(link, kinds[i]) == 0)
            return 1;
    return 0;
}

/* The list holds one descriptor per open file description, in kcmp's order of
 * the descriptions, so finding one is a binary search: a process with thousands
 * of eventfds checkpoints in O(n log n) kcmp calls, not O(n²).
 * The dispatcher hands descriptors over in increasing order, so a number not above
 * the last one starts a new pass. A pass may also start above where the last one
 * ended: what the list still holds then are numbers below every event descriptor
 * of the new pass, so closed or something else now, and the first one the search
 * touches says so. */
int files_event_same_as(int fd)
{
    struct event_state *s = &event_state;
    if (fd <= s->last_fd)
        s->seen_count = 0;
    s->last_fd = fd;
    long pid = files_sys(SYS_getpid, 0, 0, 0, 0, 0, 0);
    int low = 0, high = s->seen_count;
    while (low < high) {
        int mid = (low + high) / 2;
        long order = files_sys(SYS_kcmp, pid, pid, KCMP_FILE, fd, s->seen[mid], 0);
        if (order < 0 || !still_event(s->seen[mid])) {
            s->seen_count = low = high = 0; /* left from an earlier pass */
            break;
        }
        if (order == 0)
            return s->seen[mid]; /* the first of them met: the lowest number */
        if (order == 1)
            high = mid;
        else if (order == 2)
            low = mid + 1;
        else
            return -1; /* kcmp gives no order: treat as no dup */
    }
    if (s->seen_count < MAX_SEEN) {
        memmove(&s->seen[low + 1], &s->seen[low], (size_t)(s->seen_count - low) * sizeof s->seen[0]);
        s->seen[low] = fd;
        s->seen_count++;
    }
    return -1;
}

int files_event_restore_alias(int original, int fd)
{
    long copy = files_sys(SYS_fcntl, original, F_DUPFD_CLOEXEC, 0, 0, 0, 0);
    if (copy < 0) {
        files_log("descriptor %d: its original %d was not restored", fd, original);
        return (int)copy;
    }
    return files_install((int)copy, fd);
}

const char *files_event_fdinfo(int fd, int *truncated)
{
    struct event_state *s = &event_state;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    long f = files_sys(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (f < 0)
        return NULL;
    size_t used = 0;
    for (;;) {
        long n = files_sys(SYS_read, f, (long)(s->fdinfo + used), (long)(sizeof s->fdinfo - 1 - used), 0, 0, 0);
        if (n <= 0)
            break;
        used += (size_t)n;
        if (used == sizeof s->fdinfo - 1)
            break;
    }
    files_sys(SYS_close, f, 0, 0, 0, 0, 0);
    *truncated = used == sizeof s->fdinfo - 1;
    /* a line cut in the middle would parse as a wrong number: drop it */
    if (*truncated)
        while (used > 0 && s->fdinfo[used - 1] != '\n')
            used--;
    s->fdinfo[used] = 0;
    return s->fdinfo;
}

/* A hexadecimal number after `name` within one line, or 0. */
static uint64_t hex_in_line(const char *line, const char *name)
{
    const char *end = strchr(line, '\n');
    const char *p = strstr(line, name);
    if (!p || (end && p > end))
        return 0;
    return files_fdinfo_number(p, name, 16);
}

/* ---- descriptors other processes hold too (files_share.c); files_epoll.c uses these ---- */

void files_event_share_write(const struct files_fd *d, struct files_event_head *h)
{
    struct files_share share;
    files_share_identify(d->fd, &d->st, &share);
    h->share_pid = share.pid;
    h->share_fd = share.fd;
    h->share_role = !share.pid                          ? FILES_EVENT_SHARE_NONE
                    : (share.flags & FILES_SHARE_LEADER) ? FILES_EVENT_SHARE_OWNER
                                                         : FILES_EVENT_SHARE_USER;
}

static struct files_share share_of(const struct files_event_head *h)
{
    struct files_share share = {.pid = h->share_pid, .fd = h->share_fd};
    if (h->share_role == FILES_EVENT_SHARE_NONE)
        share.pid = 0;
    else if (h->share_role == FILES_EVENT_SHARE_OWNER)
        share.flags = FILES_SHARE_LEADER;
    return share;
}

void files_event_share_publish(int fd, const struct files_event_head *h)
{
    struct files_share share = share_of(h);
    files_share_publish(&share, fd);
}

/* A user waits for the owner, which may recreate it later in its RESTART: an epoll
 * instance, restored late in RESTART, must find the targets it shares already
 * there. An event descriptor cannot be opened again through /proc: when the owner
 * is not reachable, or does not let us take it, the user makes a copy of its own,
 * as if it were not shared, and says so. */
int files_event_share_take(int fd, const struct files_event_head *h, const char *link)
{
    if (h->share_role != FILES_EVENT_SHARE_USER)
        return STASIS_NOT_MINE;
    struct files_share share = share_of(h);
    const struct files_share_how how = {.wait = 1, .link = link, .reopen_flags = -1};
    long owner, got = files_share_take(&share, &how, &owner);
    if (got >= 0)
        return files_install((int)got, fd);
    files_log("descriptor %d: shared with fd %d of process %d before, now a copy of its own (%s)", fd,
              h->share_fd, h->share_pid, stasis_strerror(got));
    return 1;
}

static struct files_event_head head_of(const struct files_fd *d)
{
    struct files_event_head h = {.same_as = files_event_same_as(d->fd), .open_flags = d->open_flags};
    if (h.same_as < 0)
        files_event_share_write(d, &h);
    return h;
}

static int is_link(const struct files_fd *d, const char *what)
{
    return strcmp(d->link, what) == 0;
}

/* ---- eventfd ---- */

static int write_eventfd(const struct files_fd *d)
{
    struct files_eventfd_payload p = {
        .head = head_of(d),
        .count = files_fdinfo_number(d->fdinfo, "eventfd-count:", 16),
        /* printed since Linux 6.6; before, every eventfd reads as a counter */
        .semaphore = (uint32_t)files_fdinfo_number(d->fdinfo, "eventfd-semaphore:", 10) != 0,
    };
    return files_emit(FILES_REC_EVENTFD, d->fd, &p, sizeof p, -1, 0);
}

static int restore_eventfd(int fd, const struct files_eventfd_payload *p)
{
    long flags = O_CLOEXEC | (p->semaphore ? 1 /* EFD_SEMAPHORE */ : 0) | (p->head.open_flags & O_NONBLOCK);
    long n = files_sys(SYS_eventfd2, 0, flags, 0, 0, 0, 0);
    if (n < 0) {
        files_log("descriptor %d: cannot create an eventfd (%s)", fd, stasis_strerror(n));
        return (int)n;
    }
    /* the largest count an eventfd holds is 2^64 - 2: one write puts it back */
    if (p->count && p->count != UINT64_MAX) {
        long w = files_sys(SYS_write, n, (long)&p->count, sizeof p->count, 0, 0, 0);
        if (w != sizeof p->count) {
            files_log("descriptor %d: cannot restore the eventfd's count (%s)", fd, stasis_strerror(w < 0 ? -w : EIO));
            files_sys(SYS_close, n, 0, 0, 0, 0, 0);
            return w < 0 ? (int)w : -EIO;
        }
    }
    return files_install((int)n, fd);
}

/* ---- signalfd ---- */

static int write_signalfd(const struct files_fd *d)
{
    struct files_signalfd_payload p = {
        .head = head_of(d),
        .sigmask = files_fdinfo_number(d->fdinfo, "sigmask:", 16),
    };
    return files_emit(FILES_REC_SIGNALFD, d->fd, &p, sizeof p, -1, 0);
}

static int restore_signalfd(int fd, const struct files_signalfd_payload *p)
{
    uint64_t mask = p->sigmask;
    long n = files_sys(SYS_signalfd4, -1, (long)&mask, sizeof mask, O_CLOEXEC | (p->head.open_flags & O_NONBLOCK),
                       0, 0);
    if (n < 0) {
        files_log("descriptor %d: cannot create a signalfd (%s)", fd, stasis_strerror(n));
        return (int)n;
    }
    return files_install((int)n, fd);
}

/* ---- timerfd ---- */

/* "it_value: (12, 345)" → seconds and nanoseconds. */
static void pair(const char *fdinfo, const char *name, int64_t *sec, int64_t *nsec)
{
    const char *p = files_fdinfo_field(fdinfo, name);
    *sec = *nsec = 0;
    if (!p || *p != '(')
        return;
    *sec = (int64_t)files_fdinfo_number(p + 1, "", 10);
    const char *comma = strchr(p, ',');
    const char *end = strchr(p, '\n');
    if (comma && (!end || comma < end))
        *nsec = (int64_t)files_fdinfo_number(comma + 1, "", 10);
}

static int is_realtime(int clockid)
{
    return clockid == CLOCK_REALTIME || clockid == CLOCK_REALTIME_ALARM;
}

static int write_timerfd(const struct files_fd *d)
{
    struct files_timerfd_payload p = {.head = head_of(d)};
    int truncated;
    const char *info = d->fdinfo;
    /* A periodic timer that fired and was not read yet shows 0 time left and one
     * tick, whatever the overruns since: timerfd_gettime() counts them into the
     * ticks and starts the timer again, as the program's next read() would have. */
    for (int attempt = 0; attempt < 3; attempt++) {
        pair(info, "it_value:", &p.value_sec, &p.value_nsec);
        pair(info, "it_interval:", &p.interval_sec, &p.interval_nsec);
        if ((p.value_sec || p.value_nsec) || !(p.interval_sec || p.interval_nsec))
            break;
        struct itimerspec now;
        if (files_sys(SYS_timerfd_gettime, d->fd, (long)&now, 0, 0, 0, 0) < 0)
            break;
        const char *fresh = files_event_fdinfo(d->fd, &truncated);
        if (!fresh)
            break;
        info = fresh;
    }
    p.clockid = (int32_t)files_fdinfo_number(info, "clockid:", 10);
    p.settime_flags = (uint32_t)files_fdinfo_number(info, "settime flags:", 8);
    p.ticks = files_fdinfo_number(info, "ticks:", 10);
    pair(info, "it_value:", &p.value_sec, &p.value_nsec);
    pair(info, "it_interval:", &p.interval_sec, &p.interval_nsec);
    if (!p.value_sec && !p.value_nsec && (p.interval_sec || p.interval_nsec))
        p.value_nsec = 1; /* due right now (a very short period): 0 would disarm it */
    if ((p.settime_flags & TFD_TIMER_ABSTIME) && is_realtime(p.clockid) && (p.value_sec || p.value_nsec)) {
        struct timespec now;
        if (files_sys(SYS_clock_gettime, CLOCK_REALTIME, (long)&now, 0, 0, 0, 0) == 0) {
            p.absolute = 1;
            p.value_sec += now.tv_sec;
            p.value_nsec += now.tv_nsec;
            if (p.value_nsec >= 1000000000) {
                p.value_sec++;
                p.value_nsec -= 1000000000;
            }
        }
    }
    return files_emit(FILES_REC_TIMERFD, d->fd, &p, sizeof p, -1, 0);
}

static int restore_timerfd(int fd, const struct files_timerfd_payload *p)
{
    if (p->value_nsec < 0 || p->value_nsec >= 1000000000 || p->interval_nsec < 0 || p->interval_nsec >= 1000000000 ||
        p->value_sec < 0 || p->interval_sec < 0) {
        files_log("descriptor %d: the image's timerfd record is damaged", fd);
        return -EINVAL;
    }
    long n = files_sys(SYS_timerfd_create, p->clockid, TFD_CLOEXEC | (p->head.open_flags & O_NONBLOCK), 0, 0, 0, 0);
    if (n < 0) {
        files_log("descriptor %d: cannot create a timerfd on clock %d (%s)", fd, p->clockid, stasis_strerror(n));
        return (int)n;
    }
    struct itimerspec t = {{p->interval_sec, p->interval_nsec}, {p->value_sec, p->value_nsec}};
    int flags = p->absolute ? (int)(p->settime_flags & (TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) : 0;
    long r = 0;
    if (p->value_sec || p->value_nsec)
        r = files_sys(SYS_timerfd_settime, n, flags, (long)&t, 0, 0, 0);
    if (r == 0 && p->ticks) {
        uint64_t ticks = p->ticks;
        if (files_sys(SYS_ioctl, n, (long)TFD_IOC_SET_TICKS, (long)&ticks, 0, 0, 0) < 0) {
            /* the kernel cannot set the count: one expiration now, then the period */
            struct itimerspec now = {t.it_interval, {0, 1}};
            files_log("descriptor %d: %llu expirations not read become 1 (no TFD_IOC_SET_TICKS)", fd,
                      (unsigned long long)p->ticks);
            r = files_sys(SYS_timerfd_settime, n, 0, (long)&now, 0, 0, 0);
        }
    }
    if (r < 0) {
        files_log("descriptor %d: cannot arm the timerfd again (%s)", fd, stasis_strerror(r));
        files_sys(SYS_close, n, 0, 0, 0, 0, 0);
        return (int)r;
    }
    return files_install((int)n, fd);
}

/* ---- inotify ---- */

static int write_inotify(const struct files_fd *d)
{
    struct event_state *s = &event_state;
    struct files_inotify_payload p = {.head = head_of(d)};
    int truncated, count = 0, highest = 0;
    const char *info = files_event_fdinfo(d->fd, &truncated);
    if (!info)
        return -EIO;
    p.dropped = truncated; /* at least one line did not fit */
    for (const char *line = info; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, "inotify wd:", 11) != 0)
            continue;
        if (count == MAX_WATCHES) {
            p.dropped++;
            continue;
        }
        struct watch w = {
            .wd = (int32_t)hex_in_line(line, "wd:"),
            .mask = (uint32_t)hex_in_line(line, " mask:"),
            .sdev = (uint32_t)hex_in_line(line, "sdev:"),
            .ino = hex_in_line(line, "ino:"),
        };
        /* by wd, so the restart can hand them out in the kernel's order */
        int at = count++;
        while (at > 0 && s->watches[at - 1].wd > w.wd) {
            s->watches[at] = s->watches[at - 1];
            at--;
        }
        s->watches[at] = w;
        if (w.wd > highest)
            highest = w.wd;
    }
    int known = files_inotify_highest_wd(d->fd);
    p.next_wd = (known > highest ? known : highest) + 1;
    size_t used = sizeof p;
    for (int i = 0; i < count; i++) {
        struct files_inotify_watch w = {.wd = s->watches[i].wd, .mask = s->watches[i].mask,
                                        .sdev = s->watches[i].sdev, .ino = s->watches[i].ino};
        uint32_t add_flags = 0;
        if (p.head.same_as < 0 &&
            files_inotify_lookup(d->fd, w.wd, w.ino, w.sdev, s->path, sizeof s->path, &add_flags) == 0) {
            w.path_length = (uint32_t)strlen(s->path);
            w.add_flags = add_flags;
        }
        if (used + sizeof w + w.path_length > sizeof s->payload) {
            p.dropped += (uint32_t)(count - i);
            break;
        }
        memcpy(s->payload + used, &w, sizeof w);
        memcpy(s->payload + used + sizeof w, s->path, w.path_length);
        used += sizeof w + w.path_length;
        p.watch_count++;
    }
    memcpy(s->payload, &p, sizeof p);
    return files_emit(FILES_REC_INOTIFY, d->fd, s->payload, used, -1, 0);
}

/* Read and drop what the instance has queued: the IN_IGNORED of the fillers. */
static void drain(int fd)
{
    while (files_sys(SYS_read, fd, (long)event_state.events, sizeof event_state.events, 0, 0, 0) > 0)
        ;
}

/* Make the instance's next wd be `wd`, with watches on `filler` added and removed. */
static int advance(int fd, int *next, int wd, const char *filler)
{
    int fillers = 0;
    while (*next < wd) {
        long w = files_sys(SYS_inotify_add_watch, fd, (long)filler, IN_ACCESS, 0, 0, 0);
        if (w < 0)
            return (int)w;
        files_sys(SYS_inotify_rm_watch, fd, w, 0, 0, 0, 0);
        *next = (int)w + 1;
        if (++fillers % FILLER_DRAIN_EVERY == 0)
            drain(fd); /* before the queue overflows */
    }
    return 0;
}

static int restore_inotify(int fd, const unsigned char *payload, uint64_t length)
{
    struct files_inotify_payload p;
    memcpy(&p, payload, sizeof p);
    /* a fresh memfd is an inode no watch of ours is on: the fillers' target */
    long filler_fd = files_sys(SYS_memfd_create, (long)"stasis-inotify-filler", 1 /* MFD_CLOEXEC */, 0, 0, 0, 0);
    long n = files_sys(SYS_inotify_init1, IN_CLOEXEC | IN_NONBLOCK, 0, 0, 0, 0, 0);
    if (n < 0 || filler_fd < 0) {
        files_log("descriptor %d: cannot create an inotify instance (%s)", fd,
                  stasis_strerror(n < 0 ? n : filler_fd));
        if (n >= 0)
            files_sys(SYS_close, n, 0, 0, 0, 0, 0);
        if (filler_fd >= 0)
            files_sys(SYS_close, filler_fd, 0, 0, 0, 0, 0);
        return n < 0 ? (int)n : (int)filler_fd;
    }
    char filler[64];
    snprintf(filler, sizeof filler, "/proc/self/fd/%ld", filler_fd);
    int next = 1, r = 0; /* a new instance starts at wd 1 */
    uint64_t at = sizeof p;
    for (uint32_t i = 0; i < p.watch_count && r == 0; i++) {
        struct files_inotify_watch w;
        if (length - at < sizeof w) {
            files_log("descriptor %d: the image's inotify record is truncated", fd);
            r = -EINVAL;
            break;
        }
        memcpy(&w, payload + at, sizeof w);
        if (length - at - sizeof w < w.path_length || w.path_length >= sizeof event_state.path) {
            files_log("descriptor %d: the image's inotify record is damaged", fd);
            r = -EINVAL;
            break;
        }
        memcpy(event_state.path, payload + at + sizeof w, w.path_length);
        event_state.path[w.path_length] = 0;
        at += sizeof w + w.path_length;
        if (!w.path_length) {
            files_log("descriptor %d: inotify watch %d (inode %llu) was added by a path nobody saw (before an exec?); "
                      "not restored", fd, w.wd, (unsigned long long)w.ino);
            continue;
        }
        if (w.wd < next) {
            files_log("descriptor %d: inotify watch %d of %s cannot get its number back; not restored", fd, w.wd,
                      event_state.path);
            continue;
        }
        if ((r = advance((int)n, &next, w.wd, filler)) < 0)
            break;
        const char *path = event_state.path;
        if (stasis_restart_path(event_state.path, event_state.moved, sizeof event_state.moved) <
            sizeof event_state.moved)
            path = event_state.moved;
        long got = files_sys(SYS_inotify_add_watch, n, (long)path, w.mask | w.add_flags, 0, 0, 0);
        if (got < 0) {
            files_log("descriptor %d: inotify watch %d: %s is gone (%s); not restored", fd, w.wd, path,
                      stasis_strerror(got));
            continue;
        }
        next = (int)got + 1;
        if (got != w.wd)
            files_log("descriptor %d: inotify watch of %s is %ld now, was %d", fd, path, got, w.wd);
        if (strcmp(path, event_state.path) != 0)
            files_inotify_moved(fd, (int)got, path);
    }
    if (p.dropped)
        files_log("descriptor %d: %u inotify watches did not fit in the image; not restored", fd, p.dropped);
    if (r == 0 && p.next_wd > next)
        r = advance((int)n, &next, p.next_wd, filler);
    files_sys(SYS_close, filler_fd, 0, 0, 0, 0, 0);
    drain((int)n);
    if (r == 0 && !(p.head.open_flags & O_NONBLOCK))
        r = (int)files_sys(SYS_fcntl, n, F_SETFL, 0, 0, 0, 0);
    if (r < 0) {
        files_log("descriptor %d: cannot restore the inotify watches (%s)", fd, stasis_strerror(r));
        files_sys(SYS_close, n, 0, 0, 0, 0, 0);
        return r;
    }
    return files_install((int)n, fd);
}

/* ---- dispatch ---- */

static int write_event(const struct files_fd *d)
{
    if (is_link(d, "anon_inode:[eventfd]"))
        return write_eventfd(d);
    if (is_link(d, "anon_inode:[signalfd]"))
        return write_signalfd(d);
    if (is_link(d, "anon_inode:[timerfd]"))
        return write_timerfd(d);
    if (is_link(d, "anon_inode:inotify"))
        return write_inotify(d);
    return STASIS_NOT_MINE;
}

static int restore_event(uint32_t kind, int fd, const void *payload, uint64_t length)
{
    static const uint64_t sizes[] = {
        [FILES_REC_EVENTFD] = sizeof(struct files_eventfd_payload),
        [FILES_REC_SIGNALFD] = sizeof(struct files_signalfd_payload),
        [FILES_REC_TIMERFD] = sizeof(struct files_timerfd_payload),
        [FILES_REC_INOTIFY] = sizeof(struct files_inotify_payload),
    };
    if (kind >= sizeof sizes / sizeof sizes[0] || !sizes[kind]) {
        files_log("descriptor %d: record kind %u is not an event descriptor's", fd, kind);
        return -EINVAL;
    }
    if (length < sizes[kind] || (kind != FILES_REC_INOTIFY && length != sizes[kind])) {
        files_log("descriptor %d: the image's record of kind %u has %llu bytes, not %llu", fd, kind,
                  (unsigned long long)length, (unsigned long long)sizes[kind]);
        return -EINVAL;
    }
    struct files_event_head h;
    memcpy(&h, payload, sizeof h);
    if (h.same_as >= fd) {
        files_log("descriptor %d: the image says it is a dup of %d, a later one", fd, h.same_as);
        return -EINVAL;
    }
    if (h.same_as >= 0)
        return files_event_restore_alias(h.same_as, fd);
    static const char *const links[] = {
        [FILES_REC_EVENTFD] = "anon_inode:[eventfd]",
        [FILES_REC_SIGNALFD] = "anon_inode:[signalfd]",
        [FILES_REC_TIMERFD] = "anon_inode:[timerfd]",
        [FILES_REC_INOTIFY] = "anon_inode:inotify",
    };
    if (files_event_share_take(fd, &h, links[kind]) == 0)
        return 0; /* the owner's, state and all */
    /* the payload may sit at any offset of the section: copy before reading fields */
    union {
        struct files_eventfd_payload eventfd;
        struct files_signalfd_payload signalfd;
        struct files_timerfd_payload timerfd;
    } copy;
    int r;
    switch (kind) {
    case FILES_REC_EVENTFD:
        memcpy(&copy.eventfd, payload, sizeof copy.eventfd);
        r = restore_eventfd(fd, &copy.eventfd);
        break;
    case FILES_REC_SIGNALFD:
        memcpy(&copy.signalfd, payload, sizeof copy.signalfd);
        r = restore_signalfd(fd, &copy.signalfd);
        break;
    case FILES_REC_TIMERFD:
        memcpy(&copy.timerfd, payload, sizeof copy.timerfd);
        r = restore_timerfd(fd, &copy.timerfd);
        break;
    default:
        r = restore_inotify(fd, payload, length);
    }
    if (r == 0)
        files_event_share_publish(fd, &h);
    return r;
}

const struct files_handler files_event_handler = {
    .name = "event",
    .write = write_event,
    .restore = restore_event,
    .kinds = {FILES_REC_EVENTFD, FILES_REC_SIGNALFD, FILES_REC_TIMERFD, FILES_REC_INOTIFY, 0},
    .late = 0,
};
