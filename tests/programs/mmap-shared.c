/* Two processes (parent and child) each open and map one file MAP_SHARED — their
 * own mappings, not one inherited across fork — and edit it alternately: at turn
 * k the process whose turn it is checks that record k-1, written by the other
 * through its own mapping, is there, writes record k and passes a token on a pipe.
 * The mapping is made larger than the file and the file grows with ftruncate()
 * as records are added, so restart meets a mapping that reaches past the end of
 * its file. The parent prints "done" after it read every record back from the
 * file with pread(): the file on disk has all of them.
 * Usage: mmap-shared FILE [records] [interval_ms] */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RECORD 64
#define PAGE 4096

static void fail(const char *what)
{
    printf("failed: %s: %s\n", what, strerror(errno));
    fflush(stdout);
    exit(1);
}

static void format_record(char *out, int k)
{
    memset(out, ' ', RECORD);
    int n = snprintf(out, RECORD, "record %06d written by the %s", k, k % 2 ? "child" : "parent");
    out[n] = ' ';
    out[RECORD - 1] = '\n';
}

static char *map_file(const char *path, int records, int *fd_out)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        fail("open");
    size_t length = ((size_t)records * RECORD + PAGE - 1) / PAGE * PAGE;
    char *map = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        fail("mmap");
    *fd_out = fd;
    return map;
}

static int read_token(int fd)
{
    int token;
    ssize_t n;
    while ((n = read(fd, &token, sizeof token)) < 0 && errno == EINTR)
        ;
    if (n != sizeof token) {
        if (n == 0)
            return -1;
        fail("read token");
    }
    return token;
}

static void write_token(int fd, int token)
{
    ssize_t n;
    while ((n = write(fd, &token, sizeof token)) < 0 && errno == EINTR)
        ;
    if (n != sizeof token)
        fail("write token");
}

/* One side: waits for its turns on `in`, hands the next one over on `out`. */
static int take_turns(const char *path, int me, int records, long interval_ms, int in, int out)
{
    struct timespec pause = {interval_ms / 1000, (interval_ms % 1000) * 1000000L};
    int fd;
    char *map = map_file(path, records, &fd);
    const char *name = me ? "child" : "parent";
    for (int k = me; k < records; k += 2) {
        if (k > 0) {
            int token = read_token(in);
            if (token != k) {
                printf("failed: %s expected turn %d, got %d\n", name, k, token);
                return 1;
            }
            char expected[RECORD];
            format_record(expected, k - 1);
            if (memcmp(map + (size_t)(k - 1) * RECORD, expected, RECORD) != 0) {
                printf("CORRUPT: %s does not see record %d of the other in its mapping: %.40s\n", name, k - 1,
                       map + (size_t)(k - 1) * RECORD);
                return 1;
            }
        }
        off_t need = (off_t)(k + 1) * RECORD;
        struct stat st;
        if (fstat(fd, &st) < 0)
            fail("fstat");
        if (st.st_size < need && ftruncate(fd, need) < 0)
            fail("ftruncate");
        format_record(map + (size_t)k * RECORD, k);
        printf("%d\n", k);
        fflush(stdout);
        nanosleep(&pause, NULL);
        if (k + 1 < records)
            write_token(out, k + 1);
    }
    return 0;
}

static int check_file(const char *path, int records)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail("open for the check");
    for (int k = 0; k < records; k++) {
        char got[RECORD], expected[RECORD];
        if (pread(fd, got, RECORD, (off_t)k * RECORD) != RECORD) {
            printf("CORRUPT: the file ends before record %d\n", k);
            return 1;
        }
        format_record(expected, k);
        if (memcmp(got, expected, RECORD) != 0) {
            printf("CORRUPT: record %d of the file: %.40s\n", k, got);
            return 1;
        }
    }
    close(fd);
    printf("file ok: %d records\n", records);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mmap-shared FILE [records] [interval_ms]\n");
        return 2;
    }
    const char *path = argv[1];
    int records = argc > 2 ? atoi(argv[2]) : 400;
    long interval_ms = argc > 3 ? atol(argv[3]) : 25;
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        fail("create");
    close(fd);
    int to_child[2], to_parent[2];
    if (pipe(to_child) < 0 || pipe(to_parent) < 0)
        fail("pipe");
    pid_t child = fork();
    if (child < 0)
        fail("fork");
    if (child == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        return take_turns(path, 1, records, interval_ms, to_child[0], to_parent[1]);
    }
    close(to_child[0]);
    close(to_parent[1]);
    int bad = take_turns(path, 0, records, interval_ms, to_parent[0], to_child[1]);
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("failed: the child did not end well\n");
        return 1;
    }
    if (bad || check_file(path, records))
        return 1;
    printf("done\n");
    return 0;
}
