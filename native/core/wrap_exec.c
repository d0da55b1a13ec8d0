/* The exec family: the new program keeps LD_PRELOAD and gets our settings as
 * STASIS_* variables (its libstasis hides them again), keeps this process's unique
 * id and pid, and the coordinator is told it is an exec, not an exit. No checkpoint
 * may start between the goodbye and the new program's registration. */
#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../common/sys.h"
#include "exec_env.h"
#include "guard.h"
#include "lifecycle.h"
#include "next_fn.h"
#include "runtime.h"

#define EXPORT __attribute__((visibility("default")))

extern char **environ;

static struct exec_wrappers {
    void *execve;
    void *execvpe;
    void *fexecve;
} exec_wrappers;

enum exec_kind { EXEC_PATH, EXEC_SEARCH, EXEC_FD };

static int do_exec(enum exec_kind kind, const char *file, int fd, char *const argv[], char *const envp[])
{
    int (*real_execve)(const char *, char *const[], char *const[]) = NEXT_FN(exec_wrappers, execve);
    int (*real_execvpe)(const char *, char *const[], char *const[]) = NEXT_FN(exec_wrappers, execvpe);
    int (*real_fexecve)(int, char *const[], char *const[]) = NEXT_FN(exec_wrappers, fexecve);
    struct exec_env env;
    if (!runtime_active() || exec_env_build(&env, envp, 1) < 0) {
        return kind == EXEC_PATH ? real_execve(file, argv, envp ? envp : environ)
               : kind == EXEC_SEARCH ? real_execvpe(file, argv, envp ? envp : environ)
                                     : real_fexecve(fd, argv, envp ? envp : environ);
    }
    guard_enter();
    lifecycle_before_exec();
    int r = kind == EXEC_PATH ? real_execve(file, argv, env.envp)
            : kind == EXEC_SEARCH ? real_execvpe(file, argv, env.envp)
                                  : real_fexecve(fd, argv, env.envp);
    int saved = errno;
    lifecycle_exec_failed();
    guard_leave();
    exec_env_free(&env);
    errno = saved;
    return r;
}

EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
    return do_exec(EXEC_PATH, path, -1, argv, envp);
}

EXPORT int execv(const char *path, char *const argv[])
{
    return do_exec(EXEC_PATH, path, -1, argv, environ);
}

EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
    return do_exec(EXEC_SEARCH, file, -1, argv, envp);
}

EXPORT int execvp(const char *file, char *const argv[])
{
    return do_exec(EXEC_SEARCH, file, -1, argv, environ);
}

EXPORT int fexecve(int fd, char *const argv[], char *const envp[])
{
    return do_exec(EXEC_FD, NULL, fd, argv, envp);
}

/* execl* take their arguments inline: gather them (no malloc: we may be in a
 * forked child of a multi-threaded program). */
static char **gather(const char *arg0, va_list ap, char ***envp_out, size_t *mapped)
{
    va_list count;
    va_copy(count, ap);
    size_t n = 1;
    while (va_arg(count, char *))
        n++;
    va_end(count);
    *mapped = (n + 1) * sizeof(char *);
    long mem = sys6(SYS_mmap, 0, (long)*mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (SYS_IS_ERR(mem))
        return NULL;
    char **argv = (char **)mem;
    argv[0] = (char *)arg0;
    for (size_t i = 1; i <= n; i++)
        argv[i] = va_arg(ap, char *);
    if (envp_out)
        *envp_out = va_arg(ap, char **);
    return argv;
}

static int exec_inline(enum exec_kind kind, const char *file, const char *arg0, va_list ap, int with_env)
{
    size_t mapped;
    char **envp = environ;
    char **argv = gather(arg0, ap, with_env ? &envp : NULL, &mapped);
    if (!argv) {
        errno = ENOMEM;
        return -1;
    }
    int r = do_exec(kind, file, -1, argv, envp);
    int saved = errno;
    sys2(SYS_munmap, (long)argv, (long)mapped);
    errno = saved;
    return r;
}

EXPORT int execl(const char *path, const char *arg0, ...)
{
    va_list ap;
    va_start(ap, arg0);
    int r = exec_inline(EXEC_PATH, path, arg0, ap, 0);
    va_end(ap);
    return r;
}

EXPORT int execlp(const char *file, const char *arg0, ...)
{
    va_list ap;
    va_start(ap, arg0);
    int r = exec_inline(EXEC_SEARCH, file, arg0, ap, 0);
    va_end(ap);
    return r;
}

EXPORT int execle(const char *path, const char *arg0, ...)
{
    va_list ap;
    va_start(ap, arg0);
    int r = exec_inline(EXEC_PATH, path, arg0, ap, 1);
    va_end(ap);
    return r;
}
