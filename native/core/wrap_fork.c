/* fork() and vfork(): the child becomes a process of the computation before fork()
 * returns in it — its own checkpoint thread, registered with the coordinator — and
 * no checkpoint may start in between, or it would catch a parent whose child the
 * coordinator does not know yet (the seed's "checkpointing too soon").
 *
 * The parent lets the child go on only after the other wrappers around fork (a
 * plugin may refuse the child's pid: pid-virt) have returned, so a child that is
 * thrown away never registers. */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/sys.h"
#include "guard.h"
#include "log.h"
#include "next_fn.h"
#include "runtime.h"

#define EXPORT __attribute__((visibility("default")))
#define HANDSHAKE_TIMEOUT_MS 10000

static struct fork_wrappers {
    void *fork;
} fork_wrappers;

static char read_byte(int fd, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char c = 0;
    if (sys3(SYS_poll, (long)&p, 1, timeout_ms) == 1)
        sys3(SYS_read, fd, (long)&c, 1);
    return c;
}

EXPORT pid_t fork(void)
{
    pid_t (*real)(void) = NEXT_FN(fork_wrappers, fork);
    if (!runtime_active())
        return real();
    guard_enter();
    int pair[2];
    if (sys4(SYS_socketpair, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, (long)pair) < 0) {
        guard_leave();
        return real();
    }
    pid_t pid = real();
    if (pid == 0) {
        sys1(SYS_close, pair[0]);
        /* wait for the parent's word: 'g' go on; EOF: the parent gave up on us */
        if (read_byte(pair[1], HANDSHAKE_TIMEOUT_MS) != 'g')
            sys1(SYS_exit_group, 0);
        int registered = runtime_after_fork_child();
        sys3(SYS_write, pair[1], (long)(registered == 0 ? "r" : "n"), 1);
        sys1(SYS_close, pair[1]);
        return 0;
    }
    int saved = errno;
    sys1(SYS_close, pair[1]);
    if (pid > 0) {
        sys3(SYS_write, pair[0], (long)"g", 1);
        if (read_byte(pair[0], HANDSHAKE_TIMEOUT_MS) != 'r')
            LOG_WARN("child %d did not register with the coordinator: it is not checkpointed", pid);
    }
    sys1(SYS_close, pair[0]);
    guard_leave();
    errno = saved;
    return pid;
}

/* vfork's child shares our memory until it execs: it could not run a thread of its
 * own. A fork gives the same result to the program (DMTCP does the same). */
EXPORT pid_t vfork(void)
{
    return fork();
}
