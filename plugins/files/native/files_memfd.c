/* memfds (memfd_create): their contents, seals and the process's mappings of
 * them go into the image (MEMFD); at RESTART a new memfd takes their place and
 * is mapped over the shared mappings the core restored as anonymous memory, so
 * writes through the mapping and reads through the descriptor agree again. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* snprintf only */
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "files_regular.h"
#include "files_share.h"

static struct memfd_state {
    struct files_memfd_map maps[FILES_MAX_MAPS];
    int map_count;
    unsigned char head[sizeof(struct files_memfd_head) + sizeof(struct files_memfd_map) * FILES_MAX_MAPS +
                       sizeof(int32_t) * FILES_MAX_ALIASES + 256];
    char text[1 << 16];         /* /proc/self/maps, a piece at a time */
    char name[256];
    char what[300];
} memfd_state;

static void put(unsigned char **at, const void *data, size_t length)
{
    memcpy(*at, data, length);
    *at += length;
}

static int parse_hex(const char **p, uint64_t *out)
{
    uint64_t v = 0;
    int digits = 0;
    for (;; (*p)++, digits++) {
        char c = **p;
        int x = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (x < 0)
            break;
        v = v * 16 + (uint64_t)x;
    }
    *out = v;
    return digits > 0;
}

static void note_mapping(const char *line, const struct files_fd *d)
{
    struct memfd_state *s = &memfd_state;
    const char *p = line;
    uint64_t start, end, offset, major, minor, inode = 0;
    if (!parse_hex(&p, &start) || *p++ != '-' || !parse_hex(&p, &end) || *p++ != ' ')
        return;
    char perms[4];
    memcpy(perms, p, 4);
    p += 5;
    if (!parse_hex(&p, &offset) || *p++ != ' ' || !parse_hex(&p, &major) || *p++ != ':' ||
        !parse_hex(&p, &minor) || *p++ != ' ')
        return;
    for (; *p >= '0' && *p <= '9'; p++)
        inode = inode * 10 + (uint64_t)(*p - '0');
    while (*p == ' ')
        p++;
    if (inode != d->st.st_ino || major != major(d->st.st_dev) || minor != minor(d->st.st_dev) ||
        !files_starts_with(p, FILES_MEMFD_PREFIX))
        return;
    if (s->map_count == FILES_MAX_MAPS) {
        files_log("memfd %s: more than %d mappings, the rest stay private copies", d->link, FILES_MAX_MAPS);
        return;
    }
    struct files_memfd_map *m = &s->maps[s->map_count++];
    m->start = start;
    m->end = end;
    m->file_offset = offset;
    m->prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
              (perms[2] == 'x' ? PROT_EXEC : 0);
    m->flags = perms[3] == 's' ? FILES_MAP_SHARED : 0;
}

/* The process's mappings of this memfd, from /proc/self/maps. */
static int find_mappings(const struct files_fd *d)
{
    struct memfd_state *s = &memfd_state;
    s->map_count = 0;
    long fd = files_sys(SYS_openat, AT_FDCWD, (long)"/proc/self/maps", O_RDONLY | O_CLOEXEC, 0, 0, 0);
    if (fd < 0)
        return (int)fd;
    size_t kept = 0;
    for (;;) {
        long n = files_sys(SYS_read, fd, (long)(s->text + kept), (long)(sizeof s->text - 1 - kept), 0, 0, 0);
        if (n < 0) {
            files_sys(SYS_close, fd, 0, 0, 0, 0, 0);
            return (int)n;
        }
        size_t have = kept + (size_t)n;
        s->text[have] = 0;
        char *line = s->text;
        for (char *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
            *nl = 0;
            note_mapping(line, d);
        }
        kept = have - (size_t)(line - s->text);
        if (n == 0 || kept == sizeof s->text - 1) /* the end, or a line longer than the buffer */
            break;
        memmove(s->text, line, kept);
    }
    files_sys(SYS_close, fd, 0, 0, 0, 0, 0);
    return 0;
}

int files_memfd_write(const struct files_fd *d, const struct files_description *desc)
{
    struct memfd_state *s = &memfd_state;
    int r = 0;
    s->map_count = 0;
    if (desc->same_file_as < 0 && (r = find_mappings(d)) < 0)
        return r;
    const char *name = d->link + strlen(FILES_MEMFD_PREFIX);
    size_t name_length = strlen(name) - (files_ends_with(name, FILES_DELETED) ? strlen(FILES_DELETED) : 0);
    long seals = files_sys(SYS_fcntl, d->fd, F_GET_SEALS, 0, 0, 0, 0);
    struct files_memfd_head h = {
        .offset = d->offset, .size = (uint64_t)d->st.st_size, .open_flags = d->open_flags,
        .seals = seals > 0 ? (uint32_t)seals : 0, .name_length = (uint32_t)name_length,
        .alias_count = desc->alias_count, .map_count = (uint32_t)s->map_count,
        .same_file_as = desc->same_file_as,
    };
    if (h.same_file_as >= 0)
        h.size = 0;
    else
        files_share_identify(d->fd, &d->st, &h.share);
    unsigned char *at = s->head;
    put(&at, &h, sizeof h);
    put(&at, s->maps, sizeof s->maps[0] * (size_t)s->map_count);
    put(&at, desc->aliases, sizeof(int32_t) * (size_t)desc->alias_count);
    put(&at, name, name_length);
    long readable = h.size ? files_readable(d) : d->fd;
    if (readable < 0) {
        files_log("memfd %.*s (descriptor %d): cannot read it (%s)", (int)name_length, name, d->fd,
                  stasis_strerror(readable));
        return (int)readable;
    }
    r = files_emit(FILES_REC_MEMFD, d->fd, s->head, (size_t)(at - s->head), (int)readable, h.size);
    files_done_reading(d, readable);
    if (r == -ENOSPC)
        files_log("memfd %.*s: its %llu bytes do not fit in the image's files section", (int)name_length, name,
                  (unsigned long long)h.size);
    return r;
}

