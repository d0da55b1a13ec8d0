/* The MEMORY section: which pages of which regions go into the image, compressed
 * in parallel into independent LZ4 blocks by raw worker threads while the
 * checkpoint thread writes the finished blocks in order. */
#ifndef STASIS_MEM_WRITER_H
#define STASIS_MEM_WRITER_H

#include <stdint.h>

#include "../common/image_format.h"
#include "image_writer.h"
#include "maps.h"

struct region_plan {
    struct img_region region;
    uint32_t saved_prot;     /* prot to put back if reading needed PROT_READ */
};

struct memory_plan {
    struct region_plan *regions;
    int count;
    uint64_t capacity;
    uint64_t data_bytes;     /* bytes in regions that carry data (an upper bound of the work) */
};

typedef void (*progress_fn)(uint64_t done, uint64_t total, void *arg);

/* Decide what every mapping becomes in the image (REGIONS section). */
int memory_plan_build(struct memory_plan *plan, const struct maps *maps);
/* Encode the REGIONS section payload. */
int memory_plan_encode(const struct memory_plan *plan, struct wbuf *out);
/* Write the MEMORY section (blocks) with `threads` compression threads. */
int memory_write(struct image_writer *w, struct memory_plan *plan, int threads, progress_fn progress,
                 void *progress_arg);
void memory_plan_release(struct memory_plan *plan);

#endif
