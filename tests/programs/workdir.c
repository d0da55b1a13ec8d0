/* A program whose whole state lives in its working directory, for restarts after
 * that directory moved (stasis restart --path-map): it makes a fifo, a file it maps
 * MAP_SHARED and an output file there, by relative paths. At each step it reads
 * back the line it wrote to the fifo two steps before (two are always in flight),
 * checks the mapping's slot of the step before and fills its own (the file runs
 * ahead of the image when the program went on after the checkpoint: the same
 * values again), appends a line to out.txt and prints the step number. At
 * the end it checks out.txt from the start, through the path of its working
 * directory as the kernel sees it now, and prints that directory.
 * Usage: workdir [steps] [interval_ms] */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LINE 32

static void fail(const char *what)
{
    printf("failed: %s: %s\n", what, strerror(errno));
    fflush(stdout);
    exit(1);
}

static void fifo_line(char *out, int k)
{
    snprintf(out, LINE + 1, "fifo line %021d\n", k % 1000000); /* LINE bytes */
}

static void out_line(char *out, int k, uint64_t counter)
{
    snprintf(out, LINE + 1, "step %06d counter %011llu\n", k % 1000000,
             (unsigned long long)(counter % 100000000000ull)); /* LINE bytes */
}

static void read_fully(int fd, char *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t r = read(fd, buf + done, n - done);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            fail("read fifo");
        done += (size_t)r;
    }
}

int main(int argc, char **argv)
{
    int steps = argc > 1 ? atoi(argv[1]) : 60;
    int interval_ms = argc > 2 ? atoi(argv[2]) : 100;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (mkfifo("fifo", 0600) < 0)
        fail("mkfifo");
    int fifo = open("fifo", O_RDWR | O_CLOEXEC);
    int data = open("counter.dat", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int out = open("out.txt", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fifo < 0 || data < 0 || out < 0)
        fail("open");
    if (ftruncate(data, 4096) < 0)
        fail("ftruncate");
    volatile uint64_t *slots = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, data, 0);
    if (slots == MAP_FAILED)
        fail("mmap");
    char line[LINE + 1], back[LINE + 1];
    for (int k = 0; k < 2; k++) {
        fifo_line(line, k);
        if (write(fifo, line, LINE) != LINE)
            fail("write fifo");
    }
    struct timespec pause = {interval_ms / 1000, (long)(interval_ms % 1000) * 1000000L};
    for (int k = 0; k < steps; k++) {
        read_fully(fifo, back, LINE);
        back[LINE] = 0;
        fifo_line(line, k);
        if (strcmp(line, back) != 0) {
            printf("failed: fifo gave \"%.*s\" at step %d\n", LINE - 1, back, k);
            return 1;
        }
        fifo_line(line, k + 2);
        if (write(fifo, line, LINE) != LINE)
            fail("write fifo");
        if (k > 0 && slots[(k - 1) % 512] != (uint64_t)k) {
            printf("failed: the mapping holds %llu for step %d\n", (unsigned long long)slots[(k - 1) % 512], k - 1);
            return 1;
        }
        slots[k % 512] = (uint64_t)k + 1;
        out_line(line, k, slots[k % 512]);
        if (write(out, line, LINE) != LINE)
            fail("write out.txt");
        printf("%d\n", k);
        while (nanosleep(&pause, &pause) < 0 && errno == EINTR)
            ;
        pause = (struct timespec){interval_ms / 1000, (long)(interval_ms % 1000) * 1000000L};
    }
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        fail("getcwd");
    char path[4200];
    snprintf(path, sizeof path, "%s/out.txt", cwd);
    FILE *f = fopen(path, "re");
    if (!f)
        fail("reopen out.txt");
    int good = 0;
    for (int k = 0; k < steps && fgets(back, sizeof back, f); k++) {
        out_line(line, k, (uint64_t)k + 1);
        good += strcmp(line, back) == 0;
    }
    int extra = fgetc(f) != EOF;
    fclose(f);
    printf("cwd %s\n", cwd);
    printf("%s: %d of %d lines%s\n", good == steps && !extra ? "out.txt ok" : "out.txt CORRUPT", good, steps,
           extra ? " and more" : "");
    printf("done\n");
    return 0;
}
