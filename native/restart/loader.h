/* Loading the image's memory blocks into their premapped regions, in parallel:
 * each block is independent (own checksum, own LZ4 stream). */
#ifndef STASIS_LOADER_H
#define STASIS_LOADER_H

#include "../common/image_read.h"
#include "layout.h"

/* With premaps NULL, blocks are only verified (decoded into scratch). Pages of a
 * region that maps an object of `shm` (may be NULL) are loaded only if this
 * region is the one to fill them. 0, or -1 with why. */
int loader_run(const struct image *img, const struct premap *premaps, const struct shm_table *shm, int threads,
               char *why, size_t why_cap);

#endif
