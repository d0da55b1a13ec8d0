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

#define RECORD 12

static int fd;

static int pass(int out, int in, long *token)
{
    if (out >= 0 && write(out, token, sizeof *token) != sizeof *token)
        return -1;
    if (in >= 0) {
        ssize_t n;
        while ((n = read(in, token, sizeof *token)) < 0 && errno == EINTR)
            ;
        return n == sizeof *token ? 0 : -1;
    }
    return 0;
}

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
    int down[2], up[2];
    if (fd < 0 || pipe(down) < 0 || pipe(up) < 0) {
        perror("open/pipe");
        return 1;
    }
    struct timespec pause = {0, 20 * 1000000L};
    pid_t child = fork();
    if (child < 0) {
        perror("fork");
        return 1;
    }
    if (child == 0) {
        close(down[1]);
        close(up[0]);
        for (long token; pass(-1, down[0], &token) == 0 && token >= 0;) {
            if (write_record(token, "kid") < 0)
                _exit(1);
            pass(up[1], -1, &token);
        }
        _exit(0);
    }
    close(down[0]);
    close(up[1]);
    for (long i = 0; i < limit; i += 2) {
        if (write_record(i, "dad") < 0)
            return 1;
        printf("%ld\n", i);
        fflush(stdout);
        nanosleep(&pause, NULL);
        long token = i + 1;
        if (i + 1 < limit) {
            if (pass(down[1], up[0], &token) < 0 || token != i + 1) {
                printf("failed: the child did not give the token back\n");
                return 1;
            }
            printf("%ld\n", i + 1);
            fflush(stdout);
            nanosleep(&pause, NULL);
        }
    }
    long stop = -1;
    pass(down[1], -1, &stop);
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("failed: the child did not end well\n");
        return 1;
    }
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
