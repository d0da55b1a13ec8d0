/* long stasis_clone(unsigned long flags, void *stack_top, int *child_tid,
 *                   int (*fn)(void *), void *arg)
 * A bare clone(): the child runs fn(arg) on stack_top and exits the thread with its
 * return value. Used for the image compression threads, which must not go through
 * pthread_create (it would change glibc state that is being saved). */
    .text
    .globl stasis_clone
    .hidden stasis_clone
    .type stasis_clone, @function
stasis_clone:
    .cfi_startproc
    andq $-16, %rsi
    subq $16, %rsi
    movq %rcx, 0(%rsi)
    movq %r8, 8(%rsi)
    movq %rdx, %r10             /* child_tid: 4th syscall argument */
    xorl %edx, %edx             /* parent_tid */
    xorl %r8d, %r8d             /* tls */
    movl $56, %eax              /* SYS_clone */
    syscall
    testq %rax, %rax
    jnz 1f
    .cfi_undefined rip
    xorl %ebp, %ebp
    popq %rax
    popq %rdi
    call *%rax
    movl %eax, %edi
    movl $60, %eax              /* SYS_exit: this thread only */
    syscall
    hlt
1:  ret
    .cfi_endproc
    .size stasis_clone, .-stasis_clone
    .section .note.GNU-stack,"",@progbits
