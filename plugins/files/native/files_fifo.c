/* TODO(issue 6): being written. */
#include <errno.h>
#include <stasis/plugin.h>

#include "files.h"

static int write_fifo(const struct files_fd *d)
{
    (void)d;
    return STASIS_NOT_MINE;
}

static int restore_fifo(uint32_t kind, int fd, const void *payload, uint64_t length)
{
    (void)kind, (void)fd, (void)payload, (void)length;
    return -ENOSYS;
}

const struct files_handler files_fifo_handler = {
    .name = "fifo",
    .write = write_fifo,
    .restore = restore_fifo,
    .kinds = {FILES_REC_FIFO, 0},
    .late = 0,
};
