/* Memory libstasis uses only while checkpointing (compression buffers, worker
 * stacks, the maps text): mmap'ed, never malloc'ed (other threads may be frozen
 * inside malloc), excluded from images, and not inherited across fork. */
#ifndef STASIS_SCRATCH_H
#define STASIS_SCRATCH_H

#include <stddef.h>
#include <stdint.h>

void *scratch_alloc(size_t len);
void scratch_free(void *p, size_t len);
/* Does [start, end) lie inside memory handed out by scratch_alloc? */
int scratch_owns(uint64_t start, uint64_t end);

/* After a restart: the scratch mappings of the checkpoint were not saved, so the
 * table describes nothing that exists. */
void scratch_forget_all(void);

#endif
