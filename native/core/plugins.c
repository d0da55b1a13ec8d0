#include "plugins.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "../common/image_format.h"
#include "../common/image_sections.h"
#include "config.h"
#include "fmt.h"
#include "log.h"

#define EXPORT __attribute__((visibility("default")))
#define MAX_PLUGINS 32

static struct plugins_state {
    const struct stasis_plugin *loaded[MAX_PLUGINS];
    int count;
    const struct stasis_plugin *current;  /* whose event is running */
    enum stasis_event current_event;
    struct wbuf section;                  /* WRITE: the current plugin's section */
    const void *metadata;                 /* RESTART: image sections */
    uint64_t metadata_length;
    const struct plugins_coordinator *coordinator;
    char reason[256];                     /* the running event's last warning: why it failed */
} plugins_state;

/* Run one plugin's event, remembering whose it is for the calls it makes. */
static int run_event(const struct stasis_plugin *p, const struct stasis_event_info *info)
{
    struct plugins_state *s = &plugins_state;
    s->current = p;
    s->current_event = info->event;
    s->reason[0] = 0;
    int r = p->on_event(info);
    s->current = NULL;
    if (r >= 0 || r == STASIS_NOT_MINE)
        s->reason[0] = 0; /* only a failure keeps its reason */
    return r;
}

#define NOT_LISTED 0x7fffffff

/* Where the id stands in STASIS_PLUGINS (comma-separated, dependencies first: the
 * launcher's load order), or NOT_LISTED. */
static int rank(const char *id)
{
    const char *list = config_get()->plugins;
    size_t n = strlen(id);
    int position = 0;
    for (const char *p = list; *p; position++) {
        if (strncmp(p, id, n) == 0 && (p[n] == ',' || p[n] == 0))
            return position;
        p = strchr(p, ',');
        if (!p)
            break;
        p++;
    }
    return NOT_LISTED;
}

/* Without the list (libstasis preloaded by hand) every fragment loaded counts as wanted. */
static int enabled(const char *id)
{
    return !config_get()->plugins[0] || rank(id) != NOT_LISTED;
}

/* Constructors of preloaded libraries do not run in LD_PRELOAD order (glibc runs
 * them in reverse, and its sorting has changed between versions): keep the
 * registry in the launcher's order instead. */
static void insert_in_order(struct plugins_state *s, const struct stasis_plugin *plugin)
{
    int r = rank(plugin->id), at = s->count;
    while (at > 0 && rank(s->loaded[at - 1]->id) > r) {
        s->loaded[at] = s->loaded[at - 1];
        at--;
    }
    s->loaded[at] = plugin;
    s->count++;
}

EXPORT int stasis_plugin_register(const struct stasis_plugin *plugin)
{
    struct plugins_state *s = &plugins_state;
    if (!plugin || plugin->api_version < 1 || plugin->api_version > STASIS_PLUGIN_API_VERSION || !plugin->id ||
        !plugin->on_event) {
        log_stderr("plugin %s was built for plugin API %u; this libstasis has %u",
                   plugin && plugin->id ? plugin->id : "(unnamed)", plugin ? plugin->api_version : 0,
                   STASIS_PLUGIN_API_VERSION);
        return -EINVAL;
    }
    if (!enabled(plugin->id)) {
        log_stderr("plugin %s's fragment is preloaded but the plugin is not enabled (%s): it stays inactive",
                   plugin->id, config_get()->plugins);
        return -EPERM;
    }
    if (s->count == MAX_PLUGINS)
        return -ENOSPC;
    for (int i = 0; i < s->count; i++)
        if (strcmp(s->loaded[i]->id, plugin->id) == 0)
            return -EEXIST;
    insert_in_order(s, plugin);
    struct stasis_event_info info = {STASIS_EVENT_INIT, 0};
    int r = run_event(plugin, &info);
    LOG_DEBUG("plugin %s registered (init: %d)", plugin->id, r);
    return r == STASIS_NOT_MINE ? 0 : r;
}

int plugins_count(void)
{
    return plugins_state.count;
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
        int r = run_event(p, &info);
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
        int r = run_event(p, &info);
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

void plugins_set_coordinator(const struct plugins_coordinator *coordinator)
{
    plugins_state.coordinator = coordinator;
}

/* A version 1 descriptor ends before `restores`: it declares nothing. */
static const char *const *declared_kinds(const struct stasis_plugin *p)
{
    return p->api_version >= 2 ? p->restores : NULL;
}

const char *plugins_owner(const char *kind)
{
    for (int i = 0; kind && i < plugins_state.count; i++) {
        const char *const *k = declared_kinds(plugins_state.loaded[i]);
        for (; k && *k; k++)
            if (strcmp(*k, kind) == 0)
                return plugins_state.loaded[i]->id;
    }
    return NULL;
}

const char *plugins_failure_reason(void)
{
    return plugins_state.reason;
}

EXPORT void stasis_log(enum stasis_log_level level, const char *fmt, ...)
{
    struct plugins_state *s = &plugins_state;
    char text[sizeof s->reason - 64];
    va_list ap;
    va_start(ap, fmt);
    stasis_vfmt(text, sizeof text, fmt, ap);
    va_end(ap);
    const char *id = s->current ? s->current->id : "plugin";
    if (level == STASIS_LOG_DEBUG) {
        LOG_DEBUG("%s: %s", id, text);
        return;
    }
    log_write(level == STASIS_LOG_ERROR ? LOG_LEVEL_ERROR : LOG_LEVEL_WARN, "%s: %s", id, text);
    if (s->current)
        stasis_fmt(s->reason, sizeof s->reason, "%s: %s", id, text);
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
    const struct plugins_coordinator *c = plugins_state.coordinator;
    return c ? c->barrier(name) : 0;
}

/* The name service is the checkpoint thread's: only its events may use it, and a
 * plugin only names things under its own "<id>:" prefix. */
static int name_call_allowed(const char *key)
{
    struct plugins_state *s = &plugins_state;
    if (!s->current || !s->coordinator || !key)
        return -EINVAL;
    switch (s->current_event) {
    case STASIS_EVENT_PRECHECKPOINT: case STASIS_EVENT_WRITE: case STASIS_EVENT_RESUME:
    case STASIS_EVENT_RESTART: case STASIS_EVENT_REFILL:
        break;
    default:
        return -EINVAL;
    }
    size_t id_length = strlen(s->current->id), key_length = strlen(key);
    if (key_length < 1 || key_length > STASIS_NAME_KEY_MAX)
        return -EINVAL;
    if (strncmp(key, s->current->id, id_length) != 0 || key[id_length] != ':')
        return -EPERM;
    return 0;
}

EXPORT int stasis_publish(const char *key, const void *value, size_t length)
{
    int r = name_call_allowed(key);
    if (r < 0)
        return r;
    if (length > STASIS_NAME_VALUE_MAX || (length && !value))
        return -EINVAL;
    return plugins_state.coordinator->publish(key, value, length);
}

EXPORT long stasis_lookup(const char *key, void *value, size_t capacity)
{
    int r = name_call_allowed(key);
    if (r < 0)
        return r;
    if (capacity && !value)
        return -EINVAL;
    return plugins_state.coordinator->lookup(key, value, capacity);
}
