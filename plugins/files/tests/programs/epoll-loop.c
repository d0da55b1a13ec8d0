/* One epoll loop over five event sources, each checked across checkpoint and
 * restart:
 *   - a pipe (edge-triggered) a writer thread fills with sequence numbers every
 *     10 ms: they arrive in order, none lost or doubled;
 *   - a periodic timerfd (50 ms) that drives the rounds: one "round N" line per
 *     expiration read, so a timer that stops after restart stops the output;
 *   - an eventfd a thread adds 1, 2, 3, … to: at the end the sum read is exact;
 *   - a signalfd for SIGUSR1 (blocked), sent with sigqueue() every round carrying
 *     the round: the values only increase;
 *   - inotify: watches on two directories with wds 2 and 3 (wd 1 was removed), a
 *     file created and deleted in the first every round, in the second every 10
 *     rounds, and a watch added and removed every 10 rounds whose wd must be the
 *     one after the previous. Events for the files come with the saved wds.
 * Every registration carries a 64-bit tag the loop checks. A source silent for 2 s
 * is a failure, printed as such.
 * Usage: epoll-loop WORKDIR [rounds] */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define TAG 0x5354415300000000ull /* "STAS" in the high half: all 64 bits must come back */
#define SILENT_ROUNDS 40          /* 2 s of timer rounds */

enum source { PIPE, TIMER, EVENT, SIGNAL, INOTIFY, SOURCES };
static const char *const names[SOURCES] = {"pipe", "timerfd", "eventfd", "signalfd", "inotify"};

static struct loop {
    int pipe_fds[2], timer, event, signal, inotify, epoll;
    int wd_work, wd_keep, wd_temp; /* wd_temp: the last wd handed out */
    char work[512], keep[600], temp[600];
    volatile int stop;
    uint64_t pipe_next;               /* next sequence number expected */
    uint64_t written;                 /* by the writer thread */
    uint64_t bumps, event_total;      /* eventfd: adds done, sum read */
    long last_signal, signals;
    long last_create, creates, keep_events;
    long round, last_seen[SOURCES];
} loop = {.last_signal = -1, .last_create = -1};

static void fail(const char *what)
{
    printf("failed: %s\n", what);
    fflush(stdout);
    exit(1);
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) < 0 && errno == EINTR)
        ;
}

static void *writer(void *arg)
{
    (void)arg;
    while (!loop.stop) {
        uint64_t seq = loop.written;
        ssize_t n = write(loop.pipe_fds[1], &seq, sizeof seq);
        if (n != sizeof seq) {
            if (n < 0 && errno == EINTR)
                continue;
            fail("write to the pipe");
        }
        __atomic_store_n(&loop.written, seq + 1, __ATOMIC_RELEASE);
        sleep_ms(10);
    }
    return NULL;
}

static void *bumper(void *arg)
{
    (void)arg;
    while (!loop.stop) {
        uint64_t add = loop.bumps + 1;
        ssize_t n = write(loop.event, &add, sizeof add);
        if (n != sizeof add) {
            if (n < 0 && errno == EINTR)
                continue;
            fail("write to the eventfd");
        }
        __atomic_store_n(&loop.bumps, add, __ATOMIC_RELEASE);
        sleep_ms(20);
    }
    return NULL;
}

/* A read that blocks where it should not (a descriptor that lost O_NONBLOCK) would
 * hang the loop: say so instead. */
static void *watchdog(void *arg)
{
    (void)arg;
    long last = -1;
    for (int still = 0; !loop.stop; sleep_ms(100)) {
        long now = __atomic_load_n(&loop.round, __ATOMIC_ACQUIRE);
        still = now == last ? still + 1 : 0;
        last = now;
        if (still == 30)
            fail("the loop is stuck (a blocking call on a non-blocking descriptor?)");
    }
    return NULL;
}

static void add(int fd, uint32_t events, enum source s)
{
    struct epoll_event ev = {.events = events, .data.u64 = TAG | (uint64_t)s << 16 | (uint64_t)fd};
    if (epoll_ctl(loop.epoll, EPOLL_CTL_ADD, fd, &ev) < 0)
        fail("epoll_ctl");
}

static void touch(const char *dir, char prefix, long n)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%c%ld", dir, prefix, n);
    int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0 || close(fd) < 0 || unlink(path) < 0)
        fail("create and delete a file");
}

