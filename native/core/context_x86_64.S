/* int stasis_ctx_save(struct stasis_ctx *ctx) — see context.h.
 * The restorer (native/restart/blob.c) loads these eight words back and jumps to
 * rip with eax = 1, which looks to the caller like a second return. */
    .text
    .globl stasis_ctx_save
    .hidden stasis_ctx_save
    .type stasis_ctx_save, @function
stasis_ctx_save:
    .cfi_startproc
    movq %rbx, 0(%rdi)
    movq %rbp, 8(%rdi)
    movq %r12, 16(%rdi)
    movq %r13, 24(%rdi)
    movq %r14, 32(%rdi)
    movq %r15, 40(%rdi)
    leaq 8(%rsp), %rdx          /* the stack pointer after our return */
    movq %rdx, 48(%rdi)
    movq (%rsp), %rdx           /* our return address */
    movq %rdx, 56(%rdi)
    xorl %eax, %eax
    ret
    .cfi_endproc
    .size stasis_ctx_save, .-stasis_ctx_save
    .section .note.GNU-stack,"",@progbits
