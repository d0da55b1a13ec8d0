/* void blob_enter(void (*entry)(struct blob_args *), struct blob_args *args, void *stack_top)
 * Leaves the restarter's stack for good: the restarter is about to be unmapped. */
    .text
    .globl blob_enter
    .type blob_enter, @function
blob_enter:
    movq %rdi, %rax
    movq %rsi, %rdi
    movq %rdx, %rsp
    andq $-16, %rsp
    xorl %ebp, %ebp
    call *%rax
    hlt
    .size blob_enter, .-blob_enter
    .section .note.GNU-stack,"",@progbits
