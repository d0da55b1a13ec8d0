/* Settings handed over by `stasis launch` (docs/environment.md), read once at
 * start-up and after restart from the restart mailbox. */
#ifndef STASIS_CONFIG_H
#define STASIS_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CONFIG_PATH_MAX 4096

struct stasis_config {
    int enabled;                     /* a coordinator is configured */
    char coord_host[256];
    uint16_t coord_port;
    unsigned char secret[32];
    char ckpt_dir[CONFIG_PATH_MAX];
    char tmpdir[CONFIG_PATH_MAX];
    int debug;
    int sigckpt;
    int write_threads;
    char computation_id[64];
    char plugins[512];               /* comma-separated ids */
    char home[CONFIG_PATH_MAX];
    char preload[CONFIG_PATH_MAX];   /* LD_PRELOAD as launched, for programs exec'ed later */
};

/* Reads STASIS_* from the environment, then removes them from environ so the
 * program never sees them; the secret's value is overwritten where it was, so it
 * is neither in /proc/PID/environ nor in an image. */
void config_load_from_environment(void);
const struct stasis_config *config_get(void);
struct stasis_mailbox;
/* Takes the restarted process's settings; wipes the secret from the mailbox. */
void config_apply_mailbox(struct stasis_mailbox *m);
/* The secret is never in an image (docs/environment.md): the image writer moves
 * it into memory that is not saved while memory is written, then puts it back;
 * a restarted process gets it afresh from the restart mailbox. */
void config_take_secret(unsigned char kept[32]);
void config_give_back_secret(unsigned char kept[32]);
/* Where a path saved in the image is now, after `stasis restart --path-map`
 * (common/path_map.h): its length, cap or more when cut. */
size_t config_restart_path(const char *saved, char *out, size_t cap);
/* A STASIS_* variable as it was at start-up (the program's environ no longer has
 * them), or NULL. */
const char *config_saved_variable(const char *name);
/* The saved variables one by one ("NAME=value"), NULL after the last. */
const char *config_saved_entry(int index);
/* hex digits → bytes; returns 0 when exactly 2*len hex digits were given */
int config_parse_hex(const char *hex, unsigned char *out, int len);

#endif
