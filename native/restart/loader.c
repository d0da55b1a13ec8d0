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
    uint64_t next;               /* next block to take */
    int failed;
    pthread_mutex_t lock;        /* guards why */
    char why[512];
};

static void *load_blocks(void *arg)
{
    struct loader *ld = arg;
    char *scratch = malloc(SCRATCH_SIZE);
    char *verify = ld->premaps ? NULL : malloc(IMG_BLOCK_MAX_RAW);
    if (!scratch || (!ld->premaps && !verify)) {
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
        if (ld->premaps) {
            dst = (char *)ld->premaps[b->region].address + (b->header.address - r->start);
            /* one call faults in the whole block instead of a fault per page */
            madvise(dst, b->header.raw_length, MADV_POPULATE_WRITE);
        }
        char why[512];
        if (image_load_block(ld->img, b, dst, scratch, SCRATCH_SIZE, why, sizeof why) < 0) {
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

int loader_run(const struct image *img, const struct premap *premaps, int threads, char *why, size_t why_cap)
{
    struct loader ld = {.img = img, .premaps = premaps};
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
