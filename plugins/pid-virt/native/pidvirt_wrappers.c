/* Wrappers of the calls that take or return a process id. None is a hot call; each
 * costs a table look-up. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stasis/services.h>
#include <stdarg.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pidvirt.h"

#define EXPORT __attribute__((visibility("default")))

static struct id_wrappers {
    void *fork;
    void *posix_spawn;
    void *posix_spawnp;
    void *kill;
    void *killpg;
    void *sigqueue;
    void *getppid;
    void *getpgid;
    void *getpgrp;
    void *getsid;
    void *setpgid;
    void *setsid;
    void *waitpid;
    void *wait;
    void *wait3;
    void *wait4;
    void *waitid;
    void *sched_setaffinity;
    void *sched_getaffinity;
    void *sched_setscheduler;
    void *sched_getscheduler;
    void *sched_setparam;
    void *sched_getparam;
    void *sched_rr_get_interval;
    void *getpriority;
    void *setpriority;
    void *prlimit;
    void *fcntl;
} id_wrappers;

#define REAL(name) ((__typeof__(&name))stasis_next_fn_cached(&id_wrappers.name, #name))

static long result(long r)
{
    if (r < 0) {
        errno = (int)-r;
        return -1;
    }
    return r;
}

/* A new child must not get a pid the program already knows for another process or
 * thread (a restored one): the kernel hands pids out again once they wrap (at 32768
 * on many machines). Such a child is killed and made again, as DMTCP does. */
static void discard_child(pid_t pid)
{
    stasis_real_syscall(SYS_kill, pid, SIGKILL, 0, 0, 0, 0);
    stasis_real_syscall(SYS_wait4, pid, 0, 0, 0, 0, 0);
}

EXPORT pid_t fork(void)
{
    for (;;) {
        pid_t pid = REAL(fork)();
        if (pid <= 0 || !pidvirt_taken(pid))
            return pid;
        discard_child(pid);
    }
}

typedef int (*spawn_fn)(pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
                        char *const[], char *const[]);

static int spawn_unique(spawn_fn real, pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                        const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    for (;;) {
        pid_t child = -1;
        int r = real(&child, path, actions, attr, argv, envp);
        if (r != 0 || !pidvirt_taken(child)) {
            if (r == 0 && pid)
                *pid = child;
            return r;
        }
        discard_child(child);
    }
}

EXPORT int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                       const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    return spawn_unique(REAL(posix_spawn), pid, path, actions, attr, argv, envp);
}

EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
                        const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    return spawn_unique(REAL(posix_spawnp), pid, file, actions, attr, argv, envp);
}

EXPORT pid_t getpid(void)
{
    return pidvirt_self();
}

EXPORT pid_t getppid(void)
{
    return pidvirt_to_virtual(REAL(getppid)());
}

EXPORT pid_t gettid(void)
{
    return pidvirt_self_tid();
}

EXPORT pid_t getpgid(pid_t pid)
{
    pid_t r = REAL(getpgid)(pidvirt_to_kernel(pid));
    return r < 0 ? r : pidvirt_to_virtual(r);
}

EXPORT pid_t getpgrp(void)
{
    return pidvirt_to_virtual(REAL(getpgrp)());
}

EXPORT pid_t getsid(pid_t pid)
{
    pid_t r = REAL(getsid)(pidvirt_to_kernel(pid));
    return r < 0 ? r : pidvirt_to_virtual(r);
}

EXPORT int setpgid(pid_t pid, pid_t pgid)
{
    return REAL(setpgid)(pidvirt_to_kernel(pid), pidvirt_to_kernel(pgid));
}

EXPORT pid_t setsid(void)
{
    pid_t r = REAL(setsid)();
    return r < 0 ? r : pidvirt_to_virtual(r);
}

EXPORT int kill(pid_t pid, int sig)
{
    return REAL(kill)(pidvirt_to_kernel_signed(pid), sig);
}

EXPORT int killpg(pid_t pgrp, int sig)
{
    return REAL(killpg)(pidvirt_to_kernel(pgrp), sig);
}

EXPORT int sigqueue(pid_t pid, int sig, const union sigval value)
{
    return REAL(sigqueue)(pidvirt_to_kernel(pid), sig, value);
}

EXPORT int tgkill(pid_t tgid, pid_t tid, int sig)
{
    return (int)result(stasis_real_syscall(SYS_tgkill, pidvirt_to_kernel(tgid), pidvirt_thread_to_kernel(tid), sig,
                                           0, 0, 0));
}

EXPORT pid_t waitpid(pid_t pid, int *status, int options)
{
    pid_t r = REAL(waitpid)(pidvirt_to_kernel_signed(pid), status, options);
    return r <= 0 ? r : pidvirt_to_virtual(r);
}

