#include "guard.h"

#include <time.h>

#include "../common/sys.h"

static struct guard_state {
    volatile int holders;     /* wrappers inside a guarded section */
    volatile int closed;      /* the checkpoint thread wants them out */
} guard_state;

void guard_enter(void)
{
    struct guard_state *g = &guard_state;
    for (;;) {
        int closed;
        while ((closed = __atomic_load_n(&g->closed, __ATOMIC_ACQUIRE)) != 0)
            futex_wait(&g->closed, closed, NULL);
        /* sequentially consistent with guard_lock_exclusive's store and load: without
         * it, its store of `closed` may sit in a store buffer while it reads
         * `holders` as 0, as we read `closed` as 0 — both would go on (Dekker) */
        __atomic_add_fetch(&g->holders, 1, __ATOMIC_SEQ_CST);
        if (!__atomic_load_n(&g->closed, __ATOMIC_SEQ_CST))
            return;
        /* a checkpoint closed the guard between our check and our entry: back off */
        guard_leave();
    }
}

void guard_leave(void)
{
    struct guard_state *g = &guard_state;
    if (__atomic_sub_fetch(&g->holders, 1, __ATOMIC_ACQ_REL) == 0 && __atomic_load_n(&g->closed, __ATOMIC_ACQUIRE))
        futex_wake(&g->holders, 1);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    sys2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int guard_lock_exclusive(int timeout_ms)
{
    struct guard_state *g = &guard_state;
    __atomic_store_n(&g->closed, 1, __ATOMIC_SEQ_CST); /* see guard_enter */
    int64_t deadline = now_ms() + timeout_ms;
    int holders;
    while ((holders = __atomic_load_n(&g->holders, __ATOMIC_SEQ_CST)) != 0) {
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            guard_unlock_exclusive();
            return -1;
        }
        struct timespec slice = {0, (left > 50 ? 50 : left) * 1000000L};
        futex_wait(&g->holders, holders, &slice);
    }
    return 0;
}

void guard_unlock_exclusive(void)
{
    struct guard_state *g = &guard_state;
    __atomic_store_n(&g->closed, 0, __ATOMIC_RELEASE);
    futex_wake(&g->closed, 0x7fffffff);
}

void guard_reset(void)
{
    guard_state.holders = 0;
    guard_state.closed = 0;
}
