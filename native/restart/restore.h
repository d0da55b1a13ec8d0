/* Restoring one process from its image (restore.c) and the plan it follows when it
 * is one of several (tree.c). */
#ifndef STASIS_RESTORE_H
#define STASIS_RESTORE_H

#include <stdint.h>
#include <time.h>

#include "../common/image_read.h"
#include "../common/mailbox.h"
#include "shm.h"

#define EXIT_USAGE 2
#define EXIT_INVALID_IMAGE 4
#define EXIT_CANNOT_RESTORE 5

struct restore_plan {
    struct timespec started;          /* CLOCK_MONOTONIC when stasis-restart began */
    uint64_t started_wall_ns;
    const struct stasis_restart_pid *pids;
    uint32_t pid_count;               /* known once every process is ready */
    uint32_t pid_capacity;
    const struct stasis_restart_share *shares;
    uint32_t share_count;
    /* Shared memory objects of the restart, one memfd each (NULL: none). Each
     * process fills only its part, before `ready`: no process runs user code
     * while another still writes to an object. */
    struct shm_table *shm;
    const char *path_map;             /* --path-map entries (common/path_map.h), "" for none */
    const char *secret_hex;           /* the coordinator's secret for the mailbox, "" for none */
    /* Called once this process is ready for the point of no return (why NULL), or
     * has failed (why says how); returns 0 when every process is ready, -1 when one
     * failed. NULL: restored alone. */
    int (*ready)(void *arg, const char *why);
    void *arg;
};

/* Returns only on failure (an exit code); on success the process has become the
 * one in the image. */
int restore_image(struct image *img, const char *image_path, const struct restore_plan *plan);

/* How many loader threads to use. */
int restore_loader_threads(void);

#endif
