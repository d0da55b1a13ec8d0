/* The translation table and the plugin's events. */
#include <errno.h>
#include <pthread.h>
#include <stasis/plugin.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pidvirt.h"

#define MAX_THREADS 8192

static struct pidvirt_state {
    pid_t original_pid;            /* the pid the program was launched with */
    pid_t kernel_pid;              /* the kernel's pid now */
    int count;
    struct {
        pid_t virtual_tid, kernel_tid;
    } threads[MAX_THREADS];
} pidvirt_state;

pid_t pidvirt_real_tid(pid_t virtual_tid)
{
    for (int i = 0; i < pidvirt_state.count; i++)
        if (pidvirt_state.threads[i].virtual_tid == virtual_tid)
            return pidvirt_state.threads[i].kernel_tid;
    return virtual_tid;
}

pid_t pidvirt_real_pid(pid_t virtual_pid)
{
    return virtual_pid == pidvirt_state.original_pid ? pidvirt_state.kernel_pid : virtual_pid;
}

pid_t pidvirt_self_pid(void)
{
    return pidvirt_state.original_pid ? pidvirt_state.original_pid : (pid_t)stasis_real_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
}

pid_t pidvirt_kernel_pid(void)
{
    return pidvirt_state.kernel_pid ? pidvirt_state.kernel_pid : (pid_t)stasis_real_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
}

pid_t pidvirt_self_tid(void)
{
    int *tid = stasis_pthread_tid((unsigned long)pthread_self());
    return tid ? *tid : (pid_t)stasis_real_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0);
}

/* After restart every restored thread gets back the id the program knew; the
 * kernel ids go into the table. Runs with every user thread frozen. */
static int on_restart(void)
{
    struct pidvirt_state *s = &pidvirt_state;
    s->kernel_pid = (pid_t)stasis_real_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
    s->count = 0;
    int n = stasis_thread_count();
    for (int i = 0; i < n && s->count < MAX_THREADS; i++) {
        struct stasis_thread t;
        if (stasis_thread_get(i, &t) < 0)
            return -EINVAL;
        if (t.descriptor_tid)
            *t.descriptor_tid = t.known_tid;
        s->threads[s->count].virtual_tid = t.known_tid;
        s->threads[s->count].kernel_tid = t.kernel_tid;
        s->count++;
    }
    return 0;
}

static int pidvirt_event(const struct stasis_event_info *info)
{
    switch (info->event) {
    case STASIS_EVENT_INIT:
        pidvirt_state.original_pid = pidvirt_state.kernel_pid = (pid_t)stasis_real_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
        return 0;
    case STASIS_EVENT_RESTART:
        return on_restart();
    default:
        return STASIS_NOT_MINE;
    }
}

static const struct stasis_plugin pidvirt_plugin = {
    .api_version = STASIS_PLUGIN_API_VERSION,
    .id = "pid-virt",
    .on_event = pidvirt_event,
};

STASIS_PLUGIN_REGISTER(pidvirt_plugin)
