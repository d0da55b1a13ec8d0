/* A data file mapped MAP_PRIVATE at a well-known address (0x3e5a00000000, or
 * wherever the kernel puts it if that is taken): some pages are modified (whole
 * pages, and one byte of another), the rest must keep reading as the file. A
 * second, read-only private mapping of the same file is two pages longer than the
 * file: those pages are never touched (they would raise SIGBUS), and a checkpoint
 * must not touch them either. Every step checks every page of both and counts in
 * a modified page; it prints the step, and every 10 steps where the mapping is and
 * with which permissions (/proc/self/maps), which must not change across restart.
 * Usage: mmap-private FILE [steps] [interval_ms] */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define PAGES 32
#define WORDS (PAGE / 8)
#define WELL_KNOWN 0x3e5a00000000ul

static void fail(const char *what)
{
    printf("failed: %s: %s\n", what, strerror(errno));
    fflush(stdout);
    exit(1);
}

static uint64_t file_word(int page, int word)
{
    return 0x5000000000000000ull | (uint64_t)page << 20 | (uint64_t)word;
}

static int modified(int page)
{
    return page % 3 == 0;
}

static uint64_t modified_word(int page, int word)
{
    return 0x6d00000000000000ull | (uint64_t)page << 20 | (uint64_t)(word * 3);
}

static void create_file(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        fail("create");
    static uint64_t page[WORDS];
    for (int p = 0; p < PAGES; p++) {
        for (int w = 0; w < WORDS; w++)
            page[w] = file_word(p, w);
        if (write(fd, page, PAGE) != PAGE)
            fail("write");
    }
    close(fd);
}

/* Page 0's first word is the step counter; the rest as written. */
static int check(const uint64_t *rw, const uint64_t *ro, long step)
{
    for (int p = 0; p < PAGES; p++)
        for (int w = 0; w < WORDS; w++) {
            uint64_t want = modified(p) ? modified_word(p, w) : file_word(p, w);
            if (p == 7 && w == 5)
                want = (want & ~0xffull) | 0x77;
            if (p == 0 && w == 0)
                want = (uint64_t)step;
            if (rw[p * WORDS + w] != want) {
                printf("CORRUPT: private page %d word %d is %016llx, not %016llx\n", p, w,
                       (unsigned long long)rw[p * WORDS + w], (unsigned long long)want);
                return 0;
            }
            if (ro[p * WORDS + w] != file_word(p, w)) {
                printf("CORRUPT: read-only page %d word %d is %016llx, not the file's\n", p, w,
                       (unsigned long long)ro[p * WORDS + w]);
                return 0;
            }
        }
    return 1;
}

static void print_where(const void *rw)
{
    FILE *f = fopen("/proc/self/maps", "re");
    if (!f)
        fail("/proc/self/maps");
    char line[512];
    while (fgets(line, sizeof line, f)) {
        unsigned long start, end;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) == 3 && start <= (unsigned long)rw &&
            (unsigned long)rw < end) {
            printf("mapping %lx-%lx %s\n", start, end, perms);
            break;
        }
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mmap-private FILE [steps] [interval_ms]\n");
        return 2;
    }
    long steps = argc > 2 ? atol(argv[2]) : 300;
    long interval_ms = argc > 3 ? atol(argv[3]) : 20;
    struct timespec pause = {interval_ms / 1000, (interval_ms % 1000) * 1000000L};
    create_file(argv[1]);
    int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail("open");
    uint64_t *rw = mmap((void *)WELL_KNOWN, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE,
                        fd, 0);
    if (rw == MAP_FAILED)
        rw = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    /* the file is PAGES pages: the last two pages of this one are past its end */
    uint64_t *ro = mmap(NULL, (PAGES + 2) * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    if (rw == MAP_FAILED || ro == MAP_FAILED)
        fail("mmap");
    close(fd);
    for (int p = 0; p < PAGES; p++)
        if (modified(p))
            for (int w = 0; w < WORDS; w++)
                rw[p * WORDS + w] = modified_word(p, w);
    ((volatile unsigned char *)rw)[7 * PAGE + 5 * 8] = 0x77;
    for (long step = 0; step < steps; step++) {
        rw[0] = (uint64_t)step;
        if (!check(rw, ro, step))
            return 1;
        if (step % 10 == 0)
            print_where(rw);
        printf("%ld\n", step);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    printf("done\n");
    return 0;
}
