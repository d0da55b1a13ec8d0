/* Starting other programs: posix_spawn passes our settings to the new program and
 * waits until it registered;
 * system() and popen() are rebuilt on our fork() and exec wrappers, because glibc's
 * own call posix_spawn internally, where no wrapper can see them, with an
 * environment that no longer holds our settings. Not hot calls. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec_env.h"
#include "guard.h"
#include "next_fn.h"
#include "runtime.h"
#include "spawn_notify.h"

#define EXPORT __attribute__((visibility("default")))
#define MAX_POPEN 256
#define SHELL "/bin/sh"
#define SPAWN_REGISTER_TIMEOUT_MS 5000

static struct spawn_wrappers {
    void *posix_spawn;
    void *posix_spawnp;
    void *system;
    void *popen;
    void *pclose;
    volatile int lock;                 /* guards the table of popen streams */
    struct {
        FILE *stream;
        pid_t pid;
    } popened[MAX_POPEN];
} spawn_wrappers;

typedef int (*spawn_fn)(pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
                        char *const[], char *const[]);

/* No checkpoint from the spawn until the new program has registered (spawn_notify.h). */
static int spawn_with_settings(spawn_fn real, pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                               const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    struct exec_env env;
    if (!runtime_active())
        return real(pid, path, actions, attr, argv, envp);
    guard_enter();
    struct spawn_notify notify;
    int notifying = spawn_notify_open(&notify) == 0;
    if (exec_env_build(&env, envp, 0) < 0) {
        if (notifying)
            spawn_notify_wait(&notify, 0, 0);
        guard_leave();
        return real(pid, path, actions, attr, argv, envp);
    }
    if (notifying && exec_env_add(&env, SPAWN_NOTIFY_VARIABLE, notify.value) < 0) {
        spawn_notify_wait(&notify, 0, 0);
        notifying = 0;
    }
    pid_t child = -1;
    int r = real(&child, path, actions, attr, argv, env.envp);
    exec_env_free(&env);
    if (notifying)
        spawn_notify_wait(&notify, r == 0, SPAWN_REGISTER_TIMEOUT_MS);
    guard_leave();
    if (r == 0 && pid)
        *pid = child;
    return r;
}

EXPORT int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                       const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    return spawn_with_settings(NEXT_FN(spawn_wrappers, posix_spawn), pid, path, actions, attr, argv, envp);
}

EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
                        const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    return spawn_with_settings(NEXT_FN(spawn_wrappers, posix_spawnp), pid, file, actions, attr, argv, envp);
}

/* system(3) as POSIX describes it, on our fork and exec. */
EXPORT int system(const char *command)
{
    if (!runtime_active())
        return NEXT_FN(spawn_wrappers, system)(command);
    if (!command)
        return access(SHELL, X_OK) == 0;
    struct sigaction ignore, old_int, old_quit;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigset_t chld, old_mask;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigaction(SIGINT, &ignore, &old_int);
    sigaction(SIGQUIT, &ignore, &old_quit);
    sigprocmask(SIG_BLOCK, &chld, &old_mask);
    int status = -1;
    pid_t pid = fork();
    if (pid == 0) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        sigprocmask(SIG_SETMASK, &old_mask, NULL);
        execl(SHELL, "sh", "-c", "--", command, (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        while (waitpid(pid, &status, 0) < 0)
            if (errno != EINTR) {
                status = -1;
                break;
            }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    return status;
}

static void lock(void)
{
    while (__atomic_exchange_n(&spawn_wrappers.lock, 1, __ATOMIC_ACQUIRE))
        sched_yield();
}

static void unlock(void)
{
    __atomic_store_n(&spawn_wrappers.lock, 0, __ATOMIC_RELEASE);
}

EXPORT FILE *popen(const char *command, const char *type)
{
    if (!runtime_active())
        return NEXT_FN(spawn_wrappers, popen)(command, type);
    int reading = type && type[0] == 'r', writing = type && type[0] == 'w';
    if (!command || (!reading && !writing) || (type[1] && strcmp(type + 1, "e") != 0)) {
        errno = EINVAL;
        return NULL;
    }
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) < 0)
        return NULL;
    int ours = reading ? ends[0] : ends[1], theirs = reading ? ends[1] : ends[0];
    pid_t pid = fork();
    if (pid == 0) {
        /* POSIX: streams of earlier popen() calls are not the new command's */
        for (int i = 0; i < MAX_POPEN; i++)
            if (spawn_wrappers.popened[i].stream)
                close(fileno(spawn_wrappers.popened[i].stream));
        if (dup2(theirs, reading ? 1 : 0) < 0)
            _exit(127);
        execl(SHELL, "sh", "-c", "--", command, (char *)NULL);
        _exit(127);
    }
    close(theirs);
    if (pid < 0) {
        close(ours);
        return NULL;
    }
    if (!strchr(type, 'e'))
        fcntl(ours, F_SETFD, 0);
    FILE *stream = fdopen(ours, reading ? "r" : "w");
    if (!stream) {
        close(ours);
        waitpid(pid, NULL, 0);
        return NULL;
    }
    lock();
    for (int i = 0; i < MAX_POPEN; i++)
        if (!spawn_wrappers.popened[i].stream) {
            spawn_wrappers.popened[i].stream = stream;
            spawn_wrappers.popened[i].pid = pid;
            break;
        }
    unlock();
    return stream;
}

EXPORT int pclose(FILE *stream)
{
    pid_t pid = -1;
    lock();
    for (int i = 0; i < MAX_POPEN; i++)
        if (spawn_wrappers.popened[i].stream == stream) {
            pid = spawn_wrappers.popened[i].pid;
            spawn_wrappers.popened[i].stream = NULL;
            break;
        }
    unlock();
    if (pid < 0)
        return NEXT_FN(spawn_wrappers, pclose)(stream);
    fclose(stream);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return status;
}
