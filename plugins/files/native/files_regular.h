/* Between the parts of the regular-file handler (files_regular.c): deleted files
 * (files_unlinked.c), memfds (files_memfd.c), putting a recreated file back
 * and sharing it with other processes (files_recreate.c, over files_share.c). */
#ifndef STASIS_FILES_REGULAR_H
#define STASIS_FILES_REGULAR_H

#include <stdint.h>
#include <sys/stat.h>

#include "files.h"

#define FILES_MAX_ALIASES 64
#define FILES_MAX_MAPS 64
#define FILES_DELETED " (deleted)"
#define FILES_MEMFD_PREFIX "/memfd:"

/* WRITE: the other numbers of a descriptor's open file description, and the
 * lowest number holding another description of the same file (-1: none). */
struct files_description {
    int32_t aliases[FILES_MAX_ALIASES];
    uint32_t alias_count;
    int32_t same_file_as;
};

int files_unlinked_write(const struct files_fd *d, const struct files_description *desc);
int files_unlinked_restore(int fd, const unsigned char *payload, uint64_t length);
int files_unlinked_refill(int fd, const unsigned char *payload, uint64_t length);

int files_memfd_write(const struct files_fd *d, const struct files_description *desc);
int files_memfd_restore(int fd, const unsigned char *payload, uint64_t length);
int files_memfd_refill(int fd, const unsigned char *payload, uint64_t length);

/* files_recreate.c */
/* WRITE: a descriptor contents can be read from (d's own, or the same file opened
 * again through /proc when d is write-only); close it with files_done_reading. */
long files_readable(const struct files_fd *d);
void files_done_reading(const struct files_fd *d, long readable);
int files_write_all(int fd, const unsigned char *data, uint64_t length);
/* RESTART: `rw` (read-write, any offset) becomes a descriptor opened as
 * `open_flags` says, at `offset`, installed at fd and at every alias. */
int files_install_as(int rw, int fd, uint32_t open_flags, uint64_t offset, const int32_t *aliases,
                     uint32_t alias_count, const char *what);
/* RESTART: the file restored at number `first`, opened again read-write. */
long files_reopen_restored(int first, int fd, const char *what);
long files_reopen_flags(uint32_t open_flags);

/* REFILL, in a process that shares the description but does not lead: the
 * leader's description in place of the copy made at RESTART, mappings and
 * aliases included; without it the copy stays (logged). 0 or -errno. */
int files_adopt_shared(int fd, const struct files_share *share, uint32_t open_flags, uint64_t offset,
                       const int32_t *aliases, uint32_t alias_count, const struct files_memfd_map *maps,
                       uint32_t map_count, const char *what);

#endif