int files_memfd_restore(int fd, const unsigned char *payload, uint64_t length)
{
    struct memfd_state *s = &memfd_state;
    struct files_memfd_head h;
    if (length < sizeof h)
        return -EINVAL;
    memcpy(&h, payload, sizeof h);
    uint64_t fixed = sizeof h + sizeof(struct files_memfd_map) * (uint64_t)h.map_count +
                     sizeof(int32_t) * (uint64_t)h.alias_count + h.name_length;
    if (h.name_length > 249 || h.map_count > FILES_MAX_MAPS || h.alias_count > FILES_MAX_ALIASES || fixed > length ||
        length - fixed != h.size)
        return -EINVAL;
    const unsigned char *at = payload + sizeof h;
    memcpy(s->maps, at, sizeof(struct files_memfd_map) * h.map_count);
    at += sizeof(struct files_memfd_map) * h.map_count;
    const int32_t *aliases = (const int32_t *)at;
    at += sizeof(int32_t) * h.alias_count;
    char *name = s->name;
    memcpy(name, at, h.name_length);
    name[h.name_length] = 0;
    snprintf(s->what, sizeof s->what, "memfd %.*s", (int)h.name_length, name);
    const char *what = s->what;
    if (h.same_file_as >= 0) {
        long again = files_reopen_restored(h.same_file_as, fd, what);
        return again < 0 ? (int)again : files_install_as((int)again, fd, h.open_flags, h.offset, aliases, h.alias_count, what);
    }
    /* sealing is always allowed here: the saved seals (F_SEAL_SEAL among them when
     * the original did not allow it) are put back last */
    long rw = files_sys(SYS_memfd_create, (long)name, MFD_CLOEXEC | MFD_ALLOW_SEALING, 0, 0, 0, 0);
    if (rw < 0) {
        files_log("%s (descriptor %d): memfd_create failed (%s)", what, fd, stasis_strerror(rw));
        return (int)rw;
    }
    long r = files_sys(SYS_ftruncate, rw, (long)h.size, 0, 0, 0, 0);
    if (r == 0)
        r = files_write_all((int)rw, payload + fixed, h.size);
    /* the core put the pages back as anonymous memory; shared ones must be the
     * memfd's own again, or writes through the mapping and the descriptor part ways */
    for (uint32_t i = 0; r == 0 && i < h.map_count; i++) {
        const struct files_memfd_map *m = &s->maps[i];
        if (!(m->flags & FILES_MAP_SHARED))
            continue;
        long got = files_sys(SYS_mmap, (long)m->start, (long)(m->end - m->start), (long)m->prot,
                             MAP_SHARED | MAP_FIXED, rw, (long)m->file_offset);
        if (got < 0)
            r = got;
    }
    if (r == 0 && h.seals)
        r = files_sys(SYS_fcntl, rw, F_ADD_SEALS, (long)h.seals, 0, 0, 0);
    if (r < 0) {
        files_sys(SYS_close, rw, 0, 0, 0, 0, 0);
        files_log("%s (descriptor %d): cannot recreate it (%s)", what, fd, stasis_strerror(r));
        return (int)r;
    }
    r = files_install_as((int)rw, fd, h.open_flags, h.offset, aliases, h.alias_count, what);
    if (r == 0)
        files_share_publish(&h.share, fd);
    return (int)r;
}

int files_memfd_refill(int fd, const unsigned char *payload, uint64_t length)
{
    struct memfd_state *s = &memfd_state;
    struct files_memfd_head h;
    if (length < sizeof h)
        return 0; /* RESTART said what is wrong with it */
    memcpy(&h, payload, sizeof h);
    uint64_t maps_length = sizeof(struct files_memfd_map) * (uint64_t)h.map_count;
    if (!h.share.pid || (h.share.flags & FILES_SHARE_LEADER) || h.same_file_as >= 0 || h.map_count > FILES_MAX_MAPS ||
        h.alias_count > FILES_MAX_ALIASES || sizeof h + maps_length + sizeof(int32_t) * (uint64_t)h.alias_count > length)
        return 0;
    memcpy(s->maps, payload + sizeof h, maps_length);
    return files_adopt_shared(fd, &h.share, h.open_flags, h.offset, (const int32_t *)(payload + sizeof h + maps_length),
                              h.alias_count, s->maps, h.map_count, "memfd");
}
