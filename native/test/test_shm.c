/* The restarter's plan for shared memory objects (restart/shm.c): which regions
 * of which images are one object, how large its memfd is, and which region fills
 * which pages — including regions that overlap only in part, which the e2e
 * programs reach only in one arrangement. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../restart/shm.h"
#include "check.h"

#define K 4096ull

static struct img_region region(uint64_t inode, uint64_t offset, uint64_t pages, uint32_t prot, uint32_t flags,
                                const char *name)
{
    static uint64_t next = 0x10000000;
    struct img_region r = {.start = next, .end = next + pages * K, .prot = prot, .flags = flags,
                           .file_offset = offset, .inode = inode, .dev_major = 0, .dev_minor = 1};
    snprintf(r.name, sizeof r.name, "%s", name);
    next += (pages + 1) * K;
    return r;
}

#define SHM (IMG_REG_SHARED | IMG_REG_FILE | IMG_REG_HAS_DATA)
#define RW (PROT_READ | PROT_WRITE)

int main(void)
{
    static struct img_region r0[7], r1[3];
    r0[0] = region(0, 0, 4, RW, IMG_REG_HAS_DATA, "");                            /* private anonymous */
    r0[1] = region(100, 0, 2, RW, SHM, "/dev/zero (deleted)");                    /* object 100, pages 0-1 */
    r0[2] = region(200, 0, 1, RW, SHM, "/SYSV00000001 (deleted)");               /* the ipc plugin's */
    r0[3] = region(300, 0, 1, RW, SHM, "/dev/zero (deleted)");                    /* mapped once */
    r0[4] = region(100, 2 * K, 2, PROT_READ, SHM, "/dev/zero (deleted)");         /* object 100, pages 2-3 */
    r0[5] = region(400, 0, 1, PROT_NONE, SHM, "/memfd:ring (deleted)");           /* not readable */
    r0[6] = region(600, 0, 2, PROT_NONE, SHM, "/dev/zero (deleted)");            /* never readable */
    r1[0] = region(100, 1 * K, 4, RW, SHM, "/dev/zero (deleted)");                /* object 100, pages 1-4 */
    r1[1] = region(400, 0, 1, PROT_READ, SHM, "/memfd:ring (deleted)");
    r1[2] = region(500, 0, 1, RW, IMG_REG_SHARED | IMG_REG_FILE | IMG_REG_REMAP_FILE, "/tmp/data");
    static struct img_region r2[1];
    r2[0] = region(600, 1 * K, 1, PROT_WRITE, SHM, "/dev/zero (deleted)");
    struct image images[3] = {{.regions = r0, .region_count = 7}, {.regions = r1, .region_count = 3},
                              {.regions = r2, .region_count = 1}};

    struct shm_table t;
    char why[256];
    CHECK(shm_plan(&t, images, 3, why, sizeof why) == 0, "plan: %s", why);
    CHECK(t.object_count == 3, "objects: %u", t.object_count);
    CHECK(t.member_count == 7, "members: %u", t.member_count);
    for (uint32_t i = 0; i < 4; i++)
        if (i != 1)
            CHECK(shm_member_of(&t, &images[0], i) < 0, "region %u of image 0 is not shared", i);
    CHECK(shm_member_of(&t, &images[1], 2) < 0, "a file that still exists is mapped from the file");

    int a = shm_member_of(&t, &images[0], 1), b = shm_member_of(&t, &images[0], 4), c = shm_member_of(&t, &images[1], 0);
    CHECK(a >= 0 && b >= 0 && c >= 0, "object 100 in both images");
    const struct shm_object *o100 = &t.objects[t.members[a].object];
    CHECK(t.members[b].object == t.members[a].object && t.members[c].object == t.members[a].object, "one object");
    CHECK(o100->size == 5 * K, "sized for every region: %llu", (unsigned long long)o100->size);
    struct stat st;
    CHECK(fstat(o100->fd, &st) == 0 && st.st_size == (off_t)(5 * K), "its memfd has that size");
    /* image 0's regions come first: they fill pages 0-3, image 1's region page 4 only */
    CHECK(shm_fills(&t, a, 0, 2 * K) == 1, "first region fills all it maps");
    CHECK(shm_fills(&t, b, 2 * K, 4 * K) == 1, "the other half of a split fills its own pages");
    CHECK(shm_fills(&t, c, 1 * K, 5 * K) == -1, "overlapping in part");
    CHECK(shm_fills(&t, c, 1 * K, 2 * K) == 0, "page 1 is filled by the first region");
    CHECK(shm_fills(&t, c, 3 * K, 4 * K) == 0, "page 3 by the split's second half");
    CHECK(shm_fills(&t, c, 4 * K, 5 * K) == 1, "page 4 by nobody else");

    /* a region that was not readable saved only its own process's pages: the
     * readable one fills, whatever the order of the images */
    int none = shm_member_of(&t, &images[0], 5), readable = shm_member_of(&t, &images[1], 1);
    CHECK(none >= 0 && readable >= 0 && t.members[none].object == t.members[readable].object, "object 400");
    CHECK(shm_fills(&t, readable, 0, K) == 1 && shm_fills(&t, none, 0, K) == 0, "the readable region fills");

    /* no readable region: each loads the pages its process had, which may be
     * pages the other never touched */
    int p0 = shm_member_of(&t, &images[0], 6), p2 = shm_member_of(&t, &images[2], 0);
    CHECK(p0 >= 0 && p2 >= 0 && t.members[p0].object == t.members[p2].object, "object 600");
    CHECK(shm_fills(&t, p0, 0, 2 * K) == 1 && shm_fills(&t, p2, K, 2 * K) == 1, "both fill what they have");

    int fd = t.objects[0].fd;
    shm_close(&t);
    CHECK(fcntl(fd, F_GETFD) < 0, "closed");
    return check_report("shm");
}
