/* stasis-restart [--path-map OLD=NEW]… IMAGE… — put checkpointed processes back
 * and continue them; saved paths under OLD are used under NEW (common/path_map.h).
 *
 * Every image is checked before anything is destroyed; several images become a
 * process tree (tree.c), each process restored from its own (restore.c). Exit
 * codes: 2 usage, 4 invalid image, 5 cannot restore here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/image_read.h"
#include "../common/path_map.h"
#include "../common/secret_fd.h"
#include "restore.h"
#include "tree.h"
#include "loader.h"

#define MAX_IMAGES 1024

static int usage(void)
{
    fprintf(stderr, "usage: stasis-restart [--check] [--path-map OLD=NEW]... IMAGE...\n");
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    struct restore_plan plan = {0};
    struct timespec wall;
    clock_gettime(CLOCK_MONOTONIC, &plan.started);
    clock_gettime(CLOCK_REALTIME, &wall); /* the restored process reports the whole restart against it */
    plan.started_wall_ns = (uint64_t)wall.tv_sec * 1000000000ull + (uint64_t)wall.tv_nsec;
    int check_only = 0, count = 0;
    static char paths[MAX_IMAGES][4096];
    static struct image images[MAX_IMAGES];
    static char path_map[PATH_MAP_MAX];
    plan.path_map = path_map;
    /* read once, before the tree of processes is made: every restored process
     * gets it in its mailbox, none from its image */
    static char secret[STASIS_SECRET_HEX_LENGTH + 1];
    const char *secret_fd = getenv("STASIS_SECRET_FD");
    if (secret_fd && *secret_fd) {
        if (stasis_secret_from_fd(secret_fd, secret) < 0) {
            fprintf(stderr, "stasis-restart: STASIS_SECRET_FD=%s does not hand over a secret\n", secret_fd);
            return EXIT_USAGE;
        }
    } else if (getenv("STASIS_SECRET")) {
        snprintf(secret, sizeof secret, "%s", getenv("STASIS_SECRET"));
    }
    plan.secret_hex = secret;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--check") == 0) {
            check_only = 1;
            continue;
        }
        if (strcmp(argv[i], "--path-map") == 0) {
            if (i + 1 == argc || path_map_add(path_map, sizeof path_map, argv[i + 1]) < 0) {
                fprintf(stderr, "stasis-restart: --path-map wants OLD=NEW, both absolute paths\n");
                return EXIT_USAGE;
            }
            i++;
            continue;
        }
        if (argv[i][0] == '-' || count == MAX_IMAGES)
            return usage();
        /* the restored process keeps this path (its next checkpoint's directory):
         * make it independent of where the restart was started */
        if (!realpath(argv[i], paths[count]))
            snprintf(paths[count], sizeof paths[count], "%s", argv[i]);
        count++;
    }
    if (!count)
        return usage();
    char why[1024];
    for (int i = 0; i < count; i++)
        if (image_open(paths[i], &images[i], why, sizeof why) < 0) {
            fprintf(stderr, "stasis-restart: %s: %s\n", paths[i], why);
            return EXIT_INVALID_IMAGE;
        }
    if (check_only) {
        for (int i = 0; i < count; i++) {
            struct image *img = &images[i];
            if (loader_run(img, NULL, NULL, restore_loader_threads(), why, sizeof why) < 0) {
                fprintf(stderr, "stasis-restart: %s: %s\n", paths[i], why);
                return EXIT_INVALID_IMAGE;
            }
            printf("%s: ok, %u threads, %u regions, %llu blocks, %llu bytes of memory in %llu stored bytes\n",
                   paths[i], img->thread_count, img->region_count, (unsigned long long)img->block_count,
                   (unsigned long long)img->raw_bytes, (unsigned long long)img->stored_bytes);
        }
        return 0;
    }
    return tree_restore(images, paths, count, &plan);
}
