/* The checkpoint thread: talks to the coordinator and runs the checkpoint stages
 * (DESIGN.md) and, in a restored process, the restart stages. */
#ifndef STASIS_CKPT_THREAD_H
#define STASIS_CKPT_THREAD_H

int ckpt_thread_start(void);

#endif
