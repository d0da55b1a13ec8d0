#include "exec_env.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "../common/sha256.h"
#include "../common/sys.h"
#include "config.h"
#include "fmt.h"
#include "plugins.h"
#include "runtime.h"

extern char **environ;

static struct exec_env_state {
    volatile int lock;            /* one builder at a time may receive plugin variables */
    struct exec_env *current;
} exec_env_state;

static int add(struct exec_env *e, const char *name, const char *value)
{
    size_t n = strlen(name), v = value ? strlen(value) : 0;
    if (e->count + 1 >= e->max || e->used + n + v + 2 > e->cap)
        return -ENOSPC;
    char *s = e->strings + e->used;
    memcpy(s, name, n);
    s[n] = '=';
    memcpy(s + n + 1, value ? value : "", v);
    s[n + 1 + v] = 0;
    e->used += n + v + 2;
    e->envp[e->count++] = s;
    e->envp[e->count] = NULL;
    return 0;
}

static int has(const struct exec_env *e, const char *name, size_t n)
{
    for (int i = 0; i < e->count; i++)
        if (strncmp(e->envp[i], name, n) == 0 && e->envp[i][n] == '=')
            return 1;
    return 0;
}

int exec_env_add(struct exec_env *e, const char *name, const char *value)
{
    return add(e, name, value);
}

int exec_env_add_current(const char *name, const char *value)
{
    struct exec_env *e = exec_env_state.current;
    if (!e || strncmp(name, "STASIS_", 7) != 0)
        return -EINVAL;
    return add(e, name, value);
}

/* Variables that belong to this process, never to a program it starts */
static int this_process_only(const char *entry)
{
    static const char *const names[] = {"STASIS_UNIQUE_ID=", "STASIS_PID=", "STASIS_SPAWN_NOTIFY="};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strncmp(entry, names[i], strlen(names[i])) == 0)
            return 1;
    return 0;
}

static void add_settings(struct exec_env *e, int keep_identity)
{
    const struct stasis_config *c = config_get();
    char number[32], secret[65];
    for (int i = 0; i < 32; i++) {
        secret[2 * i] = "0123456789abcdef"[c->secret[i] >> 4];
        secret[2 * i + 1] = "0123456789abcdef"[c->secret[i] & 15];
    }
    secret[64] = 0;
    add(e, "STASIS_COORD_HOST", c->coord_host);
    stasis_fmt(number, sizeof number, "%u", c->coord_port);
    add(e, "STASIS_COORD_PORT", number);
    add(e, "STASIS_SECRET", secret);
    stasis_scrub(secret, sizeof secret); /* this stack is in the next image */
    add(e, "STASIS_CKPT_DIR", c->ckpt_dir);
    add(e, "STASIS_TMPDIR", c->tmpdir);
    add(e, "STASIS_DEBUG", c->debug ? "1" : "0");
    stasis_fmt(number, sizeof number, "%d", c->sigckpt);
    add(e, "STASIS_SIGCKPT", number);
    stasis_fmt(number, sizeof number, "%d", c->write_threads);
    add(e, "STASIS_WRITE_THREADS", number);
    add(e, "STASIS_COMPUTATION_ID", c->computation_id);
    add(e, "STASIS_PLUGINS", c->plugins);
    if (c->home[0])
        add(e, "STASIS_HOME", c->home);
    if (keep_identity) {
        add(e, "STASIS_UNIQUE_ID", runtime_unique_id());
        stasis_fmt(number, sizeof number, "%u", runtime_original_pid());
        add(e, "STASIS_PID", number);
    }
}

/* Our libraries first: a program that set its own LD_PRELOAD keeps it after ours. */
static void add_preload(struct exec_env *e, const char *theirs)
{
    const char *ours = config_get()->preload;
    if (!ours[0])
        return;
    if (!theirs || !theirs[0]) {
        add(e, "LD_PRELOAD", ours);
        return;
    }
    if (strstr(theirs, ours)) {
        add(e, "LD_PRELOAD", theirs);
        return;
    }
    char joined[2 * 4096 + 2];
    stasis_fmt(joined, sizeof joined, "%s:%s", ours, theirs);
    add(e, "LD_PRELOAD", joined);
}

int exec_env_build(struct exec_env *e, char *const *envp, int keep_identity)
{
    if (!envp)
        envp = environ;
    int n = 0;
    size_t bytes = 0;
    for (char *const *p = envp; p && *p; p++, n++)
        bytes += strlen(*p) + 1;
    memset(e, 0, sizeof *e);
    e->max = n + 256;
    e->cap = bytes + 64 * 1024;
    e->mem_len = (size_t)e->max * sizeof(char *) + e->cap;
    long mem = sys6(SYS_mmap, 0, (long)e->mem_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (SYS_IS_ERR(mem))
        return (int)mem;
    e->mem = (void *)mem;
    e->envp = (char **)mem;
    e->strings = (char *)mem + (size_t)e->max * sizeof(char *);
    const char *preload = NULL;
    for (char *const *p = envp; p && *p; p++) {
        if (strncmp(*p, "STASIS_", 7) == 0)
            continue;
        if (strncmp(*p, "LD_PRELOAD=", 11) == 0) {
            preload = *p + 11;
            continue;
        }
        e->envp[e->count++] = *p;
    }
    e->envp[e->count] = NULL;
    add_preload(e, preload);
    add_settings(e, keep_identity);
    /* plugins add their own (pid-virt: the id table) */
    while (__atomic_exchange_n(&exec_env_state.lock, 1, __ATOMIC_ACQUIRE))
        sys0(SYS_sched_yield);
    exec_env_state.current = e;
    plugins_dispatch(keep_identity ? STASIS_EVENT_EXEC : STASIS_EVENT_SPAWN, 0, NULL);
    exec_env_state.current = NULL;
    __atomic_store_n(&exec_env_state.lock, 0, __ATOMIC_RELEASE);
    /* anything else given at launch (a third-party plugin's settings) */
    for (int i = 0; config_saved_entry(i); i++) {
        const char *entry = config_saved_entry(i);
        const char *equals = strchr(entry, '=');
        if (equals && !this_process_only(entry) && !has(e, entry, (size_t)(equals - entry)) && e->count + 1 < e->max) {
            e->envp[e->count++] = (char *)entry;
            e->envp[e->count] = NULL;
        }
    }
    return 0;
}

void exec_env_free(struct exec_env *e)
{
    if (e->mem)
        sys2(SYS_munmap, (long)e->mem, (long)e->mem_len);
    e->mem = NULL;
}
