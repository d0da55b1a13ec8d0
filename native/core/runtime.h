/* The process-level facts every module may ask for: who we are (unique id,
 * original pid, program name), which descriptors are ours, the restart mailbox. */
#ifndef STASIS_RUNTIME_H
#define STASIS_RUNTIME_H

#include <stdint.h>

#include "../common/mailbox.h"

int runtime_is_internal_fd(int fd);
const char *runtime_unique_id(void);
const char *runtime_program(void);
uint32_t runtime_original_pid(void);
struct stasis_mailbox *runtime_mailbox(void);

#endif
