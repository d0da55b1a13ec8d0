/* The checkpoint signal belongs to Stasis: the program may install a handler for
 * it, block it or wait for it, and none of that may stop a checkpoint. A handler
 * the program installs is kept and called when the program raises the signal
 * itself; blocking requests have the signal removed. Not hot calls. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "threads.h"
#include "next_fn.h"

#define EXPORT __attribute__((visibility("default")))

static struct signal_wrappers {
    void *sigaction;
    void *signal;
    void *sigprocmask;
    void *pthread_sigmask;
    void *sigsuspend;
} signal_wrappers;

static int is_ckpt(int sig)
{
    int s = threads_signal();
    return s > 0 && sig == s;
}

static const sigset_t *without_ckpt(const sigset_t *set, sigset_t *copy)
{
    int s = threads_signal();
    if (!set || s <= 0 || !sigismember(set, s))
        return set;
    *copy = *set;
    sigdelset(copy, s);
    return copy;
}

EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (is_ckpt(sig)) {
        if (old)
            threads_get_user_action(old);
        if (act)
            threads_set_user_action(act);
        return 0;
    }
    struct sigaction copy;
    if (act) {
        /* our handler must be able to run while the program's handlers do */
        copy = *act;
        sigdelset(&copy.sa_mask, threads_signal());
        act = &copy;
    }
    return NEXT_FN(signal_wrappers, sigaction)(sig, act, old);
}

EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
    if (is_ckpt(sig)) {
        struct sigaction act, old;
        memset(&act, 0, sizeof act);
        act.sa_handler = handler;
        act.sa_flags = SA_RESTART;
        threads_get_user_action(&old);
        threads_set_user_action(&act);
        return old.sa_handler;
    }
    return NEXT_FN(signal_wrappers, signal)(sig, handler);
}

EXPORT int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
    sigset_t copy;
    if (how != SIG_UNBLOCK)
        set = without_ckpt(set, &copy);
    return NEXT_FN(signal_wrappers, sigprocmask)(how, set, old);
}

EXPORT int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
    sigset_t copy;
    if (how != SIG_UNBLOCK)
        set = without_ckpt(set, &copy);
    return NEXT_FN(signal_wrappers, pthread_sigmask)(how, set, old);
}

EXPORT int sigsuspend(const sigset_t *mask)
{
    sigset_t copy;
    return NEXT_FN(signal_wrappers, sigsuspend)(without_ckpt(mask, &copy));
}
