/* /proc seen with the program's ids: /proc/<virtual pid>/… is the kernel's
 * /proc/<pid>/…, and the ids inside /proc/…/stat and /proc/…/status are the ones
 * the program knows. open() is wrapped for this; paths not under /proc cost one
 * prefix comparison. */
#include <errno.h>
#include <fcntl.h>
#include <stasis/services.h>
#include <stdarg.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pidvirt.h"

#define EXPORT __attribute__((visibility("default")))
#define PROC_TEXT_MAX 8192

static struct proc_wrappers {
    void *open;
    void *open64;
    void *openat;
    void *openat64;
    void *fopen;
    void *fopen64;
    void *opendir;
    void *readlink;
    void *access;
    void *stat;
    void *lstat;
} proc_wrappers;

#define REAL(name) ((__typeof__(&name))stasis_next_fn_cached(&proc_wrappers.name, #name))

/* "/proc/<virtual>/rest" → "/proc/<kernel>/rest" in buf; the path itself otherwise. */
static const char *kernel_path(const char *path, char *buf, size_t cap)
{
    if (!path || strncmp(path, "/proc/", 6) != 0 || path[6] < '1' || path[6] > '9')
        return path;
    char *end;
    long pid = strtol(path + 6, &end, 10);
    if (*end != '/' && *end != 0)
        return path;
    pid_t kernel = pidvirt_to_kernel((pid_t)pid);
    if (kernel == pid)
        return path;
    snprintf(buf, cap, "/proc/%d%s", kernel, end);
    return buf;
}

/* Is this /proc/<pid|self>/stat or /proc/<pid|self>/status? 1 stat, 2 status. */
static int id_file(const char *path)
{
    if (!path || strncmp(path, "/proc/", 6) != 0)
        return 0;
    const char *p = path + 6;
    if (strncmp(p, "self/", 5) == 0 || strncmp(p, "thread-self/", 12) == 0)
        p = strchr(p, '/') + 1;
    else {
        while (*p >= '0' && *p <= '9')
            p++;
        if (*p != '/' || p == path + 6)
            return 0;
        p++;
    }
    return strcmp(p, "stat") == 0 ? 1 : strcmp(p, "status") == 0 ? 2 : 0;
}

static int append_number(char *out, int at, int cap, long v)
{
    return at + snprintf(out + at, (size_t)(cap - at > 0 ? cap - at : 0), "%ld", v);
}

/* pid (comm) state ppid pgrp session tty tpgid …: fields 1, 4, 5, 6 and 8 are ids */
static int translate_stat(const char *in, char *out, int cap)
{
    const char *paren = strrchr(in, ')');
    if (!paren)
        return -1;
    int at = append_number(out, 0, cap, pidvirt_to_virtual((pid_t)strtol(in, NULL, 10)));
    const char *after_pid = strchr(in, ' ');
    at += snprintf(out + at, (size_t)(cap - at), "%.*s", (int)(paren + 2 - after_pid), after_pid);
    const char *p = paren + 2;
    for (int field = 3; *p && at < cap; field++) {
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (field >= 4 && field <= 8 && field != 7) {
            long v = strtol(p, NULL, 10);
            at = append_number(out, at, cap, v > 0 ? pidvirt_to_virtual((pid_t)v) : v);
        } else {
            at += snprintf(out + at, (size_t)(cap - at), "%.*s", (int)len, p);
        }
        if (!end)
            break;
        out[at++] = ' ';
        p = end + 1;
    }
    return at < cap ? at : -1;
}

/* "Tgid:", "Pid:", "PPid:" and the NS… lines hold ids */
static int translate_status(const char *in, char *out, int cap)
{
    static const char *const keys[] = {"Tgid:", "Pid:", "PPid:", "NStgid:", "NSpid:", "NSpgid:", "NSsid:"};
    int at = 0;
    for (const char *line = in; *line && at < cap;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line + 1) : strlen(line);
        int key = -1;
        for (unsigned k = 0; k < sizeof keys / sizeof keys[0] && key < 0; k++)
            if (strncmp(line, keys[k], strlen(keys[k])) == 0)
                key = (int)k;
        if (key < 0) {
            at += snprintf(out + at, (size_t)(cap - at), "%.*s", (int)len, line);
        } else {
            const char *v = line + strlen(keys[key]);
            at += snprintf(out + at, (size_t)(cap - at), "%s\t", keys[key]);
            long id = strtol(v, NULL, 10);
            at = append_number(out, at, cap, id > 0 ? pidvirt_to_virtual((pid_t)id) : id);
            if (at < cap)
                out[at++] = '\n';
        }
        line += len;
    }
    return at < cap ? at : -1;
}

