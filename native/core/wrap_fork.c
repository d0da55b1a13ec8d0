/* fork(), vfork() and a fork-like clone(): the child becomes a process of the computation before fork()
 * returns in it — its own checkpoint thread, registered with the coordinator — and
 * no checkpoint may start in between, or it would catch a parent whose child the
 * coordinator does not know yet (DMTCP's "checkpointing too soon").
 *
 * The parent lets the child go on only after the other wrappers around fork (a
 * plugin may refuse the child's pid: pid-virt) have returned, so a child that is
 * thrown away never registers. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/sys.h"
#include "guard.h"
#include "lifecycle.h"
#include "log.h"
#include "next_fn.h"
#include "runtime.h"

#define EXPORT __attribute__((visibility("default")))
#define HANDSHAKE_TIMEOUT_MS 10000

static struct fork_wrappers {
    void *fork;
    void *clone;
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
        runtime_set_handshake_fd(pair[1]);
        int registered = lifecycle_after_fork_child();
        sys3(SYS_write, pair[1], (long)(registered == 0 ? "r" : "n"), 1);
        sys1(SYS_close, pair[1]);
        runtime_set_handshake_fd(-1);
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

/* What a clone() may ask for and still be a fork: its own memory, SIGCHLD at exit,
 * the tid stored for parent or child, a vfork-style wait. */
#define CLONE_LIKE_FORK (CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_VFORK)

/* A clone() that makes a new process (not a thread: no CLONE_VM) is a fork that
 * runs fn(arg) in the child, so the child joins the computation like any other.
 * fn runs on the child's copy of the caller's stack rather than on `stack`: with
 * memory not shared, nobody can tell. Anything else (threads, namespaces, shared
 * descriptor tables, another exit signal) goes to the real clone, and a process
 * made that way is not checkpointed. */
EXPORT int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    pid_t *parent_tid = va_arg(ap, pid_t *);
    void *tls = va_arg(ap, void *);
    pid_t *child_tid = va_arg(ap, pid_t *);
    va_end(ap);
    int (*real)(int (*)(void *), void *, int, void *, ...) = NEXT_FN(fork_wrappers, clone);
    int like_fork = (flags & CSIGNAL) == SIGCHLD && (flags & ~(CSIGNAL | CLONE_LIKE_FORK)) == 0;
    if (!runtime_active() || !like_fork) {
        if (runtime_active() && !(flags & CLONE_VM))
            LOG_WARN("clone(flags %#x) makes a process Stasis cannot checkpoint", flags);
        return real(fn, stack, flags, arg, parent_tid, tls, child_tid);
    }
    /* CLONE_VFORK: the caller waits until the child execs or exits, which closes this pipe */
    int vfork_pipe[2] = {-1, -1};
    if ((flags & CLONE_VFORK) && sys2(SYS_pipe2, (long)vfork_pipe, O_CLOEXEC) < 0)
        vfork_pipe[0] = vfork_pipe[1] = -1;
    pid_t pid = fork();
    if (pid == 0) {
        if (vfork_pipe[0] >= 0)
            sys1(SYS_close, vfork_pipe[0]);
        if (flags & (CLONE_PARENT_SETTID | CLONE_CHILD_SETTID)) {
            pid_t self = getpid(); /* the id the program knows (pid-virt's, when on) */
            if ((flags & CLONE_PARENT_SETTID) && parent_tid)
                *parent_tid = self;
            if ((flags & CLONE_CHILD_SETTID) && child_tid)
                *child_tid = self;
        }
        if ((flags & CLONE_CHILD_CLEARTID) && child_tid)
            sys1(SYS_set_tid_address, (long)child_tid);
        _exit(fn(arg));
    }
    int saved = errno;
    if (pid > 0 && (flags & CLONE_PARENT_SETTID) && parent_tid)
        *parent_tid = pid;
    if (vfork_pipe[0] >= 0) {
        sys1(SYS_close, vfork_pipe[1]);
        char c;
        while (pid > 0 && sys3(SYS_read, vfork_pipe[0], (long)&c, 1) == -EINTR)
            ;
        sys1(SYS_close, vfork_pipe[0]);
    }
    errno = saved;
    return pid;
}

/* vfork's child shares our memory until it execs: it could not run a thread of its
 * own. A fork gives the same result to the program (DMTCP does the same). */
EXPORT pid_t vfork(void)
{
    return fork();
}