static void read_pipe(void)
{
    uint64_t buf[64];
    for (;;) { /* edge-triggered: read until empty */
        ssize_t n = read(loop.pipe_fds[0], buf, sizeof buf);
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0 || n % sizeof buf[0])
            fail("read from the pipe");
        for (size_t i = 0; i < (size_t)n / sizeof buf[0]; i++) {
            if (buf[i] != loop.pipe_next) {
                printf("failed: pipe message %llu, expected %llu\n", (unsigned long long)buf[i],
                       (unsigned long long)loop.pipe_next);
                exit(1);
            }
            loop.pipe_next++;
        }
    }
}

static void read_event(void)
{
    uint64_t v;
    if (read(loop.event, &v, sizeof v) != sizeof v)
        fail("read from the eventfd");
    loop.event_total += v;
}

static void read_signal(void)
{
    struct signalfd_siginfo si;
    if (read(loop.signal, &si, sizeof si) != sizeof si)
        fail("read from the signalfd");
    if (si.ssi_signo != SIGUSR1)
        fail("signalfd gave another signal");
    if ((long)si.ssi_int <= loop.last_signal) {
        printf("failed: signal of round %d after round %ld\n", si.ssi_int, loop.last_signal);
        exit(1);
    }
    loop.last_signal = si.ssi_int;
    loop.signals++;
}

static void read_inotify(void)
{
    char buf[4096] __attribute__((aligned(8)));
    ssize_t n = read(loop.inotify, buf, sizeof buf);
    if (n <= 0)
        fail("read from inotify");
    for (char *p = buf; p < buf + n;) {
        struct inotify_event *e = (struct inotify_event *)p;
        p += sizeof *e + e->len;
        if (e->mask & IN_IGNORED) {
            if (e->wd == loop.wd_work || e->wd == loop.wd_keep) {
                printf("failed: inotify IN_IGNORED for wd %d\n", e->wd);
                exit(1);
            }
        } else if (e->wd == loop.wd_work && e->len && e->name[0] == 'f') {
            long k = atol(e->name + 1);
            if ((e->mask & IN_CREATE) && k <= loop.last_create) {
                printf("failed: inotify create of f%ld after f%ld\n", k, loop.last_create);
                exit(1);
            }
            if (e->mask & IN_CREATE) {
                loop.last_create = k;
                loop.creates++;
            }
        } else if (e->wd == loop.wd_keep && e->len && e->name[0] == 'b') {
            loop.keep_events++;
        } else {
            printf("failed: inotify event %#x wd %d name %s\n", e->mask, e->wd, e->len ? e->name : "");
            exit(1);
        }
    }
}

/* An added watch gets the wd after the last one, restart or not. */
static void temp_watch(void)
{
    int wd = inotify_add_watch(loop.inotify, loop.temp, IN_CREATE);
    if (wd < 0)
        fail("inotify_add_watch");
    if (wd != loop.wd_temp + 1) {
        printf("failed: inotify wd %d after %d\n", wd, loop.wd_temp);
        exit(1);
    }
    loop.wd_temp = wd;
    if (inotify_rm_watch(loop.inotify, wd) < 0)
        fail("inotify_rm_watch");
}

static void next_round(void)
{
    uint64_t ticks;
    if (read(loop.timer, &ticks, sizeof ticks) != sizeof ticks || ticks == 0)
        fail("read from the timerfd");
    long r = loop.round++;
    printf("round %ld\n", r);
    fflush(stdout);
    touch(loop.work, 'f', r);
    if (r % 10 == 0) {
        touch(loop.keep, 'b', r);
        temp_watch();
    }
    union sigval v = {.sival_int = (int)r};
    if (sigqueue(getpid(), SIGUSR1, v) < 0)
        fail("sigqueue");
    for (int s = 0; s < SOURCES; s++)
        if (r - loop.last_seen[s] > SILENT_ROUNDS) {
            printf("failed: %s silent for %d rounds at round %ld\n", names[s], SILENT_ROUNDS, r);
            exit(1);
        }
}

