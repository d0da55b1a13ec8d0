/* TODO(issue 6): being written. */
#include <errno.h>
#include <stasis/plugin.h>

#include "files.h"

static int write_epoll(const struct files_fd *d)
{
    (void)d;
    return STASIS_NOT_MINE;
}

static int restore_epoll(uint32_t kind, int fd, const void *payload, uint64_t length)
{
    (void)kind, (void)fd, (void)payload, (void)length;
    return -ENOSYS;
}

const struct files_handler files_epoll_handler = {
    .name = "epoll",
    .write = write_epoll,
    .restore = restore_epoll,
    .kinds = {FILES_REC_EPOLL, 0},
    .late = 1,
};
