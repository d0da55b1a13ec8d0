/* TODO(issue 6): being written. */
#include <errno.h>
#include <stasis/plugin.h>

#include "files.h"

static int write_event(const struct files_fd *d)
{
    (void)d;
    return STASIS_NOT_MINE;
}

static int restore_event(uint32_t kind, int fd, const void *payload, uint64_t length)
{
    (void)kind, (void)fd, (void)payload, (void)length;
    return -ENOSYS;
}

const struct files_handler files_event_handler = {
    .name = "event",
    .write = write_event,
    .restore = restore_event,
    .kinds = {FILES_REC_EVENTFD, FILES_REC_SIGNALFD, FILES_REC_TIMERFD, FILES_REC_INOTIFY, 0},
    .late = 0,
};
