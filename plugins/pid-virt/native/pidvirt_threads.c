/* Thread calls that hand glibc's copy of a thread id (the program's) to the kernel. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stasis/ids.h>
#include <stasis/services.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pidvirt.h"

#define EXPORT __attribute__((visibility("default")))

static struct thread_wrappers {
    void *pthread_kill;
    void *pthread_create;
} thread_wrappers;

EXPORT int pthread_kill(pthread_t thread, int sig)
{
    int *tid_word = stasis_pthread_tid((unsigned long)thread);
    int (*real)(pthread_t, int) = stasis_next_fn_cached(&thread_wrappers.pthread_kill, "pthread_kill");
    if (!tid_word)
        return real(thread, sig);
    pid_t known = *tid_word;
    pid_t kernel = pidvirt_thread_to_kernel(known);
    if (kernel == known || known <= 0)
        return real(thread, sig);
    /* glibc would send to the id it keeps, which is the program's, not the kernel's */
    long r = stasis_real_syscall(SYS_tgkill, pidvirt_kernel_self(), kernel, sig, 0, 0, 0);
    return r < 0 ? (int)-r : 0;
}

EXPORT int pthread_sigqueue(pthread_t thread, int sig, const union sigval value)
{
    int *tid_word = stasis_pthread_tid((unsigned long)thread);
    pid_t tid = tid_word ? pidvirt_thread_to_kernel(*tid_word) : 0;
    if (tid <= 0)
        return ESRCH;
    siginfo_t info;
    memset(&info, 0, sizeof info);
    info.si_signo = sig;
    info.si_code = SI_QUEUE;
    info.si_pid = pidvirt_self();
    info.si_uid = getuid();
    info.si_value = value;
    long r = stasis_real_syscall(SYS_rt_tgsigqueueinfo, pidvirt_kernel_self(), tid, sig, (long)&info, 0, 0);
    return r < 0 ? (int)-r : 0;
}

/* A thread created after a restart may get a kernel id that a restored thread is
 * known by: it fixes its own id before running the program's code. */
struct start {
    void *(*routine)(void *);
    void *arg;
};

static void *start_adopted(void *p)
{
    struct start s = *(struct start *)p;
    free(p);
    pidvirt_adopt_new_thread();
    return s.routine(s.arg);
}

EXPORT int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*routine)(void *), void *arg)
{
    int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *) =
        stasis_next_fn_cached(&thread_wrappers.pthread_create, "pthread_create");
    struct start *s = malloc(sizeof *s);
    if (!s)
        return real(thread, attr, routine, arg);
    s->routine = routine;
    s->arg = arg;
    int r = real(thread, attr, start_adopted, s);
    if (r)
        free(s);
    return r;
}
