/* Parent and child share one descriptor of a regular file (one open file
 * description, no O_APPEND) and write fixed-size records at its shared offset in
 * turn, passing a token through two pipes. Each checks the offset before writing,
 * so an offset that stopped being shared after restart shows at once; at the end
 * the parent reads the file back. Prints the record number once it is written.
 * Usage: shared-offset DIR [records] */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "take_turns.h"

#define RECORD 12

static int fd;

/* Write record i at the shared offset, which must be where record i goes. */
static int write_record(long i, const char *who)
{
    off_t at = lseek(fd, 0, SEEK_CUR);
    if (at != (off_t)(i * RECORD)) {
        printf("bad offset in %s before record %ld: %lld\n", who, i, (long long)at);
        fflush(stdout);
        return -1;
    }
    char rec[32];
    snprintf(rec, sizeof rec, "%s %06ld\n", who, i);
    return write(fd, rec, RECORD) == RECORD ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: shared-offset DIR [records]\n");
        return 2;
    }
    long limit = argc > 2 ? atol(argv[2]) : 300;
    char path[4096];
    snprintf(path, sizeof path, "%s/shared-offset.dat", argv[1]);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        perror("open");
        return 1;
    }
    if (take_turns(limit, write_record))
        return 1;
    char rec[RECORD], want[32];
    for (long i = 0; i < limit; i++) {
        snprintf(want, sizeof want, "%s %06ld\n", i % 2 ? "kid" : "dad", i);
        if (pread(fd, rec, RECORD, i * RECORD) != RECORD || memcmp(rec, want, RECORD) != 0) {
            printf("bad record %ld in the file\n", i);
            return 1;
        }
    }
    off_t end = lseek(fd, 0, SEEK_END);
    printf("file has %lld records\n", (long long)(end / RECORD));
    printf("done\n");
    return 0;
}
