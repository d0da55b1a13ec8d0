/* /proc/self/maps, read and parsed without libc (threads are frozen). */
#ifndef STASIS_MAPS_H
#define STASIS_MAPS_H

#include <stdint.h>

struct map_entry {
    uint64_t start, end;
    uint32_t prot;      /* PROT_* */
    int shared;
    uint64_t offset;
    uint32_t dev_major, dev_minor;
    uint64_t inode;
    const char *name;   /* "" for anonymous */
};

struct maps {
    struct map_entry *entries;
    int count;
    char *text;
    uint64_t text_cap, entries_cap;
};

/* Reads the current maps into m (scratch memory); 0 or -1. */
int maps_read(struct maps *m);
void maps_release(struct maps *m);

#endif
