/* The restorer (see blob.h). Compiled freestanding: no libc, no stack protector,
 * no jump tables, no calls outside the section stasis_blob (check-blob.sh checks),
 * because this code runs from a copy after the rest of stasis-restart is gone. */
#include "blob.h"

#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include "../common/sys.h"

#define BLOB __attribute__((section("stasis_blob"), used, noinline))
#define EXIT_RESTORE_FAILED 5
#define ARCH_SET_FS 0x1002
#define RSEQ_REGISTER 0

/* clone a thread onto `stack` that calls blob_thread_start(thread); returns the
 * new tid in the parent (the child never returns here) */
long blob_clone(unsigned long flags, void *stack, void *parent_tid, void *child_tid, unsigned long tls,
                struct blob_thread *thread);
__asm__(".pushsection stasis_blob,\"ax\",@progbits\n"
        ".globl blob_clone\n"
        ".hidden blob_clone\n"
        ".type blob_clone, @function\n"
        "blob_clone:\n"
        "    movq %rcx, %r10\n"          /* child_tid is the kernel's 4th argument */
        "    movl $56, %eax\n"           /* SYS_clone(flags, stack, ptid, ctid, tls) */
        "    syscall\n"
        "    testq %rax, %rax\n"
        "    jnz 1f\n"
        "    xorl %ebp, %ebp\n"
        "    movq %r9, %rdi\n"           /* the child: r9 still holds the thread */
        "    call blob_thread_start\n"
        "    hlt\n"
        "1:  ret\n"
        ".size blob_clone, .-blob_clone\n"
        ".popsection\n");

/* Load the saved registers and jump: stasis_ctx_save() returns 1 there. */
void blob_resume(const uint64_t *context) __attribute__((noreturn));
__asm__(".pushsection stasis_blob,\"ax\",@progbits\n"
        ".globl blob_resume\n"
        ".hidden blob_resume\n"
        ".type blob_resume, @function\n"
        "blob_resume:\n"
        "    movq 0(%rdi), %rbx\n"
        "    movq 8(%rdi), %rbp\n"
        "    movq 16(%rdi), %r12\n"
        "    movq 24(%rdi), %r13\n"
        "    movq 32(%rdi), %r14\n"
        "    movq 40(%rdi), %r15\n"
        "    movq 48(%rdi), %rsp\n"
        "    movl $1, %eax\n"
        "    jmpq *56(%rdi)\n"
        ".size blob_resume, .-blob_resume\n"
        ".popsection\n");

/* No string literals here: they would land in .rodata, outside the blob. The
 * restarter leaves the message in args; the step says which move failed. */
enum blob_step { STEP_PARK_VDSO = 1, STEP_PLACE_VDSO, STEP_MOVE_REGION, STEP_CLONE };

BLOB static void blob_fail(struct blob_args *a, enum blob_step step)
{
    int n = 0;
    while (a->message[n] && n < (int)sizeof a->message - 3)
        n++;
    a->message[n++] = (char)('0' + step);
    a->message[n++] = '\n';
    sys3(SYS_write, 2, (long)a->message, n);
    sys1(SYS_exit_group, EXIT_RESTORE_FAILED);
    for (;;)
        ;
}

BLOB static void blob_copy(void *dst, const void *src, uint64_t n)
{
    volatile unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
}

BLOB __attribute__((noreturn)) void blob_thread_start(struct blob_thread *t)
{
    /* The restarter's glibc registered its own robust list and rseq area for this
     * kernel thread, in memory that no longer exists; new clones have none. */
    sys2(SYS_set_robust_list, (long)t->robust_head, 24);
    if (t->rseq_address)
        sys4(SYS_rseq, (long)t->rseq_address, t->rseq_length, RSEQ_REGISTER, t->rseq_signature);
    blob_resume(t->context);
}

BLOB static int blob_move(const struct blob_move *m, uint64_t to)
{
    long r = sys5(SYS_mremap, (long)m->from, (long)m->length, (long)m->length, MREMAP_MAYMOVE | MREMAP_FIXED, (long)to);
    return r == (long)to ? 0 : -1;
}

BLOB void blob_main(struct blob_args *a)
{
    for (uint32_t i = 0; i < a->unmap_count; i++)
        sys2(SYS_munmap, (long)a->unmap[i].start, (long)a->unmap[i].length);

    /* The saved vDSO addresses may overlap where the kernel put them this time:
     * park them in the staging hole first, then put them in place. */
    uint64_t parked = a->staging;
    for (uint32_t i = 0; i < a->special_count; i++) {
        struct blob_move *m = &a->special[i];
        if (blob_move(m, parked) < 0)
            blob_fail(a, STEP_PARK_VDSO);
        m->from = parked;
        parked += m->length;
    }
    for (uint32_t i = 0; i < a->special_count; i++)
        if (blob_move(&a->special[i], a->special[i].to) < 0)
            blob_fail(a, STEP_PLACE_VDSO);
    sys2(SYS_munmap, (long)a->staging, (long)a->staging_length);

    for (uint32_t i = 0; i < a->move_count; i++) {
        struct blob_move *m = &a->moves[i];
        if (blob_move(m, m->to) < 0)
            blob_fail(a, STEP_MOVE_REGION);
        if (m->prot != (PROT_READ | PROT_WRITE))
            sys3(SYS_mprotect, (long)m->to, (long)m->length, m->prot);
    }

    a->mailbox->set_mm_result = 0;
    if (a->use_mm)
        a->mailbox->set_mm_result = sys5(SYS_prctl, PR_SET_MM, PR_SET_MM_MAP, (long)&a->mm, sizeof a->mm, 0);
    blob_copy((void *)a->mailbox_target, a->mailbox, sizeof *a->mailbox);

    struct blob_thread *main_thread = 0;
    for (uint32_t i = 0; i < a->thread_count; i++) {
        struct blob_thread *t = &a->threads[i];
        if (t->is_main) {
            main_thread = t;
            continue;
        }
        unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
                              CLONE_SETTLS;
        if (t->tid_address)
            flags |= CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
        /* start below the saved frame and its red zone: that part of the thread's
         * own stack is unused */
        uint64_t stack = (t->context[6] - 4096) & ~15ull;
        long r = blob_clone(flags, (void *)stack, (void *)t->tid_address, (void *)t->tid_address, t->fs_base, t);
        if (r < 0)
            blob_fail(a, STEP_CLONE);
    }
    if (!main_thread || a->main_thread_gone) {
        /* the leader had exited before the checkpoint: so does this one */
        for (;;)
            sys1(SYS_exit, 0);
    }
    sys2(SYS_arch_prctl, ARCH_SET_FS, (long)main_thread->fs_base);
    if (main_thread->tid_address) {
        sys1(SYS_set_tid_address, (long)main_thread->tid_address);
        *(volatile int *)main_thread->tid_address = (int)sys0(SYS_getpid);
    }
    blob_thread_start(main_thread);
}