/* The translated file as an anonymous file the program reads instead. -1: use the
 * real one (nothing to translate, or something failed). */
static int translated_copy(int real_fd, int kind, int flags)
{
    char in[PROC_TEXT_MAX], out[PROC_TEXT_MAX + 256];
    ssize_t n = read(real_fd, in, sizeof in - 1);
    if (n <= 0)
        return -1;
    in[n] = 0;
    int len = kind == 1 ? translate_stat(in, out, sizeof out) : translate_status(in, out, sizeof out);
    if (len < 0 || ((ssize_t)len == n && memcmp(in, out, (size_t)n) == 0)) {
        lseek(real_fd, 0, SEEK_SET);
        return -1;
    }
    int fd = (int)stasis_real_syscall(SYS_memfd_create, (long)"stasis-proc", (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0,
                                      0, 0, 0, 0);
    if (fd < 0 || write(fd, out, (size_t)len) != len) {
        if (fd >= 0)
            close(fd);
        lseek(real_fd, 0, SEEK_SET);
        return -1;
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}

static int open_translated(int dirfd, const char *path, int flags, mode_t mode)
{
    char buf[512];
    const char *real_path = kernel_path(path, buf, sizeof buf);
    int fd = REAL(openat)(dirfd, real_path, flags, mode);
    int kind = id_file(path);
    if (fd < 0 || !kind || (flags & O_ACCMODE) != O_RDONLY)
        return fd;
    int copy = translated_copy(fd, kind, flags);
    if (copy < 0)
        return fd;
    /* the copy takes the real file's place, number and all */
    dup3(copy, fd, (flags & O_CLOEXEC) ? O_CLOEXEC : 0);
    close(copy);
    return fd;
}

static mode_t mode_argument(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

EXPORT int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_argument(flags, ap);
    va_end(ap);
    if (strncmp(path, "/proc/", 6) != 0)
        return REAL(open)(path, flags, mode);
    return open_translated(AT_FDCWD, path, flags, mode);
}

EXPORT int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_argument(flags, ap);
    va_end(ap);
    if (strncmp(path, "/proc/", 6) != 0)
        return REAL(open64)(path, flags, mode);
    return open_translated(AT_FDCWD, path, flags, mode);
}

EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_argument(flags, ap);
    va_end(ap);
    if (strncmp(path, "/proc/", 6) != 0)
        return REAL(openat)(dirfd, path, flags, mode);
    return open_translated(dirfd, path, flags, mode);
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_argument(flags, ap);
    va_end(ap);
    if (strncmp(path, "/proc/", 6) != 0)
        return REAL(openat64)(dirfd, path, flags, mode);
    return open_translated(dirfd, path, flags, mode);
}

static FILE *fopen_translated(FILE *(*real)(const char *, const char *), const char *path, const char *mode)
{
    if (strncmp(path, "/proc/", 6) != 0)
        return real(path, mode);
    if (mode[0] != 'r' || strchr(mode, '+') || !id_file(path)) {
        char buf[512];
        return real(kernel_path(path, buf, sizeof buf), mode);
    }
    int fd = open_translated(AT_FDCWD, path, O_RDONLY | (strchr(mode, 'e') ? O_CLOEXEC : 0), 0);
    return fd < 0 ? NULL : fdopen(fd, "r");
}

EXPORT FILE *fopen(const char *path, const char *mode)
{
    return fopen_translated(REAL(fopen), path, mode);
}

EXPORT FILE *fopen64(const char *path, const char *mode)
{
    return fopen_translated(REAL(fopen64), path, mode);
}

EXPORT DIR *opendir(const char *path)
{
    char buf[512];
    return REAL(opendir)(kernel_path(path, buf, sizeof buf));
}

EXPORT ssize_t readlink(const char *path, char *out, size_t size)
{
    char buf[512];
    return REAL(readlink)(kernel_path(path, buf, sizeof buf), out, size);
}

EXPORT int access(const char *path, int mode)
{
    char buf[512];
    return REAL(access)(kernel_path(path, buf, sizeof buf), mode);
}

EXPORT int stat(const char *path, struct stat *st)
{
    char buf[512];
    return REAL(stat)(kernel_path(path, buf, sizeof buf), st);
}

EXPORT int lstat(const char *path, struct stat *st)
{
    char buf[512];
    return REAL(lstat)(kernel_path(path, buf, sizeof buf), st);
}
