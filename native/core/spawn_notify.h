/* A program started with posix_spawn() is a new process the coordinator does not
 * know until its libstasis registers. The spawning thread keeps checkpoints out
 * (the guard) until the child says it registered, through a pipe whose write end
 * the child inherits and finds in STASIS_SPAWN_NOTIFY ("<fd>:<inode>", so that a
 * descriptor the spawn's file actions put at that number is never written to).
 * A child without libstasis (a static program) never answers: its exit or exec of
 * another such program closes the pipe, or the wait times out. */
#ifndef STASIS_SPAWN_NOTIFY_H
#define STASIS_SPAWN_NOTIFY_H

#include <stddef.h>

#define SPAWN_NOTIFY_VARIABLE "STASIS_SPAWN_NOTIFY"

struct spawn_notify {
    int read_end, write_end;
    char value[48];             /* for STASIS_SPAWN_NOTIFY */
};

/* Parent, before spawning. 0 or -errno. */
int spawn_notify_open(struct spawn_notify *n);
/* Parent, after spawning (spawned: whether a child was made): wait for its word.
 * Closes both ends. */
void spawn_notify_wait(struct spawn_notify *n, int spawned, int timeout_ms);
/* Child, at start-up once it tried to register: tell the parent, close the pipe. */
void spawn_notify_parent(int registered);

#endif
