/* TODO(issue 6): being written. */
#include <errno.h>
#include <stasis/plugin.h>

#include "files.h"

static int write_regular(const struct files_fd *d)
{
    (void)d;
    return STASIS_NOT_MINE;
}

static int restore_regular(uint32_t kind, int fd, const void *payload, uint64_t length)
{
    (void)kind, (void)fd, (void)payload, (void)length;
    return -ENOSYS;
}

const struct files_handler files_regular_handler = {
    .name = "regular",
    .write = write_regular,
    .restore = restore_regular,
    .kinds = {FILES_REC_FILE_STATE, FILES_REC_UNLINKED, FILES_REC_MEMFD, 0},
    .late = 0,
};