static void setup(const char *work)
{
    snprintf(loop.work, sizeof loop.work, "%s/epoll-loop", work);
    snprintf(loop.keep, sizeof loop.keep, "%s/keep", loop.work);
    snprintf(loop.temp, sizeof loop.temp, "%s/temp", loop.work);
    mkdir(loop.work, 0700);
    mkdir(loop.keep, 0700);
    mkdir(loop.temp, 0700);
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL); /* before any thread: every thread blocks it */
    if (pipe2(loop.pipe_fds, O_CLOEXEC) < 0 || fcntl(loop.pipe_fds[0], F_SETFL, O_NONBLOCK) < 0)
        fail("pipe");
    loop.timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    struct itimerspec every = {{0, 50000000}, {0, 50000000}};
    if (loop.timer < 0 || timerfd_settime(loop.timer, 0, &every, NULL) < 0)
        fail("timerfd");
    loop.event = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    loop.signal = signalfd(-1, &usr1, SFD_CLOEXEC | SFD_NONBLOCK);
    loop.inotify = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (loop.event < 0 || loop.signal < 0 || loop.inotify < 0)
        fail("eventfd, signalfd or inotify");
    /* wd 1 goes away, so the restart has a gap to keep */
    int first = inotify_add_watch(loop.inotify, loop.temp, IN_CREATE);
    loop.wd_keep = inotify_add_watch(loop.inotify, loop.keep, IN_CREATE);
    if (first < 0 || loop.wd_keep < 0 || inotify_rm_watch(loop.inotify, first) < 0)
        fail("inotify watches");
    loop.wd_work = inotify_add_watch(loop.inotify, loop.work, IN_CREATE | IN_DELETE);
    if (loop.wd_work < 0)
        fail("inotify watch");
    loop.wd_temp = loop.wd_work;
    loop.epoll = epoll_create1(EPOLL_CLOEXEC);
    if (loop.epoll < 0)
        fail("epoll_create1");
    add(loop.pipe_fds[0], EPOLLIN | EPOLLET, PIPE);
    add(loop.timer, EPOLLIN, TIMER);
    add(loop.event, EPOLLIN, EVENT);
    add(loop.signal, EPOLLIN, SIGNAL);
    add(loop.inotify, EPOLLIN, INOTIFY);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: epoll-loop WORKDIR [rounds]\n");
        return 2;
    }
    long rounds = argc > 2 ? atol(argv[2]) : 200;
    setup(argv[1]);
    pthread_t w, b, dog;
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&b, NULL, bumper, NULL);
    pthread_create(&dog, NULL, watchdog, NULL);
    while (loop.round < rounds) {
        struct epoll_event ev[8];
        int n = epoll_wait(loop.epoll, ev, 8, 2000);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail("epoll_wait");
        if (n == 0)
            fail("nothing ready for 2 s (the timerfd stopped)");
        for (int i = 0; i < n; i++) {
            uint64_t data = ev[i].data.u64;
            enum source s = (enum source)(data >> 16 & 0xffff);
            if ((data & ~0xffffffffull) != TAG || s >= SOURCES) {
                printf("failed: epoll data %#llx\n", (unsigned long long)data);
                exit(1);
            }
            loop.last_seen[s] = loop.round;
            switch (s) {
            case PIPE: read_pipe(); break;
            case TIMER: next_round(); break;
            case EVENT: read_event(); break;
            case SIGNAL: read_signal(); break;
            default: read_inotify(); break;
            }
        }
    }
    loop.stop = 1;
    pthread_join(w, NULL);
    pthread_join(b, NULL);
    pthread_join(dog, NULL);
    read_pipe();
    uint64_t rest;
    if (read(loop.event, &rest, sizeof rest) == sizeof rest)
        loop.event_total += rest;
    if (loop.pipe_next != loop.written) {
        printf("failed: pipe %llu messages read of %llu\n", (unsigned long long)loop.pipe_next,
               (unsigned long long)loop.written);
        return 1;
    }
    uint64_t expected = loop.bumps * (loop.bumps + 1) / 2;
    if (loop.event_total != expected) {
        printf("failed: eventfd sum %llu, expected %llu\n", (unsigned long long)loop.event_total,
               (unsigned long long)expected);
        return 1;
    }
    printf("pipe %llu messages in order\n", (unsigned long long)loop.pipe_next);
    printf("eventfd sum ok\n");
    printf("signals %ld, inotify creates %ld of %ld rounds, %ld in the kept directory\n", loop.signals,
           loop.creates, loop.round, loop.keep_events);
    printf("done\n");
    return 0;
}
