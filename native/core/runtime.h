/* The process-level facts every module may ask for: who we are (unique id,
 * original pid, program name), which descriptors are ours, the restart mailbox.
 * lifecycle.c establishes them; the setters are for it and the checkpoint thread. */
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

/* The program's name, from its command line (it goes into file names). */
void runtime_read_program_name(void);
/* The pid and unique id this process is known by: its own, or, after an exec, the
 * ones the program that exec'ed it had. */
void runtime_adopt_identity(void);
/* In a fork child: a new pid and unique id of its own. */
void runtime_become_new_process(void);
void runtime_set_active(int active);
void runtime_set_leaving(void);
/* The image the checkpoint thread is writing (-1: none) counts as Stasis's own. */
void runtime_set_image_fd(int fd);

#endif
