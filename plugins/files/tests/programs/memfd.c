/* A memfd written through its descriptor (write(), so its offset moves) and
 * through a MAP_SHARED mapping of it: each side must see the other's writes, also
 * after restart, and its seal (F_SEAL_SHRINK) must still hold. Prints the round.
 * Usage: memfd [rounds] */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define SIZE (1 << 20)
#define HALF (SIZE / 2)
#define REC 16

int main(int argc, char **argv)
{
    long limit = argc > 1 ? atol(argv[1]) : 300;
    int fd = memfd_create("stasis-test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0 || ftruncate(fd, SIZE) < 0 || fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) < 0) {
        perror("memfd");
        return 1;
    }
    char *map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    struct timespec pause = {0, 20 * 1000000L};
    char rec[32], got[REC];
    for (long i = 0; i < limit && i * REC < HALF; i++) {
        /* the descriptor's half, through its offset; seen in the mapping */
        snprintf(rec, sizeof rec, "fd  %011ld\n", i);
        if (write(fd, rec, REC) != REC || memcmp(map + i * REC, rec, REC) != 0) {
            printf("mismatch: record %ld written through the descriptor is not in the mapping\n", i);
            return 1;
        }
        /* the mapping's half; seen through the descriptor */
        snprintf(rec, sizeof rec, "map %011ld\n", i);
        memcpy(map + HALF + i * REC, rec, REC);
        if (pread(fd, got, REC, HALF + i * REC) != REC || memcmp(got, rec, REC) != 0) {
            printf("mismatch: record %ld written through the mapping is not in the file\n", i);
            return 1;
        }
        if (lseek(fd, 0, SEEK_CUR) != (i + 1) * REC) {
            printf("mismatch: offset %lld after record %ld\n", (long long)lseek(fd, 0, SEEK_CUR), i);
            return 1;
        }
        printf("%ld\n", i);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    for (long i = 0; i < limit; i++) {
        snprintf(rec, sizeof rec, "fd  %011ld\n", i);
        if (pread(fd, got, REC, i * REC) != REC || memcmp(got, rec, REC) != 0 || memcmp(map + i * REC, rec, REC)) {
            printf("mismatch: record %ld at the end\n", i);
            return 1;
        }
    }
    int seals = fcntl(fd, F_GET_SEALS);
    if (seals != F_SEAL_SHRINK || ftruncate(fd, HALF) == 0 || errno != EPERM) {
        printf("mismatch: seals %d, shrinking %s\n", seals, errno == EPERM ? "refused" : "allowed");
        return 1;
    }
    char link[64], target[256];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    target[n > 0 ? n : 0] = 0;
    printf("memfd %s holds %ld records each way\n", target, limit);
    printf("done\n");
    return 0;
}
