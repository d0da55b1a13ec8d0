/* epoll instances: the interest list from fdinfo ("tfd: … events: … data: …") at
 * WRITE; at RESTART, after every other descriptor exists (late), a new instance
 * and one EPOLL_CTL_ADD per registration, through the same descriptor number,
 * with the same events (EPOLLET, EPOLLONESHOT, EPOLLEXCLUSIVE included) and data.
 * Layout in files_event.h.
 *
 * Limits: the kernel keeps a registration as long as its file is open anywhere.
 * One made through a dup closed since is restored through another descriptor of
 * this process that holds the file (EPOLL_CTL_MOD/DEL by the old number then fail
 * with ENOENT); one whose file this process holds by no descriptor at all (only a
 * child does, say) is not restored. A target recreated only at REFILL (by another
 * plugin) is not there yet: skipped. Re-adding reports a ready target once, even
 * edge-triggered (a spurious edge rather than a lost one, as CRIU does). A fired
 * EPOLLONESHOT registration comes back disabled, but EPOLL_CTL_ADD adds
 * EPOLLERR|EPOLLHUP to it, which it reports again. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stasis/plugin.h>
#include <stasis/services.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>

#include "files.h"
#include "files_event.h"

#define MAX_TARGETS 16384
#define MAX_FD_SEARCH 4096

static struct epoll_state {
    unsigned char payload[sizeof(struct files_epoll_payload) + MAX_TARGETS * sizeof(struct files_epoll_target)]
        __attribute__((aligned(8))); /* targets are written in place */
} epoll_state;

static int is_epoll(int fd)
{
    return files_fd_link_is(fd, "anon_inode:[eventpoll]");
}

/* The descriptor that holds the file registered as `tfd` (the toff-th registration
 * with that number) in epoll `efd`: tfd itself, or else any other, or -1. */
static int holder_of(int efd, int tfd, int toff)
{
    long pid = files_sys(SYS_getpid, 0, 0, 0, 0, 0, 0);
    struct kcmp_epoll_slot slot = {(uint32_t)efd, (uint32_t)tfd, (uint32_t)toff};
    if (files_sys(SYS_kcmp, pid, pid, KCMP_EPOLL_TFD, tfd, (long)&slot, 0) == 0)
        return tfd;
    for (int fd = 0; fd < MAX_FD_SEARCH; fd++)
        if (fd != tfd && files_sys(SYS_kcmp, pid, pid, KCMP_EPOLL_TFD, fd, (long)&slot, 0) == 0)
            return fd;
    return -1;
}

static int write_epoll(const struct files_fd *d)
{
    if (strcmp(d->link, "anon_inode:[eventpoll]") != 0)
        return STASIS_NOT_MINE;
    struct epoll_state *s = &epoll_state;
    struct files_epoll_payload p = {.head = {.same_as = files_event_same_as(d->fd), .open_flags = d->open_flags}};
    if (p.head.same_as < 0)
        files_event_share_write(d, &p.head);
    int truncated;
    const char *info = files_event_fdinfo(d->fd, &truncated);
    if (!info)
        return -EIO;
    p.dropped = truncated; /* at least one line did not fit */
    struct files_epoll_target *targets = (struct files_epoll_target *)(s->payload + sizeof p);
    for (const char *line = info; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, "tfd:", 4) != 0)
            continue;
        if (p.target_count == MAX_TARGETS) {
            p.dropped++;
            continue;
        }
        struct files_epoll_target t = {
            .tfd = (int32_t)files_fdinfo_number(line, "tfd:", 10),
            .events = (uint32_t)files_fdinfo_number(strstr(line, "events:"), "events:", 16),
            .data = files_fdinfo_number(strstr(line, "data:"), "data:", 16),
        };
        /* the kernel lists registrations in the order kcmp counts them */
        int toff = 0;
        for (uint32_t i = 0; i < p.target_count; i++)
            toff += targets[i].tfd == t.tfd;
        t.via_fd = p.head.same_as < 0 ? holder_of(d->fd, t.tfd, toff) : t.tfd;
        targets[p.target_count++] = t;
    }
    memcpy(s->payload, &p, sizeof p);
    return files_emit(FILES_REC_EPOLL, d->fd, s->payload, sizeof p + p.target_count * sizeof(struct files_epoll_target),
                      -1, 0);
}

