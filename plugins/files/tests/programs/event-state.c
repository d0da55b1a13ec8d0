/* The state of event descriptors that a checkpoint must carry exactly (zdtm's
 * shape: set up, wait while the checkpoint and restart happen, verify):
 *   - timerfd: unread expirations (1000, set with TFD_IOC_SET_TICKS, and 1 of a
 *     fired one-shot), a CLOCK_REALTIME absolute deadline, a relative timer's time
 *     left, and a timer that stays disarmed;
 *   - eventfd: a semaphore's count, and a dup that is still the same open file
 *     description (one count, one O_NONBLOCK);
 *   - epoll: edge-triggered stays edge-triggered, a fired EPOLLONESHOT stays
 *     disabled, an epoll inside an epoll with a higher descriptor number, and a
 *     registration made through a dup closed since;
 *   - inotify: a removed watch's wd is not handed out again, the next watch gets
 *     the number after the highest ever given, a watch added by a relative path
 *     from a working directory left since keeps working, and so do watches added
 *     after more than the wrappers' table holds were dropped by the kernel;
 *   - signalfd: its mask.
 * Usage: event-state WORKDIR [wait_ms] */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define TFD_IOC_SET_TICKS _IOW('T', 0, uint64_t)
#define HOUR 3600

static int failures;

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok" : "failed:", what);
    if (!ok)
        failures++;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) < 0 && errno == EINTR)
        ;
}

static uint64_t read_u64(int fd)
{
    uint64_t v = 0;
    return read(fd, &v, sizeof v) == sizeof v ? v : 0;
}

static double left(int fd)
{
    struct itimerspec t;
    if (timerfd_gettime(fd, &t) < 0)
        return -1;
    return (double)t.it_value.tv_sec + t.it_value.tv_nsec / 1e9;
}

