/* The services of include/stasis/services.h that are not about the running
 * plugin's own event (its section, barriers, names and log are in plugins.c):
 * settings, exec environment, Stasis's own descriptors, real functions, moved paths,
 * reports of what will not be restored, errno's words. */
#include <dlfcn.h>
#include <stdarg.h>

#include "../common/sys.h"
#include "config.h"
#include "errtext.h"
#include "exec_env.h"
#include "fmt.h"
#include "plugins.h"
#include "runtime.h"
#include "unrestored.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT const char *stasis_getenv(const char *name)
{
    return config_saved_variable(name);
}

EXPORT int stasis_exec_setenv(const char *name, const char *value)
{
    return exec_env_add_current(name, value);
}

EXPORT void stasis_report_unrestored(const char *fmt, ...)
{
    char what[600];
    va_list ap;
    va_start(ap, fmt);
    stasis_vfmt(what, sizeof what, fmt, ap);
    va_end(ap);
    unrestored_report(what);
}

EXPORT const char *stasis_strerror(long err)
{
    return errtext(err);
}

EXPORT int stasis_is_internal_fd(int fd)
{
    return runtime_is_internal_fd(fd);
}

EXPORT void *stasis_next_fn(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

EXPORT long stasis_real_syscall(long number, long a, long b, long c, long d, long e, long f)
{
    return sys6(number, a, b, c, d, e, f);
}

EXPORT size_t stasis_restart_path(const char *saved, char *out, size_t cap)
{
    return config_restart_path(saved, out, cap);
}
