/* Saving where a thread is, so that after restart a new kernel thread can be put
 * back exactly there: the callee-saved registers, the stack pointer and the return
 * address (the x86-64 SysV ABI says nothing else survives a call). Everything else
 * a user thread had in its registers is in the signal frame on its stack. */
#ifndef STASIS_CONTEXT_H
#define STASIS_CONTEXT_H

#include <stdint.h>

#include "../common/image_format.h"

struct stasis_ctx {
    uint64_t reg[CTX_COUNT]; /* rbx rbp r12 r13 r14 r15 rsp rip */
};

/* Returns 0 when called; returns 1 when the restorer resumes the saved context. */
int stasis_ctx_save(struct stasis_ctx *ctx) __attribute__((returns_twice));

#endif
