/* The environment of a program this process execs or spawns: the program's own
 * variables without any STASIS_*, our settings as STASIS_* (the new program's
 * libstasis reads and hides them again, so it joins the same computation), and
 * LD_PRELOAD put back if the caller dropped it. Built in mmap'ed memory: exec may be
 * called in a forked child of a multi-threaded program, where malloc is off limits. */
#ifndef STASIS_EXEC_ENV_H
#define STASIS_EXEC_ENV_H

#include <stddef.h>

struct exec_env {
    char **envp;
    char *strings;
    size_t used, cap;
    int count, max;
    void *mem;
    size_t mem_len;
};

/* keep_identity: an exec of this very process (same unique id and pid) rather
 * than a new process. 0 or -errno. */
int exec_env_build(struct exec_env *e, char *const *envp, int keep_identity);
void exec_env_free(struct exec_env *e);
/* Add NAME=value. 0 or -ENOSPC. */
int exec_env_add(struct exec_env *e, const char *name, const char *value);
/* For plugins during STASIS_EVENT_EXEC: add NAME=value (NAME must start STASIS_). */
int exec_env_add_current(const char *name, const char *value);

#endif
