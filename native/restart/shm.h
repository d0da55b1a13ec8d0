/* Shared memory objects of a restart: regions of the images (of one process or
 * several) that mapped the same shared-memory object — a MAP_SHARED|MAP_ANONYMOUS
 * area inherited across fork, a memfd, an unlinked file — carry the same device
 * and inode. Each region alone would come back as a private copy of its own, so
 * writes of one process would no longer reach the other. Instead the restarter
 * makes one memfd per object before it forks the tree; every process inherits it
 * and maps its regions from it at their offsets, and the object's data is loaded
 * once: each page by the first readable region (in a fixed order) that covers it;
 * regions that were not readable saved only the pages their own process had
 * touched, so each of them loads what it has where no readable region does
 * (identical bytes, should two of them have the same page). Regions
 * of an object no other region shares are left to the ordinary path (a fresh
 * MAP_SHARED|MAP_ANONYMOUS mapping). SysV segments (/SYSV…) belong to the ipc
 * plugin, files that still exist are re-mapped from the file itself. */
#ifndef STASIS_RESTART_SHM_H
#define STASIS_RESTART_SHM_H

#include <stddef.h>
#include <stdint.h>

#include "../common/image_read.h"

struct shm_member {
    const struct image *img;  /* the image (the process) and its region */
    uint32_t region;
    uint32_t object;
    uint64_t from, to;        /* the object's bytes the region maps */
    int readable;             /* else its image has only the pages its process had touched */
};

struct shm_object {
    uint64_t inode;
    uint32_t dev_major, dev_minor;
    int fd;                   /* the memfd; -1 once this process has closed it */
    uint64_t size;
    uint32_t first, count;    /* its members, in the order they fill */
};

struct shm_table {
    struct shm_object *objects;
    uint32_t object_count;
    struct shm_member *members;
    uint32_t member_count;
};

/* Finds the objects several regions of these images share and makes a memfd for
 * each. 0, or -1 with why. */
int shm_plan(struct shm_table *t, const struct image *images, int count, char *why, size_t why_cap);

/* The member for region `region` of `img`, or -1 if that region is not shared. */
int shm_member_of(const struct shm_table *t, const struct image *img, uint32_t region);

/* Does member m fill the object's bytes [from, to) (page aligned)? 1 all of them,
 * 0 none (an earlier readable member does), -1 some of them: ask page by page. */
int shm_fills(const struct shm_table *t, int member, uint64_t from, uint64_t to);

/* Every memfd closed: the mappings keep the objects alive. */
void shm_close(struct shm_table *t);

#endif