static double now_realtime(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: event-state WORKDIR [wait_ms]\n");
        return 2;
    }
    long wait_ms = argc > 2 ? atol(argv[2]) : 4000;
    char dir[512], a[600], b[600], c[600];
    snprintf(dir, sizeof dir, "%s/event-state", argv[1]);
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    snprintf(c, sizeof c, "%s/c", dir);
    mkdir(dir, 0700);
    mkdir(a, 0700);
    mkdir(b, 0700);
    mkdir(c, 0700);

    /* timerfd */
    int ticks1000 = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    uint64_t thousand = 1000;
    int have_set_ticks = ioctl(ticks1000, TFD_IOC_SET_TICKS, &thousand) == 0;
    int fired = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct itimerspec soon = {{0, 0}, {0, 1000000}};
    timerfd_settime(fired, 0, &soon, NULL);
    int absolute = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
    double deadline = (double)(time(NULL) + HOUR);
    struct itimerspec at = {{0, 0}, {(time_t)deadline, 0}};
    timerfd_settime(absolute, TFD_TIMER_ABSTIME, &at, NULL);
    int relative = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct itimerspec hour = {{0, 0}, {HOUR, 0}};
    timerfd_settime(relative, 0, &hour, NULL);
    int disarmed = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK);

    char drop[4096];

    /* eventfd */
    int semaphore = eventfd(5, EFD_SEMAPHORE | EFD_NONBLOCK);
    int counter = eventfd(0, 0);
    int counter_dup = dup(counter);
    uint64_t seven = 7;
    write(counter_dup, &seven, sizeof seven);

    /* epoll; the inner instance gets a higher number than the outer one */
    int edge_source = eventfd(1, EFD_NONBLOCK);
    int oneshot_source = eventfd(1, EFD_NONBLOCK);
    int outer = epoll_create1(0);
    int inner = epoll_create1(0);
    int via_dup_source = eventfd(1, EFD_NONBLOCK);
    int gone = dup(via_dup_source);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 0xedce000000000001ull};
    epoll_ctl(outer, EPOLL_CTL_ADD, edge_source, &ev);
    ev = (struct epoll_event){.events = EPOLLIN | EPOLLONESHOT, .data.u64 = 0x0ce0000000000002ull};
    epoll_ctl(outer, EPOLL_CTL_ADD, oneshot_source, &ev);
    ev = (struct epoll_event){.events = EPOLLIN, .data.u64 = 0x1111000000000003ull};
    epoll_ctl(outer, EPOLL_CTL_ADD, inner, &ev);
    ev = (struct epoll_event){.events = EPOLLIN, .data.u64 = 0xd00d000000000004ull};
    epoll_ctl(inner, EPOLL_CTL_ADD, gone, &ev);
    close(gone);
    struct epoll_event got[8];
    int before = epoll_wait(outer, got, 8, 0); /* consumes the edge and the one-shot */

    /* inotify: first more watches than the wrappers' table holds, each dropped by
     * the kernel when its directory goes (the program never removes them), then
     * the watches that count: 3 of 5 handed out kept */
    int in = inotify_init1(IN_NONBLOCK);
    char transient[700];
    for (int i = 0; i < 1500; i++) {
        snprintf(transient, sizeof transient, "%s/t%d", dir, i);
        if (mkdir(transient, 0700) < 0 || inotify_add_watch(in, transient, IN_CREATE) < 0 || rmdir(transient) < 0)
            return 1;
        if (i % 100 == 0)
            while (read(in, drop, sizeof drop) > 0)
                ; /* IN_DELETE_SELF and IN_IGNORED of the removed directories */
    }
    int wd_a = inotify_add_watch(in, a, IN_CREATE);
    int wd_b = inotify_add_watch(in, b, IN_CREATE);
    int wd_dir = inotify_add_watch(in, dir, IN_CREATE);
    inotify_rm_watch(in, wd_b);
    /* by a relative path, from a working directory left since */
    if (chdir(dir) < 0)
        return 1;
    int wd_c = inotify_add_watch(in, "c", IN_CREATE | IN_DELETE);
    if (chdir("/") < 0)
        return 1;
    int wd_last = inotify_add_watch(in, b, IN_CREATE);
    inotify_rm_watch(in, wd_last);
    while (read(in, drop, sizeof drop) > 0)
        ;

    /* signalfd */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGWINCH);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_NONBLOCK);

    printf("set up: epoll saw %d, wds %d %d %d %d\n", before, wd_a, wd_dir, wd_c, wd_last);
    printf("ready\n");
    fflush(stdout);
    sleep_ms(wait_ms);

    /* timerfd */
    if (have_set_ticks)
        check(read_u64(ticks1000) == 1000, "timerfd keeps 1000 unread expirations");
    check(read_u64(fired) == 1, "timerfd fired one-shot keeps its expiration");
    check(left(fired) == 0, "timerfd fired one-shot stays disarmed");
    double deadline_now = now_realtime() + left(absolute);
    check(deadline_now > deadline - 1 && deadline_now < deadline + 1, "timerfd absolute deadline kept");
    double rest = left(relative);
    check(rest > HOUR - 60 && rest <= HOUR, "timerfd relative time left kept");
    check(left(disarmed) == 0 && read_u64(disarmed) == 0, "timerfd disarmed stays disarmed");

    /* eventfd */
    int ones = 0;
    while (read_u64(semaphore) == 1)
        ones++;
    check(ones == 5, "eventfd semaphore gives its count one by one");
    /* status flags belong to the open file description: set through one, seen through the other */
    fcntl(counter_dup, F_SETFL, O_NONBLOCK);
    check(fcntl(counter, F_GETFL) & O_NONBLOCK, "eventfd dup is the same open file description");
    check(read_u64(counter) == 7 && read_u64(counter) == 0 && errno == EAGAIN, "eventfd dup shares its count");

    /* epoll */
    /* Re-adding a registration reports a ready target once, edge-triggered or not:
     * one spurious edge (a read that finds nothing) is the price of never losing
     * one, as with CRIU. A second look must be quiet. */
    int n = epoll_wait(outer, got, 8, 0);
    int saw_inner = 0, saw_oneshot = 0;
    for (int i = 0; i < n; i++) {
        saw_inner |= got[i].data.u64 == 0x1111000000000003ull;
        saw_oneshot |= got[i].data.u64 == 0x0ce0000000000002ull;
    }
    check(saw_inner, "epoll inside epoll still reports");
    check(!saw_oneshot, "epoll fired one-shot registration stays disabled");
    n = epoll_wait(outer, got, 8, 0);
    int saw_other = 0;
    for (int i = 0; i < n; i++)
        saw_other |= got[i].data.u64 != 0x1111000000000003ull;
    check(!saw_other, "epoll edge-triggered registration stays quiet without a new edge");
    n = epoll_wait(inner, got, 8, 0);
    check(n == 1 && got[0].data.u64 == 0xd00d000000000004ull, "epoll registration through a closed dup kept");
    uint64_t one = 1;
    write(edge_source, &one, sizeof one);
    n = epoll_wait(outer, got, 8, 0);
    int saw_edge = 0;
    for (int i = 0; i < n; i++)
        saw_edge |= got[i].data.u64 == 0xedce000000000001ull;
    check(saw_edge, "epoll edge-triggered registration reports a new edge");

    /* inotify */
    int wd_new = inotify_add_watch(in, b, IN_CREATE);
    check(wd_new == wd_last + 1, "inotify next wd follows the highest handed out");
    char file[700];
    snprintf(file, sizeof file, "%s/x", c);
    close(open(file, O_CREAT | O_WRONLY, 0600));
    unlink(file);
    sleep_ms(50);
    char buf[4096] __attribute__((aligned(8)));
    ssize_t len = read(in, buf, sizeof buf);
    int created = 0;
    for (char *p = buf; len > 0 && p < buf + len;) {
        struct inotify_event *e = (struct inotify_event *)p;
        created |= e->wd == wd_c && (e->mask & IN_CREATE) && strcmp(e->name, "x") == 0;
        p += sizeof *e + e->len;
    }
    check(created, "inotify watch keeps its wd");

    /* signalfd */
    raise(SIGWINCH);
    struct signalfd_siginfo si;
    check(read(sfd, &si, sizeof si) == sizeof si && si.ssi_signo == SIGWINCH, "signalfd keeps its mask");

    printf("%d failures\n", failures);
    printf("done\n");
    return failures != 0;
}
