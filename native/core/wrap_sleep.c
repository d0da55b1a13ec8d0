/* A checkpoint interrupts sleeping threads with a signal, and the kernel never
 * restarts nanosleep() after a handler ran: sleep(3) would return early. These
 * wrappers finish the sleep: the time slept before the thread was frozen counts,
 * the time it was frozen (or dead, before a restart) does not — so a sleep behaves
 * the same whether or not a checkpoint happened, even though CLOCK_MONOTONIC
 * differs after a restart. Sleeps are not hot calls. */
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "threads.h"
#include "next_fn.h"

#define EXPORT __attribute__((visibility("default")))

static struct sleep_wrappers {
    void *clock_nanosleep;
} sleep_wrappers;

static int64_t now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct timespec to_timespec(int64_t ns)
{
    if (ns < 0)
        ns = 0;
    struct timespec ts = {ns / 1000000000, ns % 1000000000};
    return ts;
}

/* Relative sleep on CLOCK_MONOTONIC that survives checkpoints; returns 0 or an
 * errno value, and the remaining time when a signal of the program's own
 * interrupted it. */
static int sleep_through_checkpoints(int64_t length_ns, struct timespec *remaining)
{
    int (*real)(clockid_t, int, const struct timespec *, struct timespec *) =
        NEXT_FN(sleep_wrappers, clock_nanosleep);
    for (;;) {
        int64_t start = now_ns(CLOCK_MONOTONIC);
        uint64_t checkpoints = threads_self_checkpoints();
        struct timespec req = to_timespec(length_ns), rem;
        int r = real(CLOCK_MONOTONIC, 0, &req, &rem);
        if (r != EINTR || threads_self_checkpoints() == checkpoints) {
            if (r == EINTR && remaining)
                *remaining = rem;
            return r;
        }
        /* frozen at suspended_at (same clock as start, taken before any restart) */
        length_ns -= threads_self_suspended_at_ns() - start;
        if (length_ns <= 0)
            return 0;
    }
}

EXPORT int clock_nanosleep(clockid_t clock, int flags, const struct timespec *req, struct timespec *rem)
{
    int (*real)(clockid_t, int, const struct timespec *, struct timespec *) =
        NEXT_FN(sleep_wrappers, clock_nanosleep);
    if (!req || req->tv_nsec < 0 || req->tv_nsec >= 1000000000 || req->tv_sec < 0)
        return real(clock, flags, req, rem);
    int64_t length = (int64_t)req->tv_sec * 1000000000 + req->tv_nsec;
    if (flags & TIMER_ABSTIME) {
        for (;;) {
            uint64_t checkpoints = threads_self_checkpoints();
            int r = real(clock, flags, req, rem);
            if (r != EINTR || threads_self_checkpoints() == checkpoints)
                return r;
            /* A wall-clock deadline means the same after a restart; a monotonic one
             * does not (the clock restarts with the machine): sleep what was left. */
            if (clock == CLOCK_MONOTONIC || clock == CLOCK_BOOTTIME)
                return sleep_through_checkpoints(length - threads_self_suspended_at_ns(), NULL);
        }
    }
    if (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME && clock != CLOCK_BOOTTIME)
        return real(clock, flags, req, rem);
    return sleep_through_checkpoints(length, rem);
}

EXPORT int nanosleep(const struct timespec *req, struct timespec *rem)
{
    int r = clock_nanosleep(CLOCK_REALTIME, 0, req, rem);
    if (r) {
        errno = r;
        return -1;
    }
    return 0;
}

EXPORT unsigned int sleep(unsigned int seconds)
{
    struct timespec req = {seconds, 0}, rem = {0, 0};
    if (nanosleep(&req, &rem) < 0 && errno == EINTR)
        return (unsigned int)rem.tv_sec + (rem.tv_nsec > 0);
    return 0;
}

EXPORT int usleep(useconds_t usec)
{
    struct timespec req = {usec / 1000000, (long)(usec % 1000000) * 1000};
    return nanosleep(&req, NULL);
}
