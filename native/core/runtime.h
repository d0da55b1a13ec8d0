/* The process-level facts every module may ask for: who we are (unique id,
 * original pid, program name), which descriptors are ours, the restart mailbox. */
#ifndef STASIS_RUNTIME_H
#define STASIS_RUNTIME_H

#include <stdint.h>

#include "../common/mailbox.h"

int runtime_is_internal_fd(int fd);
/* A new child's end of the fork handshake (-1: none): it is libstasis's while the
 * child registers, and a checkpoint that comes meanwhile must not save it. */
void runtime_set_handshake_fd(int fd);
const char *runtime_unique_id(void);
const char *runtime_program(void);
uint32_t runtime_original_pid(void);
struct stasis_mailbox *runtime_mailbox(void);
/* Whether this process runs under Stasis (a coordinator is configured). */
int runtime_active(void);
/* Whether the program is exiting (exit(3) ran our handler, which said BYE). */
int runtime_leaving(void);
/* In a fork child, before fork() returns there: become a process of our own (new
 * unique id, log, checkpoint thread) and register. 0, or -1 if registering failed. */
int runtime_after_fork_child(void);
/* Around an exec of this process: say goodbye to the coordinator (we come back
 * under the same unique id), or reconnect if the exec failed. */
void runtime_before_exec(void);
void runtime_exec_failed(void);

#endif
