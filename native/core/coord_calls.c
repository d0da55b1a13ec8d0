#include "coord_calls.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "../common/sys.h"
#include "coord_client.h"
#include "fmt.h"
#include "log.h"
#include "protocol.h"

static struct coord_calls_state {
    /* an ABORT read while waiting for a lookup's answer, for the barrier that follows */
    int abort_pending;
    uint32_t aborted_generation;
    struct msg_abort abort;       /* too big for the checkpoint thread's stack */
    struct msg_name_value value;
} coord_calls_state;

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    sys2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void coord_call_killed(void)
{
    LOG_DEBUG("killed by the coordinator");
    for (;;)
        sys2(SYS_kill, sys0(SYS_getpid), SIGKILL);
}

/* The next message within the deadline: 1, 0 on timeout, -1 when the connection is gone. */
static int next_message(struct coord_message *m, int64_t deadline, const char *waiting_for)
{
    for (;;) {
        int64_t left = deadline - monotonic_ms();
        if (left <= 0) {
            LOG_WARN("no word from the coordinator while waiting for %s", waiting_for);
            return 0;
        }
        int r = coord_receive(m, (int)left);
        if (r < 0) {
            LOG_WARN("lost the coordinator while waiting for %s", waiting_for);
            return -1;
        }
        if (r == 0)
            continue;
        if (m->type == MSG_KILL)
            coord_call_killed();
        return 1;
    }
}

/* An ABORT of this generation? (logged) */
static int is_abort_of(struct coord_message *m, uint32_t generation, const char *at)
{
    struct msg_abort *a = &coord_calls_state.abort;
    if (m->type != MSG_ABORT || proto_decode_abort(&m->body, a) < 0 || a->generation != generation)
        return 0;
    LOG_WARN("checkpoint %u aborted at %s: %s", a->generation, at, a->reason);
    return 1;
}

int coord_call_barrier(const char *name, uint32_t generation, int timeout_ms)
{
    struct coord_calls_state *s = &coord_calls_state;
    if (s->abort_pending) {
        s->abort_pending = 0;
        if (s->aborted_generation == generation)
            return -1;
    }
    struct msg_barrier reached;
    stasis_fmt(reached.name, sizeof reached.name, "%s", name);
    reached.generation = generation;
    struct wbuf *w = coord_body();
    proto_encode_barrier(w, &reached);
    if (coord_send(MSG_BARRIER, w) < 0)
        return -1;
    int64_t deadline = monotonic_ms() + timeout_ms;
    struct coord_message m;
    while (next_message(&m, deadline, name) > 0) {
        struct msg_barrier released;
        if (m.type == MSG_RELEASE && proto_decode_barrier(&m.body, &released) == 0 &&
            strcmp(released.name, name) == 0 && released.generation == generation)
            return 0;
        if (is_abort_of(&m, generation, name))
            return -1;
    }
    return -1;
}

int coord_call_unrestored(uint32_t generation, const char *what)
{
    if (!coord_is_connected())
        return -ENOTCONN;
    if (coord_revision() < COORD_REVISION_UNRESTORED)
        return -ENOTSUP;
    struct wbuf *w = coord_body();
    proto_encode_unrestored(w, generation, what);
    return coord_send(MSG_UNRESTORED, w) < 0 ? -ECONNRESET : 0;
}

int coord_call_publish(const char *key, const void *value, size_t length)
{
    if (!coord_is_connected())
        return -ENOTCONN;
    struct wbuf *w = coord_body();
    proto_encode_name_publish(w, key, value, (uint32_t)length);
    if (w->overflow)
        return -EMSGSIZE;
    int r = coord_send(MSG_NAME_PUBLISH, w);
    return r < 0 ? -ECONNRESET : 0;
}

long coord_call_lookup(const char *key, void *value, size_t capacity, uint32_t generation, int timeout_ms)
{
    struct coord_calls_state *s = &coord_calls_state;
    if (!coord_is_connected())
        return -ENOTCONN;
    struct wbuf *w = coord_body();
    proto_encode_name_lookup(w, key);
    if (coord_send(MSG_NAME_LOOKUP, w) < 0)
        return -ECONNRESET;
    int64_t deadline = monotonic_ms() + timeout_ms;
    struct coord_message m;
    int r;
    while ((r = next_message(&m, deadline, key)) > 0) {
        if (m.type == MSG_NAME_VALUE) {
            if (proto_decode_name_value(&m.body, &s->value) < 0 || strcmp(s->value.key, key) != 0)
                continue; /* an answer to an earlier, abandoned lookup */
            if (!s->value.found)
                return -ENOENT;
            memcpy(value, s->value.value, s->value.length < capacity ? s->value.length : capacity);
            return (long)s->value.length;
        }
        if (is_abort_of(&m, generation, key)) {
            s->abort_pending = 1;
            s->aborted_generation = generation;
            return -ECONNABORTED;
        }
    }
    return r == 0 ? -ETIMEDOUT : -ECONNRESET;
}