static int create_instance(int fd, uint32_t open_flags)
{
    long n = files_sys(SYS_epoll_create1, EPOLL_CLOEXEC, 0, 0, 0, 0, 0);
    if (n < 0) {
        files_log("descriptor %d: cannot create an epoll instance (%s)", fd, stasis_strerror(n));
        return (int)n;
    }
    if ((open_flags & O_NONBLOCK) && files_sys(SYS_fcntl, n, F_SETFL, O_NONBLOCK, 0, 0, 0) < 0) {
        files_sys(SYS_close, n, 0, 0, 0, 0, 0);
        return -EIO;
    }
    return files_install((int)n, fd);
}

/* An epoll instance that is the target of another and comes later in the image:
 * make it (still empty) now; its own record fills it in. */
static int create_early(int fd)
{
    size_t length;
    const unsigned char *section = stasis_section_read(&length);
    /* [magic]([u32 kind][i32 fd][u64 length][payload])…: files.h */
    for (size_t at = 4; section && length >= 16 && at <= length - 16;) {
        uint32_t kind;
        int32_t record_fd;
        uint64_t record_length;
        memcpy(&kind, section + at, 4);
        memcpy(&record_fd, section + at + 4, 4);
        memcpy(&record_length, section + at + 8, 8);
        at += 16;
        if (record_length > length - at)
            break;
        if (kind == FILES_REC_EPOLL && record_fd == fd && record_length >= sizeof(struct files_epoll_payload)) {
            struct files_event_head h;
            memcpy(&h, section + at, sizeof h);
            return h.same_as < 0 ? create_instance(fd, h.open_flags) : -ENOENT;
        }
        at += record_length;
    }
    return -ENOENT;
}

static int restore_epoll(uint32_t kind, int fd, const void *payload, uint64_t length)
{
    struct files_epoll_payload p;
    if (length < sizeof p) {
        files_log("descriptor %d: the image's epoll record is truncated", fd);
        return -EINVAL;
    }
    memcpy(&p, payload, sizeof p);
    if (p.target_count > (length - sizeof p) / sizeof(struct files_epoll_target)) {
        files_log("descriptor %d: the image's epoll record is damaged", fd);
        return -EINVAL;
    }
    if (p.head.same_as >= fd) {
        files_log("descriptor %d: the image says it is a dup of %d, a later one", fd, p.head.same_as);
        return -EINVAL;
    }
    if (p.head.same_as >= 0)
        return files_event_restore_alias(p.head.same_as, fd);
    if (files_event_share_take(fd, &p.head, "anon_inode:[eventpoll]") == 0)
        return 0; /* the owner's, interest list and all */
    int r;
    if (!is_epoll(fd) && (r = create_instance(fd, p.head.open_flags)) < 0)
        return r;
    if (p.dropped)
        files_log("descriptor %d: %u epoll registrations did not fit in the image; not restored", fd, p.dropped);
    for (uint32_t i = 0; i < p.target_count; i++) {
        struct files_epoll_target t;
        memcpy(&t, (const unsigned char *)payload + sizeof p + i * sizeof t, sizeof t);
        if (t.via_fd < 0) {
            files_log("descriptor %d: epoll registration of %d: its file was closed before the checkpoint; "
                      "not restored", fd, t.tfd);
            continue;
        }
        struct epoll_event ev = {.events = t.events, .data.u64 = t.data};
        long e = files_sys(SYS_epoll_ctl, fd, EPOLL_CTL_ADD, t.via_fd, (long)&ev, 0, 0);
        if (e == -EPERM && !is_epoll(t.via_fd) && create_early(t.via_fd) == 0)
            e = files_sys(SYS_epoll_ctl, fd, EPOLL_CTL_ADD, t.via_fd, (long)&ev, 0, 0);
        if (e < 0)
            files_log("descriptor %d: epoll registration of %d cannot be restored (%s); skipped", fd,
                      t.via_fd, stasis_strerror(e));
        else if (t.via_fd != t.tfd)
            files_log("descriptor %d: epoll registration of %d (closed since) restored through %d", fd, t.tfd,
                      t.via_fd);
    }
    files_event_share_publish(fd, &p.head);
    return 0;
}

const struct files_handler files_epoll_handler = {
    .name = "epoll",
    .write = write_epoll,
    .restore = restore_epoll,
    .kinds = {FILES_REC_EPOLL, 0},
    .late = 1,
};
