/* A writer streams sequence-numbered records to a reader that checks every byte,
 * over an anonymous pipe between two processes (pipe), a fifo both open by its path
 * (fifo; fifo-shared: the writer opens it O_RDWR), or between two threads of one
 * process over a pipe (threads) or a fifo (fifo-threads). Checkpoints that
 * land mid-stream must neither lose nor repeat a byte of what was in flight.
 *
 * Every record is RECORD bytes: its sequence number, the number xor'ed with a
 * constant, then a pattern derived from both, so a byte out of place is found at
 * once. Both sides move chunks of varying sizes (records straddle every chunk
 * and pipe-buffer boundary). The reader paces itself to RATE MiB/s with relative
 * sleeps (sane when CLOCK_MONOTONIC jumps at a restart) while the writer writes as
 * fast as it can, so the pipe is full whenever a checkpoint comes.
 *
 * The reader prints "mb N" for every MiB verified (from "mb 0"), then
 * "verified <bytes> bytes"; the writer prints "done" once the reader ended well.
 * Any fault prints a line with "mismatch", "failed" or "flags". The writer's
 * descriptor is non-blocking (driven by poll) and the reader's blocking; both
 * check their flags all along, so a restart that loses O_NONBLOCK shows.
 * Usage: stream-records pipe|fifo|fifo-shared|fifo-threads|threads MIB RATE [FIFO-PATH] */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "say.h"

#define RECORD 800u                     /* 104857600 = 131072 records */
#define MIB (1024u * 1024u)
#define MAX_CHUNK (64u * 1024u)
#define XOR 0x5354415349535f5full

static uint64_t total_bytes;
static double rate_mib;
static pid_t reader_pid;             /* the reader process, when there is one */

/* The byte at this position of the stream. */
static inline uint8_t expected(uint64_t position)
{
    uint64_t seq = position / RECORD;
    unsigned at = (unsigned)(position % RECORD);
    if (at < 8)
        return (uint8_t)(seq >> (8 * at));
    if (at < 16)
        return (uint8_t)((seq ^ XOR) >> (8 * (at - 8)));
    return (uint8_t)(seq * 131u + at * 7u + (seq >> 8));
}

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

/* A writer that holds a read end of the fifo itself never gets EPIPE: it notices
 * that the reader died (without reaping it) instead of waiting for ever. */
static int reader_gone(void)
{
    siginfo_t info = {0};
    return reader_pid > 0 && waitid(P_PID, (id_t)reader_pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0
           && info.si_pid != 0;
}

/* A non-blocking descriptor waits in poll() for room; a blocking one in write(). */
static int write_all(int fd, const uint8_t *data, size_t length, int nonblocking)
{
    for (size_t done = 0; done < length;) {
        if (nonblocking) {
            struct pollfd p = {fd, POLLOUT, 0};
            int ready = poll(&p, 1, 1000);
            if (ready < 0 && errno != EINTR)
                return -1;
            if (ready == 0 && reader_gone()) {
                errno = EPIPE;
                return -1;
            }
        }
        ssize_t w = write(fd, data + done, length - done);
        if (w < 0 && (errno == EINTR || (nonblocking && errno == EAGAIN)))
            continue;
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    return 0;
}

static int check_flags(int fd, int nonblocking, const char *who)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || !!(flags & O_NONBLOCK) != nonblocking) {
        say("%s: flags changed to 0%o\n", who, flags);
        return -1;
    }
    return 0;
}

static int writer(int fd, int nonblocking)
{
    static uint8_t chunk[MAX_CHUNK];
    uint64_t random = 0x9e3779b97f4a7c15ull;
    uint64_t position = 0;
    while (position < total_bytes) {
        if (check_flags(fd, nonblocking, "writer") < 0)
            return -1;
        size_t n = 1 + (size_t)(next_random(&random) % MAX_CHUNK);
        if (n > total_bytes - position)
            n = (size_t)(total_bytes - position);
        for (size_t i = 0; i < n; i++)
            chunk[i] = expected(position + i);
        if (write_all(fd, chunk, n, nonblocking) < 0) {
            say("writer: write failed at byte %llu: %s\n", (unsigned long long)position, strerror(errno));
            return -1;
        }
        position += n;
    }
    return 0;
}

