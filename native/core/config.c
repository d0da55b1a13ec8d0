#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/mailbox.h"
#include "../common/path_map.h"
#include "../common/secret_fd.h"
#include "../common/sha256.h"

extern char **environ;

#define SAVED_MAX 64
#define SECRET_VARIABLE "STASIS_SECRET="
#define SAVED_BYTES 16384

static struct config_state {
    struct stasis_config config;
    /* copies of the STASIS_* variables, for fragments (stasis_getenv) and exec */
    char saved[SAVED_BYTES];
    const char *saved_entries[SAVED_MAX];
    int saved_count;
    int loaded;
    /* `stasis restart --path-map`, from the last restart's mailbox ("" for none) */
    char path_map[PATH_MAP_MAX];
} config_state;

static void copy(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap - 1) : 0;
    memcpy(dst, src ? src : "", n);
    dst[n] = 0;
}

int config_parse_hex(const char *hex, unsigned char *out, int len)
{
    if (!hex || (int)strlen(hex) != 2 * len)
        return -1;
    for (int i = 0; i < 2 * len; i++) {
        char c = hex[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (v < 0)
            return -1;
        if (i % 2 == 0)
            out[i / 2] = (unsigned char)(v << 4);
        else
            out[i / 2] |= (unsigned char)v;
    }
    return 0;
}

static int env_int(const char *name, int fallback, int lo, int hi)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return fallback;
    char *end;
    long v = strtol(s, &end, 10);
    return *end || v < lo || v > hi ? fallback : (int)v;
}

static void save_variable(const char *entry)
{
    struct config_state *s = &config_state;
    size_t used = s->saved_count ? (size_t)(s->saved_entries[s->saved_count - 1] - s->saved) +
                                       strlen(s->saved_entries[s->saved_count - 1]) + 1
                                 : 0;
    size_t n = strlen(entry) + 1;
    if (s->saved_count == SAVED_MAX || used + n > SAVED_BYTES)
        return;
    memcpy(s->saved + used, entry, n);
    s->saved_entries[s->saved_count++] = s->saved + used;
}

const char *config_saved_variable(const char *name)
{
    config_get(); /* loads the variables if nobody did yet */
    size_t n = strlen(name);
    for (int i = 0; i < config_state.saved_count; i++)
        if (strncmp(config_state.saved_entries[i], name, n) == 0 && config_state.saved_entries[i][n] == '=')
            return config_state.saved_entries[i] + n + 1;
    return NULL;
}

const char *config_saved_entry(int index)
{
    return index >= 0 && index < config_state.saved_count ? config_state.saved_entries[index] : NULL;
}

static void hide_stasis_variables(void)
{
    /* Compact environ in place: unsetenv() while iterating would skip entries. */
    char **out = environ;
    for (char **in = environ; in && *in; in++) {
        if (strncmp(*in, "STASIS_", 7) != 0)
            *out++ = *in;
        else if (strncmp(*in, SECRET_VARIABLE, sizeof SECRET_VARIABLE - 1) == 0)
            /* the kernel shows the original strings in /proc/PID/environ, and they
             * are in every image: the secret is kept only in the config */
            stasis_scrub(*in + sizeof SECRET_VARIABLE - 1, strlen(*in + sizeof SECRET_VARIABLE - 1));
        else if (strncmp(*in, "STASIS_SECRET_FD=", 17) != 0) /* read and closed: for nobody else */
            save_variable(*in);
    }
    if (out)
        *out = NULL;
}

void config_load_from_environment(void)
{
    struct stasis_config *c = &config_state.config;
    if (config_state.loaded)
        return;
    config_state.loaded = 1;
    const char *tmp = getenv("STASIS_TMPDIR");
    if (!tmp || !*tmp)
        tmp = getenv("TMPDIR");
    copy(c->tmpdir, sizeof c->tmpdir, tmp && *tmp ? tmp : "/tmp");
    const char *debug = getenv("STASIS_DEBUG");
    c->debug = debug && *debug && strcmp(debug, "0") != 0;
    c->sigckpt = env_int("STASIS_SIGCKPT", 12, 1, 64);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    c->write_threads = env_int("STASIS_WRITE_THREADS", cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus, 1, 64);
    const char *host = getenv("STASIS_COORD_HOST");
    copy(c->coord_host, sizeof c->coord_host, host && *host ? host : "127.0.0.1");
    c->coord_port = (uint16_t)env_int("STASIS_COORD_PORT", 7779, 1, 65535);
    const char *secret_fd = getenv("STASIS_SECRET_FD");
    if (secret_fd && *secret_fd) {
        char hex[STASIS_SECRET_HEX_LENGTH + 1];
        c->enabled = stasis_secret_from_fd(secret_fd, hex) == 0 && config_parse_hex(hex, c->secret, 32) == 0;
        stasis_scrub(hex, sizeof hex);
    } else {
        /* a program exec'd by a checkpointed one gets it from exec_env */
        c->enabled = config_parse_hex(getenv("STASIS_SECRET"), c->secret, 32) == 0;
    }
    char cwd[CONFIG_PATH_MAX];
    const char *dir = getenv("STASIS_CKPT_DIR");
    copy(c->ckpt_dir, sizeof c->ckpt_dir, dir && *dir ? dir : getcwd(cwd, sizeof cwd) ? cwd : ".");
    copy(c->computation_id, sizeof c->computation_id, getenv("STASIS_COMPUTATION_ID"));
    copy(c->plugins, sizeof c->plugins, getenv("STASIS_PLUGINS"));
    copy(c->home, sizeof c->home, getenv("STASIS_HOME"));
    copy(c->preload, sizeof c->preload, getenv("LD_PRELOAD"));
    hide_stasis_variables();
}

const struct stasis_config *config_get(void)
{
    /* a fragment's constructor may run before libstasis's (preload order is not init order) */
    if (!config_state.loaded)
        config_load_from_environment();
    return &config_state.config;
}

void config_apply_mailbox(struct stasis_mailbox *m)
{
    struct stasis_config *c = &config_state.config;
    copy(c->coord_host, sizeof c->coord_host, m->coord_host);
    c->coord_port = (uint16_t)m->coord_port;
    c->enabled = config_parse_hex(m->secret_hex, c->secret, 32) == 0;
    stasis_scrub(m->secret_hex, sizeof m->secret_hex); /* the mailbox is in the next image */
    if (m->ckpt_dir[0])
        copy(c->ckpt_dir, sizeof c->ckpt_dir, m->ckpt_dir);
    if (m->tmpdir[0])
        copy(c->tmpdir, sizeof c->tmpdir, m->tmpdir);
    c->debug = (int)m->debug;
    /* the map of this restart, never an earlier one's (this memory is in the image) */
    config_state.path_map[0] = 0;
    if (m->path_map_offset && m->restorer_start) {
        const char *map = (const char *)(m->restorer_start + m->path_map_offset);
        size_t size = path_map_size(map);
        if (size <= sizeof config_state.path_map)
            memcpy(config_state.path_map, map, size);
    }
}

void config_take_secret(unsigned char kept[32])
{
    memcpy(kept, config_state.config.secret, 32);
    stasis_scrub(config_state.config.secret, 32);
}

void config_give_back_secret(unsigned char kept[32])
{
    memcpy(config_state.config.secret, kept, 32);
    stasis_scrub(kept, 32);
}

size_t config_restart_path(const char *saved, char *out, size_t cap)
{
    return path_map_apply(config_state.path_map, saved, out, cap);
}
