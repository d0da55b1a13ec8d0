/* include/stasis/ids.h for the plugin that virtualizes ids: the processes and
 * threads the restarter and the thread table know. (stasis_provide_ids and
 * stasis_provide_id_refresh are idmap.c's.) */
#include <errno.h>

#include "../common/mailbox.h"
#include "plugins.h"
#include "runtime.h"
#include "threads.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT int stasis_restarted_processes(struct stasis_restarted_process *out, int max)
{
    const struct stasis_mailbox *mb = runtime_mailbox();
    const struct stasis_restart_pid *pids = (const struct stasis_restart_pid *)mb->pids_address;
    int n = pids ? (int)mb->pid_count : 0;
    for (int i = 0; i < n && i < max; i++) {
        out[i].known_pid = pids[i].known_pid;
        out[i].kernel_pid = pids[i].kernel_pid;
    }
    return n;
}

EXPORT int stasis_thread_count(void)
{
    return threads_count();
}

EXPORT int stasis_thread_get(int index, struct stasis_thread *out)
{
    if (index < 0 || index >= threads_count())
        return -EINVAL;
    struct thread_slot *slot = threads_slot(index);
    out->known_tid = slot->known_tid;
    out->kernel_tid = slot->new_tid ? slot->new_tid : slot->kernel_tid;
    out->descriptor_tid = threads_descriptor_tid(slot->fs_base);
    return 0;
}

EXPORT int *stasis_pthread_tid(unsigned long thread)
{
    return threads_descriptor_tid((uint64_t)thread);
}
