/* Parent and child share one anonymous MAP_SHARED page, mapped before fork(), and
 * take turns incrementing a counter in it: each waits (futex) until the counter is
 * its turn's, prints the value it sets and wakes the other. The counter only moves
 * if each process sees the other's writes, so after a restart the output goes on
 * 0, 1, 2, … only if the page is still one page for both. A second shared area,
 * split in two mappings by mprotect(), checks that each half keeps its own offset
 * of the object. A third one, of four pages, is unmapped in part after fork: the
 * parent keeps pages 0-2, the child pages 1-3, so each process maps pages the
 * other does not, and they pass the counter in pages 1 and 2 too. The parent
 * prints "done" once the child ended well.
 * Usage: shared-anon [steps] [interval_ms] */
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STUCK_SECONDS 10

struct shared {
    volatile int counter;   /* the futex word: whose turn it is, by parity */
    volatile int written_by[2];
};

static void futex_wait(volatile int *word, int seen)
{
    struct timespec slice = {0, 200 * 1000000L};
    /* not FUTEX_PRIVATE: the word is shared between processes */
    syscall(SYS_futex, word, FUTEX_WAIT, seen, &slice, NULL, 0);
}

static void futex_wake(volatile int *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* A page of the split area: every word holds its page number and a tag. */
static int split_intact(const uint32_t *area, int pages)
{
    for (int p = 0; p < pages; p++)
        for (int w = 0; w < 1024; w += 97)
            if (area[p * 1024 + w] != (uint32_t)(0xA5000000u | (unsigned)p))
                return 0;
    return 1;
}

#define OVERLAP_TAG 0xB6000000u

/* The pages of the third area this process maps: its own page holds its tag, the
 * two it shares with the other hold the counter the other wrote last. */
static int overlap_intact(volatile uint32_t *overlap, int me, int expected)
{
    int own = me ? 3 : 0;
    if (overlap[own * 1024 + 9] != (OVERLAP_TAG | (unsigned)own))
        return 0;
    return overlap[1 * 1024] == (uint32_t)expected && overlap[2 * 1024 + 5] == (uint32_t)expected;
}

static int run(struct shared *s, const uint32_t *split, volatile uint32_t *overlap, int me, int steps,
               long interval_ms)
{
    struct timespec pause = {interval_ms / 1000, (interval_ms % 1000) * 1000000L};
    int last = me - 2;
    for (;;) {
        int c;
        time_t since = time(NULL);
        while (((c = s->counter) & 1) != me && c < steps) {
            if (time(NULL) - since > STUCK_SECONDS) {
                printf("stuck: %s waits for %d, the other's increment never arrived\n", me ? "child" : "parent",
                       c + 1);
                fflush(stdout);
                return 1;
            }
            futex_wait(&s->counter, c);
        }
        if (c >= steps)
            return 0;
        if (c != last + 2 || (c > 0 && s->written_by[!me] != c - 1)) {
            printf("out of order: %s saw %d after it wrote %d, the other wrote %d\n", me ? "child" : "parent", c,
                   last, s->written_by[!me]);
            fflush(stdout);
            return 1;
        }
        if (!split_intact(split, 4)) {
            printf("failed: the split shared area lost its contents\n");
            fflush(stdout);
            return 1;
        }
        if (!overlap_intact(overlap, me, c - 1)) {
            printf("failed: %s does not see %d in the partly shared area (%u %u)\n", me ? "child" : "parent", c - 1,
                   overlap[1024], overlap[2 * 1024 + 5]);
            fflush(stdout);
            return 1;
        }
        overlap[1 * 1024] = (uint32_t)c;
        overlap[2 * 1024 + 5] = (uint32_t)c;
        printf("%d\n", c);
        fflush(stdout);
        s->written_by[me] = c;
        last = c;
        nanosleep(&pause, NULL);
        __atomic_store_n(&s->counter, c + 1, __ATOMIC_RELEASE);
        futex_wake(&s->counter);
    }
}

int main(int argc, char **argv)
{
    int steps = argc > 1 ? atoi(argv[1]) : 400;
    long interval_ms = argc > 2 ? atol(argv[2]) : 25;
    struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    uint32_t *split = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    uint32_t *overlap = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED || split == MAP_FAILED || overlap == MAP_FAILED) {
        printf("failed: mmap: %s\n", strerror(errno));
        return 1;
    }
    for (int p = 0; p < 4; p++)
        for (int w = 0; w < 1024; w++)
            split[p * 1024 + w] = 0xA5000000u | (unsigned)p;
    /* two mappings of one object: pages 0-1 at offset 0, pages 2-3 at offset 8192 */
    if (mprotect(split + 2 * 1024, 2 * 4096, PROT_READ) < 0) {
        printf("failed: mprotect: %s\n", strerror(errno));
        return 1;
    }
    for (int p = 0; p < 4; p++)
        for (int w = 0; w < 1024; w++)
            overlap[p * 1024 + w] = OVERLAP_TAG | (unsigned)p;
    overlap[1 * 1024] = overlap[2 * 1024 + 5] = (uint32_t)-1;
    s->written_by[0] = s->written_by[1] = -1;
    pid_t child = fork();
    if (child < 0) {
        printf("failed: fork: %s\n", strerror(errno));
        return 1;
    }
    if (munmap(child ? overlap + 3 * 1024 : overlap, 4096) < 0) {
        printf("failed: munmap: %s\n", strerror(errno));
        return 1;
    }
    if (child == 0)
        return run(s, split, overlap, 1, steps, interval_ms);
    int bad = run(s, split, overlap, 0, steps, interval_ms);
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("failed: the child did not end well\n");
        return 1;
    }
    if (bad)
        return 1;
    printf("done\n");
    return 0;
}
