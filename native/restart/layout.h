/* Where things go while restoring: every saved region is first loaded at a
 * temporary address that collides with nothing (neither the restarter's own
 * mappings nor any saved address), so that the restarter keeps running until the
 * very end and the blob only has to mremap. */
#ifndef STASIS_LAYOUT_H
#define STASIS_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "../common/image_read.h"
#include "shm.h"

struct premap {
    uint64_t address;   /* temporary address, 0 for regions not premapped (vDSO) */
    uint64_t length;
    int shm_member;     /* its member in the shm_table, -1 if its memory is its own */
};

struct layout {
    uint64_t *busy;     /* sorted [start, end) pairs that must be avoided */
    size_t busy_count, busy_cap;
};

/* Everything mapped now plus every saved region. 0 or -1. */
int layout_init(struct layout *l, const struct image *img);
/* Map `length` bytes somewhere free: mmap(prot, flags | MAP_FIXED_NOREPLACE, fd, offset).
 * Returns the address or 0. */
uint64_t layout_map(struct layout *l, uint64_t length, int prot, int flags, int fd, uint64_t offset);
/* Map every region of the image at a temporary address (premaps[i] for
 * regions[i]); a region of an object in `shm` (may be NULL) from that object's
 * memfd. 0, or -1 with why. */
int layout_premap(struct layout *l, const struct image *img, const struct shm_table *shm, const char *path_map,
                  struct premap *premaps, char *why, size_t why_cap);
void layout_free(struct layout *l);

#endif
