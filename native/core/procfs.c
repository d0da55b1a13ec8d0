#include "procfs.h"

#include <fcntl.h>

#include "../common/sys.h"

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

long procfs_read(const char *path, char *buf, size_t cap)
{
    long fd = sys4(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) {
        buf[0] = 0;
        return fd;
    }
    long n = sys3(SYS_read, fd, (long)buf, (long)cap - 1);
    sys1(SYS_close, fd);
    buf[n > 0 ? n : 0] = 0;
    return n;
}

static long parse_name(const char *name)
{
    long v = 0;
    if (!*name)
        return -1;
    for (; *name; name++) {
        if (*name < '0' || *name > '9')
            return -1;
        v = v * 10 + (*name - '0');
    }
    return v;
}

int procfs_each_number(const char *dir, int (*fn)(long number, void *arg), void *arg)
{
    long fd = sys4(SYS_openat, AT_FDCWD, (long)dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd < 0)
        return (int)fd;
    char buf[4096];
    long n;
    int stop = 0;
    while (!stop && (n = sys3(SYS_getdents64, fd, (long)buf, sizeof buf)) > 0) {
        for (long off = 0; off < n && !stop;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
            off += d->d_reclen;
            long number = parse_name(d->d_name);
            if (number >= 0 && number != fd)
                stop = fn(number, arg);
        }
    }
    sys1(SYS_close, fd);
    return 0;
}

uint64_t procfs_hex(const char **p)
{
    while (**p == ' ')
        (*p)++;
    if ((*p)[0] == '0' && (*p)[1] == 'x')
        *p += 2;
    uint64_t v = 0;
    for (;; (*p)++) {
        char c = **p;
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return v;
        v = v * 16 + (uint64_t)d;
    }
}

uint64_t procfs_dec(const char **p)
{
    while (**p == ' ')
        (*p)++;
    uint64_t v = 0;
    while (**p >= '0' && **p <= '9')
        v = v * 10 + (uint64_t)(*(*p)++ - '0');
    return v;
}

const char *procfs_stat_field(const char *stat, int n)
{
    /* the command name (field 2) may hold spaces and parentheses: start after its last ')' */
    const char *p = NULL;
    for (const char *s = stat; *s; s++)
        if (*s == ')')
            p = s;
    if (!p || n < 3)
        return NULL;
    p += 2;
    for (int field = 3; field < n; field++) {
        while (*p && *p != ' ')
            p++;
        if (!*p)
            return NULL;
        p++;
    }
    return p;
}
