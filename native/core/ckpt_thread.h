/* The checkpoint thread: talks to the coordinator and runs the checkpoint stages
 * (docs/protocol.md) and, in a restored process, the restart stages. */
#ifndef STASIS_CKPT_THREAD_H
#define STASIS_CKPT_THREAD_H

int ckpt_thread_start(void);
/* Wait until the checkpoint thread is registered with the coordinator. 0 or -1. */
int ckpt_thread_wait_registered(int timeout_ms);
/* Wait until the first registration was tried: 0 registered, -1 failed or not
 * tried in time (an unreachable coordinator costs no waiting). */
int ckpt_thread_wait_first_attempt(int timeout_ms);
/* In a forked child: a fresh checkpoint thread for the new process. */
int ckpt_thread_start_in_child(void);

#endif
