/* Wrappers of the calls that take or return a process or thread id. None of them
 * is a hot call; each costs one table look-up. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stasis/plugin.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pidvirt.h"

#define EXPORT __attribute__((visibility("default")))

static struct pidvirt_wrappers {
    void *pthread_kill;
    void *kill;
} pidvirt_wrappers;

static void *next(void **cache, const char *name)
{
    void *fn = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
    if (!fn) {
        fn = stasis_next_fn(name);
        __atomic_store_n(cache, fn, __ATOMIC_RELEASE);
    }
    return fn;
}

EXPORT pid_t getpid(void)
{
    return pidvirt_self_pid();
}

EXPORT pid_t gettid(void)
{
    return pidvirt_self_tid();
}

EXPORT int kill(pid_t pid, int sig)
{
    int (*real)(pid_t, int) = next(&pidvirt_wrappers.kill, "kill");
    return real(pid > 0 ? pidvirt_real_pid(pid) : pid, sig);
}

static long result(long r)
{
    if (r < 0) {
        errno = (int)-r;
        return -1;
    }
    return r;
}

EXPORT int tgkill(pid_t tgid, pid_t tid, int sig)
{
    return (int)result(stasis_real_syscall(SYS_tgkill, pidvirt_real_pid(tgid), pidvirt_real_tid(tid), sig, 0, 0, 0));
}

EXPORT int pthread_kill(pthread_t thread, int sig)
{
    int *tid_word = stasis_pthread_tid((unsigned long)thread);
    int (*real)(pthread_t, int) = next(&pidvirt_wrappers.pthread_kill, "pthread_kill");
    if (!tid_word)
        return real(thread, sig);
    pid_t known = *tid_word;
    pid_t kernel = pidvirt_real_tid(known);
    if (kernel == known || known <= 0)
        return real(thread, sig);
    /* glibc would send to the id it keeps, which is the program's, not the kernel's */
    long r = stasis_real_syscall(SYS_tgkill, pidvirt_kernel_pid(), kernel, sig, 0, 0, 0);
    return r < 0 ? (int)-r : 0;
}

EXPORT int pthread_sigqueue(pthread_t thread, int sig, const union sigval value)
{
    int *tid_word = stasis_pthread_tid((unsigned long)thread);
    pid_t tid = tid_word ? pidvirt_real_tid(*tid_word) : 0;
    if (tid <= 0)
        return ESRCH;
    siginfo_t info;
    memset(&info, 0, sizeof info);
    info.si_signo = sig;
    info.si_code = SI_QUEUE;
    info.si_pid = pidvirt_self_pid();
    info.si_uid = getuid();
    info.si_value = value;
    long r = stasis_real_syscall(SYS_rt_tgsigqueueinfo, pidvirt_kernel_pid(), tid, sig, (long)&info, 0, 0);
    return r < 0 ? (int)-r : 0;
}

/* syscall(2) itself: programs call syscall(SYS_gettid) and friends directly */
EXPORT long syscall(long number, ...)
{
    va_list ap;
    va_start(ap, number);
    long a[6];
    for (int i = 0; i < 6; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
    switch (number) {
    case SYS_getpid:
        return pidvirt_self_pid();
    case SYS_gettid:
        return pidvirt_self_tid();
    case SYS_tgkill:
        a[0] = pidvirt_real_pid((pid_t)a[0]);
        a[1] = pidvirt_real_tid((pid_t)a[1]);
        break;
    case SYS_tkill:
        a[0] = pidvirt_real_tid((pid_t)a[0]);
        break;
    case SYS_kill:
        a[0] = a[0] > 0 ? pidvirt_real_pid((pid_t)a[0]) : a[0];
        break;
    }
    return result(stasis_real_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]));
}
