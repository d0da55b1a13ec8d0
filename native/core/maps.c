#include "maps.h"

#include <fcntl.h>
#include <sys/mman.h>

#include "../common/sys.h"
#include "procfs.h"
#include "scratch.h"

static int read_text(struct maps *m, uint64_t *len)
{
    for (;;) {
        if (!m->text) {
            m->text_cap = m->text_cap ? m->text_cap : 256 * 1024;
            m->text = scratch_alloc(m->text_cap);
            if (!m->text)
                return -1;
        }
        long fd = sys4(SYS_openat, AT_FDCWD, (long)"/proc/self/maps", O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0)
            return -1;
        uint64_t n = 0;
        for (;;) {
            long r = sys3(SYS_read, fd, (long)(m->text + n), (long)(m->text_cap - n - 1));
            if (r < 0) {
                sys1(SYS_close, fd);
                return -1;
            }
            if (r == 0)
                break;
            n += (uint64_t)r;
            if (n >= m->text_cap - 1)
                break;
        }
        sys1(SYS_close, fd);
        if (n < m->text_cap - 1) {
            m->text[n] = 0;
            *len = n;
            return 0;
        }
        /* did not fit: grow and read again */
        scratch_free(m->text, m->text_cap);
        m->text = NULL;
        m->text_cap *= 4;
    }
}

int maps_read(struct maps *m)
{
    uint64_t len;
    if (read_text(m, &len) < 0)
        return -1;
    uint64_t lines = 0;
    for (uint64_t i = 0; i < len; i++)
        lines += m->text[i] == '\n';
    if (lines + 1 > m->entries_cap) {
        scratch_free(m->entries, m->entries_cap * sizeof *m->entries);
        m->entries_cap = lines + 64;
        m->entries = scratch_alloc(m->entries_cap * sizeof *m->entries);
        if (!m->entries)
            return -1;
    }
    m->count = 0;
    char *line = m->text;
    while (*line) {
        char *eol = line;
        while (*eol && *eol != '\n')
            eol++;
        char saved = *eol;
        *eol = 0;
        struct map_entry *e = &m->entries[m->count];
        const char *p = line;
        e->start = procfs_hex(&p);
        p++;
        e->end = procfs_hex(&p);
        p++;
        e->prot = (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) | (p[2] == 'x' ? PROT_EXEC : 0);
        e->shared = p[3] == 's';
        p += 5;
        e->offset = procfs_hex(&p);
        p++;
        e->dev_major = (uint32_t)procfs_hex(&p);
        p++;
        e->dev_minor = (uint32_t)procfs_hex(&p);
        p++;
        e->inode = procfs_dec(&p);
        while (*p == ' ')
            p++;
        e->name = p;
        if (e->end > e->start)
            m->count++;
        if (!saved)
            break;
        line = eol + 1;
    }
    return 0;
}

void maps_release(struct maps *m)
{
    scratch_free(m->text, m->text_cap);
    scratch_free(m->entries, m->entries_cap * sizeof *m->entries);
    m->text = NULL;
    m->entries = NULL;
    m->text_cap = m->entries_cap = 0;
    m->count = 0;
}
