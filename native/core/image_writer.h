/* Writing one image file: header, sections, memory blocks, trailer — to a
 * temporary name (.<name>.<kernel pid>.tmp) that is fsynced and renamed over the final name only when the
 * coordinator says every process has written its image (docs/image-format.md).
 * Keeps the running file CRC over everything but block payloads. */
#ifndef STASIS_IMAGE_WRITER_H
#define STASIS_IMAGE_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "../common/image_format.h"

struct image_writer {
    int fd;
    int error;            /* first -errno, sticky */
    uint64_t offset;
    uint32_t crc;
    uint32_t sections, blocks;
    uint64_t payload_bytes;
    uint64_t reserved_to;     /* file offset up to which space was preallocated */
    char dir[4096];
    char tmp_path[4200];
    char final_path[4200];
};

/* created_ms 0: now (golden images pass a fixed time to be reproducible) */
int iw_open(struct image_writer *w, const char *dir, const char *name, uint32_t generation, uint64_t created_ms);
/* A whole section whose payload is ready. */
void iw_section(struct image_writer *w, uint32_t kind, const void *payload, uint64_t length);
/* Reserve room for `bytes` more (an upper bound): one allocation up front makes the
 * writes steady instead of waiting on the filesystem's allocator; iw_finish gives
 * back what was not used. Best effort. */
void iw_reserve(struct image_writer *w, uint64_t bytes);
/* Start MEMORY; then blocks go through iw_blocks; iw_finish ends it. */
void iw_memory_begin(struct image_writer *w);
/* iov alternates block header (32 bytes, part of the CRC) and payload (not). */
void iw_blocks(struct image_writer *w, const struct iovec *iov, int iovcnt);
/* END block, trailer, fsync, close. 0 or -errno. */
int iw_finish(struct image_writer *w);
/* rename over the final name and fsync the directory */
int iw_commit(struct image_writer *w);
/* drop the temporary file (abort, or an error) */
void iw_discard(struct image_writer *w);

#endif
