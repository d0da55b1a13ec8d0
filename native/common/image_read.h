/* The C reader of images (docs/image-format.md), used by stasis-restart before it
 * destroys anything: it checks the whole structure, the section contents and the
 * file CRC, and indexes the memory blocks so they can be loaded in parallel. A
 * bad image gives a one-line reason, never a crash. */
#ifndef STASIS_IMAGE_READ_H
#define STASIS_IMAGE_READ_H

#include <stddef.h>
#include <stdint.h>

#include "image_format.h"

struct image_block {
    uint64_t payload_offset;
    struct img_block_header header;
    uint32_t region;            /* index of the region holding it */
};

struct image {
    int fd;
    uint64_t file_size;
    struct img_header header;
    unsigned char *metadata;    /* bytes [0, MEMORY section header end) */
    uint64_t metadata_length;
    struct img_process process;
    struct img_thread *threads;
    uint32_t thread_count;
    struct img_region *regions;
    uint32_t region_count;
    struct image_block *blocks;
    uint64_t block_count;
    uint64_t stored_bytes;      /* payload bytes */
    uint64_t raw_bytes;         /* bytes after decoding */
};

/* Open and check everything but block payloads. 0, or -1 with why filled. */
int image_open(const char *path, struct image *img, char *why, size_t why_cap);
/* Check one block's payload (CRC, and that LZ4 decodes to raw_length) into dst
 * (raw_length bytes). 0 or -1 with why. */
int image_load_block(const struct image *img, const struct image_block *b, void *dst, void *scratch,
                     size_t scratch_cap, char *why, size_t why_cap);
void image_close(struct image *img);

#endif
