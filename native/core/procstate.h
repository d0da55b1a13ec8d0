/* Process-wide state that is not memory or descriptors: ids, cwd, umask, resource
 * limits, interval timers, the kernel's view of the address space (brk, stack,
 * arguments), signal dispositions. */
#ifndef STASIS_PROCSTATE_H
#define STASIS_PROCSTATE_H

#include "../common/image_format.h"

/* Fill everything but the fields the caller owns (ids, plugins, sizes). */
int procstate_capture(struct img_process *p);
int procstate_encode_signals(struct wbuf *out);

/* Restart: cwd, umask, limits, timers, dispositions. 0, or -1 with a reason. */
int procstate_restore(const struct img_process *p, const void *signals, uint64_t signals_length, char *why,
                      size_t why_cap);

#endif
