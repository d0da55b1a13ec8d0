/* A temp file that is unlinked while open: lines are appended through one
 * description (O_WRONLY|O_APPEND, opened again through /proc) and read back
 * through another, which has a dup() alias sharing its offset. After restart the
 * file is a deleted file again, with every line, and both offsets continue.
 * Prints the line number after each round trip. Usage: unlinked DIR [lines] */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LINE 16

static void line_of(long i, char *out)
{
    snprintf(out, 32, "line %09ld\n", i);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: unlinked DIR [lines]\n");
        return 2;
    }
    long limit = argc > 2 ? atol(argv[2]) : 300;
    char path[4096];
    snprintf(path, sizeof path, "%s/unlinked-XXXXXX", argv[1]);
    int fd = mkstemp(path);
    if (fd < 0 || unlink(path) < 0) {
        perror("mkstemp/unlink");
        return 1;
    }
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    int writer = open(self, O_WRONLY | O_APPEND);
    int reader = dup(fd); /* shares fd's offset */
    if (writer < 0 || reader < 0) {
        perror("open/dup");
        return 1;
    }
    struct timespec pause = {0, 20 * 1000000L};
    char want[32], got[LINE + 1];
    for (long i = 0; i < limit; i++) {
        line_of(i, want);
        if (write(writer, want, LINE) != LINE) {
            printf("write failed at %ld: %s\n", i, strerror(errno));
            return 1;
        }
        /* alternate which number of the shared description reads */
        ssize_t n = read(i % 2 ? reader : fd, got, LINE);
        got[LINE] = 0;
        if (n != LINE || memcmp(got, want, LINE) != 0) {
            printf("mismatch at %ld: read %zd bytes \"%.*s\"\n", i, n, (int)(n > 0 ? n - 1 : 0), got);
            return 1;
        }
        off_t at = lseek(reader, 0, SEEK_CUR);
        if (at != (off_t)((i + 1) * LINE)) {
            printf("mismatch at %ld: shared offset %lld\n", i, (long long)at);
            return 1;
        }
        printf("%ld\n", i);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_nlink != 0 || st.st_size != limit * LINE) {
        printf("mismatch: the file has %ld links and %lld bytes\n", (long)st.st_nlink, (long long)st.st_size);
        return 1;
    }
    for (long i = 0; i < limit; i++) {
        line_of(i, want);
        if (pread(fd, got, LINE, i * LINE) != LINE || memcmp(got, want, LINE) != 0) {
            printf("mismatch: line %ld of the file\n", i);
            return 1;
        }
    }
    printf("file holds %ld lines\n", limit);
    printf("done\n");
    return 0;
}
