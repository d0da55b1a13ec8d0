#include "layout.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../common/path_map.h"

#define PAGE 4096ull
#define SEARCH_FROM 0x100000000ull     /* above where non-PIE programs and their heaps live */
#define SEARCH_TO 0x7ff000000000ull

static int add(struct layout *l, uint64_t start, uint64_t end)
{
    if (l->busy_count == l->busy_cap) {
        size_t cap = l->busy_cap ? l->busy_cap * 2 : 1024;
        uint64_t *grown = realloc(l->busy, cap * 2 * sizeof *grown);
        if (!grown)
            return -1;
        l->busy = grown;
        l->busy_cap = cap;
    }
    size_t i = l->busy_count;
    while (i > 0 && l->busy[2 * (i - 1)] > start) {
        l->busy[2 * i] = l->busy[2 * (i - 1)];
        l->busy[2 * i + 1] = l->busy[2 * (i - 1) + 1];
        i--;
    }
    l->busy[2 * i] = start;
    l->busy[2 * i + 1] = end;
    l->busy_count++;
    return 0;
}

static int add_current_mappings(struct layout *l)
{
    FILE *f = fopen("/proc/self/maps", "re");
    if (!f)
        return -1;
    char line[4200];
    while (fgets(line, sizeof line, f)) {
        unsigned long long a, b;
        if (sscanf(line, "%llx-%llx", &a, &b) == 2 && add(l, a, b) < 0) {
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    return 0;
}

int layout_init(struct layout *l, const struct image *img)
{
    memset(l, 0, sizeof *l);
    if (add_current_mappings(l) < 0)
        return -1;
    /* a page of margin around saved regions keeps premaps from merging with them */
    for (uint32_t i = 0; i < img->region_count; i++)
        if (add(l, img->regions[i].start - PAGE, img->regions[i].end + PAGE) < 0)
            return -1;
    return 0;
}

static uint64_t find_gap(const struct layout *l, uint64_t length)
{
    uint64_t candidate = SEARCH_FROM;
    for (size_t i = 0; i < l->busy_count; i++) {
        uint64_t start = l->busy[2 * i], end = l->busy[2 * i + 1];
        if (end <= candidate)
            continue;
        if (start >= candidate + length + PAGE)
            break;
        candidate = (end + PAGE - 1) & ~(PAGE - 1);
    }
    return candidate + length + PAGE <= SEARCH_TO ? candidate : 0;
}

uint64_t layout_map(struct layout *l, uint64_t length, int prot, int flags, int fd, uint64_t offset)
{
    for (int attempt = 0; attempt < 64; attempt++) {
        uint64_t at = find_gap(l, length);
        if (!at)
            return 0;
        void *p = mmap((void *)at, length, prot, flags | MAP_FIXED_NOREPLACE, fd, (off_t)offset);
        if (p == (void *)at) {
            add(l, at, at + length + PAGE);
            return at;
        }
        if (p != MAP_FAILED)
            munmap(p, length); /* an old kernel placed it elsewhere */
        if (p == MAP_FAILED && errno != EEXIST)
            return 0;
        /* something (malloc) took that spot meanwhile: learn the map again */
        l->busy_count = 0;
        if (add_current_mappings(l) < 0)
            return 0;
    }
    return 0;
}

static int premap_one(struct layout *l, const struct img_region *r, const struct shm_table *shm,
                      const char *path_map, struct premap *p, char *why, size_t why_cap)
{
    p->length = r->end - r->start;
    if (p->shm_member >= 0) {
        const struct shm_member *m = &shm->members[p->shm_member];
        p->address = layout_map(l, p->length, PROT_READ | PROT_WRITE, MAP_SHARED, shm->objects[m->object].fd,
                                r->file_offset);
    } else if (r->flags & IMG_REG_REMAP_FILE) {
        int writable = (r->prot & PROT_WRITE) != 0;
        char path[sizeof r->name];
        if (path_map_apply(path_map, r->name, path, sizeof path) >= sizeof path) {
            snprintf(why, why_cap, "%s, mapped shared at 0x%llx, is too long a path with --path-map", r->name,
                     (unsigned long long)r->start);
            return -1;
        }
        int fd = open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
        if (fd < 0) {
            snprintf(why, why_cap, "cannot open %s, mapped shared at 0x%llx: %s", path,
                     (unsigned long long)r->start, strerror(errno));
            return -1;
        }
        p->address = layout_map(l, p->length, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd, r->file_offset);
        close(fd);
    } else {
        int flags = (r->flags & IMG_REG_SHARED) ? MAP_SHARED | MAP_ANONYMOUS : MAP_PRIVATE | MAP_ANONYMOUS;
        /* the main stack must keep growing down after restart */
        if (r->flags & IMG_REG_STACK)
            flags |= MAP_GROWSDOWN;
        p->address = layout_map(l, p->length, PROT_READ | PROT_WRITE, flags | MAP_NORESERVE, -1, 0);
    }
    if (!p->address) {
        snprintf(why, why_cap, "no room to load the region at 0x%llx (%llu bytes): %s", (unsigned long long)r->start,
                 (unsigned long long)p->length, strerror(errno));
        return -1;
    }
    return 0;
}

int layout_premap(struct layout *l, const struct image *img, const struct shm_table *shm, const char *path_map,
                  struct premap *premaps, char *why, size_t why_cap)
{
    for (uint32_t i = 0; i < img->region_count; i++) {
        const struct img_region *r = &img->regions[i];
        premaps[i].address = premaps[i].length = 0;
        premaps[i].shm_member = shm ? shm_member_of(shm, img, i) : -1;
        if (r->flags & IMG_REG_SPECIAL)
            continue;
        if (premap_one(l, r, shm, path_map, &premaps[i], why, why_cap) < 0)
            return -1;
    }
    return 0;
}

void layout_free(struct layout *l)
{
    free(l->busy);
    memset(l, 0, sizeof *l);
}