static int reader(int fd)
{
    static uint8_t chunk[MAX_CHUNK];
    uint64_t random = 0x2545f4914f6cdd1dull;
    uint64_t position = 0;
    say("mb 0\n");
    for (;;) {
        if (check_flags(fd, 0, "reader") < 0)
            return -1;
        size_t want = 1 + (size_t)(next_random(&random) % MAX_CHUNK);
        ssize_t n = read(fd, chunk, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            say("reader: read failed at byte %llu: %s\n", (unsigned long long)position, strerror(errno));
            return -1;
        }
        if (n == 0)
            break;
        for (ssize_t i = 0; i < n; i++)
            if (chunk[i] != expected(position + (uint64_t)i)) {
                uint64_t at = position + (uint64_t)i;
                say("mismatch at byte %llu (record %llu, offset %u): 0x%02x, expected 0x%02x\n",
                    (unsigned long long)at, (unsigned long long)(at / RECORD), (unsigned)(at % RECORD), chunk[i],
                    expected(at));
                return -1;
            }
        uint64_t before = position / MIB;
        position += (uint64_t)n;
        for (uint64_t mb = before + 1; mb <= position / MIB; mb++)
            say("mb %llu\n", (unsigned long long)mb);
        if (rate_mib > 0)
            sleep_ns((long)((double)n / (rate_mib * MIB) * 1e9));
    }
    if (position != total_bytes) {
        say("reader failed: the stream ended after %llu of %llu bytes\n", (unsigned long long)position,
            (unsigned long long)total_bytes);
        return -1;
    }
    say("verified %llu bytes\n", (unsigned long long)position);
    return 0;
}

/* The writer in the parent, the reader in a child; the parent says how it ended.
 * A writer opening the fifo O_RDWR holds a read end too, so both processes carry a
 * copy of the bytes in flight at a checkpoint, which must go back only once. */
static int two_processes(int read_fd_or_fifo, int write_fd, const char *fifo, int writer_mode)
{
    pid_t child = fork();
    if (child < 0) {
        say("fork failed: %s\n", strerror(errno));
        return 1;
    }
    reader_pid = child;
    if (child == 0) {
        int fd = read_fd_or_fifo;
        if (fifo) {
            fd = open(fifo, O_RDONLY);
            if (fd < 0) {
                say("reader: open %s failed: %s\n", fifo, strerror(errno));
                _exit(1);
            }
        } else {
            close(write_fd);
        }
        _exit(reader(fd) == 0 ? 0 : 1);
    }
    /* blocking open waits for the reader; then poll() drives a non-blocking
     * descriptor, whose flag a restart must keep */
    int fd = fifo ? open(fifo, writer_mode) : write_fd;
    if (fd < 0 || fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
        say("writer: open %s failed: %s\n", fifo ? fifo : "pipe", strerror(errno));
        return 1;
    }
    if (!fifo)
        close(read_fd_or_fifo);
    int failed = writer(fd, 1) < 0;
    close(fd);
    int status;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR) {
            say("waitpid failed: %s\n", strerror(errno));
            return 1;
        }
    if (failed || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        say("reader did not end well (status %d)\n", status);
        return 1;
    }
    say("done\n");
    return 0;
}

static int pipe_fds[2];

static void *writer_thread(void *arg)
{
    int failed = writer(pipe_fds[1], 1) < 0;
    close(pipe_fds[1]);
    return failed ? arg : NULL;
}

static int two_threads(void)
{
    pthread_t t;
    if (fcntl(pipe_fds[1], F_SETFL, O_NONBLOCK) < 0 || pthread_create(&t, NULL, writer_thread, "failed") != 0) {
        say("pthread_create failed\n");
        return 1;
    }
    int failed = reader(pipe_fds[0]) < 0;
    void *result;
    pthread_join(t, &result);
    if (failed || result) {
        say("writer thread failed\n");
        return 1;
    }
    say("done\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strncmp(argv[1], "fifo", 4) == 0 && argc < 5)) {
        fprintf(stderr, "usage: %s pipe|fifo|fifo-shared|fifo-threads|threads MIB RATE-MIB/S [FIFO-PATH]\n", argv[0]);
        return 2;
    }
    total_bytes = strtoull(argv[2], NULL, 10) * MIB;
    rate_mib = strtod(argv[3], NULL);
    int fifo = strncmp(argv[1], "fifo", 4) == 0;
    if (fifo) {
        unlink(argv[4]);
        if (mkfifo(argv[4], 0600) < 0) {
            say("mkfifo %s failed: %s\n", argv[4], strerror(errno));
            return 1;
        }
        if (strcmp(argv[1], "fifo-threads") != 0)
            return two_processes(-1, -1, argv[4], strcmp(argv[1], "fifo") == 0 ? O_WRONLY : O_RDWR);
        /* both ends in one process: the reader opens first, non-blocking so the
         * open does not wait for a writer, and becomes blocking once there is one */
        pipe_fds[0] = open(argv[4], O_RDONLY | O_NONBLOCK);
        pipe_fds[1] = pipe_fds[0] < 0 ? -1 : open(argv[4], O_WRONLY);
        if (pipe_fds[1] < 0 || fcntl(pipe_fds[0], F_SETFL, 0) < 0) {
            say("open %s failed: %s\n", argv[4], strerror(errno));
            return 1;
        }
        return two_threads();
    }
    if (pipe(pipe_fds) < 0) {
        say("pipe failed: %s\n", strerror(errno));
        return 1;
    }
    if (strcmp(argv[1], "pipe") == 0)
        return two_processes(pipe_fds[0], pipe_fds[1], NULL, 0);
    if (strcmp(argv[1], "threads") == 0)
        return two_threads();
    fprintf(stderr, "%s: unknown mode %s\n", argv[0], argv[1]);
    return 2;
}
