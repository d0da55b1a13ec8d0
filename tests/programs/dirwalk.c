/* Iterates a directory of 2000 files with fdopendir/readdir while opening each
 * entry with openat() relative to the directory's descriptor, and reads /dev/zero
 * and /dev/urandom and writes /dev/null on the way: after restart the iteration
 * goes on where it was (the directory's offset) and sees every entry exactly once.
 * Prints the number of entries seen, every ten. Usage: dirwalk DIR */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILES 2000

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: dirwalk DIR\n");
        return 2;
    }
    char path[4096], name[256];
    snprintf(path, sizeof path, "%s/walk", argv[1]);
    if (mkdir(path, 0700) < 0) {
        perror("mkdir");
        return 1;
    }
    int dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    for (int i = 0; dir >= 0 && i < FILES; i++) {
        snprintf(name, sizeof name, "entry-with-a-rather-long-name-%04d", i);
        int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0 || write(fd, name, strlen(name)) != (ssize_t)strlen(name) || close(fd) < 0) {
            perror("create");
            return 1;
        }
    }
    int zero = open("/dev/zero", O_RDONLY), random = open("/dev/urandom", O_RDONLY);
    int null = open("/dev/null", O_WRONLY);
    DIR *d = fdopendir(dup(dir)); /* its own description: readdir's offset is its own */
    if (dir < 0 || zero < 0 || random < 0 || null < 0 || !d) {
        perror("open");
        return 1;
    }
    static unsigned char seen[FILES];
    struct timespec pause = {0, 3 * 1000000L};
    int count = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int n = atoi(e->d_name + strlen("entry-with-a-rather-long-name-"));
        char contents[256] = {0};
        int fd = openat(dir, e->d_name, O_RDONLY | O_CLOEXEC);
        ssize_t got = fd < 0 ? -1 : read(fd, contents, sizeof contents - 1);
        if (fd >= 0)
            close(fd);
        if (got < 0 || strcmp(contents, e->d_name) != 0 || n < 0 || n >= FILES || seen[n]++) {
            printf("bad entry %s (%s)\n", e->d_name, got < 0 ? "cannot read it" : seen[n] > 1 ? "seen twice" : "contents");
            return 1;
        }
        unsigned char z[64], r[64];
        if (read(zero, z, sizeof z) != sizeof z || read(random, r, sizeof r) != sizeof r ||
            write(null, r, sizeof r) != sizeof r) {
            printf("failed: a device\n");
            return 1;
        }
        for (size_t i = 0; i < sizeof z; i++)
            if (z[i]) {
                printf("bad: /dev/zero gave %d\n", z[i]);
                return 1;
            }
        if (++count % 10 == 0) {
            printf("%d\n", count / 10 - 1);
            fflush(stdout);
        }
        nanosleep(&pause, NULL);
    }
    for (int i = 0; i < FILES; i++)
        if (!seen[i]) {
            printf("bad: entry %d never seen\n", i);
            return 1;
        }
    printf("saw %d entries once each\n", count);
    printf("done\n");
    return 0;
}
