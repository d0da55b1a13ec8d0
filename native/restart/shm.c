#include "shm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int is_candidate(const struct img_region *r)
{
    return (r->flags & IMG_REG_SHARED) && (r->flags & IMG_REG_HAS_DATA) && !(r->flags & IMG_REG_SPECIAL) &&
           r->inode && strncmp(r->name, "/SYSV", 5) != 0;
}

static int same_object(const struct img_region *a, const struct shm_object *o)
{
    return a->inode == o->inode && a->dev_major == o->dev_major && a->dev_minor == o->dev_minor;
}

/* Fill order: readable regions first, then images and regions in the order given. */
static int fill_order(const void *pa, const void *pb, void *arg)
{
    const struct shm_member *a = pa, *b = pb;
    const struct image *base = arg;
    if (a->object != b->object)
        return a->object < b->object ? -1 : 1;
    if (a->readable != b->readable)
        return b->readable - a->readable;
    if (a->img != b->img)
        return a->img - base < b->img - base ? -1 : 1;
    return (a->region > b->region) - (a->region < b->region);
}

/* A memfd named like the object was, as far as a memfd can be. */
static int make_memfd(const struct img_region *r, uint64_t size, char *why, size_t why_cap)
{
    char name[250];
    const char *deleted = strstr(r->name, " (deleted)");
    if (strncmp(r->name, "/memfd:", 7) == 0 && deleted)
        snprintf(name, sizeof name, "%.*s", (int)(deleted - r->name - 7), r->name + 7);
    else
        snprintf(name, sizeof name, "stasis-shared");
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0) {
        snprintf(why, why_cap, "cannot create the shared memory of %s at 0x%llx: memfd_create: %s", r->name,
                 (unsigned long long)r->start, strerror(errno));
        return -1;
    }
    if (ftruncate(fd, (off_t)size) < 0) {
        snprintf(why, why_cap, "cannot size the shared memory of %s at 0x%llx to %llu bytes: %s", r->name,
                 (unsigned long long)r->start, (unsigned long long)size, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int shm_plan(struct shm_table *t, const struct image *images, int count, char *why, size_t why_cap)
{
    memset(t, 0, sizeof *t);
    uint32_t candidates = 0;
    for (int i = 0; i < count; i++)
        for (uint32_t k = 0; k < images[i].region_count; k++)
            candidates += (uint32_t)is_candidate(&images[i].regions[k]);
    if (!candidates)
        return 0;
    t->objects = calloc(candidates, sizeof *t->objects);
    t->members = calloc(candidates, sizeof *t->members);
    if (!t->objects || !t->members) {
        snprintf(why, why_cap, "out of memory");
        return -1;
    }
    for (int i = 0; i < count; i++)
        for (uint32_t k = 0; k < images[i].region_count; k++) {
            const struct img_region *r = &images[i].regions[k];
            if (!is_candidate(r))
                continue;
            uint32_t o = 0;
            while (o < t->object_count && !same_object(r, &t->objects[o]))
                o++;
            if (o == t->object_count)
                t->objects[t->object_count++] =
                    (struct shm_object){.inode = r->inode, .dev_major = r->dev_major, .dev_minor = r->dev_minor,
                                        .fd = -1};
            struct shm_object *obj = &t->objects[o];
            uint64_t to = r->file_offset + (r->end - r->start);
            if (to > obj->size)
                obj->size = to;
            obj->count++;
            t->members[t->member_count++] =
                (struct shm_member){.img = &images[i], .region = k, .object = o, .from = r->file_offset, .to = to,
                                    .readable = (r->prot & PROT_READ) != 0};
        }
    qsort_r(t->members, t->member_count, sizeof *t->members, fill_order, (void *)images);
    /* an object only one region maps needs nothing but what a fresh mapping gives */
    uint32_t kept = 0, objects = 0;
    for (uint32_t m = 0; m < t->member_count;) {
        struct shm_object obj = t->objects[t->members[m].object];
        uint32_t n = obj.count;
        if (n > 1) {
            const struct shm_member *first = &t->members[m];
            obj.fd = make_memfd(&first->img->regions[first->region], obj.size, why, why_cap);
            if (obj.fd < 0)
                return -1;
            obj.first = kept;
            for (uint32_t j = 0; j < n; j++) {
                t->members[kept] = t->members[m + j];
                t->members[kept++].object = objects;
            }
            t->objects[objects++] = obj;
        }
        m += n;
    }
    t->member_count = kept;
    t->object_count = objects;
    return 0;
}

int shm_member_of(const struct shm_table *t, const struct image *img, uint32_t region)
{
    for (uint32_t m = 0; m < t->member_count; m++)
        if (t->members[m].img == img && t->members[m].region == region)
            return (int)m;
    return -1;
}

int shm_fills(const struct shm_table *t, int member, uint64_t from, uint64_t to)
{
    const struct shm_member *me = &t->members[member];
    const struct shm_object *obj = &t->objects[me->object];
    int partial = 0;
    for (uint32_t m = obj->first; m < (uint32_t)member; m++) {
        const struct shm_member *other = &t->members[m];
        if (!other->readable)
            continue;
        uint64_t a = other->from > from ? other->from : from, b = other->to < to ? other->to : to;
        if (a >= b)
            continue;
        if (a == from && b == to)
            return 0;
        partial = 1;
    }
    return partial ? -1 : 1;
}

void shm_close(struct shm_table *t)
{
    for (uint32_t o = 0; o < t->object_count; o++)
        if (t->objects[o].fd >= 0) {
            close(t->objects[o].fd);
            t->objects[o].fd = -1;
        }
}
