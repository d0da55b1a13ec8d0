/* Start-up, fork, exec and exit of a process under Stasis (the constructor of
 * libstasis is in lifecycle.c). */
#ifndef STASIS_LIFECYCLE_H
#define STASIS_LIFECYCLE_H

/* In a fork child, before fork() returns there: become a process of our own (new
 * unique id, log, checkpoint thread) and register. 0, or -1 if registering failed. */
int lifecycle_after_fork_child(void);
/* Around an exec of this process: say goodbye to the coordinator (we come back
 * under the same unique id), or reconnect if the exec failed. */
void lifecycle_before_exec(void);
void lifecycle_exec_failed(void);

#endif
