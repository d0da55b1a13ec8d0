/* Descriptor kinds the core reopens by path, and their flags: a directory being
 * walked with fdopendir/readdir and used for openat, O_CLOEXEC on one descriptor
 * and not on its dup3 alias, /dev/null, /dev/zero, /dev/urandom. A restart in the
 * middle of the walk must neither repeat nor skip an entry, and the flags line
 * must read the same before and after.
 * Usage: fdkinds DIR [entries-per-tick] */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILES 300

static void fail(const char *what)
{
    printf("failed: %s\n", what);
    fflush(stdout);
    exit(1);
}

static void make_tree(const char *dir)
{
    char path[4096];
    mkdir(dir, 0700);
    for (int i = 0; i < FILES; i++) {
        snprintf(path, sizeof path, "%s/entry-%03d", dir, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || dprintf(fd, "%d\n", i) < 0 || close(fd) < 0)
            fail("cannot create the directory's entries");
    }
}

/* what the flags of every descriptor say: identical before and after restart */
static void print_state(int dirfd, int devnull, int zero, int urandom, int cloexec_fd, int alias)
{
    int flags[5] = {fcntl(dirfd, F_GETFD), fcntl(devnull, F_GETFD), fcntl(cloexec_fd, F_GETFD),
                    fcntl(alias, F_GETFD), fcntl(zero, F_GETFL) & O_ACCMODE};
    printf("state dir=%d null=%d cloexec=%d alias=%d zero-mode=%d urandom-mode=%d\n", flags[0], flags[1], flags[2],
           flags[3], flags[4], fcntl(urandom, F_GETFL) & O_ACCMODE);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    int per_tick = argc > 2 ? atoi(argv[2]) : 4;
    make_tree(argv[1]);
    int devnull = open("/dev/null", O_WRONLY);
    int zero = open("/dev/zero", O_RDONLY);
    int urandom = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    int cloexec_fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int alias = dup3(cloexec_fd, 40, 0); /* same description, no close-on-exec */
    int walked = open(argv[1], O_RDONLY | O_DIRECTORY);
    if (devnull < 0 || zero < 0 || urandom < 0 || cloexec_fd < 0 || alias != 40 || walked < 0)
        fail("cannot open the descriptors");
    DIR *dir = fdopendir(walked);
    if (!dir)
        fail("fdopendir");
    static char seen[FILES];
    int count = 0, tick = 0;
    struct dirent *e;
    struct timespec pause = {0, 100 * 1000 * 1000};
    for (;;) {
        int got = 0;
        while (got < per_tick && (e = readdir(dir)) != NULL) {
            int n;
            if (sscanf(e->d_name, "entry-%d", &n) != 1)
                continue;
            if (n < 0 || n >= FILES || seen[n])
                fail("an entry came twice");
            seen[n] = 1;
            /* openat relative to the directory being walked, and to its alias */
            int fd = openat(tick % 2 ? dirfd(dir) : alias, e->d_name, O_RDONLY);
            char text[16] = {0};
            if (fd < 0 || read(fd, text, sizeof text - 1) <= 0 || atoi(text) != n || close(fd) < 0)
                fail("openat in the walked directory");
            count++;
            got++;
        }
        unsigned char buf[256];
        if (write(devnull, buf, sizeof buf) != (ssize_t)sizeof buf)
            fail("/dev/null");
        memset(buf, 1, sizeof buf);
        if (read(zero, buf, sizeof buf) != (ssize_t)sizeof buf || buf[0] || buf[sizeof buf - 1])
            fail("/dev/zero");
        if (read(urandom, buf, sizeof buf) != (ssize_t)sizeof buf)
            fail("/dev/urandom");
        printf("%d entries=%d\n", tick++, count);
        print_state(dirfd(dir), devnull, zero, urandom, cloexec_fd, alias);
        fflush(stdout);
        if (!got)
            break;
        nanosleep(&pause, NULL);
    }
    if (count != FILES)
        fail("the walk missed entries");
    printf("walked %d\n", count);
    printf("done\n");
    return 0;
}
