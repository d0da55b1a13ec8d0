/* The checkpoint thread's request/answer exchanges with the coordinator: waiting at
 * a named barrier, and the name service plugins use to find each other's resources
 * (docs/protocol.md). Only the checkpoint thread calls these; no allocation. */
#ifndef STASIS_COORD_CALLS_H
#define STASIS_COORD_CALLS_H

#include <stddef.h>
#include <stdint.h>

/* The coordinator said KILL: die of SIGKILL (status 137), as docs/protocol.md says. */
__attribute__((noreturn)) void coord_call_killed(void);
/* Wait at a barrier of this generation. 0 released; -1 aborted, disconnected or
 * no word within timeout_ms. A KILL met on the way ends the process. */
int coord_call_barrier(const char *name, uint32_t generation, int timeout_ms);
/* UNRESTORED: one resource of this process that no plugin restores. 0, -ENOTSUP
 * when the coordinator is too old to understand it, or -errno. */
int coord_call_unrestored(uint32_t generation, const char *what);
/* NAME_PUBLISH. 0 or -errno (-ENOTCONN without a coordinator). */
int coord_call_publish(const char *key, const void *value, size_t length);
/* NAME_LOOKUP, then wait for its NAME_VALUE: the value's full length (at most
 * capacity bytes copied), -ENOENT when nobody published the key, -ECONNABORTED when
 * the generation was aborted meanwhile (the next barrier then fails at once), or
 * -errno. */
long coord_call_lookup(const char *key, void *value, size_t capacity, uint32_t generation, int timeout_ms);

#endif
