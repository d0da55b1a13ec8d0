#include "unrestored.h"

#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../common/image_format.h"
#include "../common/sys.h"
#include "children.h"
#include "coord_calls.h"
#include "fds.h"
#include "fmt.h"
#include "log.h"
#include "maps.h"
#include "plugins.h"
#include "procfs.h"
#include "sockname.h"

/* a process with thousands of sockets sends this many, then one line pointing at its log */
#define MAX_REPORTS 32
#define CHILD_SETTLE_MS 200
#define CHILD_SETTLE_STEP_MS 10

static struct unrestored_state {
    uint32_t generation;
    int reported;
    char line[600];
} unrestored_state;

void unrestored_report(const char *what)
{
    struct unrestored_state *s = &unrestored_state;
    LOG_WARN("%s will not be restored", what);
    s->reported++;
    if (s->reported <= MAX_REPORTS)
        coord_call_unrestored(s->generation, what);
    else if (s->reported == MAX_REPORTS + 1)
        coord_call_unrestored(s->generation, "more resources (listed in the process's log)");
}

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...)
{
    struct unrestored_state *s = &unrestored_state;
    va_list ap;
    va_start(ap, fmt);
    stasis_vfmt(s->line, sizeof s->line, fmt, ap);
    va_end(ap);
    unrestored_report(s->line);
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* field 7 of /proc/self/stat: the controlling terminal's device number, 0 if none */
static uint64_t controlling_tty(void)
{
    char stat[1024];
    if (procfs_read("/proc/self/stat", stat, sizeof stat) <= 0)
        return 0;
    const char *f = procfs_stat_field(stat, 7);
    return f ? procfs_dec(&f) : 0;
}

/* The restart gives 0, 1, 2 and the controlling terminal the restarting command's
 * own; any other pty (posix_openpt, forkpty, script…) is gone. */
static int is_lost_pty(const struct img_fd *f, uint64_t ctty)
{
    if (strcmp(f->path, "/dev/ptmx") == 0 || strcmp(f->path, "/dev/pts/ptmx") == 0)
        return 1;
    if (!starts_with(f->path, "/dev/pts/") || f->fd <= 2)
        return 0;
    struct stat st;
    return sys2(SYS_fstat, f->fd, (long)&st) == 0 && (uint64_t)st.st_rdev != ctty;
}

static void scan_fds(void)
{
    int count;
    const struct img_fd *all = fds_captured(&count);
    uint64_t ctty = controlling_tty();
    char what[300];
    for (int i = 0; i < count; i++) {
        const struct img_fd *f = &all[i];
        const char *kind = fds_resource_kind(f);
        if ((f->kind == IMG_FD_TTY || f->kind == IMG_FD_CHAR) && is_lost_pty(f, ctty))
            kind = STASIS_RESOURCE_PTY;
        if (!kind || plugins_owner(kind))
            continue; /* the core's, or a plugin's, which reports what it cannot restore itself */
        if (f->kind == IMG_FD_SOCKET) {
            sockname_describe((int)f->fd, what, sizeof what);
            report("fd %u socket:[%s]", f->fd, what);
        } else if (strcmp(kind, STASIS_RESOURCE_PTY) == 0) {
            report("fd %u %s (pty)", f->fd, f->path);
        } else {
            report("fd %u %s", f->fd, f->path);
        }
    }
}

/* Attached SysV segments show in the maps as "/SYSV<key> (deleted)", their shmid
 * as inode. Semaphores and message queues leave no trace in the process: they are
 * not reported (docs/plugins.md). */
static void scan_sysv_shm(void)
{
    if (plugins_owner(STASIS_RESOURCE_SYSV_SHM))
        return;
    struct maps maps = {0};
    if (maps_read(&maps) < 0)
        return;
    uint64_t last = (uint64_t)-1;
    for (int i = 0; i < maps.count; i++) {
        const struct map_entry *e = &maps.entries[i];
        if (!starts_with(e->name, "/SYSV") || e->inode == last)
            continue;
        last = e->inode;
        report("SysV shared memory shmid %lu key 0x%.8s at 0x%lx", (unsigned long)e->inode, e->name + 5,
               (unsigned long)e->start);
    }
    maps_release(&maps);
}

struct child_search {
    long pid;          /* the child being looked at */
    int under_stasis;
};

static int is_ckpt_thread(long tid, void *arg)
{
    struct child_search *c = arg;
    char path[64], comm[32];
    stasis_fmt(path, sizeof path, "/proc/%ld/task/%ld/comm", c->pid, tid);
    if (procfs_read(path, comm, sizeof comm) > 0 && starts_with(comm, "stasis:ckpt"))
        c->under_stasis = 1;
    return c->under_stasis;
}

static int has_ckpt_thread(long pid)
{
    struct child_search c = {pid, 0};
    char path[64];
    stasis_fmt(path, sizeof path, "/proc/%ld/task", pid);
    procfs_each_number(path, is_ckpt_thread, &c);
    return c.under_stasis;
}

/* A child made behind libstasis's back (forkpty's fork inside libc, a static
 * program, a cleared LD_PRELOAD) has no checkpoint thread: it is in no image. One
 * between its exec and its libstasis constructor has none yet either: it gets a
 * moment to start it (at most CHILD_SETTLE_MS for all children together). */
static void check_child(long pid, void *arg)
{
    struct timespec *waited = arg;
    char path[64], stat[1024];
    stasis_fmt(path, sizeof path, "/proc/%ld/stat", pid);
    while (!has_ckpt_thread(pid)) {
        if (procfs_read(path, stat, sizeof stat) <= 0)
            return; /* gone */
        const char *state = procfs_stat_field(stat, 3);
        if (!state || *state == 'Z' || *state == 'X')
            return; /* zombies are in the CHILDREN section */
        if (waited->tv_nsec >= CHILD_SETTLE_MS * 1000000L) {
            const char *name = strchr(stat, '(');
            const char *end = strrchr(stat, ')');
            int length = name && end > name ? (int)(end - name - 1) : 0;
            report("child pid %ld (%.*s), not under Stasis,", pid, length, name ? name + 1 : "");
            return;
        }
        struct timespec slice = {0, CHILD_SETTLE_STEP_MS * 1000000L};
        sys2(SYS_nanosleep, (long)&slice, 0);
        waited->tv_nsec += slice.tv_nsec;
    }
}

void unrestored_scan(uint32_t generation)
{
    unrestored_state.generation = generation;
    unrestored_state.reported = 0;
    scan_fds();
    scan_sysv_shm();
    struct timespec waited = {0, 0};
    children_each(check_child, &waited);
}