EXPORT pid_t wait(int *status)
{
    pid_t r = REAL(wait)(status);
    return r <= 0 ? r : pidvirt_to_virtual(r);
}

EXPORT pid_t wait3(int *status, int options, struct rusage *usage)
{
    pid_t r = REAL(wait3)(status, options, usage);
    return r <= 0 ? r : pidvirt_to_virtual(r);
}

EXPORT pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage)
{
    pid_t r = REAL(wait4)(pidvirt_to_kernel_signed(pid), status, options, usage);
    return r <= 0 ? r : pidvirt_to_virtual(r);
}

EXPORT int waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
    if (type == P_PID || type == P_PGID)
        id = (id_t)pidvirt_to_kernel((pid_t)id);
    int r = REAL(waitid)(type, id, info, options);
    if (r == 0 && info && info->si_pid)
        info->si_pid = pidvirt_to_virtual(info->si_pid);
    return r;
}

EXPORT int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *set)
{
    return REAL(sched_setaffinity)(pidvirt_to_kernel(pid), size, set);
}

EXPORT int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set)
{
    return REAL(sched_getaffinity)(pidvirt_to_kernel(pid), size, set);
}

EXPORT int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param)
{
    return REAL(sched_setscheduler)(pidvirt_to_kernel(pid), policy, param);
}

EXPORT int sched_getscheduler(pid_t pid)
{
    return REAL(sched_getscheduler)(pidvirt_to_kernel(pid));
}

EXPORT int sched_setparam(pid_t pid, const struct sched_param *param)
{
    return REAL(sched_setparam)(pidvirt_to_kernel(pid), param);
}

EXPORT int sched_getparam(pid_t pid, struct sched_param *param)
{
    return REAL(sched_getparam)(pidvirt_to_kernel(pid), param);
}

EXPORT int sched_rr_get_interval(pid_t pid, struct timespec *interval)
{
    return REAL(sched_rr_get_interval)(pidvirt_to_kernel(pid), interval);
}

static id_t priority_target(int which, id_t who)
{
    return which == PRIO_PROCESS || which == PRIO_PGRP ? (id_t)pidvirt_to_kernel((pid_t)who) : who;
}

EXPORT int getpriority(__priority_which_t which, id_t who)
{
    return REAL(getpriority)(which, priority_target(which, who));
}

EXPORT int setpriority(__priority_which_t which, id_t who, int prio)
{
    return REAL(setpriority)(which, priority_target(which, who), prio);
}

EXPORT int prlimit(pid_t pid, __rlimit_resource_t resource, const struct rlimit *new_limit, struct rlimit *old)
{
    return REAL(prlimit)(pidvirt_to_kernel(pid), resource, new_limit, old);
}

/* fcntl: only the owner commands carry a pid (negative: a process group) */
EXPORT int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    int (*real)(int, int, ...) = REAL(fcntl);
    switch (cmd) {
    case F_SETOWN:
        return real(fd, cmd, pidvirt_to_kernel_signed((pid_t)(long)arg));
    case F_GETOWN: {
        int owner = real(fd, cmd);
        return owner > 0 ? pidvirt_to_virtual(owner) : owner < -1 ? -pidvirt_to_virtual(-owner) : owner;
    }
    case F_SETOWN_EX: {
        struct f_owner_ex owner = *(struct f_owner_ex *)arg;
        owner.pid = owner.type == F_OWNER_TID ? pidvirt_thread_to_kernel(owner.pid) : pidvirt_to_kernel(owner.pid);
        return real(fd, cmd, &owner);
    }
    case F_GETOWN_EX: {
        int r = real(fd, cmd, arg);
        struct f_owner_ex *owner = arg;
        if (r == 0 && owner->type != F_OWNER_TID)
            owner->pid = pidvirt_to_virtual(owner->pid);
        return r;
    }
    default:
        return real(fd, cmd, arg);
    }
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
        return pidvirt_self();
    case SYS_gettid:
        return pidvirt_self_tid();
    case SYS_getppid:
        return pidvirt_to_virtual((pid_t)stasis_real_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0));
    case SYS_tgkill:
        a[0] = pidvirt_to_kernel((pid_t)a[0]);
        a[1] = pidvirt_thread_to_kernel((pid_t)a[1]);
        break;
    case SYS_tkill:
        a[0] = pidvirt_thread_to_kernel((pid_t)a[0]);
        break;
    case SYS_kill:
        a[0] = pidvirt_to_kernel_signed((pid_t)a[0]);
        break;
    }
    return result(stasis_real_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]));
}
