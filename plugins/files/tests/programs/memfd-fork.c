/* Parent and child share a memfd mapped MAP_SHARED and a deleted temp file (one
 * open file description, inherited across fork) and take turns: each writes its
 * record number into the shared mapping, checks the other's, and appends a record
 * to the deleted file at the shared offset. After restart the mapping and the
 * file's description must still be shared between the two processes. Prints the
 * record number once written. Usage: memfd-fork DIR [records] */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "take_turns.h"

#define RECORD 12
#define SLOTS 4096

static uint32_t *slots;
static int file;

static int turn(long i, const char *who)
{
    if (i > 0 && slots[i - 1] != (uint32_t)(i - 1) + 1) {
        printf("bad: %s does not see record %ld in the shared memfd (%u)\n", who, i - 1, slots[i - 1]);
        fflush(stdout);
        return -1;
    }
    slots[i] = (uint32_t)i + 1;
    off_t at = lseek(file, 0, SEEK_CUR);
    if (at != (off_t)(i * RECORD)) {
        printf("bad offset in %s before record %ld: %lld\n", who, i, (long long)at);
        fflush(stdout);
        return -1;
    }
    char rec[32];
    snprintf(rec, sizeof rec, "%s %06ld\n", who, i);
    return write(file, rec, RECORD) == RECORD ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: memfd-fork DIR [records]\n");
        return 2;
    }
    long limit = argc > 2 ? atol(argv[2]) : 300;
    if (limit > SLOTS)
        limit = SLOTS;
    int memfd = memfd_create("shared-slots", MFD_CLOEXEC);
    if (memfd < 0 || ftruncate(memfd, SLOTS * sizeof *slots) < 0) {
        perror("memfd");
        return 1;
    }
    slots = mmap(NULL, SLOTS * sizeof *slots, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
    char path[4096];
    snprintf(path, sizeof path, "%s/memfd-fork-XXXXXX", argv[1]);
    file = mkstemp(path);
    if (slots == MAP_FAILED || file < 0 || unlink(path) < 0) {
        perror("setup");
        return 1;
    }
    if (take_turns(limit, turn))
        return 1;
    char rec[RECORD], want[32];
    uint32_t slot;
    for (long i = 0; i < limit; i++) {
        snprintf(want, sizeof want, "%s %06ld\n", i % 2 ? "kid" : "dad", i);
        if (pread(file, rec, RECORD, i * RECORD) != RECORD || memcmp(rec, want, RECORD) != 0) {
            printf("bad record %ld in the deleted file\n", i);
            return 1;
        }
        if (pread(memfd, &slot, sizeof slot, i * sizeof slot) != sizeof slot || slot != (uint32_t)i + 1) {
            printf("bad slot %ld in the memfd\n", i);
            return 1;
        }
    }
    printf("memfd and deleted file hold %ld records of both processes\n", limit);
    printf("done\n");
    return 0;
}
