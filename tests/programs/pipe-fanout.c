/* One writer feeding two descriptors: the parent streams 64-byte numbered records
 * (pipe-records.h) into an anonymous pipe read by one child and, the same records,
 * into a fifo read by another. The readers are slower than the writer, so both
 * carry bytes in flight whenever a checkpoint comes; each counts every record lost,
 * repeated or corrupt across checkpoints and restarts.
 *
 * Each reader prints "pipe N" / "fifo N" every PROGRESS records, then its verdict
 * ("pipe verified N records: 0 lost, 0 repeated, 0 corrupt bytes"), the count the
 * writer's end record announced (pipe-records.h); the parent prints
 * "done" once both ended well. The writer stops after RECORDS records, or with
 * RECORDS 0 once STOP-FILE exists (looked for every STOP_EVERY records).
 * Usage: pipe-fanout FIFO-PATH STOP-FILE RECORDS */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "pipe-records.h"

#define PROGRESS 10000u
#define STOP_EVERY 1024u
#define MAX_BURST 48u                   /* records per write */
#define READ_MAX 4096u
#define READ_NS_PER_BYTE 500L           /* ~2 MB/s per reader: slower than the writer */

static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

static void sleep_ns(long ns)
{
    struct timespec t = {ns / 1000000000L, ns % 1000000000L};
    while (nanosleep(&t, &t) < 0 && errno == EINTR)
        ;
}

static int write_all(int fd, const unsigned char *data, size_t length)
{
    for (size_t done = 0; done < length;) {
        ssize_t w = write(fd, data + done, length - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    return 0;
}

static int reader(const char *stream, int fd, uint64_t seed)
{
    static unsigned char chunk[READ_MAX];
    struct record_check c = {.stream = stream};
    for (;;) {
        size_t want = 1 + (size_t)(next_random(&seed) % READ_MAX);
        ssize_t n = read(fd, chunk, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            say("%s: read failed after record %llu: %s\n", stream, (unsigned long long)c.next, strerror(errno));
            return 1;
        }
        if (n == 0)
            break;
        uint64_t before = c.next / PROGRESS;
        record_check_bytes(&c, chunk, (size_t)n);
        for (uint64_t step = before + 1; step <= c.next / PROGRESS; step++)
            say("%s %llu\n", stream, (unsigned long long)(step * PROGRESS));
        sleep_ns((long)n * READ_NS_PER_BYTE);
    }
    return record_check_verdict(&c);
}

static int writer(int pipe_fd, int fifo_fd, uint64_t records, const char *stop_file)
{
    static unsigned char burst[MAX_BURST * RECORD_BYTES];
    uint64_t random = 0x9e3779b97f4a7c15ull, seq = 0, stop_check = STOP_EVERY;
    while (records ? seq < records : 1) {
        if (!records && seq >= stop_check) {
            if (access(stop_file, F_OK) == 0)
                break;
            stop_check = seq + STOP_EVERY;
        }
        unsigned n = 1 + (unsigned)(next_random(&random) % MAX_BURST);
        if (records && n > records - seq)
            n = (unsigned)(records - seq);
        for (unsigned i = 0; i < n; i++)
            record_make(seq + i, burst + i * RECORD_BYTES);
        if (write_all(pipe_fd, burst, n * RECORD_BYTES) < 0 || write_all(fifo_fd, burst, n * RECORD_BYTES) < 0) {
            say("writer: write failed at record %llu: %s\n", (unsigned long long)seq, strerror(errno));
            return 1;
        }
        seq += n;
    }
    unsigned char end[RECORD_BYTES];
    record_make(RECORD_END | seq, end);
    if (write_all(pipe_fd, end, sizeof end) < 0 || write_all(fifo_fd, end, sizeof end) < 0) {
        say("writer: write failed at the end: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s FIFO-PATH STOP-FILE RECORDS\n", argv[0]);
        return 2;
    }
    const char *fifo = argv[1], *stop_file = argv[2];
    uint64_t records = strtoull(argv[3], NULL, 10);
    unlink(fifo);
    int p[2];
    if (mkfifo(fifo, 0600) < 0 || pipe(p) < 0) {
        say("mkfifo %s or pipe failed: %s\n", fifo, strerror(errno));
        return 1;
    }
    pid_t pipe_reader = fork();
    if (pipe_reader == 0) {
        close(p[1]);
        _exit(reader("pipe", p[0], 0x2545f4914f6cdd1dull));
    }
    pid_t fifo_reader = pipe_reader < 0 ? -1 : fork();
    if (fifo_reader == 0) {
        close(p[0]);
        close(p[1]);
        int fd = open(fifo, O_RDONLY);
        if (fd < 0) {
            say("fifo reader: open %s failed: %s\n", fifo, strerror(errno));
            _exit(1);
        }
        _exit(reader("fifo", fd, 0x7f4a7c159e3779b9ull));
    }
    if (fifo_reader < 0) {
        say("fork failed: %s\n", strerror(errno));
        return 1;
    }
    close(p[0]);
    int fifo_fd = open(fifo, O_WRONLY);
    if (fifo_fd < 0) {
        say("writer: open %s failed: %s\n", fifo, strerror(errno));
        return 1;
    }
    int failed = writer(p[1], fifo_fd, records, stop_file);
    close(p[1]);
    close(fifo_fd);
    int good = ended_well(pipe_reader, "pipe reader") & ended_well(fifo_reader, "fifo reader");
    if (failed || !good)
        return 1;
    say("done\n");
    return 0;
}
