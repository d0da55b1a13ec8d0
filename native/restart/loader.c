#include "loader.h"

#include <lz4.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SCRATCH_SIZE ((size_t)LZ4_COMPRESSBOUND(IMG_BLOCK_MAX_RAW))

struct loader {
    const struct image *img;
    const struct premap *premaps;
    const struct shm_table *shm;
    uint64_t next;               /* next block to take */
    int failed;
    pthread_mutex_t lock;        /* guards why */
    char why[512];
};

#define WHOLE_BLOCK UINT64_MAX

/* Does this process load the block's page `page` (or all of it: WHOLE_BLOCK)? A
 * page of a shared object comes from the object's first member that maps it, in
 * whichever process that is. 1 yes, 0 no, -1 some pages only. */
static int fills(const struct loader *ld, const struct image_block *b, uint64_t page)
{
    const struct premap *p = &ld->premaps[b->region];
    if (p->shm_member < 0)
        return 1;
    const struct img_region *r = &ld->img->regions[b->region];
    uint64_t from = r->file_offset + (b->header.address - r->start);
    uint64_t to = from + b->header.raw_length;
    if (page != WHOLE_BLOCK) {
        from += page * IMG_PAGE_SIZE;
        to = from + IMG_PAGE_SIZE;
    }
    return shm_fills(ld->shm, p->shm_member, from, to);
}

/* A block only some pages of which are this process's to load: decoded aside. */
static int load_partly(const struct loader *ld, const struct image_block *b, char *dst, char *scratch, char *aside,
                       char *why, size_t why_cap)
{
    if (image_load_block(ld->img, b, aside, scratch, SCRATCH_SIZE, why, why_cap) < 0)
        return -1;
    for (uint64_t page = 0; page < b->header.raw_length / IMG_PAGE_SIZE; page++)
        if (fills(ld, b, page) == 1)
            memcpy(dst + page * IMG_PAGE_SIZE, aside + page * IMG_PAGE_SIZE, IMG_PAGE_SIZE);
    return 0;
}

static void *load_blocks(void *arg)
{
    struct loader *ld = arg;
    char *scratch = malloc(SCRATCH_SIZE);
    char *verify = ld->premaps && !ld->shm ? NULL : malloc(IMG_BLOCK_MAX_RAW);
    if (!scratch || ((!ld->premaps || ld->shm) && !verify)) {
        __atomic_store_n(&ld->failed, 1, __ATOMIC_RELEASE);
        free(scratch);
        return NULL;
    }
    for (;;) {
        uint64_t i = __atomic_fetch_add(&ld->next, 1, __ATOMIC_ACQ_REL);
        if (i >= ld->img->block_count || __atomic_load_n(&ld->failed, __ATOMIC_ACQUIRE))
            break;
        const struct image_block *b = &ld->img->blocks[i];
        const struct img_region *r = &ld->img->regions[b->region];
        void *dst = verify;
        int whole = 1;
        if (ld->premaps) {
            whole = fills(ld, b, WHOLE_BLOCK);
            if (whole == 0)
                continue;
            dst = (char *)ld->premaps[b->region].address + (b->header.address - r->start);
            /* one call faults in the whole block instead of a fault per page */
            if (whole == 1)
                madvise(dst, b->header.raw_length, MADV_POPULATE_WRITE);
        }
        char why[512];
        int loaded = whole == 1 ? image_load_block(ld->img, b, dst, scratch, SCRATCH_SIZE, why, sizeof why)
                                : load_partly(ld, b, dst, scratch, verify, why, sizeof why);
        if (loaded < 0) {
            pthread_mutex_lock(&ld->lock);
            if (!ld->failed)
                snprintf(ld->why, sizeof ld->why, "%s", why);
            __atomic_store_n(&ld->failed, 1, __ATOMIC_RELEASE);
            pthread_mutex_unlock(&ld->lock);
            break;
        }
    }
    free(scratch);
    free(verify);
    return NULL;
}

int loader_run(const struct image *img, const struct premap *premaps, const struct shm_table *shm, int threads,
               char *why, size_t why_cap)
{
    struct loader ld = {.img = img, .premaps = premaps, .shm = shm && shm->member_count ? shm : NULL};
    pthread_mutex_init(&ld.lock, NULL);
    if (threads < 1)
        threads = 1;
    if (threads > 16)
        threads = 16;
    pthread_t tids[16];
    int started = 0;
    for (; started < threads - 1; started++)
        if (pthread_create(&tids[started], NULL, load_blocks, &ld) != 0)
            break;
    load_blocks(&ld);
    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    pthread_mutex_destroy(&ld.lock);
    if (ld.failed) {
        snprintf(why, why_cap, "%s", ld.why[0] ? ld.why : "out of memory while loading blocks");
        return -1;
    }
    return 0;
}
