/* The "no checkpoint now" guard (DMTCP's wrapper lock). A wrapper whose work must
 * not be split by a checkpoint — a fork until the child has registered, an exec
 * until the process has said goodbye — holds it shared; the checkpoint thread takes
 * it exclusively before freezing anybody, waiting for those wrappers to finish. */
#ifndef STASIS_GUARD_H
#define STASIS_GUARD_H

void guard_enter(void);
void guard_leave(void);
/* Checkpoint thread: wait (at most timeout_ms) until no wrapper holds the guard and
 * keep new ones out. 0, or -1 on timeout (the guard is then released). */
int guard_lock_exclusive(int timeout_ms);
void guard_unlock_exclusive(void);
/* In a fork child: nobody else holds anything. */
void guard_reset(void);

#endif
