#include "plugins.h"

#include <dlfcn.h>
#include <errno.h>
#include <string.h>

#include "../common/image_format.h"
#include "../common/image_sections.h"
#include "../common/sys.h"
#include "config.h"
#include "exec_env.h"
#include "log.h"
#include "runtime.h"
#include "threads.h"

#define EXPORT __attribute__((visibility("default")))
#define MAX_PLUGINS 32

static struct plugins_state {
    const struct stasis_plugin *loaded[MAX_PLUGINS];
    int count;
    const struct stasis_plugin *current;  /* whose event is running */
    struct wbuf section;                  /* WRITE: the current plugin's section */
    const void *metadata;                 /* RESTART: image sections */
    uint64_t metadata_length;
    int (*barrier)(const char *name);
} plugins_state;

EXPORT int stasis_plugin_register(const struct stasis_plugin *plugin)
{
    struct plugins_state *s = &plugins_state;
    if (!plugin || plugin->api_version != STASIS_PLUGIN_API_VERSION || !plugin->id || !plugin->on_event) {
        log_stderr("plugin %s was built for plugin API %u; this libstasis has %u",
                   plugin && plugin->id ? plugin->id : "(unnamed)", plugin ? plugin->api_version : 0,
                   STASIS_PLUGIN_API_VERSION);
        return -EINVAL;
    }
    if (s->count == MAX_PLUGINS)
        return -ENOSPC;
    for (int i = 0; i < s->count; i++)
        if (strcmp(s->loaded[i]->id, plugin->id) == 0)
            return -EEXIST;
    s->loaded[s->count++] = plugin;
    struct stasis_event_info info = {STASIS_EVENT_INIT, 0};
    s->current = plugin;
    int r = plugin->on_event(&info);
    s->current = NULL;
    LOG_DEBUG("plugin %s registered (init: %d)", plugin->id, r);
    return r == STASIS_NOT_MINE ? 0 : r;
}

int plugins_count(void)
{
    return plugins_state.count;
}

EXPORT const char *stasis_getenv(const char *name)
{
    return config_saved_variable(name);
}

EXPORT int stasis_exec_setenv(const char *name, const char *value)
{
    return exec_env_add_current(name, value);
}

static int reverse_order(enum stasis_event event)
{
    return event == STASIS_EVENT_RESUME || event == STASIS_EVENT_RESTART || event == STASIS_EVENT_REFILL ||
           event == STASIS_EVENT_EXIT;
}

int plugins_dispatch(enum stasis_event event, uint32_t generation, const char **failed)
{
    struct plugins_state *s = &plugins_state;
    struct stasis_event_info info = {event, generation};
    for (int k = 0; k < s->count; k++) {
        const struct stasis_plugin *p = s->loaded[reverse_order(event) ? s->count - 1 - k : k];
        s->current = p;
        int r = p->on_event(&info);
        s->current = NULL;
        if (r < 0 && r != STASIS_NOT_MINE) {
            if (failed)
                *failed = p->id;
            return r;
        }
    }
    return 0;
}

int plugins_write_sections(struct image_writer *w, uint32_t generation, void *scratch, uint64_t cap)
{
    struct plugins_state *s = &plugins_state;
    struct stasis_event_info info = {STASIS_EVENT_WRITE, generation};
    for (int i = 0; i < s->count; i++) {
        const struct stasis_plugin *p = s->loaded[i];
        wb_init(&s->section, scratch, cap);
        wb_str(&s->section, p->id);
        wb_u32(&s->section, 1);
        size_t header = s->section.len;
        s->current = p;
        int r = p->on_event(&info);
        s->current = NULL;
        if (r < 0 && r != STASIS_NOT_MINE)
            return r;
        if (s->section.overflow)
            return -ENOSPC;
        if (s->section.len > header)
            iw_section(w, IMG_SEC_PLUGIN, s->section.data, s->section.len);
    }
    return 0;
}

void plugins_set_metadata(const void *metadata, uint64_t length)
{
    plugins_state.metadata = metadata;
    plugins_state.metadata_length = length;
}

void plugins_set_barrier_fn(int (*fn)(const char *name))
{
    plugins_state.barrier = fn;
}

EXPORT int stasis_section_write(const void *data, size_t length)
{
    struct plugins_state *s = &plugins_state;
    if (!s->current || !s->section.data)
        return -EINVAL;
    wb_bytes(&s->section, data, length);
    return s->section.overflow ? -ENOSPC : 0;
}

EXPORT const void *stasis_section_read(size_t *length)
{
    struct plugins_state *s = &plugins_state;
    if (!s->current || !s->metadata)
        return NULL;
    const void *payload;
    uint64_t len;
    if (img_find_plugin_section(s->metadata, s->metadata_length, s->current->id, &payload, &len) < 0)
        return NULL;
    if (length)
        *length = len;
    return payload;
}

EXPORT int stasis_barrier(const char *name)
{
    return plugins_state.barrier ? plugins_state.barrier(name) : 0;
}

EXPORT void *stasis_next_fn(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

EXPORT long stasis_real_syscall(long number, long a, long b, long c, long d, long e, long f)
{
    return sys6(number, a, b, c, d, e, f);
}

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
