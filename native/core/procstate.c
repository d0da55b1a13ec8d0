#include "procstate.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>

#include "../common/sys.h"
#include "config.h"
#include "errtext.h"
#include "fmt.h"
#include "log.h"
#include "procfs.h"

/* the kernel's struct sigaction (rt_sigaction), not glibc's */
struct kernel_sigaction {
    uint64_t handler;
    uint64_t flags;
    uint64_t restorer;
    uint64_t mask;
};

static void copy(char *dst, size_t cap, const char *src)
{
    size_t n = 0;
    for (; src[n] && n + 1 < cap; n++)
        dst[n] = src[n];
    dst[n] = 0;
}

/* /proc/self/stat fields 26-28 and 45-51 (proc(5)): the mm layout the kernel
 * reports, which PR_SET_MM_MAP puts back after restart. */
static void capture_mm(struct img_process *p)
{
    static const struct {
        int field, index;
    } fields[] = {
        {26, MM_START_CODE}, {27, MM_END_CODE}, {28, MM_START_STACK}, {45, MM_START_DATA}, {46, MM_END_DATA},
        {47, MM_START_BRK}, {48, MM_ARG_START}, {49, MM_ARG_END}, {50, MM_ENV_START}, {51, MM_ENV_END},
    };
    char buf[1024];
    if (procfs_read("/proc/self/stat", buf, sizeof buf) <= 0)
        return;
    for (unsigned i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *f = procfs_stat_field(buf, fields[i].field);
        p->mm[fields[i].index] = f ? procfs_dec(&f) : 0;
    }
    p->mm[MM_BRK] = (uint64_t)sys1(SYS_brk, 0);
}

int procstate_capture(struct img_process *p)
{
    char buf[4096];
    long n = sys4(SYS_readlinkat, AT_FDCWD, (long)"/proc/self/exe", (long)p->exe, sizeof p->exe - 1);
    p->exe[n > 0 ? n : 0] = 0;
    n = sys2(SYS_getcwd, (long)buf, sizeof buf);
    copy(p->cwd, sizeof p->cwd, n > 0 ? buf : "/");
    struct utsname u;
    if (sys1(SYS_uname, (long)&u) == 0)
        copy(p->hostname, sizeof p->hostname, u.nodename);
    p->real_pid = (uint32_t)sys0(SYS_getpid);
    long mask = sys1(SYS_umask, 022);
    sys1(SYS_umask, mask);
    p->umask = (uint32_t)mask;
    p->uid = (uint32_t)sys0(SYS_getuid);
    p->gid = (uint32_t)sys0(SYS_getgid);
    capture_mm(p);
    p->rlimit_count = 0;
    for (uint32_t res = 0; res < RLIM_NLIMITS && p->rlimit_count < IMG_MAX_RLIMITS; res++) {
        struct rlimit lim;
        if (sys4(SYS_prlimit64, 0, res, 0, (long)&lim) == 0) {
            struct img_rlimit *l = &p->rlimits[p->rlimit_count++];
            l->resource = res;
            l->soft = lim.rlim_cur;
            l->hard = lim.rlim_max;
        }
    }
    for (int which = 0; which < 3; which++) {
        struct itimerval t;
        if (sys2(SYS_getitimer, which, (long)&t) == 0) {
            p->itimers[which].interval_us = (uint64_t)t.it_interval.tv_sec * 1000000 + (uint64_t)t.it_interval.tv_usec;
            p->itimers[which].value_us = (uint64_t)t.it_value.tv_sec * 1000000 + (uint64_t)t.it_value.tv_usec;
        }
    }
    if (procfs_read("/proc/self/comm", buf, sizeof buf) > 0) {
        char *nl = strchr(buf, '\n');
        if (nl)
            *nl = 0;
        copy(p->comm, sizeof p->comm, buf);
    }
    struct timespec ts;
    sys2(SYS_clock_gettime, CLOCK_REALTIME, (long)&ts);
    p->checkpoint_time_ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
    return 0;
}

int procstate_encode_signals(struct wbuf *out)
{
    size_t count_at = out->len;
    uint32_t count = 0;
    wb_u32(out, 0);
    for (int sig = 1; sig <= 64; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP)
            continue;
        struct kernel_sigaction ka;
        if (sys4(SYS_rt_sigaction, sig, 0, (long)&ka, 8) < 0 || ka.handler == (uint64_t)SIG_DFL)
            continue;
        struct img_signal s = {(uint32_t)sig, (uint32_t)ka.flags, ka.handler, ka.restorer, ka.mask};
        img_encode_signal(out, &s);
        count++;
    }
    wb_put_u32_at(out, count_at, count);
    return out->overflow ? -ENOSPC : 0;
}

int procstate_restore(const struct img_process *p, const void *signals, uint64_t signals_length, char *why,
                      size_t why_cap)
{
    static char cwd[sizeof p->cwd];
    long moved = config_restart_path(p->cwd, cwd, sizeof cwd) >= sizeof cwd ? -ENAMETOOLONG
                                                                            : sys1(SYS_chdir, (long)cwd);
    if (moved < 0) {
        if (moved == -ENOENT)
            stasis_fmt(why, why_cap, "cannot return to the working directory %s: no such file or directory", cwd);
        else
            stasis_fmt(why, why_cap, "cannot return to the working directory %s: %s", cwd, errtext(moved));
        return -1;
    }
    sys1(SYS_umask, p->umask);
    for (uint32_t i = 0; i < p->rlimit_count; i++) {
        struct rlimit lim = {p->rlimits[i].soft, p->rlimits[i].hard};
        if (sys4(SYS_prlimit64, 0, p->rlimits[i].resource, (long)&lim, 0) < 0) {
            /* an unprivileged process cannot raise a hard limit: keep the soft one */
            struct rlimit now;
            if (sys4(SYS_prlimit64, 0, p->rlimits[i].resource, 0, (long)&now) == 0) {
                now.rlim_cur = lim.rlim_cur < now.rlim_max ? lim.rlim_cur : now.rlim_max;
                sys4(SYS_prlimit64, 0, p->rlimits[i].resource, (long)&now, 0);
            }
        }
    }
    struct rbuf r;
    rb_init(&r, signals, signals_length);
    uint32_t count = rb_u32(&r);
    for (uint32_t i = 0; i < count && i < 64; i++) {
        struct img_signal s;
        if (img_decode_signal(&r, &s) < 0)
            break;
        struct kernel_sigaction ka = {s.handler, s.flags, s.restorer, s.mask};
        sys4(SYS_rt_sigaction, s.signo, (long)&ka, 0, 8);
    }
    for (int which = 0; which < 3; which++) {
        const struct img_itimer *t = &p->itimers[which];
        if (!t->value_us)
            continue;
        struct itimerval v = {{(time_t)(t->interval_us / 1000000), (suseconds_t)(t->interval_us % 1000000)},
                              {(time_t)(t->value_us / 1000000), (suseconds_t)(t->value_us % 1000000)}};
        sys3(SYS_setitimer, which, (long)&v, 0);
    }
    return 0;
}
